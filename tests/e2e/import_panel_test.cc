// End-to-end tests of `vigil import panel` and `vigil datasets`: they run the
// built binary (VIGIL_BINARY) against a temporary database.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "data/panel_csv.h"
#include "store/db.h"
#include "tests/e2e/e2e_util.h"
#include "store/panel_store.h"

namespace vigil {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using nlohmann::json;

using e2e::CliTest;
using e2e::kRealFile;
using e2e::ParseJson;
using e2e::RunResult;
using e2e::Slurp;

class ImportPanelE2E : public CliTest {};

const char kHeader[] = "ewp_name,year,x1,x2,mk_onset,mk_onset_1,mk_onset_2,mk_onset_1or2,ccode\n";
const char kGoodRows[] =
    "United States of America,1960,0.5,NA,0,0,0,0,2\n"
    "United States of America,1961,1.5,2,0,0,1,1,2\n"
    "Canada,1960,3,,0,NA,0,0,20\n";

TEST_F(ImportPanelE2E, RealEwpFileImportsOnceThenIsUnchanged) {
  SKIP_WITHOUT_REAL_DATA();
  RunResult r = Run({"import", "panel", kRealFile, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json j = ParseJson(r);
  EXPECT_EQ(j["status"], "new");
  EXPECT_EQ(j["name"], "ewp");
  EXPECT_EQ(j["version"], 1);
  EXPECT_EQ(j["current"], true);
  EXPECT_EQ(j["rows"], 9463);
  EXPECT_EQ(j["predictors"].size(), 39u);
  EXPECT_EQ(j["outcomes"], json({"mk_onset", "mk_onset_1", "mk_onset_2", "mk_onset_1or2"}));
  EXPECT_EQ(j["year_min"], 1960);
  EXPECT_EQ(j["year_max"], 2024);
  EXPECT_EQ(j["countries"], 173);
  EXPECT_EQ(j["complete_rows"], 9308);
  EXPECT_EQ(j["complete_rows_by_outcome"]["mk_onset_1"], 9139);
  EXPECT_EQ(j["complete_rows_by_outcome"]["mk_onset_2"], 8970);
  EXPECT_EQ(j["na_counts"], json({{"popsize.log2", 46},
                                  {"gdppcgrowth", 125},
                                  {"un_imr_sqrt", 76},
                                  {"mk_onset_1", 173},
                                  {"mk_onset_2", 346}}));
  EXPECT_EQ(j["sha256"], "92ade125d6e2d41742d373169c81a14bd623f48b4d865c72433f5f0296bf1780");
  std::printf("import: read %.1f ms, store %.1f ms\n", j["milliseconds"]["read"].get<double>(),
              j["milliseconds"]["store"].get<double>());
  EXPECT_EQ(Count("panel_rows"), 9463);

  RunResult again = Run({"import", "panel", kRealFile, "--json"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(ParseJson(again)["status"], "unchanged");
  EXPECT_EQ(Count("datasets"), 1);
  EXPECT_EQ(Count("panel_rows"), 9463);

  // Text output names what was imported.
  RunResult text = Run({"import", "panel", kRealFile});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_THAT(text.out, HasSubstr("Panel 'ewp' unchanged: version 1"));
  EXPECT_THAT(text.out, HasSubstr("9463 country-years, 173 countries, years 1960-2024"));
  EXPECT_THAT(text.out, HasSubstr("gdppcgrowth"));

  RunResult list = Run({"datasets", "--json"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  json l = ParseJson(list);
  ASSERT_EQ(l.size(), 1u);
  EXPECT_EQ(l[0]["rows"], 9463);
}

TEST_F(ImportPanelE2E, RealFileRoundTripsThroughTheStore) {
  SKIP_WITHOUT_REAL_DATA();
  RunResult r = Run({"import", "panel", kRealFile, "--name", "ewp2025", "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("Imported panel 'ewp2025' version 1 (new dataset)"));

  data::PanelCsvInfo info;
  auto read = data::ReadPanelCsv(kRealFile, {}, &info);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  auto db = store::Db::Open(db_path_);
  ASSERT_TRUE(db.ok());
  std::vector<int> gw;
  auto t0 = std::chrono::steady_clock::now();
  auto loaded = store::LoadPanel(**db, "ewp2025", 0, &gw);
  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  std::printf("LoadPanel: %zu rows in %.1f ms\n", loaded->rows(), ms);
  EXPECT_EQ(loaded->predictor_names, read->predictor_names);
  EXPECT_EQ(loaded->outcome_names, read->outcome_names);
  EXPECT_EQ(loaded->country_name, read->country_name);
  EXPECT_EQ(loaded->country_code, read->country_code);
  EXPECT_EQ(loaded->year, read->year);
  EXPECT_EQ(gw, info.gw);
  ASSERT_EQ(loaded->predictors.size(), read->predictors.size());
  std::size_t mismatches = 0;
  for (std::size_t i = 0; i < read->predictors.size(); ++i) {
    double a = read->predictors[i], b = loaded->predictors[i];
    mismatches += std::isnan(a) ? !std::isnan(b) : a != b;
  }
  for (std::size_t i = 0; i < read->outcomes.size(); ++i) {
    double a = read->outcomes[i], b = loaded->outcomes[i];
    mismatches += std::isnan(a) ? !std::isnan(b) : a != b;
  }
  EXPECT_EQ(mismatches, 0u);
}

TEST_F(ImportPanelE2E, ChangedContentBecomesVersionTwo) {
  SKIP_WITHOUT_REAL_DATA();
  ASSERT_EQ(Run({"import", "panel", kRealFile}).exit_code, 0);
  // The same panel without its last row.
  std::string content = Slurp(kRealFile);
  content.pop_back();
  content.erase(content.rfind('\n') + 1);
  std::string shorter = Write("shorter.csv", content);
  RunResult r = Run({"import", "panel", shorter, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json j = ParseJson(r);
  EXPECT_EQ(j["status"], "new-version");
  EXPECT_EQ(j["version"], 2);
  EXPECT_EQ(j["rows"], 9462);
  EXPECT_EQ(Count("panel_rows"), 9463 + 9462);

  RunResult list = Run({"datasets", "--json"});
  json l = ParseJson(list);
  ASSERT_EQ(l.size(), 2u);
  EXPECT_EQ(l[0]["version"], 1);
  EXPECT_EQ(l[0]["current"], false);
  EXPECT_EQ(l[1]["version"], 2);
  EXPECT_EQ(l[1]["current"], true);
  RunResult table = Run({"datasets"});
  EXPECT_THAT(table.out, HasSubstr("ewp"));
  EXPECT_THAT(table.out, HasSubstr("1960-2024"));

  auto db = store::Db::Open(db_path_);
  ASSERT_TRUE(db.ok());
  auto v1 = store::LoadPanel(**db, "ewp", 1);
  auto v2 = store::LoadPanel(**db, "ewp");
  ASSERT_TRUE(v1.ok() && v2.ok());
  EXPECT_EQ(v1->rows(), 9463u);
  EXPECT_EQ(v2->rows(), 9462u);
  EXPECT_EQ(v2->dataset_version, 2);
}

TEST_F(ImportPanelE2E, SmallValidFileAndJsonAfterTheSubcommand) {
  std::string f = Write("small.csv", std::string(kHeader) + kGoodRows);
  RunResult r = Run({"import", "panel", f, "--name", "small", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json j = ParseJson(r);
  EXPECT_EQ(j["status"], "new");
  EXPECT_EQ(j["rows"], 3);
  EXPECT_EQ(j["predictors"], json({"year", "x1", "x2"}));
  EXPECT_EQ(j["na_counts"], json({{"x2", 2}, {"mk_onset_1", 1}}));
  EXPECT_EQ(j["source"], f);

  RunResult custom = Run({"import", "panel", f, "--name", "small-1or2", "--outcome", "mk_onset_1or2",
                          "--ignore", "mk_onset", "--ignore", "mk_onset_1", "--ignore",
                          "mk_onset_2", "--no-year-predictor", "--json"});
  ASSERT_EQ(custom.exit_code, 0) << custom.err;
  json c = ParseJson(custom);
  EXPECT_EQ(c["outcomes"], json({"mk_onset_1or2"}));
  EXPECT_EQ(c["predictors"], json({"x1", "x2"}));
}

TEST_F(ImportPanelE2E, BadFilesFailWithFileLineAndColumnAndImportNothing) {
  struct Case {
    std::string file, content, expect;
  };
  const std::vector<Case> cases = {
      {"nonnumeric.csv", std::string(kHeader) + kGoodRows + "Canada,1961,abc,1,0,0,0,0,20\n",
       "nonnumeric.csv:5: column 'x1': not a number: 'abc'"},
      {"outcome.csv", std::string(kHeader) + "Canada,1961,1,1,0,3,0,0,20\n",
       "outcome.csv:2: column 'mk_onset_1': outcome must be 0, 1 or NA, not '3'"},
      {"duplicate.csv", std::string(kHeader) + kGoodRows + "Canada,1960,1,1,0,0,0,0,20\n",
       "duplicate.csv:5: duplicate row for country code 20 (Canada) and year 1960: already at line 4"},
      {"fields.csv", std::string(kHeader) + "Canada,1961,1,0,0,0,0,20\n",
       "fields.csv:2: expected 9 fields as in the header, found 8"},
      {"year.csv", std::string(kHeader) + "Canada,2200,1,1,0,0,0,0,20\n",
       "year.csv:2: column 'year': year 2200 is outside 1800..2100"},
      {"unknown.csv", std::string(kHeader) + "Atlantis,1961,1,1,0,0,0,0,9999\n",
       "unknown.csv:2: column 'ccode': unknown country code 9999"},
      {"noid.csv", "ewp_name,year,x1,mk_onset,mk_onset_1,mk_onset_2,mk_onset_1or2\nCanada,1960,1,0,0,0,0\n",
       "noid.csv:1: missing country code column 'ccode'"},
      {"semicolon_wrong.csv", "ewp_name|year|ccode\nCanada|1960|20\n", "wrong delimiter?"},
      {"empty.csv", "", "empty.csv: empty file"},
      {"header.csv", kHeader, "header.csv: no data rows"},
      {"quote.csv", std::string(kHeader) + "\"Canada\"x,1961,1,1,0,0,0,0,20\n",
       "quote.csv:2: text after closing quote"},
  };
  for (const auto& c : cases) {
    std::string f = Write(c.file, c.content);
    RunResult r = Run({"import", "panel", f});
    EXPECT_EQ(r.exit_code, 1) << c.file << ": " << r.err;
    EXPECT_THAT(r.err, HasSubstr(c.expect)) << c.file;
    EXPECT_THAT(r.err, HasSubstr("vigil: ")) << c.file;
    EXPECT_EQ(r.out, "") << c.file;
  }
  // One good row does not sneak in with the bad ones.
  EXPECT_EQ(Count("datasets"), 0);
  EXPECT_EQ(Count("panel_columns"), 0);
  EXPECT_EQ(Count("panel_rows"), 0);
  RunResult list = Run({"datasets", "--json"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_EQ(ParseJson(list), json::array());
}

TEST_F(ImportPanelE2E, ManyErrorsAreSummarized) {
  std::string content = kHeader;
  for (int y = 1900; y < 2000; ++y) content += "Canada," + std::to_string(y) + ",x,1,0,0,0,0,20\n";
  std::string f = Write("many.csv", content);
  RunResult r = Run({"import", "panel", f});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("many.csv: 100 errors (the first 10 listed); nothing was imported"));
  EXPECT_LT(r.err.size(), 2000u);
}

TEST_F(ImportPanelE2E, MissingFileAndUsageErrors) {
  RunResult missing = Run({"import", "panel", (dir_ / "nope.csv").string()});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_THAT(missing.err, HasSubstr("nope.csv: no such file"));

  EXPECT_EQ(Run({"import", "panel"}).exit_code, 2);             // FILE is required
  EXPECT_EQ(Run({"import"}).exit_code, 2);                      // a subcommand is required
  EXPECT_EQ(Run({"import", "panel", "x.csv", "--bogus"}).exit_code, 2);
  EXPECT_EQ(Run({"import", "panel", "x.csv", "--min-year", "abc"}).exit_code, 2);
  EXPECT_EQ(Count("datasets"), 0);
}

TEST_F(ImportPanelE2E, EmptyStoreListsNothing) {
  RunResult r = Run({"datasets"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("No datasets in"));
}

}  // namespace
}  // namespace vigil
