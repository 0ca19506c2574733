#include "monitor/risk/metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

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

TEST(MetricsTest, AucDeLongKnownValue) {
  // Ties within and across classes. Expected from the definition, computed
  // independently (pairwise, Python): AUC 19/24, SE 0.1570120306784731;
  // pROC 1.18 var(roc(l, s), method = "delong") gives the same variance.
  const std::vector<double> s = {0.1, 0.4, 0.35, 0.8, 0.4, 0.2, 0.9, 0.4, 0.05, 0.6};
  const std::vector<int> l = {0, 0, 1, 1, 1, 0, 1, 0, 0, 0};
  AucEstimate e = AucDeLong(s, l);
  EXPECT_DOUBLE_EQ(e.auc, 19.0 / 24.0);
  EXPECT_NEAR(e.se, 0.1570120306784731, 1e-14);
  EXPECT_TRUE(std::isnan(AucDeLong({0.1, 0.2}, {0, 0}).auc));
  EXPECT_TRUE(std::isnan(AucDeLong({0.1, 0.2, 0.3}, {0, 1, 0}).se));  // one positive: no variance
}

TEST(MetricsTest, AucDeLongMatchesPairwiseDefinition) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> level(0, 40);  // coarse scores: many ties
  for (int rep = 0; rep < 20; ++rep) {
    const int n = 50 + rep * 13;
    std::vector<double> s(n);
    std::vector<int> l(n);
    for (int i = 0; i < n; ++i) {
      l[i] = (rng() % 7) == 0 || i < 2;
      s[i] = level(rng) / 40.0 + 0.2 * l[i];
    }
    l[n - 1] = 0;
    l[n - 2] = 0;
    std::vector<double> pos, neg;
    for (int i = 0; i < n; ++i) (l[i] ? pos : neg).push_back(s[i]);
    auto psi = [](double a, double b) { return a > b ? 1.0 : (a == b ? 0.5 : 0.0); };
    std::vector<double> v10, v01;
    for (double p : pos) {
      double t = 0;
      for (double q : neg) t += psi(p, q);
      v10.push_back(t / neg.size());
    }
    for (double q : neg) {
      double t = 0;
      for (double p : pos) t += psi(p, q);
      v01.push_back(t / pos.size());
    }
    double a = 0;
    for (double v : v10) a += v / pos.size();
    double s10 = 0, s01 = 0;
    for (double v : v10) s10 += (v - a) * (v - a) / (pos.size() - 1);
    for (double v : v01) s01 += (v - a) * (v - a) / (neg.size() - 1);
    AucEstimate e = AucDeLong(s, l);
    EXPECT_NEAR(e.auc, a, 1e-12);
    EXPECT_NEAR(e.se, std::sqrt(s10 / pos.size() + s01 / neg.size()), 1e-12);
  }
}

TEST(MetricsTest, DeLongPairedTestMatchesPROC) {
  // pROC 1.18: roc.test(roc(l, a), roc(l, b), method = "delong", paired = TRUE)
  // gives Z 0.2352669834582297, p 0.8140015193467826 (AUCs 19/24 and 0.75).
  const std::vector<double> a = {0.1, 0.4, 0.35, 0.8, 0.4, 0.2, 0.9, 0.4, 0.05, 0.6};
  const std::vector<double> b = {0.3, 0.1, 0.5, 0.7, 0.2, 0.25, 0.6, 0.45, 0.1, 0.65};
  const std::vector<int> l = {0, 0, 1, 1, 1, 0, 1, 0, 0, 0};
  PairedAuc t = DeLongPairedTest(a, b, l);
  EXPECT_DOUBLE_EQ(t.auc_a, 19.0 / 24.0);
  EXPECT_DOUBLE_EQ(t.auc_b, 0.75);
  EXPECT_NEAR(t.diff, 19.0 / 24.0 - 0.75, 1e-15);
  EXPECT_NEAR(t.z, 0.2352669834582297, 1e-12);
  EXPECT_NEAR(t.p, 0.8140015193467826, 1e-12);
  // Swapping the models flips the sign only.
  PairedAuc s = DeLongPairedTest(b, a, l);
  EXPECT_NEAR(s.z, -t.z, 1e-15);
  EXPECT_NEAR(s.p, t.p, 1e-15);
  // A monotone transform orders every pair alike: no difference, p = 1.
  std::vector<double> a2;
  for (double v : a) a2.push_back(v * v + 1);
  PairedAuc same = DeLongPairedTest(a, a2, l);
  EXPECT_EQ(same.diff, 0.0);
  EXPECT_EQ(same.se, 0.0);
  EXPECT_EQ(same.p, 1.0);
  EXPECT_GT(t.se, 0.0);
  EXPECT_TRUE(std::isnan(DeLongPairedTest({0.1, 0.2, 0.3}, {0.3, 0.2, 0.1}, {0, 1, 0}).p));
}

