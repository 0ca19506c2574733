#include "monitor/risk/boost.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <thread>
#include <utility>
#include <vector>

#include "data/csv.h"
#include "monitor/risk/backtest.h"
#include "monitor/risk/design.h"
#include "monitor/risk/metrics.h"

namespace vigil::risk {
namespace {

double Sigmoid(double t) { return 1.0 / (1.0 + std::exp(-t)); }

// n rows, p uniform(-1, 1) features; the log-odds are -1.5 + 2.5 * s with
// s = +1 when x0 and x1 have the same sign and -1 otherwise: a pure
// interaction with no marginal effect of either feature. Years run from 1960
// in blocks of n / 40 rows. With `noise`, y ignores x (same base rate).
Dataset MakeXor(int n, int p, unsigned seed, bool noise = false) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(-1, 1);
  std::uniform_real_distribution<double> unit(0, 1);
  Dataset d;
  d.x.resize(n, p);
  d.y.resize(n);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < p; ++j) d.x(i, j) = u(rng);
    const double s = d.x(i, 0) * d.x(i, 1) > 0 ? 1.0 : -1.0;
    const double logit = noise ? -1.5 : -1.5 + 2.5 * s;
    d.y(i) = unit(rng) < Sigmoid(logit) ? 1.0 : 0.0;
    d.year.push_back(1960 + i / std::max(1, n / 40));
    d.country.push_back(i % 40);
  }
  for (int j = 0; j < p; ++j) d.features.push_back("x" + std::to_string(j));
  return d;
}

double AucOf(const Eigen::VectorXd& score, const Eigen::VectorXd& y) {
  std::vector<double> s(score.data(), score.data() + score.size());
  std::vector<int> l;
  for (Eigen::Index i = 0; i < y.size(); ++i) l.push_back(y(i) == 1.0);
  return Auc(s, l);
}

BoostParams Small() {
  BoostParams p;
  p.max_depth = 3;
  p.eta = 0.1;
  p.n_rounds = 100;
  return p;
}

TEST(BoostTest, LearnsAnInteractionThatStumpsCannot) {
  Dataset train = MakeXor(4000, 5, 1), test = MakeXor(4000, 5, 2);
  BoostModel model(Small());
  ASSERT_TRUE(model.Fit(train, {}).ok());
  const double auc = AucOf(model.Predict(test.x), test.y);
  // A constant predictor has AUC 0.5; the Bayes rule here about 0.80.
  EXPECT_GT(auc, 0.75) << auc;

  // Depth-1 trees are additive in the features, and neither feature has a
  // marginal effect: they should stay near 0.5. This shows the test above
  // measures the interaction, not something easier.
  BoostParams stumps = Small();
  stumps.max_depth = 1;
  BoostModel additive(stumps);
  ASSERT_TRUE(additive.Fit(train, {}).ok());
  const double auc1 = AucOf(additive.Predict(test.x), test.y);
  EXPECT_LT(auc1, 0.6) << auc1;
  EXPECT_EQ(model.Describe()["n_rounds"], 100);
}

TEST(BoostTest, ProbabilitiesAreNearTheBaseRateWithoutSignal) {
  Dataset train = MakeXor(3000, 4, 3, /*noise=*/true);
  BoostParams p = Small();
  p.n_rounds = 20;
  BoostModel model(p);
  ASSERT_TRUE(model.Fit(train, {}).ok());
  const double prevalence = train.y.mean();
  EXPECT_NEAR(model.Describe()["base_score"].get<double>(), prevalence, 1e-12);
  Eigen::VectorXd pr = model.Predict(train.x);
  EXPECT_NEAR(pr.mean(), prevalence, 0.02);
  EXPECT_GT(pr.minCoeff(), 0.0);
  EXPECT_LT(pr.maxCoeff(), 1.0);
}

