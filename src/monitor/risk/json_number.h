// JSON for a double that may be NaN or infinite (no result, e.g. an AUC
// without positives): such values are written as null, as JSON has no NaN.
#pragma once

#include <cmath>
#include <nlohmann/json.hpp>

namespace vigil::risk {

inline nlohmann::json JsonNumber(double v) {
  return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
}

}  // namespace vigil::risk
