#include "data/panel_csv.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <string>

#include "data/countries.h"

namespace vigil::data {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const CountryTable& TestCountries() {
  static const CountryTable kTable = [] {
    std::vector<Country> c(4);
    c[0].gw = 2;
    c[0].cow = 2;
    c[0].iso3 = "USA";
    c[0].name = "United States of America";
    c[0].region = "Northern America";
    c[0].first_year = 1816;
    c[1].gw = 20;
    c[1].cow = 20;
    c[1].iso3 = "CAN";
    c[1].name = "Canada";
    c[1].region = "Northern America";
    c[1].first_year = 1920;
    c[2].gw = 437;
    c[2].cow = 437;
    c[2].iso3 = "CIV";
    c[2].name = "Ivory Coast";
    c[2].region = "Western Africa";
    c[2].first_year = 1960;
    c[3].gw = 260;  // GW code of Germany; 255 is its COW code
    c[3].cow = 255;
    c[3].iso3 = "DEU";
    c[3].name = "Germany";
    c[3].region = "Western Europe";
    c[3].first_year = 1949;
    auto t = CountryTable::Build(std::move(c));
    EXPECT_TRUE(t.ok()) << t.status().ToString();
    return std::move(*t);
  }();
  return kTable;
}

PanelCsvOptions TestOptions() {
  PanelCsvOptions o;
  o.countries = &TestCountries();
  return o;
}

const char kHeader[] = "ewp_name,year,x1,x2,mk_onset,mk_onset_1,mk_onset_2,mk_onset_1or2,ccode\n";

// Writes `content` to a fresh file under the test temp dir; returns its path.
std::string WriteFile(const std::string& name, const std::string& content) {
  std::string path = ::testing::TempDir() + "/vigil_panel_csv_" + name;
  std::ofstream out(path, std::ios::binary);
  out << content;
  return path;
}

Result<Panel> Read(const std::string& file_name, const std::string& content,
                   PanelCsvOptions options = TestOptions(), PanelCsvInfo* info = nullptr) {
  return ReadPanelCsv(WriteFile(file_name, content), options, info);
}

// Reads a file expected to fail; returns the message.
std::string ErrorOf(const std::string& file_name, const std::string& content,
                    PanelCsvOptions options = TestOptions()) {
  auto p = Read(file_name, content, options);
  EXPECT_FALSE(p.ok()) << file_name << " was accepted";
  if (p.ok()) return "";
  EXPECT_EQ(p.status().code(), Status::Code::kInvalidArgument) << p.status().ToString();
  return p.status().message();
}

TEST(Sha256HexTest, KnownVectors) {  // FIPS 180-2 examples
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(PanelCsvTest, ReadsAValidPanel) {
  std::string content = std::string(kHeader) +
                        "United States of America,1960,0.5,NA,0,0,0,0,2\n"
                        "United States of America,1961,-1e-3,,0,,1,1,2\n"
                        "Canada,1960, 7 ,+3,1,0,NA,1,20\n";
  PanelCsvInfo info;
  auto p = Read("valid.csv", content, TestOptions(), &info);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->rows(), 3u);
  EXPECT_EQ(p->predictor_names, (std::vector<std::string>{"year", "x1", "x2"}));
  EXPECT_EQ(p->outcome_names, EwpOutcomeColumns());
  EXPECT_EQ(p->country_name[2], "Canada");
  EXPECT_EQ(p->country_code, (std::vector<int>{2, 2, 20}));
  EXPECT_EQ(p->year, (std::vector<int>{1960, 1961, 1960}));
  EXPECT_EQ(p->x(0, 0), 1960.0);
  EXPECT_EQ(p->x(0, 1), 0.5);
  EXPECT_EQ(p->x(1, 1), -1e-3);
  EXPECT_EQ(p->x(2, 1), 7.0);
  EXPECT_EQ(p->x(2, 2), 3.0);
  EXPECT_TRUE(std::isnan(p->x(0, 2)));
  EXPECT_TRUE(std::isnan(p->x(1, 2)));
  EXPECT_EQ(p->y(2, 0), 1.0);
  EXPECT_TRUE(std::isnan(p->y(1, 1)));
  EXPECT_TRUE(std::isnan(p->y(2, 2)));
  EXPECT_EQ(p->y(1, 3), 1.0);
  EXPECT_EQ(info.sha256, Sha256Hex(content));
  EXPECT_EQ(info.bytes, content.size());
  EXPECT_EQ(info.delimiter, ',');
  EXPECT_EQ(info.gw, (std::vector<int>{2, 2, 20}));
}

TEST(PanelCsvTest, DetectsSemicolonAndTabAndHandlesCrlfBomQuotesAndBlankLines) {
  auto semi = Read("semi.csv",
                   "\xEF\xBB\xBF\"ewp_name\";year;x1;mk_onset;mk_onset_1;mk_onset_2;mk_onset_1or2;"
                   "ccode\r\n\"Canada\";1960;\"1.5\";0;0;0;0;20\r\n\r\n"
                   "Ivory Coast;1961;2;0;0;0;0;437\r\n\r\n");
  ASSERT_TRUE(semi.ok()) << semi.status().ToString();
  EXPECT_EQ(semi->rows(), 2u);
  EXPECT_EQ(semi->x(0, 1), 1.5);
  EXPECT_EQ(semi->country_name[1], "Ivory Coast");

  PanelCsvInfo info;
  auto tab = Read("tab.tsv",
                  "ewp_name\tyear\tx1\tmk_onset\tmk_onset_1\tmk_onset_2\tmk_onset_1or2\tccode\n"
                  "Canada\t1960\t1\t0\t0\t0\t0\t20\n",
                  TestOptions(), &info);
  ASSERT_TRUE(tab.ok()) << tab.status().ToString();
  EXPECT_EQ(info.delimiter, '\t');
}

TEST(PanelCsvTest, CustomIdColumnsOutcomesIgnoredColumnsAndNoYearPredictor) {
  PanelCsvOptions o = TestOptions();
  o.name_column = "country";
  o.code_column = "gwno";
  o.year_column = "yr";
  o.outcome_columns = {"onset"};
  o.ignore_columns = {"note"};
  o.year_is_predictor = false;
  auto p = Read("custom.csv", "gwno,country,yr,note,a,onset\n20,Canada,1999,hello,1,NA\n", o);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->predictor_names, (std::vector<std::string>{"a"}));
  EXPECT_EQ(p->outcome_names, (std::vector<std::string>{"onset"}));
  EXPECT_EQ(p->year[0], 1999);
}

