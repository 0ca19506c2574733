#include "app/monitor_service.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <ctime>
#include <map>
#include <set>
#include <tuple>

#include "app/access.h"
#include "data/countries.h"
#include "store/db.h"
#include "store/forecast_store.h"

namespace vigil::app {

namespace {

using nlohmann::json;

Day SystemToday() { return static_cast<Day>(std::time(nullptr) / 86400); }

json Finite(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

Result<report::LiveForecast> ToLiveForecast(const store::ForecastRun& run) {
  report::LiveForecast f;
  f.run_id = run.id;
  f.created_at = run.created_at;
  f.model = run.model;
  f.base_year = run.base_year;
  f.target_first = run.target_first;
  f.target_last = run.target_last;
  for (const auto& r : run.rows) {
    report::LiveForecastRow row;
    row.gw = r.gw.value_or(0);
    row.country = r.country_name;
    if (r.gw) {
      if (const Country* c = data::Countries().ByGw(*r.gw)) row.country = c->name;
    }
    row.rank = r.rank;
    row.risk = r.risk;
    row.risk_lo = r.risk_lo;
    row.risk_hi = r.risk_hi;
    json triage = json::parse(r.triage_json, nullptr, /*allow_exceptions=*/false);
    if (!triage.is_array()) {
      return Status::Corruption(fmt::format("forecast run {}: triage of {} is not a JSON array", run.id,
                                            r.country_name));
    }
    for (const auto& t : triage) {
      if (t.is_string()) row.triage.push_back(t.get<std::string>());
    }
    f.rows.push_back(std::move(row));
  }
  return f;
}

}  // namespace

json ToJson(const store::AlertRecord& a) {
  const Country* c = data::Countries().ByGw(a.gw);
  json details = json::parse(a.details_json, nullptr, /*allow_exceptions=*/false);
  return {{"id", a.id},
          {"key", a.key},
          {"detector", a.detector},
          {"gw", a.gw},
          {"country", c ? c->name : ""},
          {"iso3", c ? c->iso3 : ""},
          {"unit", a.unit},
          {"month", FormatMonth(a.month)},
          {"as_of", FormatDate(a.as_of)},
          {"severity", a.severity},
          {"score", Finite(a.score)},
          {"summary", a.summary},
          {"details", details.is_discarded() ? json(a.details_json) : details},
          {"status", a.status},
          {"status_reason", a.status_reason},
          {"status_at", a.status_at.empty() ? json(nullptr) : json(a.status_at)},
          {"created_at", a.created_at},
          {"revision", a.revision},
          {"evidence_count", a.evidence_count}};
}

json ToJson(const store::StoredEvent& s) {
  const Event& e = s.event;
  return {{"row", s.row_id},
          {"version", s.version},
          {"source", e.source},
          {"event_id", e.event_id},
          {"date_start", FormatDate(e.date_start)},
          {"date_end", FormatDate(e.date_end)},
          {"gw", e.gw},
          {"country", e.country},
          {"admin1", e.admin1},
          {"admin2", e.admin2},
          {"location", e.location},
          {"latitude", Finite(e.latitude)},
          {"longitude", Finite(e.longitude)},
          {"violence", ViolenceName(e.violence)},
          {"event_type", e.event_type},
          {"sub_event_type", e.sub_event_type},
          {"actor1", e.actor1},
          {"actor2", e.actor2},
          {"civilian_targeting", e.civilian_targeting},
          {"has_deaths", e.has_deaths},
          {"deaths_best", e.deaths_best},
          {"deaths_low", e.deaths_low},
          {"deaths_high", e.deaths_high},
          {"deaths_civilians", e.deaths_civilians},
          {"notes", e.notes}};
}

json ToJson(const MonthEvents& m) {
  const Country* c = data::Countries().ByGw(m.gw);
  json events = json::array();
  for (const auto& e : m.events) events.push_back(ToJson(e));
  return {{"gw", m.gw},
          {"country", c ? c->name : ""},
          {"iso3", c ? c->iso3 : ""},
          {"month", FormatMonth(m.month)},
          {"total", m.total},
          {"returned", m.events.size()},
          {"events", std::move(events)}};
}

Result<ScanResult> ScanAlerts(store::Db& db, const Principal& who, const ScanRequest& req, const NoteFn& note) {
  VIGIL_RETURN_IF_ERROR(Authorize(db, who, "alerts.scan"));
  if (req.months < 1 || req.months > 1200) return Status::InvalidArgument("months: must be 1..1200");
  const Day today = req.today ? req.today : SystemToday();
  const Day requested = req.as_of.value_or(today);
  const events::DetectorConfig& config = req.config ? *req.config : events::DefaultDetectorConfig();

  // Only data dated up to the as-of day: the query stops there.
  store::EventQuery q;
  q.gw = req.gws;
  q.last_day = requested;
  if (note) note("loading events dated up to " + FormatDate(requested) + "...");
  VIGIL_ASSIGN_OR_RETURN(EventColumns events, store::LoadEventColumns(db, q));
  if (events.size() == 0) {
    return Status::NotFound(fmt::format(
        "no events stored dated on or before {}{} in {}; import some first: vigil import events --format "
        "ged FILE",
        FormatDate(requested), req.gws.empty() ? "" : " for the countries asked", db.path()));
  }
  ScanResult r;
  r.events = events.size();
  r.latest_event = *std::max_element(events.day.begin(), events.day.end());
  r.as_of = requested;
  if (req.as_of) {
    r.as_of_basis = "--as-of";
    if (r.latest_event < requested) r.as_of_basis += fmt::format(" (latest stored event: {})", FormatDate(r.latest_event));
  } else if (r.latest_event < today) {
    r.as_of = r.latest_event;
    r.as_of_basis = fmt::format("latest stored event, earlier than today ({})", FormatDate(today));
  } else {
    r.as_of_basis = "today";
  }
  r.last_month = MonthOf(r.as_of);
  r.first_month = r.last_month - req.months + 1;
  r.config_source = config.source;
  if (note) {
    note(fmt::format("scanning {} events, as of {} ({}), trigger months {} to {}...", r.events,
                     FormatDate(r.as_of), r.as_of_basis, FormatMonth(r.first_month), FormatMonth(r.last_month)));
  }
  std::vector<events::Detection> found = events::Scan(events, r.as_of, r.first_month, config);
  r.found = found.size();

  std::vector<store::AlertRecord> records;
  records.reserve(found.size());
  for (const auto& d : found) {
    store::AlertRecord a;
    a.key = d.Key();
    a.detector = d.detector;
    a.gw = d.gw;
    a.unit = d.unit;
    a.month = d.month;
    a.as_of = r.as_of;
    a.severity = events::SeverityName(d.severity);
    a.score = d.score;
    a.summary = d.summary;
    a.details_json = d.details.is_null() ? "{}" : d.details.dump();
    a.evidence = d.evidence;
    records.push_back(std::move(a));
  }
  VIGIL_ASSIGN_OR_RETURN(store::SaveAlertsResult saved, store::SaveAlerts(db, records));
  r.created = saved.created;
  r.updated = saved.updated;
  r.unchanged = saved.unchanged;

  // Read the alerts back (status as the analysts left it, evidence counts).
  store::AlertFilter f;
  f.gw = req.gws;
  f.since = r.first_month;
  f.until = r.last_month;
  VIGIL_ASSIGN_OR_RETURN(std::vector<store::AlertRecord> stored, store::ListAlerts(db, f));
  std::map<std::int64_t, store::AlertRecord*> by_id;
  for (auto& a : stored) by_id[a.id] = &a;
  for (std::size_t i = 0; i < saved.ids.size(); ++i) {
    auto it = by_id.find(saved.ids[i]);
    if (it == by_id.end()) continue;  // cannot happen: it was just saved in this window
    r.alerts.push_back(std::move(*it->second));
    r.outcomes.push_back(saved.outcomes[i] == store::SaveOutcome::kNew       ? "new"
                         : saved.outcomes[i] == store::SaveOutcome::kUpdated ? "updated"
                                                                             : "unchanged");
  }
  return r;
}

Result<std::vector<std::string>> AlertStatusFilter(std::string_view status, std::string_view field) {
  if (status == "all") return std::vector<std::string>{};
  if (status == "open") return std::vector<std::string>{"new", "acknowledged"};
  if (store::IsAlertStatus(status)) return std::vector<std::string>{std::string(status)};
  return Status::InvalidArgument(fmt::format("{}: '{}' is not an alert status (new, acknowledged, dismissed, "
                                             "open or all)",
                                             field, status.substr(0, 40)));
}

Result<std::vector<store::AlertRecord>> ListAlerts(store::Db& db, const Principal& who,
                                                   const store::AlertFilter& filter) {
  VIGIL_RETURN_IF_ERROR(Authorize(db, who, "monitor.read"));
  return store::ListAlerts(db, filter);
}

Result<AlertDetail> ReadAlert(store::Db& db, const Principal& who, std::int64_t id) {
  VIGIL_RETURN_IF_ERROR(Authorize(db, who, "monitor.read"));
  AlertDetail d;
  VIGIL_ASSIGN_OR_RETURN(d.alert, store::GetAlert(db, id));
  VIGIL_ASSIGN_OR_RETURN(d.evidence, store::LoadEventsByRow(db, d.alert.evidence));
  std::sort(d.evidence.begin(), d.evidence.end(), [](const auto& x, const auto& y) {
    return std::tie(x.event.date_start, x.row_id) < std::tie(y.event.date_start, y.row_id);
  });
  return d;
}

Result<std::vector<store::AlertRecord>> TriageAlerts(store::Db& db, const Principal& who,
                                                     const std::vector<std::int64_t>& ids, std::string_view status,
                                                     std::string_view reason, std::optional<int> based_on_revision) {
  VIGIL_RETURN_IF_ERROR(Authorize(db, who, "alerts.triage"));
  if (ids.empty()) return Status::InvalidArgument("no alert ids given");
  VIGIL_RETURN_IF_ERROR(store::SetAlertStatus(db, ids, status, reason, who.AuditName(), based_on_revision));
  std::vector<store::AlertRecord> out;
  for (std::int64_t id : ids) {
    VIGIL_ASSIGN_OR_RETURN(store::AlertRecord a, store::GetAlert(db, id));
    out.push_back(std::move(a));
  }
  return out;
}

Result<report::LiveWatchlist> BuildWatchlist(store::Db& db, const Principal& who, const WatchlistRequest& req) {
  VIGIL_RETURN_IF_ERROR(Authorize(db, who, "monitor.read"));
  if (req.months < 1 || req.months > 600) return Status::InvalidArgument("months: must be 1..600");
  if (req.top < 0 || req.top > 1000) return Status::InvalidArgument("top: must be 0..1000");
  // One snapshot: the forecast, alerts and events of one moment.
  store::ReadTransaction tx(db);
  VIGIL_RETURN_IF_ERROR(tx.Begin());
  report::LiveWatchlistInput in;
  in.window_months = req.months;
  in.top = req.top;

  // The as-of day.
  const Day today = req.today ? req.today : SystemToday();
  VIGIL_ASSIGN_OR_RETURN(in.latest_scan_as_of, store::LatestAlertAsOf(db));
  if (req.as_of) {
    in.as_of = *req.as_of;
    in.as_of_basis = "--as-of";
  } else if (in.latest_scan_as_of) {
    in.as_of = *in.latest_scan_as_of;
    in.as_of_basis = "data cut-off of the latest alert scan";
  } else {
    VIGIL_ASSIGN_OR_RETURN(std::optional<Day> latest, store::LatestEventDay(db, today));
    in.as_of = latest ? *latest : today;
    in.as_of_basis = latest ? "latest stored event (no alert scan stored)" : "today (no events stored)";
  }
  VIGIL_ASSIGN_OR_RETURN(in.latest_event_day, store::LatestEventDay(db, in.as_of));

  // The forecast: the one asked for, else the latest stored.
  std::int64_t run_id = req.forecast;
  if (run_id == 0) {
    VIGIL_ASSIGN_OR_RETURN(std::vector<store::ForecastRun> runs, store::ListForecastRuns(db));
    if (!runs.empty()) run_id = runs.front().id;
  }
  if (run_id != 0) {
    VIGIL_ASSIGN_OR_RETURN(store::ForecastRun run, store::LoadForecastRun(db, run_id));
    VIGIL_ASSIGN_OR_RETURN(in.forecast, ToLiveForecast(run));
  }

  // Open alerts triggered in the window.
  const MonthIndex last = MonthOf(in.as_of), first = last - req.months + 1;
  store::AlertFilter f;
  f.statuses = {"new", "acknowledged"};
  f.since = first;
  f.until = last;
  VIGIL_ASSIGN_OR_RETURN(std::vector<store::AlertRecord> alerts, store::ListAlerts(db, f));
  std::set<int> countries;
  for (const auto& r : alerts) {
    report::LiveAlert la;
    la.id = r.id;
    la.detector = r.detector;
    la.gw = r.gw;
    la.country = data::CountryName(r.gw);
    la.unit = r.unit;
    la.month = r.month;
    la.severity = r.severity;
    la.score = r.score;
    la.summary = r.summary;
    la.status = r.status;
    in.alerts.push_back(std::move(la));
    countries.insert(r.gw);
  }
  if (in.forecast) {
    for (const auto& r : in.forecast->rows) {
      if (r.rank <= req.top && r.gw) countries.insert(r.gw);
    }
  }

  // Events of these countries for the charts and the events-in-window counts.
  EventColumns events;
  if (!countries.empty() && in.latest_event_day) {
    store::EventQuery q;
    q.gw.assign(countries.begin(), countries.end());
    q.first_day = FirstDayOfMonth(last - std::max(report::kChartMonths, req.months) + 1);
    q.last_day = in.as_of;
    VIGIL_ASSIGN_OR_RETURN(events, store::LoadEventColumns(db, q));
    in.events = &events;
  }
  return report::BuildLiveWatchlist(in);
}

Result<MonthEvents> EventsOfMonth(store::Db& db, const Principal& who, int gw, MonthIndex month,
                                  std::size_t limit) {
  VIGIL_RETURN_IF_ERROR(Authorize(db, who, "monitor.read"));
  if (limit < 1 || limit > 10000) return Status::InvalidArgument("limit: must be 1..10000");
  if (!data::Countries().ByGw(gw)) return Status::NotFound(fmt::format("no country with GW code {}", gw));
  MonthEvents m;
  m.gw = gw;
  m.month = month;
  store::ReadTransaction tx(db);
  VIGIL_RETURN_IF_ERROR(tx.Begin());
  VIGIL_ASSIGN_OR_RETURN(m.events, store::LoadCountryEvents(db, gw, FirstDayOfMonth(month), LastDayOfMonth(month),
                                                            limit, &m.total));
  return m;
}

}  // namespace vigil::app
