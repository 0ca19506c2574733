// Alert backtest: replays monthly series of deaths per country month by
// month through the count detectors (threshold and CUSUM, series.h) and
// scores the alerts against mass-killing onsets (EWP's episode list).
//
// Protocol (docs/alerts.md; also written into the JSON):
// - Onsets are the unique (country, start year) pairs of the episode list
//   with start year in [from_year, to_year]; two episodes that start in the
//   same country and year are one onset.
// - Alarm months: months in which any enabled count detector alarms. The
//   detectors see each country's series from its first month on (earlier
//   months only serve as history), one month at a time.
// - An onset in year Y is alerted when its country has an alarm month in
//   Jan(Y-1) .. Sep(Y), i.e. at least 3 months before the end of the onset
//   year. Its lead time is Dec(Y) minus the first such month, in months.
// - Alert episodes: a country's alarm months, in order, where two alarm
//   months at most `merge_gap_months` apart are one episode (1: consecutive
//   months only). Only alarm months from Jan(from_year - 1) to Dec(to_year)
//   are used.
// - Each alert episode is classified, in this order: "onset" if one of its
//   months lies in Jan(Y-1)..Dec(Y) of an onset (any year) of the country;
//   "ongoing" if one of its months lies in a year [start, end] of an episode
//   of the country (an ongoing episode, end NA, runs to the end of the
//   data); "before" if it starts before Jan(from_year) (not scored); else a
//   "false" alarm.
// - False alarms per country-decade = false alarms / (country-years / 10),
//   where country-years counts the years in [from_year, to_year] in which the
//   country's series has at least one month present.
// A split year S reports the same numbers for onsets and false alarms in
// [from, S-1] and [S, to] (an episode counts in the period of its first month).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/event.h"
#include "monitor/events/detect.h"

namespace vigil::events {

struct BacktestSeries {
  int gw = 0;
  std::string country;      // display name
  MonthIndex first = 0;     // month of values[0]
  std::vector<double> values;
  std::vector<std::uint8_t> present;  // empty = every month present
};

struct BacktestEpisode {
  int gw = 0;          // 0 = unresolved (reported, never scored)
  std::string country;
  std::string code;    // episode code, e.g. "sdn2023ns1"
  int start_year = 0;
  int end_year = 0;    // 0 = ongoing
};

struct AlertBacktestOptions {
  int from_year = 2010;
  int to_year = 2024;
  int split_year = 0;        // 0 = no split
  std::string series;        // what the series count, e.g. "total fatalities (UCDP country-month)"
};

struct OnsetOutcome {
  int gw = 0;
  std::string country;
  int year = 0;
  std::vector<std::string> episodes;  // codes of the episodes starting then
  bool has_data = false;              // the country has a series covering part of the window
  bool alerted = false;
  MonthIndex first_alert = 0;         // first alarm month in the window (when alerted)
  int lead_months = 0;
  std::vector<std::string> detectors;  // detectors alarming in the window
};

struct AlertEpisode {
  int gw = 0;
  std::string country;
  MonthIndex first = 0, last = 0;
  int alarm_months = 0;
  double peak = 0;          // largest monthly count among its alarm months
  std::string kind;         // "onset", "ongoing", "before", "false"
  std::string related;      // onset "country year" or episode code
};

struct BacktestSummary {
  int from_year = 0, to_year = 0;
  int onsets = 0, alerted = 0;
  int onsets_with_data = 0;  // onsets whose country has a series overlapping the alert window
  double share_alerted = 0;  // alerted / onsets (onsets without data count as missed)
  double median_lead_months = 0;  // NaN when nothing was alerted
  int false_alarms = 0;
  int ongoing_alerts = 0;  // alert episodes during ongoing episodes
  int onset_alerts = 0;    // alert episodes tied to an onset window
  int country_years = 0;
  double false_alarms_per_country_decade = 0;
  nlohmann::json ToJson() const;
};

struct AlertBacktestResult {
  AlertBacktestOptions options;
  BacktestSummary summary;
  std::vector<BacktestSummary> periods;  // with a split year: [from, S-1] and [S, to]
  std::vector<OnsetOutcome> onsets;
  std::vector<AlertEpisode> alert_episodes;
  int countries = 0;
  int alarm_months = 0;
  // JSON of everything, with `config` as the detector parameters.
  nlohmann::json ToJson(const DetectorConfig& config) const;
};

// Runs the protocol above. Episodes with gw 0 are ignored (the caller reports
// them); onsets of countries without a series count as not alerted.
AlertBacktestResult RunAlertBacktest(const std::vector<BacktestSeries>& series,
                                     const std::vector<BacktestEpisode>& episodes,
                                     const DetectorConfig& config, const AlertBacktestOptions& options);

// The protocol in words (the JSON's "protocol.text").
std::string AlertBacktestProtocolText(const DetectorConfig& config);

}  // namespace vigil::events
