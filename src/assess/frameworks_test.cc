#include "assess/frameworks.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "core/embedded.h"

namespace vigil::assess {
namespace {

using ::testing::HasSubstr;

// A small valid catalog the malformed variants below are made from.
const char* kMinimal = R"json({
  "type": "assessment-framework",
  "id": "demo",
  "version": 1,
  "title": "Demo framework",
  "source": "Nobody, A demo (2024)",
  "license_note": "Own words.",
  "description": "Used by tests.",
  "item_kind": "factor",
  "scale": {
    "question": "How present?",
    "levels": [
      {"id": "no", "value": 0, "label": "No", "meaning": "Absent."},
      {"id": "yes", "value": 1, "label": "Yes", "meaning": "Present."}
    ]
  },
  "items": [
    {"id": "f1", "number": 1, "title": "First", "description": "The first.",
     "indicators": [{"id": "f1.1", "title": "An indicator"}, {"id": "f1.2", "title": "Another"}]},
    {"id": "f2", "number": 2, "title": "Second", "description": "The second."}
  ]
})json";

std::string Replace(std::string s, const std::string& from, const std::string& to) {
  std::size_t pos = s.find(from);
  EXPECT_NE(pos, std::string::npos) << "test bug: '" << from << "' not in the text";
  if (pos != std::string::npos) s.replace(pos, from.size(), to);
  return s;
}

std::string ErrorOf(const std::string& text, const std::string& name = "catalog/demo.json") {
  Result<Framework> r = ParseFramework(text, name);
  EXPECT_FALSE(r.ok()) << "expected an error for:\n" << text;
  return r.ok() ? "" : r.status().message();
}

TEST(ParseFramework, MinimalCatalogParsesIntoItemsAndChildren) {
  Result<Framework> r = ParseFramework(kMinimal, "demo.json");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const Framework& fw = *r;
  EXPECT_EQ(fw.id, "demo");
  EXPECT_EQ(fw.version, 1);
  ASSERT_EQ(fw.items.size(), 4u);  // f1, f1.1, f1.2, f2
  EXPECT_EQ(fw.items[0].id, "f1");
  EXPECT_EQ(fw.items[1].id, "f1.1");
  EXPECT_EQ(fw.items[3].id, "f2");
  ASSERT_EQ(fw.TopLevel().size(), 2u);
  const FrameworkItem* ind = fw.Find("f1.2");
  ASSERT_NE(ind, nullptr);
  EXPECT_EQ(ind->parent_id, "f1");
  EXPECT_EQ(ind->kind, "indicator");
  EXPECT_EQ(ind->depth, 1);
  EXPECT_EQ(fw.Find("f1")->kind, "factor");
  EXPECT_EQ(fw.Find("f1")->children, (std::vector<std::string>{"f1.1", "f1.2"}));
  EXPECT_EQ(fw.ChildrenOf("f1").size(), 2u);
  EXPECT_TRUE(fw.ChildrenOf("f2").empty());
  EXPECT_EQ(fw.Find("f3"), nullptr);
  EXPECT_TRUE(fw.IsValidLevel("yes"));
  EXPECT_FALSE(fw.IsValidLevel("Yes"));
  EXPECT_FALSE(fw.IsValidLevel(""));
  EXPECT_EQ(fw.scale.Find("yes")->value, 1);
}

TEST(ParseFramework, SyntaxErrorNamesFileLineAndColumn) {
  std::string bad = Replace(kMinimal, "\"version\": 1,", "\"version\": 1");
  std::string e = ErrorOf(bad);
  EXPECT_THAT(e, HasSubstr("catalog/demo.json: not valid JSON"));
  EXPECT_THAT(e, HasSubstr("line 5"));
}

TEST(ParseFramework, MissingTitleNamesTheField) {
  std::string e = ErrorOf(Replace(kMinimal, R"({"id": "f1.2", "title": "Another"})", R"({"id": "f1.2"})"));
  EXPECT_THAT(e, HasSubstr("catalog/demo.json: items[0].indicators[1].title: missing"));
  e = ErrorOf(Replace(kMinimal, R"("title": "Second")", R"("title": "  ")"));
  EXPECT_THAT(e, HasSubstr("items[1].title: must not be empty"));
  e = ErrorOf(Replace(kMinimal, R"("title": "Demo framework",)", ""));
  EXPECT_THAT(e, HasSubstr("catalog/demo.json: title: missing"));
}

