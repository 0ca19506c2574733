#include "data/countries.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/embedded.h"
#include "data/csv.h"

namespace vigil::data {
namespace {

using ::testing::HasSubstr;

// The gw code of a lookup result, -1 for none (so a miss fails, not crashes).
int GwOf(const Country* c) { return c ? c->gw : -1; }

const char kHeader[] = "gw,cow,iso3,name,region,first_year,last_year,aliases\n";

// ---------------------------------------------------------------- parsing

TEST(ParseCountriesTest, ReadsFieldsAndAliases) {
  auto t = ParseCountries(std::string(kHeader) +
                              "2,2,USA,United States of America,Northern America,1816,,US|USA\n"
                              "\n"
                              "711,,,Tibet,Eastern Asia,1913,1950,\n"
                              "31,31,BHS,Bahamas,Caribbean,1973,,\"The Bahamas|Bahamas, The\"\n",
                          "t.csv");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  ASSERT_EQ(t->all().size(), 3u);
  const Country* us = t->ByGw(2);
  ASSERT_NE(us, nullptr);
  EXPECT_EQ(us->cow, 2);
  EXPECT_EQ(us->iso3, "USA");
  EXPECT_EQ(us->region, "Northern America");
  EXPECT_EQ(us->first_year, 1816);
  EXPECT_EQ(us->last_year, 0);
  EXPECT_EQ(us->aliases, (std::vector<std::string>{"US", "USA"}));
  const Country* tibet = t->ByName("tibet");
  ASSERT_NE(tibet, nullptr);
  EXPECT_EQ(tibet->cow, 0);
  EXPECT_EQ(tibet->iso3, "");
  EXPECT_EQ(tibet->last_year, 1950);
  EXPECT_TRUE(tibet->aliases.empty());
  EXPECT_EQ(GwOf(t->ByName("Bahamas, The")), 31);
  EXPECT_EQ(t->content_sha256().size(), 64u);
}

TEST(ParseCountriesTest, ColumnsInAnyOrderAndContentIdentity) {
  const std::string a = std::string(kHeader) + "2,2,USA,United States,Northern America,1816,,US\n";
  const std::string b =
      "name,gw,cow,iso3,region,first_year,last_year,aliases\n"
      "United States,2,2,USA,Northern America,1816,,US\n";
  auto ta = ParseCountries(a, "a.csv");
  auto tb = ParseCountries(b, "b.csv");
  ASSERT_TRUE(ta.ok() && tb.ok());
  EXPECT_EQ(ta->content_sha256(), tb->content_sha256());  // same content, other layout
  auto tc = ParseCountries(std::string(kHeader) +
                               "2,2,USA,United States,Northern America,1816,,US|America\n",
                           "c.csv");
  ASSERT_TRUE(tc.ok());
  EXPECT_NE(ta->content_sha256(), tc->content_sha256());
}

// Parses `body` after the standard header and returns the error message.
std::string ErrorOf(const std::string& text) {
  auto t = ParseCountries(text, "bad.csv");
  EXPECT_FALSE(t.ok()) << "parsed: " << text;
  if (t.ok()) return "";
  EXPECT_EQ(t.status().code(), Status::Code::kInvalidArgument);
  return t.status().message();
}

TEST(ParseCountriesTest, DuplicateGwNamesBothLines) {
  std::string m = ErrorOf(std::string(kHeader) +
                          "2,2,USA,United States,Northern America,1816,,\n"
                          "20,20,CAN,Canada,Northern America,1867,,\n"
                          "2,2,XYZ,Elsewhere,Northern America,1816,,\n");
  EXPECT_THAT(m, HasSubstr("bad.csv:4: column 'gw': duplicate gw code 2"));
  EXPECT_THAT(m, HasSubstr("bad.csv:2"));
}

TEST(ParseCountriesTest, BadNumbersNameLineAndField) {
  EXPECT_THAT(ErrorOf(std::string(kHeader) + "2,2,USA,United States,Northern America,18l6,,\n"),
              HasSubstr("bad.csv:2: column 'first_year': '18l6' is not an integer"));
  EXPECT_THAT(ErrorOf(std::string(kHeader) + "x,2,USA,United States,Northern America,1816,,\n"),
              HasSubstr("bad.csv:2: column 'gw': 'x' is not an integer"));
  EXPECT_THAT(ErrorOf(std::string(kHeader) + ",2,USA,United States,Northern America,1816,,\n"),
              HasSubstr("bad.csv:2: column 'gw': value is missing"));
  EXPECT_THAT(ErrorOf(std::string(kHeader) + "2,2.5,USA,United States,Northern America,1816,,\n"),
              HasSubstr("bad.csv:2: column 'cow'"));
  EXPECT_THAT(ErrorOf(std::string(kHeader) + "1000,2,USA,United States,Northern America,1816,,\n"),
              HasSubstr("bad.csv:2: column 'gw': 1000 is outside 1..999"));
  EXPECT_THAT(ErrorOf(std::string(kHeader) + "2,2,USA,United States,Northern America,1816,1815,\n"),
              HasSubstr("bad.csv:2: column 'last_year': 1815 is before first_year 1816"));
}

TEST(ParseCountriesTest, MissingUnknownOrRepeatedColumn) {
  EXPECT_THAT(ErrorOf("gw,cow,name,region,first_year,last_year,aliases\n"
                      "2,2,United States,Northern America,1816,,\n"),
              HasSubstr("bad.csv:1: column 'iso3': missing column"));
  EXPECT_THAT(ErrorOf("gw,cow,iso,iso3,name,region,first_year,last_year,aliases\n"),
              HasSubstr("bad.csv:1: column 'iso': unknown column"));
  EXPECT_THAT(ErrorOf("gw,gw,cow,iso3,name,region,first_year,last_year,aliases\n"),
              HasSubstr("bad.csv:1: column 'gw': column appears twice"));
  EXPECT_THAT(ErrorOf(""), HasSubstr("bad.csv: empty"));
  EXPECT_THAT(ErrorOf(kHeader), HasSubstr("no countries"));
}

TEST(ParseCountriesTest, BadFieldsNameLineAndField) {
  EXPECT_THAT(ErrorOf(std::string(kHeader) + "2,2,US,United States,Northern America,1816,,\n"),
              HasSubstr("bad.csv:2: column 'iso3': 'US' is not three upper-case letters"));
  EXPECT_THAT(ErrorOf(std::string(kHeader) + "2,2,usa,United States,Northern America,1816,,\n"),
              HasSubstr("column 'iso3'"));
  EXPECT_THAT(ErrorOf(std::string(kHeader) + "2,2,USA, ,Northern America,1816,,\n"),
              HasSubstr("bad.csv:2: column 'name': value is missing"));
  EXPECT_THAT(ErrorOf(std::string(kHeader) + "2,2,USA,United States,,1816,,\n"),
              HasSubstr("bad.csv:2: column 'region': value is missing"));
  EXPECT_THAT(ErrorOf(std::string(kHeader) + "2,2,USA,United States,Northern America,1816,,US||A\n"),
              HasSubstr("bad.csv:2: column 'aliases': empty alias"));
  EXPECT_THAT(ErrorOf(std::string(kHeader) + "2,2,USA,United States,Northern America,1816,,US|\n"),
              HasSubstr("bad.csv:2: column 'aliases': empty alias"));
  EXPECT_THAT(ErrorOf(std::string(kHeader) + "2,2,USA,United States,Northern America,1816\n"),
              HasSubstr("bad.csv:2: expected 8 fields, found 6"));
  EXPECT_THAT(ErrorOf(std::string(kHeader) + "2,2,USA,\"United States,Northern America,1816,,\n"),
              HasSubstr("bad.csv:2"));
}

TEST(ParseCountriesTest, AnAliasOfTwoStatesNamesBothLines) {
  std::string m = ErrorOf(std::string(kHeader) +
                          "484,484,COG,Republic of the Congo,Middle Africa,1960,,Congo\n"
                          "490,490,COD,Democratic Republic of the Congo,Middle Africa,1960,,"
                          "Zaire|Congo\n");
  EXPECT_THAT(m, HasSubstr("bad.csv:3: column 'aliases': 'Congo'"));
  EXPECT_THAT(m, HasSubstr("(gw 484, bad.csv:2)"));
}

// ---------------------------------------------------------- the catalog

TEST(CatalogCountriesTest, ParsesWithUniqueKeysAndSaneValues) {
  auto text = catalog::FindEmbedded("countries.csv");
  ASSERT_TRUE(text.ok());
  auto parsed = ParseCountries(*text, "catalog/countries.csv");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  const CountryTable& t = Countries();
  ASSERT_EQ(t.all().size(), parsed->all().size());
  EXPECT_EQ(t.content_sha256(), parsed->content_sha256());

  // UN M49 intermediate regions (or sub-regions where M49 has no intermediate one).
  const std::set<std::string> regions = {
      "Northern America", "Caribbean", "Central America", "South America",
      "Northern Europe", "Western Europe", "Eastern Europe", "Southern Europe",
      "Northern Africa", "Western Africa", "Middle Africa", "Eastern Africa",
      "Southern Africa", "Western Asia", "Central Asia", "Southern Asia",
      "Eastern Asia", "South-eastern Asia", "Australia and New Zealand", "Melanesia",
      "Micronesia", "Polynesia"};
  const std::time_t now = std::time(nullptr);
  const int this_year = std::gmtime(&now)->tm_year + 1900;
  std::set<int> gws;
  std::set<std::string> iso3s;
  for (const Country& c : t.all()) {
    SCOPED_TRACE(c.name);
    EXPECT_GE(c.gw, 2);
    EXPECT_LE(c.gw, 999);
    EXPECT_TRUE(gws.insert(c.gw).second);
    if (!c.iso3.empty()) {
      EXPECT_EQ(c.iso3.size(), 3u);
      for (char ch : c.iso3) EXPECT_TRUE(ch >= 'A' && ch <= 'Z') << c.iso3;
      EXPECT_TRUE(iso3s.insert(c.iso3).second);
    }
    EXPECT_TRUE(c.cow == 0 || (c.cow >= 2 && c.cow <= 999));
    EXPECT_TRUE(regions.count(c.region)) << c.region;
    // GW starts in 1816; every state in the table existed after 1945.
    EXPECT_GE(c.first_year, 1816);
    EXPECT_LE(c.first_year, this_year);
    if (c.last_year != 0) {
      EXPECT_GE(c.last_year, c.first_year);
      EXPECT_GE(c.last_year, 1945);
      EXPECT_LE(c.last_year, this_year);
    }
    // No alias is redundant: each adds a key of its own.
    std::set<std::string> keys = {CountryTable::NormalizeName(c.name)};
    for (const std::string& a : c.aliases) {
      EXPECT_TRUE(keys.insert(CountryTable::NormalizeName(a)).second) << "redundant alias " << a;
    }
  }
}

TEST(CatalogCountriesTest, HasEveryUnMemberStateAndTheHistoricalOnes) {
  // ISO3 codes of the 193 UN member states.
  const std::vector<std::string> un = {
      "AFG", "ALB", "DZA", "AND", "AGO", "ATG", "ARG", "ARM", "AUS", "AUT", "AZE", "BHS", "BHR",
      "BGD", "BRB", "BLR", "BEL", "BLZ", "BEN", "BTN", "BOL", "BIH", "BWA", "BRA", "BRN", "BGR",
      "BFA", "BDI", "CPV", "KHM", "CMR", "CAN", "CAF", "TCD", "CHL", "CHN", "COL", "COM", "COG",
      "COD", "CRI", "CIV", "HRV", "CUB", "CYP", "CZE", "DNK", "DJI", "DMA", "DOM", "ECU", "EGY",
      "SLV", "GNQ", "ERI", "EST", "SWZ", "ETH", "FJI", "FIN", "FRA", "GAB", "GMB", "GEO", "DEU",
      "GHA", "GRC", "GRD", "GTM", "GIN", "GNB", "GUY", "HTI", "HND", "HUN", "ISL", "IND", "IDN",
      "IRN", "IRQ", "IRL", "ISR", "ITA", "JAM", "JPN", "JOR", "KAZ", "KEN", "KIR", "PRK", "KOR",
      "KWT", "KGZ", "LAO", "LVA", "LBN", "LSO", "LBR", "LBY", "LIE", "LTU", "LUX", "MDG", "MWI",
      "MYS", "MDV", "MLI", "MLT", "MHL", "MRT", "MUS", "MEX", "FSM", "MDA", "MCO", "MNG", "MNE",
      "MAR", "MOZ", "MMR", "NAM", "NRU", "NPL", "NLD", "NZL", "NIC", "NER", "NGA", "MKD", "NOR",
      "OMN", "PAK", "PLW", "PAN", "PNG", "PRY", "PER", "PHL", "POL", "PRT", "QAT", "ROU", "RUS",
      "RWA", "KNA", "LCA", "VCT", "WSM", "SMR", "STP", "SAU", "SEN", "SRB", "SYC", "SLE", "SGP",
      "SVK", "SVN", "SLB", "SOM", "ZAF", "SSD", "ESP", "LKA", "SDN", "SUR", "SWE", "CHE", "SYR",
      "TJK", "TZA", "THA", "TLS", "TGO", "TON", "TTO", "TUN", "TUR", "TKM", "TUV", "UGA", "UKR",
      "ARE", "GBR", "USA", "URY", "UZB", "VUT", "VEN", "VNM", "YEM", "ZMB", "ZWE"};
  ASSERT_EQ(un.size(), 193u);
  ASSERT_EQ(std::set<std::string>(un.begin(), un.end()).size(), 193u);
  const CountryTable& t = Countries();
  for (const std::string& iso : un) {
    const Country* c = t.ByIso3(iso);
    ASSERT_NE(c, nullptr) << iso;
    EXPECT_EQ(c->last_year, 0) << iso;
  }
  // Existing states beyond the UN members: Kosovo and Taiwan.
  int existing = 0;
  for (const Country& c : t.all()) existing += c.last_year == 0;
  EXPECT_EQ(existing, 195);
  EXPECT_EQ(GwOf(t.ByIso3("XKX")), 347);
  ASSERT_NE(t.ByGw(713), nullptr);
  EXPECT_EQ(t.ByGw(713)->name, "Taiwan");

  struct Historical {
    int gw;
    const char* name;
    int last_year;
  };
  for (const Historical& h : {Historical{265, "East Germany", 1990},
                              Historical{315, "Czechoslovakia", 1992},
                              Historical{345, "Yugoslavia", 2006},
                              Historical{680, "South Yemen", 1990},
                              Historical{817, "South Vietnam", 1975},
                              Historical{511, "Zanzibar", 1964},
                              Historical{711, "Tibet", 1950}}) {
    const Country* c = t.ByName(h.name);
    ASSERT_NE(c, nullptr) << h.name;
    EXPECT_EQ(c->gw, h.gw) << h.name;
    EXPECT_EQ(c->last_year, h.last_year) << h.name;
  }
  // Continuing states keep their code across a change of name or regime.
  EXPECT_EQ(GwOf(t.ByName("USSR")), 365);
  EXPECT_EQ(GwOf(t.ByName("North Yemen")), 678);
  EXPECT_EQ(GwOf(t.ByName("North Vietnam")), 816);
  EXPECT_EQ(GwOf(t.ByName("West Germany")), 260);
  // COW codes that differ from GW ones.
  EXPECT_EQ(GwOf(t.ByCow(255)), 260);
  EXPECT_EQ(GwOf(t.ByCow(679)), 678);
  EXPECT_EQ(GwOf(t.ByCow(345)), 340);
  EXPECT_EQ(GwOf(t.ByCow(946)), 970);  // Kiribati
  EXPECT_EQ(GwOf(t.ByCow(970)), 971);  // Nauru
  // Microstates of the GW list.
  for (int gw : {54, 55, 56, 57, 58, 60, 221, 223, 232, 331, 403, 591, 935, 970, 971, 972, 973,
                 983, 986, 987, 990}) {
    EXPECT_NE(t.ByGw(gw), nullptr) << gw;
  }
}

TEST(CatalogCountriesTest, AmbiguousNamesFollowTheDocumentedRule) {
  const CountryTable& t = Countries();
  EXPECT_EQ(GwOf(t.ByName("Congo")), 484);  // GW's and EWP's "Congo" is Brazzaville
  EXPECT_EQ(GwOf(t.ByName("Korea")), 732);  // as in EWP's episodes, OECD and IMF
  EXPECT_EQ(GwOf(t.ByName("Yemen")), 678);
  EXPECT_EQ(GwOf(t.ByName("Vietnam")), 816);
  EXPECT_EQ(GwOf(t.ByName("Germany")), 260);
  EXPECT_EQ(GwOf(t.ByName("Serbia")), 340);
  EXPECT_EQ(GwOf(t.ByName("Republic of China")), 713);
  EXPECT_EQ(GwOf(t.ByName("People's Republic of China")), 710);
  EXPECT_EQ(GwOf(t.ByName("Republic of Vietnam")), 817);
}

TEST(ResolvePanelCountryTest, CodesAreCheckedAgainstNames) {
  const CountryTable& t = Countries();
  auto gw = [&](int code, const char* name) {
    const Country* c = ResolvePanelCountry(t, code, name);
    return c ? c->gw : -1;
  };
  EXPECT_EQ(gw(2, "United States of America"), 2);
  EXPECT_EQ(gw(255, "Germany"), 260);  // EWP keeps COW's code for unified Germany
  EXPECT_EQ(gw(679, "Yemen"), 678);    // ... and for unified Yemen
  EXPECT_EQ(gw(678, "Arab Republic of Yemen"), 678);
  EXPECT_EQ(gw(345, "Serbia"), 340);   // EWP and UCDP keep 345 for Serbia
  EXPECT_EQ(gw(345, "Serbia (Yugoslavia)"), 340);
  EXPECT_EQ(gw(345, "Yugoslavia"), 345);
  EXPECT_EQ(gw(816, "Democratic Republic of Vietnam"), 816);
  EXPECT_EQ(gw(2, ""), 2);                  // no name: the code decides
  EXPECT_EQ(gw(2, "Estados Unidos"), 2);    // unknown spelling: the code decides
  EXPECT_EQ(gw(92, "Guatemala"), -1);       // 92 is El Salvador
  EXPECT_EQ(gw(999, "Atlantis"), -1);
  EXPECT_EQ(gw(999, "Canada"), -1);         // unknown code
}

// ------------------------------------------------ the shared real data

#ifdef VIGIL_SHARED_DATA
const std::string kShared = VIGIL_SHARED_DATA;
#else
const std::string kShared;
#endif

// Calls fn(row) for every record of the CSV file at `path`, with the fields
// of `columns` in order; returns the number of records.
std::size_t ForEachRow(const std::string& path, const std::vector<std::string>& columns,
                       const std::function<void(const std::vector<std::string>&, std::size_t)>& fn) {
  auto reader = CsvReader::Open(path);
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  if (!reader.ok()) return 0;
  CsvRecord rec;
  auto header = (*reader)->Next(&rec);
  EXPECT_TRUE(header.ok() && *header) << path;
  std::vector<std::size_t> idx;
  for (const std::string& col : columns) {
    auto it = std::find(rec.fields.begin(), rec.fields.end(), col);
    EXPECT_NE(it, rec.fields.end()) << path << " has no column " << col;
    if (it == rec.fields.end()) return 0;
    idx.push_back(static_cast<std::size_t>(it - rec.fields.begin()));
  }
  std::size_t n = 0;
  std::vector<std::string> values(columns.size());
  while (true) {
    auto more = (*reader)->Next(&rec);
    EXPECT_TRUE(more.ok()) << more.status().ToString();
    if (!more.ok()) continue;
    if (!*more) break;
    for (std::size_t k = 0; k < idx.size(); ++k) values[k] = rec.fields.at(idx[k]);
    fn(values, rec.line);
    ++n;
  }
  return n;
}

class SharedDataCountriesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (kShared.empty() || !std::filesystem::is_directory(kShared)) {
      GTEST_SKIP() << "shared data not found at '" << kShared
                   << "' (VIGIL_SHARED_DATA); skipping the real-data country resolution tests";
    }
  }
  std::string Path(const std::string& rel) const { return kShared + "/" + rel; }

