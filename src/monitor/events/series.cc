#include "monitor/events/series.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>

namespace vigil::events {

SeriesMonitor::SeriesMonitor(const ThresholdParams& threshold, const CusumParams& cusum)
    : tp_(threshold), cp_(cusum) {}

namespace {

// Mean and (sample) variance of v[lo, hi).
void MeanVar(const std::vector<double>& v, std::size_t lo, std::size_t hi, double* mean,
             double* var) {
  const double n = static_cast<double>(hi - lo);
  double s = 0;
  for (std::size_t i = lo; i < hi; ++i) s += v[i];
  *mean = s / n;
  double ss = 0;
  for (std::size_t i = lo; i < hi; ++i) ss += (v[i] - *mean) * (v[i] - *mean);
  *var = hi - lo > 1 ? ss / (n - 1) : 0;
}

}  // namespace

void SeriesMonitor::Push(double value, std::vector<SeriesAlarm>* alarms) {
  assert(value >= 0);
  const std::size_t t = history_.size();  // index of this month
  history_.push_back(value);

  if (tp_.enabled && tp_.baseline_months > 0) {
    const std::size_t b = static_cast<std::size_t>(tp_.baseline_months);
    const std::size_t lo = t >= b ? t - b : 0;
    if (t - lo >= static_cast<std::size_t>(std::max(1, tp_.min_baseline_months))) {
      double mean, var;
      MeanVar(history_, lo, t, &mean, &var);
      const double level = std::max(tp_.min_deaths, tp_.ratio * mean);
      if (value >= level && value > 0) {
        SeriesAlarm a;
        a.detector = "threshold";
        a.value = value;
        a.baseline = mean;
        a.limit = level;
        a.statistic = mean > 0 ? value / mean : std::numeric_limits<double>::infinity();
        a.score = value;
        a.severity = tp_.severity.Of(a.score);
        alarms->push_back(a);
      }
    }
  }

  if (cp_.enabled) {
    const std::size_t g = static_cast<std::size_t>(std::max(0, cp_.guard_months));
    const std::size_t b = static_cast<std::size_t>(std::max(1, cp_.baseline_months));
    // Baseline months [lo, hi): the b months before the guard.
    const std::size_t hi = t >= g ? t - g : 0;
    const std::size_t lo = hi >= b ? hi - b : 0;
    if (hi - lo >= static_cast<std::size_t>(std::max(1, cp_.min_baseline_months))) {
      double mean, var;
      MeanVar(history_, lo, hi, &mean, &var);
      const double l0 = std::max(cp_.min_rate, mean);
      const double l1 = cp_.shift * l0;
      double phi = 1;
      if (cp_.overdispersion && mean > 0) phi = std::max(1.0, var / std::max(mean, cp_.min_rate));
      const double inc = (value * std::log(cp_.shift) - (l1 - l0)) / phi;
      s_ = std::max(0.0, s_ + inc);
      if (s_ >= cp_.h && value >= cp_.min_deaths) {
        SeriesAlarm a;
        a.detector = "cusum";
        a.value = value;
        a.baseline = l0;
        a.limit = cp_.h;
        a.statistic = s_;
        a.dispersion = phi;
        a.score = s_ / cp_.h;
        a.severity = cp_.severity.Of(a.score);
        alarms->push_back(a);
        s_ = 0;
      }
    }
  }
}

std::vector<std::vector<SeriesAlarm>> RunSeries(const std::vector<double>& values,
                                                const ThresholdParams& threshold,
                                                const CusumParams& cusum) {
  SeriesMonitor m(threshold, cusum);
  std::vector<std::vector<SeriesAlarm>> out(values.size());
  for (std::size_t t = 0; t < values.size(); ++t) m.Push(values[t], &out[t]);
  return out;
}

}  // namespace vigil::events
