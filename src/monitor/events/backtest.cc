#include "monitor/events/backtest.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>

#include "monitor/events/series.h"

namespace vigil::events {

using nlohmann::json;

namespace {

json Num(double v) { return std::isfinite(v) ? json(v) : json(); }

double Median(std::vector<int> v) {
  if (v.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

BacktestSummary Summarize(const AlertBacktestResult& r, int from, int to,
                          const std::map<int, std::set<int>>& observed_years) {
  BacktestSummary s;
  s.from_year = from;
  s.to_year = to;
  std::vector<int> leads;
  for (const OnsetOutcome& o : r.onsets) {
    if (o.year < from || o.year > to) continue;
    ++s.onsets;
    s.onsets_with_data += o.has_data;
    if (o.alerted) {
      ++s.alerted;
      leads.push_back(o.lead_months);
    }
  }
  s.share_alerted = s.onsets ? static_cast<double>(s.alerted) / s.onsets : 0;
  s.median_lead_months = Median(leads);
  for (const AlertEpisode& e : r.alert_episodes) {
    const int y = YearOfMonth(e.first);
    if (y < from || y > to) continue;
    if (e.kind == "false") ++s.false_alarms;
    if (e.kind == "ongoing") ++s.ongoing_alerts;
    if (e.kind == "onset") ++s.onset_alerts;
  }
  for (const auto& [gw, years] : observed_years) {
    for (int y : years) s.country_years += y >= from && y <= to;
  }
  s.false_alarms_per_country_decade =
      s.country_years ? s.false_alarms / (s.country_years / 10.0) : std::numeric_limits<double>::quiet_NaN();
  return s;
}

}  // namespace

json BacktestSummary::ToJson() const {
  return {{"from_year", from_year},
          {"to_year", to_year},
          {"onsets", onsets},
          {"alerted", alerted},
          {"onsets_with_data", onsets_with_data},
          {"share_alerted", share_alerted},
          {"median_lead_months", Num(median_lead_months)},
          {"false_alarms", false_alarms},
          {"alerts_during_ongoing_episodes", ongoing_alerts},
          {"alerts_tied_to_onsets", onset_alerts},
          {"country_years", country_years},
          {"false_alarms_per_country_decade", Num(false_alarms_per_country_decade)}};
}

std::string AlertBacktestProtocolText(const DetectorConfig& config) {
  return fmt::format(
      "Onsets: unique (country, start year) of the episode list with start year in [from_year, "
      "to_year]. Replay: each country's monthly series goes through the threshold and CUSUM "
      "detectors one month at a time (no look-ahead; months before from_year serve as history). "
      "An onset in year Y is alerted if the country has an alarm month in Jan(Y-1)..Sep(Y); lead "
      "time = months from the first such alarm to Dec(Y). Alert episodes: a country's alarm months "
      "from Jan(from_year-1) to Dec(to_year), merged when at most {} month(s) apart. An episode is "
      "'onset' if a month of it lies in Jan(Y-1)..Dec(Y) of an onset Y of the country, else "
      "'ongoing' if a month lies in a year [start, end] of one of the country's episodes (end NA = "
      "end of data), else 'before' if it starts before from_year (not scored), else a false "
      "alarm. False alarms per country-decade = false alarms / (country-years observed / 10); a "
      "country-year is observed when the series has a month present in it.",
      config.backtest.merge_gap_months);
}

AlertBacktestResult RunAlertBacktest(const std::vector<BacktestSeries>& series,
                                     const std::vector<BacktestEpisode>& episodes,
                                     const DetectorConfig& config, const AlertBacktestOptions& options) {
  AlertBacktestResult r;
  r.options = options;
  const MonthIndex window_lo = MakeMonth(options.from_year - 1, 1);
  const MonthIndex window_hi = MakeMonth(options.to_year, 12);

  // Onsets: unique (gw, start year), for scoring those in range and for
  // classifying alert episodes by any of them.
  std::map<std::pair<int, int>, OnsetOutcome> onset_map;
  std::map<int, std::vector<const BacktestEpisode*>> by_country;
  for (const BacktestEpisode& e : episodes) {
    if (e.gw == 0) continue;
    by_country[e.gw].push_back(&e);
    OnsetOutcome& o = onset_map[{e.gw, e.start_year}];
    o.gw = e.gw;
    o.country = e.country;
    o.year = e.start_year;
    o.episodes.push_back(e.code);
  }

  // Replay every series.
  std::map<int, std::vector<std::pair<MonthIndex, std::vector<SeriesAlarm>>>> alarms;
  std::map<int, std::set<int>> observed_years;
  std::map<int, const BacktestSeries*> series_of;
  for (const BacktestSeries& s : series) {
    series_of[s.gw] = &s;
    SeriesMonitor monitor(config.threshold, config.cusum);
    std::vector<SeriesAlarm> month_alarms;
    for (std::size_t t = 0; t < s.values.size(); ++t) {
      const MonthIndex m = s.first + static_cast<MonthIndex>(t);
      month_alarms.clear();
      monitor.Push(s.values[t], &month_alarms);
      const bool present = s.present.empty() || s.present[t];
      if (present) observed_years[s.gw].insert(YearOfMonth(m));
      if (!month_alarms.empty() && m >= window_lo && m <= window_hi) {
        alarms[s.gw].emplace_back(m, month_alarms);
        ++r.alarm_months;
      }
    }
  }
  r.countries = static_cast<int>(series.size());

  // Onsets in range.
  for (auto& [key, o] : onset_map) {
    if (o.year < options.from_year || o.year > options.to_year) continue;
    const MonthIndex lo = MakeMonth(o.year - 1, 1), hi = MakeMonth(o.year, 9);
    auto sit = series_of.find(o.gw);
    if (sit != series_of.end()) {
      const BacktestSeries& s = *sit->second;
      const MonthIndex s_last = s.first + static_cast<MonthIndex>(s.values.size()) - 1;
      o.has_data = s.first <= hi && s_last >= lo;
    }
    std::set<std::string> dets;
    // A country with an onset but no series has no alarms (and no data).
    if (const auto ait = alarms.find(o.gw); ait != alarms.end()) {
      for (const auto& [m, al] : ait->second) {
        if (m < lo || m > hi) continue;
        if (!o.alerted) {
          o.alerted = true;
          o.first_alert = m;
          o.lead_months = MakeMonth(o.year, 12) - m;
        }
        for (const auto& a : al) dets.insert(a.detector);
      }
    }
    o.detectors.assign(dets.begin(), dets.end());
    r.onsets.push_back(o);
  }
  std::sort(r.onsets.begin(), r.onsets.end(), [](const OnsetOutcome& a, const OnsetOutcome& b) {
    return a.year != b.year ? a.year < b.year : a.country < b.country;
  });

  // Alert episodes.
  const int gap = std::max(1, config.backtest.merge_gap_months);
  for (const auto& [gw, list] : alarms) {
    // Every alarm comes from a replayed series, so its series is known.
    const BacktestSeries& s = *series_of.at(gw);
    const std::string& country = s.country;
    std::size_t i = 0;
    while (i < list.size()) {
      std::size_t j = i + 1;
      while (j < list.size() && list[j].first - list[j - 1].first <= gap) ++j;
      AlertEpisode e;
      e.gw = gw;
      e.country = country;
      e.first = list[i].first;
      e.last = list[j - 1].first;
      e.alarm_months = static_cast<int>(j - i);
      for (std::size_t k = i; k < j; ++k) {
        e.peak = std::max(e.peak, s.values[static_cast<std::size_t>(list[k].first - s.first)]);
      }
      // Classify.
      for (std::size_t k = i; k < j && e.kind.empty(); ++k) {
        const MonthIndex m = list[k].first;
        for (const auto& [key, o] : onset_map) {
          if (key.first != gw) continue;
          if (m >= MakeMonth(o.year - 1, 1) && m <= MakeMonth(o.year, 12)) {
            e.kind = "onset";
            e.related = fmt::format("{} {}", o.country, o.year);
            break;
          }
        }
      }
      if (e.kind.empty()) {
        for (std::size_t k = i; k < j && e.kind.empty(); ++k) {
          const int y = YearOfMonth(list[k].first);
          for (const BacktestEpisode* ep : by_country[gw]) {
            const int end = ep->end_year == 0 ? std::numeric_limits<int>::max() : ep->end_year;
            if (y >= ep->start_year && y <= end) {
              e.kind = "ongoing";
              e.related = ep->code;
              break;
            }
          }
        }
      }
      if (e.kind.empty()) e.kind = e.first < MakeMonth(options.from_year, 1) ? "before" : "false";
      r.alert_episodes.push_back(std::move(e));
      i = j;
    }
  }
  std::sort(r.alert_episodes.begin(), r.alert_episodes.end(), [](const AlertEpisode& a, const AlertEpisode& b) {
    return a.first != b.first ? a.first < b.first : a.gw < b.gw;
  });

  r.summary = Summarize(r, options.from_year, options.to_year, observed_years);
  if (options.split_year > options.from_year && options.split_year <= options.to_year) {
    r.periods.push_back(Summarize(r, options.from_year, options.split_year - 1, observed_years));
    r.periods.push_back(Summarize(r, options.split_year, options.to_year, observed_years));
  }
  return r;
}

json AlertBacktestResult::ToJson(const DetectorConfig& config) const {
  json j = summary.ToJson();
  j["countries"] = countries;
  j["alarm_months"] = alarm_months;
  j["alerts"] = alert_episodes.size();
  j["series"] = options.series;
  j["protocol"] = {{"text", AlertBacktestProtocolText(config)},
                   {"from_year", options.from_year},
                   {"to_year", options.to_year},
                   {"alert_window", "Jan(Y-1)..Sep(Y)"},
                   {"lead_to", "Dec(Y)"},
                   {"merge_gap_months", config.backtest.merge_gap_months},
                   {"split_year", options.split_year ? json(options.split_year) : json()}};
  j["detectors"] = config.ToJson();
  json periods = json::array();
  for (const auto& p : this->periods) periods.push_back(p.ToJson());
  j["periods"] = periods;
  json rows = json::array();
  for (const OnsetOutcome& o : onsets) {
    rows.push_back({{"country", o.country},
                    {"gw", o.gw},
                    {"year", o.year},
                    {"episodes", o.episodes},
                    {"has_data", o.has_data},
                    {"alerted", o.alerted},
                    {"first_alert_month", o.alerted ? json(FormatMonth(o.first_alert)) : json()},
                    {"lead_months", o.alerted ? json(o.lead_months) : json()},
                    {"detectors", o.detectors}});
  }
  j["onset_rows"] = rows;
  json eps = json::array();
  for (const AlertEpisode& e : alert_episodes) {
    eps.push_back({{"country", e.country},
                   {"gw", e.gw},
                   {"first_month", FormatMonth(e.first)},
                   {"last_month", FormatMonth(e.last)},
                   {"alarm_months", e.alarm_months},
                   {"peak", e.peak},
                   {"kind", e.kind},
                   {"related", e.related.empty() ? json() : json(e.related)}});
  }
  j["alert_episodes"] = eps;
  return j;
}

}  // namespace vigil::events
