#include "report/watchlist.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <vector>

namespace vigil::report {

namespace {

std::string Escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string Pct(double p) { return std::isfinite(p) ? fmt::format("{:.1f}%", 100 * p) : "–"; }

std::string Interval(const risk::CountryForecast& c) {
  if (!std::isfinite(c.risk_lo)) return "–";
  return fmt::format("{:.1f}–{:.1f}%", 100 * c.risk_lo, 100 * c.risk_hi);
}

std::string Movement(const risk::CountryForecast& c) {
  if (!c.prev_rank) return "new";
  int d = c.prev_rank - c.rank;
  return d > 0 ? fmt::format("▲{}", d) : d < 0 ? fmt::format("▼{}", -d) : "=";
}

std::string Factors(const risk::CountryForecast& c, int k) {
  std::string s;
  for (int i = 0; i < k && i < static_cast<int>(c.factors.size()); ++i) {
    const auto& f = c.factors[static_cast<std::size_t>(i)];
    s += fmt::format("{}{} {}", i ? ", " : "", f.effect >= 0 ? "↑" : "↓", f.factor);
  }
  return s;
}

const char* kGroupTitles[][2] = {
    {"top-risk", "Top risks"},
    {"big-mover", "Big movers since last year's forecast"},
    {"surprise", "Surprises: high risk without recent violence"},
    {"consistently-high", "Consistently high"},
};

std::vector<const risk::CountryForecast*> Group(const risk::Forecast& f, const std::string& g) {
  std::vector<const risk::CountryForecast*> out;
  for (const auto& c : f.countries) {
    if (std::find(c.triage.begin(), c.triage.end(), g) != c.triage.end()) out.push_back(&c);
  }
  return out;
}

std::string Subtitle(const risk::Forecast& f) {
  return fmt::format(
      "Risk of a new mass-killing onset in {}–{}, from data for {}; model `{}` trained on {} "
      "country-years up to {} (dataset {} v{}).",
      f.target_first, f.target_last, f.base_year, f.model, f.train_rows, f.train_last_year, f.dataset,
      f.dataset_version);
}

}  // namespace

std::string HtmlEscape(const std::string& s) { return Escape(s); }

std::string ReportCss() {
  return "body{font-family:sans-serif;max-width:1000px;margin:2em auto;color:#222}"
         "table{border-collapse:collapse;width:100%;font-size:13px}"
         "th,td{border-bottom:1px solid #ddd;padding:3px 6px;text-align:left}"
         "td.n{text-align:right} .tag{background:#eee;border-radius:3px;padding:0 4px;margin-right:3px;"
         "font-size:11px}";
}

std::string RiskChartSvg(const risk::Forecast& f, int top) {
  const int n = std::min<int>(top, static_cast<int>(f.countries.size()));
  double max_risk = 0;
  for (int i = 0; i < n; ++i) {
    const auto& c = f.countries[static_cast<std::size_t>(i)];
    max_risk = std::max({max_risk, c.risk, std::isfinite(c.risk_hi) ? c.risk_hi : 0.0});
  }
  max_risk = max_risk > 0 ? max_risk * 1.05 : 1;
  const int label_w = 210, bar_w = 440, row_h = 18, top_pad = 30, bottom_pad = 34;
  const int width = label_w + bar_w + 70, height = top_pad + n * row_h + bottom_pad;
  auto X = [&](double p) { return label_w + bar_w * p / max_risk; };
  std::string s = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" "
      "font-family=\"sans-serif\" font-size=\"11\" role=\"img\" aria-label=\"Top {} risks\">\n"
      "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
      "<text x=\"{}\" y=\"18\" font-size=\"13\" font-weight=\"bold\">Risk of new mass killing, "
      "{}–{} (top {})</text>\n",
      width, height, width, height, n, label_w, f.target_first, f.target_last, n);
  // Grid lines every 1 or 2 percentage points.
  double step = max_risk > 0.2 ? 0.05 : max_risk > 0.08 ? 0.02 : 0.01;
  for (double g = 0; g <= max_risk + 1e-12; g += step) {
    s += fmt::format(
        "<line x1=\"{:.1f}\" y1=\"{}\" x2=\"{:.1f}\" y2=\"{}\" stroke=\"#ddd\"/>"
        "<text x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\" fill=\"#555\">{:.0f}%</text>\n",
        X(g), top_pad - 4, X(g), top_pad + n * row_h, X(g), top_pad + n * row_h + 14, 100 * g);
  }
  for (int i = 0; i < n; ++i) {
    const auto& c = f.countries[static_cast<std::size_t>(i)];
    const int y = top_pad + i * row_h;
    bool surprise = std::find(c.triage.begin(), c.triage.end(), "surprise") != c.triage.end();
    s += fmt::format(
        "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}. {}</text>"
        "<rect x=\"{}\" y=\"{}\" width=\"{:.1f}\" height=\"{}\" fill=\"{}\"><title>{}: {}</title></rect>",
        label_w - 6, y + 13, c.rank, Escape(c.country), label_w, y + 3, X(c.risk) - label_w, row_h - 6,
        surprise ? "#e08a00" : "#b22222", Escape(c.country), Pct(c.risk));
    if (std::isfinite(c.risk_lo)) {
      s += fmt::format(
          "<line x1=\"{:.1f}\" y1=\"{}\" x2=\"{:.1f}\" y2=\"{}\" stroke=\"#222\" stroke-width=\"1.2\"/>",
          X(c.risk_lo), y + row_h / 2, X(c.risk_hi), y + row_h / 2);
    }
    s += fmt::format("<text x=\"{:.1f}\" y=\"{}\" fill=\"#222\">{}</text>\n",
                     X(std::isfinite(c.risk_hi) ? std::max(c.risk_hi, c.risk) : c.risk) + 4, y + 13,
                     Pct(c.risk));
  }
  s += fmt::format(
      "<text x=\"{}\" y=\"{}\" fill=\"#555\">Bars: risk; whiskers: {:.0f}% bootstrap interval; "
      "orange: surprise (no recent violence).</text>\n</svg>\n",
      label_w, height - 4, 100 * f.interval);
  return s;
}