TEST(PanelCsvTest, MissingFile) {
  std::string path = ::testing::TempDir() + "/vigil_panel_csv_does_not_exist.csv";
  auto p = ReadPanelCsv(path, TestOptions());
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), Status::Code::kNotFound);
  EXPECT_THAT(p.status().message(), HasSubstr(path));
  EXPECT_THAT(p.status().message(), HasSubstr("no such file"));

  auto dir = ReadPanelCsv(::testing::TempDir(), TestOptions());
  ASSERT_FALSE(dir.ok());
  EXPECT_THAT(dir.status().message(), HasSubstr("is a directory"));
}

TEST(PanelCsvTest, EmptyFileAndHeaderOnly) {
  EXPECT_THAT(ErrorOf("empty.csv", ""), HasSubstr("empty.csv: empty file"));
  EXPECT_THAT(ErrorOf("blank.csv", "\xEF\xBB\xBF\n \r\n"), HasSubstr("blank.csv: empty file"));
  EXPECT_THAT(ErrorOf("header_only.csv", kHeader),
              HasSubstr("header_only.csv: no data rows: the file has a header only"));
  EXPECT_THAT(ErrorOf("header_blank.csv", std::string(kHeader) + "\n\n"),
              HasSubstr("no data rows"));
}

TEST(PanelCsvTest, OneColumnHeaderSuggestsWrongDelimiter) {
  std::string m = ErrorOf("pipes.csv", "ewp_name|year|ccode\nCanada|1960|20\n");
  EXPECT_THAT(m, HasSubstr("pipes.csv:1"));
  EXPECT_THAT(m, HasSubstr("only one column"));
  EXPECT_THAT(m, HasSubstr("'ewp_name|year|ccode'"));
  EXPECT_THAT(m, HasSubstr("wrong delimiter?"));
}

