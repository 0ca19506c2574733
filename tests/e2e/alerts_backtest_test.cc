// End-to-end tests of `vigil backtest-alerts` (the alert backtest on the
// real UCDP country-month file and EWP episode list when present, and on
// small hand-made files) and `vigil events aggregate`.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "tests/e2e/e2e_util.h"

namespace vigil::e2e {
namespace {

const std::string kEpisodes = std::string(VIGIL_SHARED_DATA) + "/ewp-2025/mk_events_2025.csv";
const std::string kCountryMonth =
    std::string(VIGIL_SHARED_DATA) + "/ucdp/ucdp_country_month_fatalities_2010_2024.csv";
const std::string kGedCaf = std::string(VIGIL_SHARED_DATA) + "/ucdp/GEDEvent_v23_1_CAF.csv";

#define SKIP_WITHOUT(path) \
  if (!fs::exists(path)) GTEST_SKIP() << "shared data not found: " << (path) << " (real-data test skipped)"

int MonthIndexOf(const std::string& yyyy_mm) {
  return std::stoi(yyyy_mm.substr(0, 4)) * 12 + std::stoi(yyyy_mm.substr(5, 2)) - 1;
}

// The arithmetic every backtest JSON must satisfy.
void CheckConsistency(const json& j) {
  for (const char* f : {"onsets", "alerted", "share_alerted", "median_lead_months",
                        "false_alarms_per_country_decade", "onset_rows", "countries", "country_years",
                        "alerts", "protocol", "detectors", "alert_episodes", "false_alarms"}) {
    ASSERT_TRUE(j.contains(f)) << f;
  }
  const int from = j["protocol"]["from_year"], to = j["protocol"]["to_year"];
  const auto& rows = j["onset_rows"];
  ASSERT_EQ(rows.size(), j["onsets"].get<std::size_t>());
  int alerted = 0;
  std::vector<int> leads;
  for (const auto& r : rows) {
    const int y = r["year"];
    EXPECT_GE(y, from);
    EXPECT_LE(y, to);
    if (!r["alerted"].get<bool>()) {
      EXPECT_TRUE(r["first_alert_month"].is_null());
      continue;
    }
    ++alerted;
    const int first = MonthIndexOf(r["first_alert_month"]);
    EXPECT_GE(first, (y - 1) * 12);      // Jan(Y-1)
    EXPECT_LE(first, y * 12 + 8);        // Sep(Y)
    EXPECT_EQ(r["lead_months"].get<int>(), y * 12 + 11 - first);  // to Dec(Y)
    leads.push_back(r["lead_months"]);
  }
  EXPECT_EQ(j["alerted"].get<int>(), alerted);
  const int onsets = j["onsets"];
  ASSERT_GT(onsets, 0);
  EXPECT_DOUBLE_EQ(j["share_alerted"].get<double>(), static_cast<double>(alerted) / onsets);
  if (!leads.empty()) {
    std::sort(leads.begin(), leads.end());
    const std::size_t n = leads.size();
    const double median = n % 2 ? leads[n / 2] : 0.5 * (leads[n / 2 - 1] + leads[n / 2]);
    EXPECT_DOUBLE_EQ(j["median_lead_months"].get<double>(), median);
  } else {
    EXPECT_TRUE(j["median_lead_months"].is_null());
  }
  int false_alarms = 0;
  for (const auto& e : j["alert_episodes"]) {
    const int y = std::stoi(e["first_month"].get<std::string>().substr(0, 4));
    if (e["kind"] == "false" && y >= from && y <= to) ++false_alarms;
  }
  EXPECT_EQ(j["false_alarms"].get<int>(), false_alarms);
  EXPECT_EQ(j["alerts"].get<std::size_t>(), j["alert_episodes"].size());
  const double cy = j["country_years"];
  ASSERT_GT(cy, 0);
  EXPECT_NEAR(j["false_alarms_per_country_decade"].get<double>(), false_alarms / (cy / 10), 1e-12);
}

class AlertsBacktestTest : public CliTest {};

std::string fmt_row(const char* iso, int y, int m, int v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s,%04d%02d,%d\n", iso, y, m, v);
  return buf;
}

TEST_F(AlertsBacktestTest, RealCountryMonthFileAndEpisodeList) {
  SKIP_WITHOUT(kEpisodes);
  SKIP_WITHOUT(kCountryMonth);
  const std::string out = (dir_ / "bt.json").string();
  RunResult r = Run({"backtest-alerts", "--onsets", kEpisodes, "--events", kCountryMonth, "--from-year",
                     "2010", "--to-year", "2024", "--split-year", "2017", "--json", out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json j = json::parse(Slurp(out));
  CheckConsistency(j);
  EXPECT_EQ(j["onsets"], 18);  // unique (country, start year) 2010-2024 in mk_events_2025
  EXPECT_EQ(j["episodes"], 19);  // South Sudan 2013 has two episodes
  EXPECT_EQ(j["input"]["kind"], "country-month");
  EXPECT_GE(j["countries"].get<int>(), 165);
  EXPECT_EQ(j["periods"].size(), 2u);
  EXPECT_EQ(j["periods"][0]["onsets"].get<int>() + j["periods"][1]["onsets"].get<int>(), 18);
  // Unresolved episode rows are listed, not dropped.
  EXPECT_EQ(j["episode_list"]["rows"].get<int>(),
            j["episode_list"]["resolved"].get<int>() + static_cast<int>(j["episode_list"]["unresolved"].size()));
  // Unknown ISO codes of the series file are listed too.
  EXPECT_FALSE(j["input"]["unresolved_codes"].empty());
  std::printf("alert backtest 2010-2024: %d/%d onsets alerted (%.2f), median lead %s months, %.3f false "
              "alarms per country-decade\n",
              j["alerted"].get<int>(), j["onsets"].get<int>(), j["share_alerted"].get<double>(),
              j["median_lead_months"].dump().c_str(), j["false_alarms_per_country_decade"].get<double>());

  // --json without a file prints the same result.
  RunResult r2 = Run({"backtest-alerts", "--onsets", kEpisodes, "--events", kCountryMonth, "--split-year",
                      "2017", "--json"});
  ASSERT_EQ(r2.exit_code, 0) << r2.err;
  EXPECT_EQ(ParseJson(r2), j);
  // The table names the summary.
  RunResult r3 = Run({"backtest-alerts", "--onsets", kEpisodes, "--events", kCountryMonth});
  ASSERT_EQ(r3.exit_code, 0) << r3.err;
  EXPECT_NE(r3.out.find("false alarms"), std::string::npos);
}

TEST_F(AlertsBacktestTest, GedEventFile) {
  SKIP_WITHOUT(kEpisodes);
  SKIP_WITHOUT(kGedCaf);
  RunResult r = Run({"backtest-alerts", "--onsets", kEpisodes, "--events", kGedCaf, "--from-year", "2012",
                     "--to-year", "2014", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json j = ParseJson(r);
  CheckConsistency(j);
  EXPECT_EQ(j["input"]["kind"], "ged");
  EXPECT_EQ(j["input"]["events"].get<int>() + j["input"]["rejected_rows"].get<int>(), 1848);
  EXPECT_EQ(j["countries"], 1);
  bool caf = false;
  for (const auto& o : j["onset_rows"]) {
    if (o["gw"] == 482) {
      caf = true;
      EXPECT_EQ(o["year"], 2013);
      EXPECT_TRUE(o["has_data"].get<bool>());
    } else {
      EXPECT_FALSE(o["has_data"].get<bool>());  // other countries have no events in this file
    }
  }
  EXPECT_TRUE(caf);
}

// A hand-made case through the command line: Sudan (625) alerted for a
// 2012 onset, Uganda (500) with one false alarm, Mali (432) missed.
TEST_F(AlertsBacktestTest, HandMadeFiles) {
  std::string cm = "isocode,period,fatalities_UCDP\n";
  for (const char* iso : {"SDN", "UGA", "MLI"}) {
    for (int y = 2010; y <= 2012; ++y) {
      for (int m = 1; m <= 12; ++m) {
        int v = 2;
        if (std::string(iso) == "SDN" && y == 2011 && m == 5) v = 400;
        if (std::string(iso) == "UGA" && y == 2011 && m == 2) v = 300;
        if (std::string(iso) == "MLI" && y == 2012 && m == 11) v = 300;  // after Sep: too late
        cm += fmt_row(iso, y, m, v);
      }
    }
  }
  const std::string cm_path = Write("cm.csv", cm);
  const std::string mk_path = Write("mk.csv",
                                    "country,mk_event_name,startyear,endyear,mk_event_code,mk_location_cow\n"
                                    "Sudan,a,2012,NA,sdn2012s1,625\n"
                                    "Mali,b,2012,2012,mli2012s1,432\n"
                                    "Narnia,c,2012,2012,nar2012s1,998\n");
  RunResult r = Run({"backtest-alerts", "--onsets", mk_path, "--events", cm_path, "--from-year", "2011",
                     "--to-year", "2012", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json j = ParseJson(r);
  CheckConsistency(j);
  EXPECT_EQ(j["onsets"], 2);
  EXPECT_EQ(j["alerted"], 1);
  EXPECT_EQ(j["onset_rows"][1]["country"], "Sudan");
  EXPECT_EQ(j["onset_rows"][1]["first_alert_month"], "2011-05");
  EXPECT_EQ(j["onset_rows"][1]["lead_months"], 19);
  EXPECT_EQ(j["false_alarms"], 1);
  EXPECT_EQ(j["country_years"], 6);
  EXPECT_NEAR(j["false_alarms_per_country_decade"].get<double>(), 1 / 0.6, 1e-12);
  ASSERT_EQ(j["episode_list"]["unresolved"].size(), 1u);
  EXPECT_EQ(j["episode_list"]["unresolved"][0]["line"], 4);
}

TEST_F(AlertsBacktestTest, BadInputsGetOneClearError) {
  const std::string mk = Write("mk.csv", "country,startyear,endyear,mk_location_cow\nSudan,2012,NA,625\n");
  const std::string other = Write("other.csv", "a,b,c\n1,2,3\n");
  RunResult r = Run({"backtest-alerts", "--onsets", mk, "--events", other});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("other.csv"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("neither a country-month series file"), std::string::npos) << r.err;
  const std::string bad = Write("cm.csv", "isocode,period,fatalities\nSDN,201001,x\n");
  r = Run({"backtest-alerts", "--onsets", mk, "--events", bad});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("cm.csv:2"), std::string::npos) << r.err;
  r = Run({"backtest-alerts", "--onsets", mk});
  EXPECT_EQ(r.exit_code, 2);
}

TEST_F(AlertsBacktestTest, EventsAggregateLevelsAgree) {
  SKIP_WITHOUT(kGedCaf);
  RunResult imp = Run({"-q", "import", "events", "--format", "ged", kGedCaf});
  ASSERT_EQ(imp.exit_code, 0) << imp.err;
  std::map<std::string, std::pair<long, long>> totals;  // level -> (events, deaths)
  for (const char* level : {"country", "admin1", "cell", "actor-pair"}) {
    RunResult r = Run({"--json", "events", "aggregate", "--level", level, "--country", "CAF"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    json j = ParseJson(r);
    EXPECT_EQ(j["level"], level);
    EXPECT_TRUE(j["seconds_aggregate"].is_number());
    EXPECT_TRUE(j["seconds_load"].is_number());
    long events = 0, deaths = 0;
    for (const auto& row : j["rows"]) {
      events += row["events"].get<long>();
      deaths += row["deaths"].get<long>();
      EXPECT_EQ(row["deaths"].get<long>() - row["deaths_state_based"].get<long>() -
                    row["deaths_non_state"].get<long>() - row["deaths_one_sided"].get<long>(),
                0);  // GED events all have one of the three types
    }
    totals[level] = {events, deaths};
  }
  EXPECT_EQ(totals["country"].first, Count("events"));
  for (const auto& [level, t] : totals) EXPECT_EQ(t, totals["country"]) << level;
  // CSV and a month window.
  const std::string csv = (dir_ / "agg.csv").string();
  RunResult r = Run({"events", "aggregate", "--from", "2013-01", "--to", "2013-12", "--csv", csv});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string text = Slurp(csv);
  EXPECT_EQ(text.substr(0, text.find('\n')),
            "gw,iso3,country,month,events,deaths,deaths_state_based,deaths_non_state,deaths_one_sided,"
            "civilian_deaths,one_sided_events,actor_pairs");
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 13);  // header + 12 months
  EXPECT_EQ(Run({"events", "aggregate", "--level", "province"}).exit_code, 2);
  EXPECT_EQ(Run({"events", "aggregate", "--country", "Atlantis"}).exit_code, 1);
}

}  // namespace
}  // namespace vigil::e2e
