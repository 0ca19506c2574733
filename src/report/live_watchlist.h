// Live watchlist: the structural risk forecast (Step 0's slow signal: where a
// mass killing could start in the next two years) combined with live
// escalation alerts (the fast signal: where violence against civilians is
// rising now), one row per country an analyst should look at, with a
// priority tier that says what to do with it. Rendered as JSON, Markdown or a
// self-contained HTML page with a small chart of monthly deaths per alerted
// country. Every number comes from the inputs; nothing is added.
//
// Priority tiers (a country is "high structural risk" when the forecast ranks
// it within the top N; an alert is "open" when its status is new or
// acknowledged and its trigger month lies in the alert window):
//   1 escalating-high-risk     high structural risk and escalating: open
//                              alerts in a top-N country. Act first: the model
//                              expected trouble and the events confirm it.
//   2 escalating-lower-risk    escalating despite lower structural risk: open
//                              alerts in a country ranked below N (or absent
//                              from the forecast). Check it is not noise; if
//                              confirmed, a surprise the model missed.
//   3 escalating-no-forecast   escalating, no structural forecast stored, so
//                              risk cannot be weighed in.
//   4 high-risk-no-alert       high structural risk, no live alert: keep under
//                              routine monitoring; absence of alerts only
//                              means something if the event data cover it
//                              (the row shows its event count in the window).
//   5 high-risk-no-event-data  high structural risk, and no events are stored
//                              for the alert window at all: alerts could not
//                              be computed; import recent events.
// Rows are ordered by tier; within tiers 1-3 by highest open severity, then
// number of open alerts, then rank; within tiers 4-5 by rank.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/event.h"

namespace vigil::report {

// ---- Inputs (plain data the CLI reads from the store) ------------------------

struct LiveForecastRow {
  int gw = 0;  // 0 when the forecast row names no vigil country
  std::string country;
  int rank = 0;
  double risk = 0;
  double risk_lo = 0, risk_hi = 0;  // NaN without an interval
  std::vector<std::string> triage;
};

struct LiveForecast {
  std::int64_t run_id = 0;
  std::string created_at;
  std::string model;
  int base_year = 0, target_first = 0, target_last = 0;
  std::vector<LiveForecastRow> rows;  // any order
};

struct LiveAlert {
  std::int64_t id = 0;
  std::string detector;
  int gw = 0;
  std::string country;  // display name
  std::string unit;
  MonthIndex month = 0;
  std::string severity;  // "low", "medium", "high", "critical"
  double score = 0;
  std::string summary;
  std::string status;  // "new" or "acknowledged"
};

struct LiveWatchlistInput {
  Day as_of = 0;            // the day the watchlist describes
  std::string as_of_basis;  // how as_of was chosen, e.g. "--as-of", "latest alert scan cut-off"
  int window_months = 12;   // alert window: the window_months months ending with MonthOf(as_of)
  int top = 30;             // "high structural risk" = forecast rank <= top
  std::optional<LiveForecast> forecast;       // nullopt: no forecast stored
  std::optional<Day> latest_event_day;        // latest stored event on or before as_of
  std::optional<Day> latest_scan_as_of;       // latest data cut-off of any stored alert
  std::vector<LiveAlert> alerts;              // open alerts; others are ignored
  // Events of the watchlist's countries dated in the chart window (the 24
  // months ending with as_of) or longer; events outside it are ignored.
  const EventColumns* events = nullptr;
};

// ---- Output -------------------------------------------------------------------

enum class Tier {
  kEscalatingHighRisk = 1,
  kEscalatingLowerRisk = 2,
  kEscalatingNoForecast = 3,
  kHighRiskNoAlert = 4,
  kHighRiskNoEventData = 5,
};
const char* TierId(Tier t);     // "escalating-high-risk", ...
const char* TierLabel(Tier t);  // "high structural risk and escalating", ...
const char* TierAdvice(Tier t); // one sentence: what the analyst should do

inline constexpr int kChartMonths = 24;

// Monthly deaths of one country over the chart window.
struct MonthlySeries {
  MonthIndex first = 0;                  // first month shown
  std::vector<std::int64_t> deaths;      // deaths_best summed, one per month
  std::vector<std::int64_t> civilians;   // events::CivilianDeaths summed
  std::vector<bool> alert;               // month has an open alert
};

struct LiveWatchRow {
  int gw = 0;
  std::string country;
  Tier tier = Tier::kHighRiskNoAlert;
  std::optional<LiveForecastRow> forecast;  // the country's forecast row, if any
  bool high_risk = false;                   // forecast rank <= top
  int open_alerts = 0;
  std::map<std::string, int> alerts_by_detector;
  std::string highest_severity;  // "" without open alerts
  MonthIndex latest_month = 0;   // latest open alert's month (0 without)
  std::string latest_summary;    // that alert's summary (most severe one of that month)
  std::vector<std::int64_t> alert_ids;  // open alerts, newest first
  std::int64_t events_in_window = 0;    // stored events in the alert window
  std::optional<MonthlySeries> series;  // for countries with open alerts
};

struct LiveWatchlist {
  Day as_of = 0;
  std::string as_of_basis;
  MonthIndex window_first = 0, window_last = 0;
  int top = 0;
  std::optional<LiveForecast> forecast;  // rows dropped (they are in `rows`)
  std::optional<Day> latest_event_day;
  std::optional<Day> latest_scan_as_of;
  std::vector<std::string> notes;  // what is missing or stale, in plain words
  std::vector<LiveWatchRow> rows;
};

LiveWatchlist BuildLiveWatchlist(const LiveWatchlistInput& in);

nlohmann::json LiveWatchlistJson(const LiveWatchlist& w);

// A small SVG chart of a row's monthly deaths (grey) and civilian deaths
// (red) with alert months marked; "" when the row has no series.
std::string CountrySeriesSvg(const LiveWatchRow& row);

// Markdown. Charts are referenced as chart_prefix + "<gw>.svg" for every row
// with a series (write CountrySeriesSvg() to those files), or left out when
// chart_prefix is empty.
std::string LiveWatchlistMarkdown(const LiveWatchlist& w, const std::string& chart_prefix);

// A single HTML page, charts inline, no external resources.
std::string LiveWatchlistHtml(const LiveWatchlist& w);

}  // namespace vigil::report
