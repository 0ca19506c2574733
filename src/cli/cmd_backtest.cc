// vigil backtest: EWP's fully-out-of-sample protocol for any vigil model.
#include <fmt/format.h>

#include <cmath>
#include <iostream>
#include <optional>

#include "cli/cli.h"
#include "cli/model_args.h"
#include "core/parallel.h"
#include "monitor/risk/backtest.h"
#include "monitor/risk/models.h"
#include "store/forecast_store.h"

namespace vigil::cli {

namespace {

struct BacktestArgs {
  ModelArgs m;
  int first = 1991, last = 2021;
  std::string json_file;
  std::string baseline;  // model to compare with, pairwise
  int bootstrap = 2000;  // country-cluster bootstrap replicates
  bool no_save = false;
};

std::string F3(double v) { return std::isfinite(v) ? fmt::format("{:.3f}", v) : "NA"; }

void PrintTable(const risk::BacktestResult& r) {
  std::cout << fmt::format("{:>6} {:>9} {:>6} {:>4} {:>4} {:>4}  {}\n", "year", "countries", "onsets",
                           "@10", "@20", "@30", "onsets (best rank of the two forecasts)");
  for (const auto& y : r.years) {
    std::string names;
    for (const auto& o : r.onset_list) {
      if (o.year != y.year) continue;
      names += fmt::format("{}{} ({})", names.empty() ? "" : ", ", o.country,
                           o.best_rank ? std::to_string(o.best_rank) : "no forecast");
    }
    std::cout << fmt::format("{:>6} {:>9} {:>6} {:>4} {:>4} {:>4}  {}\n", y.year, y.countries, y.onsets,
                             y.caught10, y.caught20, y.caught30, names);
  }
  const auto& s = r.summary;
  std::cout << fmt::format(
      "\nmodel {}  onset years {}-{}  onsets {} (with forecast {})\n"
      "recall@10 {}  recall@20 {}  recall@30 {} ({} caught; 95% CI {}-{}, Wilson)\n"
      "AUC {} (SE {}; 95% CI {}-{}, DeLong)  Brier {}  log loss {}  mean-risk ratio {}  seconds {:.2f}\n",
      s.model, s.first_onset_year, s.last_onset_year, s.onsets, s.onsets_scored, F3(s.recall10),
      F3(s.recall20), F3(s.recall30), s.caught30, F3(s.recall30_ci95.lo), F3(s.recall30_ci95.hi),
      F3(s.auc), F3(s.auc_se), F3(s.auc_ci95.lo), F3(s.auc_ci95.hi), fmt::format("{:.5f}", s.brier),
      F3(s.log_loss), F3(s.mean_risk_ratio), s.seconds);
  if (s.bootstrap > 0) {
    std::cout << fmt::format(
        "resampling whole countries ({} replicates), 95% intervals: recall@30 {}-{}, AUC {}-{}\n",
        s.bootstrap, F3(s.recall30_cluster95.lo), F3(s.recall30_cluster95.hi), F3(s.auc_cluster95.lo),
        F3(s.auc_cluster95.hi));
  }
  std::cout << "calibration (predicted risk bin: forecasts, mean predicted, observed onset share):\n";
  for (const auto& b : r.calibration) {
    if (!b.forecasts) continue;
    std::cout << fmt::format("  {:>4.0f}-{:<4.0f}%  {:>5}  {:>6.2f}%  {:>6.2f}%\n", 100 * b.lo, 100 * b.hi,
                             b.forecasts, 100 * b.mean_risk, 100 * b.observed);
  }
}

void PrintComparison(const risk::BacktestComparison& c, std::size_t rows) {
  std::cout << fmt::format(
      "\ncompared with {} on the same {} country-years (paired; rows treated as independent):\n"
      "  AUC {} vs {}: difference {:+.3f} (SE {}, z {:.2f}, p {:.3f}, DeLong)\n"
      "  onsets in the top 30: both {}, {} only {}, {} only {}, neither {} (exact McNemar p {:.3f})\n",
      c.baseline, rows, F3(c.auc.auc_a), F3(c.auc.auc_b), c.auc.diff, F3(c.auc.se), c.auc.z, c.auc.p,
      c.caught_both, c.model, c.caught_model_only, c.baseline, c.caught_baseline_only, c.caught_neither,
      c.recall30_p);
  if (c.bootstrap > 0) {
    std::cout << fmt::format(
        "  resampling whole countries ({} replicates), 95% intervals of the differences: "
        "AUC {:+.3f} to {:+.3f}, recall@30 {:+.3f} to {:+.3f}\n",
        c.bootstrap, c.auc_diff_cluster95.lo, c.auc_diff_cluster95.hi, c.recall30_diff_cluster95.lo,
        c.recall30_diff_cluster95.hi);
  }
}

int Run(Context& ctx, const BacktestArgs& a) {
  VIGIL_ASSIGN_OR_RETURN_CLI(store::Db * db, ctx.Db());
  VIGIL_ASSIGN_OR_RETURN_CLI(ModelInputs in, PrepareModel(ctx, a.m));
  const auto& spec = in.spec;
  const auto& loaded = in.loaded;
  risk::BacktestOptions o;
  o.first_train_year = a.first;
  o.last_train_year = a.last;
  o.threads = std::max(1, a.m.threads);
  o.seed = a.m.seed;
  o.bootstrap = a.bootstrap;
  o.progress = ctx.Progress("backtest " + a.m.model);
  VIGIL_ASSIGN_OR_RETURN_CLI(risk::BacktestResult r,
                             risk::RunBacktest(loaded.panel, spec, a.m.model, in.factory, o));
  nlohmann::json j = r.ToJson();
  std::optional<risk::BacktestComparison> comparison;
  if (!a.baseline.empty()) {
    VIGIL_ASSIGN_OR_RETURN_CLI(risk::ModelFactory base_factory, risk::MakeModelFactory(a.baseline, spec));
    risk::BacktestOptions bo = o;
    bo.progress = ctx.Progress("backtest baseline " + a.baseline);
    VIGIL_ASSIGN_OR_RETURN_CLI(risk::BacktestResult base,
                               risk::RunBacktest(loaded.panel, spec, a.baseline, base_factory, bo));
    VIGIL_ASSIGN_OR_RETURN_CLI(comparison, risk::CompareBacktests(r, base, a.bootstrap, a.m.seed));
    j["comparison"] = comparison->ToJson();
  }
  j["dataset"] = {{"name", loaded.info.name}, {"version", loaded.info.version},
                  {"sha256", loaded.info.sha256}};
  j["params"] = {{"first_train_year", a.first}, {"last_train_year", a.last}, {"seed", a.m.seed},
                 {"threads", o.threads}, {"spec", spec.name},
                 {"bootstrap", a.bootstrap}};
  if (!a.no_save) {
    store::BacktestRun run;
    run.model = a.m.model;
    run.dataset_id = loaded.info.id;
    run.params_json = j["params"].dump();
    nlohmann::json summary = j;
    summary.erase("per_year");
    summary.erase("onset_list");
    summary.erase("evaluated");
    run.summary_json = summary.dump();
    run.per_year_json = j["per_year"].dump();
    VIGIL_ASSIGN_OR_RETURN_CLI(std::int64_t id, store::SaveBacktestRun(*db, run));
    j["run_id"] = id;
  }
  if (!a.json_file.empty()) {
    Status st = WriteJsonFile(a.json_file, j);
    if (!st.ok()) return Fail(st);
  }
  if (ctx.json) {
    PrintJson(j);
  } else if (a.json_file != "-") {
    PrintTable(r);
    if (comparison) PrintComparison(*comparison, r.evaluated.size());
  }
  return kExitOk;
}

}  // namespace

void RegisterBacktest(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<BacktestArgs>();
  auto* cmd = app.add_subcommand(
      "backtest",
      "Fully-out-of-sample backtest (EWP protocol): for each last training year T, fit on years <= T,\n"
      "score year T+2; an onset in year Y is judged by the best rank of the forecasts from Y-1 and Y-2.");
  AddModelOptions(cmd, &args->m);
  cmd->add_option("--first-train-year", args->first, "First last-training-year")->capture_default_str();
  cmd->add_option("--last-train-year", args->last, "Last last-training-year")->capture_default_str();
  cmd->add_option("--json", args->json_file, "Write the result as JSON to FILE ('-' for stdout)");
  cmd->add_option("--baseline", args->baseline,
                  "Also backtest this model and compare pairwise: DeLong test of the AUC difference, "
                  "exact McNemar test of the onsets caught in the top 30")
      ->check(CLI::IsMember(risk::ModelNames()));
  cmd->add_option("--bootstrap", args->bootstrap,
                  "Replicates of the country-cluster bootstrap of recall@30 and AUC (0: none)")
      ->capture_default_str()
      ->check(CLI::Range(0, 100000));
  cmd->add_flag("--no-save", args->no_save, "Do not record the run in the database");
  cmd->callback([&ctx, args] { SetExit(Run(ctx, *args)); });
}

}  // namespace vigil::cli
