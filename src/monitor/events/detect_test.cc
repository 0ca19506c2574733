#include "monitor/events/detect.h"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <random>

#include "core/embedded.h"

namespace vigil::events {
namespace {

TEST(DetectorConfig, CatalogParsesAndRoundTrips) {
  const DetectorConfig& c = DefaultDetectorConfig();
  EXPECT_GE(c.version, 1);
  EXPECT_TRUE(c.threshold.enabled && c.cusum.enabled && c.new_pair.enabled && c.spread.enabled);
  EXPECT_GT(c.cusum.shift, 1);
  EXPECT_LE(c.threshold.severity.medium, c.threshold.severity.critical);
  auto again = ParseDetectorConfig(c.ToJson().dump(), "roundtrip");
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->ToJson().dump(), c.ToJson().dump().replace(c.ToJson().dump().find(c.source),
                                                               c.source.size(), "roundtrip"));
}

TEST(DetectorConfig, ErrorsNameSourceAndField) {
  auto text = catalog::FindEmbedded("alert_detectors.json");
  ASSERT_TRUE(text.ok());
  auto j = nlohmann::json::parse(*text);
  j["cusum"]["h"] = "high";
  auto c = ParseDetectorConfig(j.dump(), "my.json");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("my.json"), std::string::npos);
  EXPECT_NE(c.status().message().find("cusum.h"), std::string::npos) << c.status().message();
  j = nlohmann::json::parse(*text);
  j["spread"].erase("min_new_cells");
  c = ParseDetectorConfig(j.dump(), "x");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("spread.min_new_cells' is missing"), std::string::npos);
  j = nlohmann::json::parse(*text);
  j["threshold"]["severity"]["medium"] = 1e6;
  EXPECT_FALSE(ParseDetectorConfig(j.dump(), "x").ok());
  EXPECT_FALSE(ParseDetectorConfig("[1, 2]", "x").ok());
  EXPECT_EQ(LoadDetectorConfig("/nonexistent/x.json").status().code(), Status::Code::kNotFound);
}

TEST(Severity, NamesAndCuts) {
  for (Severity s : {Severity::kLow, Severity::kMedium, Severity::kHigh, Severity::kCritical}) {
    EXPECT_EQ(*ParseSeverity(SeverityName(s)), s);
  }
  EXPECT_FALSE(ParseSeverity("urgent").ok());
  SeverityCuts c{2, 4, 8};
  EXPECT_EQ(c.Of(1.9), Severity::kLow);
  EXPECT_EQ(c.Of(2), Severity::kMedium);
  EXPECT_EQ(c.Of(7.9), Severity::kHigh);
  EXPECT_EQ(c.Of(100), Severity::kCritical);
}

// Synthetic events of one country: months 2000-01..2005-12.
class ScanTest : public ::testing::Test {
 public:
  void Add(int year, int month, int day, Violence v, int deaths, const char* a1, const char* a2,
           int cell, bool targeting = false) {
    Event e;
    e.date_start = e.date_end = DaysFromCivil(year, month, day);
    e.gw = gw_;
    e.violence = v;
    e.civilian_targeting = targeting || v == Violence::kOneSided;
    e.deaths_best = deaths;
    e.deaths_civilians = e.civilian_targeting ? deaths : 0;
    e.actor1 = a1;
    e.actor2 = a2;
    e.cell = cell;
    ev_.Append(e, ++next_id_);
  }
  DetectorConfig Config() {
    DetectorConfig c = DefaultDetectorConfig();
    c.threshold = {true, 25, 5, 12, 6, {100, 500, 1000}};
    c.cusum.shift = 3;
    c.cusum.h = 12;
    c.cusum.overdispersion = true;
    c.new_pair = {true, 24, 25, {100, 500, 1000}};
    c.spread = {true, 12, 3, 10, {5, 10, 20}};
    return c;
  }
  std::vector<Detection> Only(const std::vector<Detection>& d, const std::string& det) {
    std::vector<Detection> out;
    for (const auto& x : d) {
      if (x.detector == det) out.push_back(x);
    }
    return out;
  }

  int gw_ = 500;
  EventColumns ev_;
  std::int64_t next_id_ = 0;
};

// Background: every month, a government-rebel battle pair and one-sided
// violence by the army with Poisson(6) deaths, in cells 1000 and 1001.
void Background(ScanTest* t, std::mt19937_64& rng, int to_year, int to_month,
                void (ScanTest::*add)(int, int, int, Violence, int, const char*, const char*, int, bool)) {
  std::poisson_distribution<int> pd(6);
  for (int y = 2000; y <= to_year; ++y) {
    for (int m = 1; m <= 12; ++m) {
      if (y == to_year && m > to_month) return;
      (t->*add)(y, m, 5, Violence::kStateBased, 3, "Government", "Rebels", 1000, false);
      (t->*add)(y, m, 12, Violence::kOneSided, pd(rng), "Government", "Civilians", 1001, false);
    }
  }
}

