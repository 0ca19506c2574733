// Window counts are popcounts of per-row bit masks: compile this file with
// the POPCNT instruction (every x86-64 CPU since 2008) instead of a libgcc call.
#if defined(__x86_64__) && !defined(__POPCNT__)
#pragma GCC target("popcnt")
#endif
#include "sim/epstein.h"

#include <fmt/format.h>

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>

#ifdef __SSE2__
#include <emmintrin.h>
#endif
#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#endif

#include "core/parallel.h"
#include "sim/rng.h"

namespace vigil::sim {

namespace {

constexpr std::uint8_t kEmpty = 0, kCop = 1, kQuiet0 = 2, kActive0 = 3, kQuiet1 = 4, kActive1 = 5;
inline bool IsCitizen(std::uint8_t k) { return k >= kQuiet0; }
inline bool IsActive(std::uint8_t k) { return k == kActive0 || k == kActive1; }
inline int GroupOf(std::uint8_t k) { return (k - 2) >> 1; }
inline std::uint8_t CitizenKind(int group, bool active) {
  return static_cast<std::uint8_t>(2 + 2 * group + (active ? 1 : 0));
}
constexpr int kMaxVision = 20;
constexpr int kMaxMoore = 15;
constexpr int kMaxSites = (2 * kMaxVision + 1) * (2 * kMaxVision + 1);
constexpr std::int64_t kSplitCells = 65536;

// Categories of sites in a Moore window, as bit masks per row.
enum Cat { kCatEmpty, kCatCop, kCatActive0, kCatActive1, kCatGroup0, kCatGroup1, kCats };

// The window packer and bit selector for this processor (defined below).
using PackFn = void (*)(const std::uint8_t* base, long stride, int nrows, int words, int shift, int k0, int nk,
                        std::uint64_t (*out)[16]);
using SelectFn = int (*)(std::uint64_t, std::uint32_t);
PackFn Packer();
SelectFn Selector();

Status Range(const char* name, double v, double lo, double hi) {
  if (!(v >= lo && v <= hi)) {
    return Status::InvalidArgument(fmt::format("{} = {}: allowed range {} to {}", name, v, lo, hi));
  }
  return Status::Ok();
}

}  // namespace

Status ValidateEpstein(const EpsteinParams& p) {
  if (p.model != 1 && p.model != 2) return Status::InvalidArgument(fmt::format("model = {}: allowed 1 or 2", p.model));
  VIGIL_RETURN_IF_ERROR(Range("width", p.width, 3, 20000));
  VIGIL_RETURN_IF_ERROR(Range("height", p.height, 3, 20000));
  if (static_cast<std::int64_t>(p.width) * p.height > 200'000'000) {
    return Status::InvalidArgument("width * height: at most 200,000,000 sites");
  }
  VIGIL_RETURN_IF_ERROR(Range("agent_density", p.agent_density, 0, 1));
  VIGIL_RETURN_IF_ERROR(Range("cop_density", p.cop_density, 0, 1));
  if (p.agent_density + p.cop_density > 1.0 + 1e-12) {
    return Status::InvalidArgument(fmt::format(
        "agent_density + cop_density = {}: must be at most 1 (one agent per site)", p.agent_density + p.cop_density));
  }
  VIGIL_RETURN_IF_ERROR(Range("agent_vision", p.agent_vision, 1, kMaxVision));
  VIGIL_RETURN_IF_ERROR(Range("cop_vision", p.cop_vision, 1, kMaxVision));
  if (p.vision_shape != "cross" && p.vision_shape != "moore") {
    return Status::InvalidArgument("vision_shape = '" + p.vision_shape + "': allowed 'cross' or 'moore'");
  }
  if (p.vision_shape == "moore") {
    VIGIL_RETURN_IF_ERROR(Range("agent_vision (moore)", p.agent_vision, 1, kMaxMoore));
    VIGIL_RETURN_IF_ERROR(Range("cop_vision (moore)", p.cop_vision, 1, kMaxMoore));
  }
  VIGIL_RETURN_IF_ERROR(Range("legitimacy", p.legitimacy, 0, 1));
  VIGIL_RETURN_IF_ERROR(Range("legitimacy_groups[0]", p.legitimacy_groups[0], 0, 1));
  VIGIL_RETURN_IF_ERROR(Range("legitimacy_groups[1]", p.legitimacy_groups[1], 0, 1));
  VIGIL_RETURN_IF_ERROR(Range("k", p.k, 0, 100));
  VIGIL_RETURN_IF_ERROR(Range("threshold", p.threshold, -1, 1));
  VIGIL_RETURN_IF_ERROR(Range("max_jail", p.max_jail, 0, 1000000));
  VIGIL_RETURN_IF_ERROR(Range("group1_share", p.group1_share, 0, 1));
  VIGIL_RETURN_IF_ERROR(Range("birth_rate", p.birth_rate, 0, 1));
  VIGIL_RETURN_IF_ERROR(Range("max_age", p.max_age, 1, 65000));
  VIGIL_RETURN_IF_ERROR(Range("steps", p.steps, 0, 10000000));
  for (std::size_t i = 0; i < p.legitimacy_schedule.size(); ++i) {
    const auto& c = p.legitimacy_schedule[i];
    std::string n = fmt::format("legitimacy_schedule[{}]", i);
    VIGIL_RETURN_IF_ERROR(Range((n + ".step").c_str(), c.step, 1, 10000000));
    VIGIL_RETURN_IF_ERROR(Range((n + ".value").c_str(), c.value, 0, 1));
    VIGIL_RETURN_IF_ERROR(Range((n + ".group").c_str(), c.group, -1, 1));
  }
  for (std::size_t i = 0; i < p.cop_schedule.size(); ++i) {
    const auto& c = p.cop_schedule[i];
    std::string n = fmt::format("cop_schedule[{}]", i);
    VIGIL_RETURN_IF_ERROR(Range((n + ".step").c_str(), c.step, 1, 10000000));
    VIGIL_RETURN_IF_ERROR(Range((n + ".density").c_str(), c.density, 0, 1));
  }
  return Status::Ok();
}

Status AddLegitimacyRamp(EpsteinParams& p, int from, int to, double value) {
  if (p.model != 1) {
    return Status::InvalidArgument("legitimacy ramp: Model I only (Model II has a legitimacy per group)");
  }
  if (!(from >= 1 && to > from)) {
    return Status::InvalidArgument(fmt::format("legitimacy ramp {}..{}: needs 1 <= from < to", from, to));
  }
  VIGIL_RETURN_IF_ERROR(Range("legitimacy ramp value", value, 0, 1));
  double start = p.legitimacy;
  int last = 0;
  for (const auto& c : p.legitimacy_schedule) {
    if (c.step <= from && c.step >= last && c.group == -1) start = c.value, last = c.step;
  }
  for (int t = from + 1; t <= to; ++t) {
    p.legitimacy_schedule.push_back({t, start + (value - start) * (t - from) / (to - from), -1});
  }
  return Status::Ok();
}

EpsteinModel::EpsteinModel(const EpsteinParams& p) : p_(p), W_(p.width), H_(p.height), inv_w_(1.0 / p.width) {
  assert(ValidateEpstein(p).ok());
  vmax_ = std::max(p.agent_vision, p.cop_vision);
  moore_ = p.vision_shape == "moore";
  pack_ = Packer();
  select_ = Selector();
  L_[0] = p.model == 1 ? p.legitimacy : p.legitimacy_groups[0];
  L_[1] = p.model == 1 ? p.legitimacy : p.legitimacy_groups[1];
  wrapx_.resize(W_ + 2 * vmax_);
  for (int i = 0; i < W_ + 2 * vmax_; ++i) {
    int x = i - vmax_;
    if (p.torus) {
      wrapx_[i] = ((x % W_) + W_) % W_;
    } else {
      wrapx_[i] = x >= 0 && x < W_ ? x : -1;
    }
  }
  wrapy_.resize(H_ + 2 * vmax_);
  for (int i = 0; i < H_ + 2 * vmax_; ++i) {
    int y = i - vmax_;
    if (p.torus) {
      wrapy_[i] = (((y % H_) + H_) % H_) * W_;
    } else {
      wrapy_[i] = y >= 0 && y < H_ ? y * W_ : -1;
    }
  }
  for (int n = 0; n < 64; ++n) ptable_[n] = 1.0 - std::exp(-p.k * n);

  // Strips: an agent moves up to v rows and then reads, arrests, kills or
  // gives birth up to v rows further, so strips of one parity are
  // independent when each is at least 4v rows high; an even number of them
  // on a torus.
  const std::int64_t cells = static_cast<std::int64_t>(W_) * H_;
  int nblocks = 1;
  if (cells >= kSplitCells) {
    nblocks = H_ / (4 * vmax_);
    // Each phase runs half of the strips; with a multiple of 16 strips the
    // phases split evenly over 1, 2, 4 or 8 threads (the decomposition must
    // not depend on the thread count, so it is fixed here).
    if (nblocks >= 16) nblocks -= nblocks % 16;
    if (p.torus && nblocks % 2 == 1) --nblocks;
    if (nblocks < 2) nblocks = 1;
  }
  block_rows_.resize(nblocks + 1);
  for (int b = 0; b <= nblocks; ++b) block_rows_[b] = static_cast<int>(static_cast<std::int64_t>(H_) * b / nblocks);
  outs_.resize(nblocks);

  kind_.assign(cells + 32, kEmpty);  // padding: window rows load 32 bytes
  stamp_.assign(cells, 0);
  hr_.assign(cells, Traits{});
  if (p.model == 2) {
    age_.assign(cells, 0);
    max_age_.assign(cells, 0);
  }
  // Placement: a random permutation of the sites; citizens first, then cops.
  Rng rng(StreamKey(p.seed, 0xA11CE));
  std::vector<std::int32_t> sites(cells);
  for (std::int64_t i = 0; i < cells; ++i) sites[i] = static_cast<std::int32_t>(i);
  const std::int64_t n_agents = std::llround(p.agent_density * cells);
  const std::int64_t n_cops = std::min<std::int64_t>(std::llround(p.cop_density * cells), cells - n_agents);
  const std::int64_t n_place = n_agents + n_cops;
  for (std::int64_t i = 0; i < n_place; ++i) {  // partial Fisher-Yates
    std::int64_t j = i + static_cast<std::int64_t>(rng.Uniform() * static_cast<double>(cells - i));
    if (j >= cells) j = cells - 1;
    std::swap(sites[i], sites[j]);
  }
  const std::int64_t n_group1 = p.model == 2 ? std::llround(p.group1_share * n_agents) : 0;
  for (std::int64_t i = 0; i < n_agents; ++i) {
    PlaceNewAgent(sites[i], i < n_agents - n_group1 ? 0 : 1, rng);
    if (p.model == 2) age_[sites[i]] = static_cast<std::uint16_t>(rng.Below(max_age_[sites[i]] + 1u));
  }
  for (std::int64_t i = n_agents; i < n_place; ++i) kind_[sites[i]] = kCop;
}

void EpsteinModel::PlaceNewAgent(std::int32_t pos, int group, Rng& rng) {
  kind_[pos] = CitizenKind(group, false);
  hr_[pos].h = rng.UniformF();
  hr_[pos].r = rng.UniformF();
  stamp_[pos] = static_cast<std::uint8_t>(step_);
  if (p_.model == 2) {
    age_[pos] = 0;
    max_age_[pos] = static_cast<std::uint16_t>(rng.Below(static_cast<std::uint32_t>(p_.max_age) + 1));
  }
}

std::int64_t EpsteinModel::Agents() const {
  std::int64_t n = static_cast<std::int64_t>(jail_.size());
  const std::int64_t cells = static_cast<std::int64_t>(W_) * H_;
  for (std::int64_t i = 0; i < cells; ++i) n += kind_[i] != kEmpty;
  return n;
}

// The sites of the von Neumann cross of radius v around pos (off-grid sites
// of a bounded grid skipped). Returns their number.
int EpsteinModel::Neighbors(std::int32_t pos, int v, std::int32_t* out) const {
  const int y = RowOf(pos), x = pos - y * W_;
  const std::int32_t row = y * W_;
  const std::int32_t* wx = wrapx_.data() + vmax_ + x;
  const std::int32_t* wy = wrapy_.data() + vmax_ + y;
  int n = 0;
  if (moore_) {
    for (int dy = -v; dy <= v; ++dy) {
      const std::int32_t r = wy[dy];
      if (r < 0) continue;
      for (int dx = -v; dx <= v; ++dx) {
        const std::int32_t cx = wx[dx];
        if (cx >= 0 && (dx | dy)) out[n++] = r + cx;
      }
    }
    return n;
  }
  for (int d = 1; d <= v; ++d) {
    std::int32_t a = wx[d], b = wx[-d], c = wy[d], e = wy[-d];
    if (a >= 0) out[n++] = row + a;
    if (b >= 0) out[n++] = row + b;
    if (c >= 0) out[n++] = c + x;
    if (e >= 0) out[n++] = e + x;
  }
  return n;
}

void EpsteinModel::MoveCell(std::int32_t from, std::int32_t to) {
  kind_[to] = kind_[from];
  hr_[to] = hr_[from];
  stamp_[to] = stamp_[from];
  if (p_.model == 2) {
    age_[to] = age_[from];
    max_age_[to] = max_age_[from];
  }
  kind_[from] = kEmpty;
}

// A Moore window as bit masks, one per category: row i of the window (0 =
// top) occupies a slot of 2^shift bits (16 when the window is at most 16
// sites wide, else 32) of word i >> (6 - shift), site dx + v of the row at
// bit dx + v of the slot. Rows in order of words and slots, sites in bit
// order: the rank order Pick draws from is row-major.
struct EpsteinModel::Window {
  int v, x, y;
  int shift;
  int words;
  int count[kCats];
  std::uint64_t m[kCats][16];
};

namespace {

// The kinds compared, in order: the first n of these fill categories
// kCatEmpty, kCatCop, kCatActive0, kCatActive1, kCatGroup0, kCatGroup1
// (the last two get the quiet members; actives are or-ed in afterwards).
constexpr std::uint8_t kPackKinds[kCats] = {kEmpty, kCop, kActive0, kActive1, kQuiet0, kQuiet1};

// Off-grid rows and the rows that pad the last word: bytes of no kind.
alignas(32) const std::uint8_t kNoKind[32] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                                             0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                                             0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};

inline const std::uint8_t* RowAt(const std::uint8_t* base, long stride, int nrows, int r) {
  return r < nrows ? base + r * stride : kNoKind;
}

// Packs the rows (row r < nrows at base + r * stride, with at least 2^shift
// readable bytes; rows from nrows on match no kind) into words: out[k][i]
// gets, for kind kPackKinds[k] (k0 <= k < nk), the equality masks of the
// rows of word i, before the row mask is applied. Three versions: AVX-512BW
// compares four (or two) rows at once into a 64-bit mask, AVX2 two (or one),
// SSE2 one (or half of one).
#ifdef __SSE2__
void PackSse2(const std::uint8_t* base, long stride, int nrows, int words, int shift, int k0,
              int nk, std::uint64_t (*out)[16]) {
  const int per = 64 >> shift;
  for (int k = k0; k < nk; ++k) {
    const __m128i kk = _mm_set1_epi8(static_cast<char>(kPackKinds[k]));
    for (int i = 0; i < words; ++i) {
      std::uint64_t word = 0;
      for (int s = 0; s < per; ++s) {
        const std::uint8_t* r = RowAt(base, stride, nrows, i * per + s);
        std::uint64_t bits = static_cast<std::uint32_t>(
            _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(r)), kk)));
        if (shift == 5) {
          bits |= static_cast<std::uint64_t>(static_cast<std::uint32_t>(_mm_movemask_epi8(
                      _mm_cmpeq_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(r + 16)), kk))))
                  << 16;
        }
        word |= bits << (s << shift);
      }
      out[k][i] = word;
    }
  }
}
#else
void PackSse2(const std::uint8_t* base, long stride, int nrows, int words, int shift, int k0,
              int nk, std::uint64_t (*out)[16]) {
  const int per = 64 >> shift, len = 1 << shift;
  for (int k = k0; k < nk; ++k) {
    for (int i = 0; i < words; ++i) {
      std::uint64_t word = 0;
      for (int s = 0; s < per; ++s) {
        const std::uint8_t* r = RowAt(base, stride, nrows, i * per + s);
        for (int b = 0; b < len; ++b) word |= static_cast<std::uint64_t>(r[b] == kPackKinds[k]) << ((s << shift) + b);
      }
      out[k][i] = word;
    }
  }
}
#endif

