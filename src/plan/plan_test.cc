#include "plan/plan.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "assess/frameworks.h"
#include "plan/plan_catalog.h"

namespace vigil::plan {
namespace {

using nlohmann::json;

options::ToolChoice Tool(const std::string& id, std::vector<std::string> targets = {}) {
  const assess::ReferenceEntry* e = assess::FindReferenceCatalog("dime")->Find(id);
  EXPECT_NE(e, nullptr) << id;
  options::ToolChoice t;
  t.id = id;
  t.title = e->title;
  t.instrument = e->Field("instrument");
  t.approach = e->Field("approach");
  t.lead_agency = e->Field("lead_agency");
  t.stages = e->List("stages");
  t.target_actors = std::move(targets);
  t.because = "test";
  return t;
}

assess::Actor MakeActor(std::int64_t id, const std::string& name, const std::string& kind, const std::string& role) {
  assess::Actor a;
  a.id = id;
  a.name = name;
  a.kind = kind;
  assess::ActorRole r;
  r.role = role;
  r.from = "2024-01";
  a.roles.push_back(r);
  return a;
}

// A case with a perpetrator government, a militia, an intervener, a
// bystander and an enabler; three assumptions (two unvalidated); two CIRs
// (one answered).
assess::CaseFile MakeCase() {
  assess::CaseFile f;
  f.info.id = 7;
  f.info.title = "Test: Republic of Nowhere";
  f.info.purpose = "Rising attacks on the Eastern minority";
  f.actors.push_back(MakeActor(1, "Government of Nowhere", "state", "perpetrator-architect"));
  f.actors.push_back(MakeActor(2, "Red Hand militia", "group", "perpetrator-rank-and-file"));
  f.actors.push_back(MakeActor(3, "Regional Union", "organization", "intervener"));
  f.actors.push_back(MakeActor(4, "Neighbour State", "state", "bystander"));
  f.actors.push_back(MakeActor(5, "Arms broker", "person", "third-party-enabler"));
  f.actors.push_back(MakeActor(6, "Eastern minority", "group", "victim"));
  // A role that has ended does not count.
  assess::ActorRole ended;
  ended.role = "perpetrator-facilitator";
  ended.from = "2020";
  ended.to = "2021";
  f.actors[3].roles.insert(f.actors[3].roles.begin(), ended);
  assess::Assumption a1, a2, a3;
  a1.id = 11;
  a1.text = "The Regional Union will deploy observers within three months";
  a2.id = 12;
  a2.text = "Neighbour State keeps its border open to refugees";
  a3.id = 13;
  a3.text = "The army stays loyal to the government";
  a3.status = "validated";
  f.assumptions = {a1, a2, a3};
  assess::InformationRequirement c1, c2;
  c1.id = 21;
  c1.question = "Who commands the Red Hand militia?";
  c2.id = 22;
  c2.question = "Are arms arriving through the northern port?";
  c2.status = "answered";
  c2.answer = "Yes";
  f.cirs = {c1, c2};
  assess::AssessmentEntry e;
  e.section = "drivers-of-conflict";
  e.text = "Land disputes in the east feed a narrative of minority disloyalty.";
  f.assessment.push_back(e);
  return f;
}

options::OptionPackage MakeOption() {
  options::OptionPackage o;
  o.id = 3;
  o.case_id = 7;
  o.number = 2;
  o.title = "Lead a multinational effort to protect the minority";
  o.summary = "Pressure, sanctions and a regional protection force.";
  o.approach = "intervention";
  o.role = "lead-multinational";
  o.policy_goal = "Prevent and if necessary halt mass atrocities against the Eastern minority";
  o.objectives = {"Stop attacks on civilians", "Keep the conflict from spreading"};
  o.tools = {Tool("usg-planning"),
             Tool("pressure", {"Government of Nowhere"}),
             Tool("coalition-building"),
             Tool("conflict-assessment"),
             Tool("strategic-communication"),
             Tool("international-sanctions", {"Government of Nowhere", "Arms broker"}),
             Tool("peace-operations"),
             Tool("humanitarian-assistance"),
             Tool("criminal-investigations")};
  o.resources.cost = "high";
  o.resources.funding = "US$ 100-500 million over 12 months";
  options::OptionRisk r1;
  r1.id = "quagmire";
  r1.title = "Quagmire";
  r1.likelihood = "medium";
  r1.impact = "high";
  r1.mitigations = {"Agree an end state and a successor force first"};
  options::OptionRisk r2;
  r2.id = "ineffectiveness";
  r2.title = "Ineffectiveness";
  r2.likelihood = "medium";
  r2.impact = "medium";
  r2.mitigations = {"Review monthly"};
  o.risks = {r1, r2};
  o.escalation_triggers = {"Attacks on displaced people's camps"};
  o.status = "approved";
  return o;
}

PolicyStatement Approved(PolicyStatement p) {
  p.status = "approved";
  p.version = 1;
  return p;
}

int IndexOf(const std::vector<const Task*>& seq, const std::string& id) {
  for (std::size_t i = 0; i < seq.size(); ++i)
    if (seq[i]->id == id) return static_cast<int>(i);
  return -1;
}

const Task* TaskForTool(const Plan& p, const std::string& tool) {
  for (const auto& t : p.tasks)
    if (t.tool == tool) return &t;
  return nullptr;
}

bool DependsOnTool(const Plan& p, const Task& t, const std::string& tool) {
  for (const auto& d : t.depends_on)
    if (p.FindTask(d)->tool == tool) return true;
  return false;
}

// ---- Vocabularies --------------------------------------------------------------------

TEST(PlanVocabTest, StagesAndVocabularies) {
  EXPECT_EQ(StageIndex("IA"), 0);
  EXPECT_EQ(StageIndex("IIA"), 3);
  EXPECT_EQ(StageIndex("IIIB"), 6);
  EXPECT_EQ(StageIndex("IV"), -1);
  EXPECT_TRUE(IsStage("IC"));
  EXPECT_FALSE(IsStage("ic"));
  EXPECT_TRUE(IsDecisionKind("branch"));
  EXPECT_FALSE(IsDecisionKind("coup"));
  EXPECT_TRUE(IsDecisionOutcome("activated"));
  EXPECT_TRUE(IsExecutionStatus("at-risk"));
  EXPECT_FALSE(IsExecutionStatus("fine"));
  EXPECT_TRUE(IsConsiderationCategory("strategic-communication"));
}

// ---- DraftPolicy / ValidatePolicy --------------------------------------------------------

TEST(DraftPolicyTest, GroupsToolsIntoFourToTenLoesWithLeads) {
  auto f = MakeCase();
  auto o = MakeOption();
  auto p = DraftPolicy(f, o);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->status, "draft");
  EXPECT_EQ(p->option_id, 3);
  EXPECT_EQ(p->option_number, 2);
  EXPECT_EQ(p->goal, o.policy_goal);
  EXPECT_EQ(p->objectives, o.objectives);
  EXPECT_GE(p->loes.size(), 4u);
  EXPECT_LE(p->loes.size(), 10u);
  std::map<std::string, std::string> loe_of_tool;
  for (std::size_t i = 0; i < p->loes.size(); ++i) {
    const auto& l = p->loes[i];
    EXPECT_EQ(l.id, "loe-" + std::to_string(i + 1));
    EXPECT_FALSE(l.lead.empty()) << l.id;
    EXPECT_FALSE(l.resources.empty()) << l.id;
    EXPECT_EQ(l.priority, static_cast<int>(i) + 1);
    for (const auto& t : l.tools) EXPECT_TRUE(loe_of_tool.emplace(t, l.title).second) << t << " twice";
  }
  EXPECT_EQ(loe_of_tool.size(), o.tools.size());
  EXPECT_EQ(loe_of_tool["conflict-assessment"], "Situation understanding");
  EXPECT_EQ(loe_of_tool["peace-operations"], "Safe and secure environment");
  EXPECT_EQ(loe_of_tool["humanitarian-assistance"], "Humanitarian assistance");
  EXPECT_EQ(loe_of_tool["criminal-investigations"], "Justice and accountability");
  for (const auto& l : p->loes) {
    if (l.title == "Justice and accountability") {
      EXPECT_EQ(l.lead, "Justice");
    }
    if (l.title == "Humanitarian assistance") {
      EXPECT_EQ(l.lead, "USAID");
    }
  }
  // Considerations of every category.
  std::map<std::string, int> cats;
  for (const auto& c : p->considerations) ++cats[c.category];
  EXPECT_GE(cats["conditions"], 1);
  EXPECT_GE(cats["other-actors"], 2);  // interveners, bystanders, enablers
  EXPECT_EQ(cats["resources"], 1);
  EXPECT_EQ(cats["strategic-communication"], 1);
  for (const auto& c : p->considerations)
    if (c.category == "strategic-communication") {
      EXPECT_NE(c.text.find("Strategic communication plan"), std::string::npos) << c.text;
      EXPECT_EQ(c.text.find("Conflict assessment"), std::string::npos) << c.text;
    }
  bool enabler = false;
  for (const auto& c : p->considerations) enabler = enabler || c.text.find("Arms broker") != std::string::npos;
  EXPECT_TRUE(enabler);
  EXPECT_FALSE(p->lead_official.empty());
  EXPECT_TRUE(ValidatePolicy(*p, true).ok()) << ValidatePolicy(*p, true).ToString();
}

TEST(DraftPolicyTest, SmallOptionStillGetsFourLoes) {
  auto o = MakeOption();
  o.tools = {Tool("pressure")};
  o.approach = "suasion";
  auto p = DraftPolicy(MakeCase(), o);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->loes.size(), 4u);
  EXPECT_TRUE(ValidatePolicy(*p, true).ok());
  EXPECT_EQ(p->lead_official, "Chief of Mission");
}