TEST(ParseFramework, DuplicateIdsAreNamedWithBothPlaces) {
  std::string e = ErrorOf(Replace(kMinimal, R"("id": "f2")", R"("id": "f1")"));
  EXPECT_THAT(e, HasSubstr("items[1].id: duplicate item id 'f1' (first used at items[0])"));
  e = ErrorOf(Replace(kMinimal, R"({"id": "f1.2", "title")", R"({"id": "f1.1", "title")"));
  EXPECT_THAT(e, HasSubstr("items[0].indicators[1].id: duplicate item id 'f1.1'"));
  e = ErrorOf(Replace(kMinimal, R"({"id": "yes")", R"({"id": "no")"));
  EXPECT_THAT(e, HasSubstr("scale.levels[1].id: duplicate level id 'no'"));
}

TEST(ParseFramework, WrongTypesBadIdsAndUnknownFields) {
  EXPECT_THAT(ErrorOf(Replace(kMinimal, R"("version": 1)", R"("version": "1")")),
              HasSubstr("version: must be an integer, not string"));
  EXPECT_THAT(ErrorOf(Replace(kMinimal, R"("id": "f2")", R"("id": "F 2")")),
              HasSubstr("items[1].id: 'F 2' is not a valid id"));
  EXPECT_THAT(ErrorOf(Replace(kMinimal, R"("title": "First")", R"("titel": "First")")),
              HasSubstr("items[0].titel: unknown field"));
  EXPECT_THAT(ErrorOf(Replace(kMinimal, R"("type": "assessment-framework")", R"("type": "toolbox")")),
              HasSubstr("type: is 'toolbox', expected 'assessment-framework'"));
  EXPECT_THAT(ErrorOf("[1, 2]"), HasSubstr("catalog/demo.json: must be a JSON object, not array"));
  EXPECT_THAT(ErrorOf(Replace(kMinimal, R"("items": [)", R"("items": {"x": [)") + "}"),
              HasSubstr("items: must be an array, not object"));
}

TEST(ParseFramework, ChildIdsMustStartWithTheParentId) {
  EXPECT_THAT(ErrorOf(Replace(kMinimal, R"({"id": "f1.2")", R"({"id": "f2.9")")),
              HasSubstr("items[0].indicators[1].id: 'f2.9' must start with its parent's id and a dot ('f1.')"));
}

TEST(ParseFramework, ItemNumbersFollowTheListOrder) {
  EXPECT_THAT(ErrorOf(Replace(kMinimal, R"("number": 2)", R"("number": 3)")),
              HasSubstr("items[1].number: is 3 but the item is number 2"));
}

TEST(ParseFramework, ScaleLevelsMustIncrease) {
  EXPECT_THAT(ErrorOf(Replace(kMinimal, R"("value": 1)", R"("value": 0)")),
              HasSubstr("scale.levels[1].value: 0 must be greater than the previous level's 0"));
  std::string one_level = Replace(kMinimal, R"(,
      {"id": "yes", "value": 1, "label": "Yes", "meaning": "Present."})", "");
  EXPECT_THAT(ErrorOf(one_level), HasSubstr("scale.levels: needs at least two levels"));
  EXPECT_THAT(ErrorOf(Replace(kMinimal, R"("meaning": "Absent.")", R"("meaning": 3)")),
              HasSubstr("scale.levels[0].meaning: must be a string, not number"));
}

TEST(ParseFramework, SeveralErrorsAreReportedTogether) {
  std::string bad = Replace(Replace(kMinimal, R"("title": "First", )", ""), R"("label": "Yes", )", "");
  std::string e = ErrorOf(bad);
  EXPECT_THAT(e, HasSubstr("scale.levels[1].label: missing"));
  EXPECT_THAT(e, HasSubstr("items[0].title: missing"));
}

TEST(ParseFramework, CrimeTagsAreChecked) {
  EXPECT_THAT(ErrorOf(Replace(kMinimal, R"("number": 1,)", R"("number": 1, "crime": "genocide",)")),
              HasSubstr("items[0].crime: only un2014 tags items with a crime"));
  EXPECT_THAT(ErrorOf(Replace(kMinimal, R"("number": 1,)", R"("number": 1, "crime": "piracy",)")),
              HasSubstr("items[0].crime: 'piracy' is not one of"));
}

