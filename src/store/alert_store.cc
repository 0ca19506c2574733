#include "store/alert_store.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <unordered_set>

#include "store/audit.h"
#include "store/forecast_store.h"  // UtcNow

namespace vigil::store {

bool IsAlertStatus(std::string_view s) {
  for (const char* k : kAlertStatuses) {
    if (s == k) return true;
  }
  return false;
}

int SeverityLevel(std::string_view severity) {
  for (int i = 0; i < 4; ++i) {
    if (severity == kAlertSeverities[i]) return i;
  }
  return -1;
}

namespace {

std::vector<std::int64_t> SortedUnique(std::vector<std::int64_t> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

Status Validate(const std::vector<AlertRecord>& alerts) {
  std::unordered_set<std::string> keys;
  for (const auto& a : alerts) {
    if (a.key.empty()) return Status::InvalidArgument("alert without a key (detector " + a.detector + ")");
    const std::string where = "alert " + a.key;
    if (a.detector.empty()) return Status::InvalidArgument(where + ": empty detector");
    if (SeverityLevel(a.severity) < 0) {
      return Status::InvalidArgument(where + ": unknown severity '" + a.severity +
                                     "' (low, medium, high or critical)");
    }
    if (!std::isfinite(a.score)) return Status::InvalidArgument(where + ": score is not a finite number");
    if (!nlohmann::json::accept(a.details_json)) {
      return Status::InvalidArgument(where + ": details are not valid JSON");
    }
    if (!keys.insert(a.key).second) return Status::InvalidArgument(where + ": key given twice");
  }
  return Status::Ok();
}

Result<std::vector<std::int64_t>> ReadEvidence(Db& db, std::int64_t alert_id) {
  VIGIL_ASSIGN_OR_RETURN(
      Stmt s, db.Prepare("SELECT event_row FROM alert_evidence WHERE alert_id = ? ORDER BY event_row"));
  s.Bind(1, alert_id);
  std::vector<std::int64_t> rows;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool more, s.Step());
    if (!more) break;
    rows.push_back(s.Int(0));
  }
  return rows;
}

constexpr const char* kAlertColumns =
    "a.id, a.key, a.detector, a.gw, a.unit, a.month, a.as_of, a.severity, a.score, a.summary, "
    "a.details, a.status, a.status_reason, a.status_at, a.created_at, "
    "(SELECT count(*) FROM alert_evidence e WHERE e.alert_id = a.id), a.revision FROM alerts a";

AlertRecord ReadAlert(const Stmt& s) {
  AlertRecord a;
  a.id = s.Int(0);
  a.key = s.Text(1);
  a.detector = s.Text(2);
  a.gw = static_cast<int>(s.Int(3));
  a.unit = s.Text(4);
  a.month = static_cast<MonthIndex>(s.Int(5));
  a.as_of = static_cast<Day>(s.Int(6));
  a.severity = s.Text(7);
  a.score = s.Double(8);
  a.summary = s.Text(9);
  a.details_json = s.Text(10);
  a.status = s.Text(11);
  a.status_reason = s.Text(12);
  a.status_at = s.IsNull(13) ? "" : s.Text(13);
  a.created_at = s.Text(14);
  a.evidence_count = s.Int(15);
  a.revision = static_cast<int>(s.Int(16));
  return a;
}

// "?, ?, ?" for n placeholders.
std::string Placeholders(std::size_t n) {
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s += i ? ", ?" : "?";
  return s;
}

}  // namespace

