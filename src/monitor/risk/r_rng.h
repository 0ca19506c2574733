// R's default random number generator, reproduced bit for bit, so that vigil
// draws the same cross-validation folds as an R script that calls
// set.seed(seed) and then cv.glmnet() (which calls sample()).
//
// What is reproduced (R >= 3.6.0 defaults, RNGkind() == "Mersenne-Twister",
// "Inversion", "Rejection"):
//   set.seed(s)   the integer seed is scrambled by 50 steps of the LCG
//                 s = 69069 * s + 1 (mod 2^32); 625 more steps fill the
//                 generator's state (position word + 624 words) and the
//                 position is set to 624, so the first draw regenerates
//                 the whole block;
//   unif_rand()   Mersenne-Twister MT19937 output times 2^-32, moved off
//                 exactly 0 and 1;
//   sample()      without replacement, each index drawn by rejection from
//                 random bits (R_unif_index), R's "Rejection" sample.kind.
//
// Seeds: R's set.seed() takes a signed 32-bit integer and uses its bits as
// an unsigned number; pass static_cast<std::uint32_t>(s) for R's seed s.
// Seeds 0 .. 2^31-1 are passed unchanged.
//
// Not thread-safe: each thread needs its own RRng.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

namespace vigil::risk {

class RRng {
 public:
  // Same state as R after set.seed(seed).
  explicit RRng(std::uint32_t seed);

  // Re-seeds, as set.seed(seed).
  void SetSeed(std::uint32_t seed);

  // The next value of R's unif_rand(), in (0, 1).
  double UnifRand();

  // R_unif_index(dn): a uniform integer in [0, dn) drawn by rejection from
  // ceil(log2(dn)) random bits; 0 when dn <= 0.
  double UnifIndex(double dn);

  // R's sample.int(n) (n >= 1): a random permutation of 1..n.
  std::vector<int> SampleInt(int n);

 private:
  std::uint32_t NextWord();    // MT19937 tempered output
  double Bits(int bits);       // R's rbits()

  std::array<std::uint32_t, 624> mt_{};
  int mti_ = 624;
};

// R's `set.seed(seed); sample(rep(seq(nfolds), length = n))`: the fold
// (1..nfolds) of each of n rows, as cv.glmnet draws it when no foldid is
// given. Requires n >= 1 and nfolds >= 1 (asserted).
std::vector<int> RFoldIds(int n, int nfolds, std::uint32_t seed);

}  // namespace vigil::risk
