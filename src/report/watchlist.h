// Risk watchlist report: a forecast rendered for analysts as Markdown or as a
// self-contained HTML page, with a chart of the top 30 countries (risk and
// uncertainty interval), the triage groups and each country's top factors.
// Every number in the report comes from the Forecast; nothing is added.
#pragma once

#include <string>

#include "monitor/risk/forecast.h"

namespace vigil::report {

// An SVG horizontal bar chart of the `top` highest risks with their
// intervals (when the forecast has them).
std::string RiskChartSvg(const risk::Forecast& f, int top = 30);

// Markdown; the chart is referenced as `chart_file` (write RiskChartSvg() to
// it next to the Markdown), or omitted when chart_file is empty.
std::string WatchlistMarkdown(const risk::Forecast& f, const std::string& chart_file);

// A single HTML file with the chart inline and no external resources.
std::string WatchlistHtml(const risk::Forecast& f);

// Helpers shared by vigil's HTML reports.
// `s` with & < > " replaced by HTML entities.
std::string HtmlEscape(const std::string& s);
// The CSS rules of the watchlist pages (body, table, td.n, .tag), without
// the <style> element.
std::string ReportCss();

}  // namespace vigil::report