TEST(DraftPolicyTest, NeedsAnApprovedOption) {
  auto o = MakeOption();
  o.status = "proposed";
  auto p = DraftPolicy(MakeCase(), o);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), Status::Code::kFailedPrecondition);
  EXPECT_NE(p.status().message().find("not approved"), std::string::npos);
}

TEST(ValidatePolicyTest, ErrorsNameTheField) {
  auto good = DraftPolicy(MakeCase(), MakeOption()).value();
  ASSERT_TRUE(ValidatePolicy(good, true).ok());

  auto p = good;
  p.goal = " ";
  EXPECT_EQ(ValidatePolicy(p, false).message(), "goal: missing");
  p = good;
  p.objectives.clear();
  EXPECT_NE(ValidatePolicy(p, false).message().find("objectives:"), std::string::npos);
  p = good;
  p.loes.resize(3);
  EXPECT_TRUE(ValidatePolicy(p, false).ok());
  EXPECT_EQ(ValidatePolicy(p, true).message(),
            "loes: a policy statement for approval needs 4 to 10 lines of effort, not 3");
  p = good;
  while (p.loes.size() < 11) {
    p.loes.push_back(p.loes.back());
    p.loes.back().id = "loe-" + std::to_string(p.loes.size());
  }
  EXPECT_NE(ValidatePolicy(p, true).message().find("not 11"), std::string::npos);
  p = good;
  p.loes[1].id = p.loes[0].id;
  EXPECT_EQ(ValidatePolicy(p, false).message(), "loes[1].id: duplicate id 'loe-1'");
  p = good;
  p.loes[2].id = "loe2";
  EXPECT_EQ(ValidatePolicy(p, false).message(), "loes[2].id: 'loe2' is not of the form loe-N");
  p = good;
  p.loes[0].lead = "";
  EXPECT_EQ(ValidatePolicy(p, false).message(), "loes[0].lead: missing (the lead agency)");
  p = good;
  p.loes[0].tools.push_back("nofly");
  EXPECT_NE(ValidatePolicy(p, false).message().find("loes[0].tools["), std::string::npos);
  EXPECT_NE(ValidatePolicy(p, false).message().find("unknown tool 'nofly'"), std::string::npos);
  p = good;
  p.considerations.push_back({"weather", "rain"});
  EXPECT_NE(ValidatePolicy(p, false).message().find("category: 'weather' is not one of conditions"),
            std::string::npos);
  p = good;
  p.status = "final";
  EXPECT_NE(ValidatePolicy(p, false).message().find("status: 'final'"), std::string::npos);
}