Result<SaveAlertsResult> SaveAlerts(Db& db, const std::vector<AlertRecord>& alerts) {
  VIGIL_RETURN_IF_ERROR(Validate(alerts));
  SaveAlertsResult result;
  const std::string now = UtcNow();
  Transaction tx(db);
  VIGIL_RETURN_IF_ERROR(tx.Begin());
  VIGIL_ASSIGN_OR_RETURN(Stmt find, db.Prepare("SELECT id, severity, score, summary, details FROM alerts "
                                               "WHERE key = ?"));
  VIGIL_ASSIGN_OR_RETURN(Stmt country, db.Prepare("SELECT 1 FROM countries WHERE gw = ?"));
  VIGIL_ASSIGN_OR_RETURN(Stmt event, db.Prepare("SELECT 1 FROM events WHERE id = ?"));
  VIGIL_ASSIGN_OR_RETURN(
      Stmt insert,
      db.Prepare("INSERT INTO alerts (key, detector, gw, unit, month, as_of, severity, score, summary, "
                 "details, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)"));
  VIGIL_ASSIGN_OR_RETURN(Stmt update, db.Prepare("UPDATE alerts SET as_of = ?, severity = ?, score = ?, "
                                                 "summary = ?, details = ?, revision = revision + 1 "
                                                 "WHERE id = ?"));
  VIGIL_ASSIGN_OR_RETURN(Stmt clear, db.Prepare("DELETE FROM alert_evidence WHERE alert_id = ?"));
  VIGIL_ASSIGN_OR_RETURN(Stmt link,
                         db.Prepare("INSERT INTO alert_evidence (alert_id, event_row) VALUES (?, ?)"));

  auto write_evidence = [&](std::int64_t id, const AlertRecord& a,
                            const std::vector<std::int64_t>& rows) -> Status {
    for (std::int64_t row : rows) {
      event.Bind(1, row);
      VIGIL_ASSIGN_OR_RETURN(bool stored, event.Step());
      event.Reset();
      if (!stored) {
        return Status::InvalidArgument(
            fmt::format("alert {}: evidence event row {} is not a stored event", a.key, row));
      }
      link.Bind(1, id).Bind(2, row);
      VIGIL_RETURN_IF_ERROR(link.Run().WithContext("storing evidence of alert " + a.key));
    }
    return Status::Ok();
  };

  for (const auto& a : alerts) {
    const std::vector<std::int64_t> evidence = SortedUnique(a.evidence);
    find.Bind(1, a.key);
    VIGIL_ASSIGN_OR_RETURN(bool exists, find.Step());
    if (!exists) {
      find.Reset();
      country.Bind(1, a.gw);
      VIGIL_ASSIGN_OR_RETURN(bool known, country.Step());
      country.Reset();
      if (!known) {
        return Status::InvalidArgument(fmt::format("alert {}: unknown country gw {}", a.key, a.gw));
      }
      insert.Bind(1, a.key).Bind(2, a.detector).Bind(3, a.gw).Bind(4, a.unit).Bind(5, a.month);
      insert.Bind(6, a.as_of).Bind(7, a.severity).Bind(8, a.score).Bind(9, a.summary);
      insert.Bind(10, a.details_json).Bind(11, now);
      VIGIL_RETURN_IF_ERROR(insert.Run().WithContext("storing alert " + a.key));
      const std::int64_t id = db.LastInsertRowId();
      VIGIL_RETURN_IF_ERROR(write_evidence(id, a, evidence));
      result.ids.push_back(id);
      result.outcomes.push_back(SaveOutcome::kNew);
      ++result.created;
      continue;
    }
    const std::int64_t id = find.Int(0);
    const bool same_content = find.Text(1) == a.severity && find.Double(2) == a.score &&
                              find.Text(3) == a.summary && find.Text(4) == a.details_json;
    find.Reset();
    VIGIL_ASSIGN_OR_RETURN(std::vector<std::int64_t> old_evidence, ReadEvidence(db, id));
    result.ids.push_back(id);
    if (same_content && old_evidence == evidence) {
      result.outcomes.push_back(SaveOutcome::kUnchanged);
      ++result.unchanged;
      continue;
    }
    update.Bind(1, a.as_of).Bind(2, a.severity).Bind(3, a.score).Bind(4, a.summary);
    update.Bind(5, a.details_json).Bind(6, id);
    VIGIL_RETURN_IF_ERROR(update.Run().WithContext("updating alert " + a.key));
    if (old_evidence != evidence) {
      clear.Bind(1, id);
      VIGIL_RETURN_IF_ERROR(clear.Run());
      VIGIL_RETURN_IF_ERROR(write_evidence(id, a, evidence));
    }
    result.outcomes.push_back(SaveOutcome::kUpdated);
    ++result.updated;
  }
  VIGIL_RETURN_IF_ERROR(tx.Commit());
  return result;
}

