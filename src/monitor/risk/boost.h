// BoostModel: gradient-boosted trees (XGBoost, binary:logistic) as a
// RiskModel.
//
// Fit() trains an XGBoost booster on the training set through XGBoost's C
// API. The intercept (base_score) is set to the training prevalence, so the
// trees model departures from the base rate instead of spending their first
// rounds moving a 0.5 start down to a ~2% onset rate.
//
// Optional nested tuning (BoostTuning) picks the number of rounds, and
// optionally the depth, inside Fit() from the training set alone: it holds
// out the last years of the training set in a few rolling-origin folds,
// each trained on the years at least `gap_years` before its validation block
// (the same gap a backtest leaves between training and scored years, so that
// no onset counts in both), scores every candidate on the pooled validation
// rows, and then refits on all training rows with the winner. Nothing
// outside the Dataset passed to Fit() is read.
//
// Determinism: for a given seed, parameters, thread count and training set,
// Fit() gives the same booster and so the same predictions. The seed drives
// row subsampling (subsample < 1) and column subsampling
// (colsample_bytree < 1); with neither, the seed has no effect.
//
// Errors: every XGBoost failure becomes Status::Internal carrying
// XGBGetLastError()'s text; bad input is InvalidArgument. All XGBoost
// handles are owned by RAII wrappers.
//
// Thread safety: a fitted BoostModel may be used for prediction from several
// threads at once (calls into the booster are serialised by a mutex).
#pragma once

#include <Eigen/Dense>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "monitor/risk/model.h"

namespace vigil::risk {

// XGBoost hyper-parameters (the names are XGBoost's). The defaults are
// conventional settings for a few thousand rows, fixed before any backtest
// was run on the EWP panel; they were not chosen from backtest results.
struct BoostParams {
  int max_depth = 3;
  double eta = 0.05;
  int n_rounds = 300;
  double subsample = 0.8;         // share of rows sampled for each tree, (0, 1]
  double colsample_bytree = 0.8;  // share of columns sampled for each tree, (0, 1]
  double min_child_weight = 1.0;  // minimum hessian sum in a leaf, >= 0
  double lambda = 1.0;            // L2 penalty on leaf weights, >= 0
  double scale_pos_weight = 1.0;  // weight of positive rows; 1 keeps probabilities calibrated
  std::string tree_method = "hist";  // "hist", "approx" or "exact"

  // InvalidArgument naming the first parameter out of range.
  Status Validate() const;
  nlohmann::json ToJson() const;
  // Reads the object written by ToJson(); missing keys keep their defaults.
  static Result<BoostParams> FromJson(const nlohmann::json& j);
};

// Nested, time-respecting choice of n_rounds (and optionally max_depth)
// inside Fit(). Off by default: on the EWP panel (few onsets in each
// validation block) the inner log-loss choice was noisy, mostly picked the
// smallest candidate, and scored below the fixed defaults in the FOOS
// backtest.
struct BoostTuning {
  enum class Metric { kLogLoss, kAuc };

  bool enabled = false;
  std::vector<int> rounds;  // candidate n_rounds (each >= 1); empty = {params.n_rounds}
  std::vector<int> depths;  // candidate max_depth (each >= 1); empty = {params.max_depth}
  int folds = 3;            // validation blocks, latest first
  int block_years = 3;      // years in each validation block
  int gap_years = 2;        // inner training ends gap_years before its block starts
  int min_positives = 5;    // pooled validation positives needed, else keep params
  Metric metric = Metric::kLogLoss;  // lower log loss, or higher AUC, wins

  // InvalidArgument for a bad grid or split (only checked when enabled).
  Status Validate() const;
  nlohmann::json ToJson() const;
};

class BoostModel : public RiskModel {
 public:
  explicit BoostModel(BoostParams params = {}, BoostTuning tuning = {});
  ~BoostModel() override;
  BoostModel(const BoostModel&) = delete;
  BoostModel& operator=(const BoostModel&) = delete;

  std::string name() const override { return "boost"; }

  // InvalidArgument for an empty set, sizes that disagree (y, year), a
  // non-finite x, labels other than 0/1, a single class, or bad params;
  // Internal for an XGBoost failure. Year is read only when tuning.
  // On error the model is left unfitted.
  Status Fit(const Dataset& train, const FitOptions& options) override;

  // Probabilities. x must have the training column count (asserted); NaN
  // cells are treated as missing (XGBoost's default branch). An XGBoost
  // failure here is a broken invariant and asserts; use PredictProbability
  // to get it as a Status instead.
  Eigen::VectorXd Predict(const Eigen::MatrixXd& x) const override;
  // SHAP values without the bias column (n x p). Asserts like Predict.
  Eigen::MatrixXd Contributions(const Eigen::MatrixXd& x) const override;
  nlohmann::json Describe() const override;
  // Unfitted, same params and tuning.
  std::unique_ptr<RiskModel> Clone() const override;

  // Status-returning forms of prediction; FailedPrecondition when unfitted,
  // InvalidArgument for a wrong column count.
  Result<Eigen::VectorXd> PredictProbability(const Eigen::MatrixXd& x) const;
  // Log-odds (XGBoost's output margin).
  Result<Eigen::VectorXd> PredictMargin(const Eigen::MatrixXd& x) const;
  // SHAP values n x (p + 1); the last column is the bias, and each row sums
  // to the row's margin (up to float rounding).
  Result<Eigen::MatrixXd> ShapValues(const Eigen::MatrixXd& x) const;

  // The fitted model as one JSON document: params, tuning, what the fit
  // chose, feature names and XGBoost's own JSON model. FailedPrecondition
  // when unfitted.
  Result<std::string> Serialize() const;
  // Rebuilds a fitted model from Serialize()'s output; predictions are
  // identical to the original's. `threads` is used for prediction.
  // Corruption when the text is not such a document or XGBoost rejects it.
  static Result<std::unique_ptr<BoostModel>> Deserialize(std::string_view text, int threads = 1);

  bool fitted() const { return booster_ != nullptr; }
  const BoostParams& params() const { return params_; }
  const BoostTuning& tuning() const { return tuning_; }
  // Rounds / depth of the fitted booster (after tuning); 0 when unfitted.
  int fitted_rounds() const { return fitted_rounds_; }
  int fitted_depth() const { return fitted_depth_; }

  struct BoosterFree {
    void operator()(void* handle) const;
  };

 private:
  enum class Output { kValue, kMargin, kContributions };
  Result<Eigen::MatrixXd> Run(const Eigen::MatrixXd& x, Output output) const;

  BoostParams params_;
  BoostTuning tuning_;
  std::unique_ptr<void, BoosterFree> booster_;
  mutable std::mutex mu_;  // guards calls into booster_
  int n_features_ = 0;
  int fitted_rounds_ = 0;
  int fitted_depth_ = 0;
  double base_score_ = 0;
  std::size_t train_rows_ = 0, train_positives_ = 0;
  std::vector<std::string> features_;
  nlohmann::json tuning_report_;  // what tuning saw and chose (null when off)
};

}  // namespace vigil::risk
