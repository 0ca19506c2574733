// vigil backtest-alerts: replay monthly death counts through the escalation
// detectors with no look-ahead and score the alerts against EWP's
// mass-killing onsets (protocol in monitor/events/backtest.h and
// docs/alerts.md).
#include <fmt/format.h>

#include <cmath>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <string>

#include "cli/cli.h"
#include "data/countries.h"
#include "data/country_month.h"
#include "data/csv.h"
#include "data/event_formats.h"
#include "monitor/events/backtest.h"
#include "monitor/events/detect.h"

namespace vigil::cli {

namespace {

struct BacktestAlertsArgs {
  std::string onsets, events, json_file, config;
  int from = 2010, to = 2024, split = 0;
  CLI::Option* json_opt = nullptr;
};

struct LoadedSeries {
  std::vector<events::BacktestSeries> series;
  std::string kind;  // "country-month" or the event format
  std::string description;
  nlohmann::json input;  // what was read, for the JSON
};

// The first line of a file (for format detection).
Result<std::vector<std::string>> FirstRecord(const std::string& path) {
  VIGIL_ASSIGN_OR_RETURN(auto reader, data::CsvReader::Open(path));
  data::CsvRecord rec;
  auto has = reader->Next(&rec);
  if (!has.ok() || !*has) return std::vector<std::string>{};
  return rec.fields;
}

Result<LoadedSeries> LoadCountryMonth(const std::string& path, const CountryTable& table) {
  VIGIL_ASSIGN_OR_RETURN(data::CountryMonthFile f, data::ReadCountryMonthFile(path, table));
  LoadedSeries out;
  out.kind = "country-month";
  out.description = fmt::format("{} per country-month from {}", f.value_column, path);
  for (auto& s : f.series) {
    events::BacktestSeries b;
    b.gw = s.gw;
    const Country* c = table.ByGw(s.gw);
    b.country = c ? c->name : s.code;
    b.first = s.first;
    b.values = std::move(s.values);
    b.present = std::move(s.present);
    out.series.push_back(std::move(b));
  }
  nlohmann::json unresolved = nlohmann::json::array();
  for (const auto& u : f.unresolved) {
    unresolved.push_back({{"code", u.code}, {"first_line", u.first_line}, {"rows", u.rows}});
  }
  out.input = {{"file", path},
               {"kind", "country-month"},
               {"value_column", f.value_column},
               {"rows", f.rows},
               {"missing_values", f.missing_values},
               {"first_month", FormatMonth(f.first)},
               {"last_month", FormatMonth(f.last)},
               {"countries", f.series.size()},
               {"unresolved_codes", unresolved}};
  return out;
}

Result<LoadedSeries> LoadEventFile(Context& ctx, const std::string& path, data::EventFormat format,
                                   const CountryTable& table) {
  VIGIL_ASSIGN_OR_RETURN(auto reader, data::EventFileReader::Open(path, format, table));
  auto progress = ctx.Progress("reading " + path);
  std::map<int, std::map<MonthIndex, double>> deaths;
  MonthIndex first = 0, last = 0;
  bool any = false;
  std::size_t events = 0, rejected = 0;
  nlohmann::json rejected_examples = nlohmann::json::array();
  Event e;
  std::size_t line = 0;
  data::RejectedRow bad;
  std::size_t next_report = 0;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(auto kind, reader->Next(&e, &line, &bad));
    if (kind == data::EventFileReader::Kind::kEnd) break;
    if (kind == data::EventFileReader::Kind::kRejected) {
      ++rejected;
      if (rejected_examples.size() < 20) {
        rejected_examples.push_back({{"line", bad.line}, {"field", bad.field}, {"reason", bad.reason}});
      }
      continue;
    }
    ++events;
    const MonthIndex m = MonthOf(e.date_start);
    if (!any || m < first) first = m;
    if (!any || m > last) last = m;
    any = true;
    deaths[e.gw][m] += static_cast<double>(
        events::CivilianDeaths(e.violence, e.civilian_targeting, e.deaths_best, e.deaths_civilians));
    if (reader->bytes_read() >= next_report) {
      Report(progress, reader->bytes_read(), std::max<std::size_t>(1, reader->file_size()), "");
      next_report = reader->bytes_read() + reader->file_size() / 20 + 1;
    }
  }
  Report(progress, reader->file_size(), std::max<std::size_t>(1, reader->file_size()), "done");
  if (!any) return Status::InvalidArgument(path + ": no usable events");
  LoadedSeries out;
  out.kind = data::EventFormatName(format);
  out.description = fmt::format("civilian deaths per country-month from the {} events of {}",
                                data::EventFormatName(format), path);
  // Every country with events gets a series over the file's whole month range.
  for (const auto& [gw, months] : deaths) {
    events::BacktestSeries b;
    b.gw = gw;
    const Country* c = table.ByGw(gw);
    b.country = c ? c->name : std::to_string(gw);
    b.first = first;
    b.values.assign(static_cast<std::size_t>(last - first + 1), 0.0);
    for (const auto& [m, v] : months) b.values[static_cast<std::size_t>(m - first)] = v;
    out.series.push_back(std::move(b));
  }
  out.input = {{"file", path},
               {"kind", out.kind},
               {"events", events},
               {"rejected_rows", rejected},
               {"rejected_examples", rejected_examples},
               {"first_month", FormatMonth(first)},
               {"last_month", FormatMonth(last)},
               {"countries", out.series.size()},
               {"note", "series = civilian deaths (deaths_best of one-sided / civilian-targeting "
                        "events, deaths_civilians of others); countries observed over the file's "
                        "month range"}};
  return out;
}

Result<LoadedSeries> LoadSeries(Context& ctx, const std::string& path, const CountryTable& table) {
  VIGIL_ASSIGN_OR_RETURN(std::vector<std::string> header, FirstRecord(path));
  if (data::IsCountryMonthHeader(header)) return LoadCountryMonth(path, table);
  auto has = [&](const char* name) {
    for (const auto& h : header) {
      if (h == name) return true;
    }
    return false;
  };
  if (has("type_of_violence") || has("best")) return LoadEventFile(ctx, path, data::EventFormat::kGed, table);
  if (has("event_id_cnty")) return LoadEventFile(ctx, path, data::EventFormat::kAcled, table);
  if (!header.empty() && !header[0].empty() && header[0][0] == '{') {
    return LoadEventFile(ctx, path, data::EventFormat::kJsonl, table);
  }
  return Status::InvalidArgument(
      path + ": neither a country-month series file (columns isocode/iso3/gw, period/month, "
             "fatalities_UCDP/fatalities/deaths/civilian_deaths) nor an event file (UCDP GED or "
             "ACLED CSV header, or vigil JSON lines)");
}

std::string F(double v, const char* spec = "{:.2f}") {
  return std::isfinite(v) ? fmt::format(fmt::runtime(spec), v) : "NA";
}

void PrintTable(const events::AlertBacktestResult& r, const nlohmann::json& unresolved_episodes) {
  std::cout << fmt::format("{:<34} {:>5} {:>8} {:>12} {:>5}  {}\n", "onset (country, year)", "data",
                           "alerted", "first alert", "lead", "detectors");
  for (const auto& o : r.onsets) {
    std::string dets;
    for (const auto& d : o.detectors) dets += (dets.empty() ? "" : ",") + d;
    std::cout << fmt::format("{:<34} {:>5} {:>8} {:>12} {:>5}  {}\n",
                             fmt::format("{} {}", o.country, o.year), o.has_data ? "yes" : "no",
                             o.alerted ? "yes" : "no", o.alerted ? FormatMonth(o.first_alert) : "-",
                             o.alerted ? std::to_string(o.lead_months) : "-", dets);
  }
  auto line = [](const events::BacktestSummary& s) {
    return fmt::format(
        "{}-{}: onsets {} ({} with data)  alerted {} ({:.0f}%)  median lead {} months  false alarms {} over {} "
        "country-years = {} per country-decade  (alert episodes tied to onsets {}, during ongoing "
        "episodes {})\n",
        s.from_year, s.to_year, s.onsets, s.onsets_with_data, s.alerted, 100 * s.share_alerted, F(s.median_lead_months, "{:.1f}"),
        s.false_alarms, s.country_years, F(s.false_alarms_per_country_decade), s.onset_alerts,
        s.ongoing_alerts);
  };
  std::cout << "\n" << line(r.summary);
  for (const auto& p : r.periods) std::cout << "  " << line(p);
  std::cout << fmt::format("countries {}  alarm months {}  alert episodes {}\n", r.countries, r.alarm_months,
                           r.alert_episodes.size());
  if (!unresolved_episodes.empty()) {
    std::cout << fmt::format("episode rows not resolved to a state (not scored): {}\n",
                             unresolved_episodes.size());
    for (const auto& u : unresolved_episodes) {
      std::cout << fmt::format("  line {}: {} {} ({})\n", u["line"].get<std::size_t>(),
                               u["country"].get<std::string>(), u["startyear"].get<int>(),
                               u["problem"].get<std::string>());
    }
  }
}

int Run(Context& ctx, const BacktestAlertsArgs& a) {
  if (a.from > a.to) {
    std::cerr << "vigil: --from-year must not be after --to-year\n";
    return kExitUsage;
  }
  const CountryTable& table = data::Countries();
  events::DetectorConfig config;
  if (a.config.empty()) {
    config = events::DefaultDetectorConfig();
  } else {
    VIGIL_ASSIGN_OR_RETURN_CLI(config, events::LoadDetectorConfig(a.config));
  }
  VIGIL_ASSIGN_OR_RETURN_CLI(auto episodes, data::ReadEpisodeList(a.onsets, table));
  VIGIL_ASSIGN_OR_RETURN_CLI(LoadedSeries loaded, LoadSeries(ctx, a.events, table));

  std::vector<events::BacktestEpisode> eps;
  nlohmann::json unresolved = nlohmann::json::array();
  for (const auto& e : episodes) {
    if (e.gw == 0) {
      unresolved.push_back({{"line", e.line},
                            {"country", e.country},
                            {"code", e.code},
                            {"startyear", e.start_year},
                            {"mk_location_cow", e.cow},
                            {"problem", e.problem},
                            {"in_period", e.start_year >= a.from && e.start_year <= a.to}});
      continue;
    }
    eps.push_back({e.gw, e.resolved_name, e.code, e.start_year, e.end_year});
  }
  events::AlertBacktestOptions o;
  o.from_year = a.from;
  o.to_year = a.to;
  o.split_year = a.split;
  o.series = loaded.description;
  events::AlertBacktestResult r = events::RunAlertBacktest(loaded.series, eps, config, o);

  nlohmann::json j = r.ToJson(config);
  j["input"] = loaded.input;
  int in_period = 0;
  for (const auto& e : eps) in_period += e.start_year >= a.from && e.start_year <= a.to;
  j["episodes"] = in_period;  // resolved episodes starting in [from, to] (onsets merge same country-year)
  j["episode_list"] = {{"file", a.onsets},
                       {"rows", episodes.size()},
                       {"resolved", episodes.size() - unresolved.size()},
                       {"unresolved", unresolved}};
  if (!a.json_file.empty() && a.json_file != "-") {
    Status st = WriteJsonFile(a.json_file, j);
    if (!st.ok()) return Fail(st);
  }
  const bool to_stdout = ctx.json || (a.json_opt && a.json_opt->count() > 0 &&
                                      (a.json_file.empty() || a.json_file == "-"));
  if (to_stdout) {
    PrintJson(j);
  } else {
    PrintTable(r, unresolved);
  }
  return kExitOk;
}

}  // namespace

