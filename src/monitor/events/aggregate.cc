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

AggregateTable Aggregate(const EventColumns& ev, AggregateLevel level, const AggregateFilter& filter) {
  AggregateTable table;
  table.level = level;
  const std::size_t n = ev.size();

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
  // Month offsets are relative to the earliest month kept.
  MonthIndex base = std::numeric_limits<MonthIndex>::max();
  for (std::size_t i = 0; i < n; ++i) {
    if (ev.day[i] < first_day || ev.day[i] > last_day) continue;
    if (!want_gw.empty() && (ev.gw[i] < 0 || ev.gw[i] >= 1024 || !want_gw[ev.gw[i]])) continue;
    base = std::min(base, MonthOf(ev.day[i]));
  }
  if (base == std::numeric_limits<MonthIndex>::max()) return table;

  FlatIndex pairs(4096);                 // (actor1, actor2) -> pair index
  FlatIndex groups(1 << 14);             // (unit, month) -> group index
  FlatIndex group_pairs(1 << 14);        // (group, pair) seen
  std::vector<UnitMonth>& out = table.rows;

  for (std::size_t i = 0; i < n; ++i) {
    const Day day = ev.day[i];
    if (day < first_day || day > last_day) continue;
    const int gw = ev.gw[i];
    assert(gw >= 0 && gw < 1024 && "gw out of range");
    if (!want_gw.empty() && !want_gw[static_cast<std::size_t>(gw)]) continue;
    ++table.events_used;
    const MonthIndex month = MonthOf(day);
    const auto off = static_cast<std::uint64_t>(month - base);
    assert(off < (1u << kMonthBits));
    bool inserted;
    const std::uint64_t pair_key = static_cast<std::uint64_t>(ev.actor1_id[i]) << 32 | ev.actor2_id[i];
    const std::uint32_t pair = pairs.FindOrInsert(pair_key, &inserted);
    std::uint64_t unit = 0;
    const auto g = static_cast<std::uint64_t>(gw);
    switch (level) {
      case AggregateLevel::kCountry: unit = g; break;
      case AggregateLevel::kAdmin1: unit = g << 32 | ev.admin1_id[i]; break;
      case AggregateLevel::kCell: unit = g << 32 | static_cast<std::uint32_t>(ev.cell[i]); break;
      case AggregateLevel::kActorPair: unit = g << 32 | pair; break;
    }
    const std::uint32_t gi = groups.FindOrInsert(unit << kMonthBits | off, &inserted);
    if (inserted) {
      UnitMonth u;
      u.gw = gw;
      u.month = month;
      if (level == AggregateLevel::kAdmin1) u.admin1_id = ev.admin1_id[i];
      if (level == AggregateLevel::kCell) u.cell = ev.cell[i];
      if (level == AggregateLevel::kActorPair) {
        u.actor1_id = ev.actor1_id[i];
        u.actor2_id = ev.actor2_id[i];
      }
      out.push_back(u);
    }
    UnitMonth& u = out[gi];
    const std::int32_t best = ev.deaths_best[i];
    const Violence v = ev.violence[i];
    const bool targeting = ev.civilian_targeting[i] != 0;
    ++u.events;
    u.deaths += best;
    if (v == Violence::kStateBased) u.deaths_state_based += best;
    if (v == Violence::kNonState) u.deaths_non_state += best;
    if (v == Violence::kOneSided) u.deaths_one_sided += best;
    u.civilian_deaths += CivilianDeaths(v, targeting, best, ev.deaths_civilians[i]);
    if (v == Violence::kOneSided || targeting) ++u.one_sided_events;
    group_pairs.FindOrInsert(static_cast<std::uint64_t>(gi) << 32 | pair, &inserted);
    if (inserted) ++u.actor_pairs;
  }

  const auto& s = ev.strings;
  std::sort(out.begin(), out.end(), [&](const UnitMonth& a, const UnitMonth& b) {
    if (a.gw != b.gw) return a.gw < b.gw;
    switch (level) {
      case AggregateLevel::kCountry: break;
      case AggregateLevel::kAdmin1:
        if (a.admin1_id != b.admin1_id) return s[a.admin1_id] < s[b.admin1_id];
        break;
      case AggregateLevel::kCell:
        if (a.cell != b.cell) return a.cell < b.cell;
        break;
      case AggregateLevel::kActorPair:
        if (a.actor1_id != b.actor1_id) return s[a.actor1_id] < s[b.actor1_id];
        if (a.actor2_id != b.actor2_id) return s[a.actor2_id] < s[b.actor2_id];
        break;
    }
    return a.month < b.month;
  });
  return table;
}

}  // namespace vigil::events