// ---- BuildPlan ------------------------------------------------------------------------------

class BuildPlanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    file = MakeCase();
    option = MakeOption();
    policy = Approved(DraftPolicy(file, option).value());
    auto p = BuildPlan(file, option, policy);
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    plan = std::move(p).value();
  }
  assess::CaseFile file;
  options::OptionPackage option;
  PolicyStatement policy;
  Plan plan;
};

TEST_F(BuildPlanTest, NeedsAnApprovedPolicy) {
  PolicyStatement draft = policy;
  draft.status = "draft";
  auto p = BuildPlan(file, option, draft);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), Status::Code::kFailedPrecondition);
  EXPECT_NE(p.status().message().find("vigil policy approve"), std::string::npos);
  // Unknown tools in the option or the policy are errors naming the tool.
  auto bad = option;
  bad.tools.push_back(Tool("pressure"));
  bad.tools.back().id = "nofly";
  auto q = BuildPlan(file, bad, policy);
  ASSERT_FALSE(q.ok());
  EXPECT_EQ(q.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(q.status().message().find("unknown tool 'nofly'"), std::string::npos) << q.status().message();
  EXPECT_NE(DraftPolicy(file, bad).status().message().find("unknown tool 'nofly'"), std::string::npos);
  auto badpol = policy;
  badpol.loes[0].tools.push_back("nofly");
  EXPECT_NE(BuildPlan(file, option, badpol).status().message().find("loes[0].tools["), std::string::npos);
}

