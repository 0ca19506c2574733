#include "options/option.h"

#include <gtest/gtest.h>

#include "assess/frameworks.h"

namespace vigil::options {
namespace {

OptionPackage Sample() {
  OptionPackage o;
  o.title = "Coordinated pressure";
  o.summary = "Diplomatic and economic pressure in support of the AU.";
  o.approach = "compellence";
  o.role = "support-others";
  o.policy_goal = "Mass killing in Veridia is prevented.";
  o.objectives = {"Leaders refrain from violence", "Victims are protected"};
  o.rationale = "International support is high.";
  ToolChoice t1;
  t1.id = "pressure";
  t1.target_categories = {"perpetrators"};
  t1.target_actors = {"Presidential Guard"};
  t1.stages = {"IB", "IC"};
  t1.because = "chosen because: test";
  o.tools.push_back(t1);
  ToolChoice t2;
  t2.id = "inducements";
  t2.target_categories = {"bystanders"};
  o.tools.push_back(t2);
  OptionRisk r;
  r.id = "ineffectiveness";
  r.likelihood = "medium";
  r.impact = "high";
  r.mitigations = {"Combine incentives with threats"};
  r.because = "suasion may not move committed leaders";
  o.risks.push_back(r);
  o.resources = {"low", "US$ 1-10 million", "envoy team of 5", "weeks", ""};
  o.escalation_triggers = {"killings continue for two weeks"};
  o.advantages = {"cheap"};
  o.disadvantages = {"slow"};
  return o;
}

TEST(OptionTest, Vocabularies) {
  EXPECT_TRUE(IsRole("lead-multinational"));
  EXPECT_FALSE(IsRole("leader"));
  EXPECT_TRUE(IsOptionStatus("withdrawn"));
  EXPECT_FALSE(IsOptionStatus("done"));
  EXPECT_TRUE(IsApproach("intervention"));
  EXPECT_FALSE(IsApproach("persuasion"));
  EXPECT_TRUE(IsLevel("medium"));
  EXPECT_EQ(ApproachRank("suasion"), 0);
  EXPECT_EQ(ApproachRank("compellence"), 1);
  EXPECT_EQ(ApproachRank("intervention"), 2);
  EXPECT_EQ(ApproachRank("x"), -1);
}

TEST(OptionTest, SituationGetAndBasis) {
  Situation s;
  s.host_nation_role = "adversary";
  s.volatility = "urgent";
  s.basis = {{"host-nation-role", "analyst"}};
  EXPECT_EQ(s.Get("host-nation-role"), "adversary");
  EXPECT_EQ(s.Get("volatility"), "urgent");
  EXPECT_EQ(s.Get("us-interests"), "");
  EXPECT_EQ(s.Get("nonsense"), "");
  EXPECT_EQ(s.Basis("host-nation-role"), "analyst");
  EXPECT_EQ(s.Basis("volatility"), "");
}

TEST(OptionTest, SituationJsonRoundTrip) {
  Situation s;
  s.host_nation_role = "partner";
  s.international_support = "high";
  s.basis = {{"host-nation-role", "analyst"}, {"international-support", "inferred: 2 interveners"}};
  s.updated_by = "ana";
  auto back = SituationFromJson(ToJson(s));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(ToJson(*back), ToJson(s));
  // The flat table form.
  auto flat = SituationFromJson(nlohmann::json{{"volatility", "urgent"}});
  ASSERT_TRUE(flat.ok());
  EXPECT_EQ(flat->volatility, "urgent");
  auto bad = SituationFromJson(nlohmann::json{{"variables", {{"volatility", 3}}}});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("variables.volatility"), std::string::npos);
}

TEST(OptionTest, ValidateFillsCatalogFieldsAndGroupsByInstrument) {
  OptionPackage o = Sample();
  ToolChoice e;
  e.id = "freeze-assets";
  ASSERT_NE(assess::FindReferenceCatalog("dime")->Find(e.id), nullptr) << "catalog id changed";
  o.tools.insert(o.tools.begin(), e);
  ASSERT_TRUE(ValidateOption(o).ok()) << ValidateOption(o).ToString();
  EXPECT_EQ(o.tools.front().instrument, "diplomatic");
  EXPECT_EQ(o.tools.back().id, "freeze-assets");
  EXPECT_EQ(o.tools.back().instrument, "economic");
  EXPECT_EQ(o.tools.back().approach, "compellence");
  EXPECT_FALSE(o.tools.back().title.empty());
  EXPECT_EQ(o.tools[0].lead_agency, "State");
  EXPECT_EQ(o.risks[0].title, assess::FindReferenceCatalog("dime-risks")->Find("ineffectiveness")->title);
  EXPECT_EQ(o.Instruments(), (std::vector<std::string>{"diplomatic", "economic"}));
  EXPECT_NE(o.FindTool("pressure"), nullptr);
  EXPECT_EQ(o.FindTool("nofly"), nullptr);
}

std::string ErrorOf(void (*edit)(OptionPackage&)) {
  OptionPackage o = Sample();
  edit(o);
  Status st = ValidateOption(o);
  EXPECT_FALSE(st.ok());
  EXPECT_EQ(st.code(), Status::Code::kInvalidArgument);
  return st.message();
}

TEST(OptionTest, ValidateErrorsNameTheField) {
  EXPECT_NE(ErrorOf([](OptionPackage& o) { o.title.clear(); }).find("title"), std::string::npos);
  EXPECT_NE(ErrorOf([](OptionPackage& o) { o.policy_goal.clear(); }).find("policy_goal"), std::string::npos);
  EXPECT_NE(ErrorOf([](OptionPackage& o) { o.approach = "persuasion"; }).find("approach: 'persuasion'"),
            std::string::npos);
  EXPECT_NE(ErrorOf([](OptionPackage& o) { o.role = "boss"; }).find("role: 'boss'"), std::string::npos);
  EXPECT_NE(ErrorOf([](OptionPackage& o) { o.military_approach = "blitz"; }).find("military_approach"),
            std::string::npos);
  EXPECT_NE(ErrorOf([](OptionPackage& o) { o.objectives.clear(); }).find("objectives"), std::string::npos);
  EXPECT_EQ(ErrorOf([](OptionPackage& o) { o.tools[1].id = "nofly"; }),
            "tools[1].id: unknown tool 'nofly' (see vigil catalog show dime)");
  EXPECT_NE(ErrorOf([](OptionPackage& o) { o.tools[1].id = "pressure"; }).find("twice"), std::string::npos);
  EXPECT_NE(ErrorOf([](OptionPackage& o) { o.tools[0].target_categories = {"aliens"}; })
                .find("tools[0].target_categories[0]"),
            std::string::npos);
  EXPECT_NE(ErrorOf([](OptionPackage& o) { o.tools[0].stages = {"IV"}; }).find("tools[0].stages[0]"),
            std::string::npos);
  EXPECT_NE(ErrorOf([](OptionPackage& o) { o.risks[0].id = "meteor"; }).find("risks[0].id: unknown risk 'meteor'"),
            std::string::npos);
  EXPECT_NE(ErrorOf([](OptionPackage& o) { o.risks[0].likelihood = "certain"; }).find("risks[0].likelihood"),
            std::string::npos);
  EXPECT_NE(ErrorOf([](OptionPackage& o) { o.risks[0].mitigations.clear(); }).find("risks[0].mitigations"),
            std::string::npos);
  EXPECT_NE(ErrorOf([](OptionPackage& o) { o.status = "done"; }).find("status: 'done'"), std::string::npos);
  EXPECT_NE(ErrorOf([](OptionPackage& o) { o.origin = "magic"; }).find("origin: 'magic'"), std::string::npos);
  // A tool stronger than the package's approach.
  EXPECT_NE(ErrorOf([](OptionPackage& o) {
              o.approach = "suasion";
              o.tools[1].id = "freeze-assets";
            }).find("stronger than the option's approach"),
            std::string::npos);
}

TEST(OptionTest, JsonRoundTrip) {
  OptionPackage o = Sample();
  o.id = 7;
  o.case_id = 3;
  o.number = 2;
  o.version = 4;
  o.military_approach = "safe-areas";
  o.approach = "intervention";
  o.status = "approved";
  o.created_at = "2026-01-01T00:00:00Z";
  ASSERT_TRUE(ValidateOption(o).ok());
  nlohmann::json j = ToJson(o);
  EXPECT_EQ(j["instruments"], nlohmann::json::array({"diplomatic"}));
  auto back = OptionFromJson(j);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(ToJson(*back), j);
  EXPECT_EQ(back->number, 2);
  EXPECT_EQ(back->tools[0].target_actors, (std::vector<std::string>{"Presidential Guard"}));
  EXPECT_EQ(back->risks[0].mitigations.size(), 1u);
  // Through text as the store keeps it.
  auto back2 = OptionFromJson(nlohmann::json::parse(j.dump()));
  ASSERT_TRUE(back2.ok());
  EXPECT_EQ(ToJson(*back2), j);
}

TEST(OptionTest, FromJsonWrongTypesNameTheField) {
  nlohmann::json j = ToJson(Sample());
  j["tools"][1]["target_actors"] = "Presidential Guard";
  auto r = OptionFromJson(j);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("tools[1].target_actors"), std::string::npos) << r.status().message();
  j = ToJson(Sample());
  j["risks"][0]["mitigations"][0] = 5;
  r = OptionFromJson(j);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("risks[0].mitigations[0]"), std::string::npos);
  j = ToJson(Sample());
  j["number"] = "two";
  r = OptionFromJson(j);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("number"), std::string::npos);
  EXPECT_FALSE(OptionFromJson(nlohmann::json::array()).ok());
}

