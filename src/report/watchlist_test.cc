#include "report/watchlist.h"

#include <gtest/gtest.h>

#include <cmath>

namespace vigil::report {
namespace {

risk::Forecast Sample() {
  risk::Forecast f;
  f.model = "elastic-net";
  f.dataset = "ewp";
  f.dataset_version = 1;
  f.base_year = 2024;
  f.target_first = 2025;
  f.target_last = 2026;
  f.train_last_year = 2022;
  f.train_rows = 8000;
  f.interval = 0.9;
  for (int i = 0; i < 40; ++i) {
    risk::CountryForecast c;
    c.rank = i + 1;
    c.country = i == 0 ? "Côte d'Ivoire & <Test>" : "Country " + std::to_string(i);
    c.country_code = 100 + i;
    c.risk = 0.1 - i * 0.002;
    c.risk_lo = c.risk * 0.8;
    c.risk_hi = c.risk * 1.2;
    c.prev_rank = i == 5 ? 30 : i + 1;
    c.prev_risk = c.risk;
    if (i < 30) c.triage.push_back("top-risk");
    if (i == 5) c.triage.push_back("big-mover");
    if (i == 7) c.triage.push_back("surprise");
    c.factors = {{"discrimpop", 0.3, 0.9}, {"even_civilrights", 1, -0.4}};
    f.countries.push_back(c);
  }
  return f;
}

TEST(WatchlistTest, ChartHasTop30BarsAndEscapesNames) {
  std::string svg = RiskChartSvg(Sample());
  std::size_t bars = 0;
  for (std::size_t p = svg.find("<rect x="); p != std::string::npos; p = svg.find("<rect x=", p + 1)) ++bars;
  EXPECT_EQ(bars, 30u);
  EXPECT_NE(svg.find("&amp; &lt;Test&gt;"), std::string::npos);
  EXPECT_EQ(svg.find("<Test>"), std::string::npos);
  EXPECT_NE(svg.find("Country 29"), std::string::npos);
  EXPECT_EQ(svg.find("Country 30<"), std::string::npos);
}

TEST(WatchlistTest, MarkdownAndHtmlCarryTheForecast) {
  auto f = Sample();
  std::string md = WatchlistMarkdown(f, "chart.svg");
  EXPECT_NE(md.find("2025–2026"), std::string::npos);
  EXPECT_NE(md.find("![Top 30 risks](chart.svg)"), std::string::npos);
  EXPECT_NE(md.find("**Big movers since last year's forecast** (1): Country 5 (9.0%)"), std::string::npos);
  EXPECT_NE(md.find("| 40 | Country 39 |"), std::string::npos);
  EXPECT_NE(md.find("▲24"), std::string::npos);
  EXPECT_NE(md.find("↑ discrimpop, ↓ even_civilrights"), std::string::npos);
  std::string html = WatchlistHtml(f);
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_NE(html.find("Surprises"), std::string::npos);
  EXPECT_EQ(html.find("<Test>"), std::string::npos);
  EXPECT_EQ(html.find("http://") , html.find("http://www.w3.org/2000/svg"));  // no external resources
}

TEST(WatchlistTest, NoIntervalShowsDash) {
  auto f = Sample();
  for (auto& c : f.countries) c.risk_lo = c.risk_hi = std::nan("");
  EXPECT_NE(WatchlistMarkdown(f, "").find("| 10.0% | – |"), std::string::npos);
  EXPECT_EQ(WatchlistMarkdown(f, "").find("!["), std::string::npos);
}

}  // namespace
}  // namespace vigil::report
