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
