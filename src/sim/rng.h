// Random numbers for the simulator: small, fast and reproducible.
//
// Every stream is derived from (seed, a, b, c) by hashing, so a run's result
// depends only on the seed and the fixed decomposition of the work (run
// number, step, grid block), never on how many threads execute it.
#pragma once

#include <cstdint>

namespace vigil::sim {

// SplitMix64 finalizer: a good 64-bit mixing function.
inline std::uint64_t Mix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// A stream key from a seed and up to three stream coordinates.
inline std::uint64_t StreamKey(std::uint64_t seed, std::uint64_t a, std::uint64_t b = 0, std::uint64_t c = 0) {
  return Mix64(Mix64(Mix64(seed ^ 0x5851f42d4c957f2dULL) ^ a) + Mix64(b ^ 0x2545f4914f6cdd1dULL) + c);
}

// xoshiro256** (Blackman and Vigna), seeded by SplitMix64 from a stream key.
class Rng {
 public:
  explicit Rng(std::uint64_t key = 1) { Seed(key); }
  void Seed(std::uint64_t key) {
    for (auto& w : s_) {
      key += 0x9e3779b97f4a7c15ULL;
      w = Mix64(key);
    }
  }
  std::uint64_t Next() {
    const std::uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }
  // Uniform in [0, 1) with 53 bits.
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  // Uniform float in [0, 1) with 24 bits.
  float UniformF() { return static_cast<float>(Next() >> 40) * 0x1.0p-24f; }
  // Uniform integer in [0, n), n > 0 (Lemire's multiply-shift; bias < n/2^32).
  std::uint32_t Below(std::uint32_t n) {
    return static_cast<std::uint32_t>(((Next() >> 32) * static_cast<std::uint64_t>(n)) >> 32);
  }
  // Uniform integer in [lo, hi].
  int Between(int lo, int hi) { return lo + static_cast<int>(Below(static_cast<std::uint32_t>(hi - lo + 1))); }
  bool Chance(double p) { return Uniform() < p; }

 private:
  static std::uint64_t Rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

}  // namespace vigil::sim
