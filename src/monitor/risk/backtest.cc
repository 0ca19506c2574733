#include "monitor/risk/backtest.h"

#include <algorithm>
#include <chrono>
#include <tuple>
#include <cmath>
#include <map>
#include <mutex>
#include <random>

#include "core/parallel.h"
#include "monitor/risk/json_number.h"
#include "monitor/risk/metrics.h"

namespace vigil::risk {

Result<BacktestResult> RunBacktest(const Panel& raw, const ModelSpec& spec,
                                   const std::string& model_name, const ModelFactory& factory,
                                   const BacktestOptions& options) {
  const Panel panel = WithDerived(raw, spec);
  VIGIL_RETURN_IF_ERROR(CheckSpec(panel, spec));
  if (options.first_train_year > options.last_train_year) {
    return Status::InvalidArgument("--first-train-year " + std::to_string(options.first_train_year) +
                                   " is after --last-train-year " +
                                   std::to_string(options.last_train_year));
  }
  const int h = spec.horizon_years;
  if (options.first_train_year < panel.MinYear() || options.last_train_year + h > panel.MaxYear()) {
    return Status::InvalidArgument(
        "training years " + std::to_string(options.first_train_year) + ".." +
        std::to_string(options.last_train_year) + " need data years up to " +
        std::to_string(options.last_train_year + h) + ", but dataset '" + panel.dataset_name +
        "' covers " + std::to_string(panel.MinYear()) + ".." + std::to_string(panel.MaxYear()));
  }
  auto t0 = std::chrono::steady_clock::now();
  const std::size_t n_years =
      static_cast<std::size_t>(options.last_train_year - options.first_train_year + 1);
  BacktestResult result;
  result.scored.resize(n_years);
  std::vector<Status> errors(n_years);
  std::mutex mu;
  std::size_t done = 0;
  const std::vector<char> complete = CompleteRows(panel, spec);
  // Latest (largest) training sets first, so that the last fits to finish are
  // small ones and the threads end together.
  ParallelFor(n_years, options.threads, [&](std::size_t i) {
    const std::size_t k = n_years - 1 - i;
    const int T = options.first_train_year + static_cast<int>(k);
    Dataset train = TrainingSet(panel, spec, T, &complete);
    ScoringSet score = ScoringRows(panel, spec, T + h);
    ScoredYear& out = result.scored[k];
    out.train_year = T;
    out.data_year = T + h;
    out.train_rows = train.rows();
    auto model = factory();
    FitOptions fo;
    fo.seed = options.seed;
    fo.threads = 1;
    Status st = model->Fit(train, fo);
    if (!st.ok()) {
      errors[k] = st.WithContext("fitting on years <= " + std::to_string(T));
    } else {
      Eigen::VectorXd p = score.data.rows() ? model->Predict(score.data.x) : Eigen::VectorXd();
      out.rows = score.row_index;
      out.risk.assign(p.data(), p.data() + p.size());
      out.rank = RankDescending(out.risk);
      out.fit = model->Describe();
    }
    std::lock_guard<std::mutex> lock(mu);
    Report(options.progress, ++done, n_years, "trained <= " + std::to_string(T));
  });
  for (const auto& e : errors) VIGIL_RETURN_IF_ERROR(e);
  Evaluate(panel, spec, options.first_train_year + h + 1, options.last_train_year + h + 1, &result);
  ClusterBootstrap(options.bootstrap, options.seed, &result);
  result.summary.model = model_name;
  result.summary.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return result;
}

void Evaluate(const Panel& panel, const ModelSpec& spec, int first_onset_year, int last_onset_year,
              BacktestResult* result) {
  const int h = spec.horizon_years;
  // (country code, data year) -> (risk, rank)
  std::map<std::pair<int, int>, std::pair<double, int>> forecast;
  for (const auto& sy : result->scored) {
    for (std::size_t r = 0; r < sy.rows.size(); ++r) {
      forecast[{panel.country_code[sy.rows[r]], sy.data_year}] = {sy.risk[r], sy.rank[r]};
    }
  }
  const std::size_t onset_col = *panel.OutcomeIndex(spec.onset);
  const std::size_t outcome_col = *panel.OutcomeIndex(spec.outcome);

  BacktestSummary& s = result->summary;
  s.first_onset_year = first_onset_year;
  s.last_onset_year = last_onset_year;
  result->years.clear();
  result->onset_list.clear();
  result->evaluated.clear();
  std::map<int, BacktestYear> by_year;
  std::vector<double> best_risk;
  std::vector<int> label;
  for (std::size_t i = 0; i < panel.rows(); ++i) {
    const int Y = panel.year[i];
    if (Y < first_onset_year || Y > last_onset_year) continue;
    const double onset = panel.y(i, onset_col);
    double risk = std::nan("");
    int rank = 0;
    for (int lag = 1; lag <= h; ++lag) {
      auto it = forecast.find({panel.country_code[i], Y - lag});
      if (it == forecast.end()) continue;
      if (std::isnan(risk) || it->second.first > risk) risk = it->second.first;
      if (rank == 0 || it->second.second < rank) rank = it->second.second;
    }
    BacktestYear& row = by_year[Y];
    row.year = Y;
    const bool is_onset = onset == 1.0;
    if (is_onset) {
      ++row.onsets;
      result->onset_list.push_back({Y, panel.country_code[i], panel.country_name[i], risk, rank});
    }
    if (rank == 0 || IsNA(onset)) continue;
    result->evaluated.push_back({panel.country_code[i], Y, risk, rank, is_onset ? 1 : 0});
    ++row.countries;
    best_risk.push_back(risk);
    label.push_back(is_onset ? 1 : 0);
    if (is_onset) {
      row.caught10 += rank <= 10;
      row.caught20 += rank <= 20;
      row.caught30 += rank <= 30;
    }
  }
  std::sort(result->onset_list.begin(), result->onset_list.end(),
            [](const OnsetRecord& a, const OnsetRecord& b) {
              return std::tie(a.year, a.country) < std::tie(b.year, b.country);
            });
  s.onsets = s.onsets_scored = s.caught10 = s.caught20 = s.caught30 = 0;
  for (auto& [y, row] : by_year) {
    result->years.push_back(row);
    s.onsets += row.onsets;
    s.caught10 += row.caught10;
    s.caught20 += row.caught20;
    s.caught30 += row.caught30;
  }
  for (const auto& o : result->onset_list) s.onsets_scored += o.best_rank > 0;
  const double denom = s.onsets_scored ? s.onsets_scored : std::nan("");
  s.recall10 = s.caught10 / denom;
  s.recall20 = s.caught20 / denom;
  s.recall30 = s.caught30 / denom;
  const AucEstimate auc = AucDeLong(best_risk, label);
  s.auc = auc.auc;
  s.auc_se = auc.se;
  constexpr double kZ95 = 1.959963984540054;
  s.auc_ci95 = {std::max(0.0, auc.auc - kZ95 * auc.se), std::min(1.0, auc.auc + kZ95 * auc.se)};
  s.recall30_ci95 = WilsonInterval(s.caught30, s.onsets_scored, kZ95);
  double pos = 0, neg = 0, npos = 0, nneg = 0;
  for (std::size_t i = 0; i < label.size(); ++i) {
    (label[i] ? pos : neg) += best_risk[i];
    (label[i] ? npos : nneg) += 1;
  }
  s.mean_risk_ratio = (pos / npos) / (neg / nneg);

  // Proper scores: each forecast against its own outcome, where fully observed.
  std::vector<double> prob;
  std::vector<int> outcome;
  for (const auto& sy : result->scored) {
    if (sy.data_year + h > panel.MaxYear()) continue;
    for (std::size_t r = 0; r < sy.rows.size(); ++r) {
      double y = panel.y(sy.rows[r], outcome_col);
      if (IsNA(y)) continue;
      prob.push_back(sy.risk[r]);
      outcome.push_back(y == 1.0 ? 1 : 0);
    }
  }
  s.brier = Brier(prob, outcome);
  s.log_loss = LogLoss(prob, outcome);

  static const double kEdges[] = {0, 0.01, 0.02, 0.05, 0.10, 0.20, 1.0 + 1e-12};
  result->calibration.clear();
  for (std::size_t b = 0; b + 1 < std::size(kEdges); ++b) {
    CalibrationBin bin;
    bin.lo = kEdges[b];
    bin.hi = std::min(kEdges[b + 1], 1.0);
    double sum_p = 0, sum_y = 0;
    for (std::size_t i = 0; i < prob.size(); ++i) {
      if (prob[i] < kEdges[b] || prob[i] >= kEdges[b + 1]) continue;
      ++bin.forecasts;
      sum_p += prob[i];
      sum_y += outcome[i];
    }
    bin.mean_risk = bin.forecasts ? sum_p / bin.forecasts : std::nan("");
    bin.observed = bin.forecasts ? sum_y / bin.forecasts : std::nan("");
    result->calibration.push_back(bin);
  }
}

namespace {

// Country-cluster bootstrap draws over evaluated rows: each replicate draws
// as many countries as there are, with replacement; a country's weight is its
// draw count, and every row of it carries that weight.
class ClusterDraws {
 public:
  ClusterDraws(const std::vector<EvaluatedRow>& rows, std::uint64_t seed) : rng_(seed) {
    std::map<int, int> index;
    for (const auto& r : rows) {
      auto [it, inserted] = index.try_emplace(r.country_code, static_cast<int>(index.size()));
      cluster_of_row_.push_back(it->second);
    }
    weight_.resize(index.size());
  }
  int clusters() const { return static_cast<int>(weight_.size()); }
  const std::vector<int>& cluster_of_row() const { return cluster_of_row_; }
  // The country weights of the next replicate.
  const std::vector<double>& Next() {
    std::fill(weight_.begin(), weight_.end(), 0.0);
    std::uniform_int_distribution<std::size_t> pick(0, weight_.size() - 1);
    for (std::size_t k = 0; k < weight_.size(); ++k) weight_[pick(rng_)] += 1;
    return weight_;
  }

