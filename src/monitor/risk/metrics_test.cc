#include "monitor/risk/metrics.h"

#include <gtest/gtest.h>

#include <cmath>

namespace vigil::risk {
namespace {

TEST(MetricsTest, AucKnownValues) {
  EXPECT_DOUBLE_EQ(Auc({0.1, 0.2, 0.8, 0.9}, {0, 0, 1, 1}), 1.0);
  EXPECT_DOUBLE_EQ(Auc({0.9, 0.8, 0.2, 0.1}, {0, 0, 1, 1}), 0.0);
  // One positive (0.5) beats 1 of 2 negatives and ties none: 0.5.
  EXPECT_DOUBLE_EQ(Auc({0.3, 0.5, 0.7}, {0, 1, 0}), 0.5);
  // Ties count one half: positive tied with the only negative.
  EXPECT_DOUBLE_EQ(Auc({0.5, 0.5}, {1, 0}), 0.5);
  // Same as R: (mean(rank(p)[y==1]) - (n1+1)/2) / n0 with p=c(.1,.4,.35,.8), y=c(0,0,1,1) -> 0.75
  EXPECT_DOUBLE_EQ(Auc({0.1, 0.4, 0.35, 0.8}, {0, 0, 1, 1}), 0.75);
  EXPECT_TRUE(std::isnan(Auc({0.1, 0.2}, {0, 0})));
}

TEST(MetricsTest, BrierAndLogLoss) {
  EXPECT_DOUBLE_EQ(Brier({0.0, 1.0}, {0, 1}), 0.0);
  EXPECT_DOUBLE_EQ(Brier({0.5, 0.5}, {0, 1}), 0.25);
  EXPECT_NEAR(LogLoss({0.5, 0.5}, {0, 1}), std::log(2.0), 1e-12);
  EXPECT_NEAR(LogLoss({0.9}, {0}), -std::log(0.1), 1e-12);
  EXPECT_TRUE(std::isfinite(LogLoss({0.0}, {1})));  // clamped, not infinite
}

TEST(MetricsTest, RankDescendingMinTies) {
  // R: rank(-c(0.2, 0.9, 0.5, 0.9), ties.method = "min") == c(4, 1, 3, 1)
  EXPECT_EQ(RankDescending({0.2, 0.9, 0.5, 0.9}), (std::vector<int>{4, 1, 3, 1}));
  EXPECT_TRUE(RankDescending({}).empty());
}

}  // namespace
}  // namespace vigil::risk
