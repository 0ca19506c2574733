#include "monitor/risk/elastic_net.h"

#include <fmt/format.h>

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <memory>
#include <mutex>
#include <numeric>

#include "core/parallel.h"
#include "monitor/risk/r_rng.h"

namespace vigil::risk {
namespace {

// glmnet.control() defaults that lognet uses.
constexpr double kBig = 9.9e35;      // "infinite" first lambda of a computed path
constexpr double kMinFlmin = 1e-6;   // eps: smallest lambda ratio
constexpr double kPmin = 1e-9;       // probability limit
constexpr double kFdev = 1e-5;       // minimum deviance-ratio gain to go on
constexpr double kDevMax = 0.999;    // deviance ratio at which to stop
constexpr int kMinLambdas = 5;       // mnlam

double DefaultMinRatio(Eigen::Index n, Eigen::Index p) { return n < p ? 1e-2 : 1e-4; }

// The standardized problem: glmnet's driver work before the path, plus the
// row layout the solver works on.
//
// Rows are grouped into patterns: rows that agree on every "pattern
// column" (low-cardinality columns such as indicators, chosen while the
// patterns stay few) are contiguous. Products that involve a pattern column
// are then sums over patterns, weighted by per-pattern sums, instead of sums
// over rows. The order of rows does not change the fit (only the order in
// which floating-point sums are taken).
struct Problem {
  Eigen::MatrixXd xs;       // n x p standardized, rows in pattern order; constant columns zero,
                            // pattern columns unset (see xp)
  Eigen::VectorXd w;        // weights, sum 1
  Eigen::VectorXd y;        // 0/1
  Eigen::VectorXd xm, xsd;  // centring and scaling of each column
  std::vector<char> ju;     // column used (not constant)
  double sw = 0;            // sum of the original weights
  std::vector<int> pcol;    // column -> its column in xp, or -1
  Eigen::MatrixXd xp;       // patterns x pattern columns: the value of each on each pattern
  std::vector<long> start;  // rows of pattern k: [start[k], start[k + 1])
  std::vector<long long> pid;  // pattern of each row (0, 1, ... in row order)
  long first_single = 0;       // patterns [first_single, np) have one row each (the
                               // layout puts the smallest patterns last)
  std::unique_ptr<float[]> xsf;  // xs (its ordinary columns; n x p, the others unset) and xp in
                                 // single precision, for curvatures only
  std::vector<float> xpf;
};

// glmnet refuses a class with fewer than 2 observations (among the rows i
// with skip[i] == 0, or all rows). y is 0/1.
Status CheckClasses(const Eigen::VectorXd& y, const std::vector<char>* skip) {
  Eigen::Index ones = 0, zeros = 0;
  for (Eigen::Index i = 0; i < y.size(); ++i) {
    if (skip != nullptr && (*skip)[static_cast<std::size_t>(i)]) continue;
    (y(i) == 1.0 ? ones : zeros) += 1;
  }
  if (ones < 2 || zeros < 2) {
    return Status::InvalidArgument(fmt::format(
        "elastic net: y has {} ones and {} zeros; each class needs at least 2 observations", ones, zeros));
  }
  return Status::Ok();
}

Status CheckInputs(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, const Eigen::VectorXd* weights) {
  const Eigen::Index n = x.rows(), p = x.cols();
  if (n == 0) return Status::InvalidArgument("elastic net: no rows");
  if (p == 0) return Status::InvalidArgument("elastic net: no columns");
  if (y.size() != n) {
    return Status::InvalidArgument(fmt::format("elastic net: x has {} rows but y has {} values", n, y.size()));
  }
  if (weights != nullptr && weights->size() != n) {
    return Status::InvalidArgument(
        fmt::format("elastic net: x has {} rows but there are {} weights", n, weights->size()));
  }
  for (Eigen::Index j = 0; j < p; ++j) {
    for (Eigen::Index i = 0; i < n; ++i) {
      if (!std::isfinite(x(i, j))) {
        return Status::InvalidArgument(fmt::format("elastic net: x[{}, {}] is {}", i, j, x(i, j)));
      }
    }
  }
  for (Eigen::Index i = 0; i < n; ++i) {
    if (y(i) != 0.0 && y(i) != 1.0) {
      return Status::InvalidArgument(fmt::format("elastic net: y[{}] is {}, not 0 or 1", i, y(i)));
    }
  }
  VIGIL_RETURN_IF_ERROR(CheckClasses(y, nullptr));
  if (weights != nullptr) {
    double sum = 0;
    for (Eigen::Index i = 0; i < n; ++i) {
      const double wi = (*weights)(i);
      if (!std::isfinite(wi) || wi < 0) {
        return Status::InvalidArgument(fmt::format("elastic net: weight {} is {}", i, wi));
      }
      sum += wi;
    }
    if (!(sum > 0)) return Status::InvalidArgument("elastic net: weights sum to 0");
  }
  return Status::Ok();
}

// Up to this many distinct values make a column a pattern-column candidate,
// and patterns may number at most rows / kPatternShare.
constexpr int kMaxLevels = 32;
constexpr long kPatternShare = 3;

// Rows of x grouped into patterns (see Problem): the rows in pattern order,
// each with its pattern number, and the pattern columns. One layout serves
// the full fit and every cross-validation fold (a fold keeps the order and
// drops its rows), so the patterns are found once per data set.
struct Layout {
  std::vector<Eigen::Index> order;         // rows of x, pattern by pattern
  std::vector<int> id;                     // pattern of each entry of order (non-decreasing)
  std::vector<Eigen::Index> pattern_cols;  // pattern columns, in the order refined by
  Eigen::MatrixXd x;                       // x, y and the weights (1 if none) of the rows in order
  Eigen::VectorXd y, w;
};

// The layout of the given rows of x (rows of positive weight).
Layout MakeLayout(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, const Eigen::VectorXd* weights,
                  const std::vector<Eigen::Index>& rows) {
  const Eigen::Index p = x.cols();
  const long m = static_cast<long>(rows.size());
  // Level codes of the low-cardinality columns that vary.
  struct Candidate {
    Eigen::Index col;
    int levels;
    std::vector<std::uint8_t> code;
  };
  std::vector<Candidate> cand;
  for (Eigen::Index j = 0; j < p; ++j) {
    double vals[kMaxLevels];
    int nv = 0;
    std::vector<std::uint8_t> code(static_cast<std::size_t>(m));
    bool ok = true;
    for (long r = 0; r < m && ok; ++r) {
      const double v = x(rows[static_cast<std::size_t>(r)], j);
      int l = 0;
      while (l < nv && vals[l] != v) ++l;
      if (l == nv) {
        if (nv == kMaxLevels) {
          ok = false;
          break;
        }
        vals[nv++] = v;
      }
      code[static_cast<std::size_t>(r)] = static_cast<std::uint8_t>(l);
    }
    if (ok && nv > 1) cand.push_back({j, nv, std::move(code)});
  }
  std::stable_sort(cand.begin(), cand.end(),
                   [](const Candidate& a, const Candidate& b) { return a.levels < b.levels; });
  // Greedily refine the row partition by each candidate while patterns stay few.
  Layout layout;
  std::vector<int> id(static_cast<std::size_t>(m), 0), next(static_cast<std::size_t>(m));
  long np = 1;
  std::vector<int> remap;
  for (const Candidate& c : cand) {
    remap.assign(static_cast<std::size_t>(np) * c.levels, -1);
    long count = 0;
    for (long r = 0; r < m; ++r) {
      int& slot = remap[static_cast<std::size_t>(id[static_cast<std::size_t>(r)]) * c.levels +
                        c.code[static_cast<std::size_t>(r)]];
      if (slot < 0) slot = static_cast<int>(count++);
      next[static_cast<std::size_t>(r)] = slot;
    }
    if (count * kPatternShare > m) continue;
    id.swap(next);
    np = count;
    layout.pattern_cols.push_back(c.col);
  }
  // Patterns by decreasing size (ties in order of first appearance), so that
  // the loops over each pattern's rows run similar lengths one after the
  // other (predictable branches).
  {
    std::vector<long> size(static_cast<std::size_t>(np), 0);
    for (long r = 0; r < m; ++r) ++size[static_cast<std::size_t>(id[static_cast<std::size_t>(r)])];
    std::vector<int> by_size(static_cast<std::size_t>(np));
    std::iota(by_size.begin(), by_size.end(), 0);
    std::stable_sort(by_size.begin(), by_size.end(), [&](int a, int b) {
      return size[static_cast<std::size_t>(a)] > size[static_cast<std::size_t>(b)];
    });
    std::vector<int> rank(static_cast<std::size_t>(np));
    for (long k = 0; k < np; ++k) {
      rank[static_cast<std::size_t>(by_size[static_cast<std::size_t>(k)])] = static_cast<int>(k);
    }
    for (long r = 0; r < m; ++r) {
      int& pattern = id[static_cast<std::size_t>(r)];
      pattern = rank[static_cast<std::size_t>(pattern)];
    }
  }
  // Rows in pattern order (stable, so deterministic): a counting sort.
  std::vector<long> first(static_cast<std::size_t>(np) + 1, 0);
  for (long r = 0; r < m; ++r) ++first[static_cast<std::size_t>(id[static_cast<std::size_t>(r)]) + 1];
  for (long k = 0; k < np; ++k) first[static_cast<std::size_t>(k) + 1] += first[static_cast<std::size_t>(k)];
  layout.order.resize(static_cast<std::size_t>(m));
  layout.id.resize(static_cast<std::size_t>(m));
  for (long r = 0; r < m; ++r) {
    const int k = id[static_cast<std::size_t>(r)];
    const long at = first[static_cast<std::size_t>(k)]++;
    layout.order[static_cast<std::size_t>(at)] = rows[static_cast<std::size_t>(r)];
    layout.id[static_cast<std::size_t>(at)] = k;
  }
  layout.x.resize(m, x.cols());
  layout.y.resize(m);
  layout.w.resize(m);
  for (long r = 0; r < m; ++r) {
    const Eigen::Index i = layout.order[static_cast<std::size_t>(r)];
    layout.y(r) = y(i);
    layout.w(r) = weights == nullptr ? 1.0 : (*weights)(i);
  }
  for (Eigen::Index j = 0; j < x.cols(); ++j) {
    for (long r = 0; r < m; ++r) layout.x(r, j) = x(layout.order[static_cast<std::size_t>(r)], j);
  }
  return layout;
}

// The rows of positive weight.
std::vector<Eigen::Index> PositiveRows(Eigen::Index n, const Eigen::VectorXd* weights) {
  std::vector<Eigen::Index> rows;
  rows.reserve(static_cast<std::size_t>(n));
  for (Eigen::Index i = 0; i < n; ++i) {
    if (weights == nullptr || (*weights)(i) > 0) rows.push_back(i);
  }
  return rows;
}

// glmnet's driver work on the rows of the layout (all of them, or those
// whose row of x has skip[row] == 0): weights scaled to sum 1, columns that
// do not vary marked unused, the others centred and scaled.
Result<Problem> Prepare(const Layout& layout, const std::vector<char>* skip, bool standardize, bool intercept) {
  const Eigen::Index p = layout.x.cols();
  std::vector<Eigen::Index> rows;  // positions in layout order
  Problem pb;
  rows.reserve(layout.order.size());
  int prev = -1;
  for (std::size_t r = 0; r < layout.order.size(); ++r) {
    if (skip != nullptr && (*skip)[static_cast<std::size_t>(layout.order[r])]) continue;
    if (layout.id[r] != prev) pb.start.push_back(static_cast<long>(rows.size()));
    prev = layout.id[r];
    rows.push_back(static_cast<Eigen::Index>(r));
  }
  const Eigen::Index m = static_cast<Eigen::Index>(rows.size());
  pb.start.push_back(static_cast<long>(m));
  std::size_t single = pb.start.size() - 1;
  while (single > 0 && pb.start[single] - pb.start[single - 1] == 1) --single;
  pb.first_single = static_cast<long>(single);
  pb.pid.resize(static_cast<std::size_t>(m));
  for (std::size_t k = 0; k + 1 < pb.start.size(); ++k) {
    std::fill(pb.pid.begin() + pb.start[k], pb.pid.begin() + pb.start[k + 1], static_cast<long long>(k));
  }
  Eigen::VectorXd w(m);
  pb.y.resize(m);
  for (Eigen::Index r = 0; r < m; ++r) {
    const Eigen::Index i = rows[static_cast<std::size_t>(r)];
    w(r) = layout.w(i);
    pb.y(r) = layout.y(i);
  }
  pb.sw = w.sum();
  w /= pb.sw;
  pb.w = w;
  pb.xs.resize(m, p);
  pb.xm = Eigen::VectorXd::Zero(p);
  pb.xsd = Eigen::VectorXd::Ones(p);
  pb.ju.assign(static_cast<std::size_t>(p), 0);
  pb.pcol.assign(static_cast<std::size_t>(p), -1);
  // Pattern columns are constant on each pattern: their statistics come from
  // the patterns' weights, and only their values per pattern are kept (their
  // columns of xs and xsf are not filled; the solver never reads them).
  const long np = static_cast<long>(pb.start.size()) - 1;
  std::vector<double> pw(static_cast<std::size_t>(np));
  for (long k = 0; k < np; ++k) {
    const long b = pb.start[static_cast<std::size_t>(k)], e = pb.start[static_cast<std::size_t>(k) + 1];
    pw[static_cast<std::size_t>(k)] = w.segment(b, e - b).sum();
  }
  std::vector<int> pc(static_cast<std::size_t>(p), -1);
  for (std::size_t c = 0; c < layout.pattern_cols.size(); ++c) {
    pc[static_cast<std::size_t>(layout.pattern_cols[c])] = static_cast<int>(c);
  }
  pb.xp.resize(np, static_cast<Eigen::Index>(layout.pattern_cols.size()));
  // Centres (when intercept) and scales (when standardize) column j, with
  // values vals of weights wts (n of them), as glmnet does; false if it does
  // not vary.
  auto standardize_col = [&](Eigen::Index j, double* vals, const double* wts, Eigen::Index n) {
    // A column is used unless every value equals the first (glmnet's chkvars).
    bool varies = false;
    for (Eigen::Index r = 1; r < n && !varies; ++r) varies = vals[r] != vals[0];
    if (!varies) return false;
    Eigen::Map<Eigen::VectorXd> col(vals, n);
    const Eigen::Map<const Eigen::VectorXd> wt(wts, n);
    if (intercept) {
      pb.xm(j) = wt.dot(col);
      col.array() -= pb.xm(j);
      if (standardize) {
        pb.xsd(j) = std::sqrt(wt.dot(col.cwiseAbs2()));
        col /= pb.xsd(j);
      }
    } else if (standardize) {
      const double mean = wt.dot(col);
      pb.xsd(j) = std::sqrt(wt.dot(col.cwiseAbs2()) - mean * mean);
      col /= pb.xsd(j);
    }
    return true;
  };
  // Each pattern's first row, in layout order (its values on the pattern columns).
  std::vector<Eigen::Index> first(static_cast<std::size_t>(np));
  for (long k = 0; k < np; ++k) {
    first[static_cast<std::size_t>(k)] = rows[static_cast<std::size_t>(pb.start[static_cast<std::size_t>(k)])];
  }
  bool any = false;
  for (Eigen::Index j = 0; j < p; ++j) {
    const double* src = layout.x.col(j).data();
    const int c = pc[static_cast<std::size_t>(j)];
    bool used;
    if (c >= 0) {
      double* vals = pb.xp.col(c).data();
      for (long k = 0; k < np; ++k) vals[k] = src[first[static_cast<std::size_t>(k)]];
      used = standardize_col(j, vals, pw.data(), np);
      pb.pcol[static_cast<std::size_t>(j)] = c;
    } else {
      double* vals = pb.xs.col(j).data();
      for (Eigen::Index r = 0; r < m; ++r) vals[r] = src[rows[static_cast<std::size_t>(r)]];
      used = standardize_col(j, vals, w.data(), m);
    }
    if (!used) {
      (c >= 0 ? pb.xp.col(c) : pb.xs.col(j)).setZero();
      continue;
    }
    pb.ju[static_cast<std::size_t>(j)] = 1;
    any = true;
  }
  if (!any) return Status::InvalidArgument("elastic net: every column of x is constant");
  pb.xsf = std::make_unique_for_overwrite<float[]>(static_cast<std::size_t>(m * p));
  for (Eigen::Index j = 0; j < p; ++j) {
    if (pc[static_cast<std::size_t>(j)] >= 0) continue;
    std::copy(pb.xs.col(j).data(), pb.xs.col(j).data() + m, pb.xsf.get() + j * m);
  }
  pb.xpf.assign(pb.xp.data(), pb.xp.data() + pb.xp.size());
  return pb;
}

// ---- SIMD kernels ---------------------------------------------------------
//
// The solver's work is a handful of loops over the n rows. They are written
// once, on GCC vector types of a given width, and compiled for AVX-512,
// AVX2+FMA and baseline SSE2 (x86-64) or plain doubles elsewhere; the widest
// the processor supports is chosen at run time. Results differ between
// widths only by rounding.

#if defined(__GNUC__) && defined(__x86_64__)
#define VIGIL_ENET_X86 1
#endif

// The kernels pass vector types by value only between always-inline
// functions of this file, so the psABI note about passing them differently
// under different instruction sets does not apply. (GCC reports it at the
// end of the translation unit, so it is silenced for the rest of the file.)
#pragma GCC diagnostic ignored "-Wpsabi"

#define VIGIL_INLINE inline __attribute__((always_inline))
#define VIGIL_INLINE_LAMBDA __attribute__((always_inline))

// Rows per block of the solver's pass over the data (Kern::Pass).
constexpr long kPassBlock = 512;

// Bytes of one column's rows per block of the Gram kernel.
constexpr long kGramBlockBytes = 2048;

template <typename T, int L>
struct Simd {
  typedef T V __attribute__((vector_size(sizeof(T) * L)));
  typedef long long I __attribute__((vector_size(sizeof(T) * L)));  // (double only)
};

// L lanes of T. The double kernels do everything; the float ones only build
// curvature (Hessian) sums, see Solver::BuildGram.
template <int L, typename T = double>
struct Kern {
  using V = typename Simd<T, L>::V;
  using I = typename Simd<T, L>::I;
  static constexpr long kGramBlock = kGramBlockBytes / static_cast<long>(sizeof(T));

