#include "report/planning_products.h"

#include <gtest/gtest.h>

#include <functional>
#include <sstream>
#include <string>

#include "assess/case.h"
#include "assess/frameworks.h"
#include "options/option_repo.h"
#include "plan/plan_repo.h"
#include "store/db.h"

namespace vigil::report {
namespace {

bool Has(const std::string& text, const std::string& needle) { return text.find(needle) != std::string::npos; }

// The line of `text` containing `needle`, or "".
std::string LineWith(const std::string& text, const std::string& needle) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (Has(line, needle)) return line;
  }
  return "";
}

// ---- Hand-built data: a fictional case with two options, a decision, a
// policy statement, a plan and execution status ----------------------------------

CaseProductData MakeCase() {
  CaseProductData d;
  auto& c = d.file.info;
  c.id = 7;
  c.slug = "test-lorania";
  c.title = "Test: Lorania (fictional)";
  c.gw = 999;
  c.status = "open";
  d.country = "Lorania";
  d.file.guidance.other = "Earlier sanctions on the ruling party lapsed in 2024.";
  d.file.guidance.constraints = "Coordinate every public statement with the embassy.";
  d.file.guidance.restraints = "No unilateral use of force.";
  d.file.guidance.timeline = "Options within two weeks.";

  assess::Actor army;
  army.id = 1;
  army.name = "Lorania Armed Forces";
  army.kind = "state";
  army.roles.push_back({1, "perpetrator-architect", "2026-01", "", "orders the sweeps", "a", "t"});
  assess::Actor au;
  au.id = 2;
  au.name = "Regional Union";
  au.kind = "organization";
  au.roles.push_back({2, "intervener", "2026-02", "", "mediation mission", "a", "t"});
  d.file.actors = {army, au};

  assess::Interest i;
  i.id = 1;
  i.priority = 1;
  i.owner = "USG";
  i.text = "Prevent mass killing of the Nuri minority";
  d.file.interests = {i};

  assess::Assumption a1;
  a1.id = 11;
  a1.text = "The army stays loyal to the president";
  a1.status = "invalidated";
  a1.as_of = "2026-03-05";
  a1.note = "two brigades defected";
  d.file.assumptions = {a1};

  assess::InformationRequirement r;
  r.id = 3;
  r.priority = 1;
  r.question = "Where are the militia's arms depots?";
  r.author = "analyst-b";
  d.file.cirs = {r};

  assess::CaseLinks::AlertLink al;
  al.id = 812;
  al.month = "2026-03";
  al.detector = "cusum";
  al.severity = "high";
  al.status = "new";
  al.summary = "civilian deaths above the baseline";
  d.links.alerts = {al};
  d.from = "2026-03-01";
  d.to = "2026-03-31";
  return d;
}

options::ToolChoice Tool(const std::string& id, const std::string& title, const std::string& instrument,
                         const std::string& lead, std::vector<std::string> actors, const std::string& because) {
  options::ToolChoice t;
  t.id = id;
  t.title = title;
  t.instrument = instrument;
  t.approach = "suasion";
  t.lead_agency = lead;
  t.target_categories = {"perpetrators"};
  t.target_actors = std::move(actors);
  t.stages = {"IA", "IB"};
  t.because = because;
  return t;
}