TEST_F(ScanTest, ThresholdSummaryAfterQuietBaselineSaysNoneRatherThanARatio) {
  for (int y = 2000; y <= 2001; ++y) {
    for (int m = 1; m <= 12; ++m) Add(y, m, 5, Violence::kStateBased, 2, "Government", "Rebels", 1000);
  }
  Add(2002, 1, 10, Violence::kOneSided, 40, "Government", "Civilians", 1001);
  auto thr = Only(Scan(ev_, DaysFromCivil(2002, 1, 31), MakeMonth(2002, 1), Config()), "threshold");
  ASSERT_EQ(thr.size(), 1u);
  EXPECT_NE(thr[0].summary.find("none in the trailing 12 months"), std::string::npos) << thr[0].summary;
  EXPECT_EQ(thr[0].summary.find("inf"), std::string::npos) << thr[0].summary;
}

TEST_F(ScanTest, CountDetectorsFindPlantedEscalationAndNotBefore) {
  std::mt19937_64 rng(1);
  std::poisson_distribution<int> pd(6), big(60);
  for (int y = 2000; y <= 2005; ++y) {
    for (int m = 1; m <= 12; ++m) {
      Add(y, m, 5, Violence::kStateBased, 3, "Government", "Rebels", 1000);
      const bool escalated = y * 12 + m >= 2004 * 12 + 3;  // from 2004-03
      Add(y, m, 12, Violence::kOneSided, escalated ? big(rng) : pd(rng), "Government", "Civilians", 1001);
    }
  }
  auto d = Scan(ev_, DaysFromCivil(2005, 12, 31), MakeMonth(2000, 1), Config());
  auto cusum = Only(d, "cusum");
  auto thr = Only(d, "threshold");
  ASSERT_FALSE(cusum.empty());
  ASSERT_FALSE(thr.empty());
  EXPECT_GE(cusum.front().month, MakeMonth(2004, 3));
  EXPECT_LE(cusum.front().month, MakeMonth(2004, 5));
  EXPECT_EQ(thr.front().month, MakeMonth(2004, 3));
  EXPECT_GE(thr.front().score, 25);
  EXPECT_FALSE(thr.front().summary.empty());
  // Evidence: the month's events with civilian deaths (the one-sided event).
  ASSERT_EQ(thr.front().evidence.size(), 1u);
  const std::int64_t id = thr.front().evidence[0];
  EXPECT_EQ(ev_.violence[id - 1], Violence::kOneSided);
  EXPECT_EQ(MonthOf(ev_.day[id - 1]), MakeMonth(2004, 3));
  for (const auto& x : d) EXPECT_EQ(x.gw, gw_);
}

TEST_F(ScanTest, NewPairAndReturningPair) {
  std::mt19937_64 rng(2);
  Background(this, rng, 2005, 12, &ScanTest::Add);
  Add(2003, 6, 9, Violence::kOneSided, 40, "Militia X", "Civilians", 1001);  // new pair, lethal
  Add(2003, 7, 9, Violence::kOneSided, 40, "Militia X", "Civilians", 1001);  // no longer new
  Add(2001, 2, 9, Violence::kStateBased, 30, "Government", "Front Y", 1000);  // before lookback covered
  Add(2004, 2, 9, Violence::kStateBased, 30, "Government", "Front Y", 1000);  // 36 months later: new again
  Add(2004, 3, 9, Violence::kOneSided, 10, "Gang Z", "Civilians", 1001);      // below min_deaths
  auto np = Only(Scan(ev_, DaysFromCivil(2005, 12, 31), MakeMonth(2000, 1), Config()), "new-pair");
  ASSERT_EQ(np.size(), 2u);
  EXPECT_EQ(np[0].month, MakeMonth(2003, 6));
  EXPECT_EQ(np[0].unit, "Militia X -> Civilians");
  EXPECT_EQ(np[0].score, 40);
  EXPECT_EQ(np[0].evidence.size(), 1u);
  EXPECT_EQ(np[1].month, MakeMonth(2004, 2));
  EXPECT_EQ(np[1].unit, "Government -> Front Y");
  EXPECT_EQ(np[1].details["last_event_month"], "2001-02");
}

