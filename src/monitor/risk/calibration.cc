#include "monitor/risk/calibration.h"

#include <fmt/format.h>

#include <algorithm>
#include <cassert>
#include <cmath>
#include <numeric>

namespace vigil::risk {
namespace {

Status CheckPairs(const char* who, const Eigen::VectorXd& scores, const Eigen::VectorXd& labels,
                  bool probabilities) {
  if (scores.size() == 0) return Status::InvalidArgument(fmt::format("{}: no scores", who));
  if (scores.size() != labels.size()) {
    return Status::InvalidArgument(
        fmt::format("{}: {} scores but {} labels", who, scores.size(), labels.size()));
  }
  Eigen::Index pos = 0;
  for (Eigen::Index i = 0; i < scores.size(); ++i) {
    const double s = scores(i), y = labels(i);
    if (!std::isfinite(s)) return Status::InvalidArgument(fmt::format("{}: score {} is {}", who, i, s));
    if (probabilities && (s < 0 || s > 1)) {
      return Status::InvalidArgument(fmt::format("{}: score {} is {}, not a probability", who, i, s));
    }
    if (y != 0.0 && y != 1.0) {
      return Status::InvalidArgument(fmt::format("{}: label {} is {}, not 0 or 1", who, i, y));
    }
    pos += y == 1.0;
  }
  if (pos == 0 || pos == labels.size()) {
    return Status::InvalidArgument(
        fmt::format("{}: labels need both 0 and 1 ({} of {} are 1)", who, pos, labels.size()));
  }
  return Status::Ok();
}

double Sigmoid(double t) {
  return t >= 0 ? 1.0 / (1.0 + std::exp(-t)) : std::exp(t) / (1.0 + std::exp(t));
}

// log(1 + exp(t)) without overflow.
double Log1pExp(double t) { return t > 0 ? t + std::log1p(std::exp(-t)) : std::log1p(std::exp(t)); }

}  // namespace

// ---- Platt --------------------------------------------------------------

double PlattScaler::Z(double score) const {
  if (!options_.logit_input) return score;
  const double s = std::clamp(score, options_.eps, 1.0 - options_.eps);
  return std::log(s / (1.0 - s));
}

Status PlattScaler::Fit(const Eigen::VectorXd& scores, const Eigen::VectorXd& labels) {
  VIGIL_RETURN_IF_ERROR(CheckPairs("platt", scores, labels, options_.logit_input));
  const Eigen::Index n = scores.size();
  Eigen::VectorXd z(n);
  for (Eigen::Index i = 0; i < n; ++i) z(i) = Z(scores(i));
  const double ridge = options_.ridge * static_cast<double>(n);
  // Penalised negative log-likelihood of (a, b).
  auto objective = [&](double a, double b) {
    double f = 0.5 * ridge * (a * a + b * b);
    for (Eigen::Index i = 0; i < n; ++i) {
      const double t = a * z(i) + b;
      f += Log1pExp(t) - labels(i) * t;  // -[y log p + (1-y) log(1-p)]
    }
    return f;
  };
  // Start from the base rate with no slope.
  const double prevalence = labels.mean();
  double a = 0, b = std::log(prevalence / (1 - prevalence));
  double f = objective(a, b);
  bool converged = false;
  int it = 0;
  for (; it < options_.max_iterations; ++it) {
    double ga = ridge * a, gb = ridge * b, haa = ridge, hab = 0, hbb = ridge;
    for (Eigen::Index i = 0; i < n; ++i) {
      const double p = Sigmoid(a * z(i) + b);
      const double r = p - labels(i), w = p * (1 - p);
      ga += r * z(i);
      gb += r;
      haa += w * z(i) * z(i);
      hab += w * z(i);
      hbb += w;
    }
    if (std::max(std::abs(ga), std::abs(gb)) / static_cast<double>(n) < options_.tolerance) {
      converged = true;
      break;
    }
    const double det = haa * hbb - hab * hab;
    double da, db;
    if (det > 0 && std::isfinite(det)) {
      da = (hbb * ga - hab * gb) / det;
      db = (haa * gb - hab * ga) / det;
    } else {  // degenerate curvature: fall back to a gradient step
      da = ga / std::max(haa, 1e-12);
      db = gb / std::max(hbb, 1e-12);
    }
    double step = 1.0, fa = a, fb = b, fnew = f;
    for (int half = 0; half < 50; ++half, step *= 0.5) {
      fa = a - step * da;
      fb = b - step * db;
      fnew = objective(fa, fb);
      if (fnew <= f) break;
    }
    if (!(fnew <= f)) break;  // no descent possible: at the optimum up to rounding
    const bool tiny = std::abs(fa - a) + std::abs(fb - b) < 1e-14 * (1 + std::abs(a) + std::abs(b));
    a = fa;
    b = fb;
    f = fnew;
    if (tiny) {
      converged = true;
      ++it;
      break;
    }
  }
  a_ = a;
  b_ = b;
  iterations_ = it;
  converged_ = converged;
  rows_ = static_cast<std::size_t>(n);
  fitted_ = true;
  return Status::Ok();
}

double PlattScaler::Apply(double score) const {
  assert(fitted_ && "PlattScaler::Apply before Fit");
  if (std::isnan(score)) return score;
  return Sigmoid(a_ * Z(score) + b_);
}

Eigen::VectorXd PlattScaler::Apply(const Eigen::VectorXd& scores) const {
  Eigen::VectorXd out(scores.size());
  for (Eigen::Index i = 0; i < scores.size(); ++i) out(i) = Apply(scores(i));
  return out;
}

nlohmann::json PlattScaler::Describe() const {
  nlohmann::json j = {{"method", "platt"}, {"fitted", fitted_}};
  if (fitted_) {
    j["a"] = a_;
    j["b"] = b_;
    j["iterations"] = iterations_;
    j["converged"] = converged_;
    j["rows"] = rows_;
    j["input"] = options_.logit_input ? "probability" : "log_odds";
  }
  return j;
}

// ---- Isotonic -----------------------------------------------------------

std::vector<double> PoolAdjacentViolators(const std::vector<double>& y, const std::vector<double>& w) {
  assert(y.size() == w.size());
  struct Block {
    double sum_w, sum_wy;
    std::size_t count;
    double mean() const { return sum_wy / sum_w; }
  };
  std::vector<Block> blocks;
  blocks.reserve(y.size());
  for (std::size_t i = 0; i < y.size(); ++i) {
    assert(w[i] > 0);
    blocks.push_back({w[i], w[i] * y[i], 1});
    // Merge backwards while the last two blocks violate monotonicity.
    while (blocks.size() > 1 && blocks[blocks.size() - 2].mean() > blocks.back().mean()) {
      Block last = blocks.back();
      blocks.pop_back();
      blocks.back().sum_w += last.sum_w;
      blocks.back().sum_wy += last.sum_wy;
      blocks.back().count += last.count;
    }
  }
  std::vector<double> out;
  out.reserve(y.size());
  for (const Block& b : blocks) out.insert(out.end(), b.count, b.mean());
  return out;
}

Status IsotonicCalibrator::Fit(const Eigen::VectorXd& scores, const Eigen::VectorXd& labels) {
  VIGIL_RETURN_IF_ERROR(CheckPairs("isotonic", scores, labels, /*probabilities=*/false));
  const std::size_t n = static_cast<std::size_t>(scores.size());
  std::vector<std::size_t> idx(n);
  std::iota(idx.begin(), idx.end(), 0);
  std::sort(idx.begin(), idx.end(), [&](std::size_t i, std::size_t j) {
    return scores(static_cast<Eigen::Index>(i)) < scores(static_cast<Eigen::Index>(j));
  });
  // Tied scores become one point with their mean label and summed weight.
  std::vector<double> x, y, w;
  for (std::size_t k = 0; k < n;) {
    const double s = scores(static_cast<Eigen::Index>(idx[k]));
    double sum = 0, count = 0;
    for (; k < n && scores(static_cast<Eigen::Index>(idx[k])) == s; ++k) {
      sum += labels(static_cast<Eigen::Index>(idx[k]));
      count += 1;
    }
    x.push_back(s);
    y.push_back(sum / count);
    w.push_back(count);
  }
  const std::vector<double> fit = PoolAdjacentViolators(y, w);
  // Knots: the first and last x of each constant step.
  std::vector<double> kx, ky;
  std::size_t steps = 0;
  for (std::size_t i = 0; i < x.size();) {
    std::size_t j = i;
    while (j + 1 < x.size() && fit[j + 1] == fit[i]) ++j;
    kx.push_back(x[i]);
    ky.push_back(fit[i]);
    if (j != i) {
      kx.push_back(x[j]);
      ky.push_back(fit[i]);
    }
    ++steps;
    i = j + 1;
  }
  knot_x_ = std::move(kx);
  knot_y_ = std::move(ky);
  rows_ = n;
  steps_ = steps;
  return Status::Ok();
}

double IsotonicCalibrator::Apply(double score) const {
  assert(fitted() && "IsotonicCalibrator::Apply before Fit");
  if (std::isnan(score)) return score;
  if (score <= knot_x_.front()) return knot_y_.front();
  if (score >= knot_x_.back()) return knot_y_.back();
  const auto hi = std::upper_bound(knot_x_.begin(), knot_x_.end(), score);
  const std::size_t k = static_cast<std::size_t>(hi - knot_x_.begin());  // knot_x_[k-1] <= score < knot_x_[k]
  const double x0 = knot_x_[k - 1], x1 = knot_x_[k];
  const double y0 = knot_y_[k - 1], y1 = knot_y_[k];
  return y0 + (y1 - y0) * (score - x0) / (x1 - x0);
}

Eigen::VectorXd IsotonicCalibrator::Apply(const Eigen::VectorXd& scores) const {
  Eigen::VectorXd out(scores.size());
  for (Eigen::Index i = 0; i < scores.size(); ++i) out(i) = Apply(scores(i));
  return out;
}

nlohmann::json IsotonicCalibrator::Describe() const {
  nlohmann::json j = {{"method", "isotonic"}, {"fitted", fitted()}};
  if (fitted()) {
    j["rows"] = rows_;
    j["steps"] = steps_;
    nlohmann::json knots = nlohmann::json::array();
    for (std::size_t i = 0; i < knot_x_.size(); ++i) knots.push_back({knot_x_[i], knot_y_[i]});
    j["knots"] = knots;
  }
  return j;
}

}  // namespace vigil::risk