std::string WatchlistMarkdown(const risk::Forecast& f, const std::string& chart_file) {
  std::string md = fmt::format("# Mass-killing risk watchlist, {}–{}\n\n{}\n\n", f.target_first,
                               f.target_last, Subtitle(f));
  if (!chart_file.empty()) md += fmt::format("![Top 30 risks]({})\n\n", chart_file);
  md += "## Triage\n\n";
  for (const auto& g : kGroupTitles) {
    auto members = Group(f, g[0]);
    md += fmt::format("**{}** ({}): ", g[1], members.size());
    if (members.empty()) md += "none";
    for (std::size_t i = 0; i < members.size(); ++i) {
      md += fmt::format("{}{} ({})", i ? ", " : "", members[i]->country, Pct(members[i]->risk));
    }
    md += "\n\n";
  }
  md += "## All countries\n\n| Rank | Country | Risk | Interval | Since last year | Groups | Top factors |\n"
        "|---:|---|---:|---:|---:|---|---|\n";
  for (const auto& c : f.countries) {
    std::string groups;
    for (const auto& t : c.triage) groups += (groups.empty() ? "" : ", ") + t;
    md += fmt::format("| {} | {} | {} | {} | {} | {} | {} |\n", c.rank, c.country, Pct(c.risk),
                      Interval(c), Movement(c), groups, Factors(c, 3));
  }
  md += "\nFactors: ↑ raises, ↓ lowers the country's risk relative to the average training "
        "country-year (model contributions to the log-odds).\n";
  return md;
}

std::string WatchlistHtml(const risk::Forecast& f) {
  std::string h = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<title>Mass-killing risk watchlist {}–{}</title>\n<style>{}</style></head><body>\n"
      "<h1>Mass-killing risk watchlist, {}–{}</h1>\n<p>{}</p>\n",
      f.target_first, f.target_last, ReportCss(), f.target_first, f.target_last, Escape(Subtitle(f)));
  h += RiskChartSvg(f);
  h += "<h2>Triage</h2>\n<ul>\n";
  for (const auto& g : kGroupTitles) {
    auto members = Group(f, g[0]);
    h += fmt::format("<li><b>{}</b> ({}): ", g[1], members.size());
    if (members.empty()) h += "none";
    for (std::size_t i = 0; i < members.size(); ++i) {
      h += fmt::format("{}{} ({})", i ? ", " : "", Escape(members[i]->country), Pct(members[i]->risk));
    }
    h += "</li>\n";
  }
  h += "</ul>\n<h2>All countries</h2>\n<table><tr><th>Rank</th><th>Country</th><th>Risk</th>"
       "<th>Interval</th><th>Since last year</th><th>Groups</th><th>Top factors</th></tr>\n";
  for (const auto& c : f.countries) {
    std::string groups;
    for (const auto& t : c.triage) groups += fmt::format("<span class=\"tag\">{}</span>", t);
    h += fmt::format(
        "<tr><td class=\"n\">{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>"
        "<td class=\"n\">{}</td><td>{}</td><td>{}</td></tr>\n",
        c.rank, Escape(c.country), Pct(c.risk), Interval(c), Movement(c), groups,
        Escape(Factors(c, 3)));
  }
  h += "</table>\n<p>Factors: ↑ raises, ↓ lowers the country's risk relative to the average "
       "training country-year (model contributions to the log-odds).</p>\n</body></html>\n";
  return h;
}

}  // namespace vigil::report
