#include "store/db.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cassert>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <mutex>

#include "store/audit.h"
#include "store/migrations.h"

namespace vigil::store {

namespace {
std::string fmt_busy(const std::string& path, int ms) {
  return fmt::format(
      "store busy, retry: another vigil process is writing to {} (waited {:.1f} s); nothing was "
      "changed",
      path, ms / 1000.0);
}
}  // namespace

Db::Db(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {
  static std::atomic<std::uint64_t> next_serial{1};
  serial_ = next_serial.fetch_add(1);
}

Result<Db::ChangeStamp> Db::Stamp() {
  VIGIL_ASSIGN_OR_RETURN(Stmt st, Prepare("PRAGMA data_version"));
  VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return Status::Internal(path_ + ": PRAGMA data_version returned no row");
  return ChangeStamp{st.Int(0), sqlite3_total_changes64(db_)};
}

Result<std::unique_ptr<Db>> Db::Open(const std::string& path) {
  if (path != ":memory:") {
    std::error_code ec;
    auto dir = std::filesystem::path(path).parent_path();
    if (!dir.empty()) std::filesystem::create_directories(dir, ec);
    if (ec) return Status::IoError("cannot create directory " + dir.string() + ": " + ec.message());
  }
  if (path != ":memory:" && !std::filesystem::exists(path)) {
    // Private by default: created readable by its owner only, whatever the
    // umask; SQLite gives the -wal and -shm files the database's mode.
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0 && errno != EEXIST) {
      return Status::IoError("cannot create database " + path + ": " + std::strerror(errno));
    }
    if (fd >= 0) ::close(fd);
  }
  // SQLite's memory statistics take a process-wide mutex on every
  // allocation, which serializes the server's worker threads (measured:
  // most of a cached read's lock waits); vigil never reads them. Must come
  // before SQLite initializes; later, sqlite3_config is refused, harmlessly.
  static std::once_flag no_memstatus;
  std::call_once(no_memstatus, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
  sqlite3* raw = nullptr;
  // A Db is used from one thread at a time (db.h), so SQLite's per-call
  // connection mutex is not needed (multi-thread mode): a few percent of a
  // bulk import's time.
  int rc = sqlite3_open_v2(path.c_str(), &raw,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
    sqlite3_close(raw);
    return Status::IoError("cannot open database " + path + ": " + msg);
  }
  std::unique_ptr<Db> db(new Db(raw, path));
  if (const char* t = std::getenv("VIGIL_BUSY_TIMEOUT_MS"); t && *t) {
    db->busy_timeout_ms_ = std::max(0, std::atoi(t));
  }
  sqlite3_busy_timeout(raw, db->busy_timeout_ms_);
  VIGIL_RETURN_IF_ERROR(db->Exec("PRAGMA foreign_keys = ON"));
  if (path != ":memory:") {
    VIGIL_RETURN_IF_ERROR(db->Exec("PRAGMA journal_mode = WAL"));
    VIGIL_RETURN_IF_ERROR(db->Exec("PRAGMA synchronous = NORMAL"));
  }
  const int from = db->SchemaVersion();
  VIGIL_RETURN_IF_ERROR(db->Migrate());
  // Entries written before the chains existed are hashed once, on the
  // upgrade (schema 5); an entry whose hash goes missing later is reported by
  // VerifyAudit, never silently re-hashed.
  if (from > 0 && from < kAuditChainsSchema) VIGIL_RETURN_IF_ERROR(SealAuditChains(*db));
  return db;
}

Db::~Db() {
  for (auto& [sql, stmts] : stmt_cache_) {
    for (sqlite3_stmt* st : stmts) sqlite3_finalize(st);
  }
  sqlite3_close_v2(db_);
}

std::string Db::LastError() const { return path_ + ": " + sqlite3_errmsg(db_); }

Status Db::ErrorStatus(int rc, std::string_view context) const {
  const int primary = rc & 0xff;
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
    return Status::Busy(fmt_busy(path_, busy_timeout_ms_));
  }
  std::string m = LastError();
  if (!context.empty()) m += " in: " + std::string(context);
  return Status::Internal(m);
}

Status Db::Exec(std::string_view sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    const int primary = rc & 0xff;
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) return ErrorStatus(rc);
    return Status::Internal(path_ + ": " + msg);
  }
  return Status::Ok();
}

namespace {
constexpr std::size_t kMaxCachedSql = 512;
}

Result<Stmt> Db::Prepare(std::string_view sql) {
  if (auto it = stmt_cache_.find(sql); it != stmt_cache_.end() && !it->second.empty()) {
    sqlite3_stmt* st = it->second.back();
    it->second.pop_back();
    return Stmt(this, st);
  }
  sqlite3_stmt* st = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &st, nullptr);
  if (rc != SQLITE_OK) return ErrorStatus(rc, sql);
  return Stmt(this, st);
}

void Db::GiveBack(sqlite3_stmt* st) {
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  const char* sql = sqlite3_sql(st);
  auto it = sql ? stmt_cache_.find(std::string_view(sql)) : stmt_cache_.end();
  if (it == stmt_cache_.end()) {
    if (!sql || stmt_cache_.size() >= kMaxCachedSql) {
      sqlite3_finalize(st);
      return;
    }
    it = stmt_cache_.emplace(std::string(sql), std::vector<sqlite3_stmt*>()).first;
  }
  if (it->second.size() >= 4) {
    sqlite3_finalize(st);
    return;
  }
  it->second.push_back(st);
}