// The real catalogs, as embedded and as files on disk.
TEST(EmbeddedFrameworks, AllFiveParseAndMatchTheirFileNames) {
  const auto& all = Frameworks();
  std::set<std::string> ids;
  for (const Framework& fw : all) {
    ids.insert(fw.id);
    EXPECT_GE(fw.version, 1);
    EXPECT_FALSE(fw.source.empty());
    EXPECT_GE(fw.scale.levels.size(), 2u);
    EXPECT_EQ(FindFramework(fw.id), &fw);
    for (const FrameworkItem& it : fw.items) {
      EXPECT_FALSE(it.title.empty()) << fw.id << " " << it.id;
      if (it.depth == 0) {
        EXPECT_FALSE(it.description.empty()) << fw.id << " " << it.id;
      }
    }
  }
  EXPECT_EQ(ids, (std::set<std::string>{"civilian-risks", "osapg", "pmesii", "stanton", "un2014"}));
  EXPECT_EQ(FindFramework("nonexistent"), nullptr);
}

TEST(EmbeddedFrameworks, OsapgHasEightCategoriesWithIssues) {
  const Framework* fw = FindFramework("osapg");
  ASSERT_NE(fw, nullptr);
  auto top = fw->TopLevel();
  ASSERT_EQ(top.size(), 8u);
  for (std::size_t i = 0; i < top.size(); ++i) {
    EXPECT_EQ(top[i]->number, static_cast<int>(i) + 1);
    EXPECT_EQ(top[i]->kind, "category");
    EXPECT_GE(top[i]->children.size(), 3u) << top[i]->id;
    for (const FrameworkItem* ch : fw->ChildrenOf(top[i]->id)) EXPECT_EQ(ch->kind, "issue");
  }
}

TEST(EmbeddedFrameworks, Un2014HasFourteenFactorsSplit8222) {
  const Framework* fw = FindFramework("un2014");
  ASSERT_NE(fw, nullptr);
  auto top = fw->TopLevel();
  ASSERT_EQ(top.size(), 14u);
  std::map<std::string, int> per_crime;
  for (const FrameworkItem* it : top) {
    ++per_crime[it->crime];
    EXPECT_GE(fw->ChildrenOf(it->id).size(), 4u) << it->id;
  }
  EXPECT_EQ(per_crime, (std::map<std::string, int>{
                           {"common", 8}, {"genocide", 2}, {"crimes-against-humanity", 2}, {"war-crimes", 2}}));
  EXPECT_EQ(top[8]->crime, "genocide");
  EXPECT_EQ(top[13]->crime, "war-crimes");
  EXPECT_EQ(fw->Find("rf10.1")->parent_id, "rf10");
}

TEST(EmbeddedFrameworks, StantonHasTenStages) {
  const Framework* fw = FindFramework("stanton");
  ASSERT_NE(fw, nullptr);
  auto top = fw->TopLevel();
  ASSERT_EQ(top.size(), 10u);
  EXPECT_EQ(top.front()->title, "Classification");
  EXPECT_EQ(top.back()->title, "Denial");
}

TEST(EmbeddedFrameworks, CivilianRisksIncludeTheSixGraveViolations) {
  const Framework* fw = FindFramework("civilian-risks");
  ASSERT_NE(fw, nullptr);
  int grave = 0;
  for (const FrameworkItem* it : fw->TopLevel()) grave += it->group == "grave-violation";
  EXPECT_EQ(grave, 6);
  for (const char* id : {"killing-maiming", "recruitment-use", "sexual-violence-children", "abduction",
                         "attacks-schools-hospitals", "denial-humanitarian-access", "crsv", "cultural-heritage"}) {
    EXPECT_NE(fw->Find(id), nullptr) << id;
  }
}

TEST(EmbeddedFrameworks, PmesiiHasTheSevenGpmesiiVariables) {
  const Framework* fw = FindFramework("pmesii");
  ASSERT_NE(fw, nullptr);
  EXPECT_EQ(fw->TopLevel().size(), 7u);
  EXPECT_EQ(fw->Find("political.1")->kind, "question");
}

