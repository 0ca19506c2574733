// vigil watchlist: the structural risk forecast combined with live escalation
// alerts, one row per country with a priority tier (see report/live_watchlist.h),
// built by app::BuildWatchlist; this file parses, writes the reports and prints.
#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <iostream>

#include "app/monitor_service.h"
#include "cli/cli.h"
#include "report/live_watchlist.h"

namespace vigil::cli {

namespace {

using nlohmann::json;

struct WatchlistArgs {
  std::string as_of;
  std::int64_t forecast = 0;
  int months = 12;
  int top = 30;
  std::string md_file, html_file;
};

void PrintTable(const report::LiveWatchlist& w) {
  std::cout << fmt::format("Live watchlist as of {} ({})\n", FormatDate(w.as_of), w.as_of_basis);
  if (w.forecast) {
    std::cout << fmt::format("structural risk: forecast run {} ({}, onsets {}-{}), high risk = top {}\n",
                             w.forecast->run_id, w.forecast->model, w.forecast->target_first,
                             w.forecast->target_last, w.top);
  }
  std::cout << fmt::format("alerts: open alerts triggered {} to {}\n", FormatMonth(w.window_first),
                           FormatMonth(w.window_last));
  for (const auto& n : w.notes) std::cout << "note: " << n << "\n";
  std::cout << fmt::format("{:>4}  {:<32}  {:>4}  {:>6}  {:<8}  {:<7}  {}\n", "tier", "country", "rank", "risk",
                           "severity", "latest", "open alerts");
  for (const auto& r : w.rows) {
    std::string alerts;
    for (const auto& [d, n] : r.alerts_by_detector) alerts += fmt::format("{}{} {}", alerts.empty() ? "" : ", ", n, d);
    alerts = r.open_alerts ? fmt::format("{}: {}", r.open_alerts, alerts)
                           : fmt::format("none ({} events in window)", r.events_in_window);
    std::cout << fmt::format(
        "{:>4}  {:<32}  {:>4}  {:>6}  {:<8}  {:<7}  {}\n", static_cast<int>(r.tier), r.country,
        r.forecast ? std::to_string(r.forecast->rank) : "-",
        r.forecast && std::isfinite(r.forecast->risk) ? fmt::format("{:.1f}%", 100 * r.forecast->risk) : "-",
        r.highest_severity.empty() ? "-" : r.highest_severity, r.latest_month ? FormatMonth(r.latest_month) : "-",
        alerts);
    if (r.latest_month) std::cout << fmt::format("{:>6}{}\n", "", r.latest_summary);
  }
  std::cout << "tiers: ";
  for (int t = 1; t <= 5; ++t) {
    std::cout << fmt::format("{}{} {}", t > 1 ? "; " : "", t, report::TierLabel(static_cast<report::Tier>(t)));
  }
  std::cout << "\n";
}

int RunWatchlist(Context& ctx, const WatchlistArgs& a) {
  VIGIL_ASSIGN_OR_RETURN_CLI(store::Db * db, ctx.Db());
  VIGIL_ASSIGN_OR_RETURN_CLI(Principal who, ctx.Who());
  app::WatchlistRequest req;
  if (!a.as_of.empty()) {
    auto d = ParseDate(a.as_of);
    if (!d.ok()) return Fail(d.status().WithContext("--as-of"));
    req.as_of = *d;
  }
  req.forecast = a.forecast;
  req.months = a.months;
  req.top = a.top;
  VIGIL_ASSIGN_OR_RETURN_CLI(report::LiveWatchlist w, app::BuildWatchlist(*db, who, req));

  if (!a.md_file.empty()) {
    std::filesystem::path p(a.md_file);
    const std::string stem = p.stem().string() + "-";
    for (const auto& r : w.rows) {
      if (!r.series) continue;
      std::filesystem::path chart = p.parent_path() / fmt::format("{}{}.svg", stem, r.gw);
      Status st = WriteTextFile(chart.string(), report::CountrySeriesSvg(r));
      if (!st.ok()) return Fail(st);
    }
    Status st = WriteTextFile(a.md_file, report::LiveWatchlistMarkdown(w, stem));
    if (!st.ok()) return Fail(st);
  }
  if (!a.html_file.empty()) {
    Status st = WriteTextFile(a.html_file, report::LiveWatchlistHtml(w));
    if (!st.ok()) return Fail(st);
  }
  if (ctx.json) {
    PrintJson(report::LiveWatchlistJson(w));
  } else {
    PrintTable(w);
  }
  return kExitOk;
}

}  // namespace

void RegisterWatchlist(CLI::App& app, Context& ctx) {
  auto a = std::make_shared<WatchlistArgs>();
  auto* cmd = app.add_subcommand(
      "watchlist",
      "Structural risk forecast combined with live escalation alerts: one row per country in the\n"
      "forecast's top N or with an open alert, with a priority tier:\n"
      "  1 high structural risk and escalating       2 escalating despite lower structural risk\n"
      "  3 escalating (no structural forecast)       4 high structural risk, no live alert\n"
      "  5 high structural risk, no event data\n"
      "Open alerts are new or acknowledged alerts triggered in the alert window.");
  cmd->add_option("--as-of", a->as_of,
                  "Date the watchlist describes, YYYY-MM-DD (default: the data cut-off of the latest alert "
                  "scan, else the latest stored event)");
  cmd->add_option("--forecast", a->forecast, "Forecast run id (default: the latest stored forecast run)");
  cmd->add_option("--months", a->months, "Alert window in months, ending with the as-of month")
      ->capture_default_str()
      ->check(CLI::Range(1, 600));
  cmd->add_option("--top", a->top, "High structural risk = forecast rank 1..N")
      ->capture_default_str()
      ->check(CLI::Range(0, 1000));
  cmd->add_option("--md", a->md_file, "Write a Markdown report to FILE (charts as FILE-<gw>.svg beside it)");
  cmd->add_option("--html", a->html_file, "Write a self-contained HTML report to FILE");
  cmd->callback([&ctx, a] { SetExit(RunWatchlist(ctx, *a)); });
}

}  // namespace vigil::cli
