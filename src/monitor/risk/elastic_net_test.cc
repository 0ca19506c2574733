#include "monitor/risk/elastic_net.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "monitor/risk/r_rng.h"

namespace vigil::risk {
namespace {

// A logistic data set with correlated columns, a rare-ish outcome, one
// indicator column and one low-cardinality column.
struct Synthetic {
  Eigen::MatrixXd x;
  Eigen::VectorXd y;
};

Synthetic MakeData(int n, int p, unsigned seed, double intercept = -2.0) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> z(0, 1);
  std::uniform_real_distribution<double> u(0, 1);
  Synthetic d;
  d.x.resize(n, p);
  d.y.resize(n);
  Eigen::VectorXd beta = Eigen::VectorXd::Zero(p);
  for (int j = 0; j < p; ++j) beta(j) = (j % 3 == 0) ? 0.8 / (1 + j / 3) : (j % 3 == 1 ? -0.5 : 0.0);
  for (int i = 0; i < n; ++i) {
    const double common = z(rng);
    for (int j = 0; j < p; ++j) d.x(i, j) = 0.6 * common + z(rng);
    if (p > 2) d.x(i, 1) = u(rng) < 0.2 ? 1.0 : 0.0;              // indicator
    if (p > 3) d.x(i, 2) = std::floor(u(rng) * 4);                  // four levels
    if (p > 5) d.x(i, 5) = 3 * d.x(i, 4) + 0.1 * z(rng) + 10;       // near-collinear, shifted
    const double eta = intercept + d.x.row(i).dot(beta);
    d.y(i) = u(rng) < 1 / (1 + std::exp(-eta)) ? 1.0 : 0.0;
  }
  return d;
}

// Standardization as glmnet does it (weights 1/n, population SD).
struct Std {
  Eigen::VectorXd mean, sd;
};
Std Standardize(const Eigen::MatrixXd& x) {
  Std s;
  s.mean = x.colwise().mean().transpose();
  s.sd = ((x.rowwise() - s.mean.transpose()).array().square().colwise().mean()).sqrt().transpose();
  return s;
}

// Gradient of the mean log-likelihood with respect to standardized
// coefficients, at (a0, beta) on the original scale.
Eigen::VectorXd StdGradient(const Synthetic& d, double a0, const Eigen::VectorXd& beta, const Std& s,
                            double* intercept_gradient) {
  const Eigen::VectorXd eta = (d.x * beta).array() + a0;
  const Eigen::VectorXd prob = (1 / (1 + (-eta.array()).exp())).matrix();
  const Eigen::VectorXd resid = d.y - prob;
  *intercept_gradient = resid.mean();
  const Eigen::MatrixXd xc = (d.x.rowwise() - s.mean.transpose()).array().rowwise() / s.sd.transpose().array();
  return xc.transpose() * resid / static_cast<double>(d.x.rows());
}

TEST(ElasticNetTest, LambdaMaxZeroesEveryCoefficientAndTheNextDoesNot) {
  const Synthetic d = MakeData(400, 8, 1);
  ElasticNetOptions o;
  o.alpha = 0.5;
  auto path = FitElasticNetPath(d.x, d.y, o);
  ASSERT_TRUE(path.ok()) << path.status().ToString();
  ASSERT_GE(path->size(), 3);
  EXPECT_TRUE(path->lambda_computed);
  EXPECT_EQ(path->Nonzero(0), 0);
  EXPECT_GT(path->Nonzero(1), 0);
  // lambda_max = max_j |x_j' (y - ybar)| / n / alpha on standardized columns.
  const Std s = Standardize(d.x);
  const Eigen::MatrixXd xc = (d.x.rowwise() - s.mean.transpose()).array().rowwise() / s.sd.transpose().array();
  const double lmax = (xc.transpose() * (d.y.array() - d.y.mean()).matrix()).cwiseAbs().maxCoeff() / 400 / 0.5;
  EXPECT_NEAR(path->lambda[0] / lmax, 1.0, 1e-10);
  // The sequence is geometric with ratio 1e-4^(1/99) (n > p).
  const double ratio = std::pow(1e-4, 1.0 / 99);
  for (int k = 2; k < path->size(); ++k) EXPECT_NEAR(path->lambda[k] / path->lambda[k - 1], ratio, 1e-12);
  // The intercept of the empty model is the log-odds of the base rate.
  const double ybar = d.y.mean();
  EXPECT_NEAR(path->a0(0), std::log(ybar / (1 - ybar)), 1e-9);
  EXPECT_NEAR(path->dev_ratio[0], 0.0, 1e-12);
  // Null deviance: -2 sum log-likelihood of the base-rate model.
  EXPECT_NEAR(path->null_deviance, -2 * 400 * (ybar * std::log(ybar) + (1 - ybar) * std::log(1 - ybar)), 1e-8);
}

// The optimality (KKT) conditions of the penalized log-likelihood, checked
// from the data directly (not through the solver's sums).
void ExpectKkt(const Synthetic& d, const ElasticNetPath& path, double alpha) {
  const Std s = Standardize(d.x);
  for (int k = 0; k < path.size(); ++k) {
    const double lam = path.lambda[static_cast<std::size_t>(k)];
    double g0;
    const Eigen::VectorXd g = StdGradient(d, path.a0(k), path.beta.col(k), s, &g0);
    EXPECT_NEAR(g0, 0.0, 1e-7) << "alpha " << alpha << " lambda " << lam;
    int nonzero = 0;
    for (int j = 0; j < d.x.cols(); ++j) {
      const double bstd = path.beta(j, k) * s.sd(j);
      if (bstd == 0) {
        EXPECT_LE(std::abs(g(j)), lam * alpha + 1e-7) << "alpha " << alpha << " lambda " << lam << " j " << j;
      } else {
        ++nonzero;
        EXPECT_NEAR(g(j) - lam * (1 - alpha) * bstd, lam * alpha * (bstd > 0 ? 1 : -1), 1e-7)
            << "alpha " << alpha << " lambda " << lam << " j " << j;
      }
    }
    EXPECT_GT(nonzero, 0);
  }
}

TEST(ElasticNetTest, KktConditionsHoldAtConvergence) {
  const Synthetic d = MakeData(600, 10, 2);
  for (double alpha : {1.0, 0.5, 0.2}) {
    ElasticNetOptions o;
    o.alpha = alpha;
    o.thresh = 1e-14;  // converge far below glmnet's default tolerance
    o.lambda = {0.08, 0.03, 0.01, 0.003};
    auto path = FitElasticNetPath(d.x, d.y, o);
    ASSERT_TRUE(path.ok()) << path.status().ToString();
    ASSERT_EQ(path->size(), 4);
    EXPECT_FALSE(path->lambda_computed);
    ExpectKkt(d, *path, alpha);
  }
}

// Many indicator columns split the rows into many small row patterns, down
// to single rows (as in the EWP panel), which the solver sums separately.
TEST(ElasticNetTest, KktConditionsHoldWithManySmallRowPatterns) {
  Synthetic d = MakeData(301, 12, 7);
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> u(0, 1);
  for (int j : {3, 6, 7, 8, 9, 10, 11}) {
    for (Eigen::Index i = 0; i < d.x.rows(); ++i) d.x(i, j) = u(rng) < 0.3 ? 1.0 : 0.0;
  }
  for (Eigen::Index i = 0; i < d.x.rows(); ++i) {  // the outcome depends on two of them
    if (d.x(i, 6) > 0 && u(rng) < 0.3) d.y(i) = 1.0;
    if (d.x(i, 9) > 0 && u(rng) < 0.2) d.y(i) = 0.0;
  }
  ElasticNetOptions o;
  o.alpha = 0.5;
  o.thresh = 1e-14;
  o.lambda = {0.05, 0.02, 0.005, 0.001};
  auto path = FitElasticNetPath(d.x, d.y, o);
  ASSERT_TRUE(path.ok()) << path.status().ToString();
  ASSERT_EQ(path->size(), 4);
  ExpectKkt(d, *path, o.alpha);
}

// Reusing the Gram matrix changes the Newton steps, not the optimum: fitted
// far below the default tolerance, the largest allowed reuse and none give
// the same coefficients; at the default tolerance they differ by much less
// than the tolerance allows.
TEST(ElasticNetTest, CurvatureReuseKeepsTheOptimum) {
  const Synthetic d = MakeData(800, 12, 21);
  for (double thresh : {1e-14, 1e-7}) {
    ElasticNetOptions exact;
    exact.thresh = thresh;
    exact.curvature_reuse = 0;
    exact.lambda = {0.06, 0.03, 0.015, 0.007, 0.003, 0.001, 0.0003};
    ElasticNetOptions reuse = exact;
    reuse.curvature_reuse = thresh < 1e-10 ? 0.25 : ElasticNetOptions{}.curvature_reuse;
    auto e = FitElasticNetPath(d.x, d.y, exact);
    auto r = FitElasticNetPath(d.x, d.y, reuse);
    ASSERT_TRUE(e.ok() && r.ok());
    ASSERT_EQ(e->size(), r->size());
    const double tol = thresh < 1e-10 ? 1e-6 : 1e-4;
    std::printf("[reuse] thresh %g: max |dbeta| %.2g, max |da0| %.2g\n", thresh,
                (e->beta - r->beta).cwiseAbs().maxCoeff(), (e->a0 - r->a0).cwiseAbs().maxCoeff());
    EXPECT_LT((e->beta - r->beta).cwiseAbs().maxCoeff(), tol) << "thresh " << thresh;
    EXPECT_LT((e->a0 - r->a0).cwiseAbs().maxCoeff(), tol) << "thresh " << thresh;
  }
}

// Plain Newton-Raphson for the unpenalized logistic regression.
Eigen::VectorXd Irls(const Eigen::MatrixXd& x, const Eigen::VectorXd& y) {
  const Eigen::Index n = x.rows();
  Eigen::MatrixXd a(n, x.cols() + 1);
  a.col(0).setOnes();
  a.rightCols(x.cols()) = x;
  Eigen::VectorXd b = Eigen::VectorXd::Zero(a.cols());
  for (int it = 0; it < 100; ++it) {
    const Eigen::VectorXd eta = a * b;
    const Eigen::ArrayXd prob = 1 / (1 + (-eta.array()).exp());
    const Eigen::VectorXd w = prob * (1 - prob);
    const Eigen::VectorXd step =
        (a.transpose() * w.asDiagonal() * a).ldlt().solve(a.transpose() * (y.array() - prob).matrix());
    b += step;
    if (step.cwiseAbs().maxCoeff() < 1e-14) break;
  }
  return b;
}

TEST(ElasticNetTest, UnpenalizedLimitIsTheLogisticRegression) {
  const Synthetic d = MakeData(500, 5, 3, -1.0);
  const Eigen::VectorXd mle = Irls(d.x, d.y);
  for (double alpha : {1.0, 0.5}) {
    ElasticNetOptions o;
    o.alpha = alpha;
    o.thresh = 1e-16;
    o.lambda = {0.0};
    auto path = FitElasticNetPath(d.x, d.y, o);
    ASSERT_TRUE(path.ok()) << path.status().ToString();
    EXPECT_NEAR(path->a0(0), mle(0), 1e-6);
    for (int j = 0; j < 5; ++j) EXPECT_NEAR(path->beta(j, 0), mle(j + 1), 1e-6) << j;
  }
}

TEST(ElasticNetTest, ConstantColumnsGetZeroCoefficients) {
  Synthetic d = MakeData(300, 6, 4);
  d.x.col(3).setConstant(2.5);
  auto path = FitElasticNetPath(d.x, d.y, ElasticNetOptions{});
  ASSERT_TRUE(path.ok()) << path.status().ToString();
  EXPECT_EQ(path->beta.row(3).cwiseAbs().maxCoeff(), 0.0);
  EXPECT_GT(path->Nonzero(path->size() - 1), 0);
  d.x.setConstant(1.0);
  EXPECT_EQ(FitElasticNetPath(d.x, d.y, ElasticNetOptions{}).status().code(), Status::Code::kInvalidArgument);
}

TEST(ElasticNetTest, IntegerWeightsEqualRepeatedRowsAndZeroWeightsDropRows) {
  const Synthetic d = MakeData(250, 6, 5);
  Eigen::VectorXd w = Eigen::VectorXd::Ones(250);
  std::vector<Eigen::Index> rows;
  for (Eigen::Index i = 0; i < 250; ++i) {
    w(i) = static_cast<double>(i % 3);  // 0, 1 or 2
    for (int r = 0; r < w(i); ++r) rows.push_back(i);
  }
  Eigen::MatrixXd xr(static_cast<Eigen::Index>(rows.size()), 6);
  Eigen::VectorXd yr(static_cast<Eigen::Index>(rows.size()));
  for (std::size_t r = 0; r < rows.size(); ++r) {
    xr.row(static_cast<Eigen::Index>(r)) = d.x.row(rows[r]);
    yr(static_cast<Eigen::Index>(r)) = d.y(rows[r]);
  }
  ElasticNetOptions o;
  o.thresh = 1e-14;
  o.lambda = {0.05, 0.01, 0.002};
  auto weighted = FitElasticNetPath(d.x, d.y, o, &w);
  auto repeated = FitElasticNetPath(xr, yr, o);
  ASSERT_TRUE(weighted.ok()) << weighted.status().ToString();
  ASSERT_TRUE(repeated.ok()) << repeated.status().ToString();
  // The two problems differ only in rounding, and the threshold lets the
  // last steps move coefficients by up to ~sqrt(thresh / curvature), about
  // 2e-7 here: where each fit stops may differ by that much.
  for (int k = 0; k < 3; ++k) {
    EXPECT_NEAR(weighted->a0(k), repeated->a0(k), 5e-7);
    EXPECT_LT((weighted->beta.col(k) - repeated->beta.col(k)).cwiseAbs().maxCoeff(), 5e-7);
  }
  EXPECT_NEAR(weighted->null_deviance, repeated->null_deviance, 1e-8);
}

TEST(ElasticNetTest, UserLambdasAreSortedAndNeverStopEarly) {
  const Synthetic d = MakeData(300, 6, 6);
  ElasticNetOptions o;
  o.lambda = {0.001, 0.1, 0.01, 1e-5, 0.05, 0.002, 0.0005};
  auto path = FitElasticNetPath(d.x, d.y, o);
  ASSERT_TRUE(path.ok());
  ASSERT_EQ(path->size(), 7);
  for (int k = 1; k < 7; ++k) EXPECT_LT(path->lambda[static_cast<std::size_t>(k)], path->lambda[static_cast<std::size_t>(k) - 1]);
  // A computed path whose deviance ratio stops growing (y unrelated to x)
  // ends early, after at least 5 lambdas, at the first gain below 1e-5.
  Synthetic s = MakeData(300, 6, 7, 0.0);
  std::mt19937_64 rng(70);
  std::uniform_real_distribution<double> u(0, 1);
  for (Eigen::Index i = 0; i < 300; ++i) s.y(i) = u(rng) < 0.3 ? 1.0 : 0.0;
  auto noise = FitElasticNetPath(s.x, s.y, ElasticNetOptions{});
  ASSERT_TRUE(noise.ok());
  const int len = noise->size();
  EXPECT_LT(len, 100);
  EXPECT_GE(len, 5);
  EXPECT_LT(noise->dev_ratio[static_cast<std::size_t>(len) - 1] - noise->dev_ratio[static_cast<std::size_t>(len) - 2], 1e-5);
  for (int k = 4; k < len - 1; ++k) {
    EXPECT_GE(noise->dev_ratio[static_cast<std::size_t>(k)] - noise->dev_ratio[static_cast<std::size_t>(k) - 1], 1e-5) << k;
  }
  // The same lambdas given by the user are all fitted.
  ElasticNetOptions given;
  given.lambda = noise->lambda;
  given.lambda.resize(static_cast<std::size_t>(len) + 3, noise->lambda.back() / 2);
  given.lambda[static_cast<std::size_t>(len)] = noise->lambda.back() * 0.9;
  given.lambda[static_cast<std::size_t>(len) + 1] = noise->lambda.back() * 0.8;
  auto full = FitElasticNetPath(s.x, s.y, given);
  ASSERT_TRUE(full.ok());
  EXPECT_EQ(full->size(), len + 3);
}

TEST(ElasticNetTest, CoefficientsAtInterpolatesLikePredictGlmnet) {
  const Synthetic d = MakeData(300, 6, 8);
  auto path = FitElasticNetPath(d.x, d.y, ElasticNetOptions{});
  ASSERT_TRUE(path.ok());
  double a0;
  Eigen::VectorXd b;
  path->CoefficientsAt(path->lambda[10], &a0, &b);
  EXPECT_EQ(a0, path->a0(10));
  EXPECT_EQ(b, path->beta.col(10));
  const double s = 0.25 * path->lambda[10] + 0.75 * path->lambda[11];
  path->CoefficientsAt(s, &a0, &b);
  EXPECT_NEAR(a0, 0.25 * path->a0(10) + 0.75 * path->a0(11), 1e-12);
  EXPECT_LT((b - (0.25 * path->beta.col(10) + 0.75 * path->beta.col(11))).cwiseAbs().maxCoeff(), 1e-12);
  path->CoefficientsAt(10 * path->lambda[0], &a0, &b);  // clamped to the ends
  EXPECT_EQ(a0, path->a0(0));
  path->CoefficientsAt(0.0, &a0, &b);
  EXPECT_EQ(b, path->beta.col(path->size() - 1));
  // PredictProb is the logistic of PredictLink.
  const Eigen::VectorXd link = path->PredictLink(d.x, 20);
  const Eigen::VectorXd prob = path->PredictProb(d.x, 20);
  EXPECT_NEAR(prob(7), 1 / (1 + std::exp(-link(7))), 1e-15);
  EXPECT_NEAR(link(7), path->a0(20) + d.x.row(7).dot(path->beta.col(20)), 1e-12);
}

TEST(ElasticNetTest, RejectsBadInput) {
  const Synthetic d = MakeData(100, 4, 9);
  const ElasticNetOptions o;
  Eigen::VectorXd y2 = d.y;
  y2(0) = 2;
  EXPECT_EQ(FitElasticNetPath(d.x, y2, o).status().code(), Status::Code::kInvalidArgument);
  Eigen::VectorXd one_class = Eigen::VectorXd::Zero(100);
  one_class(3) = 1;
  EXPECT_EQ(FitElasticNetPath(d.x, one_class, o).status().code(), Status::Code::kInvalidArgument);
  Eigen::MatrixXd xn = d.x;
  xn(5, 2) = std::nan("");
  EXPECT_EQ(FitElasticNetPath(xn, d.y, o).status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(FitElasticNetPath(d.x.topRows(50), d.y, o).status().code(), Status::Code::kInvalidArgument);
  Eigen::VectorXd negative = Eigen::VectorXd::Ones(100);
  negative(1) = -1;
  EXPECT_EQ(FitElasticNetPath(d.x, d.y, o, &negative).status().code(), Status::Code::kInvalidArgument);
  ElasticNetOptions bad;
  bad.alpha = 1.5;
  EXPECT_EQ(FitElasticNetPath(d.x, d.y, bad).status().code(), Status::Code::kInvalidArgument);
  bad = ElasticNetOptions{};
  bad.lambda_min_ratio = 1;
  EXPECT_EQ(bad.Validate().code(), Status::Code::kInvalidArgument);
  bad = ElasticNetOptions{};
  bad.lambda = {0.1, -0.1};
  EXPECT_EQ(bad.Validate().code(), Status::Code::kInvalidArgument);
  bad = ElasticNetOptions{};
  bad.curvature_reuse = 0.3;
  EXPECT_EQ(bad.Validate().code(), Status::Code::kInvalidArgument);
  bad.curvature_reuse = -0.1;
  EXPECT_EQ(bad.Validate().code(), Status::Code::kInvalidArgument);
  CvOptions cvo;
  cvo.nfolds = 2;
  EXPECT_EQ(CrossValidateElasticNet(d.x, d.y, o, cvo).status().code(), Status::Code::kInvalidArgument);
  cvo = CvOptions{};
  cvo.foldid.assign(100, 1);
  for (int i = 0; i < 100; ++i) cvo.foldid[static_cast<std::size_t>(i)] = i % 4 == 2 ? 4 : 1 + i % 2;  // fold 3 empty
  EXPECT_EQ(CrossValidateElasticNet(d.x, d.y, o, cvo).status().code(), Status::Code::kInvalidArgument);
}

TEST(ElasticNetTest, CrossValidationIsDeterministicAndUsesRsFolds) {
  const Synthetic d = MakeData(500, 8, 10);
  CvOptions cvo;
  cvo.seed = 90035;
  auto a = CrossValidateElasticNet(d.x, d.y, ElasticNetOptions{}, cvo);
  auto b = CrossValidateElasticNet(d.x, d.y, ElasticNetOptions{}, cvo);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(a->foldid, RFoldIds(500, 10, 90035));
  EXPECT_EQ(a->foldid, b->foldid);
  EXPECT_EQ(a->cvm, b->cvm);
  EXPECT_EQ(a->index_min, b->index_min);
  cvo.seed = 1;
  auto c = CrossValidateElasticNet(d.x, d.y, ElasticNetOptions{}, cvo);
  ASSERT_TRUE(c.ok());
  EXPECT_NE(c->foldid, a->foldid);
  // Shape and selection rules.
  ASSERT_EQ(a->cvm.size(), static_cast<std::size_t>(a->fit.size()));
  const double cvmin = *std::min_element(a->cvm.begin(), a->cvm.end());
  EXPECT_EQ(a->cvm[static_cast<std::size_t>(a->index_min)], cvmin);
  for (int k = 0; k < a->index_min; ++k) EXPECT_GT(a->cvm[static_cast<std::size_t>(k)], cvmin);
  const double bound = cvmin + a->cvsd[static_cast<std::size_t>(a->index_min)];
  EXPECT_LE(a->cvm[static_cast<std::size_t>(a->index_1se)], bound);
  for (int k = 0; k < a->index_1se; ++k) EXPECT_GT(a->cvm[static_cast<std::size_t>(k)], bound);
  EXPECT_LE(a->index_1se, a->index_min);
  EXPECT_EQ(a->lambda_min, a->fit.lambda[static_cast<std::size_t>(a->index_min)]);
  EXPECT_TRUE(a->grouped);
  // Explicit fold ids are used as given.
  CvOptions given;
  given.foldid = a->foldid;
  auto e = CrossValidateElasticNet(d.x, d.y, ElasticNetOptions{}, given);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->cvm, a->cvm);
}

TEST(ElasticNetTest, ThreadCountDoesNotChangeResults) {
  const Synthetic d = MakeData(700, 9, 11);
  CvOptions one, two;
  one.threads = 1;
  two.threads = 2;
  std::size_t calls = 0;
  two.progress = [&](std::size_t, std::size_t total, std::string_view) {
    ++calls;
    EXPECT_EQ(total, 11u);
  };
  auto a = CrossValidateElasticNet(d.x, d.y, ElasticNetOptions{}, one);
  auto b = CrossValidateElasticNet(d.x, d.y, ElasticNetOptions{}, two);
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(calls, 11u);
  EXPECT_EQ(a->cvm, b->cvm);
  EXPECT_EQ(a->cvsd, b->cvsd);
  EXPECT_EQ(a->fit.lambda, b->fit.lambda);
  EXPECT_EQ(a->fit.beta, b->fit.beta);
  EXPECT_EQ(a->fit.a0, b->fit.a0);
  EXPECT_EQ(a->index_min, b->index_min);
  EXPECT_EQ(a->index_1se, b->index_1se);
}

TEST(ElasticNetModelTest, FitPredictContributionsDescribe) {
  const Synthetic d = MakeData(600, 7, 12);
  Dataset train;
  train.x = d.x;
  train.y = d.y;
  for (int j = 0; j < 7; ++j) train.features.push_back("f" + std::to_string(j));
  ElasticNetModel model;
  EXPECT_EQ(model.name(), "elastic-net");
  EXPECT_FALSE(model.fitted());
  EXPECT_TRUE(model.Describe().empty());
  FitOptions fo;
  fo.seed = 90035;
  fo.threads = 2;
  ASSERT_TRUE(model.Fit(train, fo).ok());
  ASSERT_TRUE(model.fitted());
  // Same as the cross-validated path at lambda.min.
  CvOptions cvo;
  cvo.seed = 90035;
  auto cv = CrossValidateElasticNet(d.x, d.y, ElasticNetOptions{}, cvo);
  ASSERT_TRUE(cv.ok());
  EXPECT_EQ(model.intercept(), cv->fit.a0(cv->index_min));
  EXPECT_EQ(model.coefficients(), cv->fit.beta.col(cv->index_min));
  const Eigen::VectorXd p = model.Predict(d.x);
  const Eigen::VectorXd q = cv->fit.PredictProb(d.x, cv->index_min);
  EXPECT_LT((p - q).cwiseAbs().maxCoeff(), 1e-14);
  // Contributions add up to the log-odds minus those of the mean row.
  const Eigen::MatrixXd c = model.Contributions(d.x);
  const Eigen::VectorXd mean = d.x.colwise().mean().transpose();
  const double center = model.intercept() + mean.dot(model.coefficients());
  for (int i : {0, 17, 599}) {
    EXPECT_NEAR(c.row(i).sum(), std::log(p(i) / (1 - p(i))) - center, 1e-9);
  }
  const nlohmann::json j = model.Describe();
  EXPECT_EQ(j["model"], "elastic-net");
  EXPECT_EQ(j["alpha"], 0.5);
  EXPECT_EQ(j["lambda_rule"], "min");
  EXPECT_EQ(j["lambda_index"], cv->index_min + 1);
  EXPECT_EQ(j["lambda"], cv->lambda_min);
  EXPECT_EQ(j["nonzero"], cv->fit.Nonzero(cv->index_min));
  EXPECT_EQ(j["coefficients"]["f0"], model.coefficients()(0));
  EXPECT_EQ(j["coefficients"]["(Intercept)"], model.intercept());
  // The 1se rule picks a larger (or equal) lambda; Clone is unfitted.
  ElasticNetModelOptions one_se;
  one_se.rule = ElasticNetModelOptions::Rule::k1se;
  ElasticNetModel sparse(one_se);
  ASSERT_TRUE(sparse.Fit(train, fo).ok());
  EXPECT_GE(sparse.Describe()["lambda"].get<double>(), cv->lambda_min);
  auto clone = sparse.Clone();
  EXPECT_TRUE(clone->Describe().empty());
  EXPECT_EQ(clone->name(), "elastic-net");
  EXPECT_EQ(ElasticNetModelOptions::ParseRule("1se").value(), ElasticNetModelOptions::Rule::k1se);
  EXPECT_FALSE(ElasticNetModelOptions::ParseRule("max").ok());
}

}  // namespace
}  // namespace vigil::risk