  // Every distinct (code, name) pair resolves, by code checked against the
  // name, to the state the name alone resolves to.
  void ExpectPairsResolve(const std::string& rel, const std::string& code_col,
                          const std::string& name_col, std::size_t min_pairs) {
    const CountryTable& t = Countries();
    std::set<std::pair<int, std::string>> pairs;
    std::size_t rows = ForEachRow(Path(rel), {code_col, name_col},
                                  [&](const std::vector<std::string>& v, std::size_t line) {
                                    int code = -1;
                                    try {
                                      code = std::stoi(v[0]);
                                    } catch (...) {
                                      ADD_FAILURE() << rel << ":" << line << ": code " << v[0];
                                    }
                                    pairs.emplace(code, v[1]);
                                  });
    EXPECT_GT(rows, 0u) << rel;
    EXPECT_GE(pairs.size(), min_pairs) << rel;
    for (const auto& [code, name] : pairs) {
      const Country* by_pair = ResolvePanelCountry(t, code, name);
      const Country* by_name = t.ByName(name);
      EXPECT_NE(by_name, nullptr) << rel << ": name '" << name << "' is not in the table";
      EXPECT_NE(by_pair, nullptr) << rel << ": (" << code << ", '" << name << "') does not resolve";
      EXPECT_EQ(by_pair, by_name) << rel << ": (" << code << ", '" << name
                                  << "') resolves by code to "
                                  << (by_pair ? by_pair->name : "nothing") << " but by name to "
                                  << (by_name ? by_name->name : "nothing");
    }
  }