// The known-structure rules fire on the real files when they are damaged.
std::string ReadCatalogFile(const std::string& name) {
  std::ifstream in(std::string(VIGIL_SOURCE_DIR) + "/catalog/" + name, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(EmbeddedFrameworks, EmbeddedBytesEqualTheFilesOnDisk) {
  for (const char* name : {"osapg.json", "un2014.json", "stanton.json", "pmesii.json", "civilian-risks.json"}) {
    Result<std::string_view> embedded = catalog::FindEmbedded(name);
    ASSERT_TRUE(embedded.ok()) << name;
    EXPECT_EQ(std::string(*embedded), ReadCatalogFile(name)) << name << ": rebuild to re-embed";
  }
}

TEST(KnownStructure, WrongCountsAndTagsAreErrors) {
  // OSAPG without its eighth category.
  std::string osapg = ReadCatalogFile("osapg.json");
  std::size_t c8 = osapg.find(R"("id": "c8")");
  ASSERT_NE(c8, std::string::npos);
  std::size_t open = osapg.rfind('{', c8);
  std::size_t prev_close = osapg.rfind("},", open);
  std::size_t items_end = osapg.rfind(']');
  std::string seven = osapg.substr(0, prev_close + 1) + "\n  " + osapg.substr(items_end);
  EXPECT_THAT(ErrorOf(seven, "catalog/osapg.json"),
              HasSubstr("catalog/osapg.json: items: osapg has 8 categories, found 7"));

  // A UN genocide factor tagged as a war crime.
  std::string un = ReadCatalogFile("un2014.json");
  un = Replace(un, R"("id": "rf9", "number": 9, "crime": "genocide")", R"("id": "rf9", "number": 9, "crime": "war-crimes")");
  EXPECT_THAT(ErrorOf(un, "catalog/un2014.json"),
              HasSubstr("items[8].crime: risk factor 9 must be tagged 'genocide'"));

  // A grave violation dropped from its group.
  std::string cr = ReadCatalogFile("civilian-risks.json");
  cr = Replace(cr, R"("id": "abduction", "number": 4, "group": "grave-violation")", R"("id": "abduction", "number": 4)");
  EXPECT_THAT(ErrorOf(cr, "catalog/civilian-risks.json"),
              HasSubstr("'abduction' must have group 'grave-violation'"));
}

// ---------------------------------------------------------------------------
// Reference catalogs.

const char* kMinimalRisks = R"json({
  "type": "reference-catalog", "id": "dime-risks", "version": 1, "title": "Risks",
  "source": "A handbook (2012)", "license_note": "Own words.", "description": "Used by tests.",
  "entry_kind": "risk",
  "entries": [
    {"id": "r1", "title": "One", "group": "policy-risk", "description": "d", "mitigations": ["m"]},
    {"id": "r2", "title": "Two", "group": "policy-risk", "description": "d", "mitigations": ["m"]},
    {"id": "r3", "title": "Three", "group": "policy-risk", "description": "d", "mitigations": ["m"]},
    {"id": "r4", "title": "Four", "group": "policy-risk", "description": "d", "mitigations": ["m"]},
    {"id": "r5", "title": "Five", "group": "policy-risk", "description": "d", "mitigations": ["m"]},
    {"id": "r6", "title": "Six", "group": "policy-risk", "description": "d", "mitigations": ["m"]},
    {"id": "r7", "title": "Seven", "group": "policy-risk", "description": "d", "mitigations": ["m"]},
    {"id": "r8", "title": "Eight", "group": "policy-risk", "description": "d", "mitigations": ["m"]},
    {"id": "r9", "title": "Nine", "group": "policy-risk", "description": "d", "mitigations": ["m"]},
    {"id": "r10", "title": "Ten", "group": "policy-risk", "description": "d", "mitigations": ["m"]},
    {"id": "r11", "title": "Eleven", "group": "policy-risk", "description": "d", "mitigations": ["m", "n"]},
    {"id": "inaction", "title": "Inaction", "group": "inaction", "description": "d", "mitigations": ["m"]}
  ]
})json";

std::string RefErrorOf(const std::string& text) {
  Result<ReferenceCatalog> r = ParseReferenceCatalog(text, "catalog/dime-risks.json");
  EXPECT_FALSE(r.ok()) << "expected an error for:\n" << text;
  return r.ok() ? "" : r.status().message();
}

