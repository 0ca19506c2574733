// Forecast registry: every forecast run is stored with its model, the
// dataset version it was made from, its parameters and its time, so that
// later runs can be scored against what actually happened. Backtest runs are
// kept the same way. Records are plain data; the CLI converts model output.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/db.h"

namespace vigil::store {

struct ForecastRow {
  int country_code = 0;
  std::string country_name;
  std::optional<int> gw;
  double risk = 0;
  double risk_lo = 0, risk_hi = 0;  // NaN if no interval
  int rank = 0;
  std::string triage_json = "[]";
  std::string contributions_json = "[]";
};

struct ForecastRun {
  std::int64_t id = 0;  // set by SaveForecastRun
  std::string created_at;  // UTC ISO 8601, set by SaveForecastRun when empty
  std::string model;
  std::int64_t dataset_id = 0;
  int base_year = 0, target_first = 0, target_last = 0;
  std::string params_json = "{}";
  std::string vigil_version;
  double seconds = 0;
  std::vector<ForecastRow> rows;
};

// Stores the run and its rows in one transaction; returns the run id.
Result<std::int64_t> SaveForecastRun(Db& db, ForecastRun run);
// All runs, newest first, without rows.
Result<std::vector<ForecastRun>> ListForecastRuns(Db& db);
// One run with its rows ordered by rank; NotFound if absent.
Result<ForecastRun> LoadForecastRun(Db& db, std::int64_t id);

struct BacktestRun {
  std::int64_t id = 0;
  std::string created_at;
  std::string model;
  std::int64_t dataset_id = 0;
  std::string params_json = "{}";
  std::string summary_json = "{}";
  std::string per_year_json = "[]";
};
Result<std::int64_t> SaveBacktestRun(Db& db, BacktestRun run);
Result<std::vector<BacktestRun>> ListBacktestRuns(Db& db);

// Current UTC time as "YYYY-MM-DDTHH:MM:SSZ".
std::string UtcNow();

}  // namespace vigil::store
