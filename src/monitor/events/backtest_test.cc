#include "monitor/events/backtest.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>

namespace vigil::events {
namespace {

// Threshold only: a month alarms when it reaches 10 and 3x the mean of the
// previous 3 months; alarm months 2 apart merge.
DetectorConfig Config() {
  DetectorConfig c;
  c.threshold = {true, 10, 3, 3, 3, {100, 500, 1000}};
  c.cusum.enabled = false;
  c.backtest.merge_gap_months = 2;
  return c;
}

BacktestSeries Flat(int gw, const char* name) {
  BacktestSeries s;
  s.gw = gw;
  s.country = name;
  s.first = MakeMonth(2010, 1);
  s.values.assign(48, 1.0);  // 2010-01 .. 2013-12
  return s;
}

void Spike(BacktestSeries* s, int year, int month, double v) {
  s->values[static_cast<std::size_t>(MakeMonth(year, month) - s->first)] = v;
}

TEST(AlertBacktest, HandMadeCase) {
  std::vector<BacktestSeries> series;
  series.push_back(Flat(100, "A"));
  Spike(&series.back(), 2011, 3, 50);  // alerts A's 2012 onset, lead Dec 2012 - Mar 2011 = 21
  series.push_back(Flat(200, "B"));
  Spike(&series.back(), 2013, 11, 50);  // too late for B's 2013 onset (after Sep)
  series.push_back(Flat(300, "C"));
  Spike(&series.back(), 2010, 6, 50);   // before 2011: not scored
  Spike(&series.back(), 2011, 6, 50);   // 2011-06 and 2011-08 merge: one false alarm
  Spike(&series.back(), 2011, 8, 60);
  Spike(&series.back(), 2012, 10, 50);  // a second false alarm
  series.push_back(Flat(400, "D"));
  Spike(&series.back(), 2012, 5, 50);   // during D's ongoing episode
  std::vector<BacktestEpisode> eps = {
      {100, "A", "a2012s1", 2012, 2013}, {100, "A", "a2012ns1", 2012, 0},  // one onset
      {200, "B", "b2013s1", 2013, 0},    {400, "D", "d2000s1", 2000, 0},
      {500, "E", "e2012s1", 2012, 2012},  // no series
      {600, "F", "f2005s1", 2005, 2006},  // outside the years
  };
  AlertBacktestOptions o;
  o.from_year = 2011;
  o.to_year = 2013;
  o.split_year = 2012;
  const DetectorConfig c = Config();
  AlertBacktestResult r = RunAlertBacktest(series, eps, c, o);

  ASSERT_EQ(r.onsets.size(), 3u);
  EXPECT_EQ(r.onsets[0].country, "A");
  EXPECT_EQ(r.onsets[0].episodes.size(), 2u);
  EXPECT_TRUE(r.onsets[0].alerted);
  EXPECT_EQ(r.onsets[0].first_alert, MakeMonth(2011, 3));
  EXPECT_EQ(r.onsets[0].lead_months, 21);
  EXPECT_EQ(r.onsets[1].country, "E");
  EXPECT_FALSE(r.onsets[1].has_data);
  EXPECT_FALSE(r.onsets[1].alerted);
  EXPECT_EQ(r.onsets[2].country, "B");
  EXPECT_TRUE(r.onsets[2].has_data);
  EXPECT_FALSE(r.onsets[2].alerted);

  EXPECT_EQ(r.summary.onsets, 3);
  EXPECT_EQ(r.summary.alerted, 1);
  EXPECT_EQ(r.summary.onsets_with_data, 2);
  EXPECT_DOUBLE_EQ(r.summary.share_alerted, 1.0 / 3);
  EXPECT_DOUBLE_EQ(r.summary.median_lead_months, 21);
  EXPECT_EQ(r.summary.false_alarms, 2);
  EXPECT_EQ(r.summary.ongoing_alerts, 1);
  EXPECT_EQ(r.summary.onset_alerts, 2);  // A's alert and B's late one
  EXPECT_EQ(r.summary.country_years, 12);
  EXPECT_NEAR(r.summary.false_alarms_per_country_decade, 2 / 1.2, 1e-12);

  ASSERT_EQ(r.alert_episodes.size(), 6u);
  std::map<std::string, int> kinds;
  for (const auto& e : r.alert_episodes) ++kinds[e.kind];
  EXPECT_EQ(kinds["before"], 1);
  EXPECT_EQ(kinds["false"], 2);
  EXPECT_EQ(kinds["ongoing"], 1);
  EXPECT_EQ(kinds["onset"], 2);
  for (const auto& e : r.alert_episodes) {
    if (e.gw == 300 && e.first == MakeMonth(2011, 6)) {
      EXPECT_EQ(e.last, MakeMonth(2011, 8));
      EXPECT_EQ(e.alarm_months, 2);
      EXPECT_EQ(e.peak, 60);
    }
  }

  ASSERT_EQ(r.periods.size(), 2u);
  EXPECT_EQ(r.periods[0].onsets, 0);
  EXPECT_EQ(r.periods[0].false_alarms, 1);
  EXPECT_EQ(r.periods[0].country_years, 4);
  EXPECT_TRUE(std::isnan(r.periods[0].median_lead_months));
  EXPECT_EQ(r.periods[1].onsets, 3);
  EXPECT_EQ(r.periods[1].false_alarms, 1);
  EXPECT_EQ(r.periods[1].country_years, 8);

  auto j = r.ToJson(c);
  EXPECT_EQ(j["onsets"], 3);
  EXPECT_EQ(j["alerted"], 1);
  EXPECT_EQ(j["onset_rows"][0]["first_alert_month"], "2011-03");
  EXPECT_TRUE(j["periods"][0]["median_lead_months"].is_null());
  EXPECT_EQ(j["protocol"]["merge_gap_months"], 2);

  // With consecutive months only, C's June and August alarms are two episodes.
  DetectorConfig c1 = c;
  c1.backtest.merge_gap_months = 1;
  EXPECT_EQ(RunAlertBacktest(series, eps, c1, o).summary.false_alarms, 3);
}

TEST(AlertBacktest, MissingMonthsDoNotCountAsObserved) {
  BacktestSeries s = Flat(100, "A");
  s.present.assign(s.values.size(), 0);
  s.present[static_cast<std::size_t>(MakeMonth(2012, 7) - s.first)] = 1;
  AlertBacktestOptions o;
  o.from_year = 2011;
  o.to_year = 2013;
  auto r = RunAlertBacktest({s}, {}, Config(), o);
  EXPECT_EQ(r.summary.country_years, 1);
  EXPECT_EQ(r.summary.onsets, 0);
  EXPECT_DOUBLE_EQ(r.summary.share_alerted, 0);
}

}  // namespace
}  // namespace vigil::events
