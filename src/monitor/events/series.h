// The count detectors (threshold and Poisson CUSUM, see detect.h) on one
// monthly series, fed one month at a time. A SeriesMonitor only ever sees
// the months pushed so far, so whatever it reports for month t cannot depend
// on later months: Scan and the alert backtest both replay history through
// it month by month.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "monitor/events/detect.h"

namespace vigil::events {

// One alarm of a series detector for the month just pushed.
struct SeriesAlarm {
  const char* detector = "";  // "threshold" or "cusum"
  double value = 0;           // the month's count
  double baseline = 0;        // baseline mean (threshold) or in-control rate l0 (cusum)
  double limit = 0;           // threshold: the level that was reached; cusum: h
  double statistic = 0;       // threshold: value / baseline mean (inf if 0); cusum: S_t
  double dispersion = 1;      // cusum: phi
  double score = 0;           // threshold: value; cusum: S_t / h
  Severity severity = Severity::kLow;
};

class SeriesMonitor {
 public:
  SeriesMonitor(const ThresholdParams& threshold, const CusumParams& cusum);

  // Appends the next month's count (>= 0) and adds the alarms this month
  // raises to *alarms (threshold before cusum).
  void Push(double value, std::vector<SeriesAlarm>* alarms);

  // Months pushed so far and the current CUSUM statistic.
  std::size_t months() const { return history_.size(); }
  double cusum() const { return s_; }

 private:
  ThresholdParams tp_;
  CusumParams cp_;
  std::vector<double> history_;
  double s_ = 0;
};

// Runs a SeriesMonitor over `values` and returns, per month, the alarms it
// raised (alarms[t] for values[t]).
std::vector<std::vector<SeriesAlarm>> RunSeries(const std::vector<double>& values,
                                                const ThresholdParams& threshold,
                                                const CusumParams& cusum);

}  // namespace vigil::events
