#include "monitor/risk/boost.h"

#include <fmt/format.h>
#include <xgboost/c_api.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <type_traits>

#include "core/json_field.h"
#include "monitor/risk/metrics.h"

namespace vigil::risk {
namespace {

constexpr const char* kFormat = "vigil.boost";
constexpr int kFormatVersion = 1;

struct DMatrixFree {
  void operator()(void* handle) const {
    if (handle != nullptr) XGDMatrixFree(handle);
  }
};
using DMatrixPtr = std::unique_ptr<void, DMatrixFree>;
using BoosterPtr = std::unique_ptr<void, BoostModel::BoosterFree>;

// Turns an XGBoost return code into a Status with XGBoost's own message.
Status Xgb(int rc, std::string_view what) {
  if (rc == 0) return Status::Ok();
  const char* err = XGBGetLastError();
  return Status::Internal(fmt::format("xgboost {}: {}", what, err != nullptr ? err : "unknown error"));
}

std::string Num(double v) { return fmt::format("{}", v); }

// A DMatrix of the given rows of x (all rows when `rows` is null), with
// labels from y when y is given. NaN cells are missing values.
Result<DMatrixPtr> MakeDMatrix(const Eigen::MatrixXd& x, const std::vector<std::size_t>* rows,
                               const Eigen::VectorXd* y) {
  const std::size_t n = rows ? rows->size() : static_cast<std::size_t>(x.rows());
  const std::size_t p = static_cast<std::size_t>(x.cols());
  std::vector<float> buf(n * p);
  std::vector<float> label(y ? n : 0);
  for (std::size_t r = 0; r < n; ++r) {
    const Eigen::Index i = static_cast<Eigen::Index>(rows ? (*rows)[r] : r);
    for (std::size_t j = 0; j < p; ++j) {
      buf[r * p + j] = static_cast<float>(x(i, static_cast<Eigen::Index>(j)));
    }
    if (y) label[r] = static_cast<float>((*y)(i));
  }
  DMatrixHandle h = nullptr;
  VIGIL_RETURN_IF_ERROR(Xgb(XGDMatrixCreateFromMat(buf.data(), n, p,
                                                   std::numeric_limits<float>::quiet_NaN(), &h),
                            "creating a data matrix"));
  DMatrixPtr m(h);
  if (y) {
    VIGIL_RETURN_IF_ERROR(
        Xgb(XGDMatrixSetFloatInfo(h, "label", label.data(), n), "setting labels"));
  }
  return m;
}

struct TrainSetting {
  BoostParams params;
  int depth = 3;
  int rounds = 1;
  double base_score = 0.5;
  std::uint64_t seed = 0;
  int threads = 1;
};

// Weighted training prevalence: XGBoost's intercept for binary:logistic.
double Prevalence(const Eigen::VectorXd& y, const std::vector<std::size_t>* rows,
                  double scale_pos_weight) {
  double pos = 0, neg = 0;
  const std::size_t n = rows ? rows->size() : static_cast<std::size_t>(y.size());
  for (std::size_t r = 0; r < n; ++r) {
    const double v = y(static_cast<Eigen::Index>(rows ? (*rows)[r] : r));
    (v == 1.0 ? pos : neg) += 1;
  }
  pos *= scale_pos_weight;
  return pos / (pos + neg);
}

Result<BoosterPtr> Train(DMatrixHandle dtrain, const TrainSetting& s) {
  BoosterHandle h = nullptr;
  DMatrixHandle mats[1] = {dtrain};
  VIGIL_RETURN_IF_ERROR(Xgb(XGBoosterCreate(mats, 1, &h), "creating a booster"));
  BoosterPtr booster(h);
  const BoostParams& p = s.params;
  const std::vector<std::pair<std::string, std::string>> kv = {
      {"verbosity", "0"},
      {"objective", "binary:logistic"},
      {"eval_metric", "logloss"},
      {"booster", "gbtree"},
      {"tree_method", p.tree_method},
      {"max_depth", std::to_string(s.depth)},
      {"eta", Num(p.eta)},
      {"subsample", Num(p.subsample)},
      {"colsample_bytree", Num(p.colsample_bytree)},
      {"min_child_weight", Num(p.min_child_weight)},
      {"lambda", Num(p.lambda)},
      {"scale_pos_weight", Num(p.scale_pos_weight)},
      {"base_score", Num(s.base_score)},
      {"nthread", std::to_string(std::max(1, s.threads))},
      {"seed", std::to_string(s.seed & 0x7fffffffULL)},
  };
  for (const auto& [k, v] : kv) {
    VIGIL_RETURN_IF_ERROR(
        Xgb(XGBoosterSetParam(h, k.c_str(), v.c_str()), "setting " + k + "=" + v));
  }
  for (int it = 0; it < s.rounds; ++it) {
    VIGIL_RETURN_IF_ERROR(Xgb(XGBoosterUpdateOneIter(h, it, dtrain), "boosting"));
  }
  return booster;
}

// Predictions of the first `rounds` trees (0 = all); type as in
// XGBoosterPredictFromDMatrix. Fills a row-major n x cols buffer.
Status PredictRaw(BoosterHandle booster, DMatrixHandle dm, int type, int rounds, std::size_t n,
                  std::size_t cols, std::vector<float>* out) {
  const std::string config = fmt::format(
      R"({{"type": {}, "training": false, "iteration_begin": 0, "iteration_end": {}, "strict_shape": false}})",
      type, rounds);
  const bst_ulong* shape = nullptr;
  bst_ulong dim = 0;
  const float* result = nullptr;
  VIGIL_RETURN_IF_ERROR(Xgb(XGBoosterPredictFromDMatrix(booster, dm, config.c_str(), &shape, &dim, &result),
                            "predicting"));
  bst_ulong total = 1;
  for (bst_ulong d = 0; d < dim; ++d) total *= shape[d];
  if (total != n * cols) {
    return Status::Internal(fmt::format("xgboost predicting: {} values for {} x {}", total, n, cols));
  }
  out->assign(result, result + total);
  return Status::Ok();
}

Status CheckDataset(const Dataset& d, bool need_years) {
  const std::size_t n = d.rows();
  if (n == 0 || d.x.cols() == 0) {
    return Status::InvalidArgument(fmt::format("boost: empty training set ({} rows, {} columns)", n,
                                               d.x.cols()));
  }
  if (static_cast<std::size_t>(d.y.size()) != n) {
    return Status::InvalidArgument(fmt::format("boost: {} labels for {} rows", d.y.size(), n));
  }
  if (need_years && d.year.size() != n) {
    return Status::InvalidArgument(fmt::format("boost: {} years for {} rows", d.year.size(), n));
  }
  if (!d.features.empty() && d.features.size() != static_cast<std::size_t>(d.x.cols())) {
    return Status::InvalidArgument(
        fmt::format("boost: {} feature names for {} columns", d.features.size(), d.x.cols()));
  }
  std::size_t pos = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double v = d.y(static_cast<Eigen::Index>(i));
    if (v != 0.0 && v != 1.0) {
      return Status::InvalidArgument(fmt::format("boost: label of row {} is {}, not 0 or 1", i, v));
    }
    pos += v == 1.0;
  }
  if (pos == 0 || pos == n) {
    return Status::InvalidArgument(
        fmt::format("boost: training set needs both outcomes ({} of {} rows positive)", pos, n));
  }
  for (Eigen::Index j = 0; j < d.x.cols(); ++j) {
    for (Eigen::Index i = 0; i < d.x.rows(); ++i) {
      if (!std::isfinite(d.x(i, j))) {
        return Status::InvalidArgument(fmt::format("boost: x({}, {}) is {}", i, j, d.x(i, j)));
      }
    }
  }
  return Status::Ok();
}

bool ValidTreeMethod(const std::string& m) { return m == "hist" || m == "approx" || m == "exact"; }

Result<BoostTuning> TuningFromJson(const nlohmann::json& j) {
  BoostTuning t;
  const std::string at = "boost tuning:";
  if (!j.is_object()) return Status::InvalidArgument("boost tuning: not a JSON object");
  VIGIL_ASSIGN_OR_RETURN(t.enabled, JsonField<bool>(j, "enabled", t.enabled, at));
  VIGIL_ASSIGN_OR_RETURN(t.rounds, JsonField<std::vector<int>>(j, "rounds", t.rounds, at));
  VIGIL_ASSIGN_OR_RETURN(t.depths, JsonField<std::vector<int>>(j, "depths", t.depths, at));
  VIGIL_ASSIGN_OR_RETURN(t.folds, JsonField<int>(j, "folds", t.folds, at));
  VIGIL_ASSIGN_OR_RETURN(t.block_years, JsonField<int>(j, "block_years", t.block_years, at));
  VIGIL_ASSIGN_OR_RETURN(t.gap_years, JsonField<int>(j, "gap_years", t.gap_years, at));
  VIGIL_ASSIGN_OR_RETURN(t.min_positives, JsonField<int>(j, "min_positives", t.min_positives, at));
  VIGIL_ASSIGN_OR_RETURN(const std::string metric, JsonField<std::string>(j, "metric", "log_loss", at));
  if (metric == "log_loss") {
    t.metric = BoostTuning::Metric::kLogLoss;
  } else if (metric == "auc") {
    t.metric = BoostTuning::Metric::kAuc;
  } else {
    return Status::InvalidArgument("boost tuning: unknown metric '" + metric + "'");
  }
  return t;
}

struct Choice {
  int depth = 0;
  int rounds = 0;
};

// Fits Fit() will make: one per (depth, fold) when tuning, plus the final fit.
std::size_t PlannedSteps(const BoostParams& p, const BoostTuning& t) {
  if (!t.enabled) return 1;
  std::set<int> depths(t.depths.begin(), t.depths.end());
  if (depths.empty()) depths.insert(p.max_depth);
  return depths.size() * static_cast<std::size_t>(t.folds) + 1;
}

}  // namespace

