#include "monitor/events/aggregate.h"

#include <algorithm>
#include <cassert>

#include "monitor/events/detect.h"

namespace vigil::events {

const char* AggregateLevelName(AggregateLevel level) {
  switch (level) {
    case AggregateLevel::kCountry: return "country";
    case AggregateLevel::kAdmin1: return "admin1";
    case AggregateLevel::kCell: return "cell";
    case AggregateLevel::kActorPair: return "actor-pair";
  }
  return "country";
}

Result<AggregateLevel> ParseAggregateLevel(std::string_view name) {
  for (AggregateLevel l : {AggregateLevel::kCountry, AggregateLevel::kAdmin1, AggregateLevel::kCell,
                           AggregateLevel::kActorPair}) {
    if (name == AggregateLevelName(l)) return l;
  }
  return Status::InvalidArgument("unknown aggregation level '" + std::string(name) +
                                 "' (country, admin1, cell, actor-pair)");
}

namespace {

// 64-bit key -> dense index, open addressing with linear probing. Keys must
// not be kEmpty.
class FlatIndex {
 public:
  static constexpr std::uint64_t kEmpty = ~std::uint64_t{0};

  explicit FlatIndex(std::size_t expected = 1024) {
    std::size_t cap = 64;
    while (cap < expected * 2) cap <<= 1;
    keys_.assign(cap, kEmpty);
    vals_.resize(cap);
    mask_ = cap - 1;
  }

  // The index of `key`, inserting it with index size() if new.
  std::uint32_t FindOrInsert(std::uint64_t key, bool* inserted) {
    assert(key != kEmpty);
    std::size_t i = Hash(key) & mask_;
    while (true) {
      if (keys_[i] == key) {
        *inserted = false;
        return vals_[i];
      }
      if (keys_[i] == kEmpty) break;
      i = (i + 1) & mask_;
    }
    if ((size_ + 1) * 2 > keys_.size()) {
      Grow();
      return FindOrInsert(key, inserted);
    }
    keys_[i] = key;
    vals_[i] = static_cast<std::uint32_t>(size_);
    ++size_;
    *inserted = true;
    return vals_[i];
  }
  std::size_t size() const { return size_; }

 private:
  static std::uint64_t Hash(std::uint64_t x) {  // splitmix64 finalizer
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
  }
  void Grow() {
    std::vector<std::uint64_t> keys(keys_.size() * 2, kEmpty);
    std::vector<std::uint32_t> vals(keys.size());
    const std::size_t mask = keys.size() - 1;
    for (std::size_t j = 0; j < keys_.size(); ++j) {
      if (keys_[j] == kEmpty) continue;
      std::size_t i = Hash(keys_[j]) & mask;
      while (keys[i] != kEmpty) i = (i + 1) & mask;
      keys[i] = keys_[j];
      vals[i] = vals_[j];
    }
    keys_.swap(keys);
    vals_.swap(vals);
    mask_ = mask;
  }