 private:
  std::mt19937_64 rng_;
  std::vector<int> cluster_of_row_;
  std::vector<double> weight_;
};

// Recall@30 with country weights: weighted caught onsets over weighted
// onsets (NaN when no onset's country is drawn).
class ClusterRecall30 {
 public:
  ClusterRecall30(const std::vector<EvaluatedRow>& rows, const std::vector<int>& cluster_of_row) {
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (!rows[i].onset) continue;
      onset_cluster_.push_back(cluster_of_row[i]);
      caught_.push_back(rows[i].rank <= 30 ? 1.0 : 0.0);
    }
  }
  double operator()(const std::vector<double>& w) const {
    double caught = 0, onsets = 0;
    for (std::size_t k = 0; k < onset_cluster_.size(); ++k) {
      onsets += w[onset_cluster_[k]];
      caught += w[onset_cluster_[k]] * caught_[k];
    }
    return onsets > 0 ? caught / onsets : std::nan("");
  }

 private:
  std::vector<int> onset_cluster_;
  std::vector<double> caught_;
};

std::vector<double> Risks(const std::vector<EvaluatedRow>& rows) {
  std::vector<double> v;
  for (const auto& r : rows) v.push_back(r.risk);
  return v;
}

std::vector<int> Onsets(const std::vector<EvaluatedRow>& rows) {
  std::vector<int> v;
  for (const auto& r : rows) v.push_back(r.onset);
  return v;
}

Interval Percentile95(const std::vector<double>& values) {
  return {Quantile(values, 0.025), Quantile(values, 0.975)};
}

// [lo, hi], or null when the interval was not computed.
nlohmann::json IntervalJson(const Interval& v, bool computed) {
  if (!computed) return nullptr;
  return nlohmann::json::array({JsonNumber(v.lo), JsonNumber(v.hi)});
}

}  // namespace

