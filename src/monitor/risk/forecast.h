// Forecast: the risk of a new onset in years Y+1..Y+horizon for every
// country with complete data in year Y, the routine product of Step 0.
//
// The model is trained on rows with year <= Y - horizon (their outcomes are
// known by the end of Y). Each country gets its rank, an uncertainty interval
// from a country-cluster bootstrap of the training set (countries resampled
// with replacement, the model refitted), its top contributing factors, and
// the Early Warning Project's triage groups:
//   top-risk            rank <= top_n;
//   big-mover           rank rose by >= big_mover_rank_gain places, or risk
//                       grew by >= big_mover_risk_ratio, since the forecast
//                       from Y-1, and now ranks in the top 50;
//   surprise            in the top_n although every recent-violence
//                       indicator (ongoing mass killing, battle deaths,
//                       onset last year) is zero;
//   consistently-high   in the top_n of the forecasts from each of the
//                       last consistent_years data years.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/panel.h"
#include "core/progress.h"
#include "core/status.h"
#include "monitor/risk/backtest.h"
#include "monitor/risk/design.h"

namespace vigil::risk {

struct ForecastOptions {
  int year = 0;             // data year Y the forecast is made from
  int bootstrap = 50;       // bootstrap refits for the interval; 0 = no interval
  double interval = 0.90;   // central interval mass
  int top_factors = 5;      // contributing factors kept per country
  int threads = 1;
  std::uint64_t seed = 90035;
  ProgressFn progress;
};

struct FactorEffect {
  std::string factor;
  double value = 0;   // the country's value of the factor in year Y
  double effect = 0;  // contribution to the log-odds of onset
};

struct CountryForecast {
  int country_code = 0;
  std::string country;
  double risk = 0;
  double risk_lo = 0, risk_hi = 0;  // NaN without bootstrap
  int rank = 0;
  double prev_risk = 0;  // forecast from Y-1; NaN if none
  int prev_rank = 0;     // 0 if none
  // By decreasing |effect|; factors equal for every country in year Y (the
  // time trend) are left out, as they cannot tell countries apart.
  std::vector<FactorEffect> factors;
  std::vector<std::string> triage;
};

// The country's top factors as a JSON array of {factor, value, effect}.
nlohmann::json FactorsJson(const CountryForecast& c);

struct Forecast {
  std::string model;
  std::string spec;  // ModelSpec name
  std::string dataset;
  long long dataset_version = 0;
  int base_year = 0;
  int target_first = 0, target_last = 0;
  int train_last_year = 0;
  std::size_t train_rows = 0;
  int bootstrap = 0;
  double interval = 0;
  nlohmann::json fit;  // the model's Describe()
  std::vector<CountryForecast> countries;  // by rank
  double seconds = 0;

  nlohmann::json ToJson() const;
  std::string ToCsv() const;
};

Result<Forecast> MakeForecast(const Panel& panel, const ModelSpec& spec, const std::string& model_name,
                              const ModelFactory& factory, const ForecastOptions& options);

}  // namespace vigil::risk

namespace vigil::risk {

// Scoring a stored forecast against what happened: the outcome of a country
// is an onset (spec.onset) in any year of [target_first, target_last].
struct ScoredOnset {
  std::string country;
  int country_code = 0;
  int year = 0;
  int rank = 0;
  double risk = 0;
};
struct ForecastScore {
  int countries = 0;  // forecast countries present in the panel for the target years
  int onsets = 0;
  int caught10 = 0, caught20 = 0, caught30 = 0;
  double auc = 0, brier = 0, log_loss = 0;
  std::vector<ScoredOnset> onset_list;
  nlohmann::json ToJson() const;
};
struct StoredPrediction {
  int country_code = 0;
  double risk = 0;
  int rank = 0;
};
// FailedPrecondition if the panel does not yet cover target_last.
Result<ForecastScore> ScoreForecast(const Panel& panel, const ModelSpec& spec, int target_first,
                                    int target_last, const std::vector<StoredPrediction>& predictions);

}  // namespace vigil::risk