TEST(OptionTest, CompareOptions) {
  OptionPackage a = Sample();
  a.id = 1;
  OptionPackage b = Sample();
  b.id = 2;
  b.approach = "intervention";
  b.role = "lead-multinational";
  b.military_approach = "safe-areas";
  ToolChoice pk;
  pk.id = "peace-operations";
  b.tools.push_back(pk);
  ASSERT_TRUE(ValidateOption(a).ok());
  ASSERT_TRUE(ValidateOption(b).ok());
  std::vector<Opinion> ops = {{1, 2, "recommend", "ana", "best", ""}, {2, 2, "dissent", "bo", "too risky", ""}};
  auto rows = CompareOptions({a, b}, ops);
  auto find = [&](const std::string& label) -> const ComparisonRow& {
    for (const auto& r : rows) {
      if (r.label == label) return r;
    }
    ADD_FAILURE() << "no row " << label;
    return rows.front();
  };
  EXPECT_EQ(find("Approach").values, (std::vector<std::string>{"compellence", "intervention"}));
  EXPECT_EQ(find("Military approach").values[0], "none");
  EXPECT_EQ(find("Tools (D/I/M/E)").values[0], "2/0/0/0");
  EXPECT_EQ(find("Tools (D/I/M/E)").values[1], "2/0/1/0");
  EXPECT_EQ(find("Tools needing host consent").values[1], "peace-operations");
  EXPECT_EQ(find("Recommended by").values, (std::vector<std::string>{"none", "ana"}));
  EXPECT_EQ(find("Dissents").values, (std::vector<std::string>{"none", "bo"}));
  EXPECT_EQ(ToJson(rows).size(), rows.size());
}

}  // namespace
}  // namespace vigil::options
