#include "monitor/risk/ensemble.h"

#include <algorithm>
#include <cmath>

namespace vigil::risk {

namespace {

double Logit(double p) {
  p = std::clamp(p, 1e-9, 1 - 1e-9);
  return std::log(p / (1 - p));
}
Eigen::VectorXd Logit(const Eigen::VectorXd& p) { return p.unaryExpr([](double v) { return Logit(v); }); }
double Sigmoid(double z) { return 1 / (1 + std::exp(-z)); }

Dataset Subset(const Dataset& d, const std::vector<Eigen::Index>& rows) {
  Dataset s;
  s.features = d.features;
  s.x.resize(static_cast<Eigen::Index>(rows.size()), d.x.cols());
  s.y.resize(static_cast<Eigen::Index>(rows.size()));
  for (std::size_t r = 0; r < rows.size(); ++r) {
    s.x.row(static_cast<Eigen::Index>(r)) = d.x.row(rows[r]);
    s.y(static_cast<Eigen::Index>(r)) = d.y(rows[r]);
    s.year.push_back(d.year[static_cast<std::size_t>(rows[r])]);
    s.country.push_back(d.country[static_cast<std::size_t>(rows[r])]);
  }
  return s;
}

// Mean log-odds of a bag of boosters.
Eigen::VectorXd BagLogit(const std::vector<std::unique_ptr<BoostModel>>& bag, const Eigen::MatrixXd& x) {
  Eigen::VectorXd z = Eigen::VectorXd::Zero(x.rows());
  for (const auto& b : bag) z += Logit(b->Predict(x));
  return z / static_cast<double>(bag.size());
}

// Mean of the members' log-odds.
Eigen::VectorXd Combine(const ElasticNetModel& en, const std::vector<std::unique_ptr<BoostModel>>& bag,
                        const Eigen::MatrixXd& x) {
  return 0.5 * (Logit(en.Predict(x)) + BagLogit(bag, x));
}

Status FitBag(const BoostParams& params, int size, const Dataset& d, const FitOptions& fo,
              std::vector<std::unique_ptr<BoostModel>>* bag) {
  bag->clear();
  for (int k = 0; k < size; ++k) {
    FitOptions f = fo;
    f.seed = fo.seed + static_cast<std::uint64_t>(k);
    auto b = std::make_unique<BoostModel>(params);
    VIGIL_RETURN_IF_ERROR(b->Fit(d, f));
    bag->push_back(std::move(b));
  }
  return Status::Ok();
}

}  // namespace

double FitShift(const Eigen::VectorXd& z, const Eigen::VectorXd& y) {
  double c = 0;
  for (int it = 0; it < 100; ++it) {
    Eigen::VectorXd p = (z.array() + c).matrix().unaryExpr([](double v) { return Sigmoid(v); });
    double grad = (y - p).sum();
    double hess = (p.array() * (1 - p.array())).sum();
    if (hess <= 0) break;
    double step = std::clamp(grad / hess, -5.0, 5.0);
    c += step;
    if (std::abs(step) < 1e-12) break;
  }
  return c;
}

EnsembleModel::EnsembleModel(EnsembleOptions options) : options_(std::move(options)) {}

std::unique_ptr<RiskModel> EnsembleModel::Clone() const { return std::make_unique<EnsembleModel>(options_); }

Status EnsembleModel::Fit(const Dataset& train, const FitOptions& fo) {
  if (train.rows() == 0) return Status::InvalidArgument("ensemble: empty training set");
  const int T = *std::max_element(train.year.begin(), train.year.end());
  const int h = options_.horizon_years;

  // Out-of-time combined scores inside the training set, for the calibration.
  std::vector<double> z, label;
  if (options_.calibration == EnsembleOptions::Calibration::kInnerIntercept) {
    for (int k = 0; k < options_.inner_cuts; ++k) {
      const int scored_year = T - h - k;  // its outcome (onset by scored_year + h) is <= T
      const int inner_last = scored_year - h;
      std::vector<Eigen::Index> fit_rows, score_rows;
      for (Eigen::Index i = 0; i < train.x.rows(); ++i) {
        int y = train.year[static_cast<std::size_t>(i)];
        if (y <= inner_last) fit_rows.push_back(i);
        if (y == scored_year) score_rows.push_back(i);
      }
      if (score_rows.empty() || fit_rows.empty()) continue;
      Dataset inner = Subset(train, fit_rows);
      if (inner.y.sum() < 3) continue;  // too few onsets to fit members
      Dataset held = Subset(train, score_rows);
      ElasticNetModel en(options_.elastic_net);
      std::vector<std::unique_ptr<BoostModel>> bag;
      const std::string where = "ensemble inner fit <= " + std::to_string(inner_last);
      VIGIL_RETURN_IF_ERROR(en.Fit(inner, fo).WithContext(where));
      VIGIL_RETURN_IF_ERROR(FitBag(options_.boost, options_.boost_bag, inner, fo, &bag).WithContext(where));
      Eigen::VectorXd zc = Combine(en, bag, held.x);
      for (Eigen::Index i = 0; i < held.x.rows(); ++i) {
        z.push_back(zc(i));
        label.push_back(held.y(i));
      }
    }
  }
  inner_rows_ = static_cast<int>(label.size());
  inner_positives_ = static_cast<int>(std::count(label.begin(), label.end(), 1.0));
  calibrated_ = inner_positives_ >= options_.min_positives;
  shift_ = 0;
  if (calibrated_) {
    const Eigen::Index n = static_cast<Eigen::Index>(label.size());
    shift_ = FitShift(Eigen::Map<Eigen::VectorXd>(z.data(), n), Eigen::Map<Eigen::VectorXd>(label.data(), n));
  }

  en_ = std::make_unique<ElasticNetModel>(options_.elastic_net);
  VIGIL_RETURN_IF_ERROR(en_->Fit(train, fo));
  VIGIL_RETURN_IF_ERROR(FitBag(options_.boost, options_.boost_bag, train, fo, &boosts_));
  return Status::Ok();
}

Eigen::VectorXd EnsembleModel::Predict(const Eigen::MatrixXd& x) const {
  assert(en_ && !boosts_.empty() && "Fit() first");
  return (Combine(*en_, boosts_, x).array() + shift_).matrix().unaryExpr([](double v) { return Sigmoid(v); });
}

Eigen::MatrixXd EnsembleModel::Contributions(const Eigen::MatrixXd& x) const {
  assert(en_ && !boosts_.empty() && "Fit() first");
  Eigen::MatrixXd bag = Eigen::MatrixXd::Zero(x.rows(), x.cols());
  for (const auto& b : boosts_) bag += b->Contributions(x);
  return 0.5 * (en_->Contributions(x) + bag / static_cast<double>(boosts_.size()));
}

nlohmann::json EnsembleModel::Describe() const {
  const char* how = options_.calibration == EnsembleOptions::Calibration::kNone
                        ? "none"
                        : calibrated_ ? "intercept shift learned on inner out-of-time scores"
                                      : "none (too few inner onsets)";
  nlohmann::json j = {{"combination", "mean of member log-odds"},
                      {"calibration", how},
                      {"shift", shift_},
                      {"inner_rows", inner_rows_},
                      {"inner_positives", inner_positives_}};
  if (en_) j["elastic_net"] = en_->Describe();
  j["boost_bag"] = boosts_.size();
  if (!boosts_.empty()) j["boost"] = boosts_.front()->Describe();
  return j;
}

}  // namespace vigil::risk