PlanningData MakePlanning() {
  PlanningData p;
  p.situation.host_nation_role = "adversary";
  p.situation.volatility = "urgent";
  p.situation.basis = {{"host-nation-role", "inferred: the state army holds a perpetrator role"},
                       {"volatility", "analyst"}};

  options::OptionPackage o1;
  o1.id = 101;
  o1.number = 1;
  o1.title = "Coordinated pressure with regional partners";
  o1.approach = "suasion";
  o1.role = "support-others";
  o1.policy_goal = "Prevent mass atrocities against the Nuri";
  o1.objectives = {"Halt the sweeps in the north", "Keep the Regional Union mission in place"};
  o1.rationale = "The Regional Union already mediates.";
  o1.tools = {Tool("pressure", "Diplomatic pressure", "diplomatic", "State", {"Lorania Armed Forces"},
                   "a state actor holds a perpetrator role"),
              Tool("targeted-sanctions", "Targeted sanctions", "economic", "Treasury", {"Lorania Armed Forces"},
                   "architects have assets abroad")};
  o1.resources.cost = "low";
  o1.resources.funding = "US$ 1-10 million";
  options::OptionRisk risk;
  risk.id = "ineffectiveness";
  risk.title = "Ineffectiveness";
  risk.likelihood = "medium";
  risk.impact = "high";
  risk.mitigations = {"set benchmarks and escalate when they are missed"};
  o1.risks = {risk};
  o1.escalation_triggers = {"a massacre of more than 50 civilians"};
  o1.advantages = {"cheap and quick"};
  o1.disadvantages = {"depends on the army's leaders caring about assets"};
  o1.status = "approved";

  options::OptionPackage o2 = o1;
  o2.id = 102;
  o2.number = 2;
  o2.title = "Lead a multinational protection force";
  o2.approach = "intervention";
  o2.role = "lead-multinational";
  o2.status = "rejected";
  p.options = {o1, o2};

  options::Opinion rec;
  rec.id = 1;
  rec.option_id = 101;
  rec.position = "recommend";
  rec.author = "ipt-lead";
  rec.text = "Option 1 keeps the partners in front.";
  rec.created_at = "2026-03-01T10:00:00Z";
  options::Opinion dis;
  dis.id = 2;
  dis.option_id = 101;
  dis.position = "dissent";
  dis.author = "dod-planner";
  dis.text = "Pressure alone will come too late for the north.";
  dis.created_at = "2026-03-01T11:00:00Z";
  p.opinions = {rec, dis};
  p.comparison = options::CompareOptions(p.options, p.opinions);

  plan::Decision dec;
  dec.id = 1;
  dec.kind = "option";
  dec.subject = "1";
  dec.outcome = "approved";
  dec.decided_by = "Deputies Committee";
  dec.decided_at = "2026-03-02";
  dec.note = "with quarterly review";
  dec.recorded_by = "analyst-a";
  dec.recorded_at = "2026-03-02T15:00:00Z";
  plan::Decision pol = dec;
  pol.id = 2;
  pol.kind = "policy";
  pol.subject = "1";
  pol.decided_by = "Principals Committee";
  pol.decided_at = "2026-03-04";
  pol.note = "";
  p.decisions = {dec, pol};

  plan::PolicyStatement ps;
  ps.version = 1;
  ps.option_id = 101;
  ps.option_number = 1;
  ps.status = "approved";
  ps.general = "Sweeps in the north since January.";
  ps.goal = "Prevent mass atrocities against the Nuri";
  ps.objectives = o1.objectives;
  const char* loes[][3] = {{"loe-1", "Diplomacy and strategic communication", "State"},
                           {"loe-2", "Economic pressure", "Treasury"},
                           {"loe-3", "Situation understanding", "IC"},
                           {"loe-4", "Protection of civilians", "USAID"}};
  int prio = 1;
  for (const auto& l : loes) {
    plan::LineOfEffort x;
    x.id = l[0];
    x.title = l[1];
    x.lead = l[2];
    x.priority = prio++;
    if (x.id == "loe-4") x.supporting = {"DoD"};
    x.resources = x.id == "loe-4" ? "US$ 5 million relief funds" : "";
    ps.loes.push_back(x);
  }
  ps.considerations = {{"other-actors", "The Regional Union may deploy observers."}};
  ps.lead_official = "Special Envoy";
  ps.created_by = "analyst-a";
  p.policy = ps;

  plan::Plan pl;
  pl.revision = 2;
  pl.policy_version = 1;
  pl.goal = ps.goal;
  pl.objectives = ps.objectives;
  for (const char* s : {"IA", "IB", "IC", "IIA", "IIB", "IIIA", "IIIB"}) {
    plan::PlanStage st;
    st.id = s;
    st.objective = std::string("objective of ") + s;
    st.transition_conditions = {std::string("condition to leave ") + s};
    pl.stages.push_back(st);
  }
  pl.loes = ps.loes;
  plan::Task t1{"t-1", "loe-3", "Map the militia's arms depots", "IC", {"IA", "IB"}, {}, "", "", ""};
  plan::Task t2{"t-2", "loe-2", "Designate army commanders for sanctions", "Treasury", {"IB"}, {"t-1"},
                "targeted-sanctions", "", ""};
  plan::Task t3{"t-3", "loe-1", "Demarche to the president", "State", {"IB"}, {"t-2"}, "pressure", "", ""};
  plan::Task t4{"t-4", "loe-4", "Pre-position relief", "USAID", {"IB", "IC"}, {}, "", "US$ 5 million",
                "relief stocks, IB week 3"};
  pl.tasks = {t1, t2, t3, t4};
  plan::BranchPlan b;
  b.id = "b-1";
  b.title = "Army splits";
  b.assumption_id = 11;
  b.condition = "if the army does not stay loyal";
  b.response = "shift to protection of civilians";
  b.stages = {"IB", "IC"};
  pl.branches = {b};
  plan::DecisionPoint dp1;
  dp1.id = "dp-1";
  dp1.kind = "sanctions";
  dp1.question = "Impose sectoral sanctions?";
  dp1.who_decides = "National Security Council";
  dp1.stages = {"IB", "IC"};
  dp1.trigger = "sweeps continue after the demarche";
  plan::DecisionPoint dp2 = dp1;
  dp2.id = "dp-2";
  dp2.question = "Evacuate the embassy?";
  dp2.who_decides = "Chief of Mission";
  dp2.stages = {"IIIA"};
  pl.decision_points = {dp1, dp2};
  pl.risks = {{"Sanctions push the army closer to its foreign backer", {"IB"}, "risk:negative-second-order-effects"}};
  pl.info_requirements = {{"Where are the militia's arms depots?", {"IA", "IB"}, "cir:3"}};
  pl.current_stage = "IB";
  pl.note = "added the relief task";
  pl.created_by = "analyst-a";
  p.plan = pl;
  p.revisions = {{1, 1, "first plan", "2026-03-05T09:00:00Z", "analyst-a"},
                 {2, 1, "added the relief task", "2026-03-06T09:00:00Z", "analyst-a"}};

  plan::StatusEntry s1;
  s1.id = 1;
  s1.plan_revision = 2;
  s1.target = "loe-1";
  s1.status = "on-track";
  s1.note = "demarche delivered";
  s1.as_of = "2026-03-10";
  s1.author = "state-desk";
  plan::StatusEntry s2 = s1;
  s2.id = 2;
  s2.target = "t-4";
  s2.status = "setback";
  s2.note = "convoy blocked at the border";
  s2.as_of = "2026-03-12";
  s2.author = "usaid-desk";
  p.status_history = {s1, s2};

  plan::PlanFlag fs;
  fs.kind = "stage";
  fs.id = "IC";
  fs.title = "IB -> IC";
  fs.alert_ids = {812};
  fs.reason = "alert 812 (cusum, high, 2026-03): civilian deaths above the baseline";
  plan::PlanFlag fd;
  fd.kind = "decision-point";
  fd.id = "dp-1";
  fd.title = "Impose sectoral sanctions?";
  fd.alert_ids = {812};
  fd.reason = "alert 812 meets its watch condition";
  p.flags = {fs, fd};
  return p;
}

