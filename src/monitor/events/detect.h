// Escalation detectors: read monthly series built from conflict events and
// raise alerts, with the evidence behind them, when violence against
// civilians is escalating. Every detector is causal: a detection for month m
// depends only on data dated up to the end of month m (or the scan's as-of
// day), so replaying history month by month never looks ahead.
//
// Detectors (parameters in catalog/alert_detectors.json, see Load below):
//   threshold    -- a month's deaths (civilian-targeting deaths where events
//                   are available) reach an absolute level and a multiple of
//                   the country's trailing baseline;
//   cusum        -- a one-sided Poisson CUSUM on monthly civilian-targeting
//                   deaths, in-control rate from a trailing baseline window,
//                   alarm when the statistic crosses h (Page 1954; Lucas 1985);
//   new-pair     -- a perpetrator-target actor pair with lethal one-sided or
//                   state-based violence that had no event in the lookback;
//   spread       -- lethal violence reaches PRIO-GRID cells (or admin1
//                   units) where the country had none in the lookback, in
//                   more than a set number of new cells.
#pragma once

#include <cstdint>
#include <string>
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

// Detector parameters. Defaults live in the versioned catalog file
// catalog/alert_detectors.json (embedded); fields are documented there.
struct DetectorConfig;  // defined below by the detector implementation
// Loads the embedded catalog/alert_detectors.json (asserts it parses: its
// validity is tested) or a user file (InvalidArgument naming file and field).
const DetectorConfig& DefaultDetectorConfig();
Result<DetectorConfig> LoadDetectorConfig(const std::string& path);

// Runs every enabled detector on `events`, ignoring events that start after
// `as_of`, and returns the detections whose trigger month lies in
// [from, MonthOf(as_of)], ordered by (month, gw, detector, unit).
std::vector<Detection> Scan(const EventColumns& events, Day as_of, MonthIndex from,
                            const DetectorConfig& config);

}  // namespace vigil::events
