// vigil alerts: run the escalation detectors on the stored events and keep
// their alerts (scan), and triage them (list, show, ack, dismiss, reopen).
// The operations are app/monitor_service.h; this file parses and prints.
#include <fmt/format.h>

#include <iostream>

#include "app/monitor_service.h"
#include "cli/cli.h"
#include "data/countries.h"

namespace vigil::cli {

namespace {

using nlohmann::json;

// One line per alert; with `outcomes` (scan) a column says what the scan did.
void PrintAlertTable(const std::vector<const store::AlertRecord*>& alerts,
                     const std::vector<std::string>* outcomes = nullptr) {
  std::cout << fmt::format("{:>5}  {:<7}  {:<24}  {:<9}  {:<8}  {:>7}  {:<12}  {}{:>8}  {}\n", "id", "month",
                           "country", "detector", "severity", "score", "status", outcomes ? "scan       " : "",
                           "evidence", "summary");
  for (std::size_t i = 0; i < alerts.size(); ++i) {
    const auto& a = *alerts[i];
    std::cout << fmt::format("{:>5}  {:<7}  {:<24}  {:<9}  {:<8}  {:>7.4g}  {:<12}  {}{:>8}  {}\n", a.id,
                             FormatMonth(a.month), Clip(data::CountryName(a.gw), 24), a.detector, a.severity,
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
  VIGIL_ASSIGN_OR_RETURN_CLI(Principal who, ctx.Who());
  app::ScanRequest req;
  if (!a.as_of.empty()) {
    auto d = ParseDate(a.as_of);
    if (!d.ok()) return Fail(d.status().WithContext("--as-of"));
    req.as_of = *d;
  }
  req.months = a.months;
  VIGIL_ASSIGN_OR_RETURN_CLI(req.gws, data::ResolveCountries(a.countries));
  events::DetectorConfig loaded_config;
  if (!a.config.empty()) {
    VIGIL_ASSIGN_OR_RETURN_CLI(loaded_config, events::LoadDetectorConfig(a.config));
    req.config = &loaded_config;
  }
  app::NoteFn note;
  if (!ctx.quiet && !ctx.json) note = [](const std::string& line) { std::cerr << line << "\n"; };
  VIGIL_ASSIGN_OR_RETURN_CLI(app::ScanResult r, app::ScanAlerts(*db, who, req, note));

  if (ctx.json) {
    json alerts = json::array();
    for (std::size_t i = 0; i < r.alerts.size(); ++i) {
      json j = app::ToJson(r.alerts[i]);
      j["outcome"] = r.outcomes[i];
      alerts.push_back(std::move(j));
    }
    PrintJson({{"as_of", FormatDate(r.as_of)},
               {"as_of_basis", r.as_of_basis},
               {"first_month", FormatMonth(r.first_month)},
               {"last_month", FormatMonth(r.last_month)},
               {"countries", req.gws.empty() ? json("all") : json(req.gws)},
               {"events", r.events},
               {"latest_event_date", FormatDate(r.latest_event)},
               {"config", r.config_source},
               {"alerts_found", r.found},
               {"new", r.created},
               {"updated", r.updated},
               {"unchanged", r.unchanged},
               {"alerts", alerts}});
    return kExitOk;
  }
  std::cout << fmt::format(
      "as of {} ({}); {} events up to {}; trigger months {} to {}; detectors from {}\n"
      "{} alerts: {} new, {} updated, {} unchanged\n",
      FormatDate(r.as_of), r.as_of_basis, r.events, FormatDate(r.latest_event), FormatMonth(r.first_month),
      FormatMonth(r.last_month), r.config_source, r.found, r.created, r.updated, r.unchanged);
  std::vector<const store::AlertRecord*> shown;
  for (const auto& x : r.alerts) shown.push_back(&x);
  if (!shown.empty()) PrintAlertTable(shown, &r.outcomes);
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
  VIGIL_ASSIGN_OR_RETURN_CLI(Principal who, ctx.Who());
  store::AlertFilter f;
  VIGIL_ASSIGN_OR_RETURN_CLI(f.statuses, app::AlertStatusFilter(a.status, "--status"));
  VIGIL_ASSIGN_OR_RETURN_CLI(f.gw, data::ResolveCountries(a.countries));
  if (!a.since.empty()) {
    auto m = ParseMonth(a.since);
    if (!m.ok()) return Fail(m.status().WithContext("--since"));
    f.since = *m;
  }
  f.detectors = a.detectors;
  VIGIL_ASSIGN_OR_RETURN_CLI(std::vector<store::AlertRecord> alerts, app::ListAlerts(*db, who, f));
  if (ctx.json) {
    json j = json::array();
    for (const auto& r : alerts) j.push_back(app::ToJson(r));
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
  VIGIL_ASSIGN_OR_RETURN_CLI(Principal who, ctx.Who());
  VIGIL_ASSIGN_OR_RETURN_CLI(app::AlertDetail d, app::ReadAlert(*db, who, id));
  const store::AlertRecord& a = d.alert;
  const std::vector<store::StoredEvent>& evidence = d.evidence;
  if (ctx.json) {
    json j = app::ToJson(a);
    json ev = json::array();
    for (const auto& e : evidence) ev.push_back(app::ToJson(e));
    j["evidence"] = ev;
    PrintJson(j);
    return kExitOk;
  }
  std::cout << fmt::format("alert {}: {} in {} ({}), month {}\n", a.id, a.detector, data::CountryName(a.gw),
                           a.unit.empty() ? "whole country" : a.unit, FormatMonth(a.month));
  std::cout << fmt::format("severity {}, score {:.4g}; data up to {}; raised {}\n", a.severity, a.score,
                           FormatDate(a.as_of), a.created_at);
  std::cout << fmt::format("status {} (revision {}){}{}\n", a.status, a.revision, a.status_at.empty() ? "" : " since " + a.status_at,
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
                 const std::string& reason, std::optional<int> revision) {
  VIGIL_ASSIGN_OR_RETURN_CLI(store::Db * db, ctx.Db());
  VIGIL_ASSIGN_OR_RETURN_CLI(Principal who, ctx.Who());
  VIGIL_ASSIGN_OR_RETURN_CLI(std::vector<store::AlertRecord> alerts,
                             app::TriageAlerts(*db, who, ids, status, reason, revision));
  if (ctx.json) {
    json out = json::array();
    for (const auto& a : alerts) out.push_back(app::ToJson(a));
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
    int revision = 0;
  };
  auto add_status = [&](const char* name, const char* status, const char* help, bool reason_required) {
    auto args = std::make_shared<StatusArgs>();
    auto* sub = cmd->add_subcommand(name, help);
    sub->add_option("ID", args->ids, "Alert ids")->required();
    auto* reason = sub->add_option("--reason", args->reason,
                                   reason_required ? "Why (required)" : "Why (optional)");
    if (reason_required) reason->required();
    auto* revision = sub->add_option("--revision", args->revision,
                                     "The alert's revision you read (vigil alerts show): if a colleague or a "
                                     "scan has changed it since, nothing changes and vigil exits with 4");
    revision->check(CLI::PositiveNumber);
    sub->callback([&ctx, args, status, revision] {
      SetExit(RunSetStatus(ctx, args->ids, status, args->reason,
                           revision->count() ? std::optional<int>(args->revision) : std::nullopt));
    });
  };
  add_status("ack", "acknowledged", "Acknowledge alerts: seen and being followed", false);
  add_status("dismiss", "dismissed", "Dismiss alerts with a reason (e.g. reporting artefact, known event)", true);
  add_status("reopen", "new", "Set alerts back to new (undo ack or dismiss)", false);
}

}  // namespace vigil::cli
