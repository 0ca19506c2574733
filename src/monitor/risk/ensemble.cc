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

}  // namespace

Eigen::VectorXd FitStack(const Eigen::MatrixXd& z, const Eigen::VectorXd& y, double ridge) {
  const Eigen::Index n = z.rows(), k = z.cols() + 1;
  Eigen::MatrixXd X(n, k);
  X.col(0).setOnes();
  X.rightCols(z.cols()) = z;
  Eigen::VectorXd b = Eigen::VectorXd::Zero(k);
  double ybar = std::clamp(y.mean(), 1e-6, 1 - 1e-6);
  b(0) = std::log(ybar / (1 - ybar));
  Eigen::VectorXd pen = Eigen::VectorXd::Constant(k, ridge * static_cast<double>(n));
  pen(0) = 0;
  for (int it = 0; it < 100; ++it) {
    Eigen::VectorXd p = (X * b).unaryExpr([](double v) { return Sigmoid(v); });
    Eigen::VectorXd w = p.array() * (1 - p.array());
    Eigen::VectorXd grad = X.transpose() * (y - p) - pen.cwiseProduct(b);
    Eigen::MatrixXd H = X.transpose() * w.asDiagonal() * X;
    H.diagonal() += pen;
    Eigen::VectorXd step = H.ldlt().solve(grad);
    b += step;
    if (step.cwiseAbs().maxCoeff() < 1e-10) break;
  }
  return b;
}

EnsembleModel::EnsembleModel(EnsembleOptions options) : options_(std::move(options)) {}

std::unique_ptr<RiskModel> EnsembleModel::Clone() const { return std::make_unique<EnsembleModel>(options_); }

Status EnsembleModel::Fit(const Dataset& train, const FitOptions& fo) {
  if (train.rows() == 0) return Status::InvalidArgument("ensemble: empty training set");
  const int T = *std::max_element(train.year.begin(), train.year.end());
  const int h = options_.horizon_years;

  // Out-of-time member scores inside the training set.
  std::vector<double> z_en, z_b, label;
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
    BoostModel b(options_.boost);
    VIGIL_RETURN_IF_ERROR(en.Fit(inner, fo).WithContext("ensemble inner fit <= " + std::to_string(inner_last)));
    VIGIL_RETURN_IF_ERROR(b.Fit(inner, fo).WithContext("ensemble inner fit <= " + std::to_string(inner_last)));
    Eigen::VectorXd pe = Logit(en.Predict(held.x)), pb = Logit(b.Predict(held.x));
    for (Eigen::Index i = 0; i < held.x.rows(); ++i) {
      z_en.push_back(pe(i));
      z_b.push_back(pb(i));
      label.push_back(held.y(i));
    }
  }
  inner_rows_ = static_cast<int>(label.size());
  inner_positives_ = static_cast<int>(std::count(label.begin(), label.end(), 1.0));

  en_ = std::make_unique<ElasticNetModel>(options_.elastic_net);
  boost_ = std::make_unique<BoostModel>(options_.boost);
  VIGIL_RETURN_IF_ERROR(en_->Fit(train, fo));
  VIGIL_RETURN_IF_ERROR(boost_->Fit(train, fo));

  learned_ = inner_positives_ >= options_.min_positives;
  const Eigen::Index n = static_cast<Eigen::Index>(label.size());
  Eigen::VectorXd y = Eigen::Map<Eigen::VectorXd>(label.data(), n);
  if (learned_) {
    Eigen::MatrixXd z(n, 2);
    z.col(0) = Eigen::Map<Eigen::VectorXd>(z_en.data(), n);
    z.col(1) = Eigen::Map<Eigen::VectorXd>(z_b.data(), n);
    Eigen::VectorXd b = FitStack(z, y, options_.ridge);
    if (b(1) >= 0 && b(2) >= 0) {
      a_ = b(0);
      w_en_ = b(1);
      w_boost_ = b(2);
    } else {  // keep the member with the positive weight alone, recalibrated
      int keep = b(1) >= b(2) ? 0 : 1;
      Eigen::VectorXd b1 = FitStack(z.col(keep), y, options_.ridge);
      a_ = b1(0);
      w_en_ = keep == 0 ? std::max(0.0, b1(1)) : 0;
      w_boost_ = keep == 1 ? std::max(0.0, b1(1)) : 0;
    }
  } else {
    // Equal weights; intercept-only calibration on the training base rate.
    w_en_ = w_boost_ = 0.5;
    Eigen::VectorXd zt = 0.5 * (Logit(en_->Predict(train.x)) + Logit(boost_->Predict(train.x)));
    double lo = -10, hi = 10;  // solve mean(sigmoid(a + z)) = base rate by bisection
    for (int it = 0; it < 100; ++it) {
      double mid = (lo + hi) / 2;
      double m = (zt.array() + mid).unaryExpr([](double v) { return Sigmoid(v); }).mean();
      (m < train.y.mean() ? lo : hi) = mid;
    }
    a_ = (lo + hi) / 2;
  }
  return Status::Ok();
}

Eigen::VectorXd EnsembleModel::Predict(const Eigen::MatrixXd& x) const {
  assert(en_ && boost_ && "Fit() first");
  Eigen::VectorXd z = Eigen::VectorXd::Constant(x.rows(), a_);
  if (w_en_ != 0) z += w_en_ * Logit(en_->Predict(x));
  if (w_boost_ != 0) z += w_boost_ * Logit(boost_->Predict(x));
  return z.unaryExpr([](double v) { return Sigmoid(v); });
}

Eigen::MatrixXd EnsembleModel::Contributions(const Eigen::MatrixXd& x) const {
  assert(en_ && boost_ && "Fit() first");
  Eigen::MatrixXd c = Eigen::MatrixXd::Zero(x.rows(), x.cols());
  if (w_en_ != 0) c += w_en_ * en_->Contributions(x);
  if (w_boost_ != 0) c += w_boost_ * boost_->Contributions(x);
  return c;
}

nlohmann::json EnsembleModel::Describe() const {
  nlohmann::json j = {{"intercept", a_},
                      {"weight_elastic_net", w_en_},
                      {"weight_boost", w_boost_},
                      {"stack", learned_ ? "learned on inner out-of-time scores"
                                         : "equal weights (too few inner onsets)"},
                      {"inner_rows", inner_rows_},
                      {"inner_positives", inner_positives_}};
  if (en_) j["elastic_net"] = en_->Describe();
  if (boost_) j["boost"] = boost_->Describe();
  return j;
}

}  // namespace vigil::risk
