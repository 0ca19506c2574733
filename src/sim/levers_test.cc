#include "sim/levers.h"

#include <gtest/gtest.h>

namespace vigil::sim {
namespace {

using nlohmann::json;

options::ToolChoice Tool(const std::string& id) {
  options::ToolChoice t;
  t.id = id;
  return t;
}

TEST(LeversTest, PackageToolsAndApproachMapToLevers) {
  Scenario base;
  base.safe_areas.push_back({10, 10, 3});
  options::OptionPackage p;
  p.title = "Protect the camps";
  p.military_approach = "safe-areas";
  p.tools = {Tool("international-sanctions"), Tool("embargoes"), Tool("counter-hate-media"), Tool("no-fly-zone"),
             Tool("deployment-preparations"), Tool("contacts")};
  SimOption o = OptionFromPackage(p, base);
  auto s = ApplyOption(base, o);
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->posture, "safe-areas");
  EXPECT_EQ(s->force_size, 30);
  EXPECT_TRUE(s->safe_areas_open);
  EXPECT_NEAR(s->sanctions, 0.4, 1e-9);
  EXPECT_NEAR(s->counter_media, 0.4, 1e-9);
  EXPECT_NEAR(s->no_fly, 0.5, 1e-9);
  EXPECT_EQ(s->deployment_delay, 21);  // 30 x 0.7
  bool unmapped = false;
  for (const auto& b : o.because) unmapped = unmapped || b == "tool contacts: no simulator lever";
  EXPECT_TRUE(unmapped);
}

TEST(LeversTest, DiplomaticPackageHasNoForce) {
  Scenario base;
  options::OptionPackage p;
  p.title = "Suasion";
  p.tools = {Tool("contacts"), Tool("coalition-building")};
  auto s = ApplyOption(base, OptionFromPackage(p, base));
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->force_size, 0);
  EXPECT_EQ(s->decision_delay, 16);  // 20 x 0.8
  EXPECT_NEAR(s->partiality, 0.4, 1e-9);
}

TEST(LeversTest, SafeAreasWithoutSafeAreasFallsBackToAreaSecurity) {
  Scenario base;
  options::OptionPackage p;
  p.military_approach = "safe-areas";
  auto s = ApplyOption(base, OptionFromPackage(p, base));
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->posture, "area-security");
}

TEST(LeversTest, OptionJsonAndBuiltins) {
  Scenario base;
  auto o = OptionFromJson({{"type", "sim-option"}, {"name", "fast"}, {"levers", {{"deployment_delay", 5}}}}, "f.json");
  ASSERT_TRUE(o.ok());
  auto s = ApplyOption(base, *o);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->deployment_delay, 5);
  auto bad = OptionFromJson({{"levers", {{"speed", 5}}}}, "f.json");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("levers.speed: unknown lever"), std::string::npos);
  auto neg = OptionFromJson({{"levers", {{"deployment_delay", -1}}}}, "f.json");
  ASSERT_TRUE(neg.ok());
  auto applied = ApplyOption(base, *neg);
  ASSERT_FALSE(applied.ok());
  EXPECT_NE(applied.status().message().find("intervention.deployment_delay = -1"), std::string::npos)
      << applied.status().message();
  for (const auto& n : BuiltinOptionNames()) {
    if (n == "safe-areas") continue;
    auto r = ResolveOption(n, base);
    ASSERT_TRUE(r.ok()) << n;
    EXPECT_TRUE(ApplyOption(base, *r).ok()) << n;
  }
  EXPECT_FALSE(ResolveOption("safe-areas", base).ok());  // no safe areas in the default struct
  auto missing = ResolveOption("/nonexistent/option.json", base);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("neither a built-in option"), std::string::npos);
}

TEST(LeversTest, TableCoversEveryApproach) {
  int approaches = 0;
  for (const auto& [k, v] : LeverTable()) approaches += k.rfind("approach ", 0) == 0;
  EXPECT_EQ(approaches, 7);
}

}  // namespace
}  // namespace vigil::sim
