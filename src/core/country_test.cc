#include "core/country.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

namespace vigil {
namespace {

using ::testing::HasSubstr;

Country Make(int gw, int cow, std::string iso3, std::string name, int first, int last,
             std::vector<std::string> aliases = {}) {
  Country c;
  c.gw = gw;
  c.cow = cow;
  c.iso3 = std::move(iso3);
  c.name = std::move(name);
  c.region = "Somewhere";
  c.first_year = first;
  c.last_year = last;
  c.aliases = std::move(aliases);
  return c;
}

TEST(NormalizeNameTest, CaseSpacesAndPunctuation) {
  EXPECT_EQ(CountryTable::NormalizeName("Bosnia-Herzegovina"), "bosniaherzegovina");
  EXPECT_EQ(CountryTable::NormalizeName("  U.S.A. "), "usa");
  EXPECT_EQ(CountryTable::NormalizeName("Congo, Dem. Rep."), "congodemrep");
  EXPECT_EQ(CountryTable::NormalizeName("Burma/Myanmar"), "burmamyanmar");
  EXPECT_EQ(CountryTable::NormalizeName("Trinidad & Tobago"), "trinidadandtobago");
  EXPECT_EQ(CountryTable::NormalizeName("Trinidad and Tobago"), "trinidadandtobago");
  EXPECT_EQ(CountryTable::NormalizeName("Yemen (North Yemen)"), "yemennorthyemen");
  EXPECT_EQ(CountryTable::NormalizeName("G-77"), "g77");
  EXPECT_EQ(CountryTable::NormalizeName(" -.,'() "), "");
  EXPECT_EQ(CountryTable::NormalizeName(""), "");
}

TEST(NormalizeNameTest, AccentsInUtf8) {
  const std::string expected = "cotedivoire";
  EXPECT_EQ(CountryTable::NormalizeName("Cote d'Ivoire"), expected);
  EXPECT_EQ(CountryTable::NormalizeName("C\xC3\xB4te d\xE2\x80\x99Ivoire"), expected);  // ô, ’
  EXPECT_EQ(CountryTable::NormalizeName("CÔTE D’IVOIRE"), expected);
  EXPECT_EQ(CountryTable::NormalizeName("Co\xCC\x82te d'Ivoire"), expected);  // o + combining ^
  EXPECT_EQ(CountryTable::NormalizeName("São Tomé and Príncipe"), "saotomeandprincipe");
  EXPECT_EQ(CountryTable::NormalizeName("Türkiye"), "turkiye");
  EXPECT_EQ(CountryTable::NormalizeName("Curaçao"), "curacao");
  EXPECT_EQ(CountryTable::NormalizeName("Åland Ørsted Æ"), "alandorstedae");
  EXPECT_EQ(CountryTable::NormalizeName("Straße"), "strasse");
  EXPECT_EQ(CountryTable::NormalizeName("Łódź Čačak Ţară Ștefan"), "lodzcacaktarastefan");
  EXPECT_EQ(CountryTable::NormalizeName("Timor\xE2\x80\x93Leste"), "timorleste");  // en dash
  EXPECT_EQ(CountryTable::NormalizeName("Hawai\xCA\xBBi"), "hawaii");  // ʻokina
}

TEST(NormalizeNameTest, Latin1BytesAreReadAsLatin1) {
  EXPECT_EQ(CountryTable::NormalizeName("C\xF4te d'Ivoire"), "cotedivoire");
  EXPECT_EQ(CountryTable::NormalizeName("S\xE3o Tom\xE9"), "saotome");
  EXPECT_EQ(CountryTable::NormalizeName("R\xE9union\xA0"), "reunion");  // trailing no-break space
}

TEST(NormalizeNameTest, OtherScriptsAreKept) {
  EXPECT_EQ(CountryTable::NormalizeName("Росси́я"), "Россия");  // combining acute dropped
  EXPECT_NE(CountryTable::NormalizeName("中国"), "");
}

TEST(CountryTableTest, LookupsByEveryCode) {
  auto t = CountryTable::Build({Make(437, 437, "CIV", "Cote d'Ivoire", 1960, 0, {"Ivory Coast"}),
                                Make(260, 255, "DEU", "Germany", 1949, 0, {"West Germany"}),
                                Make(711, 0, "", "Tibet", 1913, 1950)});
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->all().size(), 3u);
  EXPECT_EQ(t->ByGw(437)->name, "Cote d'Ivoire");
  EXPECT_EQ(t->ByGw(255), nullptr);
  EXPECT_EQ(t->ByCow(255)->gw, 260);
  EXPECT_EQ(t->ByCow(260), nullptr);
  EXPECT_EQ(t->ByCow(0), nullptr);  // "no COW code" is not a code
  EXPECT_EQ(t->ByIso3("DEU")->gw, 260);
  EXPECT_EQ(t->ByIso3("civ")->gw, 437);
  EXPECT_EQ(t->ByIso3(""), nullptr);
  EXPECT_EQ(t->ByIso3("XXX"), nullptr);
  EXPECT_EQ(t->ByName("CÔTE D’IVOIRE")->gw, 437);
  EXPECT_EQ(t->ByName("ivory coast")->gw, 437);
  EXPECT_EQ(t->ByName("west-germany")->gw, 260);
  EXPECT_EQ(t->ByName("Tibet")->gw, 711);
  EXPECT_EQ(t->ByName("East Germany"), nullptr);
  EXPECT_EQ(t->ByName(""), nullptr);
  EXPECT_EQ(t->ByName("..."), nullptr);
  EXPECT_TRUE(t->content_sha256().empty());

