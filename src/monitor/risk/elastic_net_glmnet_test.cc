// Acceptance test: vigil's elastic net against R's glmnet / cv.glmnet on the
// Early Warning Project panel, and against EWP's published coefficients.
//
// Needs Rscript with glmnet, the panel under VIGIL_SHARED_DATA and EWP's
// protocol script under VIGIL_SHARED_ANCHORS; skips with a message when any
// is missing. Both sides fit the same rows: the test writes the design
// matrix it built to a temporary CSV (17 significant digits) that the R
// script reads back.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "data/csv.h"
#include "monitor/risk/elastic_net.h"
#include "monitor/risk/r_rng.h"

namespace vigil::risk {
namespace {

namespace fs = std::filesystem;

const std::string kPanel = std::string(VIGIL_SHARED_DATA) + "/ewp-2025/prepared2024predictors-2025-09-03.csv";
const std::string kCoefficients = std::string(VIGIL_SHARED_DATA) + "/ewp-2025/coefficients_3Sep2025.csv";
const std::string kAnchor = std::string(VIGIL_SHARED_ANCHORS) + "/ewp_foos.R";
const char* const kOutcomes[] = {"mk_onset", "mk_onset_1", "mk_onset_2", "mk_onset_1or2"};

std::string ReadText(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The predictor list of EWP's protocol script: pred <- c("a", "b", ...).
std::vector<std::string> AnchorPredictors() {
  const std::string text = ReadText(kAnchor);
  std::smatch m;
  if (!std::regex_search(text, m, std::regex(R"(pred\s*<-\s*c\(([^)]*)\))"))) return {};
  std::vector<std::string> out;
  const std::string list = m[1].str();
  const std::regex item("\"([^\"]+)\"");
  for (auto it = std::sregex_iterator(list.begin(), list.end(), item); it != std::sregex_iterator(); ++it) {
    out.push_back((*it)[1].str());
  }
  return out;
}

// Complete cases (predictors and the four outcome columns) of the panel.
struct Panel {
  Eigen::MatrixXd x;
  Eigen::VectorXd y;
  std::vector<int> year;
};

Panel LoadPanel(const std::vector<std::string>& predictors, int last_year) {
  Panel out;
  auto reader = data::CsvReader::Open(kPanel);
  if (!reader.ok()) return out;
  data::CsvRecord rec;
  auto has = (*reader)->Next(&rec);
  if (!has.ok() || !*has) return out;
  std::map<std::string, std::size_t> col;
  for (std::size_t i = 0; i < rec.fields.size(); ++i) col[rec.fields[i]] = i;
  std::vector<std::size_t> pcol, ocol;
  for (const auto& name : predictors) pcol.push_back(col.at(name));
  for (const char* name : kOutcomes) ocol.push_back(col.at(name));
  const std::size_t ycol = col.at("mk_onset_1or2"), yearcol = col.at("year");
  std::vector<std::vector<double>> rows;
  std::vector<double> ys;
  for (;;) {
    has = (*reader)->Next(&rec);
    if (!has.ok() || !*has) break;
    const int year = std::stoi(rec.fields[yearcol]);
    if (year > last_year) continue;
    bool complete = true;
    for (std::size_t c : pcol) complete = complete && !rec.fields[c].empty() && rec.fields[c] != "NA";
    for (std::size_t c : ocol) complete = complete && !rec.fields[c].empty() && rec.fields[c] != "NA";
    if (!complete) continue;
    std::vector<double> r;
    for (std::size_t c : pcol) r.push_back(std::strtod(rec.fields[c].c_str(), nullptr));
    rows.push_back(std::move(r));
    ys.push_back(std::strtod(rec.fields[ycol].c_str(), nullptr));
    out.year.push_back(year);
  }
  out.x.resize(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(predictors.size()));
  out.y.resize(static_cast<Eigen::Index>(rows.size()));
  for (std::size_t i = 0; i < rows.size(); ++i) {
    for (std::size_t j = 0; j < predictors.size(); ++j) {
      out.x(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = rows[i][j];
    }
    out.y(static_cast<Eigen::Index>(i)) = ys[i];
  }
  return out;
}

bool HaveRGlmnet() {
  return std::system("Rscript -e 'suppressMessages(library(glmnet))' >/dev/null 2>&1") == 0;
}

// Reads a headerless numeric CSV written by R.
std::vector<std::vector<double>> ReadNumbers(const std::string& path) {
  std::vector<std::vector<double>> out;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    std::vector<double> row;
    std::stringstream ss(line);
    for (std::string f; std::getline(ss, f, ',');) row.push_back(std::strtod(f.c_str(), nullptr));
    if (!row.empty()) out.push_back(std::move(row));
  }
  return out;
}

double Correlation(const Eigen::VectorXd& a, const Eigen::VectorXd& b) {
  const Eigen::ArrayXd ca = a.array() - a.mean(), cb = b.array() - b.mean();
  return (ca * cb).sum() / std::sqrt(ca.square().sum() * cb.square().sum());
}

class ElasticNetGlmnetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(kPanel)) GTEST_SKIP() << "EWP panel not found at " << kPanel << " (shared data absent)";
    if (!fs::exists(kAnchor)) GTEST_SKIP() << "EWP protocol script not found at " << kAnchor;
    predictors_ = AnchorPredictors();
    ASSERT_EQ(predictors_.size(), 39u) << "could not read the predictor list of " << kAnchor;
    panel_ = LoadPanel(predictors_, 2022);
    ASSERT_GT(panel_.x.rows(), 8000) << "could not read " << kPanel;
  }