#if defined(__GNUC__) && defined(__x86_64__)
#define VIGIL_SIM_X86 1
__attribute__((target("avx2"))) void PackAvx2(const std::uint8_t* base, long stride, int nrows, int words,
                                              int shift, int k0, int nk, std::uint64_t (*out)[16]) {
  for (int i = 0; i < words; ++i) {
    __m256i a, b;  // the word's rows: two per register of 16-site rows, one of 32-site rows
    if (shift == 4) {
      auto row = [&](int s) { return reinterpret_cast<const __m128i*>(RowAt(base, stride, nrows, 4 * i + s)); };
      a = _mm256_set_m128i(_mm_loadu_si128(row(1)), _mm_loadu_si128(row(0)));
      b = _mm256_set_m128i(_mm_loadu_si128(row(3)), _mm_loadu_si128(row(2)));
    } else {
      a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(RowAt(base, stride, nrows, 2 * i)));
      b = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(RowAt(base, stride, nrows, 2 * i + 1)));
    }
    for (int k = k0; k < nk; ++k) {
      const __m256i kk = _mm256_set1_epi8(static_cast<char>(kPackKinds[k]));
      const std::uint32_t lo = static_cast<std::uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(a, kk)));
      const std::uint32_t hi = static_cast<std::uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(b, kk)));
      out[k][i] = lo | static_cast<std::uint64_t>(hi) << 32;
    }
  }
}

