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

}  // namespace
}  // namespace vigil::assess