  std::vector<std::uint64_t> keys_;
  std::vector<std::uint32_t> vals_;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
};

constexpr int kMonthBits = 20;

}  // namespace

namespace {

// Rows that pass the filter, their day range and a day -> month offset table.
struct Kept {
  std::vector<std::uint32_t> rows;
  Day min_day = 0, max_day = 0;
  MonthIndex base = 0;  // month of min_day
  int months = 0;
  std::vector<std::uint32_t> day_off;  // [day - min_day] -> month - base
};

Kept Filter(const EventColumns& ev, const AggregateFilter& filter) {
  Kept k;
  std::vector<std::uint8_t> want_gw;
  if (!filter.gw.empty()) {
    want_gw.assign(1024, 0);
    for (int g : filter.gw) {
      if (g >= 0 && g < 1024) want_gw[static_cast<std::size_t>(g)] = 1;
    }
  }
  const Day first_day = filter.from == std::numeric_limits<MonthIndex>::min()
                            ? std::numeric_limits<Day>::min()
                            : FirstDayOfMonth(filter.from);
  const Day last_day = filter.to == std::numeric_limits<MonthIndex>::max()
                           ? std::numeric_limits<Day>::max()
                           : LastDayOfMonth(filter.to);
  k.rows.reserve(ev.size());
  k.min_day = std::numeric_limits<Day>::max();
  k.max_day = std::numeric_limits<Day>::min();
  for (std::size_t i = 0; i < ev.size(); ++i) {
    const Day d = ev.day[i];
    if (d < first_day || d > last_day) continue;
    const int gw = ev.gw[i];
    assert(gw >= 0 && gw < 1024 && "gw out of range");
    if (!want_gw.empty() && !want_gw[static_cast<std::size_t>(gw)]) continue;
    k.rows.push_back(static_cast<std::uint32_t>(i));
    k.min_day = std::min(k.min_day, d);
    k.max_day = std::max(k.max_day, d);
  }
  if (k.rows.empty()) return k;
  k.base = MonthOf(k.min_day);
  const MonthIndex last = MonthOf(k.max_day);
  k.months = last - k.base + 1;
  assert(k.months < (1 << kMonthBits));
  k.day_off.resize(static_cast<std::size_t>(k.max_day - k.min_day) + 1);
  for (MonthIndex m = k.base; m <= last; ++m) {
    const Day lo = std::max(k.min_day, FirstDayOfMonth(m)), hi = std::min(k.max_day, LastDayOfMonth(m));
    for (Day d = lo; d <= hi; ++d) k.day_off[static_cast<std::size_t>(d - k.min_day)] = static_cast<std::uint32_t>(m - k.base);
  }
  return k;
}

// Adds row i of `ev` to `u` (everything but the distinct actor pairs).
inline void Accumulate(const EventColumns& ev, std::size_t i, UnitMonth* u) {
  const std::int32_t best = ev.deaths_best[i];
  const Violence v = ev.violence[i];
  const bool targeting = ev.civilian_targeting[i] != 0;
  ++u->events;
  u->deaths += best;
  u->deaths_state_based += v == Violence::kStateBased ? best : 0;
  u->deaths_non_state += v == Violence::kNonState ? best : 0;
  u->deaths_one_sided += v == Violence::kOneSided ? best : 0;
  u->civilian_deaths += CivilianDeaths(v, targeting, best, ev.deaths_civilians[i]);
  u->one_sided_events += (v == Violence::kOneSided || targeting) ? 1 : 0;
}

}  // namespace

AggregateTable Aggregate(const EventColumns& ev, AggregateLevel level, const AggregateFilter& filter) {
  AggregateTable table;
  table.level = level;
  Kept k = Filter(ev, filter);
  table.events_used = k.rows.size();
  if (k.rows.empty()) return table;
  const std::size_t n = k.rows.size();
  const std::size_t months = static_cast<std::size_t>(k.months);

  // Pass 1: actor pair and unit of every row. Units get dense ids in order
  // of first appearance; `unit_rep` keeps a row of each for its fields.
  FlatIndex pairs(4096), units(1024);
  std::vector<std::uint32_t> row_pair(n), row_unit(n);
  std::vector<std::uint32_t> unit_rep;
  std::vector<std::int32_t> gw_unit(level == AggregateLevel::kCountry ? 1024 : 0, -1);
  bool inserted;
  for (std::size_t r = 0; r < n; ++r) {
    const std::uint32_t i = k.rows[r];
    const std::uint64_t pair_key = static_cast<std::uint64_t>(ev.actor1_id[i]) << 32 | ev.actor2_id[i];
    const std::uint32_t pair = pairs.FindOrInsert(pair_key, &inserted);
    row_pair[r] = pair;
    const auto g = static_cast<std::uint64_t>(ev.gw[i]);
    std::uint32_t unit;
    if (level == AggregateLevel::kCountry) {
      std::int32_t& u = gw_unit[g];
      if (u < 0) {
        u = static_cast<std::int32_t>(unit_rep.size());
        unit_rep.push_back(i);
      }
      unit = static_cast<std::uint32_t>(u);
    } else {
      std::uint64_t key = 0;
      if (level == AggregateLevel::kAdmin1) key = g << 32 | ev.admin1_id[i];
      if (level == AggregateLevel::kCell) key = g << 32 | static_cast<std::uint32_t>(ev.cell[i]);
      if (level == AggregateLevel::kActorPair) key = g << 32 | pair;
      unit = units.FindOrInsert(key, &inserted);
      if (inserted) unit_rep.push_back(i);
    }
    row_unit[r] = unit;
  }

  // Units in output order: gw, then admin1 name / cell / actor names.
  const auto& s = ev.strings;
  std::vector<std::uint32_t> order(unit_rep.size());
  for (std::size_t u = 0; u < order.size(); ++u) order[u] = static_cast<std::uint32_t>(u);
  std::sort(order.begin(), order.end(), [&](std::uint32_t x, std::uint32_t y) {
    const std::uint32_t a = unit_rep[x], b = unit_rep[y];
    if (ev.gw[a] != ev.gw[b]) return ev.gw[a] < ev.gw[b];
    switch (level) {
      case AggregateLevel::kCountry: return false;
      case AggregateLevel::kAdmin1: return s[ev.admin1_id[a]] < s[ev.admin1_id[b]];
      case AggregateLevel::kCell: return ev.cell[a] < ev.cell[b];
      case AggregateLevel::kActorPair:
        if (s[ev.actor1_id[a]] != s[ev.actor1_id[b]]) return s[ev.actor1_id[a]] < s[ev.actor1_id[b]];
        return s[ev.actor2_id[a]] < s[ev.actor2_id[b]];
    }
    return false;
  });
  std::vector<std::uint32_t> rank(order.size());
  for (std::size_t p = 0; p < order.size(); ++p) rank[order[p]] = static_cast<std::uint32_t>(p);

  // Pass 2: group of every row. A dense (unit rank, month) slot table gives
  // groups numbered in output order when it fits; otherwise a hash table and
  // a sort.
  std::vector<std::uint32_t> row_group(n);
  std::vector<std::uint32_t> group_rep;  // a row of each group
  std::vector<std::uint32_t> group_off;  // its month offset
  const std::uint64_t slots = static_cast<std::uint64_t>(order.size()) * months;
  if (slots <= filter.max_dense_slots) {
    std::vector<std::int32_t> slot(slots, -1);
    for (std::size_t r = 0; r < n; ++r) {
      const std::uint32_t i = k.rows[r];
      const std::size_t sl = static_cast<std::size_t>(rank[row_unit[r]]) * months +
                             k.day_off[static_cast<std::size_t>(ev.day[i] - k.min_day)];
      slot[sl] = static_cast<std::int32_t>(r);  // some row of this slot
      row_unit[r] = static_cast<std::uint32_t>(sl);
    }
    for (std::size_t sl = 0; sl < slots; ++sl) {
      if (slot[sl] < 0) continue;
      group_rep.push_back(k.rows[static_cast<std::size_t>(slot[sl])]);
      group_off.push_back(static_cast<std::uint32_t>(sl % months));
      slot[sl] = static_cast<std::int32_t>(group_rep.size() - 1);
    }
    for (std::size_t r = 0; r < n; ++r) row_group[r] = static_cast<std::uint32_t>(slot[row_unit[r]]);
  } else {
    FlatIndex groups(1 << 16);
    std::vector<std::uint64_t> group_key;
    for (std::size_t r = 0; r < n; ++r) {
      const std::uint32_t i = k.rows[r];
      const std::uint64_t key = static_cast<std::uint64_t>(rank[row_unit[r]]) << kMonthBits |
                                k.day_off[static_cast<std::size_t>(ev.day[i] - k.min_day)];
      const std::uint32_t gi = groups.FindOrInsert(key, &inserted);
      if (inserted) {
        group_rep.push_back(i);
        group_key.push_back(key);
      }
      row_group[r] = gi;
    }
    std::vector<std::uint32_t> gorder(group_key.size());
    for (std::size_t g = 0; g < gorder.size(); ++g) gorder[g] = static_cast<std::uint32_t>(g);
    std::sort(gorder.begin(), gorder.end(), [&](std::uint32_t a, std::uint32_t b) { return group_key[a] < group_key[b]; });
    std::vector<std::uint32_t> grank(gorder.size()), rep(gorder.size());
    group_off.resize(gorder.size());
    for (std::size_t p = 0; p < gorder.size(); ++p) {
      grank[gorder[p]] = static_cast<std::uint32_t>(p);
      rep[p] = group_rep[gorder[p]];
      group_off[p] = static_cast<std::uint32_t>(group_key[gorder[p]] & ((1u << kMonthBits) - 1));
    }
    group_rep.swap(rep);
    for (auto& g : row_group) g = grank[g];
  }

  // Rows of the output, in order, with their unit fields.
  std::vector<UnitMonth>& out = table.rows;
  out.resize(group_rep.size());
  for (std::size_t g = 0; g < out.size(); ++g) {
    const std::uint32_t i = group_rep[g];
    UnitMonth& u = out[g];
    u.gw = ev.gw[i];
    u.month = k.base + static_cast<MonthIndex>(group_off[g]);
    if (level == AggregateLevel::kAdmin1) u.admin1_id = ev.admin1_id[i];
    if (level == AggregateLevel::kCell) u.cell = ev.cell[i];
    if (level == AggregateLevel::kActorPair) {
      u.actor1_id = ev.actor1_id[i];
      u.actor2_id = ev.actor2_id[i];
    }
  }

  // Pass 3: sums, and rows counted per group for the distinct pairs.
  std::vector<std::uint32_t> start(out.size() + 1, 0);
  for (std::size_t r = 0; r < n; ++r) {
    const std::uint32_t g = row_group[r];
    Accumulate(ev, k.rows[r], &out[g]);
    ++start[g + 1];
  }
  // Distinct actor pairs: pair ids bucketed by group (counting sort), then
  // one pass per group with a "last group that saw this pair" array.
  for (std::size_t g = 0; g < out.size(); ++g) start[g + 1] += start[g];
  std::vector<std::uint32_t> bucket(n), fill(start.begin(), start.end() - 1);
  for (std::size_t r = 0; r < n; ++r) bucket[fill[row_group[r]]++] = row_pair[r];
  std::vector<std::uint32_t> last_group(pairs.size(), ~0u);
  for (std::size_t g = 0; g < out.size(); ++g) {
    std::int64_t distinct = 0;
    for (std::uint32_t b = start[g]; b < start[g + 1]; ++b) {
      std::uint32_t& lg = last_group[bucket[b]];
      if (lg != g) {
        lg = static_cast<std::uint32_t>(g);
        ++distinct;
      }
    }
    out[g].actor_pairs = distinct;
  }
  return table;
}

}  // namespace vigil::events