  static VIGIL_INLINE V Load(const T* p) {
    V v;
    __builtin_memcpy(&v, p, sizeof(V));
    return v;
  }
  static VIGIL_INLINE void Store(T* p, V v) { __builtin_memcpy(p, &v, sizeof(V)); }
  static VIGIL_INLINE V Splat(T x) { return V{} + x; }
  // Lanes summed in double.
  static VIGIL_INLINE double Sum(V v) {
    double s = 0;
    for (int l = 0; l < L; ++l) s += v[l];
    return s;
  }

  // exp(x) for |x| <= 700: x = k ln2 + t, |t| <= ln2/2, exp(t) by its Taylor
  // series to degree 13, times 2^k built in the exponent bits (<= 1 ulp).
  static VIGIL_INLINE V Exp(V x) {
    const V magic = Splat(6755399441055744.0);  // 1.5 * 2^52: rounds to an integer
    const V t = x * 1.4426950408889634 + magic;
    const V k = t - magic;
    const V r = x - k * 0.693147180369123816490 - k * 1.90821492927058770002e-10;
    static constexpr double kC[] = {1.0 / 479001600.0, 1.0 / 39916800.0, 1.0 / 3628800.0, 1.0 / 362880.0,
                                    1.0 / 40320.0,     1.0 / 5040.0,     1.0 / 720.0,     1.0 / 120.0,
                                    1.0 / 24.0,        1.0 / 6.0,        0.5,             1.0,
                                    1.0};
    V p = Splat(1.0 / 6227020800.0);
    for (double c : kC) p = p * r + c;
    const I e = (((I)t - (I)magic) + 1023) << 52;
    return p * (V)e;
  }

  // log(x) for normal x > 0: x = m 2^e with m in [sqrt(1/2), sqrt(2)), then
  // log(m) = 2 atanh((m - 1)/(m + 1)) by its series (a few ulp).
  static VIGIL_INLINE V Log(V x) {
    const I bits = (I)x;
    I e = (bits >> 52) - 1023;
    V m = (V)((bits & 0x000FFFFFFFFFFFFFLL) | 0x3FF0000000000000LL);
    const I big = (I)(m > 1.4142135623730951);
    m = big ? m * 0.5 : m;
    e = e - big;  // big is -1 where true
    const V f = (m - 1.0) / (m + 1.0);
    const V s = f * f;
    V p = Splat(1.0 / 21);
    static constexpr double kC[] = {1.0 / 19, 1.0 / 17, 1.0 / 15, 1.0 / 13, 1.0 / 11,
                                    1.0 / 9,  1.0 / 7,  1.0 / 5,  1.0 / 3,  1.0};
    for (double c : kC) p = p * s + c;
    const V magic = Splat(6755399441055744.0);
    const V ed = (V)((I)magic + e) - magic;
    return 2.0 * f * p + ed * 0.6931471805599453;
  }

  // The values pbase[pid[i]], i in [i0, i0 + L): pid is non-decreasing and
  // grows by at most 1 from row to row (a pattern number per row), so they
  // are a permutation of the L values from pbase[pid[i0]] (pbase has L - 1
  // values of padding at the end).
  static VIGIL_INLINE V Spread(const double* pbase, const long long* pid) {
    const long long b = pid[0];
    I idx;
    __builtin_memcpy(&idx, pid, sizeof(I));
#if defined(__clang__)  // the sanitized fuzzing build: clang has no variable-index shuffle
    const V src = Load(pbase + b);
    V out;
    for (int k = 0; k < L; ++k) out[k] = src[idx[k] - b];
    return out;
#else
    return __builtin_shuffle(Load(pbase + b), idx - b);
#endif
  }

  // eta = base + sum_k coef[k] * cols[k], where base is the constant base,
  // or pbase[pid[i]] on row i when pbase is given (see Spread); added column
  // by column in the given order, over the rows [i0, i1) (whole vectors) or
  // the rows [i0, n) one by one (Tail).
  static VIGIL_INLINE void EtaRange(double base, const double* pbase, const long long* pid,
                                    const double* const* cols, const double* coef, int m, long i0, long i1,
                                    double* eta) {
    long i = i0;
    // Four vectors of rows at a time: four independent chains of additions.
    for (; i + 4 * L <= i1; i += 4 * L) {
      V e[4];
#pragma GCC unroll 4
      for (int u = 0; u < 4; ++u) e[u] = pbase != nullptr ? Spread(pbase, pid + i + u * L) : Splat(base);
      for (int k = 0; k < m; ++k) {
        const double* c = cols[k] + i;
        const double b = coef[k];
#pragma GCC unroll 4
        for (int u = 0; u < 4; ++u) e[u] = e[u] + b * Load(c + u * L);
      }
#pragma GCC unroll 4
      for (int u = 0; u < 4; ++u) Store(eta + i + u * L, e[u]);
    }
    for (; i < i1; i += L) {
      V e = pbase != nullptr ? Spread(pbase, pid + i) : Splat(base);
      for (int k = 0; k < m; ++k) e = e + coef[k] * Load(cols[k] + i);
      Store(eta + i, e);
    }
  }
  static VIGIL_INLINE void EtaTail(double base, const double* pbase, const long long* pid,
                                   const double* const* cols, const double* coef, int m, long i0, long n,
                                   double* eta) {
    for (long i = i0; i < n; ++i) {
      double e = pbase != nullptr ? pbase[pid[i]] : base;
      for (int k = 0; k < m; ++k) e = e + coef[k] * cols[k][i];
      eta[i] = e;
    }
  }
  static VIGIL_INLINE void Eta(double base, const double* const* cols, const double* coef, int m, long n,
                               double* eta) {
    const long nv = n / L * L;
    EtaRange(base, nullptr, nullptr, cols, coef, m, 0, nv, eta);
    EtaTail(base, nullptr, nullptr, cols, coef, m, nv, n, eta);
  }

