#include "monitor/risk/design.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cassert>
#include <fstream>
#include <map>
#include <sstream>

#include "core/embedded.h"
#include "core/json_field.h"
#include "core/json_limits.h"

namespace vigil::risk {

Result<ModelSpec> ParseModelSpec(const std::string& json_text, const std::string& source) {
  VIGIL_RETURN_IF_ERROR(CheckJsonDepth(json_text, source));
  nlohmann::json j = nlohmann::json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return Status::InvalidArgument(source + ": not a JSON object");
  }
  ModelSpec spec;
  auto need_string = [&](const char* key, std::string* out) -> Status {
    if (!j.contains(key) || !j[key].is_string()) {
      return Status::InvalidArgument(source + ": field '" + key + "' must be a string");
    }
    *out = j[key].get<std::string>();
    return Status::Ok();
  };
  VIGIL_RETURN_IF_ERROR(need_string("name", &spec.name));
  VIGIL_RETURN_IF_ERROR(need_string("outcome", &spec.outcome));
  VIGIL_RETURN_IF_ERROR(need_string("onset", &spec.onset));
  if (!j.contains("predictors") || !j["predictors"].is_array() || j["predictors"].empty()) {
    return Status::InvalidArgument(source + ": field 'predictors' must be a non-empty array");
  }
  for (const auto& p : j["predictors"]) {
    if (!p.is_string()) return Status::InvalidArgument(source + ": 'predictors' must hold strings");
    spec.predictors.push_back(p.get<std::string>());
  }
  if (j.contains("changes")) {
    if (!j["changes"].is_array()) return Status::InvalidArgument(source + ": field 'changes' must be an array");
    for (const auto& c : j["changes"]) {
      if (!c.is_string()) return Status::InvalidArgument(source + ": 'changes' must hold strings");
      std::string name = c.get<std::string>();
      if (std::find(spec.predictors.begin(), spec.predictors.end(), name) == spec.predictors.end() ||
          name == "year") {
        return Status::InvalidArgument(source + ": 'changes' names '" + name +
                                       "', which is not a panel predictor of the spec");
      }
      spec.changes.push_back(name);
    }
    for (const auto& c : spec.changes) spec.predictors.push_back(c + ".change");
  }
  if (j.contains("window_max")) {
    const auto& w = j["window_max"];
    if (!w.is_array()) return Status::InvalidArgument(source + ": field 'window_max' must be an array");
    for (std::size_t k = 0; k < w.size(); ++k) {
      const std::string at = source + ": window_max[" + std::to_string(k) + "]";
      if (!w[k].is_object() || !w[k].contains("column") || !w[k]["column"].is_string() ||
          !w[k].contains("years") || !w[k]["years"].is_number_integer()) {
        return Status::InvalidArgument(at + " must be {\"column\": name, \"years\": integer}");
      }
      ModelSpec::WindowMax wm{w[k]["column"].get<std::string>(), 0};
      if (std::find(spec.predictors.begin(), spec.predictors.end(), wm.column) == spec.predictors.end() ||
          wm.column == "year") {
        return Status::InvalidArgument(at + " names '" + wm.column +
                                       "', which is not a panel predictor of the spec");
      }
      VIGIL_ASSIGN_OR_RETURN(wm.years, JsonAs<int>(w[k]["years"], at + ".years", 2, 30));
      spec.window_max.push_back(wm);
    }
    for (const auto& wm : spec.window_max) {
      spec.predictors.push_back(wm.column + ".max" + std::to_string(wm.years) + "y");
    }
  }
  const std::string top = source + ":";
  VIGIL_ASSIGN_OR_RETURN(spec.horizon_years, JsonField<int>(j, "horizon_years", 2, top, 1, 10));
  VIGIL_ASSIGN_OR_RETURN(spec.alpha, JsonField<double>(j, "alpha", 0.5, top));
  if (!(spec.alpha >= 0 && spec.alpha <= 1)) {
    return Status::InvalidArgument(source + ": field 'alpha' must be in [0, 1]");
  }
  if (j.contains("triage")) {
    const auto& t = j["triage"];
    const std::string at = source + ": triage";
    if (!t.is_object()) return Status::InvalidArgument(at + ": must be an object");
    auto& tr = spec.triage;
    VIGIL_ASSIGN_OR_RETURN(tr.top_n, JsonField<int>(t, "top_n", tr.top_n, at, 1, 10000));
    VIGIL_ASSIGN_OR_RETURN(tr.recent_violence_indicators,
                           JsonField<std::vector<std::string>>(t, "recent_violence_indicators", {}, at));
    VIGIL_ASSIGN_OR_RETURN(tr.big_mover_rank_gain,
                           JsonField<int>(t, "big_mover_rank_gain", tr.big_mover_rank_gain, at, 0, 10000));
    VIGIL_ASSIGN_OR_RETURN(tr.big_mover_risk_ratio,
                           JsonField<double>(t, "big_mover_risk_ratio", tr.big_mover_risk_ratio, at));
    VIGIL_ASSIGN_OR_RETURN(tr.consistent_years, JsonField<int>(t, "consistent_years", tr.consistent_years, at, 1, 100));
  }
  return spec;
}

const ModelSpec& DefaultModelSpec() {
  static const ModelSpec kSpec = [] {
    auto text = catalog::FindEmbedded("risk_model_ewp2025.json");
    assert(text.ok() && "catalog/risk_model_ewp2025.json is compiled in");
    auto spec = ParseModelSpec(std::string(*text), "catalog/risk_model_ewp2025.json");
    assert(spec.ok() && "embedded model spec parses (see design_test)");
    return *spec;
  }();
  return kSpec;
}

Result<ModelSpec> LoadModelSpec(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(path + ": cannot read model specification");
  std::stringstream text;
  text << in.rdbuf();
  return ParseModelSpec(text.str(), path);
}

