// End-to-end tests of escalation alerts on real UCDP GED events for the
// Central African Republic: vigil alerts scan|list|show|ack|dismiss and
// vigil watchlist, with and without a stored forecast.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "tests/e2e/e2e_util.h"

namespace vigil {
namespace {

using ::testing::HasSubstr;
using e2e::CliTest;
using e2e::kRealFile;
using e2e::ParseJson;
using e2e::RunResult;
using e2e::Slurp;
using nlohmann::json;
namespace fs = std::filesystem;

const std::string kGedCaf = std::string(VIGIL_SHARED_DATA) + "/ucdp/GEDEvent_v23_1_CAF.csv";
constexpr int kCar = 482;

class AlertsE2E : public CliTest {
 protected:
  void ImportCaf() {
    RunResult r = Run({"import", "events", "--format", "ged", kGedCaf, "-q"});
    // 3: some rows were quarantined (GED has a few low > best estimates); the rest is stored.
    ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 3) << r.exit_code << " " << r.err;
    ASSERT_GT(Count("events"), 1800);
  }
  json Scan(const std::string& as_of = "2014-01-31", const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = {"alerts", "scan", "--as-of", as_of, "--json", "-q"};
    args.insert(args.end(), extra.begin(), extra.end());
    RunResult r = Run(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return ParseJson(r);
  }
};

#define SKIP_WITHOUT_GED()                                                                      \
  if (!fs::exists(kGedCaf)) {                                                                   \
    GTEST_SKIP() << "shared data not found: " << kGedCaf << " (real-data alert tests skipped)"; \
  }

TEST_F(AlertsE2E, ScanRaisesCarAlertsWithEvidenceDatedUpToAsOfAndIsIdempotent) {
  SKIP_WITHOUT_GED();
  ImportCaf();
  json scan = Scan();
  EXPECT_EQ(scan["as_of"], "2014-01-31");
  EXPECT_EQ(scan["first_month"], "2013-02");
  EXPECT_EQ(scan["last_month"], "2014-01");
  EXPECT_EQ(scan["latest_event_date"].get<std::string>() <= "2014-01-31", true);
  const auto& alerts = scan["alerts"];
  ASSERT_GT(alerts.size(), 0u) << "the 2013 escalation in CAR raises alerts";
  EXPECT_EQ(scan["new"], alerts.size());
  EXPECT_EQ(scan["updated"], 0);
  std::set<std::string> detectors;
  bool critical = false;
  for (const auto& a : alerts) {
    EXPECT_EQ(a["gw"], kCar);
    EXPECT_EQ(a["iso3"], "CAF");
    EXPECT_GE(a["month"].get<std::string>(), "2013-02");
    EXPECT_LE(a["month"].get<std::string>(), "2014-01");
    EXPECT_EQ(a["status"], "new");
    EXPECT_EQ(a["outcome"], "new");
    detectors.insert(a["detector"].get<std::string>());
    critical |= a["severity"] == "critical";
  }
  EXPECT_GE(detectors.size(), 2u);
  EXPECT_TRUE(critical) << "December 2013 in Bangui is the worst month of the series";

  // Every alert has evidence, and every evidence event is dated on or before the as-of day.
  std::size_t evidence = 0;
  for (const auto& a : alerts) {
    RunResult show = Run({"alerts", "show", std::to_string(a["id"].get<int>()), "--json"});
    ASSERT_EQ(show.exit_code, 0) << show.err;
    json j = ParseJson(show);
    ASSERT_FALSE(j["evidence"].empty()) << a["summary"];
    EXPECT_EQ(j["evidence"].size(), a["evidence_count"].get<std::size_t>());
    for (const auto& e : j["evidence"]) {
      EXPECT_LE(e["date_start"].get<std::string>(), "2014-01-31") << a["summary"];
      EXPECT_EQ(e["source"], "ged");
      ++evidence;
    }
  }
  EXPECT_GT(evidence, alerts.size());
  // The text form names the evidence events.
  RunResult text = Run({"alerts", "show", std::to_string(alerts[0]["id"].get<int>())});
  EXPECT_THAT(text.out, HasSubstr("evidence:"));
  EXPECT_THAT(text.out, HasSubstr("Civilians"));

  // Scanning again changes and duplicates nothing.
  const std::int64_t stored = Count("alerts"), links = Count("alert_evidence");
  json again = Scan();
  EXPECT_EQ(again["new"], 0);
  EXPECT_EQ(again["updated"], 0);
  EXPECT_EQ(again["unchanged"], alerts.size());
  EXPECT_EQ(Count("alerts"), stored);
  EXPECT_EQ(Count("alert_evidence"), links);

  // An earlier cut-off sees no data after it: its alerts end at its month,
  // their evidence is dated on or before it, and they are the same alerts.
  json early = Scan("2013-09-30", {"--months", "6"});
  EXPECT_EQ(early["as_of"], "2013-09-30");
  EXPECT_EQ(early["new"], 0) << "the alerts up to September were already raised by the later scan";
  ASSERT_FALSE(early["alerts"].empty());
  for (const auto& a : early["alerts"]) {
    EXPECT_LE(a["month"].get<std::string>(), "2013-09");
    EXPECT_GE(a["month"].get<std::string>(), "2013-04");
  }
  EXPECT_EQ(Count("alerts"), stored);
}

TEST_F(AlertsE2E, AckDismissAndListFilters) {
  SKIP_WITHOUT_GED();
  ImportCaf();
  json alerts = Scan()["alerts"];
  ASSERT_GE(alerts.size(), 3u);
  const std::string a = std::to_string(alerts[0]["id"].get<int>());
  const std::string b = std::to_string(alerts[1]["id"].get<int>());
  const std::string c = std::to_string(alerts[2]["id"].get<int>());

  RunResult ack = Run({"alerts", "ack", a});
  ASSERT_EQ(ack.exit_code, 0) << ack.err;
  RunResult no_reason = Run({"alerts", "dismiss", b});
  EXPECT_EQ(no_reason.exit_code, 2);
  EXPECT_THAT(no_reason.err, HasSubstr("--reason"));
  RunResult blank = Run({"alerts", "dismiss", b, "--reason", " "});
  EXPECT_EQ(blank.exit_code, 1);
  EXPECT_THAT(blank.err, HasSubstr("reason"));
  RunResult dismiss = Run({"alerts", "dismiss", b, c, "--reason", "reporting artefact", "--json"});
  ASSERT_EQ(dismiss.exit_code, 0) << dismiss.err;
  EXPECT_EQ(ParseJson(dismiss)[0]["status"], "dismissed");
  RunResult missing = Run({"alerts", "ack", "99999"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_THAT(missing.err, HasSubstr("no alert 99999"));

  json dismissed = ParseJson(Run({"alerts", "list", "--status", "dismissed", "--json"}));
  ASSERT_EQ(dismissed.size(), 2u);
  for (const auto& d : dismissed) {
    EXPECT_EQ(d["status_reason"], "reporting artefact");
    EXPECT_FALSE(d["status_at"].is_null());
  }
  json open = ParseJson(Run({"alerts", "list", "--status", "open", "--json"}));
  EXPECT_EQ(open.size(), alerts.size() - 2);
  json acked = ParseJson(Run({"alerts", "list", "--status", "acknowledged", "--json"}));
  ASSERT_EQ(acked.size(), 1u);
  EXPECT_EQ(acked[0]["id"], alerts[0]["id"]);
  EXPECT_EQ(ParseJson(Run({"alerts", "list", "--json"})).size(), alerts.size());  // default: all

  // Country by name, ISO3 or GW code; month and detector filters.
  for (const char* country : {"Central African Republic", "CAF", "482"}) {
    EXPECT_EQ(ParseJson(Run({"alerts", "list", "--country", country, "--json"})).size(), alerts.size());
  }
  EXPECT_TRUE(ParseJson(Run({"alerts", "list", "--country", "Mali", "--json"})).empty());
  RunResult unknown = Run({"alerts", "list", "--country", "Atlantis"});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_THAT(unknown.err, HasSubstr("Atlantis"));
  json since = ParseJson(Run({"alerts", "list", "--since", "2013-12", "--json"}));
  ASSERT_FALSE(since.empty());
  for (const auto& s : since) EXPECT_GE(s["month"].get<std::string>(), "2013-12");
  const std::string detector = alerts[0]["detector"];
  for (const auto& s : ParseJson(Run({"alerts", "list", "--detector", detector, "--json"}))) {
    EXPECT_EQ(s["detector"], detector);
  }

  // A re-scan keeps what the analyst decided.
  json rescan = Scan();
  EXPECT_EQ(rescan["new"], 0);
  EXPECT_EQ(ParseJson(Run({"alerts", "list", "--status", "dismissed", "--json"})).size(), 2u);
  EXPECT_EQ(ParseJson(Run({"alerts", "show", a, "--json"}))["status"], "acknowledged");

  // A triage that names a stale revision changes nothing and exits with 4;
  // the current one is accepted.
  const int revision = ParseJson(Run({"alerts", "show", a, "--json"}))["revision"];
  RunResult stale = Run({"alerts", "dismiss", a, "--reason", "artefact", "--revision", std::to_string(revision - 1)});
  EXPECT_EQ(stale.exit_code, 4) << stale.err;
  EXPECT_THAT(stale.err, HasSubstr("has changed since revision"));
  EXPECT_EQ(ParseJson(Run({"alerts", "show", a, "--json"}))["status"], "acknowledged");
  RunResult current = Run({"alerts", "dismiss", a, "--reason", "artefact", "--revision", std::to_string(revision)});
  EXPECT_EQ(current.exit_code, 0) << current.err;
  EXPECT_EQ(ParseJson(Run({"alerts", "show", a, "--json"}))["revision"], revision + 1);

  // The events of a country-month behind the alerts.
  const std::string month = alerts[0]["month"];
  json listed = ParseJson(Run({"events", "list", "--country", "CAF", "--month", month, "--limit", "1", "--json"}));
  EXPECT_EQ(listed["month"], month);
  EXPECT_GE(listed["total"].get<int>(), 1);
  EXPECT_EQ(listed["events"].size(), 1u);
  EXPECT_EQ(Run({"events", "list", "--country", "CAF", "--month", "2013-13"}).exit_code, 1);
}

TEST_F(AlertsE2E, WatchlistWithAndWithoutAForecast) {
  SKIP_WITHOUT_GED();
  ImportCaf();
  const std::size_t alerts = Scan()["alerts"].size();

  // Only alerts: CAR is escalating, and the report says the forecast is missing.
  RunResult r = Run({"watchlist", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json w = ParseJson(r);
  EXPECT_EQ(w["as_of"], "2014-01-31");  // the latest scan's cut-off
  EXPECT_TRUE(w["forecast"].is_null());
  ASSERT_EQ(w["countries"].size(), 1u);
  EXPECT_EQ(w["countries"][0]["gw"], kCar);
  EXPECT_EQ(w["countries"][0]["tier_id"], "escalating-no-forecast");
  EXPECT_EQ(w["countries"][0]["open_alerts"], alerts);
  EXPECT_EQ(w["countries"][0]["series"]["deaths"].size(), 24u);
  EXPECT_THAT(w["notes"].dump(), HasSubstr("No structural risk forecast"));

  if (!fs::exists(kRealFile)) GTEST_SKIP() << "EWP panel not found: " << kRealFile << " (forecast part skipped)";
  ASSERT_EQ(Run({"import", "panel", kRealFile, "-q"}).exit_code, 0);
  RunResult f = Run({"forecast", "--year", "2012", "--model", "elastic-net", "--bootstrap", "0", "-q", "--json",
                     "-"});
  ASSERT_EQ(f.exit_code, 0) << f.err;
  const int run_id = ParseJson(f)["run_id"];
  const std::string md = (dir_ / "watch.md").string(), html = (dir_ / "watch.html").string();
  r = Run({"watchlist", "--json", "--top", "20", "--md", md, "--html", html});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  w = ParseJson(r);
  EXPECT_EQ(w["forecast"]["run_id"], run_id);
  EXPECT_EQ(w["forecast"]["target_years"], json({2013, 2014}));
  int top = 0, car = 0;
  for (const auto& c : w["countries"]) {
    if (c["high_structural_risk"]) {
      ++top;
      EXPECT_LE(c["rank"].get<int>(), 20);
    }
    if (c["gw"] == kCar) {
      ++car;
      EXPECT_TRUE(c["tier_id"] == "escalating-high-risk" || c["tier_id"] == "escalating-lower-risk") << c;
      EXPECT_FALSE(c["rank"].is_null());
    } else {
      EXPECT_EQ(c["tier_id"], "high-risk-no-alert") << c["country"];
      EXPECT_EQ(c["open_alerts"], 0);
    }
  }
  EXPECT_EQ(top, 20);
  EXPECT_EQ(car, 1);
  EXPECT_EQ(w["countries"][0]["gw"], kCar);  // escalating rows come first

  std::string page = Slurp(html);
  EXPECT_THAT(page, HasSubstr("<svg"));
  EXPECT_THAT(page, HasSubstr("Central African Republic: deaths per month"));
  std::string text = Slurp(md);
  EXPECT_THAT(text, HasSubstr("## Priority tiers"));
  EXPECT_THAT(text, HasSubstr("(watch-482.svg)"));
  EXPECT_THAT(Slurp((dir_ / "watch-482.svg").string()), HasSubstr("</svg>"));

  // A forecast id that does not exist is an error, not an empty watchlist.
  RunResult bad = Run({"watchlist", "--forecast", "999"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_THAT(bad.err, HasSubstr("999"));
}

TEST_F(AlertsE2E, EmptyStoreGetsClearMessages) {
  RunResult scan = Run({"alerts", "scan"});
  EXPECT_EQ(scan.exit_code, 1);
  EXPECT_THAT(scan.err, HasSubstr("import events"));
  RunResult list = Run({"alerts", "list", "--json"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_TRUE(ParseJson(list).empty());
  RunResult w = Run({"watchlist", "--json"});
  ASSERT_EQ(w.exit_code, 0) << w.err;
  json j = ParseJson(w);
  EXPECT_TRUE(j["countries"].empty());
  EXPECT_THAT(j["notes"].dump(), HasSubstr("No structural risk forecast"));
  EXPECT_THAT(j["notes"].dump(), HasSubstr("No conflict events are stored"));
  RunResult bad_date = Run({"alerts", "scan", "--as-of", "2014-02-30"});
  EXPECT_EQ(bad_date.exit_code, 1);
  EXPECT_THAT(bad_date.err, HasSubstr("--as-of"));
}

}  // namespace
}  // namespace vigil