  void ExpectNamesResolve(const std::string& rel, const std::string& name_col,
                          std::size_t min_names) {
    const CountryTable& t = Countries();
    std::set<std::string> names;
    ForEachRow(Path(rel), {name_col},
               [&](const std::vector<std::string>& v, std::size_t) { names.insert(v[0]); });
    EXPECT_GE(names.size(), min_names) << rel;
    for (const std::string& n : names) {
      EXPECT_NE(t.ByName(n), nullptr) << rel << ": name '" << n << "' is not in the table";
    }
  }
};

TEST_F(SharedDataCountriesTest, EwpPanelCodesAndNames) {
  ExpectPairsResolve("ewp-2025/prepared2024predictors-2025-09-03.csv", "ccode", "ewp_name", 170);
}

TEST_F(SharedDataCountriesTest, EwpBaseDataCodesAndBothNames) {
  ExpectPairsResolve("ewp-2025/basedata2025_4august2025.csv", "ccode", "country", 170);
  ExpectPairsResolve("ewp-2025/basedata2025_4august2025.csv", "ccode", "ewp_name", 170);
}

TEST_F(SharedDataCountriesTest, EwpForecastsAndBacktestCodesAndNames) {
  ExpectPairsResolve("ewp-2025/final_forecasts_data_3Sep2025.csv", "ccode", "ewp_name", 160);
  ExpectNamesResolve("ewp-2025/final_forecasts_data_3Sep2025.csv", "ewp_name", 160);
  ExpectPairsResolve("ewp-2025/FOOSforecasts_3Sep2025.csv", "ccode", "ewp_name", 150);
}

