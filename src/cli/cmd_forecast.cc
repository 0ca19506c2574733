// vigil forecast: risk of a new mass-killing onset for every country, stored
// in the forecast registry; vigil forecasts: list, show and score past runs.
#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/cli.h"
#include "cli/model_args.h"
#include "core/parallel.h"
#include "data/countries.h"
#include "monitor/risk/forecast.h"
#include "monitor/risk/models.h"
#include "report/watchlist.h"
#include "store/forecast_store.h"

namespace vigil::cli {

namespace {

struct ForecastArgs {
  ModelArgs m;
  int year = 0;
  int bootstrap = 50;
  double interval = 0.9;
  int top = 30;
  std::string csv_file, json_file, report_file;
  bool no_save = false;
};

std::string Pct(double p) { return std::isfinite(p) ? fmt::format("{:5.1f}%", 100 * p) : "    – "; }

Status WriteReport(const risk::Forecast& f, const std::string& path) {
  std::filesystem::path p(path);
  std::string ext = p.extension().string();
  if (ext == ".html" || ext == ".htm") return WriteTextFile(path, report::WatchlistHtml(f));
  if (ext != ".md") {
    return Status::InvalidArgument("--report " + path + ": use a .md or .html file name");
  }
  std::filesystem::path chart = p;
  chart.replace_extension(".svg");
  VIGIL_RETURN_IF_ERROR(WriteTextFile(chart.string(), report::RiskChartSvg(f)));
  return WriteTextFile(path, report::WatchlistMarkdown(f, chart.filename().string()));
}

void PrintForecastTable(const risk::Forecast& f, int top) {
  std::cout << fmt::format("Risk of a new mass-killing onset in {}-{} (data {}, model {}, trained <= {})\n",
                           f.target_first, f.target_last, f.base_year, f.model, f.train_last_year);
  std::cout << fmt::format("{:>4} {:<32} {:>6} {:>15} {:>6}  {:<34} {}\n", "rank", "country", "risk",
                           fmt::format("{:.0f}% interval", 100 * f.interval), "prev", "groups",
                           "top factors");
  for (const auto& c : f.countries) {
    if (c.rank > top) break;
    std::string groups, factors;
    for (const auto& t : c.triage) groups += (groups.empty() ? "" : ",") + t;
    for (std::size_t k = 0; k < c.factors.size() && k < 3; ++k) {
      factors += fmt::format("{}{}{}", k ? " " : "", c.factors[k].effect >= 0 ? "+" : "-", c.factors[k].factor);
    }
    std::string interval = std::isfinite(c.risk_lo)
                               ? fmt::format("{:.1f}-{:.1f}%", 100 * c.risk_lo, 100 * c.risk_hi)
                               : "-";
    std::cout << fmt::format("{:>4} {:<32} {} {:>15} {:>6}  {:<34} {}\n", c.rank, c.country.substr(0, 32),
                             Pct(c.risk), interval, c.prev_rank ? std::to_string(c.prev_rank) : "-",
                             groups, factors);
  }
  std::cout << fmt::format("{} countries; {:.2f} s\n", f.countries.size(), f.seconds);
}

store::ForecastRun ToRecord(const risk::Forecast& f, std::int64_t dataset_id, const ForecastArgs& a) {
  store::ForecastRun run;
  run.model = f.model;
  run.dataset_id = dataset_id;
  run.base_year = f.base_year;
  run.target_first = f.target_first;
  run.target_last = f.target_last;
  run.params_json = nlohmann::json{{"fit", f.fit},
                                   {"bootstrap", a.bootstrap},
                                   {"interval", a.interval},
                                   {"seed", a.m.seed},
                                   {"train_last_year", f.train_last_year},
                                   {"train_rows", f.train_rows},
                                   {"spec", f.spec}}
                        .dump();
  run.vigil_version = "0.1.0";
  run.seconds = f.seconds;
  const auto& countries = data::Countries();
  for (const auto& c : f.countries) {
    store::ForecastRow r;
    r.country_code = c.country_code;
    r.country_name = c.country;
    if (const Country* k = data::ResolvePanelCountry(countries, c.country_code, c.country)) r.gw = k->gw;
    r.risk = c.risk;
    r.risk_lo = c.risk_lo;
    r.risk_hi = c.risk_hi;
    r.rank = c.rank;
    r.triage_json = nlohmann::json(c.triage).dump();
    r.contributions_json = risk::FactorsJson(c).dump();
    run.rows.push_back(std::move(r));
  }
  return run;
}

int RunForecast(Context& ctx, const ForecastArgs& a) {
  if (auto who = ctx.Authorized("forecast.run"); !who.ok()) return Fail(who.status());
  VIGIL_ASSIGN_OR_RETURN_CLI(store::Db * db, ctx.Db());
  VIGIL_ASSIGN_OR_RETURN_CLI(ModelInputs in, PrepareModel(ctx, a.m));
  const auto& loaded = in.loaded;
  risk::ForecastOptions o;
  o.year = a.year ? a.year : loaded.panel.MaxYear();
  o.bootstrap = a.bootstrap;
  o.interval = a.interval;
  o.threads = std::max(1, a.m.threads);
  o.seed = a.m.seed;
  o.progress = ctx.Progress("forecast " + a.m.model);
  VIGIL_ASSIGN_OR_RETURN_CLI(risk::Forecast f,
                             risk::MakeForecast(loaded.panel, in.spec, a.m.model, in.factory, o));
  nlohmann::json j = f.ToJson();
  if (!a.no_save) {
    VIGIL_ASSIGN_OR_RETURN_CLI(std::int64_t id,
                               store::SaveForecastRun(*db, ToRecord(f, loaded.info.id, a)));
    j["run_id"] = id;
    if (!ctx.json) std::cerr << "forecast stored as run " << id << "\n";
  }
  if (!a.csv_file.empty()) {
    Status st = WriteTextFile(a.csv_file, f.ToCsv());
    if (!st.ok()) return Fail(st);
  }
  if (!a.json_file.empty()) {
    Status st = WriteJsonFile(a.json_file, j);
    if (!st.ok()) return Fail(st);
  }
  if (!a.report_file.empty()) {
    Status st = WriteReport(f, a.report_file);
    if (!st.ok()) return Fail(st);
  }
  if (ctx.json) {
    PrintJson(j);
  } else if (a.json_file != "-") {
    PrintForecastTable(f, a.top);
  }
  return kExitOk;
}

int ListRuns(Context& ctx) {
  VIGIL_ASSIGN_OR_RETURN_CLI(store::Db * db, ctx.Db());
  VIGIL_ASSIGN_OR_RETURN_CLI(auto runs, store::ListForecastRuns(*db));
  if (ctx.json) {
    nlohmann::json j = nlohmann::json::array();
    for (const auto& r : runs) {
      j.push_back({{"id", r.id}, {"created_at", r.created_at}, {"model", r.model},
                   {"dataset_id", r.dataset_id}, {"base_year", r.base_year},
                   {"target_years", {r.target_first, r.target_last}},
                   {"params", nlohmann::json::parse(r.params_json)}, {"seconds", r.seconds}});
    }
    PrintJson(j);
    return kExitOk;
  }
  std::cout << fmt::format("{:>4}  {:<20}  {:<12}  {:>9}  {:>9}\n", "id", "created", "model", "data year",
                           "target");
  for (const auto& r : runs) {
    std::cout << fmt::format("{:>4}  {:<20}  {:<12}  {:>9}  {}-{}\n", r.id, r.created_at, r.model,
                             r.base_year, r.target_first, r.target_last);
  }
  if (runs.empty()) std::cout << "(no forecast runs yet: vigil forecast --year Y)\n";
  return kExitOk;
}

int ShowRun(Context& ctx, std::int64_t id, int top) {
  VIGIL_ASSIGN_OR_RETURN_CLI(store::Db * db, ctx.Db());
  VIGIL_ASSIGN_OR_RETURN_CLI(store::ForecastRun run, store::LoadForecastRun(*db, id));
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& r : run.rows) {
    rows.push_back({{"rank", r.rank}, {"country", r.country_name}, {"country_code", r.country_code},
                    {"gw", r.gw ? nlohmann::json(*r.gw) : nullptr}, {"risk", r.risk},
                    {"risk_lo", std::isfinite(r.risk_lo) ? nlohmann::json(r.risk_lo) : nullptr},
                    {"risk_hi", std::isfinite(r.risk_hi) ? nlohmann::json(r.risk_hi) : nullptr},
                    {"triage", nlohmann::json::parse(r.triage_json)},
                    {"factors", nlohmann::json::parse(r.contributions_json)}});
  }
  if (ctx.json) {
    PrintJson({{"id", run.id}, {"created_at", run.created_at}, {"model", run.model},
               {"dataset_id", run.dataset_id}, {"base_year", run.base_year},
               {"target_years", {run.target_first, run.target_last}},
               {"params", nlohmann::json::parse(run.params_json)}, {"countries", rows}});
    return kExitOk;
  }
  std::cout << fmt::format("run {}  {}  model {}  data year {}  target {}-{}\n", run.id, run.created_at,
                           run.model, run.base_year, run.target_first, run.target_last);
  for (const auto& r : run.rows) {
    if (r.rank > top) break;
    std::cout << fmt::format("{:>4} {:<32} {}  {}\n", r.rank, r.country_name.substr(0, 32), Pct(r.risk),
                             r.triage_json);
  }
  return kExitOk;
}

int ScoreRun(Context& ctx, std::int64_t id, const std::string& dataset) {
  VIGIL_ASSIGN_OR_RETURN_CLI(store::Db * db, ctx.Db());
  VIGIL_ASSIGN_OR_RETURN_CLI(store::ForecastRun run, store::LoadForecastRun(*db, id));
  VIGIL_ASSIGN_OR_RETURN_CLI(auto loaded, LoadPanelForModel(ctx, dataset, 0));
  std::vector<risk::StoredPrediction> preds;
  for (const auto& r : run.rows) preds.push_back({r.country_code, r.risk, r.rank});
  VIGIL_ASSIGN_OR_RETURN_CLI(risk::ForecastScore s,
                             risk::ScoreForecast(loaded.panel, risk::DefaultModelSpec(),
                                                 run.target_first, run.target_last, preds));
  nlohmann::json j = s.ToJson();
  j["run_id"] = run.id;
  j["target_years"] = {run.target_first, run.target_last};
  j["scored_with"] = {{"dataset", loaded.info.name}, {"version", loaded.info.version}};
  if (ctx.json) {
    PrintJson(j);
    return kExitOk;
  }
  std::cout << fmt::format(
      "run {} (model {}, onsets in {}-{}) scored with {} v{}:\n{} countries, {} onsets; caught in top "
      "10/20/30: {}/{}/{}; AUC {:.3f}; Brier {:.5f}\n",
      run.id, run.model, run.target_first, run.target_last, loaded.info.name, loaded.info.version,
      s.countries, s.onsets, s.caught10, s.caught20, s.caught30, s.auc, s.brier);
  for (const auto& o : s.onset_list) {
    std::cout << fmt::format("  {} {} rank {} risk {}\n", o.year, o.country, o.rank, Pct(o.risk));
  }
  return kExitOk;
}

}  // namespace