TEST(ParseReferenceCatalog, MinimalCatalogParses) {
  Result<ReferenceCatalog> r = ParseReferenceCatalog(kMinimalRisks, "x.json");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->id, "dime-risks");
  ASSERT_EQ(r->entries.size(), 12u);
  EXPECT_EQ(r->InGroup("policy-risk").size(), 11u);
  EXPECT_EQ(r->Find("r11")->List("mitigations"), (std::vector<std::string>{"m", "n"}));
  EXPECT_TRUE(r->Find("r11")->List("nothing").empty());
  EXPECT_EQ(r->Find("r1")->Field("nothing"), "");
  EXPECT_EQ(r->Find("nope"), nullptr);
}

TEST(ParseReferenceCatalog, ErrorsNameFileAndPath) {
  EXPECT_THAT(RefErrorOf(Replace(kMinimalRisks, R"("group": "inaction")", R"("group": "regret")")),
              HasSubstr("catalog/dime-risks.json: entries[11].group: 'regret' is not one of policy-risk, inaction"));
  EXPECT_THAT(RefErrorOf(Replace(kMinimalRisks, R"("id": "r2")", R"("id": "r1")")),
              HasSubstr("entries[1].id: duplicate entry id 'r1' (also entries[0])"));
  EXPECT_THAT(RefErrorOf(Replace(kMinimalRisks, R"("mitigations": ["m", "n"])", R"("mitigation": ["m"])")),
              HasSubstr("entries[10].mitigation: unknown field for a dime-risks entry"));
  EXPECT_THAT(RefErrorOf(Replace(kMinimalRisks, R"("mitigations": ["m", "n"])", R"("mitigations": [])")),
              HasSubstr("entries[10].mitigations: must not be empty"));
  EXPECT_THAT(RefErrorOf(Replace(kMinimalRisks, R"("title": "Two", )", "")), HasSubstr("entries[1].title: missing"));
  EXPECT_THAT(RefErrorOf(Replace(kMinimalRisks, R"("id": "dime-risks")", R"("id": "carrots")")),
              HasSubstr("id: 'carrots' is not a known reference catalog"));
  EXPECT_THAT(RefErrorOf(Replace(kMinimalRisks, "reference-catalog", "assessment-framework")),
              HasSubstr("type: is 'assessment-framework', expected 'reference-catalog'"));
  EXPECT_THAT(RefErrorOf("{\"type\": \n ["), HasSubstr("catalog/dime-risks.json: not valid JSON"));
}

TEST(ParseReferenceCatalog, CountsAreEnforced) {
  std::string ten = Replace(kMinimalRisks, R"("group": "policy-risk", "description": "d", "mitigations": ["m", "n"])",
                            R"("group": "inaction", "description": "d", "mitigations": ["m", "n"])");
  std::string msg = RefErrorOf(ten);
  EXPECT_THAT(msg, HasSubstr("dime-risks has 11 policy risks, found 10"));
  EXPECT_THAT(msg, HasSubstr("dime-risks has 1 risk of inaction, found 2"));
}

// Embedded reference catalog text, mutated to check the structural rules.
std::string Embedded(const char* name) {
  Result<std::string_view> f = catalog::FindEmbedded(name);
  EXPECT_TRUE(f.ok()) << name;
  return f.ok() ? std::string(*f) : std::string();
}

TEST(ParseReferenceCatalog, DimeValuesAreChecked) {
  std::string dime = Embedded("dime.json");
  EXPECT_THAT(RefErrorOf(Replace(dime, R"("approach": "suasion")", R"("approach": "persuasion")")),
              HasSubstr("entries[0].approach: 'persuasion' is not one of suasion, compellence, intervention"));
  EXPECT_THAT(RefErrorOf(Replace(dime, R"("instrument": "diplomatic")", R"("instrument": "legal")")),
              HasSubstr("entries[0].instrument: 'legal' is not one of diplomatic, informational, military, economic"));
  EXPECT_THAT(RefErrorOf(Replace(dime, R"("perpetrators",)", R"("villains",)")), HasSubstr("is not one of perpetrators"));
  EXPECT_THAT(RefErrorOf(Replace(dime, R"("IA",)", R"("IIC",)")), HasSubstr("'IIC' is not one of IA, IB, IC"));
  EXPECT_THAT(RefErrorOf(Replace(dime, R"("requires_host_consent": false)", R"("requires_host_consent": "no")")),
              HasSubstr("requires_host_consent: must be true or false, not string"));
  EXPECT_THAT(RefErrorOf(Replace(dime, R"("cost": "low")", R"("cost": "cheap")")),
              HasSubstr("'cheap' is not one of low, medium, high"));
  // Without any economic tool the catalog is rejected.
  std::string no_economic = dime;
  for (std::size_t pos; (pos = no_economic.find(R"("instrument": "economic")")) != std::string::npos;) {
    no_economic.replace(pos, 24, R"("instrument": "military")");
  }
  EXPECT_THAT(RefErrorOf(no_economic), HasSubstr("dime has no economic tool"));
}

