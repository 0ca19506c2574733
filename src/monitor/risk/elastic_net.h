// Elastic-net logistic regression equivalent to R's glmnet (family =
// "binomial", type.logistic = "Newton") and cv.glmnet, and the
// "elastic-net" RiskModel built on them (EWP's model: alpha 0.5,
// lambda.min of 10-fold cross-validation).
//
// The fit minimises, over an intercept a0 and coefficients beta,
//   -(1/sum w) * sum_i w_i loglik_i(a0 + x_i beta)
//     + lambda * ((1 - alpha)/2 * |beta|_2^2 + alpha * |beta|_1)
// with x standardized as glmnet does it, for each lambda of a decreasing
// sequence, and reports beta on the original scale of x.
//
// Equivalence with glmnet 4.1 (lognet / glmnetpp, kopt = 0): observation
// weights normalized to sum 1; rows of weight 0 dropped; columns that are
// constant get coefficient 0; weighted means and population (divide by
// sum w) standard deviations; glmnet's lambda sequence (lambda_max from the
// gradient at the intercept-only model divided by max(alpha, 1e-3), then
// multiplied by a constant ratio, the first value reported as glmnet's
// fix.lam reports it); warm starts; the strong rule and KKT checks for
// entering variables; convergence threshold thresh scaled by the null
// deviance; glmnet's early end of a computed path (after at least 5
// lambdas, when the deviance ratio exceeds 0.999 or grows by less than
// 1e-5); the probability limits (1e-9) that glmnet applies.
//
// glmnet stops each coordinate-descent and IRLS loop at its tolerance, not
// at the exact optimum, and along strongly correlated columns (year and year
// squared in EWP's model) the difference shows in the coefficients and most
// in the intercept. So the solver makes glmnet's moves in glmnet's order and
// applies the same tests; it only obtains each coordinate's gradient
// differently, from a weighted Gram matrix built once per IRLS step (summed
// in single precision) instead of from the residual. With curvature_reuse = 0
// the number of passes equals glmnet's npasses and the coefficients agree
// with glmnet's to about 1e-7 on the EWP panel. By default an IRLS step after
// the first at a lambda may keep the previous Gram matrix while the IRLS
// weights have moved by less than 5%: on the EWP panel the coefficients then
// agree with glmnet's to about 1e-5 (intercept 3e-4 with uneven weights), the
// same lambda.min and lambda.1se, cross-validated deviance within 3e-8.
//
// Cross-validation follows cv.glmnet: the full data are fitted first; each
// fold refits on the other folds (with its own computed lambda sequence
// when the sequence is not user-supplied, as cv.glmnet does since glmnet
// 2.0-18) and is scored at the full fit's lambdas by glmnet's linear
// interpolation along the fold's path; binomial deviance with probabilities
// clamped to [1e-5, 1 - 1e-5]; grouped aggregation by fold; lambda.min and
// lambda.1se as getOptcv.glmnet picks them. Without explicit folds the fold
// ids are R's `set.seed(seed); sample(rep(seq(nfolds), length = n))`, so a
// vigil run with seed 90035 reproduces EWP's cv.glmnet exactly.
//
// Thread safety: the free functions are reentrant; a fitted ElasticNetModel
// may be used for prediction from several threads at once.
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/progress.h"
#include "core/status.h"
#include "monitor/risk/model.h"

namespace vigil::risk {

struct ElasticNetOptions {
  double alpha = 0.5;             // mixing: 1 = lasso, 0 = ridge; in [0, 1]
  int nlambda = 100;              // length of a computed sequence, >= 1
  double lambda_min_ratio = 0;    // in [0, 1); 0 = glmnet's default: 1e-4, or 1e-2 if n < p
  std::vector<double> lambda;     // user sequence (>= 0, any order; fitted decreasing);
                                  // empty = computed sequence
  bool standardize = true;
  bool intercept = true;
  double thresh = 1e-7;           // glmnet's convergence threshold (times the null deviance)
  int maxit = 100000;             // limit on sweeps over the whole path (glmnet's maxit)
  // An IRLS step after the first at a lambda keeps the previous step's
  // weighted Gram matrix (Hessian) while no IRLS weight has changed by more
  // than this fraction since it was built (a quasi-Newton step whose
  // curvatures are within that fraction of the exact ones); gradients and
  // convergence tests are always exact. 0 = rebuild it at every step, as
  // glmnet does (the fit then replays glmnet's steps to rounding). In
  // [0, 0.25], which keeps each IRLS iteration a contraction by at least 3
  // (the convergence test, a small step, then still means a small error).
  double curvature_reuse = 0.05;

  // InvalidArgument naming the first bad option.
  Status Validate() const;
};

// A fitted regularization path. Columns of beta, entries of a0, lambda and
// dev_ratio correspond; the path may be shorter than requested when glmnet's
// early-stopping rule ends a computed sequence.
struct ElasticNetPath {
  std::vector<double> lambda;  // decreasing; as R's glmnet reports it
  Eigen::VectorXd a0;          // intercepts (original scale)
  Eigen::MatrixXd beta;        // p x L coefficients (original scale)
  std::vector<double> dev_ratio;
  double null_deviance = 0;    // 2 * sum(w) * (null model deviance per unit weight)
  bool lambda_computed = true;
  int passes = 0;              // coordinate-descent sweeps (glmnet's npasses)
  // Non-empty when the solver hit maxit at some lambda; the path then holds
  // the lambdas before it (glmnet warns and does the same).
  std::string warning;

