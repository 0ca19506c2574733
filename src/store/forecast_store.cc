#include "store/forecast_store.h"

#include <ctime>

namespace vigil::store {

std::string UtcNow() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

Result<std::int64_t> SaveForecastRun(Db& db, ForecastRun run) {
  if (run.created_at.empty()) run.created_at = UtcNow();
  Transaction tx(db);
  VIGIL_RETURN_IF_ERROR(tx.Begin());
  VIGIL_ASSIGN_OR_RETURN(
      Stmt ins,
      db.Prepare("INSERT INTO forecast_runs (created_at, model, dataset_id, base_year, target_first, "
                 "target_last, params, vigil_version, seconds) VALUES (?,?,?,?,?,?,?,?,?)"));
  ins.Bind(1, run.created_at).Bind(2, run.model).Bind(3, run.dataset_id).Bind(4, run.base_year);
  ins.Bind(5, run.target_first).Bind(6, run.target_last).Bind(7, run.params_json);
  ins.Bind(8, run.vigil_version).Bind(9, run.seconds);
  VIGIL_RETURN_IF_ERROR(ins.Run());
  const std::int64_t id = db.LastInsertRowId();
  VIGIL_ASSIGN_OR_RETURN(
      Stmt row, db.Prepare("INSERT INTO forecasts (run_id, country_code, country_name, gw, risk, "
                           "risk_lo, risk_hi, rank, triage, contributions) VALUES (?,?,?,?,?,?,?,?,?,?)"));
  for (const auto& r : run.rows) {
    row.Bind(1, id).Bind(2, r.country_code).Bind(3, r.country_name).Bind(4, r.gw).Bind(5, r.risk);
    row.Bind(6, r.risk_lo).Bind(7, r.risk_hi).Bind(8, r.rank).Bind(9, r.triage_json);
    row.Bind(10, r.contributions_json);
    VIGIL_RETURN_IF_ERROR(row.Run().WithContext("storing forecast for " + r.country_name));
  }
  VIGIL_RETURN_IF_ERROR(tx.Commit());
  return id;
}

namespace {
constexpr const char* kRunColumns =
    "id, created_at, model, dataset_id, base_year, target_first, target_last, params, "
    "vigil_version, seconds FROM forecast_runs";

ForecastRun ReadRun(const Stmt& s) {
  ForecastRun r;
  r.id = s.Int(0);
  r.created_at = s.Text(1);
  r.model = s.Text(2);
  r.dataset_id = s.Int(3);
  r.base_year = static_cast<int>(s.Int(4));
  r.target_first = static_cast<int>(s.Int(5));
  r.target_last = static_cast<int>(s.Int(6));
  r.params_json = s.Text(7);
  r.vigil_version = s.Text(8);
  r.seconds = s.Double(9);
  return r;
}
}  // namespace

Result<std::vector<ForecastRun>> ListForecastRuns(Db& db) {
  VIGIL_ASSIGN_OR_RETURN(Stmt s, db.Prepare(std::string("SELECT ") + kRunColumns + " ORDER BY id DESC"));
  std::vector<ForecastRun> out;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool more, s.Step());
    if (!more) break;
    out.push_back(ReadRun(s));
  }
  return out;
}

Result<ForecastRun> LoadForecastRun(Db& db, std::int64_t id) {
  VIGIL_ASSIGN_OR_RETURN(Stmt s, db.Prepare(std::string("SELECT ") + kRunColumns + " WHERE id = ?"));
  s.Bind(1, id);
  VIGIL_ASSIGN_OR_RETURN(bool found, s.Step());
  if (!found) return Status::NotFound("no forecast run " + std::to_string(id) + " in " + db.path());
  ForecastRun run = ReadRun(s);
  VIGIL_ASSIGN_OR_RETURN(
      Stmt rows, db.Prepare("SELECT country_code, country_name, gw, risk, risk_lo, risk_hi, rank, "
                            "triage, contributions FROM forecasts WHERE run_id = ? ORDER BY rank, "
                            "country_name"));
  rows.Bind(1, id);
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool more, rows.Step());
    if (!more) break;
    ForecastRow r;
    r.country_code = static_cast<int>(rows.Int(0));
    r.country_name = rows.Text(1);
    if (!rows.IsNull(2)) r.gw = static_cast<int>(rows.Int(2));
    r.risk = rows.Double(3);
    r.risk_lo = rows.Double(4);
    r.risk_hi = rows.Double(5);
    r.rank = static_cast<int>(rows.Int(6));
    r.triage_json = rows.Text(7);
    r.contributions_json = rows.Text(8);
    run.rows.push_back(std::move(r));
  }
  return run;
}

Result<std::int64_t> SaveBacktestRun(Db& db, BacktestRun run) {
  if (run.created_at.empty()) run.created_at = UtcNow();
  VIGIL_ASSIGN_OR_RETURN(Stmt s, db.Prepare("INSERT INTO backtest_runs (created_at, model, dataset_id, "
                                            "params, summary, per_year) VALUES (?,?,?,?,?,?)"));
  s.Bind(1, run.created_at).Bind(2, run.model).Bind(3, run.dataset_id).Bind(4, run.params_json);
  s.Bind(5, run.summary_json).Bind(6, run.per_year_json);
  VIGIL_RETURN_IF_ERROR(s.Run());
  return db.LastInsertRowId();
}

Result<std::vector<BacktestRun>> ListBacktestRuns(Db& db) {
  VIGIL_ASSIGN_OR_RETURN(Stmt s, db.Prepare("SELECT id, created_at, model, dataset_id, params, summary, "
                                            "per_year FROM backtest_runs ORDER BY id DESC"));
  std::vector<BacktestRun> out;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool more, s.Step());
    if (!more) break;
    BacktestRun r;
    r.id = s.Int(0);
    r.created_at = s.Text(1);
    r.model = s.Text(2);
    r.dataset_id = s.Int(3);
    r.params_json = s.Text(4);
    r.summary_json = s.Text(5);
    r.per_year_json = s.Text(6);
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace vigil::store
