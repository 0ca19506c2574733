// End-to-end tests of Step 0 on the real EWP panel: vigil backtest, vigil
// forecast and the forecast registry (vigil forecasts list|show|score).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "data/csv.h"
#include "tests/e2e/e2e_util.h"

namespace vigil {
namespace {

using ::testing::HasSubstr;
using e2e::CliTest;
using e2e::kRealFile;
using e2e::ParseJson;
using e2e::RunResult;
using e2e::Slurp;
using nlohmann::json;
namespace fs = std::filesystem;

class RiskE2E : public CliTest {
 protected:
  void Import() {
    RunResult r = Run({"import", "panel", kRealFile, "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
};

TEST_F(RiskE2E, ElasticNetBacktestReproducesEwp) {
  SKIP_WITHOUT_REAL_DATA();
  Import();
  std::string out = (dir_ / "bt.json").string();
  RunResult r = Run({"backtest", "--model", "elastic-net", "--json", out, "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("recall@30"));
  json j = json::parse(Slurp(out));
  for (const char* k : {"model", "onsets", "caught_at_30", "recall_at_30", "recall_at_20",
                        "recall_at_10", "auc", "brier", "seconds", "log_loss", "mean_risk_ratio"}) {
    EXPECT_TRUE(j.contains(k)) << k;
  }
  EXPECT_EQ(j["model"], "elastic-net");
  EXPECT_EQ(j["onsets"], 39);
  // EWP's published FOOS: 27 of 39 (0.692), AUC 0.825.
  EXPECT_NEAR(j["recall_at_30"].get<double>(), 0.692, 0.03);
  EXPECT_NEAR(j["auc"].get<double>(), 0.825, 0.01);
  // pROC 1.18 on EWP's published FOOS file (maxrisk2 against mk_onset, 5,032
  // country-years 1994-2024): DeLong SE 0.02395982287, 95% CI 0.7782565-0.8721772.
  // The scores rank alike, so the rank-based SE agrees.
  EXPECT_NEAR(j["auc_se"].get<double>(), 0.02395982287, 1e-4);
  EXPECT_NEAR(j["auc_ci95"][0].get<double>(), 0.7782565, 2e-3);
  EXPECT_NEAR(j["auc_ci95"][1].get<double>(), 0.8721772, 2e-3);
  // Wilson 95% interval of 27/39.
  EXPECT_NEAR(j["recall_at_30_ci95"][0].get<double>(), 0.5358, 1e-4);
  EXPECT_NEAR(j["recall_at_30_ci95"][1].get<double>(), 0.8143, 1e-4);
  EXPECT_EQ(j["per_year"].size(), 31u);
  EXPECT_EQ(j["onset_list"].size(), 39u);

  // Recorded in the database.
  EXPECT_EQ(Count("backtest_runs"), 1);
}

TEST_F(RiskE2E, BoostComparedWithElasticNetPairwise) {
  SKIP_WITHOUT_REAL_DATA();
  Import();
  std::string out = (dir_ / "cmp.json").string();
  RunResult r = Run({"backtest", "--model", "boost", "--baseline", "elastic-net", "--no-save",
                     "--json", out, "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json j = json::parse(Slurp(out));
  const json& c = j["comparison"];
  EXPECT_EQ(c["model"], "boost");
  EXPECT_EQ(c["baseline"], "elastic-net");
  EXPECT_EQ(j["evaluated"].size(), 5032u);
  // pROC 1.18, roc.test(method = "delong", paired = TRUE) on the two models'
  // "evaluated" risks of this run: Z 0.702309971892, p 0.482485875805.
  EXPECT_NEAR(c["auc_diff_z"].get<double>(), 0.7023, 0.02);
  EXPECT_NEAR(c["auc_diff_p"].get<double>(), 0.4825, 0.01);
  EXPECT_NEAR(c["auc_baseline"].get<double>(), 0.825, 0.01);
  EXPECT_EQ(c["caught_at_30_both"].get<int>() + c["caught_at_30_model_only"].get<int>() +
                c["caught_at_30_baseline_only"].get<int>() + c["caught_at_30_neither"].get<int>(),
            39);
  EXPECT_EQ(c["caught_at_30_both"].get<int>() + c["caught_at_30_model_only"].get<int>(),
            j["caught_at_30"].get<int>());
  // Country-cluster bootstrap (default 2000 replicates): intervals bracket the
  // estimates.
  EXPECT_EQ(c["bootstrap"], 2000);
  EXPECT_LT(c["auc_diff_cluster95"][0].get<double>(), c["auc_diff"].get<double>());
  EXPECT_GT(c["auc_diff_cluster95"][1].get<double>(), c["auc_diff"].get<double>());
  EXPECT_LT(j["auc_cluster95"][0].get<double>(), j["auc"].get<double>());
  EXPECT_GT(j["auc_cluster95"][1].get<double>(), j["auc"].get<double>());
}

TEST_F(RiskE2E, ElasticNetForecastMatchesEwpPublished2025Forecast) {
  SKIP_WITHOUT_REAL_DATA();
  const std::string published =
      std::string(VIGIL_SHARED_DATA) + "/ewp-2025/final_forecasts_data_3Sep2025.csv";
  Import();
  std::string json_file = (dir_ / "f.json").string();
  std::string csv_file = (dir_ / "f.csv").string();
  std::string md = (dir_ / "watch.md").string();
  std::string html = (dir_ / "watch.html").string();
  RunResult r = Run({"forecast", "--year", "2024", "--model", "elastic-net", "--bootstrap", "20",
                     "--json", json_file, "--csv", csv_file, "--report", html, "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json f = json::parse(Slurp(json_file));
  EXPECT_EQ(f["target_years"], json({2025, 2026}));
  EXPECT_EQ(f["train_last_year"], 2022);
  const auto& countries = f["countries"];
  ASSERT_GT(countries.size(), 150u);
  int top_risk = 0;
  for (std::size_t i = 0; i < countries.size(); ++i) {
    const auto& c = countries[i];
    EXPECT_LE(c["risk_lo"].get<double>(), c["risk_hi"].get<double>());
    EXPECT_FALSE(c["factors"].empty()) << c["country"];
    for (const auto& t : c["triage"]) top_risk += t == "top-risk";
    if (i > 0) {
      EXPECT_GE(c["rank"].get<int>(), countries[i - 1]["rank"].get<int>());
    }
  }
  EXPECT_EQ(top_risk, 30);
  EXPECT_THAT(Slurp(csv_file), HasSubstr("rank,country,country_code,risk"));
  std::string page = Slurp(html);
  EXPECT_THAT(page, HasSubstr("<svg"));
  EXPECT_THAT(page, HasSubstr(countries[0]["country"].get<std::string>()));

  // EWP's own published forecast from the same data and protocol.
  if (!fs::exists(published)) GTEST_SKIP() << "published forecasts not found: " << published;
  auto reader = data::CsvReader::Open(published);
  ASSERT_TRUE(reader.ok());
  data::CsvRecord rec;
  ASSERT_TRUE(*(*reader)->Next(&rec));
  int name_col = -1, risk_col = -1;
  for (std::size_t k = 0; k < rec.fields.size(); ++k) {
    if (rec.fields[k] == "ewp_name") name_col = static_cast<int>(k);
    if (rec.fields[k] == "risk.2025and2026.from2024") risk_col = static_cast<int>(k);
  }
  ASSERT_GE(name_col, 0);
  ASSERT_GE(risk_col, 0);
  std::map<std::string, double> ewp;
  while (*(*reader)->Next(&rec)) ewp[rec.fields[name_col]] = std::stod(rec.fields[risk_col]);
  double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0, n = 0, max_diff = 0;
  for (const auto& c : countries) {
    auto it = ewp.find(c["country"].get<std::string>());
    if (it == ewp.end()) continue;
    double x = c["risk"].get<double>(), y = it->second;
    sx += x, sy += y, sxx += x * x, syy += y * y, sxy += x * y, n += 1;
    max_diff = std::max(max_diff, std::abs(x - y));
  }
  ASSERT_GT(n, 150);
  double corr = (n * sxy - sx * sy) / std::sqrt((n * sxx - sx * sx) * (n * syy - sy * sy));
  EXPECT_GT(corr, 0.999) << "vigil vs EWP published 2025-26 risks";
  EXPECT_LT(max_diff, 0.002) << "EWP rounds to 4 significant digits";
}

TEST_F(RiskE2E, RegistryListsShowsAndScoresForecasts) {
  SKIP_WITHOUT_REAL_DATA();
  Import();
  RunResult f = Run({"forecast", "--year", "2021", "--model", "elastic-net", "--bootstrap", "0",
                     "--json", "-", "-q"});
  ASSERT_EQ(f.exit_code, 0) << f.err;
  int id = ParseJson(f)["run_id"];
  RunResult late = Run({"forecast", "--year", "2024", "--bootstrap", "0", "-q", "--json", "-"});
  ASSERT_EQ(late.exit_code, 0) << late.err;
  int late_id = ParseJson(late)["run_id"];

  json list = ParseJson(Run({"forecasts", "list", "--json"}));
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0]["id"], late_id);  // newest first
  EXPECT_EQ(list[1]["base_year"], 2021);

  json show = ParseJson(Run({"forecasts", "show", std::to_string(id), "--json"}));
  EXPECT_EQ(show["target_years"], json({2022, 2023}));
  EXPECT_GT(show["countries"].size(), 150u);
  EXPECT_EQ(show["countries"][0]["rank"], 1);

  // 2022-23 outcomes are in the panel: the forecast can be scored.
  RunResult score = Run({"forecasts", "score", std::to_string(id), "--json"});
  ASSERT_EQ(score.exit_code, 0) << score.err;
  json s = ParseJson(score);
  EXPECT_GT(s["countries"].get<int>(), 150);
  EXPECT_GE(s["onsets"].get<int>(), 0);
  EXPECT_EQ(s["onset_list"].size(), s["onsets"].get<std::size_t>());
  // 2025-26 outcomes are not: a clear refusal.
  RunResult early = Run({"forecasts", "score", std::to_string(late_id)});
  EXPECT_EQ(early.exit_code, 1);
  EXPECT_THAT(early.err, HasSubstr("not known yet"));
  RunResult missing = Run({"forecasts", "show", "999"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_THAT(missing.err, HasSubstr("no forecast run 999"));
}

TEST_F(RiskE2E, BadRequestsGetClearErrors) {
  RunResult none = Run({"backtest"});
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_THAT(none.err, HasSubstr("import panel"));
  RunResult model = Run({"backtest", "--model", "oracle"});
  EXPECT_EQ(model.exit_code, 2);
  EXPECT_THAT(model.err, HasSubstr("oracle"));
  RunResult baseline = Run({"backtest", "--baseline", "oracle"});
  EXPECT_EQ(baseline.exit_code, 2);
  EXPECT_THAT(baseline.err, HasSubstr("oracle"));
  RunResult spec = Run({"backtest", "--spec", (dir_ / "nospec.json").string()});
  EXPECT_EQ(spec.exit_code, 1);
  EXPECT_THAT(spec.err, HasSubstr("nospec.json"));
  if (!fs::exists(kRealFile)) GTEST_SKIP() << "shared data not found: " << kRealFile;
  Import();
  RunResult years = Run({"backtest", "--first-train-year", "2020", "--last-train-year", "2023"});
  EXPECT_EQ(years.exit_code, 1);
  EXPECT_THAT(years.err, HasSubstr("2025"));
  RunResult year = Run({"forecast", "--year", "2030"});
  EXPECT_EQ(year.exit_code, 1);
  EXPECT_THAT(year.err, HasSubstr("--year 2030"));
  RunResult report = Run({"forecast", "--bootstrap", "0", "--report", (dir_ / "r.pdf").string()});
  EXPECT_EQ(report.exit_code, 1);
  EXPECT_THAT(report.err, HasSubstr(".md or .html"));
}

}  // namespace
}  // namespace vigil