std::int64_t Db::LastInsertRowId() { return sqlite3_last_insert_rowid(db_); }

int Db::SchemaVersion() {
  auto st = Prepare("PRAGMA user_version");
  if (!st.ok() || !st->Step().ok()) return -1;
  return static_cast<int>(st->Int(0));
}

Status Db::Migrate() {
  const auto& migrations = Migrations();
  int current = SchemaVersion();
  if (current > static_cast<int>(migrations.size())) {
    return Status::FailedPrecondition(path_ + " has schema version " + std::to_string(current) +
                                      ", newer than this vigil understands (" +
                                      std::to_string(migrations.size()) + "); upgrade vigil");
  }
  for (int v = current; v < static_cast<int>(migrations.size()); ++v) {
    Transaction tx(*this);
    VIGIL_RETURN_IF_ERROR(tx.Begin());
    Status s = Exec(migrations[v]);
    if (!s.ok()) return s.WithContext("migration to schema version " + std::to_string(v + 1));
    VIGIL_RETURN_IF_ERROR(Exec("PRAGMA user_version = " + std::to_string(v + 1)));
    VIGIL_RETURN_IF_ERROR(tx.Commit());
  }
  return Status::Ok();
}

Stmt::~Stmt() {
  if (st_) db_->GiveBack(st_);
}

Stmt& Stmt::Bind(int i, std::int64_t v) {
  sqlite3_bind_int64(st_, i, v);
  return *this;
}
Stmt& Stmt::Bind(int i, double v) {
  if (std::isnan(v)) return BindNull(i);
  sqlite3_bind_double(st_, i, v);
  return *this;
}
Stmt& Stmt::Bind(int i, std::string_view v) {
  // An empty view may have a null data(), which SQLite would bind as NULL: text stays text.
  sqlite3_bind_text(st_, i, v.data() ? v.data() : "", static_cast<int>(v.size()), SQLITE_TRANSIENT);
  return *this;
}
Stmt& Stmt::BindBlob(int i, const void* data, std::size_t bytes) {
  sqlite3_bind_blob64(st_, i, data, bytes, SQLITE_TRANSIENT);
  return *this;
}
Stmt& Stmt::BindNull(int i) {
  sqlite3_bind_null(st_, i);
  return *this;
}

Result<bool> Stmt::Step() {
  int rc = sqlite3_step(st_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return db_->ErrorStatus(rc);
}

Status Stmt::Run() {
  auto r = Step();
  Reset();
  if (!r.ok()) return r.status();
  return Status::Ok();
}

void Stmt::Reset() {
  sqlite3_reset(st_);
  sqlite3_clear_bindings(st_);
}

bool Stmt::IsNull(int c) const { return sqlite3_column_type(st_, c) == SQLITE_NULL; }
std::int64_t Stmt::Int(int c) const { return sqlite3_column_int64(st_, c); }
double Stmt::Double(int c) const {
  return IsNull(c) ? std::nan("") : sqlite3_column_double(st_, c);
}
std::string Stmt::Text(int c) const {
  const unsigned char* t = sqlite3_column_text(st_, c);
  return t ? std::string(reinterpret_cast<const char*>(t), sqlite3_column_bytes(st_, c)) : "";
}
std::vector<std::uint8_t> Stmt::Blob(int c) const {
  const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(st_, c));
  return p ? std::vector<std::uint8_t>(p, p + sqlite3_column_bytes(st_, c))
           : std::vector<std::uint8_t>{};
}

// Savepoints share one name: SQLite releases or rolls back to the most
// recent savepoint of a name, which is the innermost open Transaction.
Transaction::~Transaction() {
  if (!open_) return;
  if (nested_) {
    db_.Exec("ROLLBACK TO vigil_nested");
    db_.Exec("RELEASE vigil_nested");
  } else {
    db_.Exec("ROLLBACK");
  }
}
Status Transaction::Begin() {
  assert(!open_);
  nested_ = sqlite3_get_autocommit(db_.handle()) == 0;
  VIGIL_RETURN_IF_ERROR(db_.Exec(nested_ ? "SAVEPOINT vigil_nested" : "BEGIN IMMEDIATE"));
  open_ = true;
  return Status::Ok();
}
Status Transaction::Commit() {
  VIGIL_RETURN_IF_ERROR(db_.Exec(nested_ ? "RELEASE vigil_nested" : "COMMIT"));
  open_ = false;
  return Status::Ok();
}

ReadTransaction::~ReadTransaction() {
  if (open_) db_.Exec("ROLLBACK");  // nothing was written: ending it is all
}
Status ReadTransaction::Begin() {
  assert(!open_);
  if (sqlite3_get_autocommit(db_.handle()) == 0) return Status::Ok();
  VIGIL_RETURN_IF_ERROR(db_.Exec("BEGIN"));
  open_ = true;
  return Status::Ok();
}

}  // namespace vigil::store
