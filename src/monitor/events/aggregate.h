// Monthly series from conflict events: for every (unit, month) with at least
// one event, counts of events and deaths by violence type, civilian deaths,
// one-sided / civilian-targeting events and distinct actor pairs. Units are
// a country, a first-order administrative unit (admin1) within a country, a
// PRIO-GRID cell within a country, or an actor pair within a country.
//
// Aggregation works on whole columns, with nothing allocated per row: units
// get dense ids through an open-addressing table keyed by packed 64-bit
// (state, unit) keys, a dense (unit, month) table numbers the groups in
// output order, and distinct actor pairs are counted after bucketing rows by
// group.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.h"
#include "core/status.h"

namespace vigil::events {

enum class AggregateLevel { kCountry, kAdmin1, kCell, kActorPair };
const char* AggregateLevelName(AggregateLevel level);  // "country", "admin1", "cell", "actor-pair"
Result<AggregateLevel> ParseAggregateLevel(std::string_view name);

// Which events enter. Empty `gw` means every country; months are inclusive.
struct AggregateFilter {
  std::vector<int> gw;
  MonthIndex from = std::numeric_limits<MonthIndex>::min();
  MonthIndex to = std::numeric_limits<MonthIndex>::max();
  // Groups are found through a dense (unit, month) table when units x months
  // is at most this, else through a hash table and a sort (same result).
  std::uint64_t max_dense_slots = std::uint64_t{1} << 26;
};

// One unit-month. Unit fields not used by the level are 0.
struct UnitMonth {
  int gw = 0;
  std::uint32_t admin1_id = 0;  // index into EventColumns::strings (admin1 level)
  int cell = 0;                 // PRIO-GRID cell (cell level; 0 = events without coordinates)
  std::uint32_t actor1_id = 0;  // actor-pair level
  std::uint32_t actor2_id = 0;
  MonthIndex month = 0;
  std::int64_t events = 0;
  std::int64_t deaths = 0;              // sum of deaths_best
  std::int64_t deaths_state_based = 0;  // deaths_best of state-based events
  std::int64_t deaths_non_state = 0;
  std::int64_t deaths_one_sided = 0;
  std::int64_t civilian_deaths = 0;     // CivilianDeaths() of detect.h
  std::int64_t one_sided_events = 0;    // one-sided or civilian-targeting events
  std::int64_t actor_pairs = 0;         // distinct (actor1, actor2) among the unit-month's events
};

struct AggregateTable {
  AggregateLevel level = AggregateLevel::kCountry;
  // Sorted by gw, then unit (admin1 name, cell, actor names), then month.
  std::vector<UnitMonth> rows;
  std::size_t events_used = 0;  // events that passed the filter
};

// Aggregates `events` (gw must be in [0, 1024); asserts). Deaths by type
// leave out events of unknown type and unrest, which count in `deaths` only.
// Cell rows are per country: a border cell with events in two countries
// gives one row for each.
AggregateTable Aggregate(const EventColumns& events, AggregateLevel level,
                         const AggregateFilter& filter = {});

}  // namespace vigil::events