TEST(BoostTest, SameSeedSamePredictionsOtherSeedDiffers) {
  Dataset train = MakeXor(2000, 5, 4), test = MakeXor(500, 5, 5);
  BoostParams p = Small();  // subsample and colsample 0.8
  FitOptions a, b;
  a.seed = 11;
  b.seed = 12;
  BoostModel m1(p), m2(p), m3(p);
  ASSERT_TRUE(m1.Fit(train, a).ok());
  ASSERT_TRUE(m2.Fit(train, a).ok());
  ASSERT_TRUE(m3.Fit(train, b).ok());
  const Eigen::VectorXd p1 = m1.Predict(test.x), p2 = m2.Predict(test.x), p3 = m3.Predict(test.x);
  EXPECT_EQ(p1, p2);
  EXPECT_GT((p1 - p3).cwiseAbs().maxCoeff(), 1e-4);

  // Without sampling the seed has no effect.
  p.subsample = 1;
  p.colsample_bytree = 1;
  BoostModel m4(p), m5(p);
  ASSERT_TRUE(m4.Fit(train, a).ok());
  ASSERT_TRUE(m5.Fit(train, b).ok());
  EXPECT_EQ(m4.Predict(test.x), m5.Predict(test.x));
}

TEST(BoostTest, DeterministicWithTwoThreads) {
  Dataset train = MakeXor(2000, 5, 6), test = MakeXor(500, 5, 7);
  FitOptions o;
  o.threads = 2;
  BoostModel m1(Small()), m2(Small());
  ASSERT_TRUE(m1.Fit(train, o).ok());
  ASSERT_TRUE(m2.Fit(train, o).ok());
  EXPECT_EQ(m1.Predict(test.x), m2.Predict(test.x));
}

TEST(BoostTest, ShapRowsSumToTheMargin) {
  Dataset train = MakeXor(2000, 6, 8), test = MakeXor(300, 6, 9);
  BoostModel model(Small());
  ASSERT_TRUE(model.Fit(train, {}).ok());
  auto shap = model.ShapValues(test.x);
  auto margin = model.PredictMargin(test.x);
  ASSERT_TRUE(shap.ok()) << shap.status().ToString();
  ASSERT_TRUE(margin.ok()) << margin.status().ToString();
  ASSERT_EQ(shap->rows(), 300);
  ASSERT_EQ(shap->cols(), 7);  // 6 features + bias
  const Eigen::VectorXd sums = shap->rowwise().sum();
  EXPECT_LT((sums - *margin).cwiseAbs().maxCoeff(), 1e-4);

  const Eigen::MatrixXd contrib = model.Contributions(test.x);
  ASSERT_EQ(contrib.cols(), 6);
  EXPECT_EQ(contrib, shap->leftCols(6));
  // The two interacting features carry the signal; the noise features little.
  const Eigen::RowVectorXd mean_abs = contrib.cwiseAbs().colwise().mean();
  EXPECT_GT(std::min(mean_abs(0), mean_abs(1)), 3 * mean_abs.tail(4).maxCoeff()) << mean_abs;

  const Eigen::VectorXd prob = model.Predict(test.x);
  for (Eigen::Index i = 0; i < prob.size(); ++i) EXPECT_NEAR(prob(i), Sigmoid((*margin)(i)), 1e-6);
}

TEST(BoostTest, SerializeRoundTripGivesIdenticalPredictions) {
  Dataset train = MakeXor(2000, 5, 10), test = MakeXor(500, 5, 11);
  BoostModel model(Small());
  ASSERT_TRUE(model.Fit(train, {}).ok());
  auto text = model.Serialize();
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  auto back = BoostModel::Deserialize(*text);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ((*back)->Predict(test.x), model.Predict(test.x));
  EXPECT_EQ((*back)->Contributions(test.x), model.Contributions(test.x));
  EXPECT_EQ((*back)->Describe(), model.Describe());
  EXPECT_EQ((*back)->params().ToJson(), model.params().ToJson());
  // And again: a reloaded model serializes to the same document.
  auto text2 = (*back)->Serialize();
  ASSERT_TRUE(text2.ok());
  EXPECT_EQ(*text2, *text);
}

