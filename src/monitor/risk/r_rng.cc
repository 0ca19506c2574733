#include "monitor/risk/r_rng.h"

#include <cassert>
#include <cmath>

namespace vigil::risk {
namespace {

constexpr int kN = 624;
constexpr int kM = 397;
constexpr std::uint32_t kMatrixA = 0x9908b0dfU;
constexpr std::uint32_t kUpperMask = 0x80000000U;
constexpr std::uint32_t kLowerMask = 0x7fffffffU;
constexpr double k2To32 = 2.3283064365386963e-10;     // 2^-32
constexpr double kInv2To32m1 = 2.328306437080797e-10;  // 1 / (2^32 - 1)

}  // namespace

RRng::RRng(std::uint32_t seed) { SetSeed(seed); }

void RRng::SetSeed(std::uint32_t seed) {
  // Initial scrambling, then one LCG step per state word. R's first word is
  // the position (overwritten with 624 by FixupSeeds); the other 624 are the
  // Mersenne-Twister state. Unsigned arithmetic wraps modulo 2^32 as R's does.
  for (int j = 0; j < 50; ++j) seed = 69069U * seed + 1U;
  seed = 69069U * seed + 1U;  // the position word, discarded
  for (int j = 0; j < kN; ++j) {
    seed = 69069U * seed + 1U;
    mt_[static_cast<std::size_t>(j)] = seed;
  }
  mti_ = kN;
  // FixupSeeds would re-randomize an all-zero state; the LCG above cannot
  // produce 624 zero words in a row (it is a full-period permutation).
}

std::uint32_t RRng::NextWord() {
  static constexpr std::uint32_t kMag01[2] = {0x0U, kMatrixA};
  if (mti_ >= kN) {
    int kk = 0;
    for (; kk < kN - kM; ++kk) {
      std::uint32_t y = (mt_[kk] & kUpperMask) | (mt_[kk + 1] & kLowerMask);
      mt_[kk] = mt_[kk + kM] ^ (y >> 1) ^ kMag01[y & 0x1U];
    }
    for (; kk < kN - 1; ++kk) {
      std::uint32_t y = (mt_[kk] & kUpperMask) | (mt_[kk + 1] & kLowerMask);
      mt_[kk] = mt_[kk + (kM - kN)] ^ (y >> 1) ^ kMag01[y & 0x1U];
    }
    std::uint32_t y = (mt_[kN - 1] & kUpperMask) | (mt_[0] & kLowerMask);
    mt_[kN - 1] = mt_[kM - 1] ^ (y >> 1) ^ kMag01[y & 0x1U];
    mti_ = 0;
  }
  std::uint32_t y = mt_[static_cast<std::size_t>(mti_++)];
  y ^= (y >> 11);
  y ^= (y << 7) & 0x9d2c5680U;
  y ^= (y << 15) & 0xefc60000U;
  y ^= (y >> 18);
  return y;
}

double RRng::UnifRand() {
  const double x = static_cast<double>(NextWord()) * k2To32;
  if (x <= 0.0) return 0.5 * kInv2To32m1;
  if (1.0 - x <= 0.0) return 1.0 - 0.5 * kInv2To32m1;
  return x;
}

double RRng::Bits(int bits) {
  std::int_least64_t v = 0;
  for (int n = 0; n <= bits; n += 16) {
    const int v1 = static_cast<int>(std::floor(UnifRand() * 65536));
    v = 65536 * v + v1;
  }
  const std::int_least64_t one64 = 1;
  return static_cast<double>(v & ((one64 << bits) - 1));
}

double RRng::UnifIndex(double dn) {
  if (dn <= 0) return 0.0;
  const int bits = static_cast<int>(std::ceil(std::log2(dn)));
  double dv;
  do {
    dv = Bits(bits);
  } while (dn <= dv);
  return dv;
}

std::vector<int> RRng::SampleInt(int n) {
  assert(n >= 1);
  std::vector<int> pool(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) pool[static_cast<std::size_t>(i)] = i;
  std::vector<int> out(static_cast<std::size_t>(n));
  int left = n;
  for (int i = 0; i < n; ++i) {
    const int j = static_cast<int>(UnifIndex(left));
    out[static_cast<std::size_t>(i)] = pool[static_cast<std::size_t>(j)] + 1;
    pool[static_cast<std::size_t>(j)] = pool[static_cast<std::size_t>(--left)];
  }
  return out;
}

std::vector<int> RFoldIds(int n, int nfolds, std::uint32_t seed) {
  assert(n >= 1 && nfolds >= 1);
  RRng rng(seed);
  const std::vector<int> perm = rng.SampleInt(n);
  std::vector<int> folds(static_cast<std::size_t>(n));
  // rep(seq(nfolds), length = n)[perm]: element i of the repeated sequence
  // (1-based) is ((i - 1) mod nfolds) + 1.
  for (int i = 0; i < n; ++i) {
    folds[static_cast<std::size_t>(i)] = (perm[static_cast<std::size_t>(i)] - 1) % nfolds + 1;
  }
  return folds;
}

}  // namespace vigil::risk