Panel WithDerived(const Panel& panel, const ModelSpec& spec) {
  if (spec.changes.empty() && spec.window_max.empty()) return panel;
  Panel out = panel;
  const std::size_t n = panel.rows();
  std::map<std::pair<int, int>, std::size_t> row_of;  // (country code, year) -> row
  for (std::size_t i = 0; i < n; ++i) row_of[{panel.country_code[i], panel.year[i]}] = i;
  for (const auto& name : spec.changes) {
    auto col = panel.PredictorIndex(name);
    if (!col) continue;  // CheckSpec names it
    out.predictor_names.push_back(name + ".change");
    for (std::size_t i = 0; i < n; ++i) {
      auto prev = row_of.find({panel.country_code[i], panel.year[i] - 1});
      out.predictors.push_back(prev == row_of.end() ? 0.0
                                                    : panel.x(i, *col) - panel.x(prev->second, *col));
    }
  }
  for (const auto& wm : spec.window_max) {
    auto col = panel.PredictorIndex(wm.column);
    if (!col) continue;  // CheckSpec names it
    out.predictor_names.push_back(wm.column + ".max" + std::to_string(wm.years) + "y");
    for (std::size_t i = 0; i < n; ++i) {
      double m = panel.x(i, *col);
      for (int back = 1; back < wm.years && !IsNA(m); ++back) {
        auto earlier = row_of.find({panel.country_code[i], panel.year[i] - back});
        if (earlier == row_of.end()) continue;
        const double v = panel.x(earlier->second, *col);
        if (!IsNA(v)) m = std::max(m, v);
      }
      out.predictors.push_back(m);
    }
  }
  return out;
}

Status CheckSpec(const Panel& panel, const ModelSpec& spec) {
  std::string missing;
  for (const auto& p : spec.predictors) {
    if (p != "year" && !panel.PredictorIndex(p)) missing += (missing.empty() ? "" : ", ") + p;
  }
  for (const auto& o : {spec.outcome, spec.onset}) {
    if (!panel.OutcomeIndex(o)) missing += (missing.empty() ? "" : ", ") + o + " (outcome)";
  }
  if (!missing.empty()) {
    return Status::InvalidArgument("dataset '" + panel.dataset_name + "' lacks columns of model '" +
                                   spec.name + "': " + missing);
  }
  return Status::Ok();
}

std::vector<int> PredictorColumns(const Panel& panel, const ModelSpec& spec) {
  std::vector<int> cols;
  for (const auto& p : spec.predictors) {
    auto idx = panel.PredictorIndex(p);
    assert((idx || p == "year") && "CheckSpec() first");
    cols.push_back(idx ? static_cast<int>(*idx) : -1);
  }
  return cols;
}

double PredictorValue(const Panel& panel, std::size_t i, int column) {
  return column < 0 ? static_cast<double>(panel.year[i]) : panel.x(i, static_cast<std::size_t>(column));
}

namespace {

bool RowComplete(const Panel& panel, std::size_t i, const std::vector<int>& cols) {
  for (int c : cols) {
    if (IsNA(PredictorValue(panel, i, c))) return false;
  }
  return true;
}

Dataset Build(const Panel& panel, const ModelSpec& spec, const std::vector<std::size_t>& rows,
              const std::vector<int>& cols) {
  Dataset d;
  d.features = spec.predictors;
  d.x.resize(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(cols.size()));
  d.y.resize(static_cast<Eigen::Index>(rows.size()));
  std::size_t outcome = *panel.OutcomeIndex(spec.outcome);
  for (std::size_t c = 0; c < cols.size(); ++c) {  // column by column: x is column-major
    double* out = d.x.col(static_cast<Eigen::Index>(c)).data();
    for (std::size_t r = 0; r < rows.size(); ++r) out[r] = PredictorValue(panel, rows[r], cols[c]);
  }
  for (std::size_t r = 0; r < rows.size(); ++r) {
    std::size_t i = rows[r];
    d.y(static_cast<Eigen::Index>(r)) = panel.y(i, outcome);
    d.year.push_back(panel.year[i]);
    d.country.push_back(panel.country_code[i]);
  }
  return d;
}

}  // namespace

std::vector<char> CompleteRows(const Panel& panel, const ModelSpec& spec) {
  const auto cols = PredictorColumns(panel, spec);
  std::vector<char> complete(panel.rows(), 0);
  for (std::size_t i = 0; i < panel.rows(); ++i) {
    bool ok = RowComplete(panel, i, cols);
    for (std::size_t k = 0; k < panel.num_outcomes() && ok; ++k) ok = !IsNA(panel.y(i, k));
    complete[i] = ok;
  }
  return complete;
}

Dataset TrainingSet(const Panel& panel, const ModelSpec& spec, int last_year, const std::vector<char>* complete) {
  std::vector<char> own;
  if (complete == nullptr) {
    own = CompleteRows(panel, spec);
    complete = &own;
  }
  assert(complete->size() == panel.rows());
  std::vector<std::size_t> rows;
  for (std::size_t i = 0; i < panel.rows(); ++i) {
    if (panel.year[i] <= last_year && (*complete)[i]) rows.push_back(i);
  }
  return Build(panel, spec, rows, PredictorColumns(panel, spec));
}

ScoringSet ScoringRows(const Panel& panel, const ModelSpec& spec, int year) {
  auto cols = PredictorColumns(panel, spec);
  ScoringSet s;
  for (std::size_t i = 0; i < panel.rows(); ++i) {
    if (panel.year[i] == year && RowComplete(panel, i, cols)) s.row_index.push_back(i);
  }
  s.data = Build(panel, spec, s.row_index, cols);
  return s;
}

}  // namespace vigil::risk