TEST_F(BuildPlanTest, StagesHaveObjectivesAndTransitionConditions) {
  ASSERT_EQ(plan.stages.size(), 7u);
  for (std::size_t i = 0; i < 7; ++i) {
    EXPECT_EQ(plan.stages[i].id, assess::kPlanStages[i]);
    EXPECT_FALSE(plan.stages[i].objective.empty());
    EXPECT_FALSE(plan.stages[i].transition_conditions.empty());
  }
  // The option's escalation trigger is a condition for leaving IB.
  const auto& ib = plan.stages[1].transition_conditions;
  EXPECT_NE(std::find(ib.begin(), ib.end(), "Escalation trigger: Attacks on displaced people's camps"), ib.end());
  EXPECT_EQ(plan.goal, policy.goal);
  EXPECT_EQ(plan.policy_version, 1);
  EXPECT_TRUE(ValidatePlan(plan).ok()) << ValidatePlan(plan).ToString();
}

TEST_F(BuildPlanTest, TasksForEveryToolInExistingLoes) {
  for (const auto& tool : option.tools) {
    const Task* t = TaskForTool(plan, tool.id);
    ASSERT_NE(t, nullptr) << tool.id;
    EXPECT_FALSE(t->agency.empty());
    EXPECT_FALSE(t->stages.empty());
    EXPECT_FALSE(t->resources.empty());
  }
  for (const auto& t : plan.tasks) EXPECT_NE(plan.FindLoe(t.loe), nullptr) << t.id << " " << t.loe;
  EXPECT_EQ(TaskForTool(plan, "peace-operations")->agency, "DoD");
  EXPECT_EQ(TaskForTool(plan, "pressure")->title, "Diplomatic pressure (aimed at Government of Nowhere)");
  for (const auto& l : plan.loes) EXPECT_FALSE(l.resources.empty());
}

TEST_F(BuildPlanTest, DependenciesFollowTheRulesWithoutCycles) {
  ASSERT_TRUE(ValidatePlan(plan).ok());
  const Task* sanctions = TaskForTool(plan, "international-sanctions");
  EXPECT_TRUE(DependsOnTool(plan, *sanctions, "pressure"));             // demarche before sanctions
  EXPECT_TRUE(DependsOnTool(plan, *sanctions, "conflict-assessment"));  // assess before coercion
  EXPECT_TRUE(DependsOnTool(plan, *TaskForTool(plan, "criminal-investigations"), "usg-planning"));
  EXPECT_TRUE(TaskForTool(plan, "usg-planning")->depends_on.empty());
  // The peace operation waits for its resource arrival, which waits for the coalition.
  const Task* peace = TaskForTool(plan, "peace-operations");
  ASSERT_EQ(peace->depends_on.size(), 1u);
  const Task* arrival = plan.FindTask(peace->depends_on[0]);
  ASSERT_NE(arrival, nullptr);
  EXPECT_FALSE(arrival->arrival.empty());
  EXPECT_TRUE(arrival->tool.empty());
  EXPECT_NE(arrival->arrival.find("Peace operations"), std::string::npos) << arrival->arrival;
  EXPECT_TRUE(DependsOnTool(plan, *arrival, "coalition-building"));
  // Sequence respects every dependency.
  auto seq = plan.Sequence();
  ASSERT_EQ(seq.size(), plan.tasks.size());
  for (const auto& t : plan.tasks)
    for (const auto& d : t.depends_on) EXPECT_LT(IndexOf(seq, d), IndexOf(seq, t.id)) << d << " before " << t.id;
}

TEST_F(BuildPlanTest, BranchPerUnvalidatedAssumptionAndEscalation) {
  ASSERT_EQ(plan.branches.size(), 3u);
  EXPECT_EQ(plan.branches[0].assumption_id, 11);
  EXPECT_EQ(plan.branches[1].assumption_id, 12);
  EXPECT_NE(plan.branches[0].condition.find("observers"), std::string::npos);
  EXPECT_EQ(plan.branches[2].assumption_id, 0);
  EXPECT_NE(plan.branches[2].title.find("Escalation"), std::string::npos);
  EXPECT_EQ(plan.branches[2].condition, "Attacks on displaced people's camps");
  EXPECT_NE(plan.branches[2].response.find("broader mandate"), std::string::npos);
  for (const auto& b : plan.branches) EXPECT_EQ(b.status, "inactive");
}