struct Tab {
  const char* name;
  std::function<std::string(const CaseProductData&, const PlanningData&, ProductFormat)> render;
};

std::vector<Tab> Tabs() {
  return {
      {"tab4", [](auto& d, auto& p, auto f) { return PolicyAdvisoryProduct(d, p, f, false); }},
      {"tab4-briefing", [](auto& d, auto& p, auto f) { return PolicyAdvisoryProduct(d, p, f, true); }},
      {"tab5", [](auto& d, auto& p, auto f) { return PolicyStatementProduct(d, p, f); }},
      {"tab6", [](auto& d, auto& p, auto f) { return OptionsApprovalProduct(d, p, f); }},
      {"tab7", [](auto& d, auto& p, auto f) { return OptionsDecisionProduct(d, p, f); }},
      {"tab8", [](auto& d, auto& p, auto f) { return StrategicPlanProduct(d, p, f); }},
      {"tab9", [](auto& d, auto& p, auto f) { return BackbriefProduct(d, p, f, ""); }},
  };
}

TEST(PlanningProductsTest, EveryTabRendersAsMarkdownAndHtml) {
  const auto d = MakeCase();
  const auto p = MakePlanning();
  for (const auto& tab : Tabs()) {
    const std::string md = tab.render(d, p, ProductFormat::kMarkdown);
    const std::string html = tab.render(d, p, ProductFormat::kHtml);
    EXPECT_EQ(md.rfind("# Tab ", 0), 0u) << tab.name;
    EXPECT_TRUE(Has(md, "Test: Lorania (fictional)")) << tab.name;
    EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u) << tab.name;
    EXPECT_TRUE(Has(html, "</body></html>")) << tab.name;
    EXPECT_FALSE(Has(html, "<script")) << tab.name;  // self-contained, no scripts
  }
}