TEST(ParseReferenceCatalog, PolicyFrameAndMilitaryStructure) {
  std::string pf = Embedded("policy-frame.json");
  EXPECT_THAT(RefErrorOf(Replace(pf, R"("group": "role")", R"("group": "guideline")")),
              HasSubstr("policy-frame has 4 roles, found 3"));
  EXPECT_THAT(RefErrorOf(Replace(pf, R"("adversary")", R"("enemy")")), HasSubstr("'enemy' is not one of"));
  std::string ma = Embedded("military-approaches.json");
  EXPECT_THAT(RefErrorOf(Replace(ma, R"("id": "safe-areas")", R"("id": "safe-zones")")),
              HasSubstr("military-approaches must list 'safe-areas'"));
  std::string cc = Embedded("cross-cutting.json");
  EXPECT_THAT(RefErrorOf(Replace(cc, R"("id": "legitimacy")", R"("id": "legitimacy", "group": "x")")),
              HasSubstr("entries[2].group: unknown field for a cross-cutting entry"));
}

TEST(EmbeddedReferenceCatalogs, AllFiveParseWithTheirCounts) {
  const auto& all = ReferenceCatalogs();
  std::vector<std::string> ids;
  for (const auto& rc : all) ids.push_back(rc.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"cross-cutting", "dime", "dime-risks", "military-approaches",
                                           "policy-frame"}));
  // The framework list is unchanged by them.
  EXPECT_EQ(Frameworks().size(), 5u);
  EXPECT_EQ(FindFramework("dime"), nullptr);
  EXPECT_EQ(FindReferenceCatalog("un2014"), nullptr);

  const ReferenceCatalog* risks = FindReferenceCatalog("dime-risks");
  ASSERT_NE(risks, nullptr);
  EXPECT_EQ(risks->InGroup("policy-risk").size(), 11u);
  ASSERT_EQ(risks->InGroup("inaction").size(), 1u);
  for (const auto& e : risks->entries) EXPECT_FALSE(e.List("mitigations").empty()) << e.id;

  EXPECT_EQ(FindReferenceCatalog("cross-cutting")->entries.size(), 8u);
  const ReferenceCatalog* ma = FindReferenceCatalog("military-approaches");
  ASSERT_EQ(ma->entries.size(), 7u);
  std::vector<std::string> ma_ids;
  for (const auto& e : ma->entries) ma_ids.push_back(e.id);
  EXPECT_EQ(ma_ids, (std::vector<std::string>{"area-security", "clear-hold-build", "separation", "safe-areas",
                                              "partner-enabling", "containment", "defeat-adversaries"}));

  const ReferenceCatalog* pf = FindReferenceCatalog("policy-frame");
  EXPECT_EQ(pf->InGroup("variable").size(), 4u);
  EXPECT_EQ(pf->InGroup("role").size(), 4u);
  EXPECT_EQ(pf->InGroup("guideline").size(), 6u);
  EXPECT_EQ(pf->Find("host-nation-role")->List("values"), (std::vector<std::string>{"partner", "adversary"}));
  EXPECT_EQ(pf->Find("volatility")->List("values"), (std::vector<std::string>{"latent", "urgent"}));
}