TEST(MetricsTest, McNemarExactP) {
  // R: binom.test(2, 9)$p.value = 0.1796875, binom.test(1, 4)$p.value = 0.625.
  EXPECT_NEAR(McNemarExactP(2, 7), 0.1796875, 1e-12);
  EXPECT_NEAR(McNemarExactP(7, 2), 0.1796875, 1e-12);
  EXPECT_NEAR(McNemarExactP(1, 3), 0.625, 1e-12);
  EXPECT_EQ(McNemarExactP(0, 0), 1.0);
  EXPECT_EQ(McNemarExactP(3, 3), 1.0);  // capped at 1
  EXPECT_NEAR(McNemarExactP(0, 6), 2.0 / 64.0, 1e-15);
}

TEST(MetricsTest, ClusterAucIsAucOfRepeatedClusters) {
  const std::vector<double> s = {0.1, 0.4, 0.35, 0.8, 0.4, 0.2, 0.9, 0.4, 0.05, 0.6};
  const std::vector<int> l = {0, 0, 1, 1, 1, 0, 1, 0, 0, 0};
  // Each row its own cluster, unit weights: the AUC.
  std::vector<int> own(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) own[i] = static_cast<int>(i);
  EXPECT_NEAR(ClusterAuc(s, l, own, 10)(std::vector<double>(10, 1.0)), 19.0 / 24.0, 1e-15);
  // Four clusters (ties within and across them), cluster 1 drawn twice,
  // cluster 3 not at all: the AUC of the data with cluster 1's rows repeated
  // and cluster 3's left out.
  const std::vector<int> cl = {0, 1, 1, 2, 3, 0, 2, 1, 3, 0};
  const std::vector<double> w = {1, 2, 1, 0};
  std::vector<double> s2;
  std::vector<int> l2;
  for (std::size_t i = 0; i < s.size(); ++i) {
    for (int k = 0; k < w[cl[i]]; ++k) {
      s2.push_back(s[i]);
      l2.push_back(l[i]);
    }
  }
  const ClusterAuc auc(s, l, cl, 4);
  EXPECT_NEAR(auc(w), Auc(s2, l2), 1e-15);
  EXPECT_NEAR(auc({1, 1, 1, 1}), 19.0 / 24.0, 1e-15);
  // No weight on the positives' clusters (1, 2, 3): NaN.
  EXPECT_TRUE(std::isnan(auc({1, 0, 0, 0})));
}

TEST(MetricsTest, QuantileIsRType7) {
  // R: quantile(c(4, 1, 3, 2), c(0, 0.25, 0.975, 1)) = 1, 1.75, 3.925, 4.
  EXPECT_DOUBLE_EQ(Quantile({4, 1, 3, 2}, 0), 1.0);
  EXPECT_DOUBLE_EQ(Quantile({4, 1, 3, 2}, 0.25), 1.75);
  EXPECT_NEAR(Quantile({4, 1, 3, 2}, 0.975), 3.925, 1e-15);
  EXPECT_DOUBLE_EQ(Quantile({4, 1, 3, 2}, 1), 4.0);
  EXPECT_DOUBLE_EQ(Quantile({4, std::nan(""), 1, 3, 2}, 0.25), 1.75);  // NaN left out
  EXPECT_TRUE(std::isnan(Quantile({}, 0.5)));
}

TEST(MetricsTest, WilsonInterval) {
  // 27 of 39 (EWP's recall@30): 0.5357874562585069 .. 0.8143406769308886.
  Interval w = WilsonInterval(27, 39);
  EXPECT_NEAR(w.lo, 0.5357874562585069, 1e-12);
  EXPECT_NEAR(w.hi, 0.8143406769308886, 1e-12);
  EXPECT_DOUBLE_EQ(WilsonInterval(0, 10).lo, 0.0);
  EXPECT_NEAR(WilsonInterval(0, 10).hi, 0.2775327998628892, 1e-12);
  EXPECT_NEAR(WilsonInterval(10, 10).lo, 0.7224672001371107, 1e-12);
  EXPECT_LE(WilsonInterval(10, 10).hi, 1.0);
  EXPECT_TRUE(std::isnan(WilsonInterval(0, 0).lo));
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