  int size() const { return static_cast<int>(lambda.size()); }
  int Nonzero(int k) const;

  // Linear predictor / probability of each row of x at path index k
  // (0 <= k < size(), x with p columns; asserted).
  Eigen::VectorXd PredictLink(const Eigen::MatrixXd& x, int k) const;
  Eigen::VectorXd PredictProb(const Eigen::MatrixXd& x, int k) const;

  // Coefficients at an arbitrary lambda s, interpolated linearly in lambda
  // between the two neighbouring path points and clamped to the path's
  // range, exactly as R's predict(fit, s = s) does (lambda.interp).
  void CoefficientsAt(double s, double* a0_out, Eigen::VectorXd* beta_out) const;
};

// Fits the path. x: n x p, finite; y: n values, each 0 or 1, with at least
// two rows of each class; weights: optional, n finite values >= 0 with a
// positive sum (default all 1). InvalidArgument for bad input or options,
// or when every column is constant, or when the weighted share of ones is
// within 1e-9 of 0 or 1.
Result<ElasticNetPath> FitElasticNetPath(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                                         const ElasticNetOptions& options,
                                         const Eigen::VectorXd* weights = nullptr);

struct CvOptions {
  int nfolds = 10;               // >= 3; ignored when foldid is given
  std::vector<int> foldid;       // optional: fold (1..K, K >= 3, every fold used) of each row
  std::uint32_t seed = 90035;    // R seed for the default fold ids
  int threads = 1;               // fits run in parallel when > 1; results do not depend on it
  ProgressFn progress;           // called after each of the nfolds + 1 fits
};

struct CvElasticNet {
  ElasticNetPath fit;          // on all rows
  std::vector<double> cvm;     // mean cross-validated binomial deviance per lambda of fit
  std::vector<double> cvsd;    // its standard error
  std::vector<int> nzero;      // nonzero coefficients per lambda of fit
  std::vector<int> foldid;     // folds used (1..nfolds)
  int nfolds = 0;
  bool grouped = true;         // false when n / nfolds < 3 (cv.glmnet then ungroups)
  int index_min = 0;           // 0-based index into fit of lambda.min
  int index_1se = 0;           // ... of lambda.1se
  double lambda_min = 0;
  double lambda_1se = 0;
};

// cv.glmnet(x, y, weights, alpha, ..., type.measure = "deviance"). Same input
// contract as FitElasticNetPath; the fit of any fold failing (e.g. too few
// rows of a class outside the fold) is an error naming the fold.
Result<CvElasticNet> CrossValidateElasticNet(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                                             const ElasticNetOptions& options,
                                             const CvOptions& cv_options,
                                             const Eigen::VectorXd* weights = nullptr);

// EWP's model as a RiskModel: cross-validated elastic-net logit.
struct ElasticNetModelOptions {
  enum class Rule { kMin, k1se };
  double alpha = 0.5;
  Rule rule = Rule::kMin;  // lambda.min or lambda.1se
  int nfolds = 10;

  Status Validate() const;
  // "min" / "1se".
  static Result<Rule> ParseRule(const std::string& text);
  static const char* RuleName(Rule rule);
};

class ElasticNetModel : public RiskModel {
 public:
  explicit ElasticNetModel(ElasticNetModelOptions options = {});

  std::string name() const override { return "elastic-net"; }

  // Runs CrossValidateElasticNet on the training set with default path
  // options and the model's alpha and nfolds; fold ids come from R's RNG
  // seeded with the low 32 bits of options.seed (so seed 90035 gives EWP's
  // folds), and options.threads fits run in parallel. Keeps the coefficients
  // at the chosen lambda. InvalidArgument as FitElasticNetPath; on error the
  // model is left unfitted.
  Status Fit(const Dataset& train, const FitOptions& options) override;

  // 1 / (1 + exp(-(a0 + x beta))). Asserts fitted and the column count.
  Eigen::VectorXd Predict(const Eigen::MatrixXd& x) const override;
  // beta_j * (x_ij - mean_j), mean_j the unweighted training mean.
  Eigen::MatrixXd Contributions(const Eigen::MatrixXd& x) const override;
  // {model, alpha, lambda_rule, nfolds, lambda, lambda_index (1-based, as
  //  R's cv$index), lambda_min, lambda_1se, cvm, path_length, nonzero,
  //  coefficients {"(Intercept)": a0, feature: beta ...}}; {} when unfitted.
  nlohmann::json Describe() const override;
  std::unique_ptr<RiskModel> Clone() const override;

  bool fitted() const { return fitted_; }
  double intercept() const { return a0_; }
  const Eigen::VectorXd& coefficients() const { return beta_; }

 private:
  ElasticNetModelOptions options_;
  bool fitted_ = false;
  double a0_ = 0;
  Eigen::VectorXd beta_;
  Eigen::VectorXd mean_;
  std::vector<std::string> features_;
  nlohmann::json describe_;
};

}  // namespace vigil::risk
