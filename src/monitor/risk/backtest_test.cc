#include "monitor/risk/backtest.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "core/embedded.h"

namespace vigil::risk {
namespace {

// Scores rows by predictor "signal"; records the training years it saw.
class SpyModel : public RiskModel {
 public:
  explicit SpyModel(std::vector<int>* max_years) : max_years_(max_years) {}
  std::string name() const override { return "spy"; }
  Status Fit(const Dataset& train, const FitOptions&) override {
    int m = 0;
    for (int y : train.year) m = std::max(m, y);
    max_years_->push_back(m);
    return Status::Ok();
  }
  Eigen::VectorXd Predict(const Eigen::MatrixXd& x) const override {
    return x.col(0).unaryExpr([](double v) { return 1.0 / (1.0 + std::exp(-v)); });
  }
  Eigen::MatrixXd Contributions(const Eigen::MatrixXd& x) const override { return x; }
  nlohmann::json Describe() const override { return {}; }
  std::unique_ptr<RiskModel> Clone() const override { return std::make_unique<SpyModel>(max_years_); }

 private:
  std::vector<int>* max_years_;
};

// SpyModel with the order reversed: country 1 riskiest.
class ReversedSpy : public SpyModel {
 public:
  using SpyModel::SpyModel;
  Eigen::VectorXd Predict(const Eigen::MatrixXd& x) const override {
    return x.col(0).unaryExpr([](double v) { return 1.0 / (1.0 + std::exp(v)); });
  }
};

// 40 countries x years 1980..2010; country c has signal c (higher = riskier);
// onsets in chosen (country, year) cells.
Panel MakePanel(const std::set<std::pair<int, int>>& onsets) {
  Panel p;
  p.dataset_name = "synthetic";
  p.predictor_names = {"signal"};
  p.outcome_names = {"mk_onset", "mk_onset_1or2"};
  std::vector<double> signal, onset, window;
  for (int c = 1; c <= 40; ++c) {
    for (int y = 1980; y <= 2010; ++y) {
      p.country_code.push_back(c);
      p.country_name.push_back("C" + std::to_string(c));
      p.year.push_back(y);
      signal.push_back(c / 10.0);
      onset.push_back(onsets.count({c, y}) ? 1 : 0);
      window.push_back(onsets.count({c, y + 1}) || onsets.count({c, y + 2}) ? 1 : 0);
    }
  }
  p.predictors = signal;
  p.outcomes = onset;
  p.outcomes.insert(p.outcomes.end(), window.begin(), window.end());
  return p;
}

ModelSpec Spec() {
  ModelSpec s;
  s.name = "test";
  s.predictors = {"signal"};
  s.outcome = "mk_onset_1or2";
  s.onset = "mk_onset";
  s.horizon_years = 2;
  return s;
}

TEST(BacktestTest, TrainsOnlyOnPastAndScoresTwoYearsAhead) {
  Panel p = MakePanel({{40, 2000}});
  std::vector<int> seen;
  BacktestOptions o;
  o.first_train_year = 1990;
  o.last_train_year = 2005;
  auto r = RunBacktest(p, Spec(), "spy", [&] { return std::make_unique<SpyModel>(&seen); }, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->scored.size(), 16u);
  for (const auto& sy : r->scored) {
    EXPECT_EQ(sy.data_year, sy.train_year + 2);
    EXPECT_EQ(sy.rows.size(), 40u);
  }
  std::sort(seen.begin(), seen.end());
  for (std::size_t k = 0; k < seen.size(); ++k) EXPECT_EQ(seen[k], 1990 + static_cast<int>(k));
  EXPECT_EQ(r->summary.first_onset_year, 1993);
  EXPECT_EQ(r->summary.last_onset_year, 2008);
}

TEST(BacktestTest, RecallRanksAndAucByHand) {
  // Country 40 ranks 1st, country 5 ranks 36th, country 25 ranks 16th.
  Panel p = MakePanel({{40, 2000}, {5, 2001}, {25, 2002}, {12, 1970}});
  std::vector<int> seen;
  BacktestOptions o;
  o.first_train_year = 1990;
  o.last_train_year = 2005;
  o.threads = 2;
  auto r = RunBacktest(p, Spec(), "spy", [&] { return std::make_unique<SpyModel>(&seen); }, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const auto& s = r->summary;
  EXPECT_EQ(s.onsets, 3);  // the 1970 onset is outside the evaluation years
  EXPECT_EQ(s.onsets_scored, 3);
  EXPECT_EQ(s.caught10, 1);
  EXPECT_EQ(s.caught20, 2);
  EXPECT_EQ(s.caught30, 2);
  EXPECT_NEAR(s.recall30, 2.0 / 3.0, 1e-12);
  ASSERT_EQ(r->onset_list.size(), 3u);
  EXPECT_EQ(r->onset_list[0].best_rank, 1);
  EXPECT_EQ(r->onset_list[1].best_rank, 36);
  EXPECT_EQ(r->onset_list[2].best_rank, 16);
  // AUC: each positive's score beats the negatives of lower signal across all
  // 16 evaluation years; computed independently here.
  std::vector<double> sc;
  std::vector<int> lab;
  for (int y = 1993; y <= 2008; ++y) {
    for (int c = 1; c <= 40; ++c) {
      sc.push_back(c / 10.0);
      lab.push_back((c == 40 && y == 2000) || (c == 5 && y == 2001) || (c == 25 && y == 2002));
    }
  }
  double wins = 0, pairs = 0;
  for (std::size_t i = 0; i < sc.size(); ++i) {
    for (std::size_t j = 0; j < sc.size(); ++j) {
      if (lab[i] && !lab[j]) {
        pairs += 1;
        wins += sc[i] > sc[j] ? 1 : sc[i] == sc[j] ? 0.5 : 0;
      }
    }
  }
  EXPECT_NEAR(s.auc, wins / pairs, 1e-12);
  auto j = r->ToJson();
  for (const char* key : {"model", "onsets", "caught_at_30", "recall_at_30", "recall_at_20",
                          "recall_at_10", "auc", "brier", "seconds"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  EXPECT_EQ(j["per_year"].size(), 16u);
  // Reliability bins partition the scored forecasts whose horizon is observed
  // (data years 1992..2008 of 2010's panel: 16 years x 40 countries).
  int binned = 0;
  for (const auto& b : r->calibration) binned += b.forecasts;
  EXPECT_EQ(binned, 16 * 40);
  EXPECT_EQ(j["calibration"].size(), 6u);
}

TEST(BacktestTest, ComparesTwoModelsPairwise) {
  // Spy ranks countries 40, 25, 5 at 1, 16, 36; the reversed spy at 40, 25, 5.
  Panel p = MakePanel({{40, 2000}, {5, 2001}, {25, 2002}});
  std::vector<int> seen;
  BacktestOptions o;
  o.first_train_year = 1990;
  o.last_train_year = 2005;
  auto a = RunBacktest(p, Spec(), "spy", [&] { return std::make_unique<SpyModel>(&seen); }, o);
  auto b = RunBacktest(p, Spec(), "reversed", [&] { return std::make_unique<ReversedSpy>(&seen); }, o);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_EQ(a->evaluated.size(), 16u * 40u);
  auto c = CompareBacktests(*a, *b);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->onsets, 3);
  EXPECT_EQ(c->caught_both, 1);           // country 25
  EXPECT_EQ(c->caught_model_only, 1);     // country 40
  EXPECT_EQ(c->caught_baseline_only, 1);  // country 5
  EXPECT_EQ(c->caught_neither, 0);
  EXPECT_EQ(c->recall30_p, 1.0);
  // Reversing the order turns every won pair into a lost one (ties stay ties).
  EXPECT_NEAR(c->auc.auc_a, a->summary.auc, 1e-15);
  EXPECT_NEAR(c->auc.auc_b, 1 - c->auc.auc_a, 1e-12);
  EXPECT_NEAR(c->auc.diff, 2 * c->auc.auc_a - 1, 1e-12);
  EXPECT_GT(c->auc.se, 0);
  auto j = c->ToJson();
  EXPECT_EQ(j["baseline"], "reversed");
  EXPECT_EQ(j["caught_at_30_model_only"], 1);
  // Backtests of different years cannot be paired.
  o.last_train_year = 2004;
  auto shorter = RunBacktest(p, Spec(), "spy", [&] { return std::make_unique<SpyModel>(&seen); }, o);
  ASSERT_TRUE(shorter.ok());
  auto bad = CompareBacktests(*a, *shorter);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("different country-years"), std::string::npos);
}

TEST(BacktestTest, ClusterBootstrapResamplesWholeCountries) {
  // Country 1's ten onset years are all caught, country 2's ten all missed,
  // country 3 has none. A replicate's recall is 1, 1/2 or 0 by which of the
  // two onset countries it draws, so the interval spans 0..1, although a
  // resample of the 20 onsets as independent rows would hardly leave 1/2.
  BacktestResult r;
  for (int c = 1; c <= 3; ++c) {
    for (int y = 2000; y < 2010; ++y) {
      r.evaluated.push_back({c, y, c == 2 ? 0.01 : 0.5, c == 1 ? 1 : 50, c == 3 ? 0 : 1});
    }
  }
  ClusterBootstrap(2000, 7, &r);
  EXPECT_EQ(r.summary.bootstrap, 2000);
  EXPECT_EQ(r.summary.recall30_cluster95.lo, 0.0);
  EXPECT_EQ(r.summary.recall30_cluster95.hi, 1.0);
  // Deterministic for a seed; none when asked for none.
  BacktestResult again = r;
  ClusterBootstrap(2000, 7, &again);
  EXPECT_EQ(again.summary.auc_cluster95.lo, r.summary.auc_cluster95.lo);
  EXPECT_EQ(again.summary.auc_cluster95.hi, r.summary.auc_cluster95.hi);
  ClusterBootstrap(0, 7, &again);
  EXPECT_EQ(again.summary.bootstrap, 0);
}

TEST(BacktestTest, ClusterIntervalsBracketTheBacktestsEstimates) {
  Panel p = MakePanel({{40, 2000}, {5, 2001}, {25, 2002}, {30, 1999}, {12, 2004}});
  std::vector<int> seen;
  BacktestOptions o;
  o.first_train_year = 1990;
  o.last_train_year = 2005;
  o.bootstrap = 500;
  auto a = RunBacktest(p, Spec(), "spy", [&] { return std::make_unique<SpyModel>(&seen); }, o);
  auto b = RunBacktest(p, Spec(), "reversed", [&] { return std::make_unique<ReversedSpy>(&seen); }, o);
  ASSERT_TRUE(a.ok() && b.ok());
  const auto& s = a->summary;
  EXPECT_EQ(s.bootstrap, 500);
  EXPECT_LE(s.auc_cluster95.lo, s.auc);
  EXPECT_GE(s.auc_cluster95.hi, s.auc);
  EXPECT_LT(s.auc_cluster95.lo, s.auc_cluster95.hi);
  EXPECT_LE(s.recall30_cluster95.lo, s.recall30);
  EXPECT_GE(s.recall30_cluster95.hi, s.recall30);
  auto c = CompareBacktests(*a, *b, 500, 3);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->bootstrap, 500);
  EXPECT_LE(c->auc_diff_cluster95.lo, c->auc.diff);
  EXPECT_GE(c->auc_diff_cluster95.hi, c->auc.diff);
  EXPECT_EQ(CompareBacktests(*a, *b)->bootstrap, 0);
}

TEST(BacktestTest, RejectsYearsOutsideTheData) {
  Panel p = MakePanel({});
  std::vector<int> seen;
  BacktestOptions o;
  o.first_train_year = 1990;
  o.last_train_year = 2009;  // would need data year 2011
  auto r = RunBacktest(p, Spec(), "spy", [&] { return std::make_unique<SpyModel>(&seen); }, o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("2011"), std::string::npos);
  o.first_train_year = 2000;
  o.last_train_year = 1999;
  EXPECT_FALSE(RunBacktest(p, Spec(), "spy", [&] { return std::make_unique<SpyModel>(&seen); }, o).ok());
  ModelSpec bad = Spec();
  bad.predictors = {"nope"};
  o.first_train_year = 1990;
  auto m = RunBacktest(p, bad, "spy", [&] { return std::make_unique<SpyModel>(&seen); }, o);
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("nope"), std::string::npos);
}

TEST(DesignTest, TrainingSetKeepsCompleteRowsUpToTheYear) {
  Panel p = MakePanel({{3, 1990}});
  const std::size_t n = p.rows();
  p.predictors[5] = std::numeric_limits<double>::quiet_NaN();      // C1 1985: predictor NA
  p.outcomes[n + 40] = std::numeric_limits<double>::quiet_NaN();   // C2 1989: outcome NA
  const Dataset all = TrainingSet(p, Spec(), 1995);
  const std::vector<char> complete = CompleteRows(p, Spec());
  ASSERT_EQ(complete.size(), n);
  EXPECT_FALSE(complete[5]);
  EXPECT_FALSE(complete[40]);
  EXPECT_EQ(std::count(complete.begin(), complete.end(), 1), static_cast<long>(n) - 2);
  // 40 countries x 16 years (1980..1995), less the two incomplete rows.
  EXPECT_EQ(all.rows(), 40 * 16 - 2);
  for (int y : all.year) EXPECT_LE(y, 1995);
  const Dataset reused = TrainingSet(p, Spec(), 1995, &complete);
  EXPECT_EQ(reused.year, all.year);
  EXPECT_EQ(reused.country, all.country);
  EXPECT_EQ(reused.x, all.x);
  EXPECT_EQ(reused.y, all.y);
}

TEST(DesignTest, EmbeddedSpecIsEwp) {
  const ModelSpec& s = DefaultModelSpec();
  EXPECT_EQ(s.predictors.size(), 39u);
  EXPECT_EQ(s.outcome, "mk_onset_1or2");
  EXPECT_DOUBLE_EQ(s.alpha, 0.5);
  EXPECT_FALSE(ParseModelSpec("{\"name\":\"x\"}", "x.json").ok());
  auto bad = ParseModelSpec("[1,2", "y.json");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("y.json"), std::string::npos);
}

}  // namespace
}  // namespace vigil::risk

