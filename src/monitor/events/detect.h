// Escalation detectors: read monthly series built from conflict events and
// raise alerts, with the evidence behind them, when violence against
// civilians is escalating. Every detector is causal: a detection for month m
// depends only on data dated up to the end of month m (or the scan's as-of
// day), so replaying history month by month never looks ahead.
//
// The series the count detectors read is a country's monthly CIVILIAN
// DEATHS: for each event, deaths_best when the event is one-sided violence or
// targets civilians, else deaths_civilians (the civilians killed in battles),
// so every civilian death counts once. (The alert backtest also runs the count
// detectors on total fatalities when only a country-month file is available.)
//
// Detectors (parameters in catalog/alert_detectors.json, see Load below):
//   threshold    -- month t alarms when its deaths y_t >= min_deaths AND
//                   y_t >= ratio * mean(y over the trailing baseline window
//                   t-baseline_months .. t-1). Needs min_baseline_months of
//                   history. Score = y_t; severity from y_t.
//   cusum        -- a one-sided Poisson CUSUM (Page 1954; Lucas 1985) on the
//                   same series. In-control rate l0 = max(min_rate, mean of
//                   the baseline window t-guard-baseline .. t-guard-1, i.e.
//                   with `guard_months` excluded so an escalation in progress
//                   does not raise its own baseline); out-of-control rate
//                   l1 = shift * l0. S_t = max(0, S_{t-1} + (y_t log(l1/l0) -
//                   (l1 - l0)) / phi) where phi = max(1, baseline variance /
//                   mean) is the quasi-Poisson dispersion of the baseline
//                   (phi = 1 when `overdispersion` is false): conflict deaths
//                   are far more variable than Poisson and an unscaled CUSUM
//                   would alarm on noise. Alarm when S_t >= h (and y_t >=
//                   min_deaths); S is then reset to 0. Score = S_t / h;
//                   severity from the score.
//   new-pair     -- a perpetrator-target actor pair (actor1, actor2 within a
//                   country) with >= min_deaths deaths in one-sided or
//                   state-based events in month m and no event at all in the
//                   `lookback_months` before m. Silent until the data cover
//                   the lookback (otherwise every pair would be "new"). Score
//                   = the pair's deaths in m; severity from it.
//   spread       -- lethal events (deaths_best >= 1) in month m in at least
//                   min_new_cells PRIO-GRID cells of a country that had no
//                   lethal event in the `lookback_months` before m, with at
//                   least min_deaths deaths in those cells. Silent until the
//                   data cover the lookback. Score = number of new cells.
//
// Severity: each detector has three cut points on its score (medium, high,
// critical); below the first the alert is "low".
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/event.h"
#include "core/status.h"

namespace vigil::events {

enum class Severity { kLow, kMedium, kHigh, kCritical };
const char* SeverityName(Severity s);  // "low", "medium", "high", "critical"
Result<Severity> ParseSeverity(std::string_view s);

// One alert raised by a detector.
struct Detection {
  std::string detector;    // "threshold", "cusum", "new-pair", "spread"
  int gw = 0;
  std::string unit;        // what inside the country ("" = the whole country; an actor pair; cells)
  MonthIndex month = 0;    // month whose data triggered it
  double score = 0;        // detector statistic (CUSUM value, ratio to baseline, new cells ...)
  Severity severity = Severity::kLow;
  std::string summary;     // one line an analyst can read: what, where, how much vs baseline
  nlohmann::json details;  // statistics: baseline, threshold, recent series ...
  std::vector<std::int64_t> evidence;  // EventColumns::row_id of the events behind it
  // Identity for idempotent storage: detector|gw|unit|month.
  std::string Key() const;
};

// Score cut points: score >= critical -> critical, >= high -> high,
// >= medium -> medium, else low. medium <= high <= critical.
struct SeverityCuts {
  double medium = 0, high = 0, critical = 0;
  Severity Of(double score) const;
};

struct ThresholdParams {
  bool enabled = true;
  double min_deaths = 25;       // absolute floor of the month's deaths
  double ratio = 3;             // multiple of the baseline mean
  int baseline_months = 12;     // trailing window t-baseline_months .. t-1
  int min_baseline_months = 6;  // months of history needed before it can fire
  SeverityCuts severity;        // on the month's deaths
};

struct CusumParams {
  bool enabled = true;
  int baseline_months = 12;
  int guard_months = 3;         // most recent months left out of the baseline
  int min_baseline_months = 6;  // baseline months needed before it can fire
  double shift = 2;             // l1 / l0: the rise it is tuned to detect
  double h = 5;                 // decision interval
  double min_rate = 1;          // floor of l0 (deaths per month)
  double min_deaths = 1;        // the alarm month itself must reach this
  bool overdispersion = true;   // divide increments by the baseline's dispersion
  SeverityCuts severity;        // on S / h
};

struct NewPairParams {
  bool enabled = true;
  int lookback_months = 24;
  double min_deaths = 25;
  SeverityCuts severity;  // on the pair's deaths in the month
};

struct SpreadParams {
  bool enabled = true;
  int lookback_months = 12;
  int min_new_cells = 3;
  double min_deaths = 10;  // deaths in the new cells together
  SeverityCuts severity;   // on the number of new cells
};

// How the alert backtest merges alarm months into alert episodes.
struct BacktestParams {
  // Alarm months of a country at most this many months apart belong to one
  // alert episode (1 = only consecutive months merge).
  int merge_gap_months = 3;
};

// Detector parameters. Defaults live in the versioned catalog file
// catalog/alert_detectors.json (embedded); fields are documented there.
struct DetectorConfig {
  int version = 0;
  std::string source;  // "catalog/alert_detectors.json" or the user file's path
  ThresholdParams threshold;
  CusumParams cusum;
  NewPairParams new_pair;
  SpreadParams spread;
  BacktestParams backtest;
  nlohmann::json ToJson() const;  // same shape as the catalog file
};
// Loads the embedded catalog/alert_detectors.json (asserts it parses: its
// validity is tested) or a user file (InvalidArgument naming file and field).
const DetectorConfig& DefaultDetectorConfig();
Result<DetectorConfig> LoadDetectorConfig(const std::string& path);
// Parses configuration JSON text; `source` names it in messages.
Result<DetectorConfig> ParseDetectorConfig(std::string_view text, const std::string& source);

// Civilian deaths of one event (see the header comment).
inline std::int64_t CivilianDeaths(Violence v, bool civilian_targeting, std::int32_t best,
                                   std::int32_t civilians) {
  return (v == Violence::kOneSided || civilian_targeting) ? std::max(best, civilians) : civilians;
}

// Runs every enabled detector on `events`, ignoring events that start after
// `as_of`, and returns the detections whose trigger month lies in
// [from, MonthOf(as_of)], ordered by (month, gw, detector, unit).
// Series start at the month of the earliest event kept.
std::vector<Detection> Scan(const EventColumns& events, Day as_of, MonthIndex from,
                            const DetectorConfig& config);

}  // namespace vigil::events