// ---- BoostParams / BoostTuning ---------------------------------------------

Status BoostParams::Validate() const {
  auto bad = [](const std::string& what) { return Status::InvalidArgument("boost: " + what); };
  if (max_depth < 1 || max_depth > 16) return bad(fmt::format("max_depth {} not in [1, 16]", max_depth));
  if (!(eta > 0 && eta <= 1)) return bad(fmt::format("eta {} not in (0, 1]", eta));
  if (n_rounds < 1) return bad(fmt::format("n_rounds {} < 1", n_rounds));
  if (!(subsample > 0 && subsample <= 1)) return bad(fmt::format("subsample {} not in (0, 1]", subsample));
  if (!(colsample_bytree > 0 && colsample_bytree <= 1)) {
    return bad(fmt::format("colsample_bytree {} not in (0, 1]", colsample_bytree));
  }
  if (!(min_child_weight >= 0) || !std::isfinite(min_child_weight)) {
    return bad(fmt::format("min_child_weight {} < 0", min_child_weight));
  }
  if (!(lambda >= 0) || !std::isfinite(lambda)) return bad(fmt::format("lambda {} < 0", lambda));
  if (!(scale_pos_weight > 0) || !std::isfinite(scale_pos_weight)) {
    return bad(fmt::format("scale_pos_weight {} <= 0", scale_pos_weight));
  }
  if (!ValidTreeMethod(tree_method)) {
    return bad("tree_method '" + tree_method + "' is not hist, approx or exact");
  }
  return Status::Ok();
}

