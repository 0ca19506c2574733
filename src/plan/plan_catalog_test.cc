#include "plan/plan_catalog.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/embedded.h"

namespace vigil::plan {
namespace {

using nlohmann::json;

json Embedded(std::string_view name) {
  auto text = catalog::FindEmbedded(name);
  EXPECT_TRUE(text.ok()) << name;
  return json::parse(*text);
}

std::string ParseError(const json& j) {
  auto r = ParsePlanStages(j.dump(), "catalog/plan-stages.json");
  return r.ok() ? "" : r.status().message();
}

std::string DpError(const json& j) {
  auto r = ParseDecisionPoints(j.dump(), "catalog/decision-points.json");
  return r.ok() ? "" : r.status().message();
}

TEST(PlanCatalogTest, EmbeddedPlanStagesParse) {
  const PlanStagesCatalog& c = PlanStages();
  ASSERT_EQ(c.stages.size(), 7u);
  EXPECT_EQ(c.stages[0].id, "IA");
  EXPECT_EQ(c.stages[0].phase_title, "Prevention");
  EXPECT_EQ(c.stages[3].id, "IIA");
  EXPECT_EQ(c.stages[3].phase, "II");
  EXPECT_EQ(c.stages[6].phase_title, "Transition");
  for (const auto& s : c.stages) {
    EXPECT_FALSE(s.objective.empty()) << s.id;
    EXPECT_FALSE(s.transition_conditions.empty()) << s.id;
  }
  EXPECT_GE(c.loe_templates.size(), 4u);
  EXPECT_LE(c.loe_templates.size(), 10u);
  EXPECT_NE(c.Template("situation-understanding"), nullptr);
  EXPECT_NE(c.Template("justice-accountability"), nullptr);
  EXPECT_FALSE(c.dependency_rules.empty());
  EXPECT_EQ(c.cost_orders.size(), 3u);
  EXPECT_NE(c.Expectation("perpetrator-architect"), nullptr);
  EXPECT_EQ(c.Expectation("perpetrator-architect")->by_stage.size(), 7u);
}

TEST(PlanCatalogTest, EveryDimeToolHasATemplate) {
  const PlanStagesCatalog& c = PlanStages();
  const auto* dime = assess::FindReferenceCatalog("dime");
  ASSERT_NE(dime, nullptr);
  for (const auto& tool : dime->entries) EXPECT_NE(c.TemplateForTool(tool), nullptr) << tool.id;
  EXPECT_EQ(c.TemplateForTool(*dime->Find("conflict-assessment"))->id, "situation-understanding");
  EXPECT_EQ(c.TemplateForTool(*dime->Find("pressure"))->id, "diplomacy-strategic-communication");
  EXPECT_EQ(c.TemplateForTool(*dime->Find("no-fly-zone"))->id, "military-efforts");
  EXPECT_EQ(c.TemplateForTool(*dime->Find("freeze-assets"))->id, "economic-efforts");
  // Economic tools protecting victims go to humanitarian assistance (purpose match).
  EXPECT_EQ(c.TemplateForTool(*dime->Find("other-economic-intervention"))->id, "humanitarian-assistance");
  EXPECT_TRUE(c.NeedsArrival(*dime->Find("peace-operations")));
  EXPECT_TRUE(c.NeedsArrival(*dime->Find("embassy-augmentation")));
  EXPECT_FALSE(c.NeedsArrival(*dime->Find("pressure")));
  EXPECT_FALSE(c.NeedsArrival(*dime->Find("combat-camera")));
}

TEST(PlanCatalogTest, SelectorsMatchAllKeys) {
  const auto* dime = assess::FindReferenceCatalog("dime");
  TaskSelector s;
  s.instruments = {"military"};
  s.approaches = {"intervention"};
  EXPECT_TRUE(s.Matches(*dime->Find("no-fly-zone"), "military-efforts"));
  EXPECT_FALSE(s.Matches(*dime->Find("shows-of-force"), "military-efforts"));  // compellence
  EXPECT_FALSE(s.Matches(*dime->Find("embargoes"), "economic-efforts"));
  EXPECT_FALSE(TaskSelector{}.Matches(*dime->Find("pressure"), "x"));
}

TEST(PlanCatalogTest, EmbeddedDecisionPointsParse) {
  const DecisionPointCatalog& c = DecisionPoints();
  ASSERT_EQ(c.entries.size(), 13u);
  const DecisionPointKind* t = c.Find("stage-transition");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->stages.size(), 7u);
  EXPECT_FALSE(t->who_decides.empty());
  for (const auto& e : c.entries) {
    EXPECT_FALSE(e.question.empty()) << e.id;
    EXPECT_FALSE(e.fits_when.empty()) << e.id;
  }
}

TEST(PlanCatalogTest, PlanStagesErrorsNameFileAndField) {
  json good = Embedded("plan-stages.json");
  EXPECT_EQ(ParseError(good), "");

  json j = good;
  j["stages"][2].erase("objective");
  EXPECT_EQ(ParseError(j), "catalog/plan-stages.json: stages[2].objective: missing");

  j = good;
  j["stages"][1]["titel"] = "x";
  EXPECT_EQ(ParseError(j), "catalog/plan-stages.json: stages[1].titel: unknown field");

  j = good;
  std::swap(j["stages"][0], j["stages"][1]);
  EXPECT_NE(ParseError(j).find("stages: must be IA, IB, IC"), std::string::npos) << ParseError(j);

  j = good;
  j["loe_templates"][0]["tools"].push_back("nofly");
  EXPECT_EQ(ParseError(j),
            "catalog/plan-stages.json: loe_templates[0].tools[10]: unknown tool 'nofly' (see vigil catalog show dime)");

  j = good;
  j["dependency_rules"][1]["after"]["approaches"] = {"persuasion"};
  EXPECT_NE(ParseError(j).find("dependency_rules[1].after.approaches[0]: 'persuasion' is not one of suasion"),
            std::string::npos)
      << ParseError(j);

  j = good;
  j["dependency_rules"][0]["before"] = json::object();
  EXPECT_NE(ParseError(j).find("dependency_rules[0].before: selects nothing"), std::string::npos);

  j = good;
  j["actor_expectations"][0]["stages"].erase("IIB");
  EXPECT_NE(ParseError(j).find("actor_expectations[0].stages: no text for stage IIB"), std::string::npos);

  // Without the diplomatic catch-all, some diplomatic tools belong nowhere.
  j = good;
  for (auto& t : j["loe_templates"])
    if (t["id"] == "diplomacy-strategic-communication") t["instruments"] = {"informational"};
  EXPECT_NE(ParseError(j).find("belongs to no template"), std::string::npos);

  j = good;
  j["type"] = "reference-catalog";
  EXPECT_EQ(ParseError(j), "catalog/plan-stages.json: type: is 'reference-catalog', expected 'plan-stages'");

  EXPECT_EQ(ParsePlanStages("{", "x.json").status().message(), "x.json: not valid JSON");
}

TEST(PlanCatalogTest, DecisionPointErrorsNameFileAndField) {
  json good = Embedded("decision-points.json");
  EXPECT_EQ(DpError(good), "");

  json j = good;
  j["entries"][3]["watch_detectors"] = {"cusum", "sonar"};
  EXPECT_EQ(DpError(j),
            "catalog/decision-points.json: entries[3].watch_detectors[1]: unknown detector 'sonar' (one of "
            "threshold, cusum, new-pair, spread)");

  j = good;
  j["entries"][0]["fits_when"] = {"role:emperor"};
  EXPECT_NE(DpError(j).find("entries[0].fits_when[0]: 'role:emperor' is not a known condition"), std::string::npos);

  j = good;
  j["entries"][1]["stages"] = {"IV"};
  EXPECT_NE(DpError(j).find("entries[1].stages[0]: unknown stage 'IV'"), std::string::npos);

  j = good;
  j["entries"].erase(j["entries"].begin());
  EXPECT_NE(DpError(j).find("must list the 13 kinds"), std::string::npos);

  j = good;
  j["entries"][5]["id"] = j["entries"][4]["id"];
  EXPECT_NE(DpError(j).find("entries[5].id: duplicate id"), std::string::npos);
}

}  // namespace
}  // namespace vigil::plan
