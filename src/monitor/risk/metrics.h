// Evaluation metrics for probabilistic forecasts of rare events.
#pragma once

#include <cstddef>
#include <vector>

namespace vigil::risk {

// Area under the ROC curve (Mann-Whitney U with mid-ranks for ties), the
// probability that a random positive scores above a random negative.
// Returns NaN when there are no positives or no negatives.
double Auc(const std::vector<double>& score, const std::vector<int>& label);

// Mean squared error of probabilities against 0/1 outcomes. NaN when empty.
double Brier(const std::vector<double>& prob, const std::vector<int>& label);

// Mean negative log-likelihood (natural log), probabilities clamped to
// [1e-15, 1 - 1e-15]. NaN when empty.
double LogLoss(const std::vector<double>& prob, const std::vector<int>& label);

// Ranks, 1 = highest score; ties get the smallest rank of their group (R's
// rank(-x, ties.method = "min")).
std::vector<int> RankDescending(const std::vector<double>& score);

}  // namespace vigil::risk
