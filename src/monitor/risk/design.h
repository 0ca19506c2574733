// Building model inputs from a Panel: which rows train a model for a given
// last training year, which rows are scored, and the model specification
// (predictors, outcome, triage rules) read from a catalog file.
#pragma once

#include <string>
#include <vector>

#include "core/panel.h"
#include "core/status.h"
#include "monitor/risk/model.h"

namespace vigil::risk {

struct TriageRules {
  int top_n = 30;                                      // "top risks"
  std::vector<std::string> recent_violence_indicators;  // all zero => no recent violence
  int big_mover_rank_gain = 15;     // rank rose by at least this many places...
  double big_mover_risk_ratio = 1.5;  // ...or risk grew by this factor (and into the top 50)
  int consistent_years = 3;         // in the top_n in each of this many consecutive forecasts
};

struct ModelSpec {
  std::string name;                     // e.g. "ewp2025"
  std::vector<std::string> predictors;  // panel predictor names; "year" means the year id
  // Predictors whose one-year change is also a predictor, named
  // "<name>.change" (appended to `predictors` by ParseModelSpec).
  std::vector<std::string> changes;
  // Predictors whose maximum over the last `years` years (t-years+1 .. t)
  // is also a predictor, named "<column>.max<years>y" (appended to
  // `predictors` by ParseModelSpec, after the changes).
  struct WindowMax {
    std::string column;
    int years = 5;
  };
  std::vector<WindowMax> window_max;
  std::string outcome;                  // training outcome (onset within the horizon)
  std::string onset;                    // single-year onset indicator used for evaluation
  int horizon_years = 2;
  double alpha = 0.5;
  TriageRules triage;
};

// Parses a model specification (JSON text of catalog/risk_model_*.json).
Result<ModelSpec> ParseModelSpec(const std::string& json_text, const std::string& source);
// The embedded EWP 2025 specification.
const ModelSpec& DefaultModelSpec();

// The panel with a column "<name>.change" for each of spec.changes: the
// value in year t minus the same country's value in year t-1 (0 in a
// country's first year; NA if either value is NA); and a column
// "<column>.max<k>y" for each of spec.window_max: the largest of the same
// country's values in the panel years t-k+1 .. t (years absent from the panel
// or NA there are skipped; NA if the value of year t is NA). Both read years
// up to t only, so they add nothing from the future. Returns the panel
// unchanged when the spec derives nothing.
Panel WithDerived(const Panel& panel, const ModelSpec& spec);

// Loads a model specification file (JSON, as catalog/risk_model_ewp2025.json).
Result<ModelSpec> LoadModelSpec(const std::string& path);

// Checks that every predictor and outcome of spec exists in the panel and
// names any that do not.
Status CheckSpec(const Panel& panel, const ModelSpec& spec);

// Value of spec predictor `name` for panel row i ("year" reads the year id).
double PredictorValue(const Panel& panel, std::size_t i, int column);
// Panel column index for each spec predictor; -1 stands for the year id.
std::vector<int> PredictorColumns(const Panel& panel, const ModelSpec& spec);

// Rows with year <= last_year that are complete on the predictors and on
// every outcome column (EWP's complete.cases over predictors and outcomes).
// complete, if given, is CompleteRows(panel, spec) (for many training years).
Dataset TrainingSet(const Panel& panel, const ModelSpec& spec, int last_year,
                    const std::vector<char>* complete = nullptr);
// Per panel row: 1 if complete on the spec's predictors and every outcome.
std::vector<char> CompleteRows(const Panel& panel, const ModelSpec& spec);

// Rows of `year` complete on the predictors; y holds spec.outcome (NaN if NA).
// row_index maps dataset rows back to panel rows.
struct ScoringSet {
  Dataset data;
  std::vector<std::size_t> row_index;
};
ScoringSet ScoringRows(const Panel& panel, const ModelSpec& spec, int year);

}  // namespace vigil::risk
