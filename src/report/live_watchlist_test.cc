#include "report/live_watchlist.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <regex>

namespace vigil::report {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr int kMyanmar = 775, kCar = 482, kSudan = 625, kMali = 432, kChad = 483;

// Checks that `xml` is well formed: tags nest and close, attribute values
// are quoted, '&' only starts an entity, and there is one root element.
// Returns "" or what is wrong.
std::string WellFormed(const std::string& xml, bool html = false) {
  std::vector<std::string> open;
  int roots = 0;
  std::size_t i = 0;
  static const std::regex kEntity("^&(amp|lt|gt|quot|apos|#[0-9]+);");
  while (i < xml.size()) {
    if (xml[i] == '&') {
      std::smatch m;
      std::string rest = xml.substr(i, 12);
      if (!std::regex_search(rest, m, kEntity)) return "bare & at " + std::to_string(i);
      ++i;
      continue;
    }
    if (xml[i] != '<') {
      ++i;
      continue;
    }
    if (xml.compare(i, 9, "<!DOCTYPE") == 0) {
      i = xml.find('>', i) + 1;
      continue;
    }
    std::size_t end = i + 1;
    char quote = 0;
    for (; end < xml.size(); ++end) {
      if (quote) {
        if (xml[end] == quote) quote = 0;
        if (xml[end] == '<') return "'<' inside an attribute at " + std::to_string(end);
      } else if (xml[end] == '"' || xml[end] == '\'') {
        quote = xml[end];
      } else if (xml[end] == '>') {
        break;
      }
    }
    if (end >= xml.size()) return "unterminated tag at " + std::to_string(i);
    std::string tag = xml.substr(i + 1, end - i - 1);
    i = end + 1;
    if (tag.empty()) return "empty tag";
    if (tag[0] == '/') {
      std::string name = tag.substr(1);
      if (open.empty() || open.back() != name) {
        return "</" + name + "> closes " + (open.empty() ? std::string("nothing") : "<" + open.back() + ">");
      }
      open.pop_back();
      continue;
    }
    const bool self_closing = tag.back() == '/';
    std::string name = tag.substr(0, tag.find_first_of(" \t\n/"));
    // Attributes: name="value" pairs only.
    std::string attrs = tag.substr(name.size(), tag.size() - name.size() - (self_closing ? 1 : 0));
    static const std::regex kAttrs(R"(^(\s+[A-Za-z_:][-A-Za-z0-9_:.]*="[^"]*")*\s*$)");
    if (!std::regex_match(attrs, kAttrs)) return "bad attributes in <" + tag + ">";
    if (html && name == "meta") continue;  // void element
    if (open.empty()) ++roots;
    if (!self_closing) open.push_back(name);
  }
  if (!open.empty()) return "<" + open.back() + "> never closed";
  if (roots != 1) return std::to_string(roots) + " root elements";
  return "";
}

LiveForecastRow FRow(int gw, const std::string& name, int rank, double risk,
                     std::vector<std::string> triage = {}) {
  return {gw, name, rank, risk, risk * 0.7, risk * 1.3, std::move(triage)};
}

LiveAlert Alert(std::int64_t id, const std::string& detector, int gw, const std::string& country,
                MonthIndex month, const std::string& severity, const std::string& status = "new") {
  LiveAlert a;
  a.id = id;
  a.detector = detector;
  a.gw = gw;
  a.country = country;
  a.month = month;
  a.severity = severity;
  a.score = 3;
  a.summary = detector + " in " + country + " " + FormatMonth(month);
  a.status = status;
  return a;
}

void AddEvent(EventColumns* e, int gw, Day day, int deaths, int civilians, Violence v) {
  Event ev;
  ev.gw = gw;
  ev.date_start = ev.date_end = day;
  ev.deaths_best = deaths;
  ev.deaths_civilians = civilians;
  ev.violence = v;
  e->Append(ev, static_cast<std::int64_t>(e->size()) + 1);
}

struct Fixture {
  LiveWatchlistInput in;
  EventColumns events;
  Fixture() {
    in.as_of = DaysFromCivil(2014, 1, 31);
    in.as_of_basis = "--as-of";
    in.window_months = 12;
    in.top = 2;
    LiveForecast f;
    f.run_id = 7;
    f.model = "ensemble";
    f.created_at = "2026-11-23T10:00:00Z";
    f.base_year = 2013;
    f.target_first = 2014;
    f.target_last = 2015;
    f.rows = {FRow(kSudan, "Sudan", 5, 0.03), FRow(kMyanmar, "Myanmar", 1, 0.10, {"top-risk"}),
              FRow(kCar, "Central African Republic", 2, 0.08, {"top-risk", "big-mover"})};
    in.forecast = f;
    in.latest_event_day = DaysFromCivil(2014, 1, 30);
    in.latest_scan_as_of = DaysFromCivil(2014, 1, 31);
    in.alerts = {
        Alert(1, "threshold", kCar, "CAR", MakeMonth(2013, 12), "critical"),
        Alert(2, "cusum", kCar, "CAR", MakeMonth(2013, 3), "medium", "acknowledged"),
        Alert(3, "cusum", kCar, "CAR", MakeMonth(2013, 12), "high"),
        Alert(4, "spread", kSudan, "Sudan", MakeMonth(2013, 9), "high"),
        Alert(5, "new-pair", kMali, "Mali", MakeMonth(2013, 6), "low"),
        Alert(6, "threshold", kChad, "Chad", MakeMonth(2013, 6), "critical", "dismissed"),
        Alert(7, "threshold", kChad, "Chad", MakeMonth(2012, 12), "critical"),  // before the window
    };
    // CAR: 2013-12 one-sided 100 deaths, battle 40 deaths of which 5 civilians; 2012-02 (in the chart
    // window) 3 deaths; 2011-12 (outside it) 1000; 2014-02 (after as-of) 500.
    AddEvent(&events, kCar, DaysFromCivil(2013, 12, 5), 100, 0, Violence::kOneSided);
    AddEvent(&events, kCar, DaysFromCivil(2013, 12, 20), 40, 5, Violence::kStateBased);
    AddEvent(&events, kCar, DaysFromCivil(2012, 2, 1), 3, 0, Violence::kNonState);
    AddEvent(&events, kCar, DaysFromCivil(2011, 12, 31), 1000, 0, Violence::kOneSided);
    AddEvent(&events, kCar, DaysFromCivil(2014, 2, 1), 500, 0, Violence::kOneSided);
    AddEvent(&events, kMyanmar, DaysFromCivil(2013, 5, 1), 2, 0, Violence::kStateBased);
    in.events = &events;
  }
};

TEST(LiveWatchlistTest, TiersRowsAndOrder) {
  Fixture fx;
  LiveWatchlist w = BuildLiveWatchlist(fx.in);
  EXPECT_EQ(w.window_first, MakeMonth(2013, 2));
  EXPECT_EQ(w.window_last, MakeMonth(2014, 1));
  ASSERT_EQ(w.rows.size(), 4u);  // CAR, Sudan, Mali (alerted), Myanmar (top 2); not Chad
  EXPECT_EQ(w.rows[0].country, "Central African Republic");
  EXPECT_EQ(w.rows[0].tier, Tier::kEscalatingHighRisk);
  EXPECT_EQ(w.rows[0].open_alerts, 3);
  EXPECT_EQ(w.rows[0].alerts_by_detector.at("cusum"), 2);
  EXPECT_EQ(w.rows[0].highest_severity, "critical");
  EXPECT_EQ(w.rows[0].latest_month, MakeMonth(2013, 12));
  EXPECT_EQ(w.rows[0].latest_summary, "threshold in CAR 2013-12");  // the most severe of that month
  EXPECT_EQ(w.rows[0].events_in_window, 2);
  ASSERT_TRUE(w.rows[0].forecast.has_value());
  EXPECT_EQ(w.rows[0].forecast->rank, 2);

  // Below the top 2, and absent from the forecast: escalating despite lower risk;
  // higher severity first.
  EXPECT_EQ(w.rows[1].country, "Sudan");
  EXPECT_EQ(w.rows[1].tier, Tier::kEscalatingLowerRisk);
  EXPECT_FALSE(w.rows[1].high_risk);
  EXPECT_EQ(w.rows[1].forecast->rank, 5);
  EXPECT_EQ(w.rows[2].country, "Mali");
  EXPECT_EQ(w.rows[2].tier, Tier::kEscalatingLowerRisk);
  EXPECT_FALSE(w.rows[2].forecast.has_value());
  EXPECT_EQ(w.rows[3].country, "Myanmar");
  EXPECT_EQ(w.rows[3].tier, Tier::kHighRiskNoAlert);
  EXPECT_EQ(w.rows[3].events_in_window, 1);
  EXPECT_FALSE(w.rows[3].series.has_value());
  EXPECT_TRUE(w.notes.empty()) << w.notes[0];

  // The chart series: 24 months to as-of, nothing after as-of or before the window.
  const auto& s = *w.rows[0].series;
  EXPECT_EQ(s.first, MakeMonth(2012, 2));
  ASSERT_EQ(s.deaths.size(), 24u);
  EXPECT_EQ(s.deaths[0], 3);
  EXPECT_EQ(s.deaths[22], 140);
  EXPECT_EQ(s.civilians[22], 105);
  EXPECT_EQ(s.deaths[23], 0);
  EXPECT_TRUE(s.alert[22]);
  EXPECT_TRUE(s.alert[13]);  // 2013-03
  EXPECT_FALSE(s.alert[23]);
  std::int64_t total = 0;
  for (auto d : s.deaths) total += d;
  EXPECT_EQ(total, 143);
}

TEST(LiveWatchlistTest, WorksWithOnlyAlertsOrOnlyAForecastAndSaysWhatIsMissing) {
  Fixture fx;
  fx.in.forecast.reset();
  LiveWatchlist alerts_only = BuildLiveWatchlist(fx.in);
  ASSERT_EQ(alerts_only.rows.size(), 3u);
  for (const auto& r : alerts_only.rows) EXPECT_EQ(r.tier, Tier::kEscalatingNoForecast) << r.country;
  ASSERT_FALSE(alerts_only.notes.empty());
  EXPECT_THAT(alerts_only.notes[0], HasSubstr("No structural risk forecast"));
  EXPECT_TRUE(LiveWatchlistJson(alerts_only)["forecast"].is_null());

  Fixture fx2;
  fx2.in.alerts.clear();
  fx2.in.latest_event_day.reset();
  fx2.in.latest_scan_as_of.reset();
  fx2.in.events = nullptr;
  LiveWatchlist forecast_only = BuildLiveWatchlist(fx2.in);
  ASSERT_EQ(forecast_only.rows.size(), 2u);
  EXPECT_EQ(forecast_only.rows[0].country, "Myanmar");
  for (const auto& r : forecast_only.rows) EXPECT_EQ(r.tier, Tier::kHighRiskNoEventData);
  ASSERT_EQ(forecast_only.notes.size(), 1u);
  EXPECT_THAT(forecast_only.notes[0], HasSubstr("No conflict events are stored"));

  // Events stored but never scanned, and a forecast whose window has passed.
  Fixture fx3;
  fx3.in.alerts.clear();
  fx3.in.latest_scan_as_of.reset();
  fx3.in.as_of = DaysFromCivil(2016, 3, 1);
  fx3.in.latest_event_day = DaysFromCivil(2016, 1, 10);
  fx3.in.events = nullptr;
  LiveWatchlist stale = BuildLiveWatchlist(fx3.in);
  std::string notes;
  for (const auto& n : stale.notes) notes += n + "\n";
  EXPECT_THAT(notes, HasSubstr("out of date"));
  EXPECT_THAT(notes, HasSubstr("2016-01-10"));
  EXPECT_THAT(notes, HasSubstr("vigil alerts scan"));

  // Events that do not cover a high-risk country: said, since "no alert" means nothing there.
  Fixture fx4;
  fx4.in.top = 5;
  LiveWatchlist partial = BuildLiveWatchlist(fx4.in);
  ASSERT_EQ(partial.notes.size(), 0u);  // Myanmar has an event in the window; Sudan has an alert
  fx4.events = EventColumns();
  AddEvent(&fx4.events, kCar, DaysFromCivil(2013, 12, 5), 100, 0, Violence::kOneSided);
  partial = BuildLiveWatchlist(fx4.in);
  ASSERT_EQ(partial.notes.size(), 1u);
  EXPECT_THAT(partial.notes[0], HasSubstr("1 high-risk country without alerts has no stored events in the "
                                          "alert window (Myanmar)"));
}

TEST(LiveWatchlistTest, JsonHasEveryRowWithTierAndForecast) {
  Fixture fx;
  nlohmann::json j = LiveWatchlistJson(BuildLiveWatchlist(fx.in));
  EXPECT_EQ(j["as_of"], "2014-01-31");
  EXPECT_EQ(j["alert_window"]["first"], "2013-02");
  EXPECT_EQ(j["forecast"]["run_id"], 7);
  EXPECT_EQ(j["tiers"].size(), 5u);
  EXPECT_EQ(j["tiers"][0]["countries"], 1);
  ASSERT_EQ(j["countries"].size(), 4u);
  const auto& car = j["countries"][0];
  EXPECT_EQ(car["gw"], kCar);
  EXPECT_EQ(car["tier_id"], "escalating-high-risk");
  EXPECT_EQ(car["rank"], 2);
  EXPECT_NEAR(car["risk"].get<double>(), 0.08, 1e-12);
  EXPECT_EQ(car["alerts_by_detector"]["cusum"], 2);
  EXPECT_EQ(car["alert_ids"], nlohmann::json({3, 1, 2}));  // newest month first
  EXPECT_EQ(car["series"]["deaths"][22], 140);
  EXPECT_EQ(car["series"]["months"][23], "2014-01");
  EXPECT_TRUE(j["countries"][2]["rank"].is_null());  // Mali: not in the forecast
  EXPECT_FALSE(j["countries"][3].contains("series"));
}

TEST(LiveWatchlistTest, MarkdownHasTiersRowsAndCharts) {
  Fixture fx;
  LiveWatchlist w = BuildLiveWatchlist(fx.in);
  std::string md = LiveWatchlistMarkdown(w, "watch-");
  for (Tier t : {Tier::kEscalatingHighRisk, Tier::kEscalatingLowerRisk, Tier::kEscalatingNoForecast,
                 Tier::kHighRiskNoAlert, Tier::kHighRiskNoEventData}) {
    EXPECT_THAT(md, HasSubstr(TierLabel(t)));
    EXPECT_THAT(md, HasSubstr(TierAdvice(t)));
  }
  EXPECT_THAT(md, HasSubstr("| 1 | Central African Republic | 2 | 8.0% (5.6–10.4%) | top-risk, big-mover | "
                            "3 (2 cusum, 1 threshold) | critical | 2013-12: threshold in CAR 2013-12 |"));
  EXPECT_THAT(md, HasSubstr("| 4 | Myanmar | 1 |"));
  EXPECT_THAT(md, HasSubstr("none (1 events in window)"));
  EXPECT_THAT(md, HasSubstr("![Central African Republic deaths per month](watch-482.svg)"));
  EXPECT_THAT(md, HasSubstr("![Mali deaths per month](watch-432.svg)"));
  EXPECT_THAT(md, Not(HasSubstr("watch-775.svg")));  // no alert, no chart
  EXPECT_THAT(md, Not(HasSubstr("Chad")));
  EXPECT_THAT(LiveWatchlistMarkdown(w, ""), Not(HasSubstr(".svg")));
}

TEST(LiveWatchlistTest, SvgAndHtmlAreWellFormed) {
  Fixture fx;
  fx.in.alerts[0].summary = "deaths <rose> & \"tripled\"";
  LiveWatchlist w = BuildLiveWatchlist(fx.in);
  std::string svg = CountrySeriesSvg(w.rows[0]);
  EXPECT_EQ(WellFormed(svg), "");
  EXPECT_THAT(svg, HasSubstr("Dec 2013: 140 deaths, 105 civilian deaths, open alert"));
  // Bars scale to a round axis top (150 for a peak of 140).
  EXPECT_THAT(svg, HasSubstr(">150</text>"));
  EXPECT_EQ(CountrySeriesSvg(w.rows[3]), "");  // no alert, no series
  // An all-zero series still draws a valid chart.
  LiveWatchRow quiet = w.rows[2];
  EXPECT_EQ(WellFormed(CountrySeriesSvg(quiet)), "");

  std::string html = LiveWatchlistHtml(w);
  EXPECT_EQ(WellFormed(html, /*html=*/true), "");
  EXPECT_THAT(html, HasSubstr("deaths &lt;rose&gt; &amp; &quot;tripled&quot;"));
  EXPECT_THAT(html, HasSubstr("<svg"));
  EXPECT_THAT(html, HasSubstr("high structural risk and escalating"));
  // The checker itself catches broken markup.
  EXPECT_NE(WellFormed("<svg><g></svg>"), "");
  EXPECT_NE(WellFormed("<svg a=b></svg>"), "");
  EXPECT_NE(WellFormed("<svg>a & b</svg>"), "");
}

}  // namespace
}  // namespace vigil::report