  // Probabilities (pinned to 0/1 beyond +-fmax, as glmnet does), IRLS weights
  // v = w q (1 - q) (stored in single precision, for curvatures only),
  // residuals r = w (y - q), over the rows [i0, i1) (whole vectors), adding
  // v and r (the double values) to the lanes of sv and sr.
  static VIGIL_INLINE void ProbsRange(const double* eta, const double* w, const double* y, long i0, long i1,
                                      double fmax, double* q, float* v, double* r, V* sv, V* sr) {
    typedef float VF __attribute__((vector_size(sizeof(float) * L)));
    // One vector of rows from i; returns v and r (for the sums, in order).
    auto row = [&](long i, V* vo, V* ro) VIGIL_INLINE_LAMBDA {
      const V e = Load(eta + i);
      // Exp is exact only for |x| <= 700, but beyond +-fmax (< 700) the
      // probability is pinned on the next line, so e needs no clamping.
      const V ex = Exp(-e);
      V qi = 1.0 / (1.0 + ex);
      qi = e < -fmax ? Splat(0.0) : (e > fmax ? Splat(1.0) : qi);
      const V wi = Load(w + i);
      *vo = wi * qi * (1.0 - qi);
      *ro = wi * (Load(y + i) - qi);
      Store(q + i, qi);
      const VF vf = __builtin_convertvector(*vo, VF);
      __builtin_memcpy(v + i, &vf, sizeof(VF));
      Store(r + i, *ro);
    };
    long i = i0;
    for (; i + 4 * L <= i1; i += 4 * L) {  // four independent chains
      V v0, r0, v1, r1, v2, r2, v3, r3;
      row(i, &v0, &r0);
      row(i + L, &v1, &r1);
      row(i + 2 * L, &v2, &r2);
      row(i + 3 * L, &v3, &r3);
      *sv = *sv + v0;
      *sr = *sr + r0;
      *sv = *sv + v1;
      *sr = *sr + r1;
      *sv = *sv + v2;
      *sr = *sr + r2;
      *sv = *sv + v3;
      *sr = *sr + r3;
    }
    for (; i + 2 * L <= i1; i += 2 * L) {  // two independent chains
      V v0, r0, v1, r1;
      row(i, &v0, &r0);
      row(i + L, &v1, &r1);
      *sv = *sv + v0;
      *sr = *sr + r0;
      *sv = *sv + v1;
      *sr = *sr + r1;
    }
    for (; i < i1; i += L) {
      V v0, r0;
      row(i, &v0, &r0);
      *sv = *sv + v0;
      *sr = *sr + r0;
    }
  }

  // The rows of eta, from the linear predictor to the gradients, in blocks
  // of kPassBlock rows so that each column is read from memory once:
  //   eta = base (or pbase[pid[i]], see EtaRange) + sum_k coef[k] * ecols[k];
  //   q, v, r as ProbsRange takes them, *sum_v = sum v, *sum_r = sum r;
  //   grad[k] = gcols[k] . r for the mg columns gcols (gacc: mg * L doubles
  //   of scratch for their per-lane sums).
  static VIGIL_INLINE void Pass(double base, const double* pbase, const long long* pid, const double* const* ecols,
                                const double* coef, int me, const double* w, const double* y, double fmax,
                                const double* const* gcols, int mg, long n, double* eta, double* q, float* v,
                                double* r, double* sum_v, double* sum_r, double* grad, double* gacc) {
    assert(fmax < 700);  // see ProbsRange
    const long nv = n / L * L;
    V sv = Splat(0), sr = Splat(0);
    for (int k = 0; k < mg; ++k) Store(gacc + k * L, Splat(0));
    for (long i0 = 0; i0 < nv; i0 += kPassBlock) {
      const long i1 = std::min(nv, i0 + kPassBlock);
      EtaRange(base, pbase, pid, ecols, coef, me, i0, i1, eta);
      ProbsRange(eta, w, y, i0, i1, fmax, q, v, r, &sv, &sr);
      int k = 0;
      for (; k + 4 <= mg; k += 4) {
        V a0 = Load(gacc + k * L), a1 = Load(gacc + (k + 1) * L), a2 = Load(gacc + (k + 2) * L),
          a3 = Load(gacc + (k + 3) * L);
        const double *c0 = gcols[k], *c1 = gcols[k + 1], *c2 = gcols[k + 2], *c3 = gcols[k + 3];
        for (long i = i0; i < i1; i += L) {
          const V ri = Load(r + i);
          a0 = a0 + Load(c0 + i) * ri;
          a1 = a1 + Load(c1 + i) * ri;
          a2 = a2 + Load(c2 + i) * ri;
          a3 = a3 + Load(c3 + i) * ri;
        }
        Store(gacc + k * L, a0);
        Store(gacc + (k + 1) * L, a1);
        Store(gacc + (k + 2) * L, a2);
        Store(gacc + (k + 3) * L, a3);
      }
      for (; k < mg; ++k) {
        V a = Load(gacc + k * L);
        const double* c = gcols[k];
        for (long i = i0; i < i1; i += L) a = a + Load(c + i) * Load(r + i);
        Store(gacc + k * L, a);
      }
    }
    EtaTail(base, pbase, pid, ecols, coef, me, nv, n, eta);
    double tv = Sum(sv), tr = Sum(sr);
    for (long i = nv; i < n; ++i) {
      const double e = eta[i];
      const double qi = e < -fmax ? 0.0 : (e > fmax ? 1.0 : 1.0 / (1.0 + std::exp(-e)));
      q[i] = qi;
      const double vi = w[i] * qi * (1.0 - qi);
      v[i] = static_cast<float>(vi);
      r[i] = w[i] * (y[i] - qi);
      tv += vi;
      tr += r[i];
    }
    *sum_v = tv;
    *sum_r = tr;
    for (int k = 0; k < mg; ++k) {
      double t = Sum(Load(gacc + k * L));
      for (long i = nv; i < n; ++i) t += gcols[k][i] * r[i];
      grad[k] = t;
    }
  }

  // -sum w log(p), p = q or 1 - q by y, q clamped to [pmin, 1 - pmin].
  static VIGIL_INLINE double Deviance(const double* q, const double* w, const double* y, long n, double pmin) {
    const long nv = n / L * L;
    V acc = Splat(0);
    for (long i = 0; i < nv; i += L) {
      V qi = Load(q + i);
      qi = qi < pmin ? Splat(pmin) : (qi > 1 - pmin ? Splat(1 - pmin) : qi);
      const V pick = Load(y + i) > 0.5 ? qi : 1.0 - qi;
      acc = acc + Load(w + i) * Log(pick);
    }
    double s = Sum(acc);
    for (long i = nv; i < n; ++i) {
      const double qi = std::min(std::max(q[i], pmin), 1 - pmin);
      s += w[i] * std::log(y[i] > 0.5 ? qi : 1 - qi);
    }
    return -s;
  }

  // out[i] = -2 log(p_i), p_i the probability 1 / (1 + exp(-(eta_i + a0)))
  // of the observed class y_i, clamped to [pmin, 1 - pmin] (cv.glmnet's
  // binomial deviance of held-out rows).
  static VIGIL_INLINE void HeldOutDeviance(const double* eta, double a0, const double* y, long n, double pmin,
                                           double* out) {
    const long nv = n / L * L;
    for (long i = 0; i < nv; i += L) {
      const V e = Load(eta + i) + a0;
      // Beyond +-30 the probability is clamped anyway.
      V p = 1.0 / (1.0 + Exp(-(e < -30.0 ? Splat(-30.0) : (e > 30.0 ? Splat(30.0) : e))));
      p = p < pmin ? Splat(pmin) : (p > 1 - pmin ? Splat(1 - pmin) : p);
      Store(out + i, -2.0 * Log(Load(y + i) > 0.5 ? p : 1.0 - p));
    }
    for (long i = nv; i < n; ++i) {
      double p = 1.0 / (1.0 + std::exp(-(eta[i] + a0)));
      p = std::min(std::max(p, pmin), 1 - pmin);
      out[i] = -2.0 * std::log(y[i] > 0.5 ? p : 1.0 - p);
    }
  }

  // True if |v_i - h_i| <= t h_i for every i (T = float).
  static VIGIL_INLINE bool Within(const T* v, const T* h, long n, T t) {
    const long nv = n / L * L;
    V worst = Splat(0);
    for (long i = 0; i < nv; i += L) {
      const V hi = Load(h + i), d = Load(v + i) - hi;
      const V e = (d < 0 ? -d : d) - t * hi;
      worst = e > worst ? e : worst;
    }
    bool ok = true;
    for (int l = 0; l < L; ++l) ok &= !(worst[l] > 0);
    for (long i = nv; i < n; ++i) ok &= std::abs(v[i] - h[i]) <= t * h[i];
    return ok;
  }

  // out[k] = cols[k] . r
  static VIGIL_INLINE void Dots(const double* const* cols, int m, const double* r, long n, double* out) {
    const long nv = n / L * L;
    int k = 0;
    for (; k + 4 <= m; k += 4) {
      V a0 = Splat(0), a1 = a0, a2 = a0, a3 = a0;
      const double *c0 = cols[k], *c1 = cols[k + 1], *c2 = cols[k + 2], *c3 = cols[k + 3];
      for (long i = 0; i < nv; i += L) {
        const V ri = Load(r + i);
        a0 = a0 + Load(c0 + i) * ri;
        a1 = a1 + Load(c1 + i) * ri;
        a2 = a2 + Load(c2 + i) * ri;
        a3 = a3 + Load(c3 + i) * ri;
      }
      double s0 = Sum(a0), s1 = Sum(a1), s2 = Sum(a2), s3 = Sum(a3);
      for (long i = nv; i < n; ++i) {
        s0 += c0[i] * r[i];
        s1 += c1[i] * r[i];
        s2 += c2[i] * r[i];
        s3 += c3[i] * r[i];
      }
      out[k] = s0;
      out[k + 1] = s1;
      out[k + 2] = s2;
      out[k + 3] = s3;
    }
    for (; k < m; ++k) {
      V a0 = Splat(0), a1 = a0;
      const double* c = cols[k];
      long i = 0;
      for (; i + 2 * L <= nv; i += 2 * L) {
        a0 = a0 + Load(c + i) * Load(r + i);
        a1 = a1 + Load(c + i + L) * Load(r + i + L);
      }
      for (; i < nv; i += L) a0 = a0 + Load(c + i) * Load(r + i);
      double s = Sum(a0 + a1);
      for (long t = nv; t < n; ++t) s += c[t] * r[t];
      out[k] = s;
    }
  }

  // One register tile of the Gram kernel: acc[a][b] += (v x_a) . w_b over
  // len rows for a < WA, b < WB (only b >= a on a diagonal tile, Diag), the
  // sums kept at acc_mem[(a * TB + b) * L] between blocks of rows. A diagonal
  // tile also sums v x_a (the products with the column of ones) at
  // one_mem[a * L].
  template <int TA, int TB, bool Diag, int WA, int WB>
  static VIGIL_INLINE void GramTileT(const T* const* xa, const T* vv, const T* const* wv, long len, T* acc_mem,
                                     T* one_mem) {
    static_assert(!Diag || WA == WB, "diagonal tiles are square");
    V acc[WA][WB];
    V one[WA];
#pragma GCC unroll 8
    for (int a = 0; a < WA; ++a) {
      if constexpr (Diag) one[a] = Load(one_mem + a * L);
#pragma GCC unroll 8
      for (int b = 0; b < WB; ++b)
        if (!Diag || b >= a) acc[a][b] = Load(acc_mem + (a * TB + b) * L);
    }
    for (long i = 0; i < len; i += L) {
      V x[WA], xv[WA];
      const V vi = Load(vv + i);
#pragma GCC unroll 8
      for (int a = 0; a < WA; ++a) {
        x[a] = Load(xa[a] + i);
        xv[a] = vi * x[a];
        if constexpr (Diag) one[a] = one[a] + xv[a];
      }
#pragma GCC unroll 8
      for (int b = 0; b < WB; ++b) {
        // On the diagonal the columns are those of the rows, already loaded.
        V w;
        if constexpr (Diag) w = x[b];
        else w = Load(wv[b] + i);
#pragma GCC unroll 8
        for (int a = 0; a < WA; ++a)
          if (!Diag || b >= a) acc[a][b] = acc[a][b] + xv[a] * w;
      }
    }
#pragma GCC unroll 8
    for (int a = 0; a < WA; ++a) {
      if constexpr (Diag) Store(one_mem + a * L, one[a]);
#pragma GCC unroll 8
      for (int b = 0; b < WB; ++b)
        if (!Diag || b >= a) Store(acc_mem + (a * TB + b) * L, acc[a][b]);
    }
  }

  // GramTileT for a tile of wa <= TA rows and wb <= TB columns (a diagonal
  // tile is square: wa == wb).
  template <int TA, int TB, bool Diag, int WA = TA, int WB = TB>
  static VIGIL_INLINE void GramTile(int wa, int wb, const T* const* xa, const T* vv, const T* const* wv, long len,
                                    T* acc_mem, T* one_mem) {
    if constexpr (Diag) {
      static_assert(WA == WB, "diagonal tiles are square");
      assert(wa == wb);
      if constexpr (WA > 1) {
        if (wa < WA) return GramTile<TA, TB, Diag, WA - 1, WB - 1>(wa, wb, xa, vv, wv, len, acc_mem, one_mem);
      }
    } else {
      if constexpr (WA > 1) {
        if (wa < WA) return GramTile<TA, TB, Diag, WA - 1, WB>(wa, wb, xa, vv, wv, len, acc_mem, one_mem);
      }
      if constexpr (WB > 1) {
        if (wb < WB) return GramTile<TA, TB, Diag, WA, WB - 1>(wa, wb, xa, vv, wv, len, acc_mem, one_mem);
      }
    }
    GramTileT<TA, TB, Diag, WA, WB>(xa, vv, wv, len, acc_mem, one_mem);
  }

