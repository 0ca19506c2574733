#include "data/country_month.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "data/countries.h"

namespace vigil::data {
namespace {

namespace fs = std::filesystem;

std::string WriteTemp(const std::string& name, const std::string& text) {
  const std::string path = (fs::path(::testing::TempDir()) / name).string();
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

TEST(CountryMonth, ReadsSeriesFillsGapsAndReportsUnknownCodes) {
  const std::string path = WriteTemp("cm.csv",
                                     ",isocode,period,fatalities_UCDP,population\n"
                                     "0,SDN,202301,10.0,1\n"
                                     "1,SDN,202303,5,1\n"
                                     "2,UGA,202302,NA,1\n"
                                     "3,UGA,202303,0.0,1\n"
                                     "4,PSE,202301,3,1\n"
                                     "5,PSE,202302,4,1\n");
  auto f = ReadCountryMonthFile(path, Countries());
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ(f->rows, 6u);
  EXPECT_EQ(f->missing_values, 1u);
  EXPECT_EQ(f->value_column, "fatalities_UCDP");
  EXPECT_EQ(f->first, MakeMonth(2023, 1));
  EXPECT_EQ(f->last, MakeMonth(2023, 3));
  ASSERT_EQ(f->series.size(), 2u);
  EXPECT_EQ(f->series[0].gw, 500);  // Uganda, sorted by gw
  EXPECT_EQ(f->series[0].first, MakeMonth(2023, 2));
  EXPECT_EQ(f->series[0].present, (std::vector<std::uint8_t>{0, 1}));
  EXPECT_EQ(f->series[1].gw, 625);
  EXPECT_EQ(f->series[1].values, (std::vector<double>{10, 0, 5}));
  EXPECT_EQ(f->series[1].present, (std::vector<std::uint8_t>{1, 0, 1}));
  ASSERT_EQ(f->unresolved.size(), 1u);
  EXPECT_EQ(f->unresolved[0].code, "PSE");
  EXPECT_EQ(f->unresolved[0].first_line, 6u);
  EXPECT_EQ(f->unresolved[0].rows, 2u);
  EXPECT_TRUE(IsCountryMonthHeader({"", "isocode", "period", "fatalities_UCDP", "population"}));
  EXPECT_FALSE(IsCountryMonthHeader({"id", "year", "type_of_violence", "best"}));
}

TEST(CountryMonth, BadRowsNameFileLineAndColumn) {
  auto f = ReadCountryMonthFile(WriteTemp("bad1.csv", "isocode,period,fatalities\nSDN,202313,1\n"), Countries());
  ASSERT_FALSE(f.ok());
  EXPECT_NE(f.status().message().find("bad1.csv:2"), std::string::npos) << f.status().message();
  EXPECT_NE(f.status().message().find("period"), std::string::npos);
  f = ReadCountryMonthFile(WriteTemp("bad2.csv", "isocode,period,fatalities\nSDN,202301,-1\n"), Countries());
  ASSERT_FALSE(f.ok());
  EXPECT_NE(f.status().message().find("'fatalities'"), std::string::npos) << f.status().message();
  f = ReadCountryMonthFile(WriteTemp("bad3.csv", "isocode,period,fatalities\nSDN,202301,1\nSDN,2023-01,2\n"),
                           Countries());
  ASSERT_FALSE(f.ok());
  EXPECT_NE(f.status().message().find("second row for SDN 2023-01"), std::string::npos);
  f = ReadCountryMonthFile(WriteTemp("bad4.csv", "country,year,deaths\nSudan,2023,1\n"), Countries());
  ASSERT_FALSE(f.ok());
  EXPECT_NE(f.status().message().find("not a country-month file"), std::string::npos);
  EXPECT_EQ(ReadCountryMonthFile("/nonexistent/cm.csv", Countries()).status().code(), Status::Code::kNotFound);
}

TEST(EpisodeList, ResolvesByCowAndChecksTheName) {
  const std::string path = WriteTemp(
      "mk.csv",
      "\"country\",\"mk_event_name\",\"mk_event_summary\",\"startyear\",\"endyear\",\"mk_event_code\","
      "\"State-Led or Non-State-Led\",\"mk_location_cow\"\n"
      "\"Sudan\",\"government vs. x\",\"text, with comma\",2023,NA,\"sdn2023s1\",\"State-Led\",625\n"
      "\"Korea\",\"y\",\"\",1948,1950,\"kor1948s1\",\"State-Led\",732\n"
      "\"Guatemala\",\"z\",\"\",1954,1996,\"gtm1954s1\",\"State-Led\",92\n"
      "\"Atlantis\",\"z\",\"\",1954,1996,\"atl1954s1\",\"Non-State-Led\",999\n");
  auto eps = ReadEpisodeList(path, Countries());
  ASSERT_TRUE(eps.ok()) << eps.status().ToString();
  ASSERT_EQ(eps->size(), 4u);
  EXPECT_EQ((*eps)[0].gw, 625);
  EXPECT_EQ((*eps)[0].end_year, 0);
  EXPECT_TRUE((*eps)[0].state_led);
  EXPECT_EQ((*eps)[0].code, "sdn2023s1");
  EXPECT_EQ((*eps)[1].gw, 732);
  EXPECT_EQ((*eps)[1].end_year, 1950);
  EXPECT_EQ((*eps)[2].gw, 0);  // 92 is El Salvador, not Guatemala
  EXPECT_NE((*eps)[2].problem.find("does not name 'Guatemala'"), std::string::npos);
  EXPECT_EQ((*eps)[2].line, 4u);
  EXPECT_EQ((*eps)[3].gw, 0);
  EXPECT_NE((*eps)[3].problem.find("neither"), std::string::npos);

  auto bad = ReadEpisodeList(WriteTemp("mk2.csv", "country,startyear,endyear,mk_location_cow\nSudan,20x3,NA,625\n"),
                             Countries());
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("mk2.csv:2"), std::string::npos);
  EXPECT_NE(bad.status().message().find("startyear"), std::string::npos);
}

TEST(CountryMonthRealFiles, UcdpCountryMonthAndEwpEpisodes) {
  const std::string cm = std::string(VIGIL_SHARED_DATA) + "/ucdp/ucdp_country_month_fatalities_2010_2024.csv";
  const std::string mk = std::string(VIGIL_SHARED_DATA) + "/ewp-2025/mk_events_2025.csv";
  if (!fs::exists(cm) || !fs::exists(mk)) {
    GTEST_SKIP() << "shared data not found: " << cm << " / " << mk << " (real-data tests skipped)";
  }
  auto f = ReadCountryMonthFile(cm, Countries());
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ(f->rows, 31302u);
  EXPECT_EQ(f->first, MakeMonth(2010, 1));
  EXPECT_EQ(f->last, MakeMonth(2024, 12));
  std::size_t unresolved_rows = 0;
  for (const auto& u : f->unresolved) unresolved_rows += u.rows;
  std::size_t months = 0;
  for (const auto& s : f->series) {
    for (auto p : s.present) months += p;
  }
  EXPECT_EQ(months + unresolved_rows + f->missing_values, f->rows);  // nothing lost
  EXPECT_GE(f->series.size(), 165u);

  auto eps = ReadEpisodeList(mk, Countries());
  ASSERT_TRUE(eps.ok()) << eps.status().ToString();
  EXPECT_GE(eps->size(), 150u);
  int since2010 = 0, unresolved = 0;
  for (const auto& e : *eps) {
    since2010 += e.start_year >= 2010 && e.gw != 0;
    unresolved += e.gw == 0;
  }
  EXPECT_EQ(since2010, 19);  // 19 episodes start in 2010-2024, all resolved
  EXPECT_LE(unresolved, 5);
}

}  // namespace
}  // namespace vigil::data
