// Panel: a country-year table of numeric predictors and binary outcomes, the
// input of structural risk models (EWP's format is one such panel).
//
// Values are stored column-major; a missing value (NA) is NaN. A Panel is a
// plain value type: importers build it, the store persists it, models read it.
#pragma once

#include <cmath>
#include <cstddef>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace vigil {

inline constexpr double kNA = std::numeric_limits<double>::quiet_NaN();
inline bool IsNA(double v) { return std::isnan(v); }

struct Panel {
  // Identity of the stored dataset this panel came from (empty if not stored).
  std::string dataset_name;
  long long dataset_version = 0;

  std::vector<std::string> predictor_names;
  std::vector<std::string> outcome_names;

  // One entry per row.
  std::vector<std::string> country_name;  // as written in the source file
  std::vector<int> country_code;          // the source's numeric code (EWP: COW/GW ccode)
  std::vector<int> year;

  std::vector<double> predictors;  // column-major: predictors[j * rows() + i]
  std::vector<double> outcomes;    // column-major: outcomes[k * rows() + i]

  std::size_t rows() const { return year.size(); }
  std::size_t num_predictors() const { return predictor_names.size(); }
  std::size_t num_outcomes() const { return outcome_names.size(); }

  double x(std::size_t i, std::size_t j) const { return predictors[j * rows() + i]; }
  double y(std::size_t i, std::size_t k) const { return outcomes[k * rows() + i]; }

  std::optional<std::size_t> PredictorIndex(const std::string& name) const;
  std::optional<std::size_t> OutcomeIndex(const std::string& name) const;

  // True when every predictor of row i and outcome k (if given) is present.
  bool Complete(std::size_t i, std::optional<std::size_t> outcome = std::nullopt) const;

  int MinYear() const;
  int MaxYear() const;
};

}  // namespace vigil
