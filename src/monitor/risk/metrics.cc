#include "monitor/risk/metrics.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <numeric>
#include <span>

#include <Eigen/Core>

namespace vigil::risk {

namespace {

// Sorts the rows by score (descending if asked) and calls fn(group, first)
// for each group of tied scores in that order: group holds the rows' indices,
// first is the 0-based sorted position of its first row.
template <typename Fn>
void ForEachTieGroup(const std::vector<double>& score, bool descending, Fn fn) {
  const std::size_t n = score.size();
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return descending ? score[a] > score[b] : score[a] < score[b];
  });
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i + 1;
    while (j < n && score[order[j]] == score[order[i]]) ++j;
    fn(std::span<const std::size_t>(order.data() + i, j - i), i);
    i = j;
  }
}

// DeLong's structural components, in row order: for a positive row, the
// share of negatives scoring below it (ties half); for a negative row, the
// share of positives scoring above it. Returns false when a class is empty.
bool DeLongComponents(const std::vector<double>& score, const std::vector<int>& label,
                      std::vector<double>* v10, std::vector<double>* v01) {
  assert(score.size() == label.size());
  const std::size_t n = score.size();
  std::size_t total_pos = 0;
  for (int l : label) total_pos += l != 0;
  const std::size_t total_neg = n - total_pos;
  if (total_pos == 0 || total_neg == 0) return false;
  const double m = static_cast<double>(total_pos), k = static_cast<double>(total_neg);
  std::vector<double> component(n);
  // Ascending groups of tied scores; counts of positives and negatives below.
  std::size_t pos_below = 0, neg_below = 0;
  ForEachTieGroup(score, /*descending=*/false, [&](std::span<const std::size_t> group, std::size_t) {
    std::size_t pos_tied = 0;
    for (std::size_t r : group) pos_tied += label[r] != 0;
    const std::size_t neg_tied = group.size() - pos_tied;
    const double above_pos = static_cast<double>(total_pos - pos_below - pos_tied);
    for (std::size_t r : group) {
      component[r] = label[r] ? (static_cast<double>(neg_below) + 0.5 * static_cast<double>(neg_tied)) / k
                              : (above_pos + 0.5 * static_cast<double>(pos_tied)) / m;
    }
    pos_below += pos_tied;
    neg_below += neg_tied;
  });
  v10->clear();
  v01->clear();
  for (std::size_t r = 0; r < n; ++r) (label[r] ? v10 : v01)->push_back(component[r]);
  return true;
}

double Mean(const std::vector<double>& v) {
  return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

// Sample covariance (n - 1 denominator) of two equally long vectors.
double Cov(const std::vector<double>& x, double mx, const std::vector<double>& y, double my) {
  double s = 0;
  for (std::size_t i = 0; i < x.size(); ++i) s += (x[i] - mx) * (y[i] - my);
  return s / static_cast<double>(x.size() - 1);
}

}  // namespace

AucEstimate AucDeLong(const std::vector<double>& score, const std::vector<int>& label) {
  std::vector<double> v10, v01;
  AucEstimate e;
  if (!DeLongComponents(score, label, &v10, &v01)) {
    e.auc = e.se = std::nan("");
    return e;
  }
  e.auc = Mean(v10);
  if (v10.size() < 2 || v01.size() < 2) {
    e.se = std::nan("");
    return e;
  }
  e.se = std::sqrt(Cov(v10, e.auc, v10, e.auc) / static_cast<double>(v10.size()) +
                   Cov(v01, e.auc, v01, e.auc) / static_cast<double>(v01.size()));
  return e;
}

PairedAuc DeLongPairedTest(const std::vector<double>& a, const std::vector<double>& b,
                           const std::vector<int>& label) {
  assert(a.size() == label.size() && b.size() == label.size());
  PairedAuc t;
  std::vector<double> a10, a01, b10, b01;
  if (!DeLongComponents(a, label, &a10, &a01) || !DeLongComponents(b, label, &b10, &b01) ||
      a10.size() < 2 || a01.size() < 2) {
    const double nan = std::nan("");
    return {nan, nan, nan, nan, nan, nan};
  }
  t.auc_a = Mean(a10);
  t.auc_b = Mean(b10);
  t.diff = t.auc_a - t.auc_b;
  // The V01 components also average to each model's AUC, so both covariance
  // terms are centred on it.
  const double m = static_cast<double>(a10.size()), k = static_cast<double>(a01.size());
  const double var10 = Cov(a10, t.auc_a, a10, t.auc_a) + Cov(b10, t.auc_b, b10, t.auc_b) -
                       2 * Cov(a10, t.auc_a, b10, t.auc_b);
  const double var01 = Cov(a01, t.auc_a, a01, t.auc_a) + Cov(b01, t.auc_b, b01, t.auc_b) -
                       2 * Cov(a01, t.auc_a, b01, t.auc_b);
  t.se = std::sqrt(std::max(0.0, var10 / m + var01 / k));
  if (t.se == 0) {  // the two scores order every pair alike
    t.z = t.diff == 0 ? 0.0 : std::copysign(INFINITY, t.diff);
  } else {
    t.z = t.diff / t.se;
  }
  t.p = std::erfc(std::fabs(t.z) / std::sqrt(2.0));
  return t;
}

