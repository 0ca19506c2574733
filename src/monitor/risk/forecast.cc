#include "monitor/risk/forecast.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <mutex>
#include <numeric>
#include <random>
#include <sstream>

#include "core/csv.h"
#include "core/parallel.h"
#include "monitor/risk/json_number.h"
#include "monitor/risk/metrics.h"

namespace vigil::risk {

namespace {

struct Scored {
  Dataset train;  // what the model was fitted on
  ScoringSet set;
  Eigen::VectorXd risk;
  std::vector<int> rank;
};

Result<Scored> FitAndScore(const Panel& panel, const ModelSpec& spec, const ModelFactory& factory,
                           int year, const FitOptions& fo, std::unique_ptr<RiskModel>* kept) {
  Scored s;
  s.train = TrainingSet(panel, spec, year - spec.horizon_years);
  if (s.train.rows() == 0) {
    return Status::InvalidArgument("no complete training rows with year <= " +
                                   std::to_string(year - spec.horizon_years));
  }
  auto model = factory();
  VIGIL_RETURN_IF_ERROR(model->Fit(s.train, fo).WithContext(
      "fitting on years <= " + std::to_string(year - spec.horizon_years)));
  s.set = ScoringRows(panel, spec, year);
  s.risk = s.set.data.rows() ? model->Predict(s.set.data.x) : Eigen::VectorXd();
  s.rank = RankDescending(std::vector<double>(s.risk.data(), s.risk.data() + s.risk.size()));
  if (kept) *kept = std::move(model);
  return s;
}

// Resamples countries with replacement; returns the rows of the resample.
Dataset ClusterBootstrap(const Dataset& d, std::mt19937_64& rng) {
  std::map<int, std::vector<Eigen::Index>> by_country;
  for (Eigen::Index i = 0; i < d.x.rows(); ++i) by_country[d.country[i]].push_back(i);
  std::vector<const std::vector<Eigen::Index>*> groups;
  for (const auto& [c, rows] : by_country) groups.push_back(&rows);
  std::uniform_int_distribution<std::size_t> pick(0, groups.size() - 1);
  std::vector<Eigen::Index> rows;
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const auto& chosen = *groups[pick(rng)];
    rows.insert(rows.end(), chosen.begin(), chosen.end());
  }
  Dataset b;
  b.features = d.features;
  b.x.resize(static_cast<Eigen::Index>(rows.size()), d.x.cols());
  b.y.resize(static_cast<Eigen::Index>(rows.size()));
  for (std::size_t r = 0; r < rows.size(); ++r) {
    b.x.row(static_cast<Eigen::Index>(r)) = d.x.row(rows[r]);
    b.y(static_cast<Eigen::Index>(r)) = d.y(rows[r]);
    b.year.push_back(d.year[static_cast<std::size_t>(rows[r])]);
    // Each draw is a distinct pseudo-country so that models grouping by
    // country (e.g. for folds) treat repeated draws as separate units.
    b.country.push_back(static_cast<int>(r));
  }
  return b;
}

}  // namespace

