#include "options/generator.h"

#include <gtest/gtest.h>

#include <set>

#include "assess/frameworks.h"
#include "core/embedded.h"

namespace vigil::options {
namespace {

assess::Actor MakeActor(std::int64_t id, std::string name, std::string kind, std::string role,
                        std::string locations = "") {
  assess::Actor a;
  a.id = id;
  a.name = std::move(name);
  a.kind = std::move(kind);
  a.locations = std::move(locations);
  assess::ActorRole r;
  r.role = std::move(role);
  r.from = "2025-01";
  a.roles.push_back(r);
  return a;
}

assess::Score MakeScore(std::string fw, std::string item, std::string level) {
  assess::Score s;
  s.framework = std::move(fw);
  s.item = std::move(item);
  s.level = std::move(level);
  s.position = "majority";
  return s;
}

// A host government that commits the killings, with the killing under way.
assess::CaseFile AdversaryCase() {
  assess::CaseFile f;
  f.info.id = 1;
  f.info.title = "Test: Xland";
  f.info.region = "Xland (test)";
  f.actors.push_back(MakeActor(1, "Government of Xland", "state", "perpetrator-architect", "Capital"));
  f.actors.push_back(MakeActor(2, "Presidential Guard", "organization", "perpetrator-facilitator", "Capital, North"));
  f.actors.push_back(MakeActor(3, "Hill militia", "group", "perpetrator-rank-and-file", "North"));
  f.actors.push_back(MakeActor(4, "River people", "group", "victim", "North, South"));
  f.actors.push_back(MakeActor(5, "Arms broker state", "state", "third-party-enabler"));
  f.actors.push_back(MakeActor(6, "Neighbour union", "organization", "intervener"));
  f.actors.push_back(MakeActor(7, "Farmers", "group", "bystander"));
  // An ended role must not count.
  f.actors[6].roles.front().to = "2025-06";
  f.scores.push_back(MakeScore("osapg", "c3", "high"));
  f.scores.push_back(MakeScore("osapg", "c6", "severe"));
  f.scores.push_back(MakeScore("stanton", "s9", "advanced"));
  return f;
}

// A partner government facing an armed group, risk still latent.
assess::CaseFile PartnerCase() {
  assess::CaseFile f;
  f.info.id = 2;
  f.info.title = "Test: Yland";
  f.info.region = "Yland";
  f.actors.push_back(MakeActor(1, "Government of Yland", "state", "positive-actor", "Capital"));
  f.actors.push_back(MakeActor(2, "Liberation Front", "group", "perpetrator-architect", "East"));
  f.actors.push_back(MakeActor(3, "Valley minority", "group", "victim", "East"));
  f.actors.push_back(MakeActor(4, "Radio East", "organization", "negative-actor", "East"));
  f.scores.push_back(MakeScore("osapg", "c1", "high"));
  f.scores.push_back(MakeScore("un2014", "rf4", "moderate"));
  f.scores.push_back(MakeScore("stanton", "s3", "evident"));
  assess::Interest i;
  i.priority = 2;
  i.owner = "USG";
  i.text = "Regional stability";
  f.interests.push_back(i);
  return f;
}

const assess::ReferenceCatalog& Dime() { return *assess::FindReferenceCatalog("dime"); }

// The hard rules every generated set must keep.
void CheckHardRules(const GenerateResult& r, const assess::CaseFile& f) {
  ASSERT_GE(r.options.size(), 2u);
  ASSERT_LE(r.options.size(), 4u);
  std::set<std::string> names;
  for (const auto& a : f.actors) names.insert(a.name);
  std::set<std::pair<std::string, std::string>> pairs;
  for (const auto& o : r.options) {
    SCOPED_TRACE(o.title);
    EXPECT_TRUE(pairs.insert({o.approach, o.role}).second) << "approach/role repeats: " << o.approach << "/" << o.role;
    EXPECT_GE(o.Instruments().size(), 2u);
    EXPECT_FALSE(o.policy_goal.empty());
    EXPECT_FALSE(o.objectives.empty());
    EXPECT_FALSE(o.rationale.empty());
    EXPECT_FALSE(o.resources.funding.empty());
    EXPECT_FALSE(o.escalation_triggers.empty());
    ASSERT_FALSE(o.risks.empty());
    for (const auto& risk : o.risks) {
      EXPECT_FALSE(risk.mitigations.empty()) << risk.id;
      EXPECT_FALSE(risk.because.empty()) << risk.id;
    }
    EXPECT_EQ(std::count_if(o.risks.begin(), o.risks.end(), [](const OptionRisk& x) { return x.id == "inaction"; }) > 0,
              o.role == "bystander");
    bool own_approach = false;
    for (const auto& t : o.tools) {
      const assess::ReferenceEntry* e = Dime().Find(t.id);
      ASSERT_NE(e, nullptr) << t.id;
      EXPECT_LE(ApproachRank(e->Field("approach")), ApproachRank(o.approach)) << t.id;
      own_approach |= e->Field("approach") == o.approach;
      if (r.situation.host_nation_role == "adversary") {
        EXPECT_FALSE(e->Flag("requires_host_consent")) << t.id << " needs host consent";
      }
      EXPECT_EQ(t.because.rfind("chosen because: ", 0), 0u) << t.because;
      EXPECT_NE(t.because.find("targets "), std::string::npos) << t.because;
      EXPECT_NE(t.because.find("fits stage "), std::string::npos) << t.because;
      ASSERT_FALSE(t.target_actors.empty()) << t.id;
      for (const auto& n : t.target_actors) EXPECT_TRUE(names.count(n)) << n;
      EXPECT_FALSE(t.stages.empty());
    }
    EXPECT_TRUE(own_approach) << "no tool of the package's own approach";
    OptionPackage copy = o;
    EXPECT_TRUE(ValidateOption(copy).ok());
  }
}

const OptionPackage* WithApproach(const GenerateResult& r, std::string_view approach) {
  for (const auto& o : r.options) {
    if (o.approach == approach) return &o;
  }
  return nullptr;
}

TEST(GeneratorTest, EmbeddedRulesParse) {
  auto text = catalog::FindEmbedded("option_rules.json");
  ASSERT_TRUE(text.ok());
  auto rules = ParseRules(*text, "catalog/option_rules.json");
  ASSERT_TRUE(rules.ok()) << rules.status().ToString();
  (void)DefaultRules();  // aborts when broken
}

TEST(GeneratorTest, BrokenRulesNameFileAndPath) {
  auto text = catalog::FindEmbedded("option_rules.json");
  ASSERT_TRUE(text.ok());
  const nlohmann::json good = nlohmann::json::parse(*text);
  auto error_of = [](const nlohmann::json& j) {
    auto r = ParseRules(j.dump(), "rules.json");
    EXPECT_FALSE(r.ok());
    return r.ok() ? std::string() : r.status().message();
  };
  nlohmann::json j = good;
  j["packages"][2]["approach"] = "persuasion";
  EXPECT_EQ(error_of(j).rfind("rules.json: packages[2].approach: 'persuasion' is not one of", 0), 0u) << error_of(j);
  j = good;
  j["risks"][3]["id"] = "meteor";
  EXPECT_NE(error_of(j).find("rules.json: risks[3].id: 'meteor'"), std::string::npos) << error_of(j);
  j = good;
  j["military_approaches"][1]["tools"][0] = "nofly";
  EXPECT_NE(error_of(j).find("military_approaches[1].tools[0]: 'nofly'"), std::string::npos) << error_of(j);
  j = good;
  j["risk_factor_purposes"][0]["item"] = "c99";
  EXPECT_NE(error_of(j).find("risk_factor_purposes[0].item"), std::string::npos) << error_of(j);
  j = good;
  j["packages"][0]["when_any"] = {{{"volatility", {"boiling"}}}};
  EXPECT_NE(error_of(j).find("packages[0].when_any[0].volatility[0]: 'boiling'"), std::string::npos) << error_of(j);
  j = good;
  j["packages"][0]["goal"] = "Protect {victim}";
  EXPECT_NE(error_of(j).find("packages[0].goal: unknown placeholder '{victim}'"), std::string::npos) << error_of(j);
  j = good;
  j.erase("limits");
  EXPECT_NE(error_of(j).find("rules.json: limits: missing"), std::string::npos) << error_of(j);
  j = good;
  j["type"] = "reference-catalog";
  EXPECT_NE(error_of(j).find("type: is 'reference-catalog'"), std::string::npos);
  auto bad = ParseRules("{ not json", "rules.json");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("rules.json"), std::string::npos);
}

TEST(GeneratorTest, InferSituationFromActorsScoresAndInterests) {
  assess::CaseFile f = AdversaryCase();
  Situation s = InferSituation(f, {}, {});
  EXPECT_EQ(s.host_nation_role, "adversary");
  EXPECT_NE(s.Basis("host-nation-role").find("Government of Xland"), std::string::npos) << s.Basis("host-nation-role");
  EXPECT_EQ(s.volatility, "urgent");
  EXPECT_NE(s.Basis("volatility").find("s9"), std::string::npos) << s.Basis("volatility");
  EXPECT_EQ(s.us_interests, "");
  EXPECT_EQ(s.Basis("us-interests").rfind("unknown: ", 0), 0u);
  EXPECT_EQ(s.international_support, "low");  // one organization intervenes

  assess::CaseFile p = PartnerCase();
  Situation ps = InferSituation(p, {}, {});
  EXPECT_EQ(ps.host_nation_role, "partner");
  EXPECT_EQ(ps.volatility, "latent");
  EXPECT_EQ(ps.us_interests, "low");
  p.interests.front().priority = 1;
  EXPECT_EQ(InferSituation(p, {}, {}).us_interests, "high");

  // The analyst's values win, with basis "analyst".
  Situation set;
  set.volatility = "latent";
  Situation mixed = InferSituation(f, {}, set);
  EXPECT_EQ(mixed.volatility, "latent");
  EXPECT_EQ(mixed.Basis("volatility"), "analyst");
  EXPECT_EQ(mixed.host_nation_role, "adversary");

  // A recent high alert makes a latent case urgent.
  assess::CaseLinks links;
  assess::CaseLinks::AlertLink old_alert{1, "2020-01", "threshold", "", "critical", "open", "", 0};
  assess::CaseLinks::AlertLink recent{2, "2024-05", "threshold", "", "high", "open", "", 0};
  assess::CaseLinks::AlertLink newest{3, "2024-09", "threshold", "", "low", "open", "", 0};
  links.alerts = {newest, recent, old_alert};
  Situation al = InferSituation(PartnerCase(), links, {});
  EXPECT_EQ(al.volatility, "urgent");
  EXPECT_NE(al.Basis("volatility").find("alert 2"), std::string::npos) << al.Basis("volatility");
  links.alerts = {newest, old_alert};  // the critical one is too old
  EXPECT_EQ(InferSituation(PartnerCase(), links, {}).volatility, "latent");
  links.alerts = {newest, recent};
  links.alerts[1].status = "dismissed";
  EXPECT_EQ(InferSituation(PartnerCase(), links, {}).volatility, "latent");
}

TEST(GeneratorTest, AdversaryUrgentCase) {
  assess::CaseFile f = AdversaryCase();
  auto r = GenerateOptions(f, {}, {});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  CheckHardRules(*r, f);
  const OptionPackage* iv = WithApproach(*r, "intervention");
  ASSERT_NE(iv, nullptr) << "no intervention package";
  EXPECT_FALSE(iv->military_approach.empty());
  EXPECT_TRUE(std::any_of(iv->tools.begin(), iv->tools.end(),
                          [](const ToolChoice& t) { return t.instrument == "military"; }));
  EXPECT_TRUE(std::any_of(iv->risks.begin(), iv->risks.end(), [](const OptionRisk& x) { return x.id == "losses"; }));
  EXPECT_NE(iv->resources.personnel.find("forces:"), std::string::npos);
  // No partnered package with an adversary host; the note says why.
  for (const auto& o : r->options) EXPECT_EQ(o.title.find("Partnered"), std::string::npos);
  bool consent_note = false, partner_note = false;
  for (const auto& n : r->notes) {
    consent_note |= n.find("requiring its consent are excluded") != std::string::npos;
    partner_note |= n.find("no partnered-prevention package") != std::string::npos;
  }
  EXPECT_TRUE(consent_note);
  EXPECT_TRUE(partner_note);
  // Names of the case in the texts; the because text names the risk factor.
  EXPECT_NE(iv->title.find("River people"), std::string::npos) << iv->title;
  bool factor_named = false;
  for (const auto& o : r->options) {
    for (const auto& t : o.tools) {
      factor_named |= t.because.find("against risk factor OSAPG c6 scored 'severe'") != std::string::npos;
    }
  }
  EXPECT_TRUE(factor_named);
}

TEST(GeneratorTest, AnalystVolatilityUrgentAloneBringsIntervention) {
  assess::CaseFile f = PartnerCase();
  Situation set;
  set.volatility = "urgent";
  auto r = GenerateOptions(f, {}, set);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  CheckHardRules(*r, f);
  EXPECT_NE(WithApproach(*r, "intervention"), nullptr);
}

TEST(GeneratorTest, PartnerLatentCase) {
  assess::CaseFile f = PartnerCase();
  auto r = GenerateOptions(f, {}, {});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  CheckHardRules(*r, f);
  EXPECT_EQ(WithApproach(*r, "intervention"), nullptr);
  const OptionPackage* partnered = nullptr;
  for (const auto& o : r->options) {
    if (o.title.find("Partnered prevention") != std::string::npos) partnered = &o;
  }
  ASSERT_NE(partnered, nullptr);
  EXPECT_EQ(partnered->approach, "suasion");
  EXPECT_NE(partnered->role, "support-others");
  EXPECT_NE(partnered->title.find("Yland"), std::string::npos);
  bool note = false;
  for (const auto& n : r->notes) note |= n.find("no protection package") != std::string::npos;
  EXPECT_TRUE(note);
}

TEST(GeneratorTest, BystanderPackageWhenEverythingIsLow) {
  assess::CaseFile f = PartnerCase();
  Situation set;
  set.us_interests = "low";
  set.international_support = "low";
  set.host_nation_role = "adversary";
  auto r = GenerateOptions(f, {}, set);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  CheckHardRules(*r, f);
  const OptionPackage* watch = nullptr;
  for (const auto& o : r->options) {
    if (o.role == "bystander") watch = &o;
  }
  ASSERT_NE(watch, nullptr);
  EXPECT_TRUE(std::any_of(watch->risks.begin(), watch->risks.end(),
                          [](const OptionRisk& x) { return x.id == "inaction"; }));
}

TEST(GeneratorTest, MilitaryApproachFollowsActorPatterns) {
  auto mil_of = [](const assess::CaseFile& f) {
    Situation set;
    set.volatility = "urgent";
    auto r = GenerateOptions(f, {}, set);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    if (!r.ok()) return std::string();
    const OptionPackage* iv = WithApproach(*r, "intervention");
    return iv ? iv->military_approach : std::string("none");
  };
  assess::CaseFile f = AdversaryCase();
  f.actors[3].locations = "South";  // victims apart from the perpetrators
  EXPECT_EQ(mil_of(f), "separation");
  f.actors[3].locations = "Camp Hope for the displaced";
  EXPECT_EQ(mil_of(f), "safe-areas");
  f = AdversaryCase();  // overlap in "North", support low
  EXPECT_EQ(mil_of(f), "clear-hold-build");
  f = PartnerCase();  // partner host with a protecting state actor
  EXPECT_EQ(mil_of(f), "partner-enabling");
}

TEST(GeneratorTest, Deterministic) {
  assess::CaseFile f = AdversaryCase();
  auto a = GenerateOptions(f, {}, {});
  auto b = GenerateOptions(f, {}, {});
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_EQ(a->options.size(), b->options.size());
  for (std::size_t i = 0; i < a->options.size(); ++i) EXPECT_EQ(ToJson(a->options[i]), ToJson(b->options[i]));
  EXPECT_EQ(a->notes, b->notes);
  EXPECT_EQ(ToJson(a->situation), ToJson(b->situation));
}

TEST(GeneratorTest, FailedPreconditionWithoutPerpetratorsOrVictims) {
  assess::CaseFile f;
  f.info.title = "Empty";
  f.actors.push_back(MakeActor(1, "Observers", "organization", "positive-actor"));
  auto r = GenerateOptions(f, {}, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kFailedPrecondition);
  EXPECT_NE(r.status().message().find("perpetrator"), std::string::npos);
  // A perpetrator whose role has ended does not count.
  assess::Actor gone = MakeActor(2, "Old junta", "group", "perpetrator-architect");
  gone.roles.front().to = "2025-02";
  f.actors.push_back(gone);
  EXPECT_EQ(GenerateOptions(f, {}, {}).status().code(), Status::Code::kFailedPrecondition);
}

}  // namespace
}  // namespace vigil::options