TEST(PlanningProductsTest, PolicyAdvisoryShowsOptionsDecisionsAndDissentBesideRecommendation) {
  const auto d = MakeCase();
  const auto p = MakePlanning();
  const std::string md = PolicyAdvisoryProduct(d, p, ProductFormat::kMarkdown, false);
  EXPECT_TRUE(Has(md, "## 1. Overview"));
  EXPECT_TRUE(Has(md, "## 8. Proposed next steps"));
  EXPECT_TRUE(Has(md, "Option 1: Coordinated pressure with regional partners"));
  EXPECT_TRUE(Has(md, "Option 2: Lead a multinational protection force"));
  EXPECT_TRUE(Has(md, "Halt the sweeps in the north"));
  // The decision: who decided, when, who recorded it.
  const std::string decision = LineWith(md, "Deputies Committee");
  EXPECT_TRUE(Has(decision, "2026-03-02")) << decision;
  EXPECT_TRUE(Has(decision, "analyst-a")) << decision;
  EXPECT_TRUE(Has(decision, "Option 1: Coordinated pressure")) << decision;
  // The dissent in the same row as the recommendation.
  const std::string opinions = LineWith(md, "Option 1 keeps the partners in front.");
  EXPECT_TRUE(Has(opinions, "Pressure alone will come too late for the north.")) << opinions;
  EXPECT_TRUE(Has(opinions, "dod-planner")) << opinions;
  // Other actors, critical issues, situational variables with their basis.
  EXPECT_TRUE(Has(LineWith(md, "Regional Union"), "intervener"));
  EXPECT_TRUE(Has(md, "The army stays loyal to the president"));
  EXPECT_TRUE(Has(md, "Where are the militia's arms depots?"));
  EXPECT_TRUE(Has(LineWith(md, "Host-nation role"), "inferred: the state army holds a perpetrator role"));
  EXPECT_TRUE(Has(md, "Earlier sanctions on the ruling party lapsed in 2024."));

  const std::string brief = PolicyAdvisoryProduct(d, p, ProductFormat::kMarkdown, true);
  EXPECT_TRUE(Has(brief, "## Agenda"));
  EXPECT_TRUE(Has(brief, "## Discussion and guidance"));
  EXPECT_FALSE(Has(brief, "## 1. Overview"));
  EXPECT_TRUE(Has(brief, "Pressure alone will come too late for the north."));
}

TEST(PlanningProductsTest, PolicyStatementShowsLoesWithLeadsAndTheApproval) {
  const auto d = MakeCase();
  const auto p = MakePlanning();
  const std::string md = PolicyStatementProduct(d, p, ProductFormat::kMarkdown);
  EXPECT_TRUE(Has(md, "## 2. Policy goal"));
  EXPECT_TRUE(Has(md, "Prevent mass atrocities against the Nuri"));
  EXPECT_TRUE(Has(LineWith(md, "Economic pressure"), "Treasury"));
  EXPECT_TRUE(Has(LineWith(md, "Protection of civilians"), "USAID"));
  EXPECT_TRUE(Has(LineWith(md, "Protection of civilians"), "DoD"));
  EXPECT_TRUE(Has(md, "### Behaviour of other regional and international actors"));
  EXPECT_TRUE(Has(md, "The Regional Union may deploy observers."));
  EXPECT_TRUE(Has(LineWith(md, "**Approved by:**"), "Principals Committee"));
  EXPECT_TRUE(Has(LineWith(md, "**Approved on:**"), "2026-03-04"));
  EXPECT_TRUE(Has(LineWith(md, "**Lead official:**"), "Special Envoy"));
}

