// Monitoring operations of the service layer (issue 18, MAPRO Step 0): the
// escalation alerts (scan, list, read, triage), the live watchlist and the
// stored events of a country-month. Authorized once here: reading needs
// monitor.read, scanning alerts.scan, triage alerts.triage; the CLI and the
// API call these and only translate.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/principal.h"
#include "core/status.h"
#include "core/event.h"
#include "monitor/events/detect.h"
#include "report/live_watchlist.h"
#include "store/alert_store.h"
#include "store/event_store.h"

namespace vigil::store {
class Db;
}

namespace vigil::app {

// The JSON of an alert (without its evidence) and of a stored event, as the
// CLI's --json and the API give them.
nlohmann::json ToJson(const store::AlertRecord& a);
nlohmann::json ToJson(const store::StoredEvent& e);

// Progress lines of long operations (may be empty: no progress).
using NoteFn = std::function<void(const std::string&)>;

struct ScanRequest {
  std::optional<Day> as_of;  // data cut-off; nullopt: today, or the latest stored event if earlier
  int months = 12;           // trigger months: this many, ending with the as-of month (1..1200)
  std::vector<int> gws;      // only these countries; empty = every country
  const events::DetectorConfig* config = nullptr;  // nullptr = the embedded catalog
  Day today = 0;                                   // 0 = the system clock's day
};

struct ScanResult {
  Day as_of = 0;
  std::string as_of_basis;  // how as_of was chosen
  MonthIndex first_month = 0, last_month = 0;
  std::size_t events = 0;  // events read (dated up to as_of)
  Day latest_event = 0;
  std::string config_source;
  std::size_t found = 0;
  int created = 0, updated = 0, unchanged = 0;
  // The alerts this scan raised or confirmed, as stored now (status as the
  // analysts left it), with what the scan did to each: new, updated, unchanged.
  std::vector<store::AlertRecord> alerts;
  std::vector<std::string> outcomes;
};

// alerts.scan: runs every enabled detector over the stored events dated up
// to the as-of day and stores what they raise (idempotently by key), in one
// transaction. NotFound when no events are stored up to that day.
Result<ScanResult> ScanAlerts(store::Db& db, const Principal& who, const ScanRequest& req,
                              const NoteFn& note = {});

// monitor.read: stored alerts matching the filter (store::ListAlerts).
Result<std::vector<store::AlertRecord>> ListAlerts(store::Db& db, const Principal& who,
                                                   const store::AlertFilter& filter);
// The statuses an alert list can ask for: one of store::kAlertStatuses,
// "open" (new or acknowledged) or "all" (every status); InvalidArgument
// naming `field` otherwise.
Result<std::vector<std::string>> AlertStatusFilter(std::string_view status, std::string_view field);

// monitor.read: one alert with the events behind it, by date.
struct AlertDetail {
  store::AlertRecord alert;
  std::vector<store::StoredEvent> evidence;
};
Result<AlertDetail> ReadAlert(store::Db& db, const Principal& who, std::int64_t id);

// alerts.triage: sets the status of alerts (store::SetAlertStatus), audited
// under `who`. based_on_revision (one alert) is the revision the caller
// read: Aborted, nothing changed, when the alert has changed since.
// Returns the alerts as stored now, in the order of `ids`.
Result<std::vector<store::AlertRecord>> TriageAlerts(store::Db& db, const Principal& who, const std::vector<std::int64_t>& ids,
                    std::string_view status, std::string_view reason, std::optional<int> based_on_revision);

struct WatchlistRequest {
  std::optional<Day> as_of;  // nullopt: the latest scan's cut-off, else the latest event, else today
  std::int64_t forecast = 0;  // forecast run id; 0 = the latest stored
  int months = 12;            // alert window (1..600)
  int top = 30;               // high structural risk = rank 1..top (0..1000)
  Day today = 0;              // 0 = the system clock's day
};
// monitor.read: the live watchlist (report/live_watchlist.h) from the
// stored forecast, open alerts and events.
Result<report::LiveWatchlist> BuildWatchlist(store::Db& db, const Principal& who, const WatchlistRequest& req);

// monitor.read: the stored events of country `gw` that start in `month`,
// by date, at most `limit` (1..10000); `total` is how many there are.
struct MonthEvents {
  int gw = 0;
  MonthIndex month = 0;
  std::int64_t total = 0;
  std::vector<store::StoredEvent> events;
};
Result<MonthEvents> EventsOfMonth(store::Db& db, const Principal& who, int gw, MonthIndex month,
                                  std::size_t limit);
nlohmann::json ToJson(const MonthEvents& m);

}  // namespace vigil::app
