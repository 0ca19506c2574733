// RiskModel: a probabilistic classifier of onset risk over country-years.
//
// Contract: Fit() sees only its training set. A model that tunes itself
// (hyper-parameters, calibration, feature choice) must do so inside Fit()
// using that training set alone (e.g. by splitting it by year), so that a
// backtest that calls Fit() on years <= T stays out of sample.
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/progress.h"
#include "core/status.h"

namespace vigil::risk {

// A complete-case design matrix: rows are country-years, no missing values.
struct Dataset {
  Eigen::MatrixXd x;                  // n x p
  Eigen::VectorXd y;                  // n, each 0 or 1
  std::vector<int> year;              // n
  std::vector<int> country;           // n, panel country code
  std::vector<std::string> features;  // p names
  std::size_t rows() const { return static_cast<std::size_t>(x.rows()); }
};

struct FitOptions {
  std::uint64_t seed = 90035;  // EWP's seed; every random choice derives from it
  int threads = 1;             // threads a model may use inside Fit()/Predict()
  ProgressFn progress;         // optional
};

class RiskModel {
 public:
  virtual ~RiskModel() = default;

  // Short stable name, e.g. "elastic-net".
  virtual std::string name() const = 0;

  virtual Status Fit(const Dataset& train, const FitOptions& options) = 0;

  // Probability of the outcome for each row of x (same columns as training).
  // Calling before a successful Fit() is a programmer error.
  virtual Eigen::VectorXd Predict(const Eigen::MatrixXd& x) const = 0;

  // Additive contribution of each feature to each row's log-odds (n x p), so
  // that an analyst sees which factors drive a country's risk. Linear models
  // give beta_j * (x_ij - mean_j); tree models give SHAP values.
  virtual Eigen::MatrixXd Contributions(const Eigen::MatrixXd& x) const = 0;

  // What the fit chose (lambda, number of trees, calibration ...), as JSON.
  virtual nlohmann::json Describe() const = 0;

  // A fresh, unfitted model with the same options (for bootstrap and folds).
  virtual std::unique_ptr<RiskModel> Clone() const = 0;
};

}  // namespace vigil::risk