TEST(PlanningProductsTest, OptionBriefingsShowToolsByInstrumentTargetsReasonsAndRisks) {
  const auto d = MakeCase();
  const auto p = MakePlanning();
  for (const std::string& md : {OptionsApprovalProduct(d, p, ProductFormat::kMarkdown),
                                OptionsDecisionProduct(d, p, ProductFormat::kMarkdown)}) {
    const std::string tool = LineWith(md, "Targeted sanctions (targeted-sanctions)");
    EXPECT_TRUE(Has(tool, "economic")) << tool;
    EXPECT_TRUE(Has(tool, "Treasury")) << tool;
    EXPECT_TRUE(Has(tool, "Lorania Armed Forces")) << tool;
    EXPECT_TRUE(Has(tool, "architects have assets abroad")) << tool;
    EXPECT_TRUE(Has(md, "The Regional Union already mediates."));
    EXPECT_TRUE(Has(md, "civilian deaths above the baseline"));  // situation update
  }
  const std::string tab6 = OptionsApprovalProduct(d, p, ProductFormat::kMarkdown);
  EXPECT_TRUE(Has(tab6, "Options within two weeks."));
  EXPECT_TRUE(Has(tab6, "## Options review decisions"));
  const std::string tab7 = OptionsDecisionProduct(d, p, ProductFormat::kMarkdown);
  const std::string risk = LineWith(tab7, "Ineffectiveness (ineffectiveness)");
  EXPECT_TRUE(Has(risk, "medium")) << risk;
  EXPECT_TRUE(Has(risk, "set benchmarks and escalate when they are missed")) << risk;
  EXPECT_TRUE(Has(tab7, "cheap and quick"));
  EXPECT_TRUE(Has(tab7, "a massacre of more than 50 civilians"));
  EXPECT_TRUE(Has(LineWith(tab7, "Option 1 keeps the partners in front."), "Pressure alone"));
  EXPECT_TRUE(Has(LineWith(tab7, "| option |"), "Deputies Committee"));
  // Major tasks of the chosen option come from the plan.
  EXPECT_TRUE(Has(tab7, "| USAID | t-4 Pre-position relief |"));
}

TEST(PlanningProductsTest, StrategicPlanShowsStagesTasksDecisionPointsAndRevisions) {
  const auto d = MakeCase();
  const auto p = MakePlanning();
  const std::string md = StrategicPlanProduct(d, p, ProductFormat::kMarkdown);
  EXPECT_TRUE(Has(md, "Plan revision 2"));
  EXPECT_TRUE(Has(LineWith(md, "objective of IB"), "(current)"));
  EXPECT_TRUE(Has(md, "condition to leave IC"));
  // Tasks in dependency order with their agencies.
  const auto p1 = md.find("| t-1 | Map the militia");
  const auto p2 = md.find("| t-2 | Designate army commanders");
  const auto p3 = md.find("| t-3 | Demarche to the president");
  ASSERT_NE(p1, std::string::npos);
  ASSERT_NE(p2, std::string::npos);
  ASSERT_NE(p3, std::string::npos);
  EXPECT_LT(p1, p2);
  EXPECT_LT(p2, p3);
  EXPECT_TRUE(Has(LineWith(md, "| t-2 | Designate army commanders"), "Treasury"));
  EXPECT_TRUE(Has(md, "### USAID"));
  // Decision points with who decides.
  EXPECT_TRUE(Has(LineWith(md, "Impose sectoral sanctions?"), "National Security Council"));
  EXPECT_TRUE(Has(LineWith(md, "Evacuate the embassy?"), "Chief of Mission"));
  // Branch plan tied to its assumption; resources per LOE; risks; sync matrix.
  EXPECT_TRUE(Has(LineWith(md, "b-1: Army splits"), "The army stays loyal to the president (invalidated)"));
  EXPECT_TRUE(Has(LineWith(md, "| Protection of civilians | USAID | US$ 5 million relief funds |"),
                  "t-4: relief stocks, IB week 3"));
  EXPECT_TRUE(Has(md, "Sanctions push the army closer to its foreign backer"));
  EXPECT_TRUE(Has(md, "## Synchronization matrix"));
  EXPECT_TRUE(Has(LineWith(md, "| 2 | 1 | added the relief task"), "analyst-a"));
}

TEST(PlanningProductsTest, BackbriefShowsSupportAcrossOrganizations) {
  const auto d = MakeCase();
  const auto p = MakePlanning();
  const std::string md = BackbriefProduct(d, p, ProductFormat::kMarkdown, "treasury");  // any case
  ASSERT_FALSE(md.empty());
  EXPECT_TRUE(Has(md, "Tab 9: Backbrief of treasury"));
  EXPECT_TRUE(Has(md, "t-2 Designate army commanders for sanctions"));
  // Treasury needs the IC's depot map first, and enables State's demarche.
  const std::string from = LineWith(md, "| t-2 Designate army commanders for sanctions | t-1 Map");
  EXPECT_TRUE(Has(from, "| IC |")) << md;
  const std::string to = LineWith(md, "| t-2 Designate army commanders for sanctions | t-3 Demarche");
  EXPECT_TRUE(Has(to, "| State |")) << md;
  EXPECT_TRUE(Has(md, "No unilateral use of force."));

  // USAID's setback is its issue; DoD supports a LOE without tasks.
  const std::string usaid = BackbriefProduct(d, p, ProductFormat::kMarkdown, "USAID");
  EXPECT_TRUE(Has(LineWith(usaid, "convoy blocked at the border"), "setback"));
  const std::string dod = BackbriefProduct(d, p, ProductFormat::kMarkdown, "DoD");
  EXPECT_TRUE(Has(LineWith(dod, "**Supports:**"), "Protection of civilians (lead: USAID)"));

  EXPECT_EQ(BackbriefProduct(d, p, ProductFormat::kMarkdown, "Coast Guard"), "");
  EXPECT_EQ(BackbriefProduct(d, p, ProductFormat::kHtml, "Coast Guard"), "");

  const std::string all = BackbriefProduct(d, p, ProductFormat::kMarkdown, "");
  for (const char* org : {"IC", "State", "Treasury", "USAID"}) {
    EXPECT_TRUE(Has(all, std::string("## Backbrief: ") + org + "\n")) << org;
  }
  EXPECT_FALSE(Has(all, "## Backbrief: DoD"));  // supports only, leads nothing
}