// GCC 12 reports the deliberately undefined upper half inside
// _mm512_inserti64x4 as maybe uninitialized (a known false positive).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
__attribute__((target("avx512f,avx512bw"))) void PackAvx512(const std::uint8_t* base, long stride, int nrows,
                                                             int words, int shift, int k0, int nk,
                                                             std::uint64_t (*out)[16]) {
  for (int i = 0; i < words; ++i) {
    __m512i z;
    if (shift == 4) {
      auto row = [&](int s) { return reinterpret_cast<const __m128i*>(RowAt(base, stride, nrows, 4 * i + s)); };
      z = _mm512_zextsi128_si512(_mm_loadu_si128(row(0)));
      z = _mm512_inserti32x4(z, _mm_loadu_si128(row(1)), 1);
      z = _mm512_inserti32x4(z, _mm_loadu_si128(row(2)), 2);
      z = _mm512_inserti32x4(z, _mm_loadu_si128(row(3)), 3);
    } else {
      auto row = [&](int s) { return reinterpret_cast<const __m256i*>(RowAt(base, stride, nrows, 2 * i + s)); };
      z = _mm512_zextsi256_si512(_mm256_loadu_si256(row(0)));
      z = _mm512_inserti64x4(z, _mm256_loadu_si256(row(1)), 1);
    }
    for (int k = k0; k < nk; ++k) out[k][i] = _mm512_cmpeq_epi8_mask(z, _mm512_set1_epi8(static_cast<char>(kPackKinds[k])));
  }
}
#pragma GCC diagnostic pop
#endif

