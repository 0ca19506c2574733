// Persistence of escalation alerts (schema v2: alerts, alert_evidence).
//
// An alert is what a detector raised for one country, unit (actor pair,
// cells, admin1 ... or the whole country) and trigger month, with the stored
// events behind it as evidence. Its identity is `key` (the detection's
// detector|gw|unit|month), so re-running a scan over the same data updates
// alerts in place and never duplicates them. Analysts triage alerts by status:
// new -> acknowledged, or dismissed with a reason; a re-scan never resets the
// status an analyst set.
//
// The store depends on core only: the CLI fills AlertRecords from the
// detectors' output.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.h"
#include "core/status.h"
#include "store/db.h"

namespace vigil::store {

// Alert statuses as stored: "new", "acknowledged", "dismissed".
inline constexpr const char* kAlertStatuses[] = {"new", "acknowledged", "dismissed"};
bool IsAlertStatus(std::string_view s);
// Severity levels as stored, lowest first: "low", "medium", "high", "critical".
inline constexpr const char* kAlertSeverities[] = {"low", "medium", "high", "critical"};
// 0..3 for the names above, -1 for anything else.
int SeverityLevel(std::string_view severity);

struct AlertRecord {
  std::int64_t id = 0;  // set by the store
  std::string key;      // identity: detector|gw|unit|month (events::Detection::Key())
  std::string detector;
  int gw = 0;
  std::string unit;           // "" = the whole country
  MonthIndex month = 0;       // trigger month
  Day as_of = 0;              // data cut-off of the scan that last set the content
  std::string severity;       // one of kAlertSeverities
  double score = 0;
  std::string summary;
  std::string details_json = "{}";
  std::vector<std::int64_t> evidence;  // events.id rows, ascending (filled by GetAlert only)
  std::int64_t evidence_count = 0;     // filled when read back
  // Set by the store; ignored by SaveAlerts.
  std::string status = "new";
  std::string status_reason;
  std::string status_at;   // UTC ISO 8601 of the last status change, "" if never
  std::string created_at;  // UTC ISO 8601
  // Grows by one with every change of content (a re-scan that updates it)
  // or of status; a triage names the revision it read (SetAlertStatus).
  int revision = 1;
};

enum class SaveOutcome { kNew, kUpdated, kUnchanged };

struct SaveAlertsResult {
  int created = 0, updated = 0, unchanged = 0;
  // Per input record, in input order: its alert id and what happened.
  std::vector<std::int64_t> ids;
  std::vector<SaveOutcome> outcomes;
};

// Stores detections in one transaction, idempotently by key:
//  - a new key is inserted with status "new" and its evidence;
//  - an existing key whose severity, score, summary, details or evidence set
//    differ is updated in place (content, as_of and evidence replaced;
//    status, reason and created_at kept): "updated";
//  - otherwise nothing is written: "unchanged".
// InvalidArgument (nothing stored) if a record has an empty key or detector,
// an unknown severity, a score that is not finite, details that are not valid JSON, or a key that repeats
// in the input; evidence ids may come in any order and repeat (stored once); the database's own checks (unknown gw, evidence rows that are not
// stored events) fail the whole call the same way.
Result<SaveAlertsResult> SaveAlerts(Db& db, const std::vector<AlertRecord>& alerts);

// Which alerts to list. Empty vectors mean "any".
struct AlertFilter {
  std::vector<std::string> statuses;    // of kAlertStatuses
  std::vector<int> gw;
  std::optional<MonthIndex> since;      // month >= since
  std::optional<MonthIndex> until;      // month <= until
  std::vector<std::string> detectors;
};

// Matching alerts without their evidence rows (evidence_count is set),
// newest trigger month first, then by gw, detector, unit.
// InvalidArgument for an unknown status in the filter.
Result<std::vector<AlertRecord>> ListAlerts(Db& db, const AlertFilter& filter);

// One alert with its evidence rows; NotFound if there is none with this id.
Result<AlertRecord> GetAlert(Db& db, std::int64_t id);

// Sets the status of every listed alert in one transaction, recording the
// time (status_at) and the reason. "dismissed" requires a non-empty reason
// (InvalidArgument otherwise); "acknowledged" and "new" (re-open) take an
// optional one. NotFound naming the first missing id (nothing changed).
// Each change is recorded in ops_audit (store/audit.h) as done by `who`.
// based_on_revision (one id only) is the revision the caller read: Aborted,
// nothing changed, when the alert has changed since (a colleague triaged it
// or a scan updated it).
Status SetAlertStatus(Db& db, const std::vector<std::int64_t>& ids, std::string_view status,
                      std::string_view reason, std::string_view who = "unknown",
                      std::optional<int> based_on_revision = std::nullopt);

// The latest data cut-off (as_of) of any stored alert, or nullopt.
Result<std::optional<Day>> LatestAlertAsOf(Db& db);

}  // namespace vigil::store