TEST(PlanningProductsTest, PlanOrganizationsAreSortedAndUnique) {
  const auto p = MakePlanning();
  EXPECT_EQ(PlanOrganizations(*p.plan), (std::vector<std::string>{"DoD", "IC", "State", "Treasury", "USAID"}));
}

TEST(PlanningProductsTest, EmptySectionsSayNotRecorded) {
  const auto d = MakeCase();
  const PlanningData empty;
  for (const auto& tab : Tabs()) {
    if (std::string(tab.name) == "tab9") continue;
    const std::string md = tab.render(d, empty, ProductFormat::kMarkdown);
    EXPECT_TRUE(Has(md, "_not recorded_")) << tab.name;
  }
  const std::string tab5 = PolicyStatementProduct(d, empty, ProductFormat::kMarkdown);
  EXPECT_TRUE(Has(tab5, "## 4. Lines of effort\n\n_not recorded_"));
  const std::string tab8 = StrategicPlanProduct(d, empty, ProductFormat::kHtml);
  EXPECT_TRUE(Has(tab8, "<h2>Tasks for agencies</h2>\n<p class=\"nr\">not recorded</p>"));
  const std::string tab4 = PolicyAdvisoryProduct(d, empty, ProductFormat::kMarkdown, false);
  EXPECT_TRUE(Has(tab4, "## 6. Policy options (goals and strategic objectives)\n\n_not recorded_"));
  EXPECT_TRUE(Has(tab4, "Generate or add option packages"));
  EXPECT_EQ(BackbriefProduct(d, empty, ProductFormat::kMarkdown, ""), "");
  EXPECT_EQ(PlanningUpdateSection(d, empty, ProductFormat::kMarkdown), "");
}

TEST(PlanningProductsTest, HostileNamesAreEscapedInHtml) {
  auto d = MakeCase();
  auto p = MakePlanning();
  const std::string hostile = "<img src=x onerror=alert(1)> & Co";
  d.file.actors[1].name = hostile;
  p.options[0].tools[0].target_actors = {hostile};
  p.plan->tasks[0].agency = hostile;
  p.opinions[1].text = hostile;
  for (const auto& tab : Tabs()) {
    const std::string html = tab.render(d, p, ProductFormat::kHtml);
    EXPECT_FALSE(Has(html, "<img")) << tab.name;
  }
  const std::string tab4 = PolicyAdvisoryProduct(d, p, ProductFormat::kHtml, false);
  EXPECT_TRUE(Has(tab4, "&lt;img src=x onerror=alert(1)&gt; &amp; Co"));
  const std::string tab9 = BackbriefProduct(d, p, ProductFormat::kHtml, hostile);
  ASSERT_FALSE(tab9.empty());
  EXPECT_TRUE(Has(tab9, "Backbrief of &lt;img"));
  EXPECT_FALSE(Has(tab9, "<img"));
}