TEST(BoostTest, DeserializeRejectsCorruptDocuments) {
  EXPECT_EQ(BoostModel::Deserialize("").status().code(), Status::Code::kCorruption);
  EXPECT_EQ(BoostModel::Deserialize("{\"format\": \"other\"}").status().code(), Status::Code::kCorruption);
  Dataset train = MakeXor(500, 3, 12);
  BoostParams p = Small();
  p.n_rounds = 5;
  BoostModel model(p);
  ASSERT_TRUE(model.Fit(train, {}).ok());
  nlohmann::json doc = nlohmann::json::parse(*model.Serialize());
  doc["xgboost_model"] = "{not json";
  auto r = BoostModel::Deserialize(doc.dump());
  EXPECT_EQ(r.status().code(), Status::Code::kCorruption) << r.status().ToString();
  doc = nlohmann::json::parse(*model.Serialize());
  doc["n_features"] = 4;
  r = BoostModel::Deserialize(doc.dump());
  EXPECT_EQ(r.status().code(), Status::Code::kCorruption) << r.status().ToString();
  BoostModel unfitted;
  EXPECT_EQ(unfitted.Serialize().status().code(), Status::Code::kFailedPrecondition);
}

TEST(BoostTest, DeserializeRefusesFieldsOfTheWrongTypeWithoutUndefinedBehaviour) {
  Dataset train = MakeXor(300, 3, 14);
  BoostParams p = Small();
  p.n_rounds = 3;
  BoostModel model(p);
  ASSERT_TRUE(model.Fit(train, {}).ok());
  const nlohmann::json good = nlohmann::json::parse(*model.Serialize());
  ASSERT_TRUE(BoostModel::Deserialize(good.dump()).ok());
  // Each edit would have been a float -> int conversion (undefined) or an
  // exception; each is a Corruption naming the field.
  const std::vector<std::pair<std::string, nlohmann::json>> edits = {
      {"/n_features", 1e25},         {"/fit/n_rounds", 3.5},          {"/fit/train_rows", -1},
      {"/fit/train_positives", "7"}, {"/fit/base_score", "x"},        {"/features", nlohmann::json::array({1, 2})},
      {"/version", 1.0},             {"/params/max_depth", 1e300},    {"/params/eta", "fast"},
      {"/tuning/rounds", nlohmann::json::array({2.5})},     {"/tuning/folds", 4294967299.0}, {"/tuning/enabled", 1},
      {"/tuning", 3},
  };
  for (const auto& [pointer, value] : edits) {
    nlohmann::json doc = good;
    doc[nlohmann::json::json_pointer(pointer)] = value;
    auto r = BoostModel::Deserialize(doc.dump());
    ASSERT_FALSE(r.ok()) << pointer;
    EXPECT_EQ(r.status().code(), Status::Code::kCorruption) << pointer << ": " << r.status().ToString();
  }
  nlohmann::json doc = good;
  doc["fit"].erase("train_rows");
  auto r = BoostModel::Deserialize(doc.dump());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "boost model: field 'train_rows' is missing");
}

