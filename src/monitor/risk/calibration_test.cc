#include "monitor/risk/calibration.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace vigil::risk {
namespace {

Eigen::VectorXd V(std::initializer_list<double> v) {
  Eigen::VectorXd out(static_cast<Eigen::Index>(v.size()));
  Eigen::Index i = 0;
  for (double x : v) out(i++) = x;
  return out;
}

double Sigmoid(double t) { return 1.0 / (1.0 + std::exp(-t)); }

TEST(PoolAdjacentViolatorsTest, KnownAnswers) {
  EXPECT_EQ(PoolAdjacentViolators({1, 3, 2, 4, 3, 5}, {1, 1, 1, 1, 1, 1}),
            (std::vector<double>{1, 2.5, 2.5, 3.5, 3.5, 5}));
  // A violation that cascades back: {3, 0} pools to 1.5, which violates 2,
  // giving 5/3, which does not violate 1.
  const std::vector<double> cascade = PoolAdjacentViolators({1, 2, 3, 0}, {1, 1, 1, 1});
  ASSERT_EQ(cascade.size(), 4u);
  EXPECT_DOUBLE_EQ(cascade[0], 1.0);
  for (int i = 1; i < 4; ++i) EXPECT_DOUBLE_EQ(cascade[i], 5.0 / 3);
  // ... and one that pools everything: mean (1 + 2 + 3 - 6) / 4 = 0.
  EXPECT_EQ(PoolAdjacentViolators({1, 2, 3, -6}, {1, 1, 1, 1}), (std::vector<double>{0, 0, 0, 0}));
  // Weights: (3*1 + 1*3) / 4 = 1.5.
  EXPECT_EQ(PoolAdjacentViolators({3, 1}, {1, 3}), (std::vector<double>{1.5, 1.5}));
  EXPECT_EQ(PoolAdjacentViolators({0, 0, 1}, {1, 1, 1}), (std::vector<double>{0, 0, 1}));
  EXPECT_TRUE(PoolAdjacentViolators({}, {}).empty());
}

TEST(IsotonicTest, HandExampleWithInterpolation) {
  // Sorted labels 0 | 1 0 0 | 1 1: PAV gives 0 | 1/3 1/3 1/3 | 1 1.
  IsotonicCalibrator iso;
  ASSERT_TRUE(iso.Fit(V({0.3, 0.1, 0.2, 0.6, 0.4, 0.5}), V({0, 0, 1, 1, 0, 1})).ok());
  EXPECT_EQ(iso.knot_x(), (std::vector<double>{0.1, 0.2, 0.4, 0.5, 0.6}));
  ASSERT_EQ(iso.knot_y().size(), 5u);
  EXPECT_DOUBLE_EQ(iso.knot_y()[1], 1.0 / 3);
  EXPECT_DOUBLE_EQ(iso.Apply(0.0), 0.0);              // below the range: flat
  EXPECT_DOUBLE_EQ(iso.Apply(0.1), 0.0);
  EXPECT_DOUBLE_EQ(iso.Apply(0.15), 1.0 / 6);         // between steps: linear
  EXPECT_DOUBLE_EQ(iso.Apply(0.3), 1.0 / 3);          // inside a step: flat
  EXPECT_NEAR(iso.Apply(0.45), 2.0 / 3, 1e-12);
  EXPECT_DOUBLE_EQ(iso.Apply(0.55), 1.0);
  EXPECT_DOUBLE_EQ(iso.Apply(2.0), 1.0);              // above the range: flat
  EXPECT_TRUE(std::isnan(iso.Apply(std::nan(""))));
  nlohmann::json d = iso.Describe();
  EXPECT_EQ(d["method"], "isotonic");
  EXPECT_EQ(d["steps"], 3);
  EXPECT_EQ(d["knots"].size(), 5u);
}

TEST(IsotonicTest, TiedScoresArePooled) {
  IsotonicCalibrator iso;
  ASSERT_TRUE(iso.Fit(V({0.5, 0.5, 0.5, 0.9}), V({0, 1, 0, 1})).ok());
  EXPECT_DOUBLE_EQ(iso.Apply(0.5), 1.0 / 3);
  EXPECT_DOUBLE_EQ(iso.Apply(0.9), 1.0);
}

TEST(IsotonicTest, OutputIsMonotoneAndInRange) {
  std::mt19937_64 rng(7);
  std::normal_distribution<double> z(0, 1.5);
  std::uniform_real_distribution<double> u(0, 1);
  const int n = 3000;
  Eigen::VectorXd s(n), y(n);
  for (int i = 0; i < n; ++i) {
    s(i) = z(rng);
    y(i) = u(rng) < Sigmoid(2 * s(i) - 2) ? 1 : 0;
  }
  IsotonicCalibrator iso;
  ASSERT_TRUE(iso.Fit(s, y).ok());
  for (std::size_t k = 1; k < iso.knot_x().size(); ++k) {
    EXPECT_LT(iso.knot_x()[k - 1], iso.knot_x()[k]);
    EXPECT_LE(iso.knot_y()[k - 1], iso.knot_y()[k]);
  }
  double prev = -1;
  for (double t = -6; t <= 6; t += 0.01) {
    const double v = iso.Apply(t);
    EXPECT_GE(v, prev);
    EXPECT_GE(v, 0.0);
    EXPECT_LE(v, 1.0);
    prev = v;
  }
  // Calibration in the large: mean fitted value equals the mean label.
  EXPECT_NEAR(iso.Apply(s).mean(), y.mean(), 0.01);
}

TEST(PlattTest, RecoversTheSlopeAndInterceptOfALogisticLink) {
  std::mt19937_64 rng(3);
  std::normal_distribution<double> z(0, 1.5);
  std::uniform_real_distribution<double> u(0, 1);
  const double a = 1.7, b = -2.0;
  const int n = 20000;
  Eigen::VectorXd prob(n), logit(n), y(n);
  for (int i = 0; i < n; ++i) {
    logit(i) = z(rng);
    prob(i) = Sigmoid(logit(i));
    y(i) = u(rng) < Sigmoid(a * logit(i) + b) ? 1 : 0;
  }
  PlattScaler platt;
  ASSERT_TRUE(platt.Fit(prob, y).ok());
  EXPECT_NEAR(platt.a(), a, 0.1);
  EXPECT_NEAR(platt.b(), b, 0.1);
  nlohmann::json d = platt.Describe();
  EXPECT_EQ(d["method"], "platt");
  EXPECT_TRUE(d["converged"].get<bool>());
  EXPECT_LT(platt.iterations(), 20);
  EXPECT_NEAR(platt.Apply(0.5), Sigmoid(platt.b()), 1e-12);

  // The same fit from log-odds input.
  PlattScaler::Options o;
  o.logit_input = false;
  PlattScaler raw(o);
  ASSERT_TRUE(raw.Fit(logit, y).ok());
  EXPECT_NEAR(raw.a(), platt.a(), 1e-6);
  EXPECT_NEAR(raw.b(), platt.b(), 1e-6);
  EXPECT_NEAR(raw.Apply(1.0), platt.Apply(Sigmoid(1.0)), 1e-9);
}

TEST(PlattTest, SeparableDataStayFinite) {
  PlattScaler platt;
  ASSERT_TRUE(platt.Fit(V({0.1, 0.2, 0.3, 0.7, 0.8, 0.9}), V({0, 0, 0, 1, 1, 1})).ok());
  EXPECT_TRUE(std::isfinite(platt.a()));
  EXPECT_TRUE(std::isfinite(platt.b()));
  EXPECT_GT(platt.a(), 1.0);
  EXPECT_LT(platt.Apply(0.1), 0.1);
  EXPECT_GT(platt.Apply(0.9), 0.9);
  // Scores at exactly 0 and 1 are clamped, not infinite.
  ASSERT_TRUE(platt.Fit(V({0, 0.5, 1, 0.2}), V({0, 1, 1, 0})).ok());
  EXPECT_TRUE(std::isfinite(platt.a()));
}

TEST(CalibrationTest, BadInputIsAnError) {
  PlattScaler platt;
  IsotonicCalibrator iso;
  const Eigen::VectorXd empty;
  EXPECT_EQ(platt.Fit(empty, empty).code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(iso.Fit(empty, empty).code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(platt.Fit(V({0.1, 0.2}), V({0})).code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(iso.Fit(V({0.1, 0.2}), V({0})).code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(platt.Fit(V({0.1, 0.2}), V({0, 2})).code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(iso.Fit(V({0.1, 0.2}), V({0, 0.5})).code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(platt.Fit(V({0.1, 0.2}), V({1, 1})).code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(iso.Fit(V({0.1, 0.2}), V({0, 0})).code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(platt.Fit(V({0.1, std::nan("")}), V({0, 1})).code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(iso.Fit(V({0.1, INFINITY}), V({0, 1})).code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(platt.Fit(V({0.1, 1.5}), V({0, 1})).code(), Status::Code::kInvalidArgument);
  EXPECT_FALSE(platt.fitted());
  EXPECT_FALSE(iso.fitted());
  // A failed refit keeps the previous fit.
  ASSERT_TRUE(iso.Fit(V({0.1, 0.9}), V({0, 1})).ok());
  EXPECT_FALSE(iso.Fit(empty, empty).ok());
  EXPECT_TRUE(iso.fitted());
  EXPECT_DOUBLE_EQ(iso.Apply(0.9), 1.0);
}

}  // namespace
}  // namespace vigil::risk