  std::vector<std::string> predictors_;
  Panel panel_;
};

// Runs the R side once for all comparisons and keeps its outputs.
struct RRun {
  bool ok = false;
  std::string dir;
  std::vector<std::vector<double>> path, fixed, cv, cvfold, noise, weighted;
  std::vector<double> fixed_lambda = {0.02, 0.005, 0.0025, 0.001};
};

RRun RunR(const Panel& panel, const Eigen::MatrixXd& noise_x, const Eigen::VectorXd& noise_y) {
  RRun run;
  run.dir = (fs::temp_directory_path() / ("vigil_glmnet_" + std::to_string(::getpid()))).string();
  fs::create_directories(run.dir);
  auto write = [](const std::string& path, const Eigen::MatrixXd& x, const Eigen::VectorXd& y) {
    FILE* f = std::fopen(path.c_str(), "w");
    std::fprintf(f, "y");
    for (Eigen::Index j = 0; j < x.cols(); ++j) std::fprintf(f, ",x%ld", static_cast<long>(j + 1));
    std::fprintf(f, "\n");
    for (Eigen::Index i = 0; i < x.rows(); ++i) {
      std::fprintf(f, "%.17g", y(i));
      for (Eigen::Index j = 0; j < x.cols(); ++j) std::fprintf(f, ",%.17g", x(i, j));
      std::fprintf(f, "\n");
    }
    std::fclose(f);
  };
  write(run.dir + "/panel.csv", panel.x, panel.y);
  write(run.dir + "/noise.csv", noise_x, noise_y);
  std::string lambdas;
  for (double l : run.fixed_lambda) lambdas += (lambdas.empty() ? "" : ",") + std::to_string(l);
  const std::string script = R"(
suppressMessages(library(glmnet))
dir <- commandArgs(trailingOnly = TRUE)[1]
out <- function(m, name) write.table(format(m, digits = 17), file.path(dir, name), sep = ",",
                                     row.names = FALSE, col.names = FALSE, quote = FALSE)
d <- as.matrix(read.csv(file.path(dir, "panel.csv"))); y <- d[, 1]; x <- d[, -1]
f <- glmnet(x, y, family = "binomial", alpha = 0.5)
out(cbind(f$lambda, f$dev.ratio, f$a0, t(as.matrix(f$beta)), f$npasses), "path.csv")
g <- glmnet(x, y, family = "binomial", alpha = 0.5, lambda = c()" + lambdas + R"())
out(cbind(g$lambda, g$dev.ratio, g$a0, t(as.matrix(g$beta))), "fixed.csv")
set.seed(90035)
cv <- cv.glmnet(x, y, family = "binomial", alpha = 0.5, keep = TRUE)
out(cbind(cv$lambda, cv$cvm, cv$cvsd, cv$lambda == cv$lambda.min, cv$lambda == cv$lambda.1se), "cv.csv")
out(matrix(cv$foldid, ncol = 1), "cvfold.csv")
w <- 1 + (seq_len(nrow(x)) %% 3)
h <- glmnet(x, y, family = "binomial", alpha = 0.5, weights = w, lambda = c()" + lambdas + R"())
out(cbind(h$lambda, h$dev.ratio, h$a0, t(as.matrix(h$beta))), "weighted.csv")
e <- as.matrix(read.csv(file.path(dir, "noise.csv")))
k <- glmnet(e[, -1], e[, 1], family = "binomial", alpha = 0.5)
out(cbind(k$lambda, k$dev.ratio, k$a0, t(as.matrix(k$beta))), "noise_path.csv")
)";
  std::ofstream(run.dir + "/run.R") << script;
  const std::string cmd = "Rscript " + run.dir + "/run.R " + run.dir + " > " + run.dir + "/r.log 2>&1";
  if (std::system(cmd.c_str()) != 0) return run;
  run.path = ReadNumbers(run.dir + "/path.csv");
  run.fixed = ReadNumbers(run.dir + "/fixed.csv");
  run.cv = ReadNumbers(run.dir + "/cv.csv");
  run.cvfold = ReadNumbers(run.dir + "/cvfold.csv");
  run.weighted = ReadNumbers(run.dir + "/weighted.csv");
  run.noise = ReadNumbers(run.dir + "/noise_path.csv");
  run.ok = !run.path.empty() && !run.fixed.empty() && !run.cv.empty() && !run.noise.empty();
  return run;
}