ClusterAuc::ClusterAuc(const std::vector<double>& score, const std::vector<int>& label,
                       const std::vector<int>& cluster, int clusters)
    : clusters_(clusters), pos_(clusters, 0.0), neg_(clusters, 0.0) {
  assert(score.size() == label.size() && score.size() == cluster.size());
  const std::size_t n = score.size();
  std::vector<int> pos_index(clusters, -1);
  for (std::size_t i = 0; i < n; ++i) {
    assert(cluster[i] >= 0 && cluster[i] < clusters);
    (label[i] ? pos_ : neg_)[cluster[i]] += 1;
    if (label[i] && pos_index[cluster[i]] < 0) {
      pos_index[cluster[i]] = static_cast<int>(pos_clusters_.size());
      pos_clusters_.push_back(cluster[i]);
    }
  }
  wins_.assign(pos_clusters_.size() * clusters, 0.0);
  // Ascending groups of tied scores: each positive wins against the negatives
  // below (per cluster) and half of those tied with it.
  std::vector<double> neg_below(clusters, 0.0), neg_tied(clusters, 0.0);
  ForEachTieGroup(score, /*descending=*/false, [&](std::span<const std::size_t> group, std::size_t) {
    for (std::size_t r : group) {
      if (!label[r]) neg_tied[cluster[r]] += 1;
    }
    for (std::size_t r : group) {
      if (!label[r]) continue;
      double* row = &wins_[static_cast<std::size_t>(pos_index[cluster[r]]) * clusters];
      for (int d = 0; d < clusters; ++d) row[d] += neg_below[d] + 0.5 * neg_tied[d];
    }
    for (std::size_t r : group) {
      neg_below[cluster[r]] += neg_tied[cluster[r]];
      neg_tied[cluster[r]] = 0;
    }
  });
}

double ClusterAuc::operator()(const std::vector<double>& cluster_weight) const {
  assert(cluster_weight.size() == static_cast<std::size_t>(clusters_));
  using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  const Eigen::Map<const RowMajor> wins(wins_.data(), static_cast<Eigen::Index>(pos_clusters_.size()),
                                        clusters_);
  const Eigen::Map<const Eigen::VectorXd> w(cluster_weight.data(), clusters_);
  const Eigen::VectorXd won_by = wins * w;  // wins of each positive cluster, one unit of it
  double won = 0, pos_weight = 0;
  for (std::size_t k = 0; k < pos_clusters_.size(); ++k) {
    const double wc = cluster_weight[pos_clusters_[k]];
    won += wc * won_by[static_cast<Eigen::Index>(k)];
    pos_weight += wc * pos_[pos_clusters_[k]];
  }
  const double neg_weight = w.dot(Eigen::Map<const Eigen::VectorXd>(neg_.data(), clusters_));
  if (pos_weight == 0 || neg_weight == 0) return std::nan("");
  return won / (pos_weight * neg_weight);
}

double Quantile(std::vector<double> values, double q) {
  assert(q >= 0 && q <= 1);
  values.erase(std::remove_if(values.begin(), values.end(), [](double v) { return std::isnan(v); }),
               values.end());
  if (values.empty()) return std::nan("");
  std::sort(values.begin(), values.end());
  const double h = q * static_cast<double>(values.size() - 1);
  const std::size_t lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, values.size() - 1);
  return values[lo] + (h - static_cast<double>(lo)) * (values[hi] - values[lo]);
}

double McNemarExactP(int only_a, int only_b) {
  assert(only_a >= 0 && only_b >= 0);
  const int n = only_a + only_b;
  if (n == 0) return 1.0;
  const int k = std::min(only_a, only_b);
  // P(X <= k) for X ~ Binomial(n, 1/2), summed in logs.
  double tail = 0;
  for (int i = 0; i <= k; ++i) {
    tail += std::exp(std::lgamma(n + 1.0) - std::lgamma(i + 1.0) - std::lgamma(n - i + 1.0) -
                     n * std::log(2.0));
  }
  return std::min(1.0, 2 * tail);
}

double Auc(const std::vector<double>& score, const std::vector<int>& label) {
  return AucDeLong(score, label).auc;
}

Interval WilsonInterval(int successes, int n, double z) {
  assert(successes >= 0 && successes <= n);
  if (n == 0) return {std::nan(""), std::nan("")};
  const double nn = n, p = successes / nn, z2 = z * z;
  const double center = (p + z2 / (2 * nn)) / (1 + z2 / nn);
  const double half = z / (1 + z2 / nn) * std::sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn));
  return {std::max(0.0, center - half), std::min(1.0, center + half)};
}

double Brier(const std::vector<double>& prob, const std::vector<int>& label) {
  assert(prob.size() == label.size());
  if (prob.empty()) return std::nan("");
  double s = 0;
  for (std::size_t i = 0; i < prob.size(); ++i) s += (prob[i] - label[i]) * (prob[i] - label[i]);
  return s / static_cast<double>(prob.size());
}

double LogLoss(const std::vector<double>& prob, const std::vector<int>& label) {
  assert(prob.size() == label.size());
  if (prob.empty()) return std::nan("");
  double s = 0;
  for (std::size_t i = 0; i < prob.size(); ++i) {
    double p = std::clamp(prob[i], 1e-15, 1 - 1e-15);
    s -= label[i] ? std::log(p) : std::log1p(-p);
  }
  return s / static_cast<double>(prob.size());
}

std::vector<int> RankDescending(const std::vector<double>& score) {
  std::vector<int> rank(score.size());
  ForEachTieGroup(score, /*descending=*/true, [&](std::span<const std::size_t> group, std::size_t first) {
    for (std::size_t r : group) rank[r] = static_cast<int>(first + 1);
  });
  return rank;
}

}  // namespace vigil::risk