TEST(PanelCsvTest, MissingIdOrOutcomeColumn) {
  std::string m = ErrorOf("no_ccode.csv",
                          "ewp_name,year,x1,mk_onset,mk_onset_1,mk_onset_2,mk_onset_1or2\n"
                          "Canada,1960,1,0,0,0,0\n");
  EXPECT_THAT(m, HasSubstr("no_ccode.csv:1"));
  EXPECT_THAT(m, HasSubstr("missing country code column 'ccode'"));
  EXPECT_THAT(m, HasSubstr("the header has: ewp_name, year, x1"));

  m = ErrorOf("no_outcome.csv",
              "ewp_name,year,x1,mk_onset,mk_onset_1,mk_onset_1or2,ccode\nCanada,1960,1,0,0,0,20\n");
  EXPECT_THAT(m, HasSubstr("no_outcome.csv:1"));
  EXPECT_THAT(m, HasSubstr("missing outcome column 'mk_onset_2'"));

  PanelCsvOptions o = TestOptions();
  o.ignore_columns = {"nope"};
  m = ErrorOf("no_ignored.csv", std::string(kHeader) + "Canada,1960,1,2,0,0,0,0,20\n", o);
  EXPECT_THAT(m, HasSubstr("missing ignored column 'nope'"));
}

TEST(PanelCsvTest, BadHeaderNames) {
  std::string m = ErrorOf("dup_col.csv", "ewp_name,year,x1,x1,mk_onset,mk_onset_1,mk_onset_2,"
                                         "mk_onset_1or2,ccode\nCanada,1960,1,2,0,0,0,0,20\n");
  EXPECT_THAT(m, HasSubstr("dup_col.csv:1: column 'x1': appears twice"));
  EXPECT_THAT(m, HasSubstr("columns 3 and 4"));

  m = ErrorOf("rownames.csv", std::string("\"\",") + kHeader + "\"1\",Canada,1960,1,2,0,0,0,0,20\n");
  EXPECT_THAT(m, HasSubstr("rownames.csv:1: column 1 of the header has no name"));
  EXPECT_THAT(m, HasSubstr("row.names = FALSE"));
}

TEST(PanelCsvTest, UndeclaredOnsetColumnWouldLeakTheFuture) {
  PanelCsvOptions o = TestOptions();
  o.outcome_columns = {"mk_onset_1or2"};
  std::string m = ErrorOf("leak.csv", std::string(kHeader) + "Canada,1960,1,2,0,0,0,0,20\n", o);
  EXPECT_THAT(m, HasSubstr("leak.csv:1: column 'mk_onset'"));
  EXPECT_THAT(m, HasSubstr("looks like an onset outcome"));

  o.ignore_columns = {"mk_onset", "mk_onset_1", "mk_onset_2"};
  auto p = Read("leak_ignored.csv", std::string(kHeader) + "Canada,1960,1,2,0,0,0,1,20\n", o);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->predictor_names, (std::vector<std::string>{"year", "x1", "x2"}));
  EXPECT_EQ(p->outcome_names, (std::vector<std::string>{"mk_onset_1or2"}));
}

TEST(PanelCsvTest, LooksLikeOnsetOutcome) {
  EXPECT_TRUE(LooksLikeOnsetOutcome("mk_onset"));
  EXPECT_TRUE(LooksLikeOnsetOutcome("mk_onset_1"));
  EXPECT_TRUE(LooksLikeOnsetOutcome("mk_onset_12"));
  EXPECT_TRUE(LooksLikeOnsetOutcome("mk_onset_1or2"));
  EXPECT_FALSE(LooksLikeOnsetOutcome("mk_onset_prev_year"));  // an EWP predictor
  EXPECT_FALSE(LooksLikeOnsetOutcome("mk_onset_1or"));
  EXPECT_FALSE(LooksLikeOnsetOutcome("mk_onset_"));
  EXPECT_FALSE(LooksLikeOnsetOutcome("mean_mk_onset_interaction"));
  EXPECT_FALSE(LooksLikeOnsetOutcome("mk_onsets"));
}

TEST(PanelCsvTest, WrongFieldCount) {
  std::string m = ErrorOf("fields.csv", std::string(kHeader) +
                                            "Canada,1960,1,2,0,0,0,0,20\n"
                                            "Canada,1961,1,0,0,0,0,20\n");
  EXPECT_THAT(m, HasSubstr("fields.csv:3: expected 9 fields as in the header, found 8"));
}