TEST_F(SharedDataCountriesTest, EwpEpisodeCountries) {
  ExpectNamesResolve("ewp-2025/mk_events_2025.csv", "country", 60);
}

TEST_F(SharedDataCountriesTest, UcdpGedCountryAndCountryId) {
  ExpectPairsResolve("ucdp/GEDEvent_v23_1_sample1000.csv", "country_id", "country", 50);
  ExpectPairsResolve("ucdp/GEDEvent_v23_1_CAF.csv", "country_id", "country", 1);
}

TEST_F(SharedDataCountriesTest, UcdpCountryMonthIso3) {
  // Territories that are not states and so not in the table. UCDP's GED codes
  // events in the Palestinian territories under Israel (666); this derived
  // file repeats Israel's fatalities under PSE. The others have none.
  const std::set<std::string> territories = {"BMU", "HKG", "PRI", "PSE"};
  const CountryTable& t = Countries();
  std::set<std::string> codes;
  ForEachRow(Path("ucdp/ucdp_country_month_fatalities_2010_2024.csv"), {"isocode"},
             [&](const std::vector<std::string>& v, std::size_t) { codes.insert(v[0]); });
  EXPECT_GE(codes.size(), 170u);
  std::set<std::string> unresolved;
  for (const std::string& iso : codes) {
    if (!t.ByIso3(iso)) unresolved.insert(iso);
  }
  EXPECT_EQ(unresolved, territories);
}

}  // namespace
}  // namespace vigil::data