Result<Forecast> MakeForecast(const Panel& raw, const ModelSpec& spec, const std::string& model_name,
                              const ModelFactory& factory, const ForecastOptions& options) {
  const Panel panel = WithDerived(raw, spec);
  VIGIL_RETURN_IF_ERROR(CheckSpec(panel, spec));
  const int Y = options.year;
  if (Y < panel.MinYear() + spec.horizon_years || Y > panel.MaxYear()) {
    return Status::InvalidArgument("--year " + std::to_string(Y) + " is outside what dataset '" +
                                   panel.dataset_name + "' supports (" +
                                   std::to_string(panel.MinYear() + spec.horizon_years) + ".." +
                                   std::to_string(panel.MaxYear()) + ")");
  }
  if (!(options.interval > 0 && options.interval < 1)) {
    return Status::InvalidArgument("--interval must be between 0 and 1");
  }
  auto t0 = std::chrono::steady_clock::now();
  FitOptions fo;
  fo.seed = options.seed;
  fo.threads = options.threads;

  std::unique_ptr<RiskModel> model;
  VIGIL_ASSIGN_OR_RETURN(Scored now, FitAndScore(panel, spec, factory, Y, fo, &model));
  if (now.set.row_index.empty()) {
    return Status::InvalidArgument("dataset '" + panel.dataset_name + "' has no complete rows for " +
                                   std::to_string(Y));
  }
  const int T = spec.triage.top_n;
  const int history = std::max(spec.triage.consistent_years, 2);
  // Earlier forecasts (Y-1, Y-2, ...) for movers and persistence.
  std::vector<std::map<int, std::pair<double, int>>> past;  // past[k]: from Y-1-k
  for (int k = 1; k < history; ++k) {
    std::map<int, std::pair<double, int>> m;
    if (Y - k - spec.horizon_years >= panel.MinYear()) {
      auto prev = FitAndScore(panel, spec, factory, Y - k, fo, nullptr);
      if (prev.ok()) {
        for (std::size_t r = 0; r < prev->set.row_index.size(); ++r) {
          m[panel.country_code[prev->set.row_index[r]]] = {prev->risk(static_cast<Eigen::Index>(r)),
                                                           prev->rank[r]};
        }
      }
    }
    past.push_back(std::move(m));
  }
  Report(options.progress, 1, 1 + static_cast<std::size_t>(options.bootstrap), "model fitted");

  // Bootstrap interval.
  const std::size_t n = now.set.row_index.size();
  std::vector<std::vector<double>> draws(n);
  if (options.bootstrap > 0) {
    std::vector<Eigen::VectorXd> boot(static_cast<std::size_t>(options.bootstrap));
    std::vector<Status> errors(boot.size());
    std::mutex mu;
    std::size_t done = 1;
    FitOptions inner = fo;
    inner.threads = 1;
    ParallelFor(boot.size(), options.threads, [&](std::size_t b) {
      std::mt19937_64 rng(options.seed * 1000003ULL + b);
      Dataset d = ClusterBootstrap(now.train, rng);
      auto m = factory();
      errors[b] = m->Fit(d, inner);
      if (errors[b].ok()) boot[b] = m->Predict(now.set.data.x);
      std::lock_guard<std::mutex> lock(mu);
      Report(options.progress, ++done, boot.size() + 1, "bootstrap " + std::to_string(b + 1));
    });
    for (std::size_t b = 0; b < boot.size(); ++b) {
      if (!errors[b].ok()) return errors[b].WithContext("bootstrap refit " + std::to_string(b + 1));
      for (std::size_t i = 0; i < n; ++i) draws[i].push_back(boot[b](static_cast<Eigen::Index>(i)));
    }
  }

  Eigen::MatrixXd contrib = model->Contributions(now.set.data.x);
  // Factors with the same value for every country this year (the time
  // trend) cannot explain why one country is riskier than another.
  std::vector<bool> varies(static_cast<std::size_t>(contrib.cols()));
  for (Eigen::Index j = 0; j < contrib.cols(); ++j) {
    const auto col = now.set.data.x.col(j);
    varies[static_cast<std::size_t>(j)] = col.maxCoeff() > col.minCoeff();
  }
  std::vector<int> violence_cols;
  for (const auto& name : spec.triage.recent_violence_indicators) {
    if (auto idx = panel.PredictorIndex(name)) violence_cols.push_back(static_cast<int>(*idx));
  }

  Forecast f;
  f.model = model_name;
  f.spec = spec.name;
  f.dataset = panel.dataset_name;
  f.dataset_version = panel.dataset_version;
  f.base_year = Y;
  f.target_first = Y + 1;
  f.target_last = Y + spec.horizon_years;
  f.train_last_year = Y - spec.horizon_years;
  f.train_rows = now.train.rows();
  f.bootstrap = options.bootstrap;
  f.interval = options.interval;
  f.fit = model->Describe();
  const double alpha = (1 - options.interval) / 2;
  for (std::size_t r = 0; r < n; ++r) {
    const std::size_t i = now.set.row_index[r];
    CountryForecast c;
    c.country_code = panel.country_code[i];
    c.country = panel.country_name[i];
    c.risk = now.risk(static_cast<Eigen::Index>(r));
    c.rank = now.rank[r];
    c.risk_lo = draws[r].empty() ? std::nan("") : Quantile(draws[r], alpha);
    c.risk_hi = draws[r].empty() ? std::nan("") : Quantile(draws[r], 1 - alpha);
    c.prev_risk = std::nan("");
    if (auto it = past[0].find(c.country_code); it != past[0].end()) {
      c.prev_risk = it->second.first;
      c.prev_rank = it->second.second;
    }
    std::vector<std::size_t> order;
    for (std::size_t j = 0; j < static_cast<std::size_t>(contrib.cols()); ++j) {
      if (varies[j]) order.push_back(j);
    }
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return std::abs(contrib(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(a))) >
             std::abs(contrib(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(b)));
    });
    for (std::size_t k = 0; k < order.size() && static_cast<int>(k) < options.top_factors; ++k) {
      double e = contrib(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(order[k]));
      if (e == 0) break;
      c.factors.push_back({spec.predictors[order[k]],
                           now.set.data.x(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(order[k])),
                           e});
    }
    // Triage groups.
    if (c.rank <= T) c.triage.push_back("top-risk");
    if (c.prev_rank > 0 && c.rank <= 50 &&
        (c.prev_rank - c.rank >= spec.triage.big_mover_rank_gain ||
         c.risk >= spec.triage.big_mover_risk_ratio * c.prev_risk)) {
      c.triage.push_back("big-mover");
    }
    if (c.rank <= T && !violence_cols.empty()) {
      bool quiet = std::all_of(violence_cols.begin(), violence_cols.end(),
                               [&](int col) { return panel.x(i, static_cast<std::size_t>(col)) == 0; });
      if (quiet) c.triage.push_back("surprise");
    }
    if (c.rank <= T) {
      bool always = true;
      for (int k = 0; k < spec.triage.consistent_years - 1; ++k) {
        auto it = past[static_cast<std::size_t>(k)].find(c.country_code);
        always &= it != past[static_cast<std::size_t>(k)].end() && it->second.second <= T;
      }
      if (always) c.triage.push_back("consistently-high");
    }
    f.countries.push_back(std::move(c));
  }
  std::sort(f.countries.begin(), f.countries.end(), [](const CountryForecast& a, const CountryForecast& b) {
    return a.rank != b.rank ? a.rank < b.rank : a.country < b.country;
  });
  f.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return f;
}