TEST(PanelCsvTest, NonNumericAndNonFiniteCells) {
  std::string m = ErrorOf("cells.csv", std::string(kHeader) +
                                           "Canada,1960,1,2,0,0,0,0,20\n"
                                           "Canada,1961,abc,2,0,0,0,0,20\n");
  EXPECT_THAT(m, HasSubstr("cells.csv:3: column 'x1': not a number: 'abc'"));

  m = ErrorOf("comma_decimal.csv", std::string(kHeader) + "Canada,1960,\"1,5\",2,0,0,0,0,20\n");
  EXPECT_THAT(m, HasSubstr("comma_decimal.csv:2: column 'x1': not a number: '1,5'"));

  m = ErrorOf("decimal_comma.csv",
              "ewp_name;year;x1;mk_onset;mk_onset_1;mk_onset_2;mk_onset_1or2;ccode\n"
              "Canada;1960;1,5;0;0;0;0;20\n");
  EXPECT_THAT(m, HasSubstr("decimal_comma.csv:2: column 'x1': not a number: '1,5' (decimal comma?"));

  m = ErrorOf("inf.csv", std::string(kHeader) + "Canada,1960,1,Inf,0,0,0,0,20\n");
  EXPECT_THAT(m, HasSubstr("inf.csv:2: column 'x2': not a finite number: 'Inf'"));

  m = ErrorOf("range.csv", std::string(kHeader) + "Canada,1960,1e999,1,0,0,0,0,20\n");
  EXPECT_THAT(m, HasSubstr("range.csv:2: column 'x1': number out of range: '1e999'"));
}

TEST(PanelCsvTest, ManyErrorsAreCountedButOnlyTheFirstListed) {
  std::string content = kHeader;
  for (int y = 1950; y < 2000; ++y) content += "Canada," + std::to_string(y) + ",bad,1,0,0,0,0,20\n";
  std::string m = ErrorOf("many.csv", content);
  EXPECT_THAT(m, HasSubstr("many.csv: 50 errors (the first 10 listed); nothing was imported"));
  EXPECT_THAT(m, HasSubstr("many.csv:2: column 'x1': not a number: 'bad'"));
  EXPECT_THAT(m, HasSubstr("many.csv:11: column 'x1'"));
  EXPECT_THAT(m, Not(HasSubstr("many.csv:12:")));
  EXPECT_EQ(std::count(m.begin(), m.end(), '\n'), 10);
}

TEST(PanelCsvTest, OutcomesMustBeZeroOneOrMissing) {
  std::string m = ErrorOf("outcome.csv", std::string(kHeader) + "Canada,1960,1,2,0,2,0,0,20\n");
  EXPECT_THAT(m, HasSubstr("outcome.csv:2: column 'mk_onset_1': outcome must be 0, 1 or NA, not '2'"));
  m = ErrorOf("outcome2.csv", std::string(kHeader) + "Canada,1960,1,2,0.5,0,0,yes,20\n");
  EXPECT_THAT(m, HasSubstr("outcome2.csv:2: column 'mk_onset': outcome must be 0, 1 or NA, not '0.5'"));
  EXPECT_THAT(m, HasSubstr("outcome2.csv:2: column 'mk_onset_1or2': not a number: 'yes'"));
  EXPECT_THAT(m, HasSubstr("2 errors"));
}

TEST(PanelCsvTest, DuplicateCountryYearNamesBothLines) {
  std::string m = ErrorOf("dup.csv", std::string(kHeader) +
                                         "Canada,1960,1,2,0,0,0,0,20\n"
                                         "Canada,1961,1,2,0,0,0,0,20\n"
                                         "Canada,1960,3,4,0,0,0,0,20\n");
  EXPECT_THAT(m, HasSubstr("dup.csv:4: duplicate row for country code 20 (Canada) and year 1960: "
                           "already at line 2"));
}

TEST(PanelCsvTest, YearsMustBeIntegersInRange) {
  std::string m = ErrorOf("old.csv", std::string(kHeader) + "Canada,1700,1,2,0,0,0,0,20\n");
  EXPECT_THAT(m, HasSubstr("old.csv:2: column 'year': year 1700 is outside 1800..2100"));

  PanelCsvOptions o = TestOptions();
  o.min_year = 1990;
  o.max_year = 2030;
  m = ErrorOf("range_opt.csv", std::string(kHeader) + "Canada,1960,1,2,0,0,0,0,20\n", o);
  EXPECT_THAT(m, HasSubstr("range_opt.csv:2: column 'year': year 1960 is outside 1990..2030"));

  m = ErrorOf("year_text.csv", std::string(kHeader) + "Canada,1960.5,1,2,0,0,0,0,20\n");
  EXPECT_THAT(m, HasSubstr("year_text.csv:2: column 'year': year is not an integer: '1960.5'"));
  m = ErrorOf("year_na.csv", std::string(kHeader) + "Canada,NA,1,2,0,0,0,0,20\n");
  EXPECT_THAT(m, HasSubstr("year_na.csv:2: column 'year': missing year"));
  m = ErrorOf("code_text.csv", std::string(kHeader) + "Canada,1960,1,2,0,0,0,0,CAN\n");
  EXPECT_THAT(m, HasSubstr("code_text.csv:2: column 'ccode': country code is not an integer: 'CAN'"));
  m = ErrorOf("name_na.csv", std::string(kHeader) + ",1960,1,2,0,0,0,0,20\n");
  EXPECT_THAT(m, HasSubstr("name_na.csv:2: column 'ewp_name': missing country name"));
}