struct PathDiff {
  double lambda_rel = 0, coef = 0, intercept = 0, dev = 0, min_corr = 1;
};

// Compares a vigil path with R's rows (lambda, dev.ratio, a0, beta...).
PathDiff Compare(const ElasticNetPath& path, const std::vector<std::vector<double>>& r, const Eigen::MatrixXd& x) {
  PathDiff d;
  for (std::size_t k = 0; k < r.size() && k < static_cast<std::size_t>(path.size()); ++k) {
    const auto kk = static_cast<int>(k);
    d.lambda_rel = std::max(d.lambda_rel, std::abs(path.lambda[k] - r[k][0]) / r[k][0]);
    d.dev = std::max(d.dev, std::abs(path.dev_ratio[k] - r[k][1]));
    d.intercept = std::max(d.intercept, std::abs(path.a0(kk) - r[k][2]));
    Eigen::VectorXd rb(x.cols());
    for (Eigen::Index j = 0; j < x.cols(); ++j) {
      rb(j) = r[k][3 + static_cast<std::size_t>(j)];
      d.coef = std::max(d.coef, std::abs(path.beta(j, kk) - rb(j)));
    }
    if (k > 0) {
      const Eigen::VectorXd ours = path.PredictLink(x, kk);
      const Eigen::VectorXd theirs = (x * rb).array() + r[k][2];
      d.min_corr = std::min(d.min_corr, Correlation(ours, theirs));
    }
  }
  return d;
}