TEST_F(BuildPlanTest, DecisionPointsFitTheOption) {
  std::map<std::string, const DecisionPoint*> by_kind;
  for (const auto& d : plan.decision_points) by_kind[d.kind] = &d;
  for (const char* k : {"stage-transition", "setback", "branch-plan", "transfer-responsibility", "await-un-mandate",
                        "exit-strategy", "accommodate-others", "peace-versus-justice"})
    EXPECT_TRUE(by_kind.count(k)) << k;
  EXPECT_EQ(by_kind["stage-transition"]->who_decides, "Deputies Committee");
  // A suasion-only option without UN, justice or partners gets fewer.
  auto small = option;
  small.tools = {Tool("pressure"), Tool("conflict-assessment")};
  small.approach = "suasion";
  small.role = "unilateral";
  auto pol = Approved(DraftPolicy(file, small).value());
  auto p = BuildPlan(file, small, pol).value();
  std::set<std::string> kinds;
  for (const auto& d : p.decision_points) kinds.insert(d.kind);
  EXPECT_TRUE(kinds.count("stage-transition"));
  EXPECT_FALSE(kinds.count("await-un-mandate"));
  EXPECT_FALSE(kinds.count("peace-versus-justice"));
  EXPECT_FALSE(kinds.count("transfer-responsibility"));
  EXPECT_EQ(p.branches.back().title, "Escalation to a compellence option");
  EXPECT_NE(p.branches.back().response.find("compellence approach"), std::string::npos);
  EXPECT_TRUE(kinds.count("exit-strategy"));  // role unilateral
}

TEST_F(BuildPlanTest, ActorsCirsAndRisks) {
  std::map<std::string, std::set<std::string>> stages_of;
  std::map<std::string, std::string> category_of;
  for (const auto& a : plan.expected_actions) {
    stages_of[a.actor].insert(a.stage);
    category_of[a.actor] = a.category;
    EXPECT_FALSE(a.text.empty());
  }
  EXPECT_EQ(stages_of["Government of Nowhere"].size(), 7u);
  EXPECT_EQ(category_of["Government of Nowhere"], "perpetrators");
  EXPECT_EQ(category_of["Red Hand militia"], "perpetrators");
  EXPECT_EQ(category_of["Regional Union"], "other-actors");
  EXPECT_EQ(category_of["Arms broker"], "other-actors");
  // Neighbour State's facilitator role ended: it is only a bystander now.
  for (const auto& a : plan.expected_actions)
    if (a.actor == "Neighbour State") {
      EXPECT_EQ(a.category, "other-actors");
    }

  ASSERT_EQ(plan.info_requirements.size(), 1u);  // the answered CIR is not a requirement
  EXPECT_EQ(plan.info_requirements[0].ref, "cir:21");
  EXPECT_NE(plan.info_requirements[0].text.find("Red Hand"), std::string::npos);
  EXPECT_FALSE(plan.info_requirements[0].stages.empty());

  ASSERT_EQ(plan.risks.size(), 2u);
  EXPECT_EQ(plan.risks[0].ref, "risk:quagmire");
  EXPECT_NE(plan.risks[0].text.find("Agree an end state"), std::string::npos);
  // Quagmire sits where military force is used (IIA-IIIA for peace operations), not in IA.
  EXPECT_EQ(std::count(plan.risks[0].stages.begin(), plan.risks[0].stages.end(), "IA"), 0);
  EXPECT_EQ(std::count(plan.risks[0].stages.begin(), plan.risks[0].stages.end(), "IIA"), 1);
}

TEST(BuildPlanAllToolsTest, EveryDimeToolInOnePlanIsValidAndAcyclic) {
  auto f = MakeCase();
  auto o = MakeOption();
  o.tools.clear();
  for (const auto& e : assess::FindReferenceCatalog("dime")->entries) o.tools.push_back(Tool(e.id));
  auto pol = DraftPolicy(f, o);
  ASSERT_TRUE(pol.ok()) << pol.status().ToString();
  EXPECT_EQ(pol->loes.size(), 10u);
  auto p = BuildPlan(f, o, Approved(*pol));
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_TRUE(ValidatePlan(*p).ok());
  std::size_t with_tool = 0, arrivals = 0;
  for (const auto& t : p->tasks) {
    with_tool += !t.tool.empty();
    arrivals += !t.arrival.empty();
  }
  EXPECT_EQ(with_tool, o.tools.size());
  EXPECT_GT(arrivals, 10u);
  EXPECT_EQ(p->decision_points.size(), 13u);  // every kind fits some tool of the full toolbox
}