nlohmann::json FactorsJson(const CountryForecast& c) {
  nlohmann::json factors = nlohmann::json::array();
  for (const auto& f : c.factors) {
    factors.push_back({{"factor", f.factor}, {"value", f.value}, {"effect", f.effect}});
  }
  return factors;
}

nlohmann::json Forecast::ToJson() const {
  nlohmann::json j = {{"model", model},
                      {"spec", spec},
                      {"dataset", dataset},
                      {"dataset_version", dataset_version},
                      {"base_year", base_year},
                      {"target_years", {target_first, target_last}},
                      {"train_last_year", train_last_year},
                      {"train_rows", train_rows},
                      {"bootstrap", bootstrap},
                      {"interval", interval},
                      {"fit", fit},
                      {"seconds", seconds}};
  j["countries"] = nlohmann::json::array();
  for (const auto& c : countries) {
    j["countries"].push_back({{"rank", c.rank},
                              {"country", c.country},
                              {"country_code", c.country_code},
                              {"risk", c.risk},
                              {"risk_lo", JsonNumber(c.risk_lo)},
                              {"risk_hi", JsonNumber(c.risk_hi)},
                              {"prev_risk", JsonNumber(c.prev_risk)},
                              {"prev_rank", c.prev_rank ? nlohmann::json(c.prev_rank) : nullptr},
                              {"triage", c.triage},
                              {"factors", FactorsJson(c)}});
  }
  return j;
}

