#include "monitor/events/series.h"

#include <gtest/gtest.h>

#include <random>

namespace vigil::events {
namespace {

std::vector<double> Poisson(std::mt19937_64& rng, double rate, int n) {
  std::poisson_distribution<int> d(rate);
  std::vector<double> v(n);
  for (auto& x : v) x = d(rng);
  return v;
}

// Negative binomial with mean `mean` and size `size` (variance mean + mean^2/size).
std::vector<double> NegBin(std::mt19937_64& rng, double mean, double size, int n) {
  std::gamma_distribution<double> g(size, mean / size);
  std::vector<double> v(n);
  for (auto& x : v) {
    std::poisson_distribution<int> p(std::max(1e-9, g(rng)));
    x = p(rng);
  }
  return v;
}

int CountAlarms(const std::vector<std::vector<SeriesAlarm>>& a, const char* detector, int from = 0,
                int to = 1 << 30) {
  int n = 0;
  for (int t = from; t < static_cast<int>(a.size()) && t < to; ++t) {
    for (const auto& x : a[t]) n += std::string_view(x.detector) == detector;
  }
  return n;
}

int FirstAlarm(const std::vector<std::vector<SeriesAlarm>>& a, const char* detector, int from = 0) {
  for (int t = from; t < static_cast<int>(a.size()); ++t) {
    for (const auto& x : a[t]) {
      if (std::string_view(x.detector) == detector) return t;
    }
  }
  return -1;
}

// Explicit parameters (the values the catalog ships), so that these tests
// check the detectors, not the catalog.
ThresholdParams TP() {
  ThresholdParams p;
  p.min_deaths = 25;
  p.ratio = 5;
  p.baseline_months = 12;
  p.min_baseline_months = 6;
  p.severity = {100, 500, 1000};
  return p;
}
CusumParams CP() {
  CusumParams p;
  p.baseline_months = 12;
  p.guard_months = 3;
  p.min_baseline_months = 6;
  p.shift = 3;
  p.h = 12;
  p.min_rate = 1;
  p.min_deaths = 1;
  p.overdispersion = true;
  p.severity = {1.5, 3, 6};
  return p;
}

TEST(SeriesMonitor, ThresholdNeedsBaselineLevelAndRatio) {
  ThresholdParams tp;
  tp.min_deaths = 25;
  tp.ratio = 3;
  tp.baseline_months = 4;
  tp.min_baseline_months = 2;
  tp.severity = {100, 500, 1000};
  CusumParams cp;
  cp.enabled = false;
  // t0: no baseline; t1: baseline of 1 month < 2; t2: baseline mean 10 -> level 30.
  auto a = RunSeries({100, 10, 29, 30, 30, 200, 5}, tp, cp);
  EXPECT_TRUE(a[0].empty());
  EXPECT_TRUE(a[1].empty());
  EXPECT_TRUE(a[2].empty());  // 29 < max(25, 3 * mean(100, 10) = 165)
  EXPECT_TRUE(a[3].empty());  // mean(100,10,29) = 46.3 -> level 139
  EXPECT_TRUE(a[4].empty());
  ASSERT_EQ(a[5].size(), 1u);  // baseline (10,29,30,30) mean 24.75 -> level 74.25
  EXPECT_DOUBLE_EQ(a[5][0].baseline, 24.75);
  EXPECT_DOUBLE_EQ(a[5][0].limit, 74.25);
  EXPECT_DOUBLE_EQ(a[5][0].score, 200);
  EXPECT_EQ(a[5][0].severity, Severity::kMedium);
  EXPECT_TRUE(a[6].empty());
}

TEST(SeriesMonitor, CusumHandComputed) {
  ThresholdParams tp;
  tp.enabled = false;
  CusumParams cp;
  cp.baseline_months = 2;
  cp.guard_months = 1;
  cp.min_baseline_months = 2;
  cp.shift = 2;
  cp.h = 5;
  cp.min_rate = 1;
  cp.min_deaths = 1;
  cp.overdispersion = false;
  // Months 0..2 build the baseline; from t=3 the baseline is months t-3..t-2.
  // t=3: l0 = mean(4, 4) = 4, inc = 10 ln2 - 4 = 2.93; S = 2.93.
  // t=4: l0 = mean(4, 4) = 4, inc = 10 ln2 - 4 = 2.93; S = 5.86 >= 5: alarm, reset.
  auto a = RunSeries({4, 4, 4, 10, 10, 0}, tp, cp);
  for (int t = 0; t < 4; ++t) EXPECT_TRUE(a[t].empty()) << t;
  ASSERT_EQ(a[4].size(), 1u);
  EXPECT_NEAR(a[4][0].statistic, 2 * (10 * std::log(2.0) - 4), 1e-9);
  EXPECT_DOUBLE_EQ(a[4][0].baseline, 4);
  EXPECT_TRUE(a[5].empty());
}

TEST(SeriesMonitor, CusumDispersionScalesIncrements) {
  ThresholdParams tp;
  tp.enabled = false;
  CusumParams cp = CP();
  cp.overdispersion = true;
  SeriesMonitor m(tp, cp);
  std::vector<SeriesAlarm> al;
  // A very variable baseline: phi = var/mean is large, so one big month is
  // not enough to alarm.
  for (double v : {0, 40, 0, 60, 0, 30, 0, 50, 0, 45, 0, 35, 0, 0, 0}) m.Push(v, &al);
  EXPECT_TRUE(al.empty());
  m.Push(90, &al);
  EXPECT_TRUE(al.empty()) << al[0].statistic;
  // The same months without the dispersion correction do alarm.
  cp.overdispersion = false;
  SeriesMonitor plain(tp, cp);
  for (double v : {0, 40, 0, 60, 0, 30, 0, 50, 0, 45, 0, 35, 0, 0, 0, 90}) plain.Push(v, &al);
  EXPECT_FALSE(al.empty());
}

TEST(SeriesMonitor, NeverFiresBeforeAPlantedStepAndDetectsItAtOnce) {
  // Deterministic in-control months (mean 8, mild swings), then a 6x step.
  std::vector<double> v;
  for (int t = 0; t < 60; ++t) v.push_back(std::vector<double>{6, 8, 10, 8, 7, 9}[t % 6]);
  for (int t = 0; t < 12; ++t) v.push_back(48);
  auto a = RunSeries(v, TP(), CP());
  EXPECT_EQ(CountAlarms(a, "cusum", 0, 60) + CountAlarms(a, "threshold", 0, 60), 0);
  EXPECT_EQ(FirstAlarm(a, "threshold", 0), 60);
  const int fc = FirstAlarm(a, "cusum", 0);
  EXPECT_GE(fc, 60);
  EXPECT_LE(fc, 61);
}

TEST(SeriesMonitor, DetectsPlantedChangeInPoissonNoise) {
  std::mt19937_64 rng(7);
  int detected_cusum = 0, detected_threshold = 0, early = 0;
  const int reps = 50;
  for (int rep = 0; rep < reps; ++rep) {
    auto v = Poisson(rng, 8, 60);
    auto after = Poisson(rng, 48, 24);
    v.insert(v.end(), after.begin(), after.end());
    auto a = RunSeries(v, TP(), CP());
    early += CountAlarms(a, "cusum", 0, 60) + CountAlarms(a, "threshold", 0, 60);
    int fc = FirstAlarm(a, "cusum", 60), ft = FirstAlarm(a, "threshold", 60);
    detected_cusum += fc >= 60 && fc <= 62;
    detected_threshold += ft >= 60 && ft <= 62;
  }
  // In-control alarms before the change are rare (the in-control run length
  // of the CUSUM at this rate is several hundred months) ...
  EXPECT_LE(early, reps * 60 / 150);
  // ... and the change is found within 3 months in (almost) every replication.
  EXPECT_GE(detected_cusum, reps - 2);
  EXPECT_GE(detected_threshold, reps - 5);
}

TEST(SeriesMonitor, DetectsGradualRiseWithCusum) {
  std::mt19937_64 rng(11);
  int detected = 0;
  for (int rep = 0; rep < 50; ++rep) {
    auto v = Poisson(rng, 20, 48);
    for (int k = 1; k <= 12; ++k) {  // +15% a month: 1.15^6 = 2.3x after 6 months
      std::poisson_distribution<int> d(20 * std::pow(1.15, k));
      v.push_back(d(rng));
    }
    auto a = RunSeries(v, TP(), CP());
    int f = FirstAlarm(a, "cusum", 48);
    detected += f >= 48 && f < 48 + 10;
  }
  EXPECT_GE(detected, 45);
}

TEST(SeriesMonitor, FewAlarmsOnStationarySeries) {
  std::mt19937_64 rng(3);
  const int months = 180;  // 15 years, like 2010-2024
  int pois = 0, nb = 0, series = 0;
  for (double mean : {2.0, 10.0, 50.0, 300.0}) {
    for (int rep = 0; rep < 25; ++rep) {
      pois += CountAlarms(RunSeries(Poisson(rng, mean, months), TP(), CP()), "cusum") +
              CountAlarms(RunSeries(Poisson(rng, mean, months), TP(), CP()), "threshold");
      auto v = NegBin(rng, mean, 2.0, months);
      auto a = RunSeries(v, TP(), CP());
      nb += CountAlarms(a, "cusum") + CountAlarms(a, "threshold");
      ++series;
    }
  }
  const double pois_rate = 120.0 * pois / (series * months);  // alarms per country-decade
  const double nb_rate = 120.0 * nb / (series * months);
  RecordProperty("poisson_alarms_per_decade", std::to_string(pois_rate));
  RecordProperty("negbin_alarms_per_decade", std::to_string(nb_rate));
  std::printf("alarm months per series-decade: Poisson %.3f, negative binomial (size 2) %.3f\n",
              pois_rate, nb_rate);
  EXPECT_LT(pois_rate, 0.1);
  EXPECT_LT(nb_rate, 1.0);
}

TEST(SeriesMonitor, CausalTruncationNeverChangesEarlierAlarms) {
  std::mt19937_64 rng(5);
  auto v = NegBin(rng, 15, 1.0, 120);
  for (int t = 70; t < 90; ++t) v[t] *= 4;
  auto full = RunSeries(v, TP(), CP());
  for (int m : {10, 40, 69, 75, 100}) {
    std::vector<double> cut(v.begin(), v.begin() + m + 1);
    auto part = RunSeries(cut, TP(), CP());
    for (int t = 0; t <= m; ++t) {
      ASSERT_EQ(part[t].size(), full[t].size()) << m << " " << t;
      for (std::size_t k = 0; k < part[t].size(); ++k) {
        EXPECT_EQ(part[t][k].statistic, full[t][k].statistic);
      }
    }
  }
}

}  // namespace
}  // namespace vigil::events