void RegisterBacktestAlerts(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<BacktestAlertsArgs>();
  auto* cmd = app.add_subcommand(
      "backtest-alerts",
      "Replay monthly deaths through the escalation detectors month by month (no look-ahead) and\n"
      "score the alerts against mass-killing onsets: share of onsets alerted in Jan(Y-1)..Sep(Y),\n"
      "median lead time to Dec(Y), false alarms per country-decade (docs/alerts.md).");
  cmd->add_option("--onsets", args->onsets, "EWP episode list (mk_events_2025.csv)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--events", args->events,
                  "Country-month series file (isocode, period, fatalities_UCDP) or an event file "
                  "(UCDP GED / ACLED CSV, vigil JSON lines); the kind is read from the header")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--from-year", args->from, "First onset year scored")->capture_default_str();
  cmd->add_option("--to-year", args->to, "Last onset year scored")->capture_default_str();
  cmd->add_option("--split-year", args->split,
                  "Also report [from, S-1] and [S, to] separately (e.g. tuning vs out-of-sample years)");
  cmd->add_option("--config", args->config,
                  "Detector parameters (JSON like catalog/alert_detectors.json; default: the catalog's)");
  args->json_opt = cmd->add_option("--json", args->json_file,
                                   "Write the result as JSON to FILE; without FILE (or '-') print it")
                       ->expected(0, 1);
  cmd->callback([&ctx, args] { SetExit(Run(ctx, *args)); });
}

}  // namespace vigil::cli
