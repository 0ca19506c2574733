// vigil alerts: run the escalation detectors on the stored events and keep
// their alerts (scan), and triage them (list, show, ack, dismiss, reopen).
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <ctime>
#include <iostream>
#include <map>
#include <tuple>

#include "assess/case.h"  // DefaultAuthor
#include "cli/cli.h"
#include "data/countries.h"
#include "monitor/events/detect.h"
#include "store/alert_store.h"
#include "store/event_store.h"

namespace vigil::cli {

namespace {

using nlohmann::json;

Day Today() { return static_cast<Day>(std::time(nullptr) / 86400); }

std::string CountryName(int gw) {
  const Country* c = data::Countries().ByGw(gw);
  return c ? c->name : fmt::format("gw {}", gw);
}

json AlertJson(const store::AlertRecord& a) {
  const Country* c = data::Countries().ByGw(a.gw);
  json details = json::parse(a.details_json, nullptr, /*allow_exceptions=*/false);
  json j = {{"id", a.id},
            {"key", a.key},
            {"detector", a.detector},
            {"gw", a.gw},
            {"country", c ? c->name : ""},
            {"iso3", c ? c->iso3 : ""},
            {"unit", a.unit},
            {"month", FormatMonth(a.month)},
            {"as_of", FormatDate(a.as_of)},
            {"severity", a.severity},
            {"score", a.score},
            {"summary", a.summary},
            {"details", details.is_discarded() ? json(a.details_json) : details},
            {"status", a.status},
            {"status_reason", a.status_reason},
            {"status_at", a.status_at.empty() ? json(nullptr) : json(a.status_at)},
            {"created_at", a.created_at},
            {"evidence_count", a.evidence_count}};
  return j;
}

// One line per alert; with `outcomes` (scan) a column says what the scan did.
void PrintAlertTable(const std::vector<const store::AlertRecord*>& alerts,
                     const std::vector<std::string>* outcomes = nullptr) {
  std::cout << fmt::format("{:>5}  {:<7}  {:<24}  {:<9}  {:<8}  {:>7}  {:<12}  {}{:>8}  {}\n", "id", "month",
                           "country", "detector", "severity", "score", "status", outcomes ? "scan       " : "",
                           "evidence", "summary");
  for (std::size_t i = 0; i < alerts.size(); ++i) {
    const auto& a = *alerts[i];
    std::cout << fmt::format("{:>5}  {:<7}  {:<24}  {:<9}  {:<8}  {:>7.4g}  {:<12}  {}{:>8}  {}\n", a.id,
                             FormatMonth(a.month), Clip(CountryName(a.gw), 24), a.detector, a.severity,
                             a.score, a.status, outcomes ? fmt::format("{:<11}", (*outcomes)[i]) : "",
                             a.evidence_count, a.summary);
  }
}

// ---- scan -------------------------------------------------------------------

struct ScanArgs {
  std::string as_of;
  int months = 12;
  std::vector<std::string> countries;
  std::string config;
};

int RunScan(Context& ctx, const ScanArgs& a) {
  VIGIL_ASSIGN_OR_RETURN_CLI(store::Db * db, ctx.Db());
  const Day today = Today();
  Day requested = today;
  if (!a.as_of.empty()) {
    auto d = ParseDate(a.as_of);
    if (!d.ok()) return Fail(d.status().WithContext("--as-of"));
    requested = *d;
  }
  VIGIL_ASSIGN_OR_RETURN_CLI(std::vector<int> gws, ResolveCountryArgs(a.countries));
  events::DetectorConfig loaded_config;
  const events::DetectorConfig* config = &events::DefaultDetectorConfig();
  if (!a.config.empty()) {
    VIGIL_ASSIGN_OR_RETURN_CLI(loaded_config, events::LoadDetectorConfig(a.config));
    config = &loaded_config;
  }

  // Only data dated up to the as-of day: the query stops there.
  store::EventQuery q;
  q.gw = gws;
  q.last_day = requested;
  if (!ctx.quiet && !ctx.json) std::cerr << "loading events dated up to " << FormatDate(requested) << "...\n";
  VIGIL_ASSIGN_OR_RETURN_CLI(EventColumns events, store::LoadEventColumns(*db, q));
  if (events.size() == 0) {
    return Fail(Status::NotFound(fmt::format(
        "no events stored dated on or before {}{} in {}; import some first: vigil import events --format "
        "ged FILE",
        FormatDate(requested), gws.empty() ? "" : " for the countries asked", ctx.db_path)));
  }
  const Day latest = *std::max_element(events.day.begin(), events.day.end());
  Day as_of = requested;
  std::string basis;
  if (!a.as_of.empty()) {
    basis = "--as-of";
    if (latest < requested) basis += fmt::format(" (latest stored event: {})", FormatDate(latest));
  } else if (latest < today) {
    as_of = latest;
    basis = fmt::format("latest stored event, earlier than today ({})", FormatDate(today));
  } else {
    basis = "today";
  }
  const MonthIndex from = MonthOf(as_of) - a.months + 1;
  if (!ctx.quiet && !ctx.json) {
    std::cerr << fmt::format("scanning {} events, as of {} ({}), trigger months {} to {}...\n", events.size(),
                             FormatDate(as_of), basis, FormatMonth(from), FormatMonth(MonthOf(as_of)));
  }
  std::vector<events::Detection> found = events::Scan(events, as_of, from, *config);

  std::vector<store::AlertRecord> records;
  records.reserve(found.size());
  for (const auto& d : found) {
    store::AlertRecord r;
    r.key = d.Key();
    r.detector = d.detector;
    r.gw = d.gw;
    r.unit = d.unit;
    r.month = d.month;
    r.as_of = as_of;
    r.severity = events::SeverityName(d.severity);
    r.score = d.score;
    r.summary = d.summary;
    r.details_json = d.details.is_null() ? "{}" : d.details.dump();
    r.evidence = d.evidence;
    records.push_back(std::move(r));
  }
  VIGIL_ASSIGN_OR_RETURN_CLI(store::SaveAlertsResult saved, store::SaveAlerts(*db, records));

  // Read the alerts back (status as the analysts left it, evidence counts).
  store::AlertFilter f;
  f.gw = gws;
  f.since = from;
  f.until = MonthOf(as_of);
  VIGIL_ASSIGN_OR_RETURN_CLI(std::vector<store::AlertRecord> stored, store::ListAlerts(*db, f));
  std::map<std::int64_t, const store::AlertRecord*> by_id;
  for (const auto& r : stored) by_id[r.id] = &r;
  std::vector<const store::AlertRecord*> shown;
  std::vector<std::string> outcomes;
  for (std::size_t i = 0; i < saved.ids.size(); ++i) {
    auto it = by_id.find(saved.ids[i]);
    if (it == by_id.end()) continue;  // cannot happen: it was just saved in this window
    shown.push_back(it->second);
    outcomes.push_back(saved.outcomes[i] == store::SaveOutcome::kNew       ? "new"
                       : saved.outcomes[i] == store::SaveOutcome::kUpdated ? "updated"
                                                                           : "unchanged");
  }

  if (ctx.json) {
    json alerts = json::array();
    for (std::size_t i = 0; i < shown.size(); ++i) {
      json j = AlertJson(*shown[i]);
      j["outcome"] = outcomes[i];
      alerts.push_back(std::move(j));
    }
    json countries = json::array();
    for (int gw : gws) countries.push_back(gw);
    PrintJson({{"as_of", FormatDate(as_of)},
               {"as_of_basis", basis},
               {"first_month", FormatMonth(from)},
               {"last_month", FormatMonth(MonthOf(as_of))},
               {"countries", gws.empty() ? json("all") : countries},
               {"events", events.size()},
               {"latest_event_date", FormatDate(latest)},
               {"config", config->source},
               {"alerts_found", found.size()},
               {"new", saved.created},
               {"updated", saved.updated},
               {"unchanged", saved.unchanged},
               {"alerts", alerts}});
    return kExitOk;
  }
  std::cout << fmt::format(
      "as of {} ({}); {} events up to {}; trigger months {} to {}; detectors from {}\n"
      "{} alerts: {} new, {} updated, {} unchanged\n",
      FormatDate(as_of), basis, events.size(), FormatDate(latest), FormatMonth(from),
      FormatMonth(MonthOf(as_of)), config->source, found.size(), saved.created, saved.updated, saved.unchanged);
  if (!shown.empty()) PrintAlertTable(shown, &outcomes);
  return kExitOk;
}

// ---- list / show ------------------------------------------------------------

struct ListArgs {
  std::string status = "all";
  std::vector<std::string> countries;
  std::vector<std::string> detectors;
  std::string since;
};

int RunList(Context& ctx, const ListArgs& a) {
  VIGIL_ASSIGN_OR_RETURN_CLI(store::Db * db, ctx.Db());
  store::AlertFilter f;
  if (a.status == "open") {
    f.statuses = {"new", "acknowledged"};
  } else if (a.status != "all") {
    f.statuses = {a.status};
  }
  VIGIL_ASSIGN_OR_RETURN_CLI(f.gw, ResolveCountryArgs(a.countries));
  if (!a.since.empty()) {
    auto m = ParseMonth(a.since);
    if (!m.ok()) return Fail(m.status().WithContext("--since"));
    f.since = *m;
  }
  f.detectors = a.detectors;
  VIGIL_ASSIGN_OR_RETURN_CLI(std::vector<store::AlertRecord> alerts, store::ListAlerts(*db, f));
  if (ctx.json) {
    json j = json::array();
    for (const auto& r : alerts) j.push_back(AlertJson(r));
    PrintJson(j);
    return kExitOk;
  }
  std::vector<const store::AlertRecord*> shown;
  for (const auto& r : alerts) shown.push_back(&r);
  if (shown.empty()) {
    std::cout << "(no alerts match; raise them with: vigil alerts scan)\n";
    return kExitOk;
  }
  PrintAlertTable(shown);
  std::cout << fmt::format("{} alerts\n", shown.size());
  return kExitOk;
}

std::string Actors(const Event& e) {
  if (e.actor1.empty() && e.actor2.empty()) return "";
  return e.actor1 + " – " + e.actor2;
}

std::string Place(const Event& e) {
  std::string s = e.location;
  if (!e.admin1.empty() && e.admin1 != e.location) s += (s.empty() ? "" : ", ") + e.admin1;
  return s;
}

int RunShow(Context& ctx, std::int64_t id) {
  VIGIL_ASSIGN_OR_RETURN_CLI(store::Db * db, ctx.Db());
  VIGIL_ASSIGN_OR_RETURN_CLI(store::AlertRecord a, store::GetAlert(*db, id));
  VIGIL_ASSIGN_OR_RETURN_CLI(std::vector<store::StoredEvent> evidence, store::LoadEventsByRow(*db, a.evidence));
  std::sort(evidence.begin(), evidence.end(), [](const auto& x, const auto& y) {
    return std::tie(x.event.date_start, x.row_id) < std::tie(y.event.date_start, y.row_id);
  });
  if (ctx.json) {
    json j = AlertJson(a);
    json ev = json::array();
    for (const auto& s : evidence) {
      const Event& e = s.event;
      ev.push_back({{"row", s.row_id},
                    {"source", e.source},
                    {"event_id", e.event_id},
                    {"date_start", FormatDate(e.date_start)},
                    {"date_end", FormatDate(e.date_end)},
                    {"country", e.country},
                    {"admin1", e.admin1},
                    {"location", e.location},
                    {"violence", ViolenceName(e.violence)},
                    {"actor1", e.actor1},
                    {"actor2", e.actor2},
                    {"deaths_best", e.deaths_best},
                    {"deaths_civilians", e.deaths_civilians},
                    {"notes", e.notes}});
    }
    j["evidence"] = ev;
    PrintJson(j);
    return kExitOk;
  }
  std::cout << fmt::format("alert {}: {} in {} ({}), month {}\n", a.id, a.detector, CountryName(a.gw),
                           a.unit.empty() ? "whole country" : a.unit, FormatMonth(a.month));
  std::cout << fmt::format("severity {}, score {:.4g}; data up to {}; raised {}\n", a.severity, a.score,
                           FormatDate(a.as_of), a.created_at);
  std::cout << fmt::format("status {}{}{}\n", a.status, a.status_at.empty() ? "" : " since " + a.status_at,
                           a.status_reason.empty() ? "" : ": " + a.status_reason);
  std::cout << a.summary << "\n";
  std::cout << "details: " << a.details_json << "\n";
  std::cout << fmt::format("evidence: {} events\n", evidence.size());
  if (evidence.empty()) return kExitOk;
  std::cout << fmt::format("{:<10}  {:<30}  {:<46}  {:>6}  {:>5}  {}\n", "date", "location", "actors",
                           "deaths", "civil", "notes");
  for (const auto& s : evidence) {
    const Event& e = s.event;
    std::string notes = e.notes;
    for (auto& ch : notes) {
      if (ch == '\n' || ch == '\r' || ch == '\t') ch = ' ';
    }
    std::cout << fmt::format("{:<10}  {:<30}  {:<46}  {:>6}  {:>5}  {}\n", FormatDate(e.date_start),
                             Clip(Place(e), 30), Clip(Actors(e), 46), e.deaths_best, e.deaths_civilians,
                             Clip(notes, 80));
  }
  return kExitOk;
}

// ---- ack / dismiss / reopen -------------------------------------------------

int RunSetStatus(Context& ctx, const std::vector<std::int64_t>& ids, const std::string& status,
                 const std::string& reason) {
  VIGIL_ASSIGN_OR_RETURN_CLI(store::Db * db, ctx.Db());
  Status st = store::SetAlertStatus(*db, ids, status, reason, assess::DefaultAuthor());
  if (!st.ok()) return Fail(st);
  if (ctx.json) {
    json out = json::array();
    for (std::int64_t id : ids) {
      VIGIL_ASSIGN_OR_RETURN_CLI(store::AlertRecord a, store::GetAlert(*db, id));
      out.push_back(AlertJson(a));
    }
    PrintJson(out);
    return kExitOk;
  }
  std::cout << fmt::format("{} alert{} {}{}\n", ids.size(), ids.size() == 1 ? "" : "s", status,
                           reason.empty() ? "" : ": " + reason);
  return kExitOk;
}

}  // namespace

void RegisterAlerts(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand(
      "alerts",
      "Escalation alerts: run the detectors on stored events (scan), then triage what they raised\n"
      "(list, show, ack, dismiss, reopen).");
  cmd->require_subcommand(1);

  auto scan_args = std::make_shared<ScanArgs>();
  auto* scan = cmd->add_subcommand(
      "scan",
      "Run every enabled detector on the stored events dated up to the as-of day and store the alerts\n"
      "with their evidence. Re-running updates alerts in place (never duplicates them or resets their\n"
      "status). Prints new / updated / unchanged counts and the alerts.");
  scan->add_option("--as-of", scan_args->as_of,
                   "Data cut-off YYYY-MM-DD: events dated later are not read (default: today, or the latest "
                   "stored event if earlier)");
  scan->add_option("--months", scan_args->months, "How many months back trigger months go, ending with the "
                                                  "as-of month")
      ->capture_default_str()
      ->check(CLI::Range(1, 1200));
  scan->add_option("--country", scan_args->countries, "Only this country (name, ISO3 or GW code); repeatable");
  scan->add_option("--config", scan_args->config,
                   "Detector parameters JSON (default: the embedded catalog/alert_detectors.json)");
  scan->callback([&ctx, scan_args] { SetExit(RunScan(ctx, *scan_args)); });

  auto list_args = std::make_shared<ListArgs>();
  auto* list = cmd->add_subcommand("list", "List stored alerts, newest trigger month first");
  list->add_option("--status", list_args->status, "new, acknowledged, dismissed, open (new or acknowledged) or all")
      ->capture_default_str()
      ->check(CLI::IsMember({"new", "acknowledged", "dismissed", "open", "all"}));
  list->add_option("--country", list_args->countries, "Only this country (name, ISO3 or GW code); repeatable");
  list->add_option("--since", list_args->since, "Only alerts triggered in this month (YYYY-MM) or later");
  list->add_option("--detector", list_args->detectors, "Only this detector (threshold, cusum, new-pair, "
                                                       "spread); repeatable");
  list->callback([&ctx, list_args] { SetExit(RunList(ctx, *list_args)); });

  auto show_id = std::make_shared<std::int64_t>(0);
  auto* show = cmd->add_subcommand("show", "Show one alert with its statistics and the events behind it");
  show->add_option("ID", *show_id, "Alert id")->required();
  show->callback([&ctx, show_id] { SetExit(RunShow(ctx, *show_id)); });

  struct StatusArgs {
    std::vector<std::int64_t> ids;
    std::string reason;
  };
  auto add_status = [&](const char* name, const char* status, const char* help, bool reason_required) {
    auto args = std::make_shared<StatusArgs>();
    auto* sub = cmd->add_subcommand(name, help);
    sub->add_option("ID", args->ids, "Alert ids")->required();
    auto* reason = sub->add_option("--reason", args->reason,
                                   reason_required ? "Why (required)" : "Why (optional)");
    if (reason_required) reason->required();
    sub->callback([&ctx, args, status] { SetExit(RunSetStatus(ctx, args->ids, status, args->reason)); });
  };
  add_status("ack", "acknowledged", "Acknowledge alerts: seen and being followed", false);
  add_status("dismiss", "dismissed", "Dismiss alerts with a reason (e.g. reporting artefact, known event)", true);
  add_status("reopen", "new", "Set alerts back to new (undo ack or dismiss)", false);
}

}  // namespace vigil::cli