// The widest packer this processor runs. VIGIL_SIM_ISA=base|avx2 caps the
// choice (for testing the fallbacks); all give the same masks.
PackFn Packer() {
  static const PackFn fn = [] {
    const char* cap = std::getenv("VIGIL_SIM_ISA");
    const std::string want = cap != nullptr ? cap : "";
#ifdef VIGIL_SIM_X86
    __builtin_cpu_init();
    if (want != "base" && want != "avx2" && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")) {
      return &PackAvx512;
    }
    if (want != "base" && __builtin_cpu_supports("avx2")) return &PackAvx2;
#endif
    return &PackSse2;
  }();
  return fn;
}

}  // namespace

// Keeps only the 2v+1 sites of each slot, not the site itself; completes
// the group categories and counts.
inline void EpsteinModel::MaskAndCount(int v, int k0, int nk, Window& w) {
  const int rows = 2 * v + 1, per = 64 >> w.shift;
  const std::uint64_t slot = (std::uint64_t{1} << rows) - 1;
  const std::uint64_t keep = w.shift == 4 ? slot * 0x0001000100010001ull : slot * 0x0000000100000001ull;
  const int self_word = v / per;
  const std::uint64_t self_bit = std::uint64_t{1} << (((v % per) << w.shift) + v);
  for (int c = k0; c < nk; ++c) {
    int n = 0;
    for (int i = 0; i < w.words; ++i) {
      std::uint64_t m = w.m[c][i] & keep;
      if (i == self_word) m &= ~self_bit;
      w.m[c][i] = m;
      n += __builtin_popcountll(m);
    }
    w.count[c] = n;
  }
  if (nk == kCats) {  // the groups: quiet (so far) and active members
    for (int g = 0; g < 2; ++g) {
      for (int i = 0; i < w.words; ++i) w.m[kCatGroup0 + g][i] |= w.m[kCatActive0 + g][i];
      w.count[kCatGroup0 + g] += w.count[kCatActive0 + g];
    }
  }
}

