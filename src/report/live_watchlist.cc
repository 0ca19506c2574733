#include "report/live_watchlist.h"

#include <fmt/format.h>

#include <algorithm>
#include <cassert>
#include <cmath>

#include "monitor/events/detect.h"  // CivilianDeaths
#include "report/watchlist.h"       // HtmlEscape, ReportCss

namespace vigil::report {

namespace {

int SeverityRank(const std::string& s) {
  static const char* kLevels[] = {"low", "medium", "high", "critical"};
  for (int i = 0; i < 4; ++i) {
    if (s == kLevels[i]) return i;
  }
  return -1;
}

std::string Pct(double p) { return std::isfinite(p) ? fmt::format("{:.1f}%", 100 * p) : "–"; }

std::string RiskText(const LiveForecastRow& f) {
  if (!std::isfinite(f.risk_lo)) return Pct(f.risk);
  return fmt::format("{} ({:.1f}–{:.1f}%)", Pct(f.risk), 100 * f.risk_lo, 100 * f.risk_hi);
}

nlohmann::json Finite(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

std::string Join(const std::vector<std::string>& v, const std::string& sep) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : sep) + x;
  return s;
}

std::string ByDetector(const LiveWatchRow& r) {
  std::string s;
  for (const auto& [d, n] : r.alerts_by_detector) s += fmt::format("{}{} {}", s.empty() ? "" : ", ", n, d);
  return s;
}

const char* kMonthNames[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                             "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

std::string MonthLabel(MonthIndex m) {
  return fmt::format("{} {}", kMonthNames[MonthOfYear(m) - 1], YearOfMonth(m));
}

constexpr Tier kTiers[] = {Tier::kEscalatingHighRisk, Tier::kEscalatingLowerRisk,
                           Tier::kEscalatingNoForecast, Tier::kHighRiskNoAlert,
                           Tier::kHighRiskNoEventData};

int TierCount(const LiveWatchlist& w, Tier t) {
  return static_cast<int>(std::count_if(w.rows.begin(), w.rows.end(), [t](const auto& r) { return r.tier == t; }));
}

std::string ForecastLine(const LiveWatchlist& w) {
  if (!w.forecast) return "Structural risk: no forecast stored.";
  const auto& f = *w.forecast;
  return fmt::format(
      "Structural risk: forecast run {} (model {}, made {}) of the risk of a new mass-killing onset "
      "in {}–{} from data for {}; high structural risk = rank 1–{}.",
      f.run_id, f.model, f.created_at, f.target_first, f.target_last, f.base_year, w.top);
}

std::string AlertLine(const LiveWatchlist& w) {
  std::string s = fmt::format("Live alerts: open (new or acknowledged) alerts triggered in {}–{} ({} months).",
                              FormatMonth(w.window_first), FormatMonth(w.window_last),
                              w.window_last - w.window_first + 1);
  s += w.latest_event_day ? fmt::format(" Latest stored event: {}.", FormatDate(*w.latest_event_day))
                          : " No events stored up to the as-of date.";
  if (w.latest_scan_as_of) s += fmt::format(" Latest alert scan cut-off: {}.", FormatDate(*w.latest_scan_as_of));
  return s;
}

}  // namespace

const char* TierId(Tier t) {
  switch (t) {
    case Tier::kEscalatingHighRisk: return "escalating-high-risk";
    case Tier::kEscalatingLowerRisk: return "escalating-lower-risk";
    case Tier::kEscalatingNoForecast: return "escalating-no-forecast";
    case Tier::kHighRiskNoAlert: return "high-risk-no-alert";
    case Tier::kHighRiskNoEventData: return "high-risk-no-event-data";
  }
  return "";
}

const char* TierLabel(Tier t) {
  switch (t) {
    case Tier::kEscalatingHighRisk: return "high structural risk and escalating";
    case Tier::kEscalatingLowerRisk: return "escalating despite lower structural risk";
    case Tier::kEscalatingNoForecast: return "escalating (no structural forecast)";
    case Tier::kHighRiskNoAlert: return "high structural risk, no live alert";
    case Tier::kHighRiskNoEventData: return "high structural risk, no event data";
  }
  return "";
}

const char* TierAdvice(Tier t) {
  switch (t) {
    case Tier::kEscalatingHighRisk:
      return "Act first: the model expected trouble and the events confirm it; review the evidence "
             "and start situation analysis.";
    case Tier::kEscalatingLowerRisk:
      return "Check the evidence is not noise or a reporting artefact; if it holds, this is a surprise "
             "the structural model missed.";
    case Tier::kEscalatingNoForecast:
      return "Review the evidence; run a forecast to weigh structural risk in.";
    case Tier::kHighRiskNoAlert:
      return "Keep under routine monitoring; no alert only reassures if the event data cover the "
             "country (see its events in the window).";
    case Tier::kHighRiskNoEventData:
      return "Alerts could not be computed: import recent events for the alert window.";
  }
  return "";
}

LiveWatchlist BuildLiveWatchlist(const LiveWatchlistInput& in) {
  assert(in.window_months >= 1 && in.top >= 0);
  LiveWatchlist w;
  w.as_of = in.as_of;
  w.as_of_basis = in.as_of_basis;
  w.window_last = MonthOf(in.as_of);
  w.window_first = w.window_last - in.window_months + 1;
  w.top = in.top;
  w.latest_event_day = in.latest_event_day;
  w.latest_scan_as_of = in.latest_scan_as_of;
  const Day window_first_day = FirstDayOfMonth(w.window_first);
  const bool have_window_events = in.latest_event_day && *in.latest_event_day >= window_first_day;

  // Rows keyed by gw; forecast rows without a vigil country get keys below 0.
  std::map<int, LiveWatchRow> rows;
  std::map<int, const LiveForecastRow*> forecast_by_gw;
  if (in.forecast) {
    w.forecast = *in.forecast;
    w.forecast->rows.clear();
    for (const auto& f : in.forecast->rows) {
      if (f.gw) forecast_by_gw[f.gw] = &f;
      if (f.rank > in.top) continue;
      const int key = f.gw ? f.gw : -f.rank;
      LiveWatchRow& r = rows[key];
      r.gw = f.gw;
      r.country = f.country;
      r.forecast = f;
      r.high_risk = true;
    }
  }
  std::map<int, std::string> latest_severity;  // of the alert whose summary a row shows
  std::map<std::int64_t, MonthIndex> alert_month;
  for (const auto& a : in.alerts) {
    if (a.status != "new" && a.status != "acknowledged") continue;
    if (a.month < w.window_first || a.month > w.window_last) continue;
    LiveWatchRow& r = rows[a.gw];
    std::string& shown = latest_severity[a.gw];
    if (r.gw == 0) {
      r.gw = a.gw;
      r.country = a.country;
      if (auto it = forecast_by_gw.find(a.gw); it != forecast_by_gw.end()) {
        r.forecast = *it->second;
        r.country = it->second->country;
      }
    }
    ++r.open_alerts;
    ++r.alerts_by_detector[a.detector];
    if (SeverityRank(a.severity) > SeverityRank(r.highest_severity)) r.highest_severity = a.severity;
    if (a.month > r.latest_month ||
        (a.month == r.latest_month && SeverityRank(a.severity) > SeverityRank(shown))) {
      r.latest_month = a.month;
      r.latest_summary = a.summary;
      shown = a.severity;
    }
    r.alert_ids.push_back(a.id);
    alert_month[a.id] = a.month;
  }

  const MonthIndex chart_first = w.window_last - kChartMonths + 1;
  for (auto& [key, r] : rows) {
    if (r.open_alerts > 0) {
      r.tier = !in.forecast ? Tier::kEscalatingNoForecast
               : r.high_risk ? Tier::kEscalatingHighRisk
                             : Tier::kEscalatingLowerRisk;
      MonthlySeries s;
      s.first = chart_first;
      s.deaths.assign(kChartMonths, 0);
      s.civilians.assign(kChartMonths, 0);
      s.alert.assign(kChartMonths, false);
      for (const auto& a : in.alerts) {
        if (a.gw != r.gw || (a.status != "new" && a.status != "acknowledged")) continue;
        if (a.month >= w.window_first && a.month <= w.window_last) s.alert[a.month - chart_first] = true;
      }
      r.series = std::move(s);
    } else {
      r.tier = have_window_events ? Tier::kHighRiskNoAlert : Tier::kHighRiskNoEventData;
    }
  }
  if (in.events) {
    const EventColumns& e = *in.events;
    for (std::size_t i = 0; i < e.size(); ++i) {
      if (e.day[i] > in.as_of) continue;
      auto it = rows.find(e.gw[i]);
      if (it == rows.end() || e.gw[i] == 0) continue;
      LiveWatchRow& r = it->second;
      const MonthIndex m = MonthOf(e.day[i]);
      if (m >= w.window_first) ++r.events_in_window;
      if (r.series && m >= chart_first) {
        const std::size_t k = static_cast<std::size_t>(m - chart_first);
        r.series->deaths[k] += e.deaths_best[i];
        r.series->civilians[k] += events::CivilianDeaths(e.violence[i], e.civilian_targeting[i] != 0,
                                                         e.deaths_best[i], e.deaths_civilians[i]);
      }
    }
  }
  for (auto& [key, r] : rows) {
    std::sort(r.alert_ids.begin(), r.alert_ids.end(), [&](std::int64_t x, std::int64_t y) {
      return std::make_pair(alert_month[x], x) > std::make_pair(alert_month[y], y);
    });
    w.rows.push_back(std::move(r));
  }
  auto rank_of = [](const LiveWatchRow& r) { return r.forecast ? r.forecast->rank : 1 << 30; };
  std::stable_sort(w.rows.begin(), w.rows.end(), [&](const LiveWatchRow& a, const LiveWatchRow& b) {
    if (a.tier != b.tier) return a.tier < b.tier;
    if (a.open_alerts > 0) {
      const int sa = SeverityRank(a.highest_severity), sb = SeverityRank(b.highest_severity);
      if (sa != sb) return sa > sb;
      if (a.open_alerts != b.open_alerts) return a.open_alerts > b.open_alerts;
    }
    if (rank_of(a) != rank_of(b)) return rank_of(a) < rank_of(b);
    return a.country < b.country;
  });

  // What is missing or stale.
  if (!in.forecast) {
    w.notes.push_back(
        "No structural risk forecast is stored, so rows show live alerts only and cannot be weighed by "
        "structural risk. Run `vigil forecast` to add it.");
  } else if (YearOfMonth(w.window_last) > in.forecast->target_last) {
    w.notes.push_back(fmt::format(
        "The forecast (run {}) covers onsets in {}–{}, which ended before the as-of date: its ranks are "
        "out of date.", in.forecast->run_id, in.forecast->target_first, in.forecast->target_last));
  }
  if (!in.latest_event_day) {
    w.notes.push_back(
        "No conflict events are stored up to the as-of date: no live alerts can exist. Import events with "
        "`vigil import events` and run `vigil alerts scan`.");
  } else if (!have_window_events) {
    w.notes.push_back(fmt::format(
        "The latest stored event is dated {}, before the alert window ({}–{}): alerts could not be "
        "computed for it. Import recent events.",
        FormatDate(*in.latest_event_day), FormatMonth(w.window_first), FormatMonth(w.window_last)));
  } else if (MonthOf(*in.latest_event_day) < w.window_last) {
    w.notes.push_back(fmt::format(
        "The latest stored event is dated {}: the months after it in the alert window have no data.",
        FormatDate(*in.latest_event_day)));
  }
  if (have_window_events && in.events) {
    std::vector<std::string> uncovered;
    for (const auto& r : w.rows) {
      if (r.tier == Tier::kHighRiskNoAlert && r.events_in_window == 0) uncovered.push_back(r.country);
    }
    if (!uncovered.empty()) {
      const std::size_t shown = std::min<std::size_t>(uncovered.size(), 8);
      std::string names = Join(std::vector<std::string>(uncovered.begin(), uncovered.begin() + shown), ", ");
      if (shown < uncovered.size()) names += fmt::format(" and {} more", uncovered.size() - shown);
      w.notes.push_back(fmt::format(
          "{} high-risk countr{} without alerts ha{} no stored events in the alert window ({}): if the "
          "imported event data do not cover {}, the absence of alerts says nothing.",
          uncovered.size(), uncovered.size() == 1 ? "y" : "ies", uncovered.size() == 1 ? "s" : "ve", names,
          uncovered.size() == 1 ? "it" : "them"));
    }
  }
  if (in.latest_event_day && have_window_events) {
    if (!in.latest_scan_as_of) {
      w.notes.push_back("No alert is stored at all: if `vigil alerts scan` has not been run on these events, "
                        "run it before reading this watchlist.");
    } else if (*in.latest_scan_as_of < std::min(*in.latest_event_day, in.as_of)) {
      w.notes.push_back(fmt::format(
          "The latest alert scan used data up to {}, but events up to {} are stored: run `vigil alerts "
          "scan` to bring alerts up to date.",
          FormatDate(*in.latest_scan_as_of), FormatDate(std::min(*in.latest_event_day, in.as_of))));
    }
  }
  return w;
}

nlohmann::json LiveWatchlistJson(const LiveWatchlist& w) {
  using nlohmann::json;
  json j;
  j["as_of"] = FormatDate(w.as_of);
  j["as_of_basis"] = w.as_of_basis;
  j["alert_window"] = {{"first", FormatMonth(w.window_first)},
                       {"last", FormatMonth(w.window_last)},
                       {"months", w.window_last - w.window_first + 1}};
  j["top"] = w.top;
  if (w.forecast) {
    const auto& f = *w.forecast;
    j["forecast"] = {{"run_id", f.run_id}, {"model", f.model}, {"created_at", f.created_at},
                     {"base_year", f.base_year}, {"target_years", {f.target_first, f.target_last}}};
  } else {
    j["forecast"] = nullptr;
  }
  j["latest_event_date"] = w.latest_event_day ? json(FormatDate(*w.latest_event_day)) : json(nullptr);
  j["latest_scan_as_of"] = w.latest_scan_as_of ? json(FormatDate(*w.latest_scan_as_of)) : json(nullptr);
  j["notes"] = w.notes;
  json tiers = json::array();
  for (Tier t : kTiers) {
    tiers.push_back({{"tier", static_cast<int>(t)}, {"id", TierId(t)}, {"label", TierLabel(t)},
                     {"advice", TierAdvice(t)}, {"countries", TierCount(w, t)}});
  }
  j["tiers"] = tiers;
  json rows = json::array();
  for (const auto& r : w.rows) {
    json c = {{"gw", r.gw ? json(r.gw) : json(nullptr)},
              {"country", r.country},
              {"tier", static_cast<int>(r.tier)},
              {"tier_id", TierId(r.tier)},
              {"tier_label", TierLabel(r.tier)},
              {"high_structural_risk", r.high_risk},
              {"open_alerts", r.open_alerts},
              {"alerts_by_detector", r.alerts_by_detector},
              {"highest_severity", r.highest_severity.empty() ? json(nullptr) : json(r.highest_severity)},
              {"latest_alert_month", r.latest_month ? json(FormatMonth(r.latest_month)) : json(nullptr)},
              {"latest_alert_summary", r.latest_summary.empty() ? json(nullptr) : json(r.latest_summary)},
              {"alert_ids", r.alert_ids},
              {"events_in_window", r.events_in_window}};
    if (r.forecast) {
      c["rank"] = r.forecast->rank;
      c["risk"] = Finite(r.forecast->risk);
      c["risk_lo"] = Finite(r.forecast->risk_lo);
      c["risk_hi"] = Finite(r.forecast->risk_hi);
      c["triage"] = r.forecast->triage;
    } else {
      c["rank"] = c["risk"] = c["risk_lo"] = c["risk_hi"] = nullptr;
      c["triage"] = json::array();
    }
    if (r.series) {
      json months = json::array();
      for (std::size_t k = 0; k < r.series->deaths.size(); ++k) {
        months.push_back(FormatMonth(r.series->first + static_cast<MonthIndex>(k)));
      }
      c["series"] = {{"months", months},
                     {"deaths", r.series->deaths},
                     {"civilian_deaths", r.series->civilians},
                     {"alert", r.series->alert}};
    }
    rows.push_back(std::move(c));
  }
  j["countries"] = rows;
  return j;
}

std::string CountrySeriesSvg(const LiveWatchRow& row) {
  if (!row.series) return "";
  const MonthlySeries& s = *row.series;
  const int n = static_cast<int>(s.deaths.size());
  std::int64_t max_v = 0;
  for (int k = 0; k < n; ++k) max_v = std::max({max_v, s.deaths[k], s.civilians[k]});
  // A round top for the axis: 1, 2 or 5 times a power of ten.
  // A round top for the axis: 1, 1.5, 2, 3, 4, 5, 6 or 8 times a power of ten.
  double top = 1;
  for (double p10 = 1; top < static_cast<double>(max_v); p10 *= 10) {
    for (double m : {1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0}) {
      top = m * p10;
      if (top >= static_cast<double>(max_v)) break;
    }
  }
  const int left = 44, right = 24, title_h = 20, mark_h = 10, plot_h = 100, bottom = 34;
  const int width = 440, plot_w = width - left - right;
  const int plot_top = title_h + mark_h, height = plot_top + plot_h + bottom;
  const double slot = static_cast<double>(plot_w) / n;
  auto Y = [&](double v) { return plot_top + plot_h - plot_h * v / top; };
  const std::string name = HtmlEscape(row.country);
  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" "
      "font-family=\"sans-serif\" font-size=\"10\" role=\"img\" aria-label=\"{}: deaths per month, {} to "
      "{}\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
      "<text x=\"{}\" y=\"13\" font-size=\"12\" font-weight=\"bold\">{}: deaths per month</text>\n",
      width, height, width, height, name, MonthLabel(s.first), MonthLabel(s.first + n - 1), left, name);
  // Axis and grid: 0, half and top.
  for (double g : {0.0, top / 2, top}) {
    svg += fmt::format(
        "<line x1=\"{}\" y1=\"{:.1f}\" x2=\"{}\" y2=\"{:.1f}\" stroke=\"{}\"/>"
        "<text x=\"{}\" y=\"{:.1f}\" text-anchor=\"end\" fill=\"#555\">{:g}</text>\n",
        left, Y(g), width - right, Y(g), g == 0 ? "#999" : "#e4e4e4", left - 4, Y(g) + 3, g);
  }
  for (int k = 0; k < n; ++k) {
    const MonthIndex m = s.first + k;
    const double x = left + k * slot;
    const std::string label = fmt::format("{}: {} deaths, {} civilian deaths{}", MonthLabel(m), s.deaths[k],
                                          s.civilians[k], s.alert[k] ? ", open alert" : "");
    if (s.alert[k]) {
      svg += fmt::format(
          "<rect x=\"{:.1f}\" y=\"{}\" width=\"{:.1f}\" height=\"{}\" fill=\"#fde8c8\"/>"
          "<path d=\"M{:.1f},{} l{:.1f},-7 l{:.1f},0 z\" fill=\"#e07000\"/>\n",
          x, plot_top, slot, plot_h, x + slot / 2, plot_top - 1, -slot * 0.3, slot * 0.6);
    }
    svg += fmt::format("<g><title>{}</title>", label);
    if (s.deaths[k] > 0) {
      svg += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"#9a9a9a\"/>",
                         x + slot * 0.1, Y(s.deaths[k]), slot * 0.8, plot_top + plot_h - Y(s.deaths[k]));
    }
    if (s.civilians[k] > 0) {
      svg += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"#b22222\"/>",
                         x + slot * 0.3, Y(s.civilians[k]), slot * 0.4,
                         plot_top + plot_h - Y(s.civilians[k]));
    }
    // Invisible full-height target so the tooltip works on empty months too.
    svg += fmt::format("<rect x=\"{:.1f}\" y=\"{}\" width=\"{:.1f}\" height=\"{}\" fill=\"transparent\"/></g>\n",
                       x, plot_top, slot, plot_h);
    if (k == 0 || k == n - 1 || MonthOfYear(m) == 1) {
      svg += fmt::format("<text x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\" fill=\"#555\">{}</text>\n",
                         x + slot / 2, plot_top + plot_h + 12, MonthLabel(m));
    }
  }
  const int ly = height - 8;
  svg += fmt::format(
      "<rect x=\"{}\" y=\"{}\" width=\"9\" height=\"9\" fill=\"#9a9a9a\"/><text x=\"{}\" y=\"{}\">all "
      "deaths</text>"
      "<rect x=\"{}\" y=\"{}\" width=\"9\" height=\"9\" fill=\"#b22222\"/><text x=\"{}\" y=\"{}\">civilian "
      "deaths</text>"
      "<path d=\"M{},{} l4.5,-8 l4.5,8 z\" fill=\"#e07000\" transform=\"rotate(180 {} {})\"/>"
      "<text x=\"{}\" y=\"{}\">open alert</text>\n</svg>\n",
      left, ly - 8, left + 12, ly, left + 80, ly - 8, left + 92, ly, left + 185, ly, left + 189.5, ly - 4,
      left + 198, ly);
  return svg;
}