TEST_F(ElasticNetGlmnetTest, MatchesGlmnetAndCvGlmnetOnTheEwpPanel) {
  if (!HaveRGlmnet()) GTEST_SKIP() << "Rscript with the glmnet package is not available";
  const Eigen::Index n = panel_.x.rows();
  // A small pure-noise set: its computed path ends early (deviance rule).
  Eigen::MatrixXd nx = panel_.x.topRows(600);
  Eigen::VectorXd ny(600);
  RRng rng(7);
  for (Eigen::Index i = 0; i < 600; ++i) ny(i) = rng.UnifRand() < 0.2 ? 1.0 : 0.0;
  const RRun r = RunR(panel_, nx, ny);
  ASSERT_TRUE(r.ok) << "the R script failed; see " << r.dir << "/r.log";

  // Full path with the computed lambda sequence.
  ElasticNetOptions o;
  auto path = FitElasticNetPath(panel_.x, panel_.y, o);
  ASSERT_TRUE(path.ok()) << path.status().ToString();
  ASSERT_EQ(static_cast<std::size_t>(path->size()), r.path.size()) << "path length (early stop) differs";
  const PathDiff pd = Compare(*path, r.path, panel_.x);
  std::printf("[glmnet] path: %d lambdas, max |dlambda|/lambda %.2g, max |dbeta| %.2g, max |da0| %.2g, "
              "max |ddev.ratio| %.2g, min corr(link) %.12f, passes vigil %d R %g\n",
              path->size(), pd.lambda_rel, pd.coef, pd.intercept, pd.dev, pd.min_corr, path->passes,
              r.path[0].back());
  EXPECT_LT(pd.lambda_rel, 1e-10);
  EXPECT_LT(pd.coef, 1e-3);
  EXPECT_LT(pd.intercept, 1e-3);
  EXPECT_LT(pd.dev, 1e-6);
  EXPECT_GE(pd.min_corr, 0.999);

  // Without curvature reuse the solver replays glmnet's steps: the same
  // passes, and agreement to the rounding of single-precision curvatures.
  ElasticNetOptions exact = o;
  exact.curvature_reuse = 0;
  auto epath = FitElasticNetPath(panel_.x, panel_.y, exact);
  ASSERT_TRUE(epath.ok());
  const PathDiff ed = Compare(*epath, r.path, panel_.x);
  std::printf("[glmnet] path, exact steps: max |dbeta| %.2g, max |da0| %.2g, passes vigil %d R %g\n", ed.coef,
              ed.intercept, epath->passes, r.path[0].back());
  EXPECT_EQ(epath->passes, static_cast<int>(r.path[0].back()));
  EXPECT_LT(ed.coef, 1e-6);
  EXPECT_LT(ed.intercept, 1e-4);

  // User lambdas.
  ElasticNetOptions fixed = o;
  fixed.lambda = r.fixed_lambda;
  auto fpath = FitElasticNetPath(panel_.x, panel_.y, fixed);
  ASSERT_TRUE(fpath.ok());
  ASSERT_EQ(r.fixed.size(), r.fixed_lambda.size());
  const PathDiff fd = Compare(*fpath, r.fixed, panel_.x);
  std::printf("[glmnet] user lambdas: max |dbeta| %.2g, max |da0| %.2g, min corr %.12f\n", fd.coef, fd.intercept,
              fd.min_corr);
  EXPECT_LT(fd.lambda_rel, 1e-15);
  EXPECT_LT(fd.coef, 1e-3);
  EXPECT_LT(fd.intercept, 1e-3);
  EXPECT_GE(fd.min_corr, 0.999);

  // Observation weights.
  Eigen::VectorXd w(n);
  for (Eigen::Index i = 0; i < n; ++i) w(i) = 1 + static_cast<double>((i + 1) % 3);
  auto wpath = FitElasticNetPath(panel_.x, panel_.y, fixed, &w);
  ASSERT_TRUE(wpath.ok());
  const PathDiff wd = Compare(*wpath, r.weighted, panel_.x);
  std::printf("[glmnet] weighted: max |dbeta| %.2g, max |da0| %.2g\n", wd.coef, wd.intercept);
  EXPECT_LT(wd.coef, 1e-3);
  EXPECT_LT(wd.intercept, 1e-3);

  // Early stop on noise.
  auto npath = FitElasticNetPath(nx, ny, o);
  ASSERT_TRUE(npath.ok());
  EXPECT_EQ(static_cast<std::size_t>(npath->size()), r.noise.size());
  const PathDiff nd = Compare(*npath, r.noise, nx);
  EXPECT_LT(nd.coef, 1e-3);

  // cv.glmnet after set.seed(90035): the same folds, errors and choices.
  std::vector<int> rfold;
  for (const auto& row : r.cvfold) rfold.push_back(static_cast<int>(row[0]));
  EXPECT_EQ(RFoldIds(static_cast<int>(n), 10, 90035), rfold);
  CvOptions cvo;
  cvo.seed = 90035;
  cvo.threads = 2;
  auto cv = CrossValidateElasticNet(panel_.x, panel_.y, o, cvo);
  ASSERT_TRUE(cv.ok()) << cv.status().ToString();
  ASSERT_EQ(cv->cvm.size(), r.cv.size());
  double cvm_rel = 0, cvsd_rel = 0;
  int rmin = -1, r1se = -1;
  for (std::size_t k = 0; k < r.cv.size(); ++k) {
    cvm_rel = std::max(cvm_rel, std::abs(cv->cvm[k] - r.cv[k][1]) / r.cv[k][1]);
    cvsd_rel = std::max(cvsd_rel, std::abs(cv->cvsd[k] - r.cv[k][2]) / r.cv[k][2]);
    if (r.cv[k][3] == 1) rmin = static_cast<int>(k);
    if (r.cv[k][4] == 1) r1se = static_cast<int>(k);
  }
  std::printf("[glmnet] cv: lambda.min index %d (R %d), lambda.1se index %d (R %d), max rel diff cvm %.2g cvsd %.2g\n",
              cv->index_min + 1, rmin + 1, cv->index_1se + 1, r1se + 1, cvm_rel, cvsd_rel);
  EXPECT_EQ(cv->index_min, rmin);
  EXPECT_EQ(cv->index_1se, r1se);
  EXPECT_NEAR(cv->lambda_min / r.cv[static_cast<std::size_t>(rmin)][0], 1.0, 1e-10);
  EXPECT_LT(cvm_rel, 1e-6);
  EXPECT_LT(cvsd_rel, 1e-5);
  fs::remove_all(r.dir);
}