void RegisterForecast(CLI::App& app, Context& ctx) {
  auto a = std::make_shared<ForecastArgs>();
  auto* cmd = app.add_subcommand(
      "forecast",
      "Risk of a new mass-killing onset in Y+1..Y+2 for every country with data in year Y, with\n"
      "rank, bootstrap interval, top factors and triage groups; stored in the forecast registry.");
  cmd->add_option("--year", a->year, "Data year Y (default: the dataset's last year)");
  AddModelOptions(cmd, &a->m);
  cmd->add_option("--bootstrap", a->bootstrap, "Country-cluster bootstrap refits for the interval (0: none)")
      ->capture_default_str()
      ->check(CLI::Range(0, 10000));
  cmd->add_option("--interval", a->interval, "Central interval mass")->capture_default_str();
  cmd->add_option("--top", a->top, "Rows shown in the table")->capture_default_str();
  cmd->add_option("--csv", a->csv_file, "Write all countries as CSV to FILE");
  cmd->add_option("--json", a->json_file, "Write the forecast as JSON to FILE ('-' for stdout)");
  cmd->add_option("--report", a->report_file,
                  "Write a watchlist report: FILE.md (+ FILE.svg chart) or FILE.html");
  cmd->add_flag("--no-save", a->no_save, "Do not store the run in the registry");
  cmd->callback([&ctx, a] { SetExit(RunForecast(ctx, *a)); });
}

void RegisterForecasts(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("forecasts", "The forecast registry: past forecast runs");
  cmd->require_subcommand(1);
  cmd->add_subcommand("list", "List stored forecast runs")->callback([&ctx] { SetExit(ListRuns(ctx)); });
  auto show_id = std::make_shared<std::int64_t>(0);
  auto show_top = std::make_shared<int>(30);
  auto* show = cmd->add_subcommand("show", "Show a stored forecast run");
  show->add_option("ID", *show_id, "Run id")->required();
  show->add_option("--top", *show_top, "Rows shown")->capture_default_str();
  show->callback([&ctx, show_id, show_top] { SetExit(ShowRun(ctx, *show_id, *show_top)); });
  auto score_id = std::make_shared<std::int64_t>(0);
  auto score_ds = std::make_shared<std::string>("ewp");
  auto* score = cmd->add_subcommand(
      "score", "Score a stored forecast against the onsets recorded in the current dataset");
  score->add_option("ID", *score_id, "Run id")->required();
  score->add_option("--dataset", *score_ds, "Dataset holding the outcomes")->capture_default_str();
  score->callback([&ctx, score_id, score_ds] { SetExit(ScoreRun(ctx, *score_id, *score_ds)); });
}

}  // namespace vigil::cli