// Builds the masks (and their counts) of categories [k0, nk) (see Look).
void EpsteinModel::BuildWindow(std::int32_t pos, int v, Window& w, int k0, int nk) const {
  w.v = v;
  w.y = RowOf(pos);
  w.x = pos - w.y * W_;
  const int rows = 2 * v + 1;
  w.shift = rows <= 16 ? 4 : 5;
  const int per = 64 >> w.shift;
  w.words = (rows + per - 1) / per;
  const bool inside = w.x - v >= 0 && w.x + v < W_;
  // Each row's 2v+1 sites as contiguous bytes: in place when the window
  // does not wrap (the common case), else gathered.
  if (inside && w.y - v >= 0 && w.y + v < H_) {
    pack_(kind_.data() + (w.y - v) * W_ + w.x - v, W_, rows, w.words, w.shift, k0, nk, w.m);
  } else {
    alignas(32) std::uint8_t buf[31][32];
    GatherRows(v, w, buf);
    pack_(buf[0], 32, rows, w.words, w.shift, k0, nk, w.m);
  }
  MaskAndCount(v, k0, nk, w);
}

// The rows of a window that wraps or leaves a bounded grid, copied into
// buf (off-grid sites of a bounded grid get a kind that matches no category).
void EpsteinModel::GatherRows(int v, const Window& w, std::uint8_t (*buf)[32]) const {
  const int rows = 2 * v + 1;
  const std::int32_t* wy = wrapy_.data() + vmax_ + w.y;
  const std::int32_t* wx = wrapx_.data() + vmax_ + w.x;
  const bool inside = w.x - v >= 0 && w.x + v < W_;
  for (int i = 0; i < rows; ++i) {
    const std::int32_t row = wy[i - v];
    std::memset(buf[i], 0xFF, 32);  // bytes past the row are read (and masked off)
    if (row < 0) {
      continue;
    } else if (inside) {
      std::memcpy(buf[i], kind_.data() + row + w.x - v, rows);
    } else if (p_.torus && W_ >= rows) {  // the row wraps: two contiguous pieces
      const int start = (w.x - v + W_) % W_;
      const int n1 = std::min(rows, W_ - start);
      std::memcpy(buf[i], kind_.data() + row + start, n1);
      std::memcpy(buf[i] + n1, kind_.data() + row, rows - n1);
    } else {
      for (int b = 0; b < rows; ++b) {
        const std::int32_t cx = wx[b - v];
        buf[i][b] = cx >= 0 ? kind_[row + cx] : 0xFF;
      }
    }
  }
}

// The window an agent acts on: categories k0 (kCatCop for a citizen,
// kCatActive0 for a cop) up to the last its model uses; empty sites are not
// needed once an agent has moved.
void EpsteinModel::Look(std::int32_t pos, int v, Window& w, int k0) const {
  BuildWindow(pos, v, w, k0, p_.model == 1 ? kCatActive0 + 1 : kCats);
}

// Moves the agent at `from` to `to` and builds its window (Look) around
// `to`. The window is read before the move is written (the site `from` is
// then patched out) so that the row loads do not wait on the byte stores of
// the move (a store-to-load forwarding stall); the masks are the same as
// when built after the move.
void EpsteinModel::MoveAndLook(std::int32_t from, std::int32_t to, int v, Window& w, int k0) {
  if (W_ < 2 * v + 1 || H_ < 2 * v + 1) {  // a window that overlaps itself: the plain order
    MoveCell(from, to);
    Look(to, v, w, k0);
    return;
  }
  Look(to, v, w, k0);
  const int fy = RowOf(from), fx = from - fy * W_;
  int dx = fx - w.x, dy = fy - w.y;
  if (dx > v) dx -= W_;
  if (dx < -v) dx += W_;
  if (dy > v) dy -= H_;
  if (dy < -v) dy += H_;
  const int i = dy + v, per = 64 >> w.shift;
  const int word = i / per;
  const std::uint64_t bit = std::uint64_t{1} << (((i % per) << w.shift) + dx + v);
  const int ncat = p_.model == 1 ? kCatActive0 + 1 : kCats;
  for (int c = k0; c < ncat; ++c) {
    w.count[c] -= (w.m[c][word] & bit) != 0;
    w.m[c][word] &= ~bit;
  }
  MoveCell(from, to);
}

// A uniformly drawn empty site among the (2v+1)^2 - 1 sites around pos, or
// -1 if there is none. Draws random sites of the window first (rejection
// sampling: the site accepted is uniform among the empty ones) and only
// after kProbes misses builds the window's empty mask and draws from it.
std::int32_t EpsteinModel::EmptyInVision(std::int32_t pos, int v, Rng& rng) const {
  constexpr int kProbes = 12;
  const int y = RowOf(pos), x = pos - y * W_;
  const std::uint64_t n = static_cast<std::uint64_t>(2 * v + 1);
  const std::int32_t* wy = wrapy_.data() + vmax_ + y - v;
  const std::int32_t* wx = wrapx_.data() + vmax_ + x - v;
  for (int t = 0; t < kProbes; ++t) {
    const std::uint64_t r = rng.Next();
    const int dx = static_cast<int>(((r >> 32) * n) >> 32), dy = static_cast<int>(((r & 0xFFFFFFFFu) * n) >> 32);
    if (dx == v && dy == v) continue;
    const std::int32_t cy = wy[dy], cx = wx[dx];
    if (cy < 0 || cx < 0) continue;
    if (kind_[cy + cx] == kEmpty) return cy + cx;
  }
  Window w;
  BuildWindow(pos, v, w, kCatEmpty, kCatEmpty + 1);
  const int ne = Count(w, kCatEmpty);
  return ne > 0 ? Pick(w, kCatEmpty, rng.Below(static_cast<std::uint32_t>(ne))) : -1;
}

