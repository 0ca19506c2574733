// Fully-out-of-sample (FOOS) backtest, the Early Warning Project's protocol:
//
// For each last training year T in [first_train_year, last_train_year], fit
// a fresh model on the complete rows with year <= T, then score the rows of
// data year S = T + horizon and rank them (1 = highest risk). The outcome of
// a row of year S is an onset in S+1..S+horizon, which is known by the end
// of S, so nothing from the future is used. The forecast for an onset in
// year Y is the best (highest risk, lowest rank) of the scores made from
// data years Y-1 .. Y-horizon. Evaluation covers onset years
// [first_train_year + horizon + 1, last_train_year + horizon + 1].
//
// Metrics: recall@k = share of onsets (with a forecast) whose country ranked
// in the top k; AUC of the best risk against the single-year onset over all
// country-years with a forecast; mean-risk ratio = mean best risk of onset
// rows / of other rows. Brier score and log loss score each forecast's
// probability against its own outcome (an onset within the horizon), for
// data years whose horizon lies inside the panel.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/panel.h"
#include "core/progress.h"
#include "core/status.h"
#include "monitor/risk/design.h"
#include "monitor/risk/metrics.h"
#include "monitor/risk/model.h"

namespace vigil::risk {

using ModelFactory = std::function<std::unique_ptr<RiskModel>()>;

struct BacktestOptions {
  int first_train_year = 1991;
  int last_train_year = 2021;
  int threads = 1;             // training years fitted in parallel
  std::uint64_t seed = 90035;  // passed to every fit, as EWP's set.seed(90035)
  int bootstrap = 2000;        // country-cluster bootstrap replicates (0: none)
  ProgressFn progress;
};

// The forecasts made from one data year.
struct ScoredYear {
  int train_year = 0;
  int data_year = 0;
  std::size_t train_rows = 0;
  std::vector<std::size_t> rows;  // panel rows scored
  std::vector<double> risk;
  std::vector<int> rank;
  nlohmann::json fit;  // the model's Describe()
};

struct OnsetRecord {
  int year = 0;
  int country_code = 0;
  std::string country;
  double best_risk = 0;  // NaN when no forecast covered it
  int best_rank = 0;     // 0 when no forecast covered it
};

struct BacktestYear {
  int year = 0;       // onset year
  int countries = 0;  // country-years with a forecast
  int onsets = 0;
  int caught10 = 0, caught20 = 0, caught30 = 0;
};

// One bin of the reliability table: forecasts grouped by predicted risk.
struct CalibrationBin {
  double lo = 0, hi = 0;   // predicted-risk range of the bin
  int forecasts = 0;
  double mean_risk = 0;    // mean predicted probability
  double observed = 0;     // share with an onset within the horizon
};

struct BacktestSummary {
  std::string model;
  int first_onset_year = 0, last_onset_year = 0;
  int onsets = 0;         // onsets in the evaluation years
  int onsets_scored = 0;  // of which had a forecast (recall's denominator)
  int caught10 = 0, caught20 = 0, caught30 = 0;
  double recall10 = 0, recall20 = 0, recall30 = 0;
  double auc = 0, brier = 0, log_loss = 0, mean_risk_ratio = 0;
  // Sampling uncertainty, treating onsets and country-years as independent:
  // DeLong's standard error of the AUC with a normal 95% interval (clipped to
  // [0, 1]) and the Wilson 95% interval of recall@30.
  double auc_se = 0;
  Interval auc_ci95, recall30_ci95;
  // The same, resampling whole countries (all their evaluated years
  // together), which keeps the dependence between a country's years:
  // percentile 95% intervals over `bootstrap` replicates (0: not computed).
  int bootstrap = 0;
  Interval auc_cluster95, recall30_cluster95;
  double seconds = 0;
};

// A country-year that enters the AUC: the best risk and rank of the
// forecasts covering it, and whether an onset happened in it.
struct EvaluatedRow {
  int country_code = 0;
  int year = 0;
  double risk = 0;
  int rank = 0;
  int onset = 0;
};

struct BacktestResult {
  BacktestSummary summary;
  std::vector<EvaluatedRow> evaluated;  // in panel row order
  std::vector<BacktestYear> years;
  std::vector<OnsetRecord> onset_list;
  std::vector<ScoredYear> scored;
  // Reliability of the probabilities (the same forecasts as Brier/log loss),
  // in bins of predicted risk: 0-1%, 1-2%, 2-5%, 5-10%, 10-20%, 20-100%.
  std::vector<CalibrationBin> calibration;
  // Summary fields at top level, plus per_year, onset_list, fits (each
  // training year's Describe()) and evaluated (every country-year of the AUC).
  nlohmann::json ToJson() const;
};

Result<BacktestResult> RunBacktest(const Panel& panel, const ModelSpec& spec,
                                   const std::string& model_name, const ModelFactory& factory,
                                   const BacktestOptions& options);

// Two backtests of the same country-years compared pairwise: DeLong's test
// of the AUC difference (a = model, b = baseline) and, for recall@30, the
// onsets caught in the top 30 by both, by one only, or by neither, with the
// exact McNemar p-value of the discordant ones. Both tests treat rows (and
// onsets) as independent.
// With bootstrap > 0 it also gives percentile 95% intervals of the two
// differences (model - baseline) over country-cluster bootstrap replicates,
// both models scored on the same draws.
struct BacktestComparison {
  std::string model, baseline;
  PairedAuc auc;
  int onsets = 0;
  int caught_both = 0, caught_model_only = 0, caught_baseline_only = 0, caught_neither = 0;
  double recall30_p = 0;
  int bootstrap = 0;
  Interval auc_diff_cluster95, recall30_diff_cluster95;
  nlohmann::json ToJson() const;
};

// Fails (InvalidArgument) when the two results evaluate different
// country-years or outcomes, e.g. different panels, years or specs.
Result<BacktestComparison> CompareBacktests(const BacktestResult& model, const BacktestResult& baseline,
                                            int bootstrap = 0, std::uint64_t seed = 90035);

// Fills summary.bootstrap and the cluster intervals from result->evaluated:
// `replicates` draws of as many countries as were evaluated, with
// replacement, each row weighted by its country's draw count.
void ClusterBootstrap(int replicates, std::uint64_t seed, BacktestResult* result);

// Evaluates already scored years (exposed for tests and for scoring stored
// forecasts): fills summary (but not model/seconds), years and onset_list.
void Evaluate(const Panel& panel, const ModelSpec& spec, int first_onset_year, int last_onset_year,
              BacktestResult* result);

}  // namespace vigil::risk
