// Probability calibration: maps a model's scores (typically out-of-fold
// probabilities) to calibrated probabilities, fitted on (score, 0/1 label)
// pairs.
//
//   PlattScaler        p = 1 / (1 + exp(-(a * z + b))), z = logit(score)
//                      (or z = score for raw margins); a, b by maximum
//                      likelihood (Newton's method with step halving and a
//                      tiny ridge on a and b so separable data stay finite).
//   IsotonicCalibrator the non-decreasing step function of score that is
//                      closest to the labels in least squares
//                      (pool-adjacent-violators), applied with linear
//                      interpolation between the ends of its steps and held
//                      flat outside the fitted score range.
//
// Both are small value types: Fit() replaces any previous fit; Apply() on an
// unfitted calibrator is a programmer error and asserts. Fit() takes scores
// and labels of equal, non-zero length with every label 0 or 1 and both
// present, and finite scores (in [0, 1] for Platt on probabilities);
// anything else is InvalidArgument and leaves the calibrator as it was.
#pragma once

#include <Eigen/Dense>
#include <nlohmann/json.hpp>
#include <vector>

#include "core/status.h"

namespace vigil::risk {

class PlattScaler {
 public:
  struct Options {
    // true: scores are probabilities, z = logit(clamp(score, eps, 1 - eps));
    // false: scores are already on the log-odds scale, z = score.
    bool logit_input = true;
    double eps = 1e-12;
    double ridge = 1e-8;  // penalty ridge/2 * (a^2 + b^2), relative to the row count
    int max_iterations = 100;
    double tolerance = 1e-10;  // stop when max |gradient| / n falls below
  };

  PlattScaler() = default;
  explicit PlattScaler(Options options) : options_(options) {}

  Status Fit(const Eigen::VectorXd& scores, const Eigen::VectorXd& labels);
  // Calibrated probabilities. Probability inputs outside [0, 1] are clamped;
  // NaN gives NaN.
  Eigen::VectorXd Apply(const Eigen::VectorXd& scores) const;
  double Apply(double score) const;

  bool fitted() const { return fitted_; }
  double a() const { return a_; }
  double b() const { return b_; }
  int iterations() const { return iterations_; }
  // {"method": "platt", "a", "b", "iterations", "converged", "rows", "input"}.
  nlohmann::json Describe() const;

 private:
  double Z(double score) const;

  Options options_;
  bool fitted_ = false;
  bool converged_ = false;
  double a_ = 1, b_ = 0;
  int iterations_ = 0;
  std::size_t rows_ = 0;
};

// Pool-adjacent-violators: the non-decreasing sequence f minimising
// sum_i w_i (y_i - f_i)^2, for y in the given order. w must be positive and
// of y's length (asserted).
std::vector<double> PoolAdjacentViolators(const std::vector<double>& y, const std::vector<double>& w);

class IsotonicCalibrator {
 public:
  Status Fit(const Eigen::VectorXd& scores, const Eigen::VectorXd& labels);
  // Calibrated probabilities in [0, 1]; NaN gives NaN.
  Eigen::VectorXd Apply(const Eigen::VectorXd& scores) const;
  double Apply(double score) const;

  bool fitted() const { return !knot_x_.empty(); }
  // The interpolation knots: x strictly increasing, y non-decreasing.
  const std::vector<double>& knot_x() const { return knot_x_; }
  const std::vector<double>& knot_y() const { return knot_y_; }
  // {"method": "isotonic", "rows", "steps", "knots": [[x, y], ...]}.
  nlohmann::json Describe() const;

 private:
  std::vector<double> knot_x_, knot_y_;
  std::size_t rows_ = 0, steps_ = 0;
};

}  // namespace vigil::risk