  // Floats of scratch Gram needs for m columns.
  template <int TA, int TB>
  static constexpr long GramScratch(int m) {
    const long nta = (m + TA - 1) / TA, ntb = (m + TB - 1) / TB;
    return nta * ntb * TA * TB * L + nta * TA * L;
  }

  // For m columns x_j (cols) and weights v:
  //   out[j * mb + k] = sum_i v_i x_ij x_ik   for j <= k < m,
  //   out[j * mb + m] = sum_i v_i x_ij,        mb = m + 1.
  // Products and per-lane partial sums are in T, the final sums in double.
  // Blocks of kGramBlock rows (they stay in L1) are taken by TA x TB
  // register tiles of (v x_j)' x_k, accumulated into per-tile partial sums;
  // tiles on the diagonal compute only their upper triangle (and the sums
  // of v x_j, which need no multiplication), tiles at the edges only their
  // columns and rows.
  template <int TA, int TB>
  static VIGIL_INLINE void Gram(const T* const* cols, int m, const T* v, long n, double* out, T* scratch) {
    static_assert(TA == TB, "diagonal tiles are square");
    const int mb = m + 1;
    const long nv = n / L * L;
    const int nta = (m + TA - 1) / TA, ntb = (m + TB - 1) / TB;
    T* accs = scratch;                                          // nta x ntb tiles of TA x TB x L
    T* ones = scratch + static_cast<long>(nta) * ntb * TA * TB * L;  // nta * TA sums of v x_j, L lanes each
    for (long s = 0, e = GramScratch<TA, TB>(m); s < e; ++s) scratch[s] = 0;
    for (long i0 = 0; i0 < nv; i0 += kGramBlock) {
      const long len = std::min(nv - i0, kGramBlock);
      for (int ta = 0; ta < nta; ++ta) {
        const int j0 = ta * TA, wa = std::min(TA, m - j0);
        const T* xa[TA] = {};
        for (int a = 0; a < wa; ++a) xa[a] = cols[j0 + a] + i0;
        for (int tb = j0 / TB; tb < ntb; ++tb) {
          const int k0 = tb * TB, wb = std::min(TB, m - k0);
          const T* wv[TB] = {};
          for (int b = 0; b < wb; ++b) wv[b] = cols[k0 + b] + i0;
          T* acc_mem = accs + (static_cast<long>(ta) * ntb + tb) * TA * TB * L;
          if (k0 == j0) {
            GramTile<TA, TB, true>(wa, wb, xa, v + i0, wv, len, acc_mem, ones + static_cast<long>(j0) * L);
          } else {
            GramTile<TA, TB, false>(wa, wb, xa, v + i0, wv, len, acc_mem, nullptr);
          }
        }
      }
    }
    for (int j = 0; j < m; ++j) {
      for (int k = j; k <= m; ++k) {
        const int ta = j / TA, tb = k / TB, a = j % TA, b = k % TB;
        double s = k < m ? Sum(Load(accs + ((static_cast<long>(ta) * ntb + tb) * TA * TB + a * TB + b) * L))
                         : Sum(Load(ones + static_cast<long>(j) * L));
        for (long t = nv; t < n; ++t) {
          const double wk = k < m ? static_cast<double>(v[t]) * cols[k][t] : v[t];
          s += static_cast<double>(cols[j][t]) * wk;
        }
        out[j * mb + k] = s;
      }
    }
  }

  // Per run of rows [start[k], start[k + 1]) (a pattern): sv[k] = sum v,
  // sr[k] = sum r (in double), and sw[k * ld + c] = sum v_i x_ic for the
  // first ld = NC * L columns held in panels of L columns, row by row: the
  // value of row i and column c at xrow[(c / L) * panel + i * L + c % L].
  template <int NC>
  static VIGIL_INLINE void PatternSumsT(const T* xrow, long panel, int ld, const T* v, const double* r,
                                        const long* start, long np, long k1, T* sv, double* sr, T* sw) {
    for (long k = 0; k < k1; ++k) {
      const long i0 = start[k], i1 = start[k + 1];
      // Two interleaved sets of sums halve the dependency chains.
      V a[2][NC > 0 ? NC : 1];
      for (int u = 0; u < 2; ++u)
        for (int c = 0; c < NC; ++c) a[u][c] = Splat(0);
      double s0 = 0, s1 = 0, t0 = 0, t1 = 0;
      long i = i0;
      for (; i + 2 <= i1; i += 2) {
        const T v0 = v[i], v1 = v[i + 1];
#pragma GCC unroll 4
        for (int c = 0; c < NC; ++c) {
          a[0][c] = a[0][c] + v0 * Load(xrow + c * panel + i * L);
          a[1][c] = a[1][c] + v1 * Load(xrow + c * panel + (i + 1) * L);
        }
        s0 += v0;
        s1 += v1;
        t0 += r[i];
        t1 += r[i + 1];
      }
      if (i < i1) {
        const T v0 = v[i];
#pragma GCC unroll 4
        for (int c = 0; c < NC; ++c) a[0][c] = a[0][c] + v0 * Load(xrow + c * panel + i * L);
        s0 += v0;
        t0 += r[i];
      }
      sv[k] = static_cast<T>(s0 + s1);
      sr[k] = t0 + t1;
      for (int c = 0; c < NC; ++c) Store(sw + k * ld + c * L, a[0][c] + a[1][c]);
    }
    // Patterns [k1, np) are single rows, in row order: the same sums
    // (including their additions of zero) without the loop.
    const long base = start[k1] - k1;
    for (long k = k1; k < np; ++k) {
      const long i = base + k;
      const T v0 = v[i];
      const double zero = 0;
      sv[k] = static_cast<T>((zero + v0) + zero);
      sr[k] = (zero + r[i]) + zero;
#pragma GCC unroll 4
      for (int c = 0; c < NC; ++c) {
        Store(sw + k * ld + c * L, (Splat(0) + v0 * Load(xrow + c * panel + i * L)) + Splat(0));
      }
    }
  }

  // (k1: patterns [k1, np) are single rows, see Problem::first_single.)
  static VIGIL_INLINE void PatternSums(const T* xrow, long panel, int ld, const T* v, const double* r,
                                       const long* start, long np, long k1, T* sv, double* sr, T* sw) {
    switch (ld / L) {
      case 0: return PatternSumsT<0>(xrow, panel, ld, v, r, start, np, k1, sv, sr, sw);
      case 1: return PatternSumsT<1>(xrow, panel, ld, v, r, start, np, k1, sv, sr, sw);
      case 2: return PatternSumsT<2>(xrow, panel, ld, v, r, start, np, k1, sv, sr, sw);
      case 3: return PatternSumsT<3>(xrow, panel, ld, v, r, start, np, k1, sv, sr, sw);
      case 4: return PatternSumsT<4>(xrow, panel, ld, v, r, start, np, k1, sv, sr, sw);
      default: break;
    }
    // Wide rows: one column at a time.
    for (long k = 0; k < np; ++k) {
      double s = 0, t = 0;
      for (long i = start[k]; i < start[k + 1]; ++i) {
        s += v[i];
        t += r[i];
      }
      sv[k] = static_cast<T>(s);
      sr[k] = t;
      for (int c = 0; c < ld; ++c) {
        double u = 0;
        for (long i = start[k]; i < start[k + 1]; ++i) {
          u += static_cast<double>(v[i]) * xrow[(c / L) * panel + i * L + c % L];
        }
        sw[k * ld + c] = static_cast<T>(u);
      }
    }
  }

  // out[j * ld + c] = sum_k z[k * ldz + j] sw[k * ld + c] for the m columns
  // of z (patterns by row, ldz >= m) over the np patterns (sw from
  // PatternSums): the products of pattern columns with the ordinary columns,
  // as rank-one updates by each pattern's row of sums. CH columns of z at a
  // time (CH x NC sums in registers), each value of z broadcast from memory.
  template <int NC, int CH>
  static VIGIL_INLINE void PatternCrossChunk(const T* sw, int ld, long np, const T* z, int ldz, int j0,
                                             double* out) {
    V acc[CH][NC];
#pragma GCC unroll 16
    for (int a = 0; a < CH; ++a)
#pragma GCC unroll 4
      for (int c = 0; c < NC; ++c) acc[a][c] = Splat(0);
    for (long k = 0; k < np; ++k) {
      V row[NC];
#pragma GCC unroll 4
      for (int c = 0; c < NC; ++c) row[c] = Load(sw + k * ld + c * L);
      const T* zk = z + k * ldz + j0;
#pragma GCC unroll 16
      for (int a = 0; a < CH; ++a) {
#pragma GCC unroll 4
        for (int c = 0; c < NC; ++c) acc[a][c] = acc[a][c] + zk[a] * row[c];
      }
    }
    for (int a = 0; a < CH; ++a)
      for (int c = 0; c < NC; ++c)
        for (int l = 0; l < L; ++l) out[static_cast<long>(j0 + a) * ld + c * L + l] = acc[a][c][l];
  }

  // The last r < R + 1 columns from j0.
  template <int NC, int R>
  static VIGIL_INLINE void PatternCrossTail(const T* sw, int ld, long np, const T* z, int ldz, int j0, int r,
                                            double* out) {
    if constexpr (R > 0) {
      if (r == R) return PatternCrossChunk<NC, R>(sw, ld, np, z, ldz, j0, out);
      PatternCrossTail<NC, R - 1>(sw, ld, np, z, ldz, j0, r, out);
    }
  }

  template <int NC>
  static VIGIL_INLINE void PatternCrossT(const T* sw, int ld, long np, const T* z, int ldz, int m, double* out) {
    constexpr int CH = 12 / NC;  // with the NC row vectors and a broadcast, within 16 registers
    int j0 = 0;
    for (; j0 + CH <= m; j0 += CH) PatternCrossChunk<NC, CH>(sw, ld, np, z, ldz, j0, out);
    PatternCrossTail<NC, CH - 1>(sw, ld, np, z, ldz, j0, m - j0, out);
  }