// ---- ValidatePlan ------------------------------------------------------------------------------

Plan SmallPlan() {
  Plan p;
  p.goal = "g";
  LineOfEffort l;
  l.id = "loe-1";
  l.title = "Diplomacy";
  l.lead = "State";
  p.loes.push_back(l);
  for (int i = 1; i <= 4; ++i) {
    Task t;
    t.id = "t-" + std::to_string(i);
    t.loe = "loe-1";
    t.title = "task " + std::to_string(i);
    t.agency = "State";
    t.stages = {"IB"};
    p.tasks.push_back(t);
  }
  p.tasks[1].depends_on = {"t-1"};
  p.tasks[3].depends_on = {"t-3"};
  return p;
}

TEST(ValidatePlanTest, DetectsAPlantedCycleAndNamesIt) {
  Plan p = SmallPlan();
  ASSERT_TRUE(ValidatePlan(p).ok());
  p.tasks[2].depends_on = {"t-4"};  // t-3 -> t-4 -> t-3
  EXPECT_EQ(ValidatePlan(p).message(), "tasks: dependency cycle t-3 -> t-4 -> t-3 (each depends on the next)");
  p = SmallPlan();
  p.tasks[0].depends_on = {"t-4"};  // t-1 -> t-4 -> t-3 ... no cycle yet
  ASSERT_TRUE(ValidatePlan(p).ok());
  p.tasks[2].depends_on = {"t-2"};  // t-2 -> t-1 -> t-4 -> t-3 -> t-2
  EXPECT_EQ(ValidatePlan(p).message(),
            "tasks: dependency cycle t-1 -> t-4 -> t-3 -> t-2 -> t-1 (each depends on the next)");
  p = SmallPlan();
  p.tasks[0].depends_on = {"t-1"};
  EXPECT_EQ(ValidatePlan(p).message(), "tasks[0].depends_on[0]: task t-1 depends on itself");
  // Sequence still returns every task once.
  EXPECT_EQ(p.Sequence().size(), 4u);
}

TEST(ValidatePlanTest, UnknownReferencesAndDuplicates) {
  Plan p = SmallPlan();
  p.tasks[1].loe = "loe-9";
  EXPECT_EQ(ValidatePlan(p).message(), "tasks[1].loe: unknown line of effort 'loe-9' of task t-2");
  p = SmallPlan();
  p.tasks[2].id = "t-2";
  EXPECT_EQ(ValidatePlan(p).message(), "tasks[2].id: duplicate id 't-2'");
  p = SmallPlan();
  p.tasks[1].depends_on = {"t-42"};
  EXPECT_EQ(ValidatePlan(p).message(), "tasks[1].depends_on[0]: unknown task 't-42' (task t-2)");
  p = SmallPlan();
  p.tasks[0].stages = {"IB", "IV"};
  EXPECT_NE(ValidatePlan(p).message().find("tasks[0].stages[1]: unknown stage 'IV'"), std::string::npos);
  p = SmallPlan();
  p.tasks[0].stages.clear();
  EXPECT_EQ(ValidatePlan(p).message(), "tasks[0].stages: needs at least one stage");
  p = SmallPlan();
  p.tasks[3].tool = "nofly";
  EXPECT_EQ(ValidatePlan(p).message(), "tasks[3].tool: unknown tool 'nofly' (see vigil catalog show dime)");
  p = SmallPlan();
  p.loes.push_back(p.loes[0]);
  EXPECT_EQ(ValidatePlan(p).message(), "loes[1].id: duplicate id 'loe-1'");
  p = SmallPlan();
  BranchPlan b;
  b.id = "b-1";
  b.title = "x";
  b.watch_detectors = {"radar"};
  p.branches.push_back(b);
  EXPECT_NE(ValidatePlan(p).message().find("branches[0].watch_detectors[0]: unknown detector 'radar'"),
            std::string::npos);
  p.branches[0].watch_detectors = {"cusum"};
  p.branches[0].min_severity = "huge";
  EXPECT_NE(ValidatePlan(p).message().find("branches[0].min_severity: 'huge'"), std::string::npos);
  p.branches[0].min_severity = "high";
  DecisionPoint d;
  d.id = "b-1";  // the id of the branch
  d.question = "q";
  d.who_decides = "DC";
  p.decision_points.push_back(d);
  EXPECT_NE(ValidatePlan(p).message().find("decision_points[0].id: 'b-1' is not of the form dp-N"),
            std::string::npos);
  p.decision_points[0].id = "dp-1";
  p.decision_points[0].kind = "lunch";
  EXPECT_NE(ValidatePlan(p).message().find("decision_points[0].kind: unknown decision-point kind 'lunch'"),
            std::string::npos);
  p.decision_points[0].kind = "setback";
  EXPECT_TRUE(ValidatePlan(p).ok()) << ValidatePlan(p).ToString();
  p.current_stage = "V";
  EXPECT_NE(ValidatePlan(p).message().find("current_stage: unknown stage 'V'"), std::string::npos);
}

