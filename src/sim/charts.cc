#include "sim/charts.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace vigil::sim {

namespace {

constexpr const char* kColors[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
                                   "#7f7f7f"};

std::string Esc(const std::string& s) {
  std::string o;
  for (char c : s) {
    switch (c) {
      case '<': o += "&lt;"; break;
      case '>': o += "&gt;"; break;
      case '&': o += "&amp;"; break;
      case '"': o += "&quot;"; break;
      default: o += c;
    }
  }
  return o;
}

// A "nice" upper bound for an axis.
double NiceMax(double v) {
  if (v <= 0) return 1;
  const double p = std::pow(10.0, std::floor(std::log10(v)));
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    if (m * p >= v) return m * p;
  }
  return 10 * p;
}

std::string Header(int w, int h, const std::string& title) {
  return fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
      "font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"{0}\" height=\"{1}\" fill=\"white\"/>\n"
      "<text x=\"{2}\" y=\"20\" text-anchor=\"middle\" font-size=\"15\">{3}</text>\n",
      w, h, w / 2, Esc(title));
}

std::string YAxis(double x0, double y0, double y1, double ymax, const std::string& label, double xr) {
  std::string s;
  for (int i = 0; i <= 5; ++i) {
    const double v = ymax * i / 5, y = y0 - (y0 - y1) * i / 5;
    s += fmt::format("<line x1=\"{}\" y1=\"{:.1f}\" x2=\"{}\" y2=\"{:.1f}\" stroke=\"#ddd\"/>\n", x0, y, xr, y);
    s += fmt::format("<text x=\"{}\" y=\"{:.1f}\" text-anchor=\"end\">{:g}</text>\n", x0 - 5, y + 4, v);
  }
  s += fmt::format("<text x=\"15\" y=\"{:.1f}\" transform=\"rotate(-90 15 {:.1f})\" text-anchor=\"middle\">{}</text>\n",
                   (y0 + y1) / 2, (y0 + y1) / 2, Esc(label));
  return s;
}

}  // namespace

std::string IntervalBarChart(const std::string& title, const std::string& y_label,
                             const std::vector<IntervalBar>& bars) {
  const int w = std::max(420, 110 * static_cast<int>(bars.size()) + 100), h = 360;
  const double x0 = 70, y0 = h - 60, y1 = 40, xr = w - 20;
  double ymax = 0;
  for (const auto& b : bars) ymax = std::max({ymax, b.mean, b.hi});
  ymax = NiceMax(ymax);
  std::string s = Header(w, h, title) + YAxis(x0, y0, y1, ymax, y_label, xr);
  const double slot = (xr - x0) / std::max<std::size_t>(1, bars.size());
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const auto& b = bars[i];
    auto Y = [&](double v) { return y0 - (y0 - y1) * v / ymax; };
    const double cx = x0 + slot * (i + 0.5), bw = slot * 0.5;
    s += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"{}\"/>\n",
                     cx - bw / 2, Y(b.mean), bw, y0 - Y(b.mean), kColors[i % 8]);
    s += fmt::format("<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\" stroke=\"black\"/>\n", cx,
                     Y(b.lo), Y(b.hi));
    for (double v : {b.lo, b.hi}) {
      s += fmt::format("<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"black\"/>\n", cx - 8,
                       Y(v), cx + 8, Y(v));
    }
    s += fmt::format("<text x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n", cx, y0 + 18, Esc(b.label));
    s += fmt::format("<text x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\" fill=\"#555\">{:.0f} [{:.0f}-{:.0f}]</text>\n",
                     cx, y0 + 34, b.mean, b.lo, b.hi);
  }
  s += "<text x=\"" + std::to_string(w / 2) + "\" y=\"" + std::to_string(h - 8) +
       "\" text-anchor=\"middle\" fill=\"#555\">bars: mean; whiskers: 90% interval (5th-95th percentile)</text>\n";
  return s + "</svg>\n";
}

std::string LineChart(const std::string& title, const std::string& x_label, const std::string& y_label,
                      const std::vector<double>& x, const std::vector<Series>& series) {
  const int w = 640, h = 380;
  const double x0 = 70, y0 = h - 60, y1 = 40, xr = w - 150;
  double ymax = 0, xmin = x.empty() ? 0 : x.front(), xmax = x.empty() ? 1 : x.back();
  for (double v : x) xmin = std::min(xmin, v), xmax = std::max(xmax, v);
  if (xmax == xmin) xmax = xmin + 1;
  for (const auto& s : series) {
    for (double v : s.y) ymax = std::max(ymax, v);
    for (double v : s.hi) ymax = std::max(ymax, v);
  }
  ymax = NiceMax(ymax);
  auto X = [&](double v) { return x0 + (xr - x0) * (v - xmin) / (xmax - xmin); };
  auto Y = [&](double v) { return y0 - (y0 - y1) * v / ymax; };
  std::string s = Header(w, h, title) + YAxis(x0, y0, y1, ymax, y_label, xr);
  for (int i = 0; i <= 5; ++i) {
    const double v = xmin + (xmax - xmin) * i / 5;
    s += fmt::format("<text x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\">{:g}</text>\n", X(v), y0 + 18, v);
  }
  s += fmt::format("<text x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n", (x0 + xr) / 2, y0 + 40,
                   Esc(x_label));
  for (std::size_t k = 0; k < series.size(); ++k) {
    const auto& se = series[k];
    const char* color = kColors[k % 8];
    if (se.lo.size() == x.size() && se.hi.size() == x.size() && !x.empty()) {
      std::string pts;
      for (std::size_t i = 0; i < x.size(); ++i) pts += fmt::format("{:.1f},{:.1f} ", X(x[i]), Y(se.hi[i]));
      for (std::size_t i = x.size(); i-- > 0;) pts += fmt::format("{:.1f},{:.1f} ", X(x[i]), Y(se.lo[i]));
      s += fmt::format("<polygon points=\"{}\" fill=\"{}\" fill-opacity=\"0.15\" stroke=\"none\"/>\n", pts, color);
    }
    std::string pts;
    for (std::size_t i = 0; i < x.size() && i < se.y.size(); ++i) pts += fmt::format("{:.1f},{:.1f} ", X(x[i]), Y(se.y[i]));
    s += fmt::format("<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"/>\n", pts, color);
    s += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"12\" height=\"12\" fill=\"{}\"/>\n", xr + 10, y1 + 20 * k, color);
    s += fmt::format("<text x=\"{}\" y=\"{}\">{}</text>\n", xr + 28, y1 + 20 * k + 10, Esc(se.name));
  }
  return s + "</svg>\n";
}

}  // namespace vigil::sim
