// SVG charts of simulator results (self-contained, no scripts).
#pragma once

#include <string>
#include <vector>

namespace vigil::sim {

// One bar (a mean) with a whisker (a 90% interval) per label.
struct IntervalBar {
  std::string label;
  double mean = 0, lo = 0, hi = 0;
};
std::string IntervalBarChart(const std::string& title, const std::string& y_label,
                             const std::vector<IntervalBar>& bars);

// Lines over a shared x axis; each series with an optional band (lo/hi same
// length as y, or empty).
struct Series {
  std::string name;
  std::vector<double> y, lo, hi;
};
std::string LineChart(const std::string& title, const std::string& x_label, const std::string& y_label,
                      const std::vector<double>& x, const std::vector<Series>& series);

}  // namespace vigil::sim