int EpsteinModel::Count(const Window& w, int cat) const { return w.count[cat]; }

namespace {

// The index of the set bit of rank r (0 = lowest) of m; r < popcount(m).
int SelectPortable(std::uint64_t m, std::uint32_t r) {
  int base = 0;
  for (;; base += 16, m >>= 16) {  // the 16-bit piece holding it
    const std::uint32_t c = static_cast<std::uint32_t>(__builtin_popcountll(m & 0xFFFF));
    if (r < c) break;
    r -= c;
  }
  for (; r > 0; --r) m &= m - 1;
  return base + __builtin_ctzll(m);
}

#ifdef VIGIL_SIM_X86
__attribute__((target("bmi2"))) int SelectBmi2(std::uint64_t m, std::uint32_t r) {
  return __builtin_ctzll(_pdep_u64(std::uint64_t{1} << r, m));
}
#endif

// PDEP where it is fast (processors with AVX-512BW; it is microcoded on
// some older AMD processors), else the portable loop.
SelectFn Selector() {
  static const SelectFn fn = [] {
#ifdef VIGIL_SIM_X86
    if (Packer() == &PackAvx512 && __builtin_cpu_supports("bmi2")) return &SelectBmi2;
#endif
    return &SelectPortable;
  }();
  return fn;
}

}  // namespace

std::int32_t EpsteinModel::Pick(const Window& w, int cat, std::uint32_t r) const {
  for (int i = 0; i < w.words; ++i) {
    const std::uint64_t m = w.m[cat][i];
    const std::uint32_t c = static_cast<std::uint32_t>(__builtin_popcountll(m));
    if (r >= c) {
      r -= c;
      continue;
    }
    const int bit = select_(m, r);
    const int row = i * (64 >> w.shift) + (bit >> w.shift), col = bit & ((1 << w.shift) - 1);
    return wrapy_[vmax_ + w.y + row - w.v] + wrapx_[vmax_ + w.x + col - w.v];
  }
  assert(false && "Pick: rank beyond count");
  return -1;
}

std::int32_t EpsteinModel::RandomEmpty(const std::int32_t* sites, int n, Rng& rng) const {
  std::int32_t cand[kMaxSites];
  int ne = 0;
  for (int i = 0; i < n; ++i) {
    cand[ne] = sites[i];
    ne += kind_[sites[i]] == kEmpty;
  }
  return ne > 0 ? cand[rng.Below(static_cast<std::uint32_t>(ne))] : -1;
}

void EpsteinModel::Citizen(std::int32_t pos, Rng& rng, BlockOut& out) {
  const int v = p_.agent_vision;
  const std::uint8_t k0 = kind_[pos];
  const int g = GroupOf(k0);
  if (p_.model == 2) {
    if (++age_[pos] > max_age_[pos]) {
      kind_[pos] = kEmpty;
      ++out.deaths[g];
      return;
    }
  }
  int cops = 0, actives = 1, others = 0;
  std::int32_t victim = -1;
  if (moore_) {
    Window w;
    // Rule M: move to a random empty site within vision.
    const std::int32_t to = EmptyInVision(pos, v, rng);
    // Model I: an agent whose grievance is at most T stays quiet whatever
    // it sees (N >= 0), and one with G - R > T turns active whatever it sees
    // (N <= R since P <= 1; both hold in floating point, as rounding is
    // monotone), so only the others need the window's counts.
    if (p_.model == 1) {
      const double grievance = hr_[pos].h * (1.0 - L_[g]);
      if (grievance <= p_.threshold || grievance - hr_[pos].r > p_.threshold) {
        if (to >= 0) {
          MoveCell(pos, to);
          pos = to;
        }
        kind_[pos] = CitizenKind(g, grievance > p_.threshold);
        return;
      }
    }
    if (to >= 0) {
      MoveAndLook(pos, to, v, w, kCatCop);
      pos = to;
    } else {
      Look(pos, v, w, kCatCop);
    }
    cops = Count(w, kCatCop);
    actives += Count(w, g == 0 ? kCatActive0 : kCatActive1);
    if (p_.model == 2) {
      others = Count(w, g == 0 ? kCatGroup1 : kCatGroup0);
      if (others > 0) victim = Pick(w, g == 0 ? kCatGroup1 : kCatGroup0, rng.Below(static_cast<std::uint32_t>(others)));
    }
  } else {
    std::int32_t nb[kMaxSites], cand[kMaxSites];
    int n = Neighbors(pos, v, nb);
    if (const std::int32_t to = RandomEmpty(nb, n, rng); to >= 0) {
      MoveCell(pos, to);
      pos = to;
      n = Neighbors(pos, v, nb);
    }
    const std::uint8_t own_active = CitizenKind(g, true);
    for (int i = 0; i < n; ++i) {
      const std::uint8_t k = kind_[nb[i]];
      cops += k == kCop;
      actives += k == own_active;
      cand[others] = nb[i];
      others += IsCitizen(k) && GroupOf(k) != g;
    }
    if (p_.model == 2 && others > 0) victim = cand[rng.Below(static_cast<std::uint32_t>(others))];
  }
  // Rule A.
  double p_arrest;
  if (p_.floor_ratio) {
    p_arrest = ptable_[std::min(cops / actives, 63)];
  } else {
    p_arrest = 1.0 - std::exp(-p_.k * static_cast<double>(cops) / actives);
  }
  const double grievance = hr_[pos].h * (1.0 - L_[g]);
  bool active = grievance - hr_[pos].r * p_arrest > p_.threshold;
  if (p_.model == 2) {
    active = active && victim >= 0;
    if (active) {
      ++out.kills[GroupOf(kind_[victim])];
      kind_[victim] = kEmpty;
    }
  }
  kind_[pos] = CitizenKind(g, active);
  if (p_.model == 2 && p_.birth_rate > 0 && rng.Chance(p_.birth_rate)) {
    std::int32_t child = -1;
    if (moore_) {
      child = EmptyInVision(pos, v, rng);
    } else {
      std::int32_t nb[kMaxSites];
      child = RandomEmpty(nb, Neighbors(pos, v, nb), rng);
    }
    if (child >= 0) {
      PlaceNewAgent(child, g, rng);
      ++out.births[g];
    }
  }
}