nlohmann::json BoostParams::ToJson() const {
  return {{"max_depth", max_depth},
          {"eta", eta},
          {"n_rounds", n_rounds},
          {"subsample", subsample},
          {"colsample_bytree", colsample_bytree},
          {"min_child_weight", min_child_weight},
          {"lambda", lambda},
          {"scale_pos_weight", scale_pos_weight},
          {"tree_method", tree_method}};
}

Result<BoostParams> BoostParams::FromJson(const nlohmann::json& j) {
  BoostParams p;
  if (!j.is_object()) return Status::InvalidArgument("boost params: not a JSON object");
  const std::string at = "boost params:";
  VIGIL_ASSIGN_OR_RETURN(p.max_depth, JsonField<int>(j, "max_depth", p.max_depth, at));
  VIGIL_ASSIGN_OR_RETURN(p.eta, JsonField<double>(j, "eta", p.eta, at));
  VIGIL_ASSIGN_OR_RETURN(p.n_rounds, JsonField<int>(j, "n_rounds", p.n_rounds, at));
  VIGIL_ASSIGN_OR_RETURN(p.subsample, JsonField<double>(j, "subsample", p.subsample, at));
  VIGIL_ASSIGN_OR_RETURN(p.colsample_bytree, JsonField<double>(j, "colsample_bytree", p.colsample_bytree, at));
  VIGIL_ASSIGN_OR_RETURN(p.min_child_weight, JsonField<double>(j, "min_child_weight", p.min_child_weight, at));
  VIGIL_ASSIGN_OR_RETURN(p.lambda, JsonField<double>(j, "lambda", p.lambda, at));
  VIGIL_ASSIGN_OR_RETURN(p.scale_pos_weight, JsonField<double>(j, "scale_pos_weight", p.scale_pos_weight, at));
  VIGIL_ASSIGN_OR_RETURN(p.tree_method, JsonField<std::string>(j, "tree_method", p.tree_method, at));
  VIGIL_RETURN_IF_ERROR(p.Validate());
  return p;
}