std::string LiveWatchlistMarkdown(const LiveWatchlist& w, const std::string& chart_prefix) {
  std::string md = fmt::format("# Live watchlist, as of {}\n\nAs-of date: {} ({}).\n\n{}\n\n{}\n\n",
                               FormatDate(w.as_of), FormatDate(w.as_of), w.as_of_basis, ForecastLine(w),
                               AlertLine(w));
  if (!w.notes.empty()) {
    md += "## What is missing\n\n";
    for (const auto& n : w.notes) md += "- " + n + "\n";
    md += "\n";
  }
  md += "## Priority tiers\n\n| Tier | Meaning | Countries | What to do |\n|---:|---|---:|---|\n";
  for (Tier t : kTiers) {
    md += fmt::format("| {} | {} | {} | {} |\n", static_cast<int>(t), TierLabel(t), TierCount(w, t),
                      TierAdvice(t));
  }
  md += "\n## Countries\n\n"
        "| Tier | Country | Rank | Risk (interval) | Groups | Open alerts | Highest severity | Latest alert |\n"
        "|---:|---|---:|---|---|---|---|---|\n";
  for (const auto& r : w.rows) {
    std::string latest = r.latest_month ? FormatMonth(r.latest_month) + ": " + r.latest_summary : "–";
    for (auto& ch : latest) {
      if (ch == '|' || ch == '\n') ch = ' ';
    }
    md += fmt::format("| {} | {} | {} | {} | {} | {} | {} | {} |\n", static_cast<int>(r.tier), r.country,
                      r.forecast ? std::to_string(r.forecast->rank) : "–",
                      r.forecast ? RiskText(*r.forecast) : "–",
                      r.forecast ? Join(r.forecast->triage, ", ") : "",
                      r.open_alerts ? fmt::format("{} ({})", r.open_alerts, ByDetector(r))
                                    : fmt::format("none ({} events in window)", r.events_in_window),
                      r.highest_severity.empty() ? "–" : r.highest_severity, latest);
  }
  bool any = false;
  for (const auto& r : w.rows) {
    if (!r.series) continue;
    if (!any) md += "\n## Alerted countries\n";
    any = true;
    md += fmt::format("\n### {} — {}\n\n", r.country, TierLabel(r.tier));
    if (!chart_prefix.empty()) md += fmt::format("![{} deaths per month]({}{}.svg)\n\n", r.country, chart_prefix, r.gw);
    md += fmt::format("{} open alert(s): {}; highest severity {}; latest {}: {}\n", r.open_alerts, ByDetector(r),
                      r.highest_severity, FormatMonth(r.latest_month), r.latest_summary);
    md += fmt::format("Alert ids: {} (see `vigil alerts show ID`).\n", [&] {
      std::string ids;
      for (auto id : r.alert_ids) ids += (ids.empty() ? "" : ", ") + std::to_string(id);
      return ids;
    }());
  }
  md += "\nDeaths are the sources' best estimates summed by month from the stored events; civilian deaths "
        "count one-sided violence and civilians killed in other events once each.\n";
  return md;
}

