// Evaluation metrics for probabilistic forecasts of rare events.
#pragma once

#include <cstddef>
#include <vector>

namespace vigil::risk {

// Area under the ROC curve (Mann-Whitney U, ties counting one half), the
// probability that a random positive scores above a random negative.
// Returns NaN when there are no positives or no negatives.
double Auc(const std::vector<double>& score, const std::vector<int>& label);

// AUC with DeLong's standard error (DeLong, DeLong and Clarke-Pearson 1988):
// from the structural components V10 (per positive: share of negatives
// scoring below it, ties counting half) and V01 (per negative: share of
// positives scoring above it), Var = s2(V10)/#pos + s2(V01)/#neg. It treats
// the rows as independent. se is NaN with fewer than two positives or
// negatives; auc as Auc().
struct AucEstimate {
  double auc = 0;
  double se = 0;
};
AucEstimate AucDeLong(const std::vector<double>& score, const std::vector<int>& label);

// DeLong's test of two correlated AUCs: scores a and b of the same rows
// against the same labels. diff = AUC(a) - AUC(b); se from the covariance of
// the two models' structural components; z = diff / se; p two-sided (normal).
// Fields NaN when a class has fewer than two rows; z 0 and p 1 when se and
// diff are both 0 (the two scores order every pair alike).
struct PairedAuc {
  double auc_a = 0, auc_b = 0, diff = 0, se = 0, z = 0, p = 0;
};
PairedAuc DeLongPairedTest(const std::vector<double>& a, const std::vector<double>& b,
                           const std::vector<int>& label);

// AUC under cluster resampling. Rows belong to clusters 0..clusters-1 (e.g.
// countries); a bootstrap replicate gives each cluster a weight (its draw
// count), and the AUC is that of the rows so weighted: the sum over
// positive-negative pairs of w_c(i) w_c(j) [s_i > s_j, ties one half] over the
// product of the class weights. The constructor sums the pairs per pair of
// clusters (one pass over the sorted scores), so a replicate costs
// (clusters with positives) x clusters operations, not a pass over the rows.
class ClusterAuc {
 public:
  ClusterAuc(const std::vector<double>& score, const std::vector<int>& label,
             const std::vector<int>& cluster, int clusters);
  // NaN when either class has zero weight.
  double operator()(const std::vector<double>& cluster_weight) const;

 private:
  int clusters_ = 0;
  std::vector<int> pos_clusters_;      // clusters that hold positives
  std::vector<double> wins_;           // pos_clusters_ x clusters_, row-major
  std::vector<double> pos_, neg_;      // rows per cluster, by class
};

// Quantile q in [0, 1] of the non-NaN values (R's type 7: linear between
// order statistics). NaN when there are none. Sorts a copy.
double Quantile(std::vector<double> values, double q);

// Exact two-sided McNemar test of paired binary outcomes: only_a and only_b
// are the discordant pairs (e.g. onsets caught by one model only). p =
// min(1, 2 P(X <= min(only_a, only_b))), X ~ Binomial(only_a + only_b, 1/2);
// 1 when there are no discordant pairs.
double McNemarExactP(int only_a, int only_b);

// Wilson score interval for a binomial proportion successes / n at normal
// quantile z (1.96 for 95%). NaN bounds when n == 0.
struct Interval {
  double lo = 0, hi = 0;
};
Interval WilsonInterval(int successes, int n, double z = 1.959963984540054);

// Mean squared error of probabilities against 0/1 outcomes. NaN when empty.
double Brier(const std::vector<double>& prob, const std::vector<int>& label);

// Mean negative log-likelihood (natural log), probabilities clamped to
// [1e-15, 1 - 1e-15]. NaN when empty.
double LogLoss(const std::vector<double>& prob, const std::vector<int>& label);

// Ranks, 1 = highest score; ties get the smallest rank of their group (R's
// rank(-x, ties.method = "min")).
std::vector<int> RankDescending(const std::vector<double>& score);

}  // namespace vigil::risk