TEST(PlanningProductsTest, SituationUpdateWithPlanningShowsStatusDecisionsIssuesAndTransition) {
  const auto d = MakeCase();
  const auto p = MakePlanning();
  const std::string section = PlanningUpdateSection(d, p, ProductFormat::kMarkdown);
  EXPECT_TRUE(Has(section, "## Plan execution (stage IB, plan revision 2)"));
  const std::string loe = LineWith(section, "| Diplomacy and strategic communication |");
  EXPECT_TRUE(Has(loe, "on-track")) << loe;
  EXPECT_TRUE(Has(loe, "demarche delivered")) << loe;
  EXPECT_TRUE(Has(LineWith(section, "| Economic pressure |"), "no status recorded"));
  // Upcoming decisions: the open point of IB/IC, not the IIIA one.
  EXPECT_TRUE(Has(LineWith(section, "Impose sectoral sanctions?"), "National Security Council"));
  EXPECT_FALSE(Has(section, "Evacuate the embassy?"));
  EXPECT_TRUE(Has(LineWith(section, "convoy blocked at the border"), "setback"));
  EXPECT_TRUE(Has(section, "Suggested stage transition: IB -> IC"));
  EXPECT_TRUE(Has(LineWith(section, "| Deputies Committee |"), "2026-03-02"));  // decided in the range

  for (auto f : {ProductFormat::kMarkdown, ProductFormat::kHtml}) {
    const std::string with = SituationUpdateProduct(d, f, &p);
    const std::string without = SituationUpdateProduct(d, f);
    EXPECT_FALSE(Has(without, "Plan execution"));
    EXPECT_TRUE(Has(with, "Plan execution (stage IB, plan revision 2)"));
    EXPECT_TRUE(Has(with, f == ProductFormat::kHtml ? "Suggested stage transition: IB -&gt; IC"
                                                    : "Suggested stage transition: IB -> IC"));
    EXPECT_TRUE(Has(with, without.substr(0, 200)));
    if (f == ProductFormat::kHtml) {
      EXPECT_LT(with.find("Plan execution"), with.find("</body></html>"));
      EXPECT_TRUE(Has(PlanningUpdateSection(d, p, f), "<h2>Plan execution"));
      EXPECT_FALSE(Has(PlanningUpdateSection(d, p, f), "<html"));
    }
  }
}