Result<std::vector<AlertRecord>> ListAlerts(Db& db, const AlertFilter& filter) {
  for (const auto& s : filter.statuses) {
    if (!IsAlertStatus(s)) {
      return Status::InvalidArgument("unknown alert status '" + s + "' (new, acknowledged, dismissed)");
    }
  }
  std::string sql = std::string("SELECT ") + kAlertColumns + " WHERE 1";
  if (!filter.statuses.empty()) sql += " AND a.status IN (" + Placeholders(filter.statuses.size()) + ")";
  if (!filter.gw.empty()) sql += " AND a.gw IN (" + Placeholders(filter.gw.size()) + ")";
  if (filter.since) sql += " AND a.month >= ?";
  if (filter.until) sql += " AND a.month <= ?";
  if (!filter.detectors.empty()) sql += " AND a.detector IN (" + Placeholders(filter.detectors.size()) + ")";
  sql += " ORDER BY a.month DESC, a.gw, a.detector, a.unit, a.id";
  VIGIL_ASSIGN_OR_RETURN(Stmt s, db.Prepare(sql));
  int i = 1;
  for (const auto& v : filter.statuses) s.Bind(i++, v);
  for (int gw : filter.gw) s.Bind(i++, gw);
  if (filter.since) s.Bind(i++, *filter.since);
  if (filter.until) s.Bind(i++, *filter.until);
  for (const auto& v : filter.detectors) s.Bind(i++, v);
  std::vector<AlertRecord> out;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool more, s.Step());
    if (!more) break;
    out.push_back(ReadAlert(s));
  }
  return out;
}

Result<AlertRecord> GetAlert(Db& db, std::int64_t id) {
  VIGIL_ASSIGN_OR_RETURN(Stmt s, db.Prepare(std::string("SELECT ") + kAlertColumns + " WHERE a.id = ?"));
  s.Bind(1, id);
  VIGIL_ASSIGN_OR_RETURN(bool found, s.Step());
  if (!found) return Status::NotFound(fmt::format("no alert {} in {}", id, db.path()));
  AlertRecord a = ReadAlert(s);
  VIGIL_ASSIGN_OR_RETURN(a.evidence, ReadEvidence(db, id));
  return a;
}

Status SetAlertStatus(Db& db, const std::vector<std::int64_t>& ids, std::string_view status,
                      std::string_view reason, std::string_view who, std::optional<int> based_on_revision) {
  if (!IsAlertStatus(status)) {
    return Status::InvalidArgument("unknown alert status '" + std::string(status) +
                                   "' (new, acknowledged, dismissed)");
  }
  const bool blank = reason.find_first_not_of(" \t\r\n") == std::string_view::npos;
  if (status == "dismissed" && blank) {
    return Status::InvalidArgument("dismissing an alert needs a reason (--reason TEXT)");
  }
  if (based_on_revision && ids.size() != 1) {
    return Status::InvalidArgument("a revision can be given for one alert at a time");
  }
  const std::string stored_reason = blank ? std::string() : std::string(reason);
  const std::string now = UtcNow();
  Transaction tx(db);
  VIGIL_RETURN_IF_ERROR(tx.Begin());
  VIGIL_ASSIGN_OR_RETURN(Stmt s, db.Prepare("UPDATE alerts SET status = ?, status_reason = ?, status_at = ?, "
                                            "revision = revision + 1 WHERE id = ?"));
  VIGIL_ASSIGN_OR_RETURN(Stmt old, db.Prepare("SELECT status, status_reason, revision FROM alerts WHERE id = ?"));
  for (std::int64_t id : ids) {
    old.Bind(1, id);
    VIGIL_ASSIGN_OR_RETURN(bool found, old.Step());
    if (!found) return Status::NotFound(fmt::format("no alert {} in {} (nothing changed)", id, db.path()));
    nlohmann::json before = {{"status", old.Text(0)}, {"reason", old.Text(1)}};
    const int revision = static_cast<int>(old.Int(2));
    old.Reset();
    if (based_on_revision && *based_on_revision != revision) {
      return Status::Aborted(fmt::format(
          "alert {} has changed since revision {} (now revision {}, status {}); nothing changed: read it "
          "again and decide on the current version",
          id, *based_on_revision, revision, before["status"].get<std::string>()));
    }
    s.Bind(1, status).Bind(2, stored_reason).Bind(3, now).Bind(4, id);
    VIGIL_RETURN_IF_ERROR(s.Run());
    OpsAuditEntry audit{std::string(who), "alert.status", "alert", id, before,
                        {{"status", status}, {"reason", stored_reason}, {"revision", revision + 1}}};
    VIGIL_RETURN_IF_ERROR(AppendOpsAudit(db, audit));
  }
  return tx.Commit();
}

Result<std::optional<Day>> LatestAlertAsOf(Db& db) {
  VIGIL_ASSIGN_OR_RETURN(Stmt s, db.Prepare("SELECT max(as_of) FROM alerts"));
  VIGIL_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row || s.IsNull(0)) return std::optional<Day>();
  return std::optional<Day>(static_cast<Day>(s.Int(0)));
}

}  // namespace vigil::store