void ClusterBootstrap(int replicates, std::uint64_t seed, BacktestResult* result) {
  auto& s = result->summary;
  s.bootstrap = 0;
  const auto& rows = result->evaluated;
  if (replicates <= 0 || rows.empty()) return;
  ClusterDraws draws(rows, seed);
  const ClusterAuc auc(Risks(rows), Onsets(rows), draws.cluster_of_row(), draws.clusters());
  const ClusterRecall30 recall(rows, draws.cluster_of_row());
  std::vector<double> aucs, recalls;
  for (int b = 0; b < replicates; ++b) {
    const auto& w = draws.Next();
    aucs.push_back(auc(w));
    recalls.push_back(recall(w));
  }
  s.bootstrap = replicates;
  s.auc_cluster95 = Percentile95(aucs);
  s.recall30_cluster95 = Percentile95(recalls);
}

Result<BacktestComparison> CompareBacktests(const BacktestResult& model, const BacktestResult& baseline,
                                            int bootstrap, std::uint64_t seed) {
  const auto& a = model.evaluated;
  const auto& b = baseline.evaluated;
  bool same = a.size() == b.size();
  for (std::size_t i = 0; same && i < a.size(); ++i) {
    same = a[i].country_code == b[i].country_code && a[i].year == b[i].year && a[i].onset == b[i].onset;
  }
  if (!same) {
    return Status::InvalidArgument("cannot compare backtests of '" + model.summary.model + "' and '" +
                                   baseline.summary.model + "': they evaluate different country-years (" +
                                   std::to_string(a.size()) + " and " + std::to_string(b.size()) +
                                   " rows)");
  }
  BacktestComparison c;
  c.model = model.summary.model;
  c.baseline = baseline.summary.model;
  const std::vector<double> ra = Risks(a), rb = Risks(b);
  const std::vector<int> label = Onsets(a);
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (!a[i].onset) continue;
    ++c.onsets;
    const bool in_a = a[i].rank <= 30, in_b = b[i].rank <= 30;
    (in_a ? (in_b ? c.caught_both : c.caught_model_only) : (in_b ? c.caught_baseline_only : c.caught_neither))++;
  }
  c.auc = DeLongPairedTest(ra, rb, label);
  c.recall30_p = McNemarExactP(c.caught_model_only, c.caught_baseline_only);
  if (bootstrap > 0 && !a.empty()) {
    ClusterDraws draws(a, seed);  // b has the same countries, row for row
    const ClusterAuc auc_a(ra, label, draws.cluster_of_row(), draws.clusters());
    const ClusterAuc auc_b(rb, label, draws.cluster_of_row(), draws.clusters());
    const ClusterRecall30 recall_a(a, draws.cluster_of_row()), recall_b(b, draws.cluster_of_row());
    std::vector<double> auc_diff, recall_diff;
    for (int r = 0; r < bootstrap; ++r) {
      const auto& w = draws.Next();
      auc_diff.push_back(auc_a(w) - auc_b(w));
      recall_diff.push_back(recall_a(w) - recall_b(w));
    }
    c.bootstrap = bootstrap;
    c.auc_diff_cluster95 = Percentile95(auc_diff);
    c.recall30_diff_cluster95 = Percentile95(recall_diff);
  }
  return c;
}