// ---- JSON -------------------------------------------------------------------------------------

TEST_F(BuildPlanTest, JsonRoundTrips) {
  plan.id = 5;
  plan.case_id = 7;
  plan.revision = 2;
  plan.current_stage = "IB";
  plan.created_at = "2026-11-23T20:00:00Z";
  json j = ToJson(plan);
  auto back = PlanFromJson(j);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(ToJson(*back), j);
  EXPECT_EQ(back->tasks.size(), plan.tasks.size());
  EXPECT_EQ(back->current_stage, "IB");

  policy.id = 9;
  policy.created_by = "tester";
  json pj = ToJson(policy);
  auto pback = PolicyFromJson(pj);
  ASSERT_TRUE(pback.ok()) << pback.status().ToString();
  EXPECT_EQ(ToJson(*pback), pj);
  EXPECT_EQ(pback->loes.size(), policy.loes.size());
  EXPECT_EQ(pback->considerations.size(), policy.considerations.size());

  j["tasks"][1]["stages"] = 5;
  EXPECT_EQ(PlanFromJson(j).status().message(), "tasks[1].stages: must be an array, not number");
  j = ToJson(plan);
  j["branches"][0]["assumption_id"] = "eleven";
  EXPECT_EQ(PlanFromJson(j).status().message(), "branches[0].assumption_id: must be an integer, not string");
  pj["loes"][2] = "x";
  EXPECT_EQ(PolicyFromJson(pj).status().message(), "loes[2]: must be an object, not string");
  EXPECT_FALSE(PlanFromJson(json::array()).ok());

  Decision d;
  d.kind = "stage";
  d.subject = "IB->IC";
  d.outcome = "approved";
  EXPECT_EQ(ToJson(d)["subject"], "IB->IC");
  PlanFlag f{"stage", "IC", "IB -> IC", {4, 5}, "why"};
  EXPECT_EQ(ToJson(f)["alert_ids"], json({4, 5}));
}

// ---- Execution --------------------------------------------------------------------------------

TEST(CurrentStatusTest, LatestPerTarget) {
  std::vector<StatusEntry> h;
  auto add = [&](std::int64_t id, const char* target, const char* status, const char* as_of) {
    StatusEntry s;
    s.id = id;
    s.target = target;
    s.status = status;
    s.as_of = as_of;
    h.push_back(s);
  };
  add(1, "loe-1", "on-track", "2026-01-10");
  add(2, "t-3", "at-risk", "2026-01-12");
  add(3, "loe-1", "setback", "2026-02-01");
  add(4, "t-3", "on-track", "2026-01-05");  // recorded later, but about an earlier date
  add(5, "loe-1", "at-risk", "2026-02-01");  // same date: the later entry wins
  auto cur = CurrentStatus(h);
  ASSERT_EQ(cur.size(), 2u);
  EXPECT_EQ(cur[0].target, "loe-1");
  EXPECT_EQ(cur[0].status, "at-risk");
  EXPECT_EQ(cur[1].target, "t-3");
  EXPECT_EQ(cur[1].status, "at-risk");
  EXPECT_TRUE(CurrentStatus({}).empty());
}

assess::CaseLinks::AlertLink Alert(std::int64_t id, const char* month, const char* detector, const char* severity,
                                   const char* status = "new") {
  assess::CaseLinks::AlertLink a;
  a.id = id;
  a.month = month;
  a.detector = detector;
  a.severity = severity;
  a.status = status;
  a.summary = "civilian deaths up";
  return a;
}

const PlanFlag* Find(const std::vector<PlanFlag>& flags, const std::string& kind, const std::string& id) {
  for (const auto& f : flags)
    if (f.kind == kind && f.id == id) return &f;
  return nullptr;
}