Status BoostTuning::Validate() const {
  if (!enabled) return Status::Ok();
  auto bad = [](const std::string& what) { return Status::InvalidArgument("boost tuning: " + what); };
  for (int r : rounds) {
    if (r < 1) return bad(fmt::format("candidate rounds {} < 1", r));
  }
  for (int d : depths) {
    if (d < 1 || d > 16) return bad(fmt::format("candidate depth {} not in [1, 16]", d));
  }
  if (folds < 1) return bad(fmt::format("folds {} < 1", folds));
  if (block_years < 1) return bad(fmt::format("block_years {} < 1", block_years));
  if (gap_years < 1) return bad(fmt::format("gap_years {} < 1", gap_years));
  if (min_positives < 1) return bad(fmt::format("min_positives {} < 1", min_positives));
  return Status::Ok();
}

nlohmann::json BoostTuning::ToJson() const {
  return {{"enabled", enabled},
          {"rounds", rounds},
          {"depths", depths},
          {"folds", folds},
          {"block_years", block_years},
          {"gap_years", gap_years},
          {"min_positives", min_positives},
          {"metric", metric == Metric::kLogLoss ? "log_loss" : "auc"}};
}

// ---- BoostModel -------------------------------------------------------------

void BoostModel::BoosterFree::operator()(void* handle) const {
  if (handle != nullptr) XGBoosterFree(handle);
}

BoostModel::BoostModel(BoostParams params, BoostTuning tuning)
    : params_(std::move(params)), tuning_(std::move(tuning)) {}

BoostModel::~BoostModel() = default;

std::unique_ptr<RiskModel> BoostModel::Clone() const {
  return std::make_unique<BoostModel>(params_, tuning_);
}

