#include "monitor/risk/ensemble.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>

#include "monitor/risk/metrics.h"

namespace vigil::risk {
namespace {

TEST(EnsembleTest, FitShiftRecoversAnOffset) {
  std::mt19937_64 rng(7);
  std::normal_distribution<double> norm;
  const int n = 40000;
  Eigen::VectorXd z(n), y(n);
  for (int i = 0; i < n; ++i) {
    z(i) = -3 + norm(rng);
    double p = 1 / (1 + std::exp(-(z(i) + 0.7)));  // true shift 0.7
    y(i) = std::uniform_real_distribution<double>(0, 1)(rng) < p ? 1 : 0;
  }
  EXPECT_NEAR(FitShift(z, y), 0.7, 0.06);
  double none = FitShift(z, Eigen::VectorXd::Zero(n));  // no positives: far down, but finite
  EXPECT_TRUE(std::isfinite(none));
  EXPECT_LT(none, -10);
}

// Country-years with a linear and an interaction signal, ~3% positives.
Dataset Synthetic(int first_year, int last_year, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> norm;
  Dataset d;
  d.features = {"a", "b", "c", "d"};
  std::vector<std::array<double, 4>> rows;
  std::vector<double> ys;
  for (int c = 0; c < 200; ++c) {
    double base = norm(rng);
    for (int yr = first_year; yr <= last_year; ++yr) {
      std::array<double, 4> x = {base + 0.3 * norm(rng), norm(rng), norm(rng), norm(rng)};
      double eta = -4.5 + 1.5 * x[0] + 1.5 * (x[1] > 0.5 && x[2] > 0.5);
      ys.push_back(std::uniform_real_distribution<double>(0, 1)(rng) < 1 / (1 + std::exp(-eta)));
      rows.push_back(x);
      d.year.push_back(yr);
      d.country.push_back(c);
    }
  }
  d.x.resize(static_cast<Eigen::Index>(rows.size()), 4);
  d.y.resize(static_cast<Eigen::Index>(rows.size()));
  for (std::size_t i = 0; i < rows.size(); ++i) {
    for (int j = 0; j < 4; ++j) d.x(static_cast<Eigen::Index>(i), j) = rows[i][static_cast<std::size_t>(j)];
    d.y(static_cast<Eigen::Index>(i)) = ys[i];
  }
  return d;
}

TEST(EnsembleTest, CalibratesOnInnerScoresAndRanksHeldOutYearsWell) {
  Dataset train = Synthetic(1970, 2000, 1);
  Dataset test = Synthetic(2001, 2010, 2);
  EnsembleOptions calibrated;
  calibrated.calibration = EnsembleOptions::Calibration::kInnerIntercept;
  EnsembleModel m(calibrated);
  FitOptions fo;
  ASSERT_TRUE(m.Fit(train, fo).ok());
  auto d = m.Describe();
  EXPECT_GT(d["inner_rows"].get<int>(), 0);
  EXPECT_THAT(d["calibration"].get<std::string>(), ::testing::HasSubstr("learned"));
  // Without calibration no inner fits are made.
  EnsembleOptions none;
  none.calibration = EnsembleOptions::Calibration::kNone;
  EnsembleModel raw(none);
  ASSERT_TRUE(raw.Fit(train, fo).ok());
  EXPECT_EQ(raw.Describe()["inner_rows"], 0);
  EXPECT_EQ(raw.shift(), 0);
  Eigen::VectorXd p = m.Predict(test.x);
  ASSERT_EQ(p.size(), test.x.rows());
  EXPECT_GT(p.minCoeff(), 0);
  EXPECT_LT(p.maxCoeff(), 1);
  std::vector<double> s(p.data(), p.data() + p.size());
  std::vector<int> lab;
  for (Eigen::Index i = 0; i < test.y.size(); ++i) lab.push_back(test.y(i) > 0.5);
  // The true risk index reaches about 0.87 on this sample; a sound stack gets close.
  std::vector<double> truth;
  for (Eigen::Index i = 0; i < test.x.rows(); ++i) {
    truth.push_back(1.5 * test.x(i, 0) + 1.5 * (test.x(i, 1) > 0.5 && test.x(i, 2) > 0.5));
  }
  const double best = Auc(truth, lab);
  EXPECT_GT(Auc(s, lab), best - 0.04) << "true-index AUC " << best;
  // Calibrated: mean predicted risk is near the observed rate.
  EXPECT_NEAR(p.mean(), test.y.mean(), 0.02);
  // Contributions have one column per feature.
  EXPECT_EQ(m.Contributions(test.x).cols(), 4);
}

TEST(EnsembleTest, DeterministicForASeed) {
  Dataset train = Synthetic(1980, 2000, 3);
  EnsembleModel a, b;
  FitOptions fo;
  ASSERT_TRUE(a.Fit(train, fo).ok());
  ASSERT_TRUE(b.Fit(train, fo).ok());
  EXPECT_EQ(a.Predict(train.x), b.Predict(train.x));
}

}  // namespace
}  // namespace vigil::risk