TEST_F(BuildPlanTest, FlagAlertsTouchesWatchersAndSuggestsIc) {
  plan.current_stage = "IB";
  auto flags = FlagAlerts(plan, {Alert(812, "2025-03", "cusum", "high")});
  // Every open decision point watching cusum at "high" or below is flagged; those at "critical" are not.
  for (const auto& d : plan.decision_points) {
    bool watches = std::count(d.watch_detectors.begin(), d.watch_detectors.end(), "cusum") > 0;
    const PlanFlag* f = Find(flags, "decision-point", d.id);
    if (watches && d.min_severity != "critical") {
      ASSERT_NE(f, nullptr) << d.kind;
      EXPECT_EQ(f->alert_ids, std::vector<std::int64_t>{812});
      EXPECT_EQ(f->title, d.question);
      EXPECT_NE(f->reason.find("alert 812 (cusum, high, 2025-03)"), std::string::npos) << f->reason;
    } else {
      EXPECT_EQ(f, nullptr) << d.kind;
    }
  }
  // The escalation branch watches cusum at high; assumption branches need critical.
  EXPECT_NE(Find(flags, "branch", plan.branches.back().id), nullptr);
  EXPECT_EQ(Find(flags, "branch", plan.branches[0].id), nullptr);
  const PlanFlag* stage = Find(flags, "stage", "IC");
  ASSERT_NE(stage, nullptr);
  EXPECT_EQ(stage->title, "IB -> IC");
  EXPECT_EQ(stage->alert_ids, std::vector<std::int64_t>{812});
  EXPECT_EQ(Find(flags, "stage", "IIA"), nullptr);

  // A medium threshold alert touches nothing; a medium spread alert only the additional-resources
  // decision (violence spreading), and suggests no stage.
  EXPECT_TRUE(FlagAlerts(plan, {Alert(1, "2025-03", "threshold", "medium")}).empty());
  flags = FlagAlerts(plan, {Alert(1, "2025-03", "spread", "medium")});
  ASSERT_EQ(flags.size(), 1u);
  EXPECT_EQ(flags[0].kind, "decision-point");
  EXPECT_EQ(flags[0].title, "Should additional resources be committed to the plan?");
  EXPECT_TRUE(FlagAlerts(plan, {Alert(1, "2025-03", "spread", "low")}).empty());
  // Already in IC: no stage suggestion for one high alert.
  plan.current_stage = "IC";
  EXPECT_EQ(Find(FlagAlerts(plan, {Alert(812, "2025-03", "cusum", "high")}), "stage", "IC"), nullptr);
}

TEST_F(BuildPlanTest, FlagAlertsSuggestsIiaAndIgnoresDismissed) {
  plan.current_stage = "IB";
  // A dismissed critical alert is ignored entirely.
  EXPECT_TRUE(FlagAlerts(plan, {Alert(9, "2025-05", "threshold", "critical", "dismissed")}).empty());
  // A critical alert before IIA suggests IIA (and touches the critical-level watchers).
  auto flags = FlagAlerts(plan, {Alert(9, "2025-05", "threshold", "critical", "acknowledged")});
  ASSERT_NE(Find(flags, "stage", "IIA"), nullptr);
  EXPECT_EQ(Find(flags, "stage", "IIA")->title, "IB -> IIA");
  EXPECT_NE(Find(flags, "branch", plan.branches[0].id), nullptr);
  // High alerts in two of the last three months suggest IIA; months further apart suggest IC.
  plan.current_stage = "IC";
  flags = FlagAlerts(plan, {Alert(3, "2025-05", "cusum", "high"), Alert(2, "2025-03", "threshold", "high")});
  ASSERT_NE(Find(flags, "stage", "IIA"), nullptr);
  EXPECT_EQ(Find(flags, "stage", "IIA")->alert_ids, (std::vector<std::int64_t>{3, 2}));
  flags = FlagAlerts(plan, {Alert(3, "2025-05", "cusum", "high"), Alert(2, "2025-01", "threshold", "high")});
  EXPECT_EQ(Find(flags, "stage", "IIA"), nullptr);
  // since_month drops older alerts.
  plan.current_stage = "IA";
  flags = FlagAlerts(plan, {Alert(3, "2025-05", "cusum", "high"), Alert(2, "2025-04", "threshold", "high")},
                     "2025-05");
  ASSERT_NE(Find(flags, "stage", "IC"), nullptr);
  EXPECT_EQ(Find(flags, "stage", "IC")->alert_ids, std::vector<std::int64_t>{3});
  // In IIA no stage is suggested.
  plan.current_stage = "IIA";
  EXPECT_EQ(Find(FlagAlerts(plan, {Alert(9, "2025-05", "threshold", "critical")}), "stage", "IIA"), nullptr);
}

}  // namespace
}  // namespace vigil::plan