// Every tool of the handbook's DIME toolbox figure, by vigil's id.
const char* kFigure14Tools[] = {
    // Diplomatic
    "pressure", "inducements", "contacts", "informal-negotiations", "fact-finding", "consensus-building",
    "igo-ngo-coordination", "usg-planning", "embassy-augmentation", "senior-leader-speeches", "formal-negotiations",
    "victim-group-meetings", "leader-engagement", "mediation", "intermediaries", "summits", "coalition-building",
    "un-resolutions", "travel-bans", "travel-advisories", "state-sponsor-list", "embassy-reduction",
    "criminal-investigations", "international-law-enforcement", "extradition-legal", "amnesty-immunity",
    "diplomatic-activity-restriction", "culture-sport-restriction", "isolation", "opposition-recognition",
    "ambassador-recall", "exile-support", "break-relations", "neo-diplomatic", "enabler-sanctions", "ultimatums",
    "treaty-compliance", "stationing-overflight", "other-diplomatic-intervention",
    // Informational
    "policy-statements", "strategic-communication", "media-relations", "conflict-assessment", "information-sharing",
    "enhanced-media", "civil-society-influence", "congressional-testimony", "mapro-orchestra", "arts-promotion",
    "human-rights-monitoring", "atrocity-reporting", "intelligence-gathering", "intelligence-sharing",
    "counter-hate-media", "electronic-countermeasures", "miso-informational", "release-intelligence",
    "truth-reconciliation", "other-informational-intervention",
    // Military
    "theater-security-cooperation", "security-assistance", "exercises", "other-military-suasion", "access-basing",
    "expanded-presence", "port-visits", "hq-activation", "increased-alert", "deployment-preparations",
    "hq-deployment", "expanded-isr", "miso-military", "shows-of-force", "blockade-quarantine", "expanded-miso",
    "electronic-warfare", "persistent-isr", "neo-military", "humanitarian-assistance-military",
    "logistics-third-party", "train-equip-third-party", "mine-clearance", "no-fly-zone", "combat-camera",
    "limited-intervention", "sof-operations", "strikes-raids", "peace-operations", "full-intervention",
    // Economic
    "foreign-aid", "debt-relief", "other-economic-suasion", "technology-controls", "exchange-rate", "ifi-advocacy",
    "trade-policy", "freeze-assets", "fdi", "embargoes", "international-sanctions", "humanitarian-assistance",
    "other-economic-intervention"};

TEST(EmbeddedReferenceCatalogs, DimeHasEveryFigure14ToolOnceWithAllFields) {
  const ReferenceCatalog* dime = FindReferenceCatalog("dime");
  ASSERT_NE(dime, nullptr);
  std::set<std::string> want(std::begin(kFigure14Tools), std::end(kFigure14Tools));
  ASSERT_EQ(want.size(), std::size(kFigure14Tools)) << "test bug: an id listed twice";
  std::set<std::string> have;
  for (const auto& t : dime->entries) EXPECT_TRUE(have.insert(t.id).second) << "listed twice: " << t.id;
  EXPECT_EQ(have, want);
  for (const auto& t : dime->entries) {
    EXPECT_FALSE(t.title.empty()) << t.id;
    EXPECT_GE(t.description.size(), 40u) << t.id;
    for (const char* key : {"instrument", "approach", "effect", "lead_agency", "cost", "risk",
                            "sovereignty_intrusion", "lead_time"}) {
      EXPECT_FALSE(t.Field(key).empty()) << t.id << " " << key;
    }
    for (const char* key : {"stages", "targets", "purposes"}) EXPECT_FALSE(t.List(key).empty()) << t.id << " " << key;
    EXPECT_EQ(t.flags.count("requires_host_consent"), 1u) << t.id;
  }
  // Every instrument has tools for every approach it is used in, and every
  // instrument/approach cell of the figure is filled.
  for (const char* ins : kInstruments) {
    for (const char* ap : kApproaches) {
      bool found = false;
      for (const auto* t : dime->Where("instrument", ins)) found |= t->Field("approach") == ap;
      EXPECT_TRUE(found) << ins << " " << ap;
    }
  }
  // Coercive tools never depend on the host government's consent.
  for (const auto* t : dime->Where("approach", "compellence")) EXPECT_FALSE(t->Flag("requires_host_consent")) << t->id;
  EXPECT_TRUE(dime->Find("peace-operations")->Flag("requires_host_consent"));
  EXPECT_FALSE(dime->Find("strikes-raids")->Flag("requires_host_consent"));
}

}  // namespace
}  // namespace vigil::assess