  static VIGIL_INLINE void PatternCross(const T* sw, int ld, long np, const T* z, int ldz, int m, double* out) {
    switch (ld / L) {
      case 1: return PatternCrossT<1>(sw, ld, np, z, ldz, m, out);
      case 2: return PatternCrossT<2>(sw, ld, np, z, ldz, m, out);
      case 3: return PatternCrossT<3>(sw, ld, np, z, ldz, m, out);
      case 4: return PatternCrossT<4>(sw, ld, np, z, ldz, m, out);
      default: break;
    }
    for (int j = 0; j < m; ++j) {
      for (int c = 0; c < ld; ++c) {
        double u = 0;
        for (long k = 0; k < np; ++k) u += static_cast<double>(z[k * ldz + j]) * sw[k * ld + c];
        out[static_cast<long>(j) * ld + c] = u;
      }
    }
  }
};

// The kernels of one instruction set, as plain function pointers.
struct Ops {
  const char* isa;
  int lanes;       // doubles per vector
  int planes;      // floats per vector of the pattern kernels
  long (*gram_scratch)(int);  // floats of scratch gram needs for m columns
  void (*eta)(double, const double* const*, const double*, int, long, double*);
  void (*pass)(double, const double*, const long long*, const double* const*, const double*, int, const double*,
               const double*, double,
               const double* const*, int, long, double*, double*, float*, double*, double*, double*, double*,
               double*);
  double (*deviance)(const double*, const double*, const double*, long, double);
  void (*held_out_deviance)(const double*, double, const double*, long, double, double*);
  bool (*within)(const float*, const float*, long, float);
  void (*dots)(const double* const*, int, const double*, long, double*);
  void (*gram)(const float* const*, int, const float*, long, double*, float*);
  void (*pattern_sums)(const float*, long, int, const float*, const double*, const long*, long, long, float*, double*,
                       float*);
  void (*pattern_cross)(const float*, int, long, const float*, int, int, double*);
};

#define VIGIL_ENET_OPS(NAME, ATTR, L, PL, TA, TB)                                                                  \
  ATTR void NAME##Eta(double b, const double* const* c, const double* k, int m, long n, double* e) {           \
    Kern<L>::Eta(b, c, k, m, n, e);                                                                            \
  }                                                                                                            \
  ATTR void NAME##Pass(double b, const double* pb, const long long* pid, const double* const* ec,              \
                       const double* k, int me, const double* w, const double* y, double f,                    \
                       const double* const* gc, int mg, long n, double* e, double* q, float* v, double* r,     \
                       double* sv, double* sr, double* g, double* ga) {                                        \
    Kern<L>::Pass(b, pb, pid, ec, k, me, w, y, f, gc, mg, n, e, q, v, r, sv, sr, g, ga);                       \
  }                                                                                                            \
  ATTR double NAME##Deviance(const double* q, const double* w, const double* y, long n, double p) {            \
    return Kern<L>::Deviance(q, w, y, n, p);                                                                   \
  }                                                                                                            \
  ATTR void NAME##HeldOutDeviance(const double* e, double a0, const double* y, long n, double p, double* o) {  \
    Kern<L>::HeldOutDeviance(e, a0, y, n, p, o);                                                               \
  }                                                                                                            \
  ATTR bool NAME##Within(const float* v, const float* h, long n, float t) {                                    \
    return Kern<PL, float>::Within(v, h, n, t);                                                                \
  }                                                                                                            \
  ATTR void NAME##Dots(const double* const* c, int m, const double* r, long n, double* o) {                    \
    Kern<L>::Dots(c, m, r, n, o);                                                                              \
  }                                                                                                            \
  ATTR void NAME##Gram(const float* const* c, int m, const float* v, long n, double* o, float* s) {           \
    Kern<PL, float>::template Gram<TA, TB>(c, m, v, n, o, s);                                                 \
  }                                                                                                            \
  ATTR void NAME##PatternSums(const float* x, long pn, int ld, const float* v, const double* r, const long* st, \
                              long np, long k1, float* sv, double* sr, float* sw) {                            \
    Kern<PL, float>::PatternSums(x, pn, ld, v, r, st, np, k1, sv, sr, sw);                                  \
  }                                                                                                            \
  ATTR void NAME##PatternCross(const float* sw, int ld, long np, const float* z, int ldz, int m, double* o) {  \
    Kern<PL, float>::PatternCross(sw, ld, np, z, ldz, m, o);                                                \
  }                                                                                                            \
  long NAME##GramScratch(int m) { return Kern<PL, float>::template GramScratch<TA, TB>(m); }                 \
  const Ops NAME##Ops = {#NAME,           L,                       PL,           NAME##GramScratch,          \
                         NAME##Eta,       NAME##Pass,                                                        \
                         NAME##Deviance,  NAME##HeldOutDeviance,   NAME##Within, NAME##Dots,                 \
                         NAME##Gram,      NAME##PatternSums,       NAME##PatternCross};

#ifdef VIGIL_ENET_X86
VIGIL_ENET_OPS(Avx512, __attribute__((target("avx512f,avx512dq,avx512vl,fma"))), 8, 8, 4, 4)
VIGIL_ENET_OPS(Avx2, __attribute__((target("avx2,fma"))), 4, 8, 3, 3)
#endif
VIGIL_ENET_OPS(Base, , 2, 4, 2, 2)

#undef VIGIL_ENET_OPS