TEST(BoostTest, BadInputIsAnErrorNotACrash) {
  BoostModel model(Small());
  Dataset empty;
  EXPECT_EQ(model.Fit(empty, {}).code(), Status::Code::kInvalidArgument);

  Dataset d = MakeXor(200, 3, 13);
  Dataset short_y = d;
  short_y.y.conservativeResize(199);
  EXPECT_EQ(model.Fit(short_y, {}).code(), Status::Code::kInvalidArgument);

  Dataset bad_label = d;
  bad_label.y(5) = 2;
  Status st = model.Fit(bad_label, {});
  EXPECT_EQ(st.code(), Status::Code::kInvalidArgument);
  EXPECT_NE(st.message().find("not 0 or 1"), std::string::npos) << st.message();

  Dataset one_class = d;
  one_class.y.setZero();
  EXPECT_EQ(model.Fit(one_class, {}).code(), Status::Code::kInvalidArgument);

  Dataset nan_x = d;
  nan_x.x(3, 1) = std::nan("");
  EXPECT_EQ(model.Fit(nan_x, {}).code(), Status::Code::kInvalidArgument);

  Dataset bad_names = d;
  bad_names.features.pop_back();
  EXPECT_EQ(model.Fit(bad_names, {}).code(), Status::Code::kInvalidArgument);

  BoostParams bad = Small();
  bad.eta = 0;
  EXPECT_EQ(BoostModel(bad).Fit(d, {}).code(), Status::Code::kInvalidArgument);
  bad = Small();
  bad.tree_method = "gpu_hist";
  EXPECT_EQ(BoostModel(bad).Fit(d, {}).code(), Status::Code::kInvalidArgument);

  BoostTuning tune;
  tune.enabled = true;
  Dataset no_years = d;
  no_years.year.pop_back();
  EXPECT_EQ(BoostModel(Small(), tune).Fit(no_years, {}).code(), Status::Code::kInvalidArgument);
  tune.rounds = {0, 10};
  EXPECT_EQ(BoostModel(Small(), tune).Fit(d, {}).code(), Status::Code::kInvalidArgument);

  EXPECT_FALSE(model.fitted());
  EXPECT_EQ(model.PredictProbability(d.x).status().code(), Status::Code::kFailedPrecondition);
  ASSERT_TRUE(model.Fit(d, {}).ok());
  Eigen::MatrixXd wrong(2, 4);
  wrong.setZero();
  EXPECT_EQ(model.PredictProbability(wrong).status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(model.ShapValues(wrong).status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(model.Predict(Eigen::MatrixXd(0, 3)).size(), 0);

  // A failed refit leaves the model unfitted rather than half-updated.
  EXPECT_FALSE(model.Fit(one_class, {}).ok());
  EXPECT_FALSE(model.fitted());
}

TEST(BoostTest, CloneIsUnfittedWithTheSameParams) {
  BoostParams p = Small();
  p.max_depth = 2;
  p.lambda = 3;
  BoostTuning t;
  t.enabled = true;
  t.rounds = {10, 20};
  BoostModel model(p, t);
  Dataset d = MakeXor(2000, 3, 14);
  ASSERT_TRUE(model.Fit(d, {}).ok());
  auto clone = model.Clone();
  auto* bc = dynamic_cast<BoostModel*>(clone.get());
  ASSERT_NE(bc, nullptr);
  EXPECT_FALSE(bc->fitted());
  EXPECT_EQ(bc->name(), "boost");
  EXPECT_EQ(bc->params().ToJson(), p.ToJson());
  EXPECT_EQ(bc->tuning().ToJson(), t.ToJson());
  ASSERT_TRUE(clone->Fit(d, {}).ok());
  EXPECT_EQ(clone->Predict(d.x), model.Predict(d.x));
}

TEST(BoostTest, ConcurrentPredictionsAgree) {
  Dataset train = MakeXor(1000, 4, 15), test = MakeXor(2000, 4, 16);
  BoostModel model(Small());
  ASSERT_TRUE(model.Fit(train, {}).ok());
  const Eigen::VectorXd expected = model.Predict(test.x);
  std::vector<Eigen::VectorXd> got(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) threads.emplace_back([&, t] { got[t] = model.Predict(test.x); });
  for (auto& th : threads) th.join();
  for (const auto& g : got) EXPECT_EQ(g, expected);
}

TEST(BoostTuningTest, PicksFewRoundsOnNoiseAndMoreOnSignal) {
  BoostParams p = Small();
  p.eta = 0.1;
  BoostTuning t;
  t.enabled = true;
  t.rounds = {5, 50, 400};
  t.folds = 3;
  t.block_years = 4;

  BoostModel noise_model(p, t);
  ASSERT_TRUE(noise_model.Fit(MakeXor(4000, 5, 17, /*noise=*/true), {}).ok());
  nlohmann::json rep = noise_model.Describe()["tuning"];
  ASSERT_EQ(rep["status"], "chosen") << rep.dump(1);
  EXPECT_EQ(noise_model.fitted_rounds(), 5) << rep.dump(1);

  BoostModel signal_model(p, t);
  ASSERT_TRUE(signal_model.Fit(MakeXor(4000, 5, 18), {}).ok());
  rep = signal_model.Describe()["tuning"];
  ASSERT_EQ(rep["status"], "chosen") << rep.dump(1);
  EXPECT_GE(signal_model.fitted_rounds(), 50) << rep.dump(1);
  EXPECT_EQ(signal_model.Describe()["n_rounds"], signal_model.fitted_rounds());
  EXPECT_EQ(rep["scores"].size(), 3u);
}

TEST(BoostTuningTest, FoldsRespectTimeAndTheGap) {
  BoostTuning t;
  t.enabled = true;
  t.rounds = {10, 30};
  t.depths = {1, 2};
  t.folds = 2;
  t.block_years = 3;
  t.gap_years = 2;
  Dataset d = MakeXor(4000, 4, 19);  // years 1960..1999
  BoostModel model(Small(), t);
  ASSERT_TRUE(model.Fit(d, {}).ok());
  nlohmann::json rep = model.Describe()["tuning"];
  ASSERT_EQ(rep["folds"].size(), 2u);
  // Fold 1 validates on 1997..1999 and trains on <= 1995; fold 2 on
  // 1994..1996 and <= 1992.
  EXPECT_EQ(rep["folds"][0]["validation_years"], nlohmann::json({1997, 1999}));
  EXPECT_EQ(rep["folds"][0]["train_last_year"], 1995);
  EXPECT_EQ(rep["folds"][1]["validation_years"], nlohmann::json({1994, 1996}));
  EXPECT_EQ(rep["folds"][1]["train_last_year"], 1992);
  EXPECT_EQ(rep["scores"].size(), 4u);
  // XOR needs depth 2.
  EXPECT_EQ(model.fitted_depth(), 2) << rep.dump(1);
}

TEST(BoostTuningTest, ReportsProgressUpToTheFinalFit) {
  BoostTuning t;
  t.enabled = true;
  t.rounds = {5, 10};
  t.depths = {1, 2};
  t.folds = 2;
  BoostModel model(Small(), t);
  std::vector<std::pair<std::size_t, std::size_t>> seen;
  FitOptions o;
  o.progress = [&](std::size_t done, std::size_t total, std::string_view) { seen.push_back({done, total}); };
  ASSERT_TRUE(model.Fit(MakeXor(2000, 3, 21), o).ok());
  ASSERT_EQ(seen.size(), 5u);  // 2 depths x 2 folds + the final fit
  for (std::size_t i = 0; i < seen.size(); ++i) {
    EXPECT_EQ(seen[i].first, i + 1);
    EXPECT_EQ(seen[i].second, 5u);
  }
}

TEST(BoostTuningTest, SkipsWhenValidationHasTooFewOnsets) {
  Dataset d = MakeXor(2000, 3, 20);
  // Keep only one positive in the last 9 years.
  bool kept = false;
  for (std::size_t i = 0; i < d.rows(); ++i) {
    if (d.year[i] >= 1991 && d.y(static_cast<Eigen::Index>(i)) == 1.0) {
      if (kept) d.y(static_cast<Eigen::Index>(i)) = 0;
      kept = true;
    }
  }
  BoostTuning t;
  t.enabled = true;
  t.rounds = {10, 40};
  BoostParams p = Small();
  p.n_rounds = 25;
  BoostModel model(p, t);
  ASSERT_TRUE(model.Fit(d, {}).ok());
  EXPECT_EQ(model.Describe()["tuning"]["status"], "skipped");
  EXPECT_EQ(model.fitted_rounds(), 25);
}

// ---- Exploration on the real panel (not run by default) --------------------
//
// Run with:
//   vigil_risk_test --gtest_also_run_disabled_tests --gtest_filter='BoostExplore.*'
// VIGIL_BOOST_EXPLORE picks settings by index (e.g. "0,3"); default all.
// VIGIL_BOOST_EXPLORE_SEEDS runs each setting under several backtest seeds
// (e.g. "1,2,3"; default EWP's 90035) to show how much the seed alone moves
// the numbers.
// Prints AUC and recall@30 of the FOOS backtest per setting. These numbers
// are exploration: choosing a default from them would be look-ahead.

struct Setting {
  std::string label;
  BoostParams params;
  BoostTuning tuning;
};

std::vector<Setting> ExploreSettings() {
  std::vector<Setting> s;
  auto add = [&](int depth, double eta, int rounds) {
    BoostParams p;
    p.max_depth = depth;
    p.eta = eta;
    p.n_rounds = rounds;
    s.push_back({fmt::format("d{} eta{} r{}", depth, eta, rounds), p, {}});
  };
  add(2, 0.05, 300);   // 0
  add(3, 0.05, 300);   // 1
  add(4, 0.05, 300);   // 2
  add(3, 0.03, 600);   // 3
  add(3, 0.1, 100);    // 4
  add(2, 0.1, 600);    // 5
  add(4, 0.03, 100);   // 6
  add(3, 0.05, 100);   // 7
  {
    BoostParams p;
    p.max_depth = 3;
    p.eta = 0.05;
    BoostTuning t;
    t.enabled = true;
    t.rounds = {50, 100, 200, 300, 450, 600};
    s.push_back({"tuned rounds (d3 eta0.05, log loss)", p, t});  // 8
    t.depths = {2, 3, 4};
    s.push_back({"tuned rounds+depth (eta0.05, log loss)", p, t});  // 9
    t.depths = {};
    t.metric = BoostTuning::Metric::kAuc;
    s.push_back({"tuned rounds (d3 eta0.05, AUC)", p, t});  // 10
    t.metric = BoostTuning::Metric::kLogLoss;
    t.folds = 5;
    s.push_back({"tuned rounds (d3, log loss, 5x3 years)", p, t});  // 11
    t.folds = 8;
    t.block_years = 2;
    s.push_back({"tuned rounds (d3, log loss, 8x2 years)", p, t});  // 12
  }
  return s;
}

// A plain reader of the EWP panel (ids ewp_name, ccode, year; the four
// mk_onset* outcomes; every other column a predictor; "NA" or "" missing),
// kept here so that exploring does not depend on the validating importer.
Result<Panel> LoadEwpPanel(const std::string& path) {
  VIGIL_ASSIGN_OR_RETURN(auto reader, data::CsvReader::Open(path));
  data::CsvRecord rec;
  VIGIL_ASSIGN_OR_RETURN(bool got, reader->Next(&rec));
  if (!got) return Status::InvalidArgument(path + ": empty");
  const std::vector<std::string> header = rec.fields;
  const std::vector<std::string> outcomes = {"mk_onset", "mk_onset_1", "mk_onset_2", "mk_onset_1or2"};
  Panel p;
  p.dataset_name = "ewp-2025";
  p.outcome_names = outcomes;
  int name_col = -1, code_col = -1, year_col = -1;
  std::vector<int> pred_cols, out_cols(outcomes.size(), -1);
  for (std::size_t c = 0; c < header.size(); ++c) {
    const std::string& h = header[c];
    if (h == "ewp_name") {
      name_col = static_cast<int>(c);
    } else if (h == "ccode") {
      code_col = static_cast<int>(c);
    } else if (h == "year") {
      year_col = static_cast<int>(c);
    } else if (auto it = std::find(outcomes.begin(), outcomes.end(), h); it != outcomes.end()) {
      out_cols[static_cast<std::size_t>(it - outcomes.begin())] = static_cast<int>(c);
    } else {
      pred_cols.push_back(static_cast<int>(c));
      p.predictor_names.push_back(h);
    }
  }
  if (name_col < 0 || code_col < 0 || year_col < 0 ||
      std::find(out_cols.begin(), out_cols.end(), -1) != out_cols.end()) {
    return Status::InvalidArgument(path + ": missing id or outcome columns");
  }
  auto num = [](const std::string& s) {
    return s.empty() || s == "NA" ? kNA : std::strtod(s.c_str(), nullptr);
  };
  std::vector<std::vector<double>> pred(pred_cols.size()), out(out_cols.size());
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool more, reader->Next(&rec));
    if (!more) break;
    if (rec.fields.size() != header.size()) return Status::InvalidArgument(reader->Where(rec.line));
    p.country_name.push_back(rec.fields[static_cast<std::size_t>(name_col)]);
    p.country_code.push_back(std::atoi(rec.fields[static_cast<std::size_t>(code_col)].c_str()));
    p.year.push_back(std::atoi(rec.fields[static_cast<std::size_t>(year_col)].c_str()));
    for (std::size_t j = 0; j < pred_cols.size(); ++j) {
      pred[j].push_back(num(rec.fields[static_cast<std::size_t>(pred_cols[j])]));
    }
    for (std::size_t k = 0; k < out_cols.size(); ++k) {
      out[k].push_back(num(rec.fields[static_cast<std::size_t>(out_cols[k])]));
    }
  }
  for (auto& col : pred) p.predictors.insert(p.predictors.end(), col.begin(), col.end());
  for (auto& col : out) p.outcomes.insert(p.outcomes.end(), col.begin(), col.end());
  return p;
}