TEST_F(ScanTest, SpreadIntoNewCells) {
  std::mt19937_64 rng(3);
  Background(this, rng, 2005, 12, &ScanTest::Add);
  for (int cell : {2001, 2002, 2003, 2004}) {
    Add(2003, 9, 20, Violence::kOneSided, 5, "Government", "Civilians", cell);
  }
  Add(2004, 5, 20, Violence::kOneSided, 5, "Government", "Civilians", 2001);  // seen 8 months ago
  Add(2004, 5, 20, Violence::kOneSided, 5, "Government", "Civilians", 3001);  // only 1 new cell
  Add(2000, 6, 20, Violence::kOneSided, 5, "Government", "Civilians", 4001);  // lookback not covered
  Add(2000, 6, 20, Violence::kOneSided, 5, "Government", "Civilians", 4002);
  Add(2000, 6, 20, Violence::kOneSided, 5, "Government", "Civilians", 4003);
  auto sp = Only(Scan(ev_, DaysFromCivil(2005, 12, 31), MakeMonth(2000, 1), Config()), "spread");
  ASSERT_EQ(sp.size(), 1u);
  EXPECT_EQ(sp[0].month, MakeMonth(2003, 9));
  EXPECT_EQ(sp[0].score, 4);
  EXPECT_EQ(sp[0].evidence.size(), 4u);
  EXPECT_EQ(sp[0].details["cells_active_in_lookback"], 2);
}

TEST_F(ScanTest, CausalAndOrdered) {
  std::mt19937_64 rng(4);
  std::poisson_distribution<int> pd(6), big(80);
  for (int y = 2000; y <= 2005; ++y) {
    for (int m = 1; m <= 12; ++m) {
      const bool hot = (y == 2002 && m >= 6) || (y == 2004 && m >= 2 && m <= 5);
      Add(y, m, 12, Violence::kOneSided, hot ? big(rng) : pd(rng), "Government", "Civilians", 1001);
      if (hot) Add(y, m, 14, Violence::kOneSided, 30, hot && y == 2004 ? "Militia" : "Army", "Civilians",
                   1100 + m);
    }
  }
  const DetectorConfig c = Config();
  const auto full = Scan(ev_, DaysFromCivil(2005, 12, 31), MakeMonth(2000, 1), c);
  ASSERT_GE(full.size(), 3u);
  for (std::size_t i = 1; i < full.size(); ++i) {
    EXPECT_LE(full[i - 1].month, full[i].month);
  }
  for (int y : {2002, 2003, 2004}) {
    for (int m : {1, 6, 7, 12}) {
      const MonthIndex cut = MakeMonth(y, m);
      // Events after the as-of day are ignored ...
      auto part = Scan(ev_, LastDayOfMonth(cut), MakeMonth(2000, 1), c);
      // ... and equal a scan of the truncated data.
      EventColumns trunc;
      for (std::size_t i = 0; i < ev_.size(); ++i) {
        if (ev_.day[i] > LastDayOfMonth(cut)) continue;
        Event e;
        e.date_start = ev_.day[i];
        e.gw = ev_.gw[i];
        e.violence = ev_.violence[i];
        e.civilian_targeting = ev_.civilian_targeting[i];
        e.deaths_best = ev_.deaths_best[i];
        e.deaths_civilians = ev_.deaths_civilians[i];
        e.actor1 = ev_.strings[ev_.actor1_id[i]];
        e.actor2 = ev_.strings[ev_.actor2_id[i]];
        e.cell = ev_.cell[i];
        trunc.Append(e, ev_.row_id[i]);
      }
      auto part2 = Scan(trunc, DaysFromCivil(2005, 12, 31), MakeMonth(2000, 1), c);
      std::vector<std::string> want, got, got2;
      for (const auto& d : full) {
        if (d.month <= cut) want.push_back(d.Key() + fmt::format(" {:.6f}", d.score));
      }
      for (const auto& d : part) got.push_back(d.Key() + fmt::format(" {:.6f}", d.score));
      for (const auto& d : part2) got2.push_back(d.Key() + fmt::format(" {:.6f}", d.score));
      EXPECT_EQ(got, want) << FormatMonth(cut);
      EXPECT_EQ(got2, want) << FormatMonth(cut);
    }
  }
  // `from` keeps only later trigger months.
  for (const auto& d : Scan(ev_, DaysFromCivil(2005, 12, 31), MakeMonth(2004, 1), c)) {
    EXPECT_GE(d.month, MakeMonth(2004, 1));
  }
  EXPECT_TRUE(Scan(ev_, DaysFromCivil(2001, 1, 1), MakeMonth(2002, 1), c).empty());
  EXPECT_TRUE(Scan(EventColumns{}, DaysFromCivil(2001, 1, 1), MakeMonth(2000, 1), c).empty());
}

}  // namespace
}  // namespace vigil::events