void EpsteinModel::Cop(std::int32_t pos, Rng& rng, BlockOut& out) {
  const int v = p_.cop_vision;
  std::int32_t a = -1;
  if (moore_) {
    Window w;
    if (const std::int32_t to = EmptyInVision(pos, v, rng); to >= 0) {
      MoveAndLook(pos, to, v, w, kCatActive0);
      pos = to;
    } else {
      Look(pos, v, w, kCatActive0);
    }
    const int n0 = Count(w, kCatActive0);
    const int n1 = p_.model == 2 ? Count(w, kCatActive1) : 0;
    if (n0 + n1 > 0) {
      const std::uint32_t r = rng.Below(static_cast<std::uint32_t>(n0 + n1));
      a = static_cast<int>(r) < n0 ? Pick(w, kCatActive0, r) : Pick(w, kCatActive1, r - n0);
    }
  } else {
    std::int32_t nb[kMaxSites], cand[kMaxSites];
    int n = Neighbors(pos, v, nb);
    if (const std::int32_t to = RandomEmpty(nb, n, rng); to >= 0) {
      MoveCell(pos, to);
      pos = to;
      n = Neighbors(pos, v, nb);
    }
    int na = 0;
    for (int i = 0; i < n; ++i) {
      cand[na] = nb[i];
      na += IsActive(kind_[nb[i]]);
    }
    if (na > 0) a = cand[rng.Below(static_cast<std::uint32_t>(na))];
  }
  if (a < 0) return;
  Jailed j;
  j.h = hr_[a].h;
  j.r = hr_[a].r;
  j.age = p_.model == 2 ? age_[a] : 0;
  j.max_age = p_.model == 2 ? max_age_[a] : 0;
  j.group = static_cast<std::uint8_t>(GroupOf(kind_[a]));
  j.term = rng.Between(0, p_.max_jail);
  j.pos = a;
  out.jailed.push_back(j);
  kind_[a] = kEmpty;
  ++out.arrests;
}

void EpsteinModel::RunBlock(int block, std::uint64_t key, BlockOut& out) {
  Rng rng(key);
  auto& order = out.order;
  order.clear();
  const std::int32_t begin = block_rows_[block] * W_, end = block_rows_[block + 1] * W_;
  const std::uint8_t st = static_cast<std::uint8_t>(step_);
  for (std::int32_t c = begin; c < end; ++c) {
    if (kind_[c] != kEmpty && stamp_[c] != st) order.push_back(c);
  }
  for (std::size_t i = order.size(); i > 1; --i) {
    std::size_t j = rng.Below(static_cast<std::uint32_t>(i));
    std::swap(order[i - 1], order[j]);
  }
  for (std::int32_t c : order) {
    const std::uint8_t k = kind_[c];
    if (k == kEmpty || stamp_[c] == st) continue;  // removed, or an agent that already acted moved here
    stamp_[c] = st;
    if (k == kCop) {
      Cop(c, rng, out);
    } else {
      Citizen(c, rng, out);
    }
  }
}

void EpsteinModel::SerialPhase(Rng& rng) {
  for (const auto& c : p_.legitimacy_schedule) {
    if (c.step != step_) continue;
    if (c.group != 1) L_[0] = c.value;
    if (c.group != 0) L_[1] = c.value;
  }
  const std::int64_t cells = static_cast<std::int64_t>(W_) * H_;
  for (const auto& c : p_.cop_schedule) {
    if (c.step != step_) continue;
    std::vector<std::int32_t> cops, empty;
    for (std::int32_t i = 0; i < cells; ++i) {
      if (kind_[i] == kCop) cops.push_back(i);
      if (kind_[i] == kEmpty) empty.push_back(i);
    }
    const std::int64_t want = std::llround(c.density * cells);
    const std::int64_t have = static_cast<std::int64_t>(cops.size());
    if (want < have) {  // remove random cops
      for (std::int64_t i = 0; i < have - want; ++i) {
        std::size_t j = i + rng.Below(static_cast<std::uint32_t>(have - i));
        std::swap(cops[i], cops[j]);
        kind_[cops[i]] = kEmpty;
      }
    } else {
      const std::int64_t add = std::min<std::int64_t>(want - have, static_cast<std::int64_t>(empty.size()));
      for (std::int64_t i = 0; i < add; ++i) {
        std::size_t j = i + rng.Below(static_cast<std::uint32_t>(empty.size() - i));
        std::swap(empty[i], empty[j]);
        kind_[empty[i]] = kCop;
        stamp_[empty[i]] = static_cast<std::uint8_t>(step_);
      }
    }
  }
  // Jail: release those whose term is served, to the arrest site if empty,
  // else to a random empty site within vision of it; otherwise wait a step.
  std::int32_t nb[kMaxSites];
  std::size_t keep = 0;
  for (std::size_t i = 0; i < jail_.size(); ++i) {
    Jailed j = jail_[i];
    if (j.term > 0) {
      --j.term;
      jail_[keep++] = j;
      continue;
    }
    std::int32_t to = -1;
    if (kind_[j.pos] == kEmpty) {
      to = j.pos;
    } else {
      to = moore_ ? EmptyInVision(j.pos, p_.agent_vision, rng)
                  : RandomEmpty(nb, Neighbors(j.pos, p_.agent_vision, nb), rng);
    }
    if (to < 0) {
      jail_[keep++] = j;
      continue;
    }
    kind_[to] = CitizenKind(j.group, false);
    hr_[to] = Traits{j.h, j.r};
    stamp_[to] = static_cast<std::uint8_t>(step_ - 1);  // acts this step
    if (p_.model == 2) {
      age_[to] = j.age;
      max_age_[to] = j.max_age;
    }
  }
  jail_.resize(keep);
}