// The widest kernels this processor runs. VIGIL_ENET_ISA=base|avx2|avx512
// in the environment caps the choice (for testing the fallbacks).
const Ops& Kernels() {
  static const Ops* ops = [] {
    const char* cap = std::getenv("VIGIL_ENET_ISA");
    const std::string want = cap != nullptr ? cap : "";
#ifdef VIGIL_ENET_X86
    __builtin_cpu_init();
    if (want != "base" && want != "avx2" && __builtin_cpu_supports("avx512f") &&
        __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl")) {
      return &Avx512Ops;
    }
    if (want != "base" && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return &Avx2Ops;
#endif
    return &BaseOps;
  }();
  return *ops;
}

// glmnet's binomial path solver (lognet, two classes, kopt = 0), step for
// step: an IRLS outer loop; inside it, weighted least squares by cyclic
// coordinate descent, alternating full sweeps over the strong set (in
// column order) with sweeps over the active set (in order of entry) until a
// sweep moves no coefficient by more than the threshold; the strong rule on
// entry to each lambda and a KKT check of the other columns whenever the
// IRLS iteration has converged. glmnet stops where its convergence tests
// say so, not at the exact optimum (along strongly correlated columns such
// as year and year squared the difference is visible in the coefficients),
// so matching glmnet means making the same moves and the same tests.
//
// What differs is how a coordinate's gradient x_k'r is obtained. glmnet
// keeps the residual r up to date and pays two passes over the n rows per
// coordinate move. Here each IRLS iteration first builds the weighted Gram
// matrix H = [1 X_S]' V [1 X_S] of the strong set S and the gradients
// [1 X_S]' r; a move then updates |S| + 1 gradients by a column of H. In
// exact arithmetic the moves are identical. H is cheap to build: products
// of ordinary columns are blocked for the cache and vectorized, and
// products involving pattern columns are sums over row patterns.
//
// H is summed in single precision (products and per-lane partial sums in
// float, totals in double), which halves its cost; the gradients, the
// data passes and the KKT checks stay in double. H only shapes each Newton
// step: a solution at which the double-precision gradients satisfy the
// optimality conditions makes no move whatever H is, so the fit is the
// same up to H's rounding (relative ~1e-6) in the steps taken on the way.
//
// For the same reason an IRLS step may keep H from the step before (see
// ElasticNetOptions::curvature_reuse): while every weight is within a
// fraction e of the weights H was built at, H is within e of the exact
// curvature, the step is a quasi-Newton step that shrinks the error by at
// least (1 - e) / e, and glmnet's convergence test (no coefficient moved
// more than the threshold) keeps its meaning. Only steps after the first at
// a lambda reuse H: the first follows the path's move to a new lambda, and
// keeping it exact keeps the steps close to glmnet's.
class Solver {
 public:
  enum class Outcome { kConverged, kMaxIt, kTinyVariance };

  Solver(const Problem& pb, double alpha, double thresh, bool intercept, int maxit, double reuse)
      : pb_(pb),
        ops_(Kernels()),
        n_(pb.xs.rows()),
        p_(pb.xs.cols()),
        np_(static_cast<long>(pb.start.size()) - 1),
        alpha_(alpha),
        intercept_(intercept),
        maxit_(maxit),
        reuse_(reuse),
        beta_(Eigen::VectorXd::Zero(p_)),
        saved_(Eigen::VectorXd::Zero(p_)),
        xv_(Eigen::VectorXd::Zero(p_)),
        ga_(Eigen::VectorXd::Zero(p_)),
        gx_(Eigen::VectorXd::Zero(p_)),
        strong_(static_cast<std::size_t>(p_), 0),
        active_flag_(static_cast<std::size_t>(p_), 0),
        pos_(static_cast<std::size_t>(p_), -1),
        kpos_(static_cast<std::size_t>(p_), -1),
        psv_(static_cast<std::size_t>(np_)),
        psr_(static_cast<std::size_t>(np_)) {
    const double q0raw = pb.w.dot(pb.y);
    q0_ = intercept ? q0raw : 0.5;
    b0_ = intercept ? std::log(q0_ / (1 - q0_)) : 0.0;
    // The null model. Its deviance (per unit weight) scales the threshold.
    dev_null_ = -(b0_ * q0_ + std::log(1 - q0_));
    thr_ = thresh * dev_null_;
    eta_.resize(n_);
    q_ = Eigen::VectorXd::Constant(n_, q0_);
    vf_.resize(static_cast<std::size_t>(n_));
    for (long i = 0; i < n_; ++i) vf_[static_cast<std::size_t>(i)] = static_cast<float>(pb.w(i) * (q0_ * (1 - q0_)));
    r_ = (pb.w.array() * (pb.y.array() - q0_)).matrix();
    xmz_ = q0_ * (1 - q0_);
    grad0_ = r_.sum();
    // Row-major copies of the strong columns (filled as they enter the
    // strong set): ordinary columns row by row in panels of one vector of the
    // pattern kernels, for the pattern sums of v x; pattern columns pattern
    // by pattern, for their products with those sums.
    const int pl = ops_.planes;
    int nd = 0;
    for (Eigen::Index j = 0; j < p_; ++j) {
      nd += pb.ju[static_cast<std::size_t>(j)] && pb.pcol[static_cast<std::size_t>(j)] < 0;
    }
    xrow_.assign(static_cast<std::size_t>(n_) * ((nd + pl - 1) / pl * pl), 0.0f);
    const int npc = static_cast<int>(pb.xp.cols());
    ldz_ = npc;
    zrow_.assign(static_cast<std::size_t>(np_) * ldz_, 0.0f);
    slot_.assign(static_cast<std::size_t>(p_), -1);
    UpdateAbsGradients();
  }

  double dev_null() const { return dev_null_; }
  int passes() const { return passes_; }
  double intercept() const { return b0_; }
  const Eigen::VectorXd& beta() const { return beta_; }

  // max_j |gradient_j| / penalty_j over used columns (penalties are all 1):
  // glmnet's lambda_max times max(alpha, 1e-3).
  double MaxAbsGradient() const {
    double m = 0;
    for (Eigen::Index j = 0; j < p_; ++j) {
      if (pb_.ju[static_cast<std::size_t>(j)]) m = std::max(m, ga_(j));
    }
    return m;
  }

  // Moves the solution to penalty lambda from the one at lambda_prev (0 for
  // the first lambda of a user sequence).
  Outcome Fit(double lambda, double lambda_prev) {
    const double l1 = lambda * alpha_, l2 = lambda * (1 - alpha_);
    const double tlam = alpha_ * (2 * lambda - lambda_prev);
    AddToStrongSet([&](Eigen::Index j) { return ga_(j) > tlam; });
    for (bool first = true;; first = false) {
      if (passes_ > maxit_) return Outcome::kMaxIt;
      SetupWls(!first);
      if (!Wls(l1, l2)) return Outcome::kMaxIt;
      DataPass();
      if (xmz_ <= (1 + kPmin) * kPmin * (1 - kPmin)) return Outcome::kTinyVariance;
      if (!IrlsConverged()) continue;
      // KKT check of the columns outside the strong set, at the new residuals.
      UpdateAbsGradients();
      if (!AddToStrongSet([&](Eigen::Index j) { return ga_(j) > l1; })) return Outcome::kConverged;
    }
  }

  // Deviance (per unit weight) of the current fit, probabilities clamped to
  // [pmin, 1 - pmin] as glmnet's dev2 does.
  double Deviance() const { return ops_.deviance(q_.data(), pb_.w.data(), pb_.y.data(), n_, kPmin); }

 private:
  // |x_j' r| for every used column outside the strong set.
  void UpdateAbsGradients() {
    std::vector<const double*> cols, pcols;
    std::vector<Eigen::Index> idx, pidx;
    for (Eigen::Index j = 0; j < p_; ++j) {
      const auto uj = static_cast<std::size_t>(j);
      if (!pb_.ju[uj] || strong_[uj]) continue;
      if (pb_.pcol[uj] >= 0) {
        pcols.push_back(pb_.xp.col(pb_.pcol[uj]).data());
        pidx.push_back(j);
      } else {
        cols.push_back(pb_.xs.col(j).data());
        idx.push_back(j);
      }
    }
    std::vector<double> g(std::max(cols.size(), pcols.size()));
    if (!cols.empty()) {
      ops_.dots(cols.data(), static_cast<int>(cols.size()), r_.data(), n_, g.data());
      for (std::size_t s = 0; s < idx.size(); ++s) {
        gx_(idx[s]) = g[s];
        ga_(idx[s]) = std::abs(g[s]);
      }
    }
    if (!pcols.empty()) {
      PatternResidualSums();
      ops_.dots(pcols.data(), static_cast<int>(pcols.size()), psr_.data(), np_, g.data());
      for (std::size_t s = 0; s < pidx.size(); ++s) ga_(pidx[s]) = std::abs(g[s]);
    }
  }

  // psr_[k] = sum of r over the rows of pattern k.
  void PatternResidualSums() {
    const double* r = r_.data();
    const long* st = pb_.start.data();
    double* out = psr_.data();
    const long k1 = pb_.first_single;
    for (long k = 0; k < k1; ++k) {
      double t = 0;
      for (long i = st[k]; i < st[k + 1]; ++i) t += r[i];
      out[k] = t;
    }
    // Single rows: the same sum (0 + r_i) without the loop.
    const double zero = 0;
    for (long k = k1, i = st[k1]; k < np_; ++k, ++i) out[k] = zero + r[i];
  }

  // Adds each used, non-strong column j with pred(j) to the strong set;
  // true if any was added.
  template <class Pred>
  bool AddToStrongSet(Pred pred) {
    bool added = false;
    for (Eigen::Index j = 0; j < p_; ++j) {
      const auto uj = static_cast<std::size_t>(j);
      if (!pb_.ju[uj] || strong_[uj] || !pred(j)) continue;
      strong_[uj] = 1;
      added = true;
      // Its slot in the row-major copies, in order of entry.
      if (pb_.pcol[uj] >= 0) {
        slot_[uj] = nzs_++;
        const double* col = pb_.xp.col(pb_.pcol[uj]).data();
        for (long k = 0; k < np_; ++k) {
          zrow_[static_cast<std::size_t>(k) * ldz_ + slot_[uj]] = static_cast<float>(col[k]);
        }
      } else {
        slot_[uj] = nxs_++;
        const float* col = pb_.xsf.get() + static_cast<std::size_t>(j) * n_;
        const int pl = ops_.planes, sl = slot_[uj];
        float* panel = xrow_.data() + static_cast<std::size_t>(sl / pl) * n_ * pl + sl % pl;
        for (long i = 0; i < n_; ++i) panel[i * pl] = col[i];
      }
    }
    if (added) {
      gram_valid_ = false;
      order_.clear();
      dense_.clear();
      dense_cols_.clear();
      dense_cols_f_.clear();
      pat_.clear();
      pat_cols_.clear();
      pat_cols_f_.clear();
      for (Eigen::Index j = 0; j < p_; ++j) {
        const auto uj = static_cast<std::size_t>(j);
        if (!strong_[uj]) continue;
        pos_[uj] = static_cast<int>(order_.size()) + 1;
        order_.push_back(j);
        if (pb_.pcol[uj] >= 0) {
          kpos_[uj] = static_cast<int>(pat_.size());
          pat_.push_back(j);
          pat_cols_.push_back(pb_.xp.col(pb_.pcol[uj]).data());
          pat_cols_f_.push_back(pb_.xpf.data() + static_cast<std::size_t>(pb_.pcol[uj]) * np_);
        } else {
          kpos_[uj] = static_cast<int>(dense_.size());
          dense_.push_back(j);
          dense_cols_.push_back(pb_.xs.col(j).data());
          dense_cols_f_.push_back(pb_.xsf.get() + static_cast<std::size_t>(j) * n_);
        }
      }
    }
    return added;
  }

  // Start of an IRLS iteration: remember the coefficients; build the Gram
  // matrix of the strong set and take its curvatures, or (may_reuse, see
  // the class comment) keep the last one; gather the gradients.
  void SetupWls(bool may_reuse) {
    saved0_ = b0_;
    for (Eigen::Index k : active_) saved_(k) = beta_(k);
    if (may_reuse && reuse_ > 0 && gram_valid_ && WeightsClose()) {
      RefreshGradients();
      return;
    }
    BuildGram();
    gram_valid_ = true;
    vh_ = vf_;
    for (std::size_t s = 0; s < order_.size(); ++s) {
      xv_(order_[s]) = gram_(static_cast<Eigen::Index>(s) + 1, static_cast<Eigen::Index>(s) + 1);
    }
  }

  // No IRLS weight has moved by more than reuse_ of its value when H was
  // built: then (1 - reuse_) H <= H(v) <= (1 + reuse_) H.
  bool WeightsClose() const { return ops_.within(vf_.data(), vh_.data(), n_, static_cast<float>(reuse_)); }

  // g = [sum r, X_S' r] at the current residuals, H kept.
  void RefreshGradients() {
    const int mp = static_cast<int>(pat_.size());
    if (mp > 0) {
      PatternResidualSums();
      ops_.dots(pat_cols_.data(), mp, psr_.data(), np_, gp_.data());
    }
    GatherGradients();
  }

  // g in Gram positions from grad0_, gx_ (ordinary columns) and gp_
  // (pattern columns).
  void GatherGradients() {
    g_(0) = grad0_;
    for (std::size_t s = 0; s < order_.size(); ++s) {
      const auto j = static_cast<std::size_t>(order_[s]);
      g_(static_cast<Eigen::Index>(s) + 1) =
          pb_.pcol[j] >= 0 ? gp_[static_cast<std::size_t>(kpos_[j])] : gx_(static_cast<Eigen::Index>(j));
    }
  }

  // H over [1, strong set] at the current weights v (in single precision,
  // see the class comment), and g = [sum r, X_S' r] in double.
  void BuildGram() {
    const int m = static_cast<int>(order_.size());
    const int md = static_cast<int>(dense_.size()), mp = static_cast<int>(pat_.size());
    gram_.resize(m + 1, m + 1);
    g_.resize(m + 1);
    gram_(0, 0) = xmz_;
    g_(0) = grad0_;  // the whole of g when the strong set is empty
    if (m == 0) return;
    gp_.resize(static_cast<std::size_t>(mp));
    // Ordinary columns: one blocked pass over the rows.
    const int mbd = md + 1;
    if (md > 0) RunGram(dense_cols_f_.data(), md, vf_.data(), n_, &dout_);
    // Pattern columns: the same over the patterns, weighted by the pattern
    // sums of v; their products with ordinary columns from the pattern sums
    // of v x; gradients from the pattern sums of r.
    const int mbp = mp + 1;
    if (mp > 0) {
      ld_ = (md + ops_.planes - 1) / ops_.planes * ops_.planes;
      const int ld = ld_;
      psw_.resize(static_cast<std::size_t>(np_) * ld);
      ops_.pattern_sums(ld > 0 ? xrow_.data() : nullptr, n_ * ops_.planes, ld, vf_.data(), r_.data(),
                        pb_.start.data(), np_, pb_.first_single, psv_.data(), psr_.data(), psw_.data());
      if (md > 0) {
        cross_.resize(static_cast<std::size_t>(mp) * ld);
        ops_.pattern_cross(psw_.data(), ld, np_, zrow_.data(), ldz_, mp, cross_.data());
      }
      RunGram(pat_cols_f_.data(), mp, psv_.data(), np_, &pout_);
      ops_.dots(pat_cols_.data(), mp, psr_.data(), np_, gp_.data());
    }
    // Assemble in Gram positions.
    for (int s = 0; s < m; ++s) {
      const auto j = static_cast<std::size_t>(order_[static_cast<std::size_t>(s)]);
      const int a = kpos_[j];
      const bool pj = pb_.pcol[j] >= 0;
      const double* row = pj ? pout_.data() + static_cast<std::size_t>(a) * mbp : dout_.data() + static_cast<std::size_t>(a) * mbd;
      gram_(0, s + 1) = gram_(s + 1, 0) = pj ? row[mp] : row[md];
      for (int t = s; t < m; ++t) {
        const auto k = static_cast<std::size_t>(order_[static_cast<std::size_t>(t)]);
        const int c = kpos_[k];
        const bool pk = pb_.pcol[k] >= 0;
        double h;
        if (pj && pk) {
          h = pout_[static_cast<std::size_t>(std::min(a, c)) * mbp + std::max(a, c)];
        } else if (!pj && !pk) {
          h = dout_[static_cast<std::size_t>(std::min(a, c)) * mbd + std::max(a, c)];
        } else {
          const auto jp = pj ? j : k, jd = pj ? k : j;
          h = cross_[static_cast<std::size_t>(slot_[jp]) * ld_ + slot_[jd]];
        }
        gram_(s + 1, t + 1) = gram_(t + 1, s + 1) = h;
      }
    }
    GatherGradients();
  }

  void RunGram(const float* const* cols, int m, const float* v, long n, std::vector<double>* out) {
    const int mb = m + 1;
    scratch_.resize(static_cast<std::size_t>(ops_.gram_scratch(m)));
    out->resize(static_cast<std::size_t>(m) * mb);
    ops_.gram(cols, m, v, n, out->data(), scratch_.data());
  }

  // One coordinate move on column k with gradient gk (glmnet's update_beta);
  // returns the change.
  double Move(Eigen::Index k, double gk, double l1, double l2, double* dlx) {
    const double xv = xv_(k), old = beta_(k);
    const double u = gk + old * xv;
    const double a = std::abs(u) - l1;
    const double nb = a > 0 ? std::copysign(a, u) / (xv + l2) : 0.0;
    if (nb == old) return 0.0;
    if (!active_flag_[static_cast<std::size_t>(k)]) {
      active_flag_[static_cast<std::size_t>(k)] = 1;
      active_.push_back(k);
    }
    const double d = nb - old;
    beta_(k) = nb;
    *dlx = std::max(*dlx, xv * d * d);
    return d;
  }

  // One sweep (full: the strong set in column order; else the active set in
  // order of entry), then the intercept. True when it converged.
  bool Sweep(bool full, double l1, double l2) {
    ++passes_;
    double dlx = 0;
    auto move = [&](Eigen::Index k) {
      const int pk = pos_[static_cast<std::size_t>(k)];
      const double d = Move(k, g_(pk), l1, l2, &dlx);
      if (d != 0) g_.noalias() -= gram_.col(pk) * d;
    };
    if (full) {
      for (Eigen::Index k : order_) move(k);
    } else {
      for (std::size_t i = 0; i < active_.size(); ++i) move(active_[i]);
    }
    if (intercept_) {
      const double h0 = gram_(0, 0);  // xmz_ unless H is reused
      const double d = g_(0) / h0;
      if (d != 0) {
        b0_ += d;
        dlx = std::max(dlx, h0 * d * d);
        g_.noalias() -= gram_.col(0) * d;
      }
    }
    return dlx < thr_;
  }

  // glmnet's WLS loop; false when maxit passes were exceeded.
  bool Wls(double l1, double l2) {
    for (;;) {
      if (Sweep(true, l1, l2)) return true;
      if (passes_ > maxit_) return false;
      for (;;) {
        if (Sweep(false, l1, l2)) break;
        if (passes_ > maxit_) return false;
      }
    }
  }

  // glmnet's IRLS convergence test: no coefficient (intercept included)
  // moved by more than the threshold in this iteration.
  bool IrlsConverged() const {
    const double d0 = b0_ - saved0_;
    if (xmz_ * d0 * d0 > thr_) return false;
    for (Eigen::Index k : active_) {
      const double d = beta_(k) - saved_(k);
      if (xv_(k) * d * d > thr_) return false;
    }
    return true;
  }

  // Linear predictor, probabilities, IRLS weights and residuals at the
  // current coefficients.
  void DataPass() {
    std::vector<const double*> cols, pcols;
    std::vector<double> coef, pcoef;
    for (Eigen::Index k : active_) {
      const int c = pb_.pcol[static_cast<std::size_t>(k)];
      if (c >= 0) {
        pcols.push_back(pb_.xp.col(c).data());
        pcoef.push_back(beta_(k));
      } else {
        cols.push_back(pb_.xs.col(k).data());
        coef.push_back(beta_(k));
      }
    }
    const double* pbase = nullptr;
    if (!pcols.empty()) {
      // The pattern part, per pattern (the pass spreads it over the rows).
      peta_.resize(static_cast<std::size_t>(np_ + ops_.lanes - 1));
      ops_.eta(b0_, pcols.data(), pcoef.data(), static_cast<int>(pcols.size()), np_, peta_.data());
      pbase = peta_.data();
    }
    // With the gradients of the strong ordinary columns at the new residuals,
    // for the next IRLS iteration (gx_).
    const int md = static_cast<int>(dense_.size());
    gd_.resize(static_cast<std::size_t>(md));
    gacc_.resize(static_cast<std::size_t>(md) * ops_.lanes);
    ops_.pass(b0_, pbase, pb_.pid.data(), cols.data(), coef.data(), static_cast<int>(cols.size()), pb_.w.data(),
              pb_.y.data(), std::log(1 / kPmin - 1), dense_cols_.data(), md, n_, eta_.data(), q_.data(), vf_.data(),
              r_.data(), &xmz_, &grad0_, gd_.data(), gacc_.data());
    for (int k = 0; k < md; ++k) gx_(dense_[static_cast<std::size_t>(k)]) = gd_[static_cast<std::size_t>(k)];
  }

  const Problem& pb_;
  const Ops& ops_;
  const Eigen::Index n_, p_;
  const long np_;
  const double alpha_;
  const bool intercept_;
  const int maxit_;
  const double reuse_;
  double q0_ = 0, b0_ = 0, saved0_ = 0, dev_null_ = 0, thr_ = 0;
  Eigen::VectorXd beta_, saved_, xv_;
  Eigen::VectorXd eta_, q_, r_;
  double xmz_ = 0, grad0_ = 0;
  Eigen::VectorXd ga_;                     // |gradient| as of the last KKT check
  // x_j' r at the current residuals for every used ordinary column: the
  // strong ones from DataPass, the others from the KKT check that follows
  // it (a column entering the strong set has its gradient already).
  Eigen::VectorXd gx_;
  Eigen::VectorXd g_;                      // working gradients by Gram position
  std::vector<char> strong_, active_flag_;
  std::vector<Eigen::Index> order_;        // strong set in column order
  std::vector<Eigen::Index> active_;       // active set in order of entry
  std::vector<int> pos_;                   // column -> Gram position (1-based)
  std::vector<Eigen::Index> dense_;        // strong ordinary columns
  std::vector<const double*> dense_cols_;
  std::vector<const float*> dense_cols_f_;
  std::vector<Eigen::Index> pat_;          // strong pattern columns
  std::vector<const double*> pat_cols_;
  std::vector<const float*> pat_cols_f_;
  std::vector<int> kpos_;                  // column -> index in dense_ or pat_
  std::vector<int> slot_;                  // strong column -> its place in xrow_ or zrow_
  int nxs_ = 0, nzs_ = 0;                  // slots taken in xrow_ / zrow_
  std::vector<float> xrow_;                // strong ordinary columns by slot, in panels of planes
                                           // columns (n_ rows of planes values each)
  int ld_ = 0;                             // strong ordinary columns rounded up to whole vectors
  std::vector<float> vf_;                  // IRLS weights v, in single precision
  std::vector<float> psv_, psw_;           // per pattern: sum v, sum v x (a row of ld_)
  std::vector<double> cross_;              // strong pattern x strong ordinary columns, by slot
  std::vector<float> zrow_;                // strong pattern columns by pattern, ldz_ per pattern
  int ldz_ = 0;
  std::vector<double> psr_;                // per pattern: sum r
  std::vector<double> gd_, gp_;            // gradients of strong ordinary (DataPass) / pattern columns
  std::vector<double> gacc_;               // scratch of DataPass
  std::vector<double> peta_;
  Eigen::MatrixXd gram_;                   // position 0 = intercept
  std::vector<double> dout_, pout_;
  std::vector<float> scratch_;
  bool gram_valid_ = false;                // gram_ is of the current strong set
  std::vector<float> vh_;                  // the weights gram_ was built at
  int passes_ = 0;
};

}  // namespace