namespace {

// Nested choice of (depth, rounds) on the training set (see boost.h).
// Returns the choice, or params' own when tuning cannot run; *report says
// which and why.
Result<Choice> Tune(const Dataset& d, const BoostParams& params, const BoostTuning& t,
                    const FitOptions& options, nlohmann::json* report) {
  std::vector<int> rounds = t.rounds.empty() ? std::vector<int>{params.n_rounds} : t.rounds;
  std::vector<int> depths = t.depths.empty() ? std::vector<int>{params.max_depth} : t.depths;
  std::sort(rounds.begin(), rounds.end());
  rounds.erase(std::unique(rounds.begin(), rounds.end()), rounds.end());
  std::sort(depths.begin(), depths.end());
  depths.erase(std::unique(depths.begin(), depths.end()), depths.end());
  const Choice fallback{params.max_depth, params.n_rounds};

  *report = t.ToJson();
  const int last = *std::max_element(d.year.begin(), d.year.end());
  struct Fold {
    std::vector<std::size_t> train, val;
    int train_last = 0, val_first = 0, val_last = 0;
    std::size_t val_positives = 0;
  };
  std::vector<Fold> folds;
  nlohmann::json fold_json = nlohmann::json::array();
  std::size_t pooled_positives = 0;
  for (int f = 0; f < t.folds; ++f) {
    Fold fold;
    fold.val_last = last - f * t.block_years;
    fold.val_first = fold.val_last - t.block_years + 1;
    fold.train_last = fold.val_first - t.gap_years;
    std::size_t train_pos = 0;
    for (std::size_t i = 0; i < d.rows(); ++i) {
      const int y = d.year[i];
      const bool pos = d.y(static_cast<Eigen::Index>(i)) == 1.0;
      if (y <= fold.train_last) {
        fold.train.push_back(i);
        train_pos += pos;
      } else if (y >= fold.val_first && y <= fold.val_last) {
        fold.val.push_back(i);
        fold.val_positives += pos;
      }
    }
    const bool usable = train_pos > 0 && train_pos < fold.train.size() && !fold.val.empty();
    fold_json.push_back({{"train_last_year", fold.train_last},
                         {"validation_years", {fold.val_first, fold.val_last}},
                         {"train_rows", fold.train.size()},
                         {"train_positives", train_pos},
                         {"validation_rows", fold.val.size()},
                         {"validation_positives", fold.val_positives},
                         {"used", usable}});
    if (usable) {
      pooled_positives += fold.val_positives;
      folds.push_back(std::move(fold));
    }
  }
  (*report)["folds"] = fold_json;
  if (folds.empty() || pooled_positives < static_cast<std::size_t>(t.min_positives)) {
    (*report)["status"] = "skipped";
    (*report)["reason"] = fmt::format("{} usable folds with {} validation positives (need {})",
                                      folds.size(), pooled_positives, t.min_positives);
    return fallback;
  }

  // pooled[depth index][round index] = validation predictions over all folds.
  std::vector<int> labels;
  for (const Fold& fold : folds) {
    for (std::size_t i : fold.val) labels.push_back(d.y(static_cast<Eigen::Index>(i)) == 1.0);
  }
  std::vector<std::vector<std::vector<double>>> pooled(
      depths.size(), std::vector<std::vector<double>>(rounds.size()));
  const std::size_t total_steps = PlannedSteps(params, t);
  std::size_t step = 0;
  for (std::size_t di = 0; di < depths.size(); ++di) {
    for (const Fold& fold : folds) {
      VIGIL_ASSIGN_OR_RETURN(DMatrixPtr dtrain, MakeDMatrix(d.x, &fold.train, &d.y));
      VIGIL_ASSIGN_OR_RETURN(DMatrixPtr dval, MakeDMatrix(d.x, &fold.val, nullptr));
      TrainSetting s;
      s.params = params;
      s.depth = depths[di];
      s.rounds = rounds.back();
      s.base_score = Prevalence(d.y, &fold.train, params.scale_pos_weight);
      s.seed = options.seed;
      s.threads = options.threads;
      VIGIL_ASSIGN_OR_RETURN(BoosterPtr booster, Train(dtrain.get(), s));
      std::vector<float> out;
      for (std::size_t ri = 0; ri < rounds.size(); ++ri) {
        VIGIL_RETURN_IF_ERROR(
            PredictRaw(booster.get(), dval.get(), 0, rounds[ri], fold.val.size(), 1, &out));
        pooled[di][ri].insert(pooled[di][ri].end(), out.begin(), out.end());
      }
      Report(options.progress, ++step, total_steps,
             fmt::format("boost tuning depth {} fold <= {}", depths[di], fold.train_last));
    }
  }

  nlohmann::json scores = nlohmann::json::array();
  Choice best = fallback;
  double best_score = std::numeric_limits<double>::infinity();  // lower is better
  for (std::size_t di = 0; di < depths.size(); ++di) {
    for (std::size_t ri = 0; ri < rounds.size(); ++ri) {
      const double ll = LogLoss(pooled[di][ri], labels);
      const double auc = Auc(pooled[di][ri], labels);
      scores.push_back({{"depth", depths[di]}, {"rounds", rounds[ri]}, {"log_loss", ll}, {"auc", auc}});
      const double score = t.metric == BoostTuning::Metric::kLogLoss ? ll : -auc;
      // Strictly better only: ties keep the shallower, shorter candidate.
      if (score < best_score) {
        best_score = score;
        best = {depths[di], rounds[ri]};
      }
    }
  }
  (*report)["scores"] = scores;
  (*report)["validation_rows"] = labels.size();
  (*report)["validation_positives"] = pooled_positives;
  (*report)["status"] = "chosen";
  (*report)["chosen"] = {{"depth", best.depth}, {"rounds", best.rounds}};
  return best;
}

}  // namespace