nlohmann::json BacktestComparison::ToJson() const {
  return {{"model", model},
          {"baseline", baseline},
          {"auc_model", JsonNumber(auc.auc_a)},
          {"auc_baseline", JsonNumber(auc.auc_b)},
          {"auc_diff", JsonNumber(auc.diff)},
          {"auc_diff_se", JsonNumber(auc.se)},
          {"auc_diff_z", JsonNumber(auc.z)},
          {"auc_diff_p", JsonNumber(auc.p)},
          {"onsets", onsets},
          {"caught_at_30_both", caught_both},
          {"caught_at_30_model_only", caught_model_only},
          {"caught_at_30_baseline_only", caught_baseline_only},
          {"caught_at_30_neither", caught_neither},
          {"recall_at_30_p", JsonNumber(recall30_p)},
          {"bootstrap", bootstrap},
          {"auc_diff_cluster95", IntervalJson(auc_diff_cluster95, bootstrap > 0)},
          {"recall_at_30_diff_cluster95", IntervalJson(recall30_diff_cluster95, bootstrap > 0)}};
}

nlohmann::json BacktestResult::ToJson() const {
  const auto& s = summary;
  nlohmann::json j = {
      {"model", s.model},
      {"first_onset_year", s.first_onset_year},
      {"last_onset_year", s.last_onset_year},
      {"onsets", s.onsets},
      {"onsets_with_forecast", s.onsets_scored},
      {"caught_at_10", s.caught10},
      {"caught_at_20", s.caught20},
      {"caught_at_30", s.caught30},
      {"recall_at_10", JsonNumber(s.recall10)},
      {"recall_at_20", JsonNumber(s.recall20)},
      {"recall_at_30", JsonNumber(s.recall30)},
      {"auc", JsonNumber(s.auc)},
      {"auc_se", JsonNumber(s.auc_se)},
      {"auc_ci95", IntervalJson(s.auc_ci95, true)},
      {"recall_at_30_ci95", IntervalJson(s.recall30_ci95, true)},
      {"bootstrap", s.bootstrap},
      {"auc_cluster95", IntervalJson(s.auc_cluster95, s.bootstrap > 0)},
      {"recall_at_30_cluster95", IntervalJson(s.recall30_cluster95, s.bootstrap > 0)},
      {"brier", JsonNumber(s.brier)},
      {"log_loss", JsonNumber(s.log_loss)},
      {"mean_risk_ratio", JsonNumber(s.mean_risk_ratio)},
      {"seconds", s.seconds},
  };
  j["per_year"] = nlohmann::json::array();
  for (const auto& y : years) {
    j["per_year"].push_back({{"year", y.year}, {"countries", y.countries}, {"onsets", y.onsets},
                             {"caught_at_10", y.caught10}, {"caught_at_20", y.caught20},
                             {"caught_at_30", y.caught30}});
  }
  j["calibration"] = nlohmann::json::array();
  for (const auto& b : calibration) {
    j["calibration"].push_back({{"risk_from", b.lo}, {"risk_to", b.hi}, {"forecasts", b.forecasts},
                                {"mean_risk", JsonNumber(b.mean_risk)}, {"observed", JsonNumber(b.observed)}});
  }
  j["fits"] = nlohmann::json::array();
  for (const auto& sy : scored) {
    j["fits"].push_back({{"train_last_year", sy.train_year}, {"data_year", sy.data_year},
                         {"train_rows", sy.train_rows}, {"model", sy.fit}});
  }
  j["onset_list"] = nlohmann::json::array();
  for (const auto& o : onset_list) {
    j["onset_list"].push_back({{"year", o.year}, {"country", o.country},
                               {"country_code", o.country_code}, {"best_risk", JsonNumber(o.best_risk)},
                               {"best_rank", o.best_rank ? nlohmann::json(o.best_rank) : nullptr}});
  }
  j["evaluated"] = nlohmann::json::array();
  for (const auto& e : evaluated) {
    j["evaluated"].push_back({{"country_code", e.country_code}, {"year", e.year},
                              {"risk", JsonNumber(e.risk)}, {"rank", e.rank}, {"onset", e.onset}});
  }
  return j;
}

}  // namespace vigil::risk