// ---- options ---------------------------------------------------------------

Status ElasticNetOptions::Validate() const {
  if (!(alpha >= 0 && alpha <= 1)) {
    return Status::InvalidArgument(fmt::format("elastic net: alpha {} is not in [0, 1]", alpha));
  }
  if (nlambda < 1) return Status::InvalidArgument(fmt::format("elastic net: nlambda {} < 1", nlambda));
  if (!(lambda_min_ratio >= 0 && lambda_min_ratio < 1)) {
    return Status::InvalidArgument(
        fmt::format("elastic net: lambda_min_ratio {} is not in [0, 1)", lambda_min_ratio));
  }
  for (double l : lambda) {
    if (!std::isfinite(l) || l < 0) {
      return Status::InvalidArgument(fmt::format("elastic net: lambda {} is not a finite value >= 0", l));
    }
  }
  if (!(thresh > 0)) return Status::InvalidArgument(fmt::format("elastic net: thresh {} <= 0", thresh));
  if (maxit < 1) return Status::InvalidArgument(fmt::format("elastic net: maxit {} < 1", maxit));
  if (!(curvature_reuse >= 0 && curvature_reuse <= 0.25)) {
    return Status::InvalidArgument(
        fmt::format("elastic net: curvature_reuse {} is not in [0, 0.25]", curvature_reuse));
  }
  return Status::Ok();
}

// ---- path ------------------------------------------------------------------

int ElasticNetPath::Nonzero(int k) const {
  assert(k >= 0 && k < size());
  return static_cast<int>((beta.col(k).array() != 0).count());
}

Eigen::VectorXd ElasticNetPath::PredictLink(const Eigen::MatrixXd& x, int k) const {
  assert(k >= 0 && k < size());
  assert(x.cols() == beta.rows());
  Eigen::VectorXd eta = x * beta.col(k);
  eta.array() += a0(k);
  return eta;
}

Eigen::VectorXd ElasticNetPath::PredictProb(const Eigen::MatrixXd& x, int k) const {
  Eigen::VectorXd eta = PredictLink(x, k);
  return (1.0 / (1.0 + (-eta.array()).exp())).matrix();
}

void ElasticNetPath::CoefficientsAt(double s, double* a0_out, Eigen::VectorXd* beta_out) const {
  const int n = size();
  assert(n >= 1);
  if (n == 1) {
    *a0_out = a0(0);
    *beta_out = beta.col(0);
    return;
  }
  // R's lambda.interp: map lambdas to [0, 1], clamp s, interpolate the index
  // with approx() (bisection), then blend the two neighbouring columns.
  const double first = lambda.front(), last = lambda.back();
  auto norm = [&](double l) { return (first - l) / (first - last); };
  double sf = std::clamp(norm(s), 0.0, 1.0);
  int i = 0, j = n - 1;
  while (i < j - 1) {
    const int ij = (i + j) / 2;
    if (sf < norm(lambda[static_cast<std::size_t>(ij)])) j = ij; else i = ij;
  }
  const double xi = norm(lambda[static_cast<std::size_t>(i)]), xj = norm(lambda[static_cast<std::size_t>(j)]);
  double coord;  // 1-based, as approx(x, seq(lambda), sfrac)$y
  if (sf == xj) coord = j + 1;
  else if (sf == xi) coord = i + 1;
  else coord = (i + 1) + ((sf - xi) / (xj - xi));
  const int left = static_cast<int>(std::floor(coord)) - 1, right = static_cast<int>(std::ceil(coord)) - 1;
  const double nl = norm(lambda[static_cast<std::size_t>(left)]), nr = norm(lambda[static_cast<std::size_t>(right)]);
  double frac = (sf - nr) / (nl - nr);
  if (left == right || std::abs(nl - nr) < std::numeric_limits<double>::epsilon()) frac = 1;
  *a0_out = a0(left) * frac + a0(right) * (1 - frac);
  *beta_out = beta.col(left) * frac + beta.col(right) * (1 - frac);
}

namespace {

// The path on a prepared problem; nrows is the number of rows given
// (zero weights included), p the number of columns.
Result<ElasticNetPath> FitPrepared(const Problem& pb, Eigen::Index nrows, Eigen::Index p,
                                   const ElasticNetOptions& options) {
  const double q0 = pb.w.dot(pb.y);
  if (q0 <= kPmin || q0 >= 1 - kPmin) {
    return Status::InvalidArgument(
        fmt::format("elastic net: the weighted share of ones ({}) is too close to 0 or 1", q0));
  }
  const bool computed = options.lambda.empty();
  std::vector<double> ulam = options.lambda;
  std::sort(ulam.begin(), ulam.end(), std::greater<double>());
  const int nlam = computed ? options.nlambda : static_cast<int>(ulam.size());
  const double flmin = options.lambda_min_ratio > 0 ? options.lambda_min_ratio : DefaultMinRatio(nrows, p);
  const double ratio = nlam > 1 ? std::pow(std::max(kMinFlmin, flmin), 1.0 / (nlam - 1)) : 1.0;

  Solver solver(pb, options.alpha, options.thresh, options.intercept, options.maxit, options.curvature_reuse);
  ElasticNetPath path;
  path.lambda_computed = computed;
  std::vector<double> a0;
  std::vector<Eigen::VectorXd> betas;
  double lam = 0, lam_prev = 0;
  for (int m = 0; m < nlam; ++m) {
    lam_prev = lam;
    if (!computed) {
      lam = ulam[static_cast<std::size_t>(m)];
    } else if (m == 0) {
      lam = kBig;
    } else if (m == 1) {
      lam_prev = solver.MaxAbsGradient() / std::max(options.alpha, 1e-3);
      lam = lam_prev * ratio;
    } else {
      lam *= ratio;
    }
    const Solver::Outcome outcome = solver.Fit(lam, lam_prev);
    if (outcome == Solver::Outcome::kMaxIt) {
      path.warning = fmt::format(
          "convergence for {}th lambda value not reached after maxit={} iterations; "
          "solutions for larger lambdas returned",
          m + 1, options.maxit);
      break;
    }
    path.lambda.push_back(lam);
    a0.push_back(solver.intercept());
    betas.push_back(solver.beta());
    const double dev = (solver.dev_null() - solver.Deviance()) / solver.dev_null();
    const double prev = path.dev_ratio.empty() ? 0.0 : path.dev_ratio.back();
    path.dev_ratio.push_back(dev);
    if (!computed) continue;
    if (m + 1 < std::min(kMinLambdas, nlam)) continue;
    if (dev - prev < kFdev || dev > kDevMax) break;
    if (outcome == Solver::Outcome::kTinyVariance) break;
  }
  path.passes = solver.passes();
  path.null_deviance = 2 * pb.sw * solver.dev_null();
  // Back to the original scale.
  const int L = static_cast<int>(path.lambda.size());
  path.a0.resize(L);
  path.beta = Eigen::MatrixXd::Zero(p, L);
  for (int k = 0; k < L; ++k) {
    double a = a0[static_cast<std::size_t>(k)];
    for (Eigen::Index j = 0; j < p; ++j) {
      const double b = betas[static_cast<std::size_t>(k)](j);
      if (b == 0) continue;
      const double bo = b / pb.xsd(j);
      path.beta(j, k) = bo;
      a -= bo * pb.xm(j);
    }
    path.a0(k) = options.intercept ? a : 0.0;
  }
  // glmnet's fix.lam: report the first of a computed path by extrapolation.
  if (computed && L > 2) {
    path.lambda[0] = std::exp(2 * std::log(path.lambda[1]) - std::log(path.lambda[2]));
  }
  return path;
}

}  // namespace

Result<ElasticNetPath> FitElasticNetPath(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                                         const ElasticNetOptions& options, const Eigen::VectorXd* weights) {
  VIGIL_RETURN_IF_ERROR(options.Validate());
  VIGIL_RETURN_IF_ERROR(CheckInputs(x, y, weights));
  const Layout layout = MakeLayout(x, y, weights, PositiveRows(x.rows(), weights));
  VIGIL_ASSIGN_OR_RETURN(Problem pb, Prepare(layout, nullptr, options.standardize, options.intercept));
  return FitPrepared(pb, x.rows(), x.cols(), options);
}

// ---- cross-validation ------------------------------------------------------

namespace {

Eigen::MatrixXd SelectRows(const Eigen::MatrixXd& x, const std::vector<Eigen::Index>& rows) {
  Eigen::MatrixXd out(static_cast<Eigen::Index>(rows.size()), x.cols());
  for (Eigen::Index j = 0; j < x.cols(); ++j) {
    for (std::size_t r = 0; r < rows.size(); ++r) out(static_cast<Eigen::Index>(r), j) = x(rows[r], j);
  }
  return out;
}

Eigen::VectorXd SelectRows(const Eigen::VectorXd& v, const std::vector<Eigen::Index>& rows) {
  Eigen::VectorXd out(static_cast<Eigen::Index>(rows.size()));
  for (std::size_t r = 0; r < rows.size(); ++r) out(static_cast<Eigen::Index>(r)) = v(rows[r]);
  return out;
}

// R's weighted.mean(x, w, na.rm = TRUE) without NAs: sum(x * w) / sum(w).
double WeightedMean(const Eigen::ArrayXd& x, const Eigen::ArrayXd& w) { return (x * w).sum() / w.sum(); }

}  // namespace

