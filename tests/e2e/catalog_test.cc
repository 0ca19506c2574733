// End-to-end tests of `vigil catalog list|show`: the assessment framework
// catalogs as the checks and the case commands see them.
#include <gmock/gmock.h>

#include <map>
#include <set>

#include "tests/e2e/e2e_util.h"

namespace vigil::e2e {
namespace {

using ::testing::HasSubstr;

class CatalogCli : public CliTest {};

TEST_F(CatalogCli, ListJsonNamesEveryFrameworkWithCounts) {
  RunResult r = Run({"catalog", "list", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json j = ParseJson(r);
  ASSERT_TRUE(j.is_array());
  std::map<std::string, json> by_id;
  for (const json& c : j) by_id[c.at("id").get<std::string>()] = c;
  EXPECT_EQ(by_id.size(), 5u);
  for (const char* id : {"osapg", "un2014", "stanton", "pmesii", "civilian-risks"}) {
    ASSERT_TRUE(by_id.count(id)) << id;
    EXPECT_EQ(by_id[id]["name"], id);
    EXPECT_GE(by_id[id]["version"].get<int>(), 1);
    EXPECT_FALSE(by_id[id]["title"].get<std::string>().empty());
    EXPECT_GE(by_id[id]["levels"].size(), 2u);
  }
  EXPECT_EQ(by_id["osapg"]["item_count"], 8);
  EXPECT_EQ(by_id["un2014"]["item_count"], 14);
  EXPECT_EQ(by_id["stanton"]["item_count"], 10);
  EXPECT_EQ(by_id["pmesii"]["item_count"], 7);
}

TEST_F(CatalogCli, ListTableAndTopLevelJsonFlag) {
  RunResult r = Run({"catalog", "list"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("un2014"));
  EXPECT_THAT(r.out, HasSubstr("5 catalogs"));
  // --json before the subcommand works too.
  RunResult rj = Run({"--json", "catalog", "list"});
  ASSERT_EQ(rj.exit_code, 0) << rj.err;
  EXPECT_EQ(ParseJson(rj).size(), 5u);
}

TEST_F(CatalogCli, ShowJsonUn2014HasFactorsCrimesIndicatorsAndScale) {
  RunResult r = Run({"catalog", "show", "un2014", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json j = ParseJson(r);
  EXPECT_EQ(j["id"], "un2014");
  ASSERT_EQ(j["items"].size(), 14u);
  std::map<std::string, int> crimes;
  std::set<std::string> ids;
  for (const json& it : j["items"]) {
    ++crimes[it["crime"].get<std::string>()];
    EXPECT_TRUE(ids.insert(it["id"].get<std::string>()).second);
    EXPECT_FALSE(it["title"].get<std::string>().empty());
    ASSERT_TRUE(it.contains("indicators")) << it["id"];
    for (const json& ind : it["indicators"]) {
      EXPECT_TRUE(ids.insert(ind["id"].get<std::string>()).second);
      EXPECT_EQ(ind["parent_id"], it["id"]);
      EXPECT_FALSE(ind["title"].get<std::string>().empty());
    }
  }
  EXPECT_EQ(crimes, (std::map<std::string, int>{
                        {"common", 8}, {"genocide", 2}, {"crimes-against-humanity", 2}, {"war-crimes", 2}}));
  ASSERT_TRUE(j["scale"]["levels"].is_array());
  EXPECT_EQ(j["scale"]["levels"][0]["id"], "absent");
  EXPECT_EQ(j["child_count"].get<std::size_t>(), ids.size() - 14);
}

TEST_F(CatalogCli, ShowJsonEveryCatalog) {
  std::map<std::string, std::size_t> want = {
      {"osapg", 8}, {"un2014", 14}, {"stanton", 10}, {"pmesii", 7}, {"civilian-risks", 24}};
  for (const auto& [name, n] : want) {
    RunResult r = Run({"catalog", "show", name, "--json"});
    ASSERT_EQ(r.exit_code, 0) << name << ": " << r.err;
    json j = ParseJson(r);
    EXPECT_EQ(j["id"], name);
    EXPECT_EQ(j["items"].size(), n) << name;
    for (const json& it : j["items"]) {
      EXPECT_TRUE(it["id"].is_string());
      EXPECT_TRUE(it["title"].is_string());
    }
  }
  json osapg = ParseJson(Run({"catalog", "show", "osapg", "--json"}));
  EXPECT_TRUE(osapg["items"][0].contains("issues"));
  json pmesii = ParseJson(Run({"catalog", "show", "pmesii", "--json"}));
  EXPECT_TRUE(pmesii["items"][0].contains("questions"));
  json cr = ParseJson(Run({"catalog", "show", "civilian-risks", "--json"}));
  int grave = 0;
  for (const json& it : cr["items"]) grave += it.value("group", "") == "grave-violation";
  EXPECT_EQ(grave, 6);
}

TEST_F(CatalogCli, ShowOneItem) {
  RunResult r = Run({"catalog", "show", "un2014", "--item", "rf10", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json j = ParseJson(r);
  EXPECT_EQ(j["catalog"], "un2014");
  EXPECT_EQ(j["item"]["id"], "rf10");
  EXPECT_EQ(j["item"]["crime"], "genocide");
  EXPECT_GE(j["item"]["indicators"].size(), 4u);
  EXPECT_TRUE(j["scale"]["levels"].is_array());

  RunResult child = Run({"catalog", "show", "osapg", "--item", "c8.2"});
  ASSERT_EQ(child.exit_code, 0) << child.err;
  EXPECT_THAT(child.out, HasSubstr("issue of c8"));
  EXPECT_THAT(child.out, HasSubstr("c8.2"));
}

TEST_F(CatalogCli, UnknownNamesAndItemsFailClearly) {
  RunResult r = Run({"catalog", "show", "icaf"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("no catalog 'icaf'; the catalogs are: civilian-risks, osapg, pmesii, stanton, un2014"));
  EXPECT_TRUE(r.out.empty());
  r = Run({"catalog", "show", "stanton", "--item", "s11", "--json"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("no item 's11' in catalog stanton"));
  r = Run({"catalog", "show"});
  EXPECT_EQ(r.exit_code, 2);
  r = Run({"catalog"});
  EXPECT_EQ(r.exit_code, 2);
}

}  // namespace
}  // namespace vigil::e2e