// LoadPlanningData reads everything back from the stores: the analyst's
// situational variable, options and opinions, the decisions with who decided
// and who recorded them, the policy, the plan with its stage and status.
TEST(LoadPlanningDataTest, ReadsOptionsDecisionsPolicyPlanAndStatus) {
  auto opened = store::Db::Open(":memory:");
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  auto db = std::move(opened).value();
  const std::string author = "test-analyst";
  assess::CaseRepo cases(*db);
  assess::Case c;
  c.title = "Loaded case";
  c.region = "Test region";
  auto created = cases.CreateCase(c, author);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  const std::int64_t id = created.value().id;

  auto base = LoadCaseProductData(*db, id, "", "");
  ASSERT_TRUE(base.ok()) << base.status().ToString();
  auto none = LoadPlanningData(*db, base.value());
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_TRUE(none.value().options.empty());
  EXPECT_FALSE(none.value().plan.has_value());
  EXPECT_EQ(PlanningUpdateSection(base.value(), none.value(), ProductFormat::kMarkdown), "");

  options::OptionRepo option_repo(*db);
  ASSERT_TRUE(option_repo.SetSituation(id, {{"volatility", "urgent"}}, author).ok());
  options::OptionPackage o;
  o.title = "Pressure and aid";
  o.approach = "suasion";
  o.role = "support-others";
  o.policy_goal = "Prevent mass atrocities";
  o.objectives = {"Stop the attacks on villages"};
  options::ToolChoice t1;
  t1.id = "pressure";
  t1.lead_agency = "State";
  t1.target_categories = {"perpetrators"};
  t1.stages = {"IA", "IB"};
  t1.because = "the analyst's choice";
  options::ToolChoice t2 = t1;
  t2.id = "foreign-aid";
  t2.lead_agency = "USAID";
  t2.target_categories = {"victims"};
  o.tools = {t1, t2};
  options::OptionRisk r;
  r.id = "ineffectiveness";
  r.likelihood = "medium";
  r.impact = "high";
  r.mitigations = {"benchmarks"};
  o.risks = {r};
  auto added = option_repo.AddOption(id, o, author);
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  const std::int64_t option_id = added.value().id;
  options::Opinion dis;
  dis.option_id = option_id;
  dis.position = "dissent";
  dis.text = "Aid will be diverted by the militia.";
  ASSERT_TRUE(option_repo.AddOpinion(id, dis, "dissenter").ok());

  plan::PlanRepo plans(*db);
  auto decided = plans.DecideOption(id, option_id, "approved", "Deputies Committee", "2026-03-02", "", author);
  ASSERT_TRUE(decided.ok()) << decided.status().ToString();
  plan::PolicyStatement ps;
  ps.option_id = option_id;
  ps.goal = "Prevent mass atrocities";
  ps.objectives = {"Stop the attacks on villages"};
  for (int i = 1; i <= 4; ++i) {
    plan::LineOfEffort l;
    l.id = "loe-" + std::to_string(i);
    l.title = "Line " + std::to_string(i);
    l.lead = i == 4 ? "USAID" : "State";
    l.priority = i;
    ps.loes.push_back(l);
  }
  auto drafted = plans.SavePolicyDraft(id, ps, author);
  ASSERT_TRUE(drafted.ok()) << drafted.status().ToString();
  auto approved = plans.ApprovePolicy(id, "Principals Committee", "2026-03-04", "", author);
  ASSERT_TRUE(approved.ok()) << approved.status().ToString();
  plan::Plan pl;
  pl.goal = ps.goal;
  pl.objectives = ps.objectives;
  for (const char* st : assess::kPlanStages) pl.stages.push_back({st, std::string("objective ") + st, {}});
  pl.loes = ps.loes;
  pl.tasks = {{"t-1", "loe-1", "Demarche", "State", {"IA"}, {}, "pressure", "", ""},
              {"t-2", "loe-4", "Deliver aid", "USAID", {"IA", "IB"}, {"t-1"}, "foreign-aid", "", ""}};
  auto made = plans.CreatePlan(id, pl, author);
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  plan::StatusEntry st;
  st.target = "loe-4";
  st.status = "at-risk";
  st.note = "road closed";
  st.as_of = "2026-03-10";
  ASSERT_TRUE(plans.RecordStatus(id, st, "usaid-desk").ok());
  auto moved = plans.TransitionStage(id, "IB", "Deputies Committee", "2026-03-11", "attacks spread", author);
  ASSERT_TRUE(moved.ok()) << moved.status().ToString();

  base = LoadCaseProductData(*db, id, "2026-03-01", "2026-03-31");
  ASSERT_TRUE(base.ok()) << base.status().ToString();
  auto loaded = LoadPlanningData(*db, base.value());
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  const PlanningData& p = loaded.value();
  EXPECT_EQ(p.situation.volatility, "urgent");
  EXPECT_EQ(p.situation.Basis("volatility"), "analyst");
  ASSERT_EQ(p.options.size(), 1u);
  EXPECT_EQ(p.options[0].status, "approved");
  ASSERT_EQ(p.opinions.size(), 1u);
  EXPECT_FALSE(p.comparison.empty());
  ASSERT_GE(p.decisions.size(), 3u);  // option, policy, stage
  EXPECT_EQ(p.decisions[0].decided_by, "Deputies Committee");
  EXPECT_EQ(p.decisions[0].recorded_by, author);
  ASSERT_TRUE(p.policy.has_value());
  EXPECT_EQ(p.policy->status, "approved");
  ASSERT_TRUE(p.plan.has_value());
  EXPECT_EQ(p.plan->current_stage, "IB");
  EXPECT_EQ(p.revisions.size(), 1u);
  ASSERT_EQ(p.status_history.size(), 1u);

  const std::string tab7 = OptionsDecisionProduct(base.value(), p, ProductFormat::kMarkdown);
  EXPECT_TRUE(Has(LineWith(tab7, "| option |"), "Deputies Committee"));
  EXPECT_TRUE(Has(LineWith(tab7, "| option |"), "2026-03-02"));
  EXPECT_TRUE(Has(LineWith(tab7, "Aid will be diverted by the militia."), "dissenter"));
  const std::string tab8 = StrategicPlanProduct(base.value(), p, ProductFormat::kMarkdown);
  EXPECT_TRUE(Has(LineWith(tab8, "| t-2 | Deliver aid |"), "USAID"));
  EXPECT_TRUE(Has(LineWith(tab8, "| stage |"), "attacks spread"));
  const std::string update = SituationUpdateProduct(base.value(), ProductFormat::kMarkdown, &p);
  EXPECT_TRUE(Has(update, "## Plan execution (stage IB, plan revision 1)"));
  EXPECT_TRUE(Has(LineWith(update, "| Line 4 |"), "road closed"));
  const std::string usaid = BackbriefProduct(base.value(), p, ProductFormat::kMarkdown, "USAID");
  EXPECT_TRUE(Has(LineWith(usaid, "| t-2 Deliver aid | t-1 Demarche |"), "State"));
}

}  // namespace
}  // namespace vigil::report
