#include "sim/maro.h"

#include <gtest/gtest.h>

#include "sim/levers.h"

namespace vigil::sim {
namespace {

using nlohmann::json;

Scenario Small() {
  Scenario s;
  s.steps = 120;
  return s;
}

TEST(MaroTest, DefaultScenarioRoundTripsThroughJson) {
  Scenario s;
  s.safe_areas.push_back({10, 10, 3});
  json j = ScenarioToJson(s);
  auto back = ScenarioFromJson(j, "x.json");
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(ScenarioToJson(*back), j);
}

TEST(MaroTest, ShippedDefaultScenarioLoads) {
  auto s = LoadScenario(std::string(VIGIL_SOURCE_DIR) + "/scenarios/default.json");
  ASSERT_TRUE(s.ok()) << s.status().message();
  json want = ScenarioToJson(DefaultScenario());
  want.erase("description");
  json got = ScenarioToJson(*s);
  got.erase("description");
  EXPECT_EQ(got, want) << "scenarios/default.json and DefaultScenario() must agree";
}

TEST(MaroTest, BadInputNamesParameterAndRange) {
  auto err = [](const json& j) {
    auto r = ScenarioFromJson(j, "bad.json");
    EXPECT_FALSE(r.ok());
    return r.ok() ? std::string() : r.status().message();
  };
  std::string m = err({{"intervention", {{"deployment_delay", -5}}}});
  EXPECT_NE(m.find("bad.json: intervention.deployment_delay = -5: allowed integer 0..3650"), std::string::npos) << m;
  m = err({{"population", {{"victim_density", 0.6}, {"bystander_density", 0.5}}}});
  EXPECT_NE(m.find("densities sum to"), std::string::npos) << m;
  EXPECT_NE(m.find("at most 1"), std::string::npos) << m;
  m = err({{"intervention", {{"speed", 3}}}});
  EXPECT_NE(m.find("intervention.speed: unknown parameter"), std::string::npos) << m;
  EXPECT_NE(m.find("deployment_delay"), std::string::npos) << m;  // lists the allowed keys
  m = err({{"weather", {}}});
  EXPECT_NE(m.find("weather: unknown parameter"), std::string::npos) << m;
  m = err({{"intervention", {{"posture", "blitz"}}}});
  EXPECT_NE(m.find("area-security|safe-areas|separation|containment"), std::string::npos) << m;
  m = err({{"intervention", {{"posture", "safe-areas"}}}});
  EXPECT_NE(m.find("safe_areas"), std::string::npos) << m;
  m = err({{"safe_areas", {{{"x", 500}, {"y", 1}}}}});
  EXPECT_NE(m.find("off the"), std::string::npos) << m;
  m = err({{"levers", {{"sanctions", "lots"}}}});
  EXPECT_NE(m.find("levers.sanctions: must be a number"), std::string::npos) << m;
  m = err(json::array());
  EXPECT_NE(m.find("JSON object"), std::string::npos) << m;
}

TEST(MaroTest, RunIsDeterministicAndEnsembleIndependentOfThreads) {
  Scenario s = Small();
  std::vector<MaroStep> a, b;
  MaroOutcome x = RunMaro(s, 42, &a), y = RunMaro(s, 42, &b);
  EXPECT_EQ(ToJson(x), ToJson(y));
  ASSERT_EQ(a.size(), b.size());
  auto e1 = RunEnsemble(s, 12, 7, 1), e2 = RunEnsemble(s, 12, 7, 2);
  for (int i = 0; i < 12; ++i) EXPECT_EQ(ToJson(e1[i]), ToJson(e2[i])) << i;
}

TEST(MaroTest, SummaryQuantiles) {
  Distribution d = Summarize({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
  EXPECT_DOUBLE_EQ(d.mean, 6);
  EXPECT_DOUBLE_EQ(d.median, 6);
  EXPECT_DOUBLE_EQ(d.p05, 1.5);
  EXPECT_DOUBLE_EQ(d.p95, 10.5);
}

double MeanDeaths(const Scenario& s, int runs = 40) {
  return SummarizeEnsemble(RunEnsemble(s, runs, 3, 2)).civilian_deaths.mean;
}

// Qualitative behaviour of the levers (common random numbers across arms).
TEST(MaroTest, LeversMoveOutcomesTheWayTheyShould) {
  Scenario base = Small();
  const double b = MeanDeaths(base);
  EXPECT_GT(b, 20) << "the default scenario has mass killing";
  Scenario sanc = base;
  sanc.sanctions = 0.6;
  EXPECT_LT(MeanDeaths(sanc), 0.8 * b) << "sanctions lower perpetrator capacity";
  Scenario fast = base;
  fast.decision_delay = 2;
  fast.deployment_delay = 3;
  EXPECT_LT(MeanDeaths(fast), 0.8 * b) << "an early force saves lives";
  Scenario strong = base;
  strong.hate_media = 0.6;
  strong.hate_media_growth = 0.01;
  EXPECT_GT(MeanDeaths(strong), b) << "more hate media, more killing";
}

TEST(MaroTest, DisplacementGoesToOpenSafeAreasInsteadOfBorders) {
  Scenario s = Small();
  s.flee_probability = 0.5;
  auto closed = SummarizeEnsemble(RunEnsemble(s, 10, 5, 2));
  std::vector<MaroOutcome> runs = RunEnsemble(s, 10, 5, 2);
  int refugees_closed = 0;
  for (const auto& o : runs) refugees_closed += o.refugees;
  s.safe_areas.push_back({20, 20, 4});
  s.safe_areas_open = true;
  runs = RunEnsemble(s, 10, 5, 2);
  int refugees_open = 0;
  for (const auto& o : runs) refugees_open += o.refugees;
  EXPECT_GT(closed.displaced.mean, 50);
  EXPECT_GT(refugees_closed, 0);
  EXPECT_EQ(refugees_open, 0) << "with an open safe area the displaced head there, not to the border";
}

TEST(MaroTest, WithParamChecksPathAndRange) {
  Scenario s;
  auto r = WithParam(s, "intervention.deployment_delay", 10);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->deployment_delay, 10);
  EXPECT_FALSE(WithParam(s, "intervention.nope", 1).ok());
  EXPECT_FALSE(WithParam(s, "levers.no_fly", 2.0).ok());
}

}  // namespace
}  // namespace vigil::sim