// EWP's published model: trained on years <= 2022, lambda.min, seed 90035;
// coefficients rounded to 4 decimals in coefficients_3Sep2025.csv.
TEST_F(ElasticNetGlmnetTest, ReproducesEwpPublishedCoefficients) {
  if (!fs::exists(kCoefficients)) GTEST_SKIP() << "EWP coefficients not found at " << kCoefficients;
  Dataset train;
  train.x = panel_.x;
  train.y = panel_.y;
  train.features = predictors_;
  ElasticNetModel model;
  FitOptions fo;
  fo.seed = 90035;
  fo.threads = 2;
  ASSERT_TRUE(model.Fit(train, fo).ok());
  std::map<std::string, double> published;
  auto reader = data::CsvReader::Open(kCoefficients);
  ASSERT_TRUE(reader.ok());
  data::CsvRecord rec;
  for (bool first = true;; first = false) {
    auto has = (*reader)->Next(&rec);
    ASSERT_TRUE(has.ok());
    if (!*has) break;
    if (first) continue;  // header: "", variable, coef.full, or.full
    published[rec.fields[1]] = std::strtod(rec.fields[2].c_str(), nullptr);
  }
  ASSERT_EQ(published.size(), 40u);
  double max_diff = std::abs(model.intercept() - published.at("(Intercept)"));
  int zero_agree = 0, zeros = 0;
  for (std::size_t j = 0; j < predictors_.size(); ++j) {
    const double ours = model.coefficients()(static_cast<Eigen::Index>(j));
    const double theirs = published.at(predictors_[j]);
    max_diff = std::max(max_diff, std::abs(ours - theirs));
    if (theirs == 0) {
      ++zeros;
      zero_agree += std::abs(ours) < 5e-5;
    }
  }
  std::printf("[ewp] lambda.min %.10g (index %d): max |vigil - published| over 40 coefficients %.2g "
              "(published to 4 decimals); %d of %d published zeros are < 5e-5 here\n",
              model.Describe()["lambda"].get<double>(), model.Describe()["lambda_index"].get<int>(), max_diff,
              zero_agree, zeros);
  // Rounding to 4 decimals leaves up to 5e-5; allow a little beyond that.
  EXPECT_LT(max_diff, 1e-4);
  EXPECT_EQ(zero_agree, zeros);
}

// Speed, printed only (speed goals are checked by bench/, never here): one
// cross-validated fit on the full panel, and the 31 cross-validated fits of
// EWP's FOOS backtest (last training years 1991..2021) at 1 and 2 threads.
TEST_F(ElasticNetGlmnetTest, PrintsTimings) {
  using Clock = std::chrono::steady_clock;
  CvOptions cvo;
  cvo.seed = 90035;
  auto t0 = Clock::now();
  auto cv = CrossValidateElasticNet(panel_.x, panel_.y, ElasticNetOptions{}, cvo);
  const double one = std::chrono::duration<double>(Clock::now() - t0).count();
  ASSERT_TRUE(cv.ok());
  std::printf("[timing] one cv fit, %ld rows x %ld predictors, 10 folds, 1 thread: %.3f s\n",
              static_cast<long>(panel_.x.rows()), static_cast<long>(panel_.x.cols()), one);
  for (int threads : {1, 2}) {
    cvo.threads = threads;
    t0 = Clock::now();
    long rows = 0;
    for (int last = 1991; last <= 2021; ++last) {
      std::vector<Eigen::Index> keep;
      for (Eigen::Index i = 0; i < panel_.x.rows(); ++i) {
        if (panel_.year[static_cast<std::size_t>(i)] <= last) keep.push_back(i);
      }
      Eigen::MatrixXd x(static_cast<Eigen::Index>(keep.size()), panel_.x.cols());
      Eigen::VectorXd y(static_cast<Eigen::Index>(keep.size()));
      for (std::size_t r = 0; r < keep.size(); ++r) {
        x.row(static_cast<Eigen::Index>(r)) = panel_.x.row(keep[r]);
        y(static_cast<Eigen::Index>(r)) = panel_.y(keep[r]);
      }
      rows += x.rows();
      auto fit = CrossValidateElasticNet(x, y, ElasticNetOptions{}, cvo);
      ASSERT_TRUE(fit.ok()) << last << ": " << fit.status().ToString();
    }
    const double secs = std::chrono::duration<double>(Clock::now() - t0).count();
    std::printf("[timing] 31 FOOS cv fits (mean %ld rows), %d thread(s): %.3f s\n", rows / 31, threads, secs);
  }
}

}  // namespace
}  // namespace vigil::risk