Status BoostModel::Fit(const Dataset& train, const FitOptions& options) {
  booster_.reset();
  fitted_rounds_ = fitted_depth_ = 0;
  tuning_report_ = nullptr;
  VIGIL_RETURN_IF_ERROR(params_.Validate());
  VIGIL_RETURN_IF_ERROR(tuning_.Validate());
  VIGIL_RETURN_IF_ERROR(CheckDataset(train, tuning_.enabled));

  Choice choice{params_.max_depth, params_.n_rounds};
  nlohmann::json report;
  if (tuning_.enabled) {
    VIGIL_ASSIGN_OR_RETURN(choice, Tune(train, params_, tuning_, options, &report));
  }
  VIGIL_ASSIGN_OR_RETURN(DMatrixPtr dtrain, MakeDMatrix(train.x, nullptr, &train.y));
  TrainSetting s;
  s.params = params_;
  s.depth = choice.depth;
  s.rounds = choice.rounds;
  s.base_score = Prevalence(train.y, nullptr, params_.scale_pos_weight);
  s.seed = options.seed;
  s.threads = options.threads;
  VIGIL_ASSIGN_OR_RETURN(BoosterPtr booster, Train(dtrain.get(), s));
  const std::size_t steps = PlannedSteps(params_, tuning_);
  Report(options.progress, steps, steps,
         fmt::format("boost fit: depth {}, {} rounds", choice.depth, choice.rounds));

  std::size_t pos = 0;
  for (Eigen::Index i = 0; i < train.y.size(); ++i) pos += train.y(i) == 1.0;
  n_features_ = static_cast<int>(train.x.cols());
  features_ = train.features;
  train_rows_ = train.rows();
  train_positives_ = pos;
  base_score_ = s.base_score;
  fitted_rounds_ = choice.rounds;
  fitted_depth_ = choice.depth;
  tuning_report_ = tuning_.enabled ? report : nlohmann::json();
  booster_ = std::move(booster);
  return Status::Ok();
}

Result<Eigen::MatrixXd> BoostModel::Run(const Eigen::MatrixXd& x, Output output) const {
  if (!fitted()) return Status::FailedPrecondition("boost: model is not fitted");
  if (x.cols() != n_features_) {
    return Status::InvalidArgument(
        fmt::format("boost: {} columns given, the model was fitted on {}", x.cols(), n_features_));
  }
  const std::size_t n = static_cast<std::size_t>(x.rows());
  const std::size_t cols = output == Output::kContributions ? static_cast<std::size_t>(n_features_) + 1 : 1;
  if (n == 0) return Eigen::MatrixXd(0, static_cast<Eigen::Index>(cols));
  VIGIL_ASSIGN_OR_RETURN(DMatrixPtr dm, MakeDMatrix(x, nullptr, nullptr));
  const int type = output == Output::kValue ? 0 : output == Output::kMargin ? 1 : 2;
  std::vector<float> out;
  {
    std::lock_guard<std::mutex> lock(mu_);
    VIGIL_RETURN_IF_ERROR(PredictRaw(booster_.get(), dm.get(), type, 0, n, cols, &out));
  }
  Eigen::MatrixXd m(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(cols));
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < cols; ++j) {
      m(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = out[i * cols + j];
    }
  }
  return m;
}