std::string Forecast::ToCsv() const {
  std::ostringstream out;
  out.precision(6);
  out << "rank,country,country_code,risk,risk_lo,risk_hi,prev_rank,prev_risk,triage,top_factors\n";
  for (const auto& c : countries) {
    std::string triage, factors;
    for (const auto& t : c.triage) triage += (triage.empty() ? "" : ";") + t;
    for (const auto& f : c.factors) {
      std::ostringstream e;
      e.precision(3);
      e << f.factor << (f.effect >= 0 ? "(+" : "(") << f.effect << ")";
      factors += (factors.empty() ? "" : ";") + e.str();
    }
    out << c.rank << "," << CsvField(c.country) << "," << c.country_code << "," << c.risk << ",";
    if (std::isfinite(c.risk_lo)) out << c.risk_lo;
    out << ",";
    if (std::isfinite(c.risk_hi)) out << c.risk_hi;
    out << ",";
    if (c.prev_rank) out << c.prev_rank;
    out << ",";
    if (std::isfinite(c.prev_risk)) out << c.prev_risk;
    out << "," << CsvField(triage) << "," << CsvField(factors) << "\n";
  }
  return out.str();
}

}  // namespace vigil::risk

namespace vigil::risk {

Result<ForecastScore> ScoreForecast(const Panel& raw, const ModelSpec& spec, int target_first,
                                    int target_last, const std::vector<StoredPrediction>& predictions) {
  const Panel panel = WithDerived(raw, spec);
  VIGIL_RETURN_IF_ERROR(CheckSpec(panel, spec));
  if (panel.MaxYear() < target_last) {
    return Status::FailedPrecondition(
        "dataset '" + panel.dataset_name + "' v" + std::to_string(panel.dataset_version) +
        " ends in " + std::to_string(panel.MaxYear()) + "; outcomes for " +
        std::to_string(target_first) + "-" + std::to_string(target_last) +
        " are not known yet: import a newer panel to score this forecast");
  }
  const std::size_t onset_col = *panel.OutcomeIndex(spec.onset);
  // country -> (first onset year in window or 0, observed at all)
  std::map<int, std::pair<int, bool>> outcome;
  std::map<int, std::string> names;
  for (std::size_t i = 0; i < panel.rows(); ++i) {
    if (panel.year[i] < target_first || panel.year[i] > target_last) continue;
    double y = panel.y(i, onset_col);
    auto& o = outcome[panel.country_code[i]];
    names[panel.country_code[i]] = panel.country_name[i];
    if (IsNA(y)) continue;
    o.second = true;
    if (y == 1.0 && o.first == 0) o.first = panel.year[i];
  }
  ForecastScore s;
  std::vector<double> risk;
  std::vector<int> label;
  for (const auto& p : predictions) {
    auto it = outcome.find(p.country_code);
    if (it == outcome.end() || !it->second.second) continue;
    ++s.countries;
    bool onset = it->second.first != 0;
    risk.push_back(p.risk);
    label.push_back(onset ? 1 : 0);
    if (onset) {
      ++s.onsets;
      s.caught10 += p.rank <= 10;
      s.caught20 += p.rank <= 20;
      s.caught30 += p.rank <= 30;
      s.onset_list.push_back({names[p.country_code], p.country_code, it->second.first, p.rank, p.risk});
    }
  }
  s.auc = Auc(risk, label);
  s.brier = Brier(risk, label);
  s.log_loss = LogLoss(risk, label);
  std::sort(s.onset_list.begin(), s.onset_list.end(),
            [](const ScoredOnset& a, const ScoredOnset& b) { return a.rank < b.rank; });
  return s;
}

nlohmann::json ForecastScore::ToJson() const {
  nlohmann::json j = {{"countries", countries}, {"onsets", onsets},
                      {"caught_at_10", caught10}, {"caught_at_20", caught20},
                      {"caught_at_30", caught30}, {"auc", JsonNumber(auc)},
                      {"brier", JsonNumber(brier)}, {"log_loss", JsonNumber(log_loss)}};
  j["onset_list"] = nlohmann::json::array();
  for (const auto& o : onset_list) {
    j["onset_list"].push_back({{"country", o.country}, {"country_code", o.country_code},
                               {"year", o.year}, {"rank", o.rank}, {"risk", o.risk}});
  }
  return j;
}

}  // namespace vigil::risk