namespace vigil::risk {
namespace {

TEST(DesignTest, ChangesAreOneYearDifferencesWithinACountry) {
  Panel p;
  p.dataset_name = "t";
  p.predictor_names = {"a"};
  p.outcome_names = {"mk_onset", "mk_onset_1or2"};
  // Country 1: 2000, 2001, 2003 (2002 missing); country 2: 2001, 2002.
  p.country_code = {1, 1, 1, 2, 2};
  p.country_name = {"A", "A", "A", "B", "B"};
  p.year = {2000, 2001, 2003, 2001, 2002};
  p.predictors = {1.0, 4.0, 5.0, 10.0, kNA};
  p.outcomes.assign(10, 0.0);
  auto spec = ParseModelSpec(
      R"({"name":"s","outcome":"mk_onset_1or2","onset":"mk_onset","predictors":["a"],"changes":["a"]})",
      "s.json");
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  EXPECT_EQ(spec->predictors, (std::vector<std::string>{"a", "a.change"}));
  Panel d = WithDerived(p, *spec);
  ASSERT_TRUE(CheckSpec(d, *spec).ok());
  auto c = *d.PredictorIndex("a.change");
  EXPECT_EQ(d.x(0, c), 0.0);  // first year of country 1
  EXPECT_EQ(d.x(1, c), 3.0);  // 4 - 1
  EXPECT_EQ(d.x(2, c), 0.0);  // 2002 missing: no previous year
  EXPECT_EQ(d.x(3, c), 0.0);  // first year of country 2
  EXPECT_TRUE(IsNA(d.x(4, c)));  // NA - 10
  // The original panel is untouched; a spec without changes leaves it as is.
  EXPECT_EQ(p.num_predictors(), 1u);
  EXPECT_EQ(WithDerived(p, DefaultModelSpec()).num_predictors(), 1u);
}

TEST(DesignTest, WindowMaxReadsOnlyThePastYearsOfTheSameCountry) {
  Panel p;
  p.dataset_name = "t";
  p.predictor_names = {"a"};
  p.outcome_names = {"mk_onset", "mk_onset_1or2"};
  // Country 1: 2000, 2001, 2003, 2004, 2005 (2002 missing); country 2: 2001, 2002, 2003.
  p.country_code = {1, 1, 1, 1, 1, 2, 2, 2};
  p.country_name = {"A", "A", "A", "A", "A", "B", "B", "B"};
  p.year = {2000, 2001, 2003, 2004, 2005, 2001, 2002, 2003};
  p.predictors = {7.0, 1.0, 2.0, kNA, 0.0, 0.5, 9.0, 3.0};
  p.outcomes.assign(16, 0.0);
  auto spec = ParseModelSpec(
      R"({"name":"s","outcome":"mk_onset_1or2","onset":"mk_onset","predictors":["a"],)"
      R"("window_max":[{"column":"a","years":3}]})",
      "s.json");
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  EXPECT_EQ(spec->predictors, (std::vector<std::string>{"a", "a.max3y"}));
  Panel d = WithDerived(p, *spec);
  ASSERT_TRUE(CheckSpec(d, *spec).ok());
  auto c = *d.PredictorIndex("a.max3y");
  EXPECT_EQ(d.x(0, c), 7.0);       // first year: itself
  EXPECT_EQ(d.x(1, c), 7.0);       // max(7, 1)
  EXPECT_EQ(d.x(2, c), 2.0);       // 2003: 2001 (1), 2002 absent, 2003 (2); 2000 is outside
  EXPECT_TRUE(IsNA(d.x(3, c)));    // year t NA
  EXPECT_EQ(d.x(4, c), 2.0);       // 2005: 2003 (2), 2004 NA skipped, 2005 (0)
  EXPECT_EQ(d.x(5, c), 0.5);       // country 2 never reads country 1
  EXPECT_EQ(d.x(6, c), 9.0);
  EXPECT_EQ(d.x(7, c), 9.0);
  // No future value leaks back: country 2's 9.0 in 2002 is not in 2001.
  EXPECT_EQ(d.x(5, c), 0.5);
}

TEST(DesignTest, WindowMaxIsValidated) {
  auto parse = [](const std::string& w) {
    return ParseModelSpec(R"({"name":"s","outcome":"o","onset":"x","predictors":["a","year"],"window_max":)" +
                              w + "}",
                          "w.json");
  };
  EXPECT_TRUE(parse(R"([{"column":"a","years":5}])").ok());
  for (const char* bad : {R"({"column":"a"})", R"([{"column":"b","years":5}])",
                          R"([{"column":"year","years":5}])", R"([{"column":"a","years":1}])",
                          R"([{"column":"a","years":31}])", R"([{"column":"a"}])",
                          R"([{"column":"a","years":2.5}])"}) {
    auto r = parse(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.status().message().find("w.json"), std::string::npos) << r.status().ToString();
  }
}

TEST(DesignTest, HistorySpecInTheCatalogParses) {
  auto text = catalog::FindEmbedded("risk_model_ewp2025_history5.json");
  ASSERT_TRUE(text.ok());
  auto spec = ParseModelSpec(std::string(*text), "risk_model_ewp2025_history5.json");
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  // EWP's 39 predictors unchanged, then the two five-year maxima.
  ASSERT_EQ(spec->predictors.size(), DefaultModelSpec().predictors.size() + 2);
  EXPECT_TRUE(std::equal(DefaultModelSpec().predictors.begin(), DefaultModelSpec().predictors.end(),
                         spec->predictors.begin()));
  EXPECT_EQ(spec->predictors.back(), "battledeaths.log2.max5y");
  EXPECT_EQ(spec->outcome, DefaultModelSpec().outcome);
}

TEST(DesignTest, ChangesMustNamePredictorsOfTheSpec) {
  auto bad = ParseModelSpec(
      R"({"name":"s","outcome":"o","onset":"x","predictors":["a"],"changes":["b"]})", "s.json");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("'b'"), std::string::npos);
  EXPECT_NE(bad.status().message().find("s.json"), std::string::npos);
  auto missing = LoadModelSpec("/nonexistent/spec.json");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("/nonexistent/spec.json"), std::string::npos);
}

}  // namespace
}  // namespace vigil::risk