TEST(BoostExplore, DISABLED_FoosBacktest) {
  const std::string path =
      std::string(VIGIL_SHARED_DATA) + "/ewp-2025/prepared2024predictors-2025-09-03.csv";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "no shared data at " << path;
  auto panel = LoadEwpPanel(path);
  ASSERT_TRUE(panel.ok()) << panel.status().ToString();
  const ModelSpec& spec = DefaultModelSpec();
  std::vector<Setting> settings = ExploreSettings();
  std::vector<std::size_t> pick;
  if (const char* env = std::getenv("VIGIL_BOOST_EXPLORE")) {
    std::string s = env;
    for (std::size_t pos = 0; pos < s.size();) {
      std::size_t next = s.find(',', pos);
      if (next == std::string::npos) next = s.size();
      pick.push_back(std::stoul(s.substr(pos, next - pos)));
      pos = next + 1;
    }
  } else {
    for (std::size_t i = 0; i < settings.size(); ++i) pick.push_back(i);
  }
  BacktestOptions bo;
  bo.threads = 1;
  if (const char* env = std::getenv("VIGIL_BOOST_EXPLORE_THREADS")) bo.threads = std::atoi(env);
  std::vector<std::uint64_t> seeds = {bo.seed};
  if (const char* env = std::getenv("VIGIL_BOOST_EXPLORE_SEEDS")) {
    seeds.clear();
    std::string s = env;
    for (std::size_t pos = 0; pos < s.size();) {
      std::size_t next = s.find(',', pos);
      if (next == std::string::npos) next = s.size();
      seeds.push_back(std::stoull(s.substr(pos, next - pos)));
      pos = next + 1;
    }
  }
  for (std::size_t k : pick) {
    ASSERT_LT(k, settings.size());
    const Setting& st = settings[k];
    for (std::uint64_t seed : seeds) {
      bo.seed = seed;
      auto r = RunBacktest(*panel, spec, "boost",
                           [&] { return std::make_unique<BoostModel>(st.params, st.tuning); }, bo);
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      const auto& s = r->summary;
      std::string chosen;
      if (st.tuning.enabled) {
        for (const auto& sy : r->scored) {
          chosen += fmt::format("{}:{}/{} ", sy.train_year, sy.fit["max_depth"].get<int>(),
                                sy.fit["n_rounds"].get<int>());
        }
      }
      std::printf("%s\n", fmt::format("[{}] seed {:<6} {:<40} AUC {:.3f} recall@30 {:.3f} ({}/{}) "
                                      "recall@20 {:.3f} brier {:.4f} logloss {:.4f}  {:.1f} s {}",
                                      k, seed, st.label, s.auc, s.recall30, s.caught30,
                                      s.onsets_scored, s.recall20, s.brier, s.log_loss, s.seconds,
                                      chosen)
                             .c_str());
      std::fflush(stdout);
    }
  }
}

}  // namespace
}  // namespace vigil::risk