Result<Eigen::VectorXd> BoostModel::PredictProbability(const Eigen::MatrixXd& x) const {
  VIGIL_ASSIGN_OR_RETURN(Eigen::MatrixXd m, Run(x, Output::kValue));
  return Eigen::VectorXd(m.col(0));
}

Result<Eigen::VectorXd> BoostModel::PredictMargin(const Eigen::MatrixXd& x) const {
  VIGIL_ASSIGN_OR_RETURN(Eigen::MatrixXd m, Run(x, Output::kMargin));
  return Eigen::VectorXd(m.col(0));
}

Result<Eigen::MatrixXd> BoostModel::ShapValues(const Eigen::MatrixXd& x) const {
  return Run(x, Output::kContributions);
}

Eigen::VectorXd BoostModel::Predict(const Eigen::MatrixXd& x) const {
  assert(fitted() && "BoostModel::Predict before a successful Fit");
  assert(x.cols() == n_features_ && "BoostModel::Predict: wrong column count");
  auto r = PredictProbability(x);
  assert(r.ok() && "BoostModel::Predict: xgboost failed");
  if (!r.ok()) return Eigen::VectorXd::Constant(x.rows(), std::nan(""));
  return std::move(r).value();
}

Eigen::MatrixXd BoostModel::Contributions(const Eigen::MatrixXd& x) const {
  assert(fitted() && "BoostModel::Contributions before a successful Fit");
  assert(x.cols() == n_features_ && "BoostModel::Contributions: wrong column count");
  auto r = ShapValues(x);
  assert(r.ok() && "BoostModel::Contributions: xgboost failed");
  if (!r.ok()) return Eigen::MatrixXd::Constant(x.rows(), x.cols(), std::nan(""));
  return r->leftCols(n_features_);
}

nlohmann::json BoostModel::Describe() const {
  nlohmann::json j = {{"model", "boost"}, {"params", params_.ToJson()}, {"fitted", fitted()}};
  if (fitted()) {
    j["n_rounds"] = fitted_rounds_;
    j["max_depth"] = fitted_depth_;
    j["base_score"] = base_score_;
    j["train_rows"] = train_rows_;
    j["train_positives"] = train_positives_;
    j["tuning"] = tuning_report_.is_null() ? nlohmann::json{{"enabled", false}} : tuning_report_;
  }
  return j;
}

Result<std::string> BoostModel::Serialize() const {
  if (!fitted()) return Status::FailedPrecondition("boost: cannot serialize an unfitted model");
  std::string booster_json;
  {
    std::lock_guard<std::mutex> lock(mu_);
    bst_ulong len = 0;
    const char* data = nullptr;
    VIGIL_RETURN_IF_ERROR(Xgb(XGBoosterSaveModelToBuffer(booster_.get(), R"({"format": "json"})", &len, &data),
                              "saving the model"));
    booster_json.assign(data, len);
  }
  nlohmann::json doc = {{"format", kFormat},
                        {"version", kFormatVersion},
                        {"params", params_.ToJson()},
                        {"tuning", tuning_.ToJson()},
                        {"n_features", n_features_},
                        {"features", features_},
                        {"fit", Describe()},
                        // XGBoost's JSON model verbatim (as a string), so that
                        // no float passes through another parser's rounding.
                        {"xgboost_model", booster_json}};
  return doc.dump();
}

