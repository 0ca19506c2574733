// End-to-end tests of `vigil catalog list|show`: the assessment framework
// catalogs as the checks and the case commands see them, and the reference
// catalogs (DIME toolbox, policy risks, cross-cutting considerations,
// military approaches, policy frame) the options and plans draw from.
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
  // Five assessment frameworks and five reference catalogs.
  EXPECT_EQ(by_id.size(), 10u);
  for (const char* id : {"osapg", "un2014", "stanton", "pmesii", "civilian-risks"}) {
    ASSERT_TRUE(by_id.count(id)) << id;
    EXPECT_EQ(by_id[id]["type"], "assessment-framework");
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
  EXPECT_EQ(ParseJson(rj).size(), 10u);
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

TEST_F(CatalogCli, ListNamesTheReferenceCatalogs) {
  json j = ParseJson(Run({"catalog", "list", "--json"}));
  std::map<std::string, json> by_id;
  for (const json& c : j) by_id[c.at("id").get<std::string>()] = c;
  std::map<std::string, std::size_t> want = {
      {"dime-risks", 12}, {"cross-cutting", 8}, {"military-approaches", 7}, {"policy-frame", 14}};
  for (const auto& [id, n] : want) {
    ASSERT_TRUE(by_id.count(id)) << id;
    EXPECT_EQ(by_id[id]["type"], "reference-catalog") << id;
    EXPECT_EQ(by_id[id]["item_count"].get<std::size_t>(), n) << id;
  }
  ASSERT_TRUE(by_id.count("dime"));
  EXPECT_GE(by_id["dime"]["item_count"].get<std::size_t>(), 90u);
  RunResult r = Run({"catalog", "list"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("5 reference catalogs"));
  EXPECT_THAT(r.out, HasSubstr("military-approaches"));
}

TEST_F(CatalogCli, ShowJsonDimeToolsHaveInstrumentApproachAndAttributes) {
  RunResult r = Run({"catalog", "show", "dime", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json j = ParseJson(r);
  EXPECT_EQ(j["id"], "dime");
  EXPECT_EQ(j["type"], "reference-catalog");
  ASSERT_TRUE(j["items"].is_array());
  EXPECT_EQ(j["tools"], j["items"]);
  EXPECT_GE(j["items"].size(), 90u);
  const std::set<std::string> instruments = {"diplomatic", "informational", "military", "economic"};
  const std::set<std::string> approaches = {"suasion", "compellence", "intervention"};
  const std::set<std::string> levels = {"low", "medium", "high"};
  std::set<std::string> ids;
  std::map<std::string, std::set<std::string>> cells;  // instrument -> approaches
  for (const json& t : j["items"]) {
    const std::string id = t.at("id").get<std::string>();
    EXPECT_TRUE(ids.insert(id).second) << "listed twice: " << id;
    EXPECT_FALSE(t.at("title").get<std::string>().empty()) << id;
    EXPECT_FALSE(t.at("description").get<std::string>().empty()) << id;
    const std::string ins = t.at("instrument").get<std::string>();
    const std::string ap = t.at("approach").get<std::string>();
    EXPECT_TRUE(instruments.count(ins)) << id << " " << ins;
    EXPECT_TRUE(approaches.count(ap)) << id << " " << ap;
    cells[ins].insert(ap);
    for (const char* k : {"cost", "risk", "sovereignty_intrusion"}) {
      EXPECT_TRUE(levels.count(t.at(k).get<std::string>())) << id << " " << k;
    }
    EXPECT_FALSE(t.at("lead_agency").get<std::string>().empty()) << id;
    EXPECT_FALSE(t.at("targets").empty()) << id;
    EXPECT_FALSE(t.at("purposes").empty()) << id;
    EXPECT_FALSE(t.at("stages").empty()) << id;
    EXPECT_TRUE(t.at("requires_host_consent").is_boolean()) << id;
  }
  for (const auto& ins : instruments) EXPECT_EQ(cells[ins], approaches) << ins;
  for (const char* id : {"travel-bans", "un-resolutions", "freeze-assets", "no-fly-zone", "counter-hate-media",
                         "peace-operations", "foreign-aid", "ultimatums"}) {
    EXPECT_TRUE(ids.count(id)) << id;
  }

  RunResult one = Run({"catalog", "show", "dime", "--item", "freeze-assets", "--json"});
  ASSERT_EQ(one.exit_code, 0) << one.err;
  json item = ParseJson(one)["item"];
  EXPECT_EQ(item["instrument"], "economic");
  EXPECT_EQ(item["approach"], "compellence");
  EXPECT_EQ(item["effect"], "disincentive");
}

TEST_F(CatalogCli, ShowJsonRiskCrossCuttingMilitaryAndFrame) {
  json risks = ParseJson(Run({"catalog", "show", "dime-risks", "--json"}));
  ASSERT_EQ(risks["items"].size(), 12u);
  int policy = 0, inaction = 0;
  for (const json& e : risks["items"]) {
    policy += e["group"] == "policy-risk";
    inaction += e["group"] == "inaction";
    EXPECT_FALSE(e["mitigations"].empty()) << e["id"];
  }
  EXPECT_EQ(policy, 11);
  EXPECT_EQ(inaction, 1);
  EXPECT_EQ(ParseJson(Run({"catalog", "show", "cross-cutting", "--json"}))["items"].size(), 8u);
  json ma = ParseJson(Run({"catalog", "show", "military-approaches", "--json"}));
  std::vector<std::string> ma_ids;
  for (const json& e : ma["items"]) ma_ids.push_back(e["id"]);
  EXPECT_EQ(ma_ids, (std::vector<std::string>{"area-security", "clear-hold-build", "separation", "safe-areas",
                                              "partner-enabling", "containment", "defeat-adversaries"}));
  json pf = ParseJson(Run({"catalog", "show", "policy-frame", "--json"}));
  std::map<std::string, int> groups;
  for (const json& e : pf["items"]) ++groups[e["group"].get<std::string>()];
  EXPECT_EQ(groups, (std::map<std::string, int>{{"variable", 4}, {"role", 4}, {"guideline", 6}}));

  RunResult text = Run({"catalog", "show", "dime"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_THAT(text.out, HasSubstr("economic\n"));
  EXPECT_THAT(text.out, HasSubstr("travel-bans"));
  RunResult missing = Run({"catalog", "show", "dime", "--item", "carrots"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_THAT(missing.err, HasSubstr("no item 'carrots' in catalog dime"));
}

}  // namespace
}  // namespace vigil::e2e
