#include "monitor/risk/metrics.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <numeric>

namespace vigil::risk {

double Auc(const std::vector<double>& score, const std::vector<int>& label) {
  assert(score.size() == label.size());
  const std::size_t n = score.size();
  std::vector<std::size_t> idx(n);
  std::iota(idx.begin(), idx.end(), 0);
  std::sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return score[a] < score[b]; });
  double rank_sum_pos = 0;
  std::size_t pos = 0;
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i;
    while (j < n && score[idx[j]] == score[idx[i]]) ++j;
    double mid = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2.0;  // 1-based mid-rank
    for (std::size_t k = i; k < j; ++k) {
      if (label[idx[k]]) {
        rank_sum_pos += mid;
        ++pos;
      }
    }
    i = j;
  }
  std::size_t neg = n - pos;
  if (pos == 0 || neg == 0) return std::nan("");
  double p = static_cast<double>(pos);
  return (rank_sum_pos - p * (p + 1) / 2.0) / (p * static_cast<double>(neg));
}

AucEstimate AucDeLong(const std::vector<double>& score, const std::vector<int>& label) {
  assert(score.size() == label.size());
  const std::size_t n = score.size();
  std::vector<std::size_t> idx(n);
  std::iota(idx.begin(), idx.end(), 0);
  std::sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return score[a] < score[b]; });
  std::size_t total_pos = 0;
  for (int l : label) total_pos += l != 0;
  const std::size_t total_neg = n - total_pos;
  AucEstimate e;
  if (total_pos == 0 || total_neg == 0) {
    e.auc = e.se = std::nan("");
    return e;
  }
  const double m = static_cast<double>(total_pos), k = static_cast<double>(total_neg);
  // Ascending groups of tied scores; counts of positives and negatives below.
  std::vector<double> v10, v01;
  v10.reserve(total_pos);
  v01.reserve(total_neg);
  std::size_t pos_below = 0, neg_below = 0;
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i, pos_tied = 0;
    while (j < n && score[idx[j]] == score[idx[i]]) pos_tied += label[idx[j++]] != 0;
    const std::size_t neg_tied = (j - i) - pos_tied;
    const double above_pos = static_cast<double>(total_pos - pos_below - pos_tied);
    for (std::size_t t = i; t < j; ++t) {
      if (label[idx[t]]) {
        v10.push_back((static_cast<double>(neg_below) + 0.5 * static_cast<double>(neg_tied)) / k);
      } else {
        v01.push_back((above_pos + 0.5 * static_cast<double>(pos_tied)) / m);
      }
    }
    pos_below += pos_tied;
    neg_below += neg_tied;
    i = j;
  }
  e.auc = std::accumulate(v10.begin(), v10.end(), 0.0) / m;
  if (total_pos < 2 || total_neg < 2) {
    e.se = std::nan("");
    return e;
  }
  double s10 = 0, s01 = 0;
  for (double v : v10) s10 += (v - e.auc) * (v - e.auc);
  for (double v : v01) s01 += (v - e.auc) * (v - e.auc);
  s10 /= m - 1;
  s01 /= k - 1;
  e.se = std::sqrt(s10 / m + s01 / k);
  return e;
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
  const std::size_t n = score.size();
  std::vector<std::size_t> idx(n);
  std::iota(idx.begin(), idx.end(), 0);
  std::sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return score[a] > score[b]; });
  std::vector<int> rank(n);
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i;
    while (j < n && score[idx[j]] == score[idx[i]]) ++j;
    for (std::size_t k = i; k < j; ++k) rank[idx[k]] = static_cast<int>(i + 1);
    i = j;
  }
  return rank;
}

}  // namespace vigil::risk