Result<std::unique_ptr<BoostModel>> BoostModel::Deserialize(std::string_view text, int threads) {
  auto corrupt = [](const std::string& what) { return Status::Corruption("boost model: " + what); };
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) return corrupt("not a JSON object");
  if (!doc.contains("format") || doc["format"] != kFormat) return corrupt("format is not 'vigil.boost'");
  if (!doc.contains("version") || JsonInteger(doc["version"]) != kFormatVersion) {
    return corrupt("unsupported version " + (doc.contains("version") ? doc["version"].dump() : "(none)"));
  }
  auto params = BoostParams::FromJson(doc.value("params", nlohmann::json::object()));
  if (!params.ok()) return corrupt(params.status().message());
  auto tuning = TuningFromJson(doc.value("tuning", nlohmann::json::object()));
  if (!tuning.ok()) return corrupt(tuning.status().message());
  auto model = std::make_unique<BoostModel>(*params, *tuning);
  if (!doc.contains("fit") || !doc["fit"].is_object()) return corrupt("field 'fit' must be an object");
  const nlohmann::json& fit = doc["fit"];
  // A required field of `obj` as the type of *out (integers >= 0).
  auto read = [&](const nlohmann::json& obj, const char* key, auto* out) -> Status {
    using T = std::remove_pointer_t<decltype(out)>;
    if (!obj.contains(key)) return corrupt(std::string("field '") + key + "' is missing");
    auto v = JsonAs<T>(obj[key], key, /*lo=*/0);  // lo only bounds integers
    if (!v.ok()) return corrupt(v.status().message());
    *out = std::move(*v);
    return Status::Ok();
  };
  VIGIL_RETURN_IF_ERROR(read(doc, "n_features", &model->n_features_));
  VIGIL_RETURN_IF_ERROR(read(doc, "features", &model->features_));
  VIGIL_RETURN_IF_ERROR(read(fit, "n_rounds", &model->fitted_rounds_));
  VIGIL_RETURN_IF_ERROR(read(fit, "max_depth", &model->fitted_depth_));
  VIGIL_RETURN_IF_ERROR(read(fit, "base_score", &model->base_score_));
  VIGIL_RETURN_IF_ERROR(read(fit, "train_rows", &model->train_rows_));
  VIGIL_RETURN_IF_ERROR(read(fit, "train_positives", &model->train_positives_));
  try {
    const nlohmann::json& tr = fit.at("tuning");
    model->tuning_report_ = tr.is_object() && tr.value("enabled", false) ? tr : nlohmann::json();
    const std::string& raw = doc.at("xgboost_model").get_ref<const std::string&>();
    BoosterHandle h = nullptr;
    Status st = Xgb(XGBoosterCreate(nullptr, 0, &h), "creating a booster");
    if (!st.ok()) return st;
    BoosterPtr booster(h);
    st = Xgb(XGBoosterLoadModelFromBuffer(h, raw.data(), raw.size()), "loading the model");
    if (!st.ok()) return corrupt(st.message());
    VIGIL_RETURN_IF_ERROR(Xgb(XGBoosterSetParam(h, "nthread", std::to_string(std::max(1, threads)).c_str()),
                              "setting nthread"));
    bst_ulong nf = 0;
    VIGIL_RETURN_IF_ERROR(Xgb(XGBoosterGetNumFeature(h, &nf), "reading the feature count"));
    int rounds = 0;
    VIGIL_RETURN_IF_ERROR(Xgb(XGBoosterBoostedRounds(h, &rounds), "reading the round count"));
    if (static_cast<int>(nf) != model->n_features_ || rounds != model->fitted_rounds_) {
      return corrupt(fmt::format("booster has {} features and {} rounds, the document says {} and {}", nf,
                                 rounds, model->n_features_, model->fitted_rounds_));
    }
    if (!model->features_.empty() && model->features_.size() != nf) {
      return corrupt(fmt::format("{} feature names for {} features", model->features_.size(), nf));
    }
    model->booster_ = std::move(booster);
  } catch (const nlohmann::json::exception& e) {
    return corrupt(e.what());
  }
  return model;
}

}  // namespace vigil::risk