  auto keys = t->NameKeys();
  ASSERT_EQ(keys.size(), 5u);
  EXPECT_EQ(keys[0], (std::pair<std::string, int>{"cotedivoire", 437}));
  EXPECT_TRUE(std::is_sorted(keys.begin(), keys.end()));
}

TEST(CountryTableTest, SharedCowCodeGoesToTheStateThatLastsLongest) {
  // COW keeps 345 for Yugoslavia and Serbia; GW has 345 until 2006, then 340.
  auto t = CountryTable::Build({Make(345, 345, "YUG", "Yugoslavia", 1918, 2006),
                                Make(340, 345, "SRB", "Serbia", 2006, 0),
                                Make(1, 7, "", "Ended early", 1900, 1910),
                                Make(3, 7, "", "Ended later", 1910, 1920)});
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->ByCow(345)->gw, 340);
  EXPECT_EQ(t->ByGw(345)->gw, 345);
  EXPECT_EQ(t->ByCow(7)->gw, 3);

  auto ambiguous = CountryTable::Build(
      {Make(10, 5, "", "One", 1900, 0), Make(11, 5, "", "Other", 1950, 0)});
  ASSERT_FALSE(ambiguous.ok());
  EXPECT_THAT(ambiguous.status().message(), HasSubstr("COW code 5"));
}

TEST(CountryTableTest, RejectsDuplicateCodes) {
  auto gw = CountryTable::Build({Make(2, 2, "USA", "United States", 1816, 0),
                                 Make(2, 20, "CAN", "Canada", 1867, 0)},
                                {"c.csv:2", "c.csv:3"});
  ASSERT_FALSE(gw.ok());
  EXPECT_EQ(gw.status().code(), Status::Code::kInvalidArgument);
  EXPECT_THAT(gw.status().message(), HasSubstr("c.csv:3: column 'gw': duplicate gw code 2"));
  EXPECT_THAT(gw.status().message(), HasSubstr("c.csv:2"));

  auto iso = CountryTable::Build({Make(2, 2, "USA", "United States", 1816, 0),
                                  Make(20, 20, "usa", "Canada", 1867, 0)});
  ASSERT_FALSE(iso.ok());
  EXPECT_THAT(iso.status().message(), HasSubstr("column 'iso3': duplicate ISO3 code USA"));

  auto zero = CountryTable::Build({Make(0, 0, "", "Nowhere", 1900, 0)});
  EXPECT_FALSE(zero.ok());
}

TEST(CountryTableTest, RejectsANameThatNamesTwoStates) {
  auto t = CountryTable::Build({Make(484, 484, "COG", "Republic of the Congo", 1960, 0, {"Congo"}),
                                Make(490, 490, "COD", "Democratic Republic of the Congo", 1960, 0,
                                     {"DRC", "CONGO"})},
                               {"c.csv:2", "c.csv:3"});
  ASSERT_FALSE(t.ok());
  const std::string& m = t.status().message();
  EXPECT_THAT(m, HasSubstr("c.csv:3: column 'aliases': 'CONGO'"));
  EXPECT_THAT(m, HasSubstr("'Republic of the Congo' (gw 484, c.csv:2)"));
  EXPECT_THAT(m, HasSubstr("'congo'"));

  auto name_vs_alias = CountryTable::Build(
      {Make(1, 1, "", "Alpha", 1900, 0), Make(3, 3, "", "Beta", 1900, 0, {"alpha"})});
  EXPECT_FALSE(name_vs_alias.ok());

  auto empty = CountryTable::Build({Make(1, 1, "", "Alpha", 1900, 0, {"--"})});
  ASSERT_FALSE(empty.ok());
  EXPECT_THAT(empty.status().message(), HasSubstr("no letters or digits"));

  // The same key twice for one state is harmless.
  auto same = CountryTable::Build({Make(1, 1, "", "Cote d'Ivoire", 1900, 0, {"Côte d’Ivoire"})});
  EXPECT_TRUE(same.ok());
}

}  // namespace
}  // namespace vigil