TEST(PanelCsvTest, MalformedQuoting) {
  std::string m = ErrorOf("quotes.csv", std::string(kHeader) +
                                            "Canada,1960,1,2,0,0,0,0,20\n"
                                            "\"Canada\"x,1961,1,2,0,0,0,0,20\n"
                                            "Canada,19\"62,1,2,0,0,0,0,20\n");
  EXPECT_THAT(m, HasSubstr("quotes.csv:3: text after closing quote in field 1"));
  EXPECT_THAT(m, HasSubstr("quotes.csv:4: stray quote in field 2"));

  m = ErrorOf("open_quote.csv", std::string(kHeader) + "Canada,1960,\"1,2,0,0,0,0,20\n");
  EXPECT_THAT(m, HasSubstr("open_quote.csv:2: unterminated quoted field at end of file"));

  m = ErrorOf("bad_header.csv", "ewp_name,\"year\"x,ccode\nCanada,1960,20\n");
  EXPECT_THAT(m, HasSubstr("bad_header.csv:1"));
  EXPECT_THAT(m, HasSubstr("malformed header"));
}

TEST(PanelCsvTest, UnknownCountryCodeIsReportedOncePerCode) {
  std::string m = ErrorOf("unknown.csv", std::string(kHeader) +
                                             "Canada,1960,1,2,0,0,0,0,20\n"
                                             "Narnia,1960,1,2,0,0,0,0,999\n"
                                             "Narnia,1961,1,2,0,0,0,0,999\n");
  EXPECT_THAT(m, HasSubstr("unknown.csv:3: column 'ccode': unknown country code 999 ('Narnia'): "
                           "not in vigil's country table"));
  EXPECT_THAT(m, Not(HasSubstr("unknown.csv:4")));
}

TEST(PanelCsvTest, CowCodesResolveToTheGwStateButMayNotDuplicateIt) {
  PanelCsvInfo info;
  auto p = Read("cow.csv", std::string(kHeader) + "Germany,1990,1,2,0,0,0,0,255\n", TestOptions(),
                &info);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->country_code[0], 255);
  EXPECT_EQ(info.gw, (std::vector<int>{260}));

  std::string m = ErrorOf("two_codes.csv", std::string(kHeader) +
                                               "Germany,1990,1,2,0,0,0,0,255\n"
                                               "Germany,1991,1,2,0,0,0,0,255\n"
                                               "Germany,1990,1,2,0,0,0,0,260\n");
  EXPECT_THAT(m, HasSubstr("two_codes.csv:4: column 'ccode': country code 260 and country code 255 "
                           "at line 2 are the same state in vigil's country table (Germany, gw "
                           "260) in year 1990"));
}

TEST(PanelCsvTest, NameThatNamesAnotherStateThanTheCode) {
  std::string m = ErrorOf("mismatch.csv", std::string(kHeader) + "Canada,1960,1,2,0,0,0,0,2\n");
  EXPECT_THAT(m, HasSubstr("mismatch.csv:2: column 'ewp_name': country name 'Canada' does not "
                           "match country code 2 (United States of America): it names Canada "
                           "(gw 20)"));
}

