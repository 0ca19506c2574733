#include "core/panel.h"

#include <algorithm>
#include <cassert>

namespace vigil {

namespace {
std::optional<std::size_t> Find(const std::vector<std::string>& v, const std::string& name) {
  auto it = std::find(v.begin(), v.end(), name);
  if (it == v.end()) return std::nullopt;
  return static_cast<std::size_t>(it - v.begin());
}
}  // namespace

std::optional<std::size_t> Panel::PredictorIndex(const std::string& name) const {
  return Find(predictor_names, name);
}
std::optional<std::size_t> Panel::OutcomeIndex(const std::string& name) const {
  return Find(outcome_names, name);
}

bool Panel::Complete(std::size_t i, std::optional<std::size_t> outcome) const {
  assert(i < rows());
  for (std::size_t j = 0; j < num_predictors(); ++j) {
    if (IsNA(x(i, j))) return false;
  }
  return !outcome || !IsNA(y(i, *outcome));
}

int Panel::MinYear() const {
  return year.empty() ? 0 : *std::min_element(year.begin(), year.end());
}
int Panel::MaxYear() const {
  return year.empty() ? 0 : *std::max_element(year.begin(), year.end());
}

}  // namespace vigil