std::string LiveWatchlistHtml(const LiveWatchlist& w) {
  static const char* kTierColour[] = {"", "#b22222", "#e07000", "#c08a00", "#4a6fa5", "#888"};
  std::string h = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<title>Live watchlist as of {}</title>\n<style>{}"
      " .tier{{display:inline-block;min-width:1.4em;text-align:center;color:white;border-radius:3px;"
      "font-weight:bold}} .note{{background:#fff4e0;border-left:4px solid #e07000;padding:4px 8px}}"
      " .country{{margin:1.5em 0;display:flex;gap:16px;align-items:flex-start}}"
      " .country p{{margin:0.2em 0;font-size:13px}} .tag{{white-space:nowrap}} .country svg{{flex:none}}</style></head><body>\n"
      "<h1>Live watchlist, as of {}</h1>\n<p>As-of date: {} ({}).</p>\n<p>{}</p>\n<p>{}</p>\n",
      FormatDate(w.as_of), ReportCss(), FormatDate(w.as_of), FormatDate(w.as_of), HtmlEscape(w.as_of_basis),
      HtmlEscape(ForecastLine(w)), HtmlEscape(AlertLine(w)));
  if (!w.notes.empty()) {
    h += "<h2>What is missing</h2>\n";
    for (const auto& n : w.notes) h += "<p class=\"note\">" + HtmlEscape(n) + "</p>\n";
  }
  auto badge = [&](Tier t) {
    return fmt::format("<span class=\"tier\" style=\"background:{}\">{}</span>",
                       kTierColour[static_cast<int>(t)], static_cast<int>(t));
  };
  h += "<h2>Priority tiers</h2>\n<table><tr><th>Tier</th><th>Meaning</th><th>Countries</th>"
       "<th>What to do</th></tr>\n";
  for (Tier t : kTiers) {
    h += fmt::format("<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td>{}</td></tr>\n", badge(t),
                     TierLabel(t), TierCount(w, t), HtmlEscape(TierAdvice(t)));
  }
  h += "</table>\n<h2>Countries</h2>\n<table><tr><th>Tier</th><th>Country</th><th>Rank</th><th>Risk "
       "(interval)</th><th>Groups</th><th>Open alerts</th><th>Highest severity</th><th>Latest alert</th>"
       "</tr>\n";
  for (const auto& r : w.rows) {
    std::string groups;
    if (r.forecast) {
      for (const auto& t : r.forecast->triage) groups += fmt::format("<span class=\"tag\">{}</span>", HtmlEscape(t));
    }
    std::string country = r.series ? fmt::format("<a href=\"#c{}\">{}</a>", r.gw, HtmlEscape(r.country))
                                   : HtmlEscape(r.country);
    h += fmt::format(
        "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
        "<td>{}</td></tr>\n",
        badge(r.tier), country, r.forecast ? std::to_string(r.forecast->rank) : "–",
        r.forecast ? RiskText(*r.forecast) : "–", groups,
        r.open_alerts ? HtmlEscape(fmt::format("{} ({})", r.open_alerts, ByDetector(r)))
                      : fmt::format("none ({} events in window)", r.events_in_window),
        r.highest_severity.empty() ? "–" : r.highest_severity,
        r.latest_month ? HtmlEscape(FormatMonth(r.latest_month) + ": " + r.latest_summary) : "–");
  }
  h += "</table>\n";
  bool any = false;
  for (const auto& r : w.rows) {
    if (!r.series) continue;
    if (!any) h += "<h2>Alerted countries</h2>\n";
    any = true;
    std::string ids;
    for (auto id : r.alert_ids) ids += (ids.empty() ? "" : ", ") + std::to_string(id);
    h += fmt::format(
        "<div class=\"country\" id=\"c{}\">{}<div><h3>{} {}</h3><p><b>{}</b></p><p>{} open alert(s): {}; "
        "highest severity {}.</p><p>Latest ({}): {}</p><p>Alert ids: {} (<code>vigil alerts show ID</code>)."
        "</p></div></div>\n",
        r.gw, CountrySeriesSvg(r), badge(r.tier), HtmlEscape(r.country), TierLabel(r.tier), r.open_alerts,
        HtmlEscape(ByDetector(r)), r.highest_severity, FormatMonth(r.latest_month),
        HtmlEscape(r.latest_summary), ids);
  }
  h += "<p>Deaths are the sources' best estimates summed by month from the stored events; civilian deaths "
       "count one-sided violence and civilians killed in other events once each.</p>\n</body></html>\n";
  return h;
}

}  // namespace vigil::report