Result<CvElasticNet> CrossValidateElasticNet(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                                             const ElasticNetOptions& options, const CvOptions& cv_options,
                                             const Eigen::VectorXd* weights) {
  VIGIL_RETURN_IF_ERROR(options.Validate());
  VIGIL_RETURN_IF_ERROR(CheckInputs(x, y, weights));
  const Eigen::Index n = x.rows();
  CvElasticNet cv;
  if (cv_options.foldid.empty()) {
    if (cv_options.nfolds < 3) {
      return Status::InvalidArgument(
          fmt::format("cross-validation: nfolds {} < 3 (10 is recommended)", cv_options.nfolds));
    }
    if (cv_options.nfolds > n) {
      return Status::InvalidArgument(
          fmt::format("cross-validation: nfolds {} exceeds the {} rows", cv_options.nfolds, n));
    }
    cv.foldid = RFoldIds(static_cast<int>(n), cv_options.nfolds, cv_options.seed);
    cv.nfolds = cv_options.nfolds;
  } else {
    if (static_cast<Eigen::Index>(cv_options.foldid.size()) != n) {
      return Status::InvalidArgument(fmt::format("cross-validation: {} fold ids for {} rows",
                                                 cv_options.foldid.size(), n));
    }
    cv.foldid = cv_options.foldid;
    cv.nfolds = *std::max_element(cv.foldid.begin(), cv.foldid.end());
    if (cv.nfolds < 3) {
      return Status::InvalidArgument(fmt::format("cross-validation: {} folds; at least 3 are needed", cv.nfolds));
    }
    std::vector<char> used(static_cast<std::size_t>(cv.nfolds) + 1, 0);
    for (int f : cv.foldid) {
      if (f < 1) return Status::InvalidArgument(fmt::format("cross-validation: fold id {} < 1", f));
      used[static_cast<std::size_t>(f)] = 1;
    }
    for (int k = 1; k <= cv.nfolds; ++k) {
      if (!used[static_cast<std::size_t>(k)]) {
        return Status::InvalidArgument(fmt::format("cross-validation: fold {} has no rows", k));
      }
    }
  }
  const int K = cv.nfolds;
  std::vector<std::vector<Eigen::Index>> in_fold(static_cast<std::size_t>(K) + 1);
  std::vector<std::vector<Eigen::Index>> out_fold(static_cast<std::size_t>(K) + 1);
  for (Eigen::Index i = 0; i < n; ++i) {
    const int f = cv.foldid[static_cast<std::size_t>(i)];
    for (int k = 1; k <= K; ++k) (k == f ? in_fold : out_fold)[static_cast<std::size_t>(k)].push_back(i);
  }

  // Task 0 fits all rows, task k the rows outside fold k. A fold of a
  // computed sequence gets its own sequence, as cv.glmnet does.
  std::vector<Result<ElasticNetPath>> fits(static_cast<std::size_t>(K) + 1,
                                           Result<ElasticNetPath>(Status::Internal("not run")));
  const Layout layout = MakeLayout(x, y, weights, PositiveRows(n, weights));
  std::mutex mu;
  std::size_t done = 0;
  ParallelFor(static_cast<std::size_t>(K) + 1, cv_options.threads, [&](std::size_t t) {
    Result<ElasticNetPath> r = Status::Internal("not run");
    std::vector<char> skip;
    if (t > 0) {
      skip.assign(static_cast<std::size_t>(n), 0);
      for (Eigen::Index i : in_fold[t]) skip[static_cast<std::size_t>(i)] = 1;
    }
    const std::vector<char>* sk = t > 0 ? &skip : nullptr;
    const Eigen::Index nrows = t > 0 ? static_cast<Eigen::Index>(out_fold[t].size()) : n;
    Status st = CheckClasses(y, sk);
    if (st.ok()) {
      Result<Problem> pb = Prepare(layout, sk, options.standardize, options.intercept);
      r = pb.ok() ? FitPrepared(pb.value(), nrows, x.cols(), options) : Result<ElasticNetPath>(pb.status());
    } else {
      r = st;
    }
    fits[t] = std::move(r);
    std::lock_guard<std::mutex> lock(mu);
    ++done;
    Report(cv_options.progress, done, static_cast<std::size_t>(K) + 1,
           t == 0 ? std::string("elastic net: full fit") : fmt::format("elastic net: fold {}", t));
  });
  if (!fits[0].ok()) return fits[0].status();
  for (int k = 1; k <= K; ++k) {
    if (!fits[static_cast<std::size_t>(k)].ok()) {
      return fits[static_cast<std::size_t>(k)].status().WithContext(fmt::format("cross-validation fold {}", k));
    }
  }
  cv.fit = std::move(fits[0]).value();
  const int L = cv.fit.size();

  // Out-of-fold binomial deviance at each lambda of the full fit.
  constexpr double kProbMin = 1e-5;
  const Ops& ops = Kernels();
  const Eigen::VectorXd w = weights != nullptr ? *weights : Eigen::VectorXd::Ones(n);
  // cv.glmnet averages per fold when folds hold at least 3 rows on average,
  // else per row (cvraw, only then filled).
  cv.grouped = static_cast<double>(n) / K >= 3;
  Eigen::MatrixXd cvraw(cv.grouped ? 0 : n, L);
  Eigen::MatrixXd fold_sum(K, L);  // per fold: sum of w * deviance at each lambda
  Eigen::ArrayXd fold_w(K);        // per fold: sum of w
  ParallelFor(static_cast<std::size_t>(K), cv_options.threads, [&](std::size_t t) {
    const ElasticNetPath& f = fits[t + 1].value();
    const auto& rows = in_fold[t + 1];
    Eigen::MatrixXd b(x.cols(), L);
    Eigen::RowVectorXd a(L);
    for (int l = 0; l < L; ++l) {
      double a0;
      Eigen::VectorXd bl;
      f.CoefficientsAt(cv.fit.lambda[static_cast<std::size_t>(l)], &a0, &bl);
      a(l) = a0;
      b.col(l) = bl;
    }
    const Eigen::MatrixXd link = SelectRows(x, rows) * b;
    const Eigen::VectorXd yk = SelectRows(y, rows);
    const auto nk = static_cast<long>(rows.size());
    std::vector<double> dev(static_cast<std::size_t>(nk));
    const Eigen::VectorXd wk = SelectRows(w, rows);
    fold_w(static_cast<Eigen::Index>(t)) = wk.sum();
    for (int l = 0; l < L; ++l) {
      ops.held_out_deviance(link.col(l).data(), a(l), yk.data(), nk, kProbMin, dev.data());
      double sum = 0;
      for (long r = 0; r < nk; ++r) sum += wk(r) * dev[static_cast<std::size_t>(r)];
      fold_sum(static_cast<Eigen::Index>(t), l) = sum;
      if (!cv.grouped) {
        for (long r = 0; r < nk; ++r) cvraw(rows[static_cast<std::size_t>(r)], l) = dev[static_cast<std::size_t>(r)];
      }
    }
  });

  cv.cvm.resize(static_cast<std::size_t>(L));
  cv.cvsd.resize(static_cast<std::size_t>(L));
  if (cv.grouped) {
    // Per-fold weighted means, then their weighted mean and spread.
    const Eigen::MatrixXd fold_mean = fold_sum.array().colwise() / fold_w;
    for (int l = 0; l < L; ++l) {
      const double m = WeightedMean(fold_mean.col(l).array(), fold_w);
      cv.cvm[static_cast<std::size_t>(l)] = m;
      cv.cvsd[static_cast<std::size_t>(l)] =
          std::sqrt(WeightedMean((fold_mean.col(l).array() - m).square(), fold_w) / (K - 1));
    }
  } else {
    for (int l = 0; l < L; ++l) {
      const double m = WeightedMean(cvraw.col(l).array(), w.array());
      cv.cvm[static_cast<std::size_t>(l)] = m;
      cv.cvsd[static_cast<std::size_t>(l)] =
          std::sqrt(WeightedMean((cvraw.col(l).array() - m).square(), w.array()) / static_cast<double>(n - 1));
    }
  }
  cv.nzero.resize(static_cast<std::size_t>(L));
  for (int l = 0; l < L; ++l) cv.nzero[static_cast<std::size_t>(l)] = cv.fit.Nonzero(l);

  // getOptcv.glmnet: the largest lambda at the minimum, and the largest
  // lambda within one standard error of it.
  const double cvmin = *std::min_element(cv.cvm.begin(), cv.cvm.end());
  int imin = 0;
  while (cv.cvm[static_cast<std::size_t>(imin)] > cvmin) ++imin;
  const double semin = cv.cvm[static_cast<std::size_t>(imin)] + cv.cvsd[static_cast<std::size_t>(imin)];
  int i1se = 0;
  while (cv.cvm[static_cast<std::size_t>(i1se)] > semin) ++i1se;
  cv.index_min = imin;
  cv.index_1se = i1se;
  cv.lambda_min = cv.fit.lambda[static_cast<std::size_t>(imin)];
  cv.lambda_1se = cv.fit.lambda[static_cast<std::size_t>(i1se)];
  return cv;
}

// ---- the RiskModel -----------------------------------------------------------

Status ElasticNetModelOptions::Validate() const {
  if (!(alpha >= 0 && alpha <= 1)) {
    return Status::InvalidArgument(fmt::format("elastic-net model: alpha {} is not in [0, 1]", alpha));
  }
  if (nfolds < 3) return Status::InvalidArgument(fmt::format("elastic-net model: nfolds {} < 3", nfolds));
  return Status::Ok();
}

Result<ElasticNetModelOptions::Rule> ElasticNetModelOptions::ParseRule(const std::string& text) {
  if (text == "min") return Rule::kMin;
  if (text == "1se") return Rule::k1se;
  return Status::InvalidArgument("elastic-net model: lambda rule '" + text + "' is not 'min' or '1se'");
}

const char* ElasticNetModelOptions::RuleName(Rule rule) { return rule == Rule::kMin ? "min" : "1se"; }

ElasticNetModel::ElasticNetModel(ElasticNetModelOptions options) : options_(options) {}

Status ElasticNetModel::Fit(const Dataset& train, const FitOptions& options) {
  fitted_ = false;
  VIGIL_RETURN_IF_ERROR(options_.Validate());
  if (!train.features.empty() && static_cast<Eigen::Index>(train.features.size()) != train.x.cols()) {
    return Status::InvalidArgument(fmt::format("elastic-net model: {} feature names for {} columns",
                                               train.features.size(), train.x.cols()));
  }
  ElasticNetOptions path_options;
  path_options.alpha = options_.alpha;
  CvOptions cv_options;
  cv_options.nfolds = options_.nfolds;
  cv_options.seed = static_cast<std::uint32_t>(options.seed);  // R's set.seed takes 32 bits
  cv_options.threads = options.threads;
  cv_options.progress = options.progress;
  VIGIL_ASSIGN_OR_RETURN(CvElasticNet cv, CrossValidateElasticNet(train.x, train.y, path_options, cv_options));
  const int k = options_.rule == ElasticNetModelOptions::Rule::kMin ? cv.index_min : cv.index_1se;
  a0_ = cv.fit.a0(k);
  beta_ = cv.fit.beta.col(k);
  mean_ = train.x.colwise().mean().transpose();
  features_ = train.features;
  if (features_.empty()) {
    for (Eigen::Index j = 0; j < train.x.cols(); ++j) features_.push_back(fmt::format("x{}", j + 1));
  }
  nlohmann::json coef = nlohmann::json::object();
  coef["(Intercept)"] = a0_;
  for (std::size_t j = 0; j < features_.size(); ++j) coef[features_[j]] = beta_(static_cast<Eigen::Index>(j));
  describe_ = {
      {"model", name()},
      {"alpha", options_.alpha},
      {"lambda_rule", ElasticNetModelOptions::RuleName(options_.rule)},
      {"nfolds", cv.nfolds},
      {"lambda", cv.fit.lambda[static_cast<std::size_t>(k)]},
      {"lambda_index", k + 1},
      {"lambda_min", cv.lambda_min},
      {"lambda_1se", cv.lambda_1se},
      {"cvm", cv.cvm[static_cast<std::size_t>(k)]},
      {"path_length", cv.fit.size()},
      {"nonzero", cv.fit.Nonzero(k)},
      {"coefficients", coef},
  };
  fitted_ = true;
  return Status::Ok();
}

Eigen::VectorXd ElasticNetModel::Predict(const Eigen::MatrixXd& x) const {
  assert(fitted_);
  assert(x.cols() == beta_.size());
  Eigen::VectorXd eta = x * beta_;
  eta.array() += a0_;
  return (1.0 / (1.0 + (-eta.array()).exp())).matrix();
}

Eigen::MatrixXd ElasticNetModel::Contributions(const Eigen::MatrixXd& x) const {
  assert(fitted_);
  assert(x.cols() == beta_.size());
  return (x.rowwise() - mean_.transpose()) * beta_.asDiagonal();
}

nlohmann::json ElasticNetModel::Describe() const { return fitted_ ? describe_ : nlohmann::json::object(); }

std::unique_ptr<RiskModel> ElasticNetModel::Clone() const { return std::make_unique<ElasticNetModel>(options_); }

}  // namespace vigil::risk
