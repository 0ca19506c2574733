// EnsembleModel: a calibrated stack of the elastic net and boosted trees.
//
// Fit(train) never looks past the training set. With T the last training
// year and h the horizon, it first builds out-of-time member scores inside
// the training set: for each inner cut c = T-h, T-h-1, ... (inner_cuts of
// them) it fits both members on rows with year <= c - h and scores the rows
// of year c (whose outcomes lie within year <= T), exactly as the outer
// backtest does. A logistic regression of the outcome on the members'
// log-odds (with a small ridge; non-negative weights, a member with a
// negative weight is dropped) learns the weights and the calibration. Both
// members are then refitted on the whole training set. Prediction is
//   p = sigmoid(a + w_en * logit(p_en) + w_boost * logit(p_boost)).
// If the inner scores hold too few onsets to learn weights, the stack falls
// back to equal weights with an intercept-only calibration and says so in
// Describe().
#pragma once

#include <memory>

#include "monitor/risk/boost.h"
#include "monitor/risk/elastic_net.h"
#include "monitor/risk/model.h"

namespace vigil::risk {

struct EnsembleOptions {
  ElasticNetModelOptions elastic_net;
  BoostParams boost;
  int horizon_years = 2;
  int inner_cuts = 5;          // inner out-of-time years used to learn the stack
  int min_positives = 8;       // positives needed among inner scores to learn weights
  double ridge = 1e-2;         // L2 penalty on the stack weights (not the intercept)
};

class EnsembleModel : public RiskModel {
 public:
  explicit EnsembleModel(EnsembleOptions options = {});
  std::string name() const override { return "ensemble"; }
  Status Fit(const Dataset& train, const FitOptions& options) override;
  Eigen::VectorXd Predict(const Eigen::MatrixXd& x) const override;
  Eigen::MatrixXd Contributions(const Eigen::MatrixXd& x) const override;
  nlohmann::json Describe() const override;
  std::unique_ptr<RiskModel> Clone() const override;

  double intercept() const { return a_; }
  double weight_elastic_net() const { return w_en_; }
  double weight_boost() const { return w_boost_; }

 private:
  EnsembleOptions options_;
  std::unique_ptr<ElasticNetModel> en_;
  std::unique_ptr<BoostModel> boost_;
  double a_ = 0, w_en_ = 0.5, w_boost_ = 0.5;
  int inner_rows_ = 0, inner_positives_ = 0;
  bool learned_ = false;
};

// Logistic regression of y on the columns of z with an intercept, L2 penalty
// `ridge` on the slopes (not the intercept), by Newton's method. Returns
// {intercept, slopes...}. Exposed for tests.
Eigen::VectorXd FitStack(const Eigen::MatrixXd& z, const Eigen::VectorXd& y, double ridge);

}  // namespace vigil::risk