EpsteinStep EpsteinModel::Step(int threads) {
  ++step_;
  Rng rng(StreamKey(p_.seed, static_cast<std::uint64_t>(step_), 0xFFFFFFFFull));
  SerialPhase(rng);
  const int nb = blocks();
  arrests_ = 0;
  for (int g = 0; g < 2; ++g) kills_[g] = births_[g] = deaths_[g] = 0;
  auto collect = [&](BlockOut& o) {
    arrests_ += o.arrests;
    for (int g = 0; g < 2; ++g) {
      kills_[g] += o.kills[g];
      births_[g] += o.births[g];
      deaths_[g] += o.deaths[g];
      o.kills[g] = o.births[g] = o.deaths[g] = 0;
    }
    o.arrests = 0;
    jail_.insert(jail_.end(), o.jailed.begin(), o.jailed.end());
    o.jailed.clear();
  };
  if (nb == 1) {
    RunBlock(0, StreamKey(p_.seed, static_cast<std::uint64_t>(step_), 1), outs_[0]);
    collect(outs_[0]);
  } else {
    const int first = static_cast<int>(rng.Below(2));
    for (int phase = 0; phase < 2; ++phase) {
      const int parity = (first + phase) % 2;
      std::vector<int> ids;
      for (int b = parity; b < nb; b += 2) ids.push_back(b);
      ParallelFor(ids.size(), threads, [&](std::size_t i) {
        const int b = ids[i];
        RunBlock(b, StreamKey(p_.seed, static_cast<std::uint64_t>(step_), static_cast<std::uint64_t>(b) + 1), outs_[b]);
      });
      for (int b : ids) collect(outs_[b]);
    }
  }
  return Snapshot();
}

EpsteinStep EpsteinModel::Snapshot() const {
  EpsteinStep s;
  s.step = step_;
  std::int64_t counts[6] = {0, 0, 0, 0, 0, 0};
  const std::int64_t cells = static_cast<std::int64_t>(W_) * H_;
  for (std::int64_t i = 0; i < cells; ++i) ++counts[kind_[i]];
  s.cops = static_cast<int>(counts[kCop]);
  s.quiet[0] = static_cast<int>(counts[kQuiet0]);
  s.active[0] = static_cast<int>(counts[kActive0]);
  s.quiet[1] = static_cast<int>(counts[kQuiet1]);
  s.active[1] = static_cast<int>(counts[kActive1]);
  for (const auto& j : jail_) ++s.jailed[j.group];
  s.arrests = arrests_;
  for (int g = 0; g < 2; ++g) {
    s.kills[g] = kills_[g];
    s.births[g] = births_[g];
    s.deaths[g] = deaths_[g];
    s.legitimacy[g] = L_[g];
  }
  return s;
}

Result<EpsteinRun> RunEpstein(const EpsteinParams& p, int threads,
                              const std::function<void(const EpsteinStep&)>& on_step) {
  VIGIL_RETURN_IF_ERROR(ValidateEpstein(p));
  EpsteinModel m(p);
  EpsteinRun run;
  run.agents = m.Agents();
  run.series.reserve(p.steps);
  for (int t = 0; t < p.steps; ++t) {
    run.series.push_back(m.Step(threads));
    if (on_step) on_step(run.series.back());
  }
  return run;
}

std::string EpsteinCsvHeader(int model) {
  if (model == 1) return "step,legitimacy,quiet,active,jailed,cops,arrests";
  return "step,legitimacy_0,legitimacy_1,quiet_0,active_0,jailed_0,quiet_1,active_1,jailed_1,cops,arrests,"
         "killed_0,killed_1,births_0,births_1,deaths_0,deaths_1";
}

std::string EpsteinCsvRow(const EpsteinStep& s, int model) {
  if (model == 1) {
    return fmt::format("{},{},{},{},{},{},{}", s.step, s.legitimacy[0], s.quiet[0], s.active[0], s.jailed[0], s.cops,
                       s.arrests);
  }
  return fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}", s.step, s.legitimacy[0], s.legitimacy[1],
                     s.quiet[0], s.active[0], s.jailed[0], s.quiet[1], s.active[1], s.jailed[1], s.cops, s.arrests,
                     s.kills[0], s.kills[1], s.births[0], s.births[1], s.deaths[0], s.deaths[1]);
}

}  // namespace vigil::sim