TEST(PanelCsvTest, InvalidOptions) {
  PanelCsvOptions o = TestOptions();
  o.outcome_columns = {"mk_onset", "mk_onset"};
  EXPECT_THAT(ErrorOf("opt1.csv", std::string(kHeader) + "Canada,1960,1,2,0,0,0,0,20\n", o),
              HasSubstr("outcome column 'mk_onset' is listed twice"));
  o = TestOptions();
  o.outcome_columns = {"year"};
  EXPECT_THAT(ErrorOf("opt2.csv", std::string(kHeader) + "Canada,1960,1,2,0,0,0,0,20\n", o),
              HasSubstr("'year' is an id column and cannot be an outcome"));
  o = TestOptions();
  o.code_column = "ewp_name";
  EXPECT_THAT(ErrorOf("opt3.csv", std::string(kHeader) + "Canada,1960,1,2,0,0,0,0,20\n", o),
              HasSubstr("must differ"));
}

// The real EWP 2025 panel (shared data; absent on a user's clone).
TEST(PanelCsvRealDataTest, Ewp2025Panel) {
  const std::string path =
      std::string(VIGIL_SHARED_DATA) + "/ewp-2025/prepared2024predictors-2025-09-03.csv";
  if (!std::filesystem::exists(path)) {
    GTEST_SKIP() << "shared data not found: " << path << " (tests on real data are skipped)";
  }
  PanelCsvInfo info;
  auto t0 = std::chrono::steady_clock::now();
  auto p = ReadPanelCsv(path, PanelCsvOptions{}, &info);  // the real country table
  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  std::printf("read %zu rows x %zu columns in %.1f ms\n", p->rows(),
              p->num_predictors() + p->num_outcomes() + 2, ms);

  EXPECT_EQ(p->rows(), 9463u);
  EXPECT_EQ(p->num_predictors(), 39u);  // 38 columns + the year, as in EWP's model
  EXPECT_EQ(p->outcome_names, EwpOutcomeColumns());
  EXPECT_EQ(p->MinYear(), 1960);
  EXPECT_EQ(p->MaxYear(), 2024);
  EXPECT_EQ(info.sha256, "92ade125d6e2d41742d373169c81a14bd623f48b4d865c72433f5f0296bf1780");
  EXPECT_EQ(info.delimiter, ',');
  EXPECT_TRUE(p->PredictorIndex("mk_onset_prev_year").has_value());
  EXPECT_TRUE(p->PredictorIndex("year").has_value());

  std::set<int> codes(p->country_code.begin(), p->country_code.end());
  EXPECT_EQ(codes.size(), 173u);
  ASSERT_EQ(info.gw.size(), p->rows());
  for (std::size_t i = 0; i < p->rows(); ++i) ASSERT_NE(info.gw[i], 0) << "row " << i;

  // Counts checked independently with Python's csv module.
  auto na = [&](const std::string& col) {
    std::size_t n = 0;
    if (auto j = p->PredictorIndex(col)) {
      for (std::size_t i = 0; i < p->rows(); ++i) n += IsNA(p->x(i, *j));
    } else {
      auto k = *p->OutcomeIndex(col);
      for (std::size_t i = 0; i < p->rows(); ++i) n += IsNA(p->y(i, k));
    }
    return n;
  };
  EXPECT_EQ(na("popsize.log2"), 46u);
  EXPECT_EQ(na("gdppcgrowth"), 125u);
  EXPECT_EQ(na("un_imr_sqrt"), 76u);
  EXPECT_EQ(na("mk_onset_1"), 173u);
  EXPECT_EQ(na("mk_onset_2"), 346u);
  EXPECT_EQ(na("mk_onset"), 0u);
  EXPECT_EQ(na("widetargeting"), 0u);

  auto complete = [&](std::optional<std::size_t> k) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < p->rows(); ++i) n += p->Complete(i, k);
    return n;
  };
  EXPECT_EQ(complete(std::nullopt), 9308u);
  EXPECT_EQ(complete(p->OutcomeIndex("mk_onset_1or2")), 9308u);
  EXPECT_EQ(complete(p->OutcomeIndex("mk_onset_1")), 9139u);
  EXPECT_EQ(complete(p->OutcomeIndex("mk_onset_2")), 8970u);

  std::size_t onsets = 0;
  auto k = *p->OutcomeIndex("mk_onset");
  for (std::size_t i = 0; i < p->rows(); ++i) onsets += p->y(i, k) == 1.0;
  EXPECT_EQ(onsets, 122u);
  EXPECT_EQ(p->country_name[0], "United States of America");
  EXPECT_EQ(p->year[0], 1960);
  EXPECT_DOUBLE_EQ(p->x(0, *p->PredictorIndex("popsize.log2")), 27.4287897129285);
}

}  // namespace
}  // namespace vigil::data
