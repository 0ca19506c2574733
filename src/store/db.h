// Db: vigil's embedded SQLite store.
//
// Open() creates the file (and its directory) if needed, turns on WAL and
// foreign keys, and brings the schema to the newest version by running the
// migrations in store/migrations.cc in order, each in its own transaction.
// A Db is used from one thread at a time.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace vigil::store {

class Stmt;

class Db {
 public:
  // Opens (creating if missing) the database at `path`; ":memory:" works.
  static Result<std::unique_ptr<Db>> Open(const std::string& path);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  // Runs one or more statements that return no rows.
  Status Exec(std::string_view sql);
  Result<Stmt> Prepare(std::string_view sql);

  int SchemaVersion();
  const std::string& path() const { return path_; }
  std::int64_t LastInsertRowId();
  sqlite3* handle() { return db_; }

  // Error text of the last failed call, prefixed with the database path.
  std::string LastError() const;
  // The Status of a failed SQLite call with result code `rc`: Busy ("store
  // busy, retry: ...") when another connection held the store longer than
  // the busy timeout, Internal with LastError() otherwise.
  Status ErrorStatus(int rc, std::string_view context = {}) const;
  // How long a write waits for another process's transaction: 10 s, or
  // $VIGIL_BUSY_TIMEOUT_MS.
  int busy_timeout_ms() const { return busy_timeout_ms_; }

  // What lets a reader reuse what it computed from the store: unique per
  // opened Db in this process, and the stamp of the store's content. The
  // stamp changes whenever any connection has committed a change since the
  // last call (SQLite's data_version for other connections, the rows this
  // connection changed for its own). Equal stamps of one Db mean nothing
  // was written in between; unequal ones may be spurious.
  std::uint64_t serial() const { return serial_; }
  struct ChangeStamp {
    std::int64_t data_version = 0, own_changes = 0;
    bool operator==(const ChangeStamp&) const = default;
  };
  Result<ChangeStamp> Stamp();

 private:
  Db(sqlite3* db, std::string path);
  Status Migrate();
  sqlite3* db_;
  std::string path_;
  int busy_timeout_ms_ = 10000;
  std::uint64_t serial_ = 0;
  // Statements given back by ~Stmt, reset, by SQL text: Prepare reuses them
  // instead of parsing the SQL again (most of a small read's cost). At most
  // kMaxCachedSql texts; finalized with the Db.
  friend class Stmt;
  void GiveBack(sqlite3_stmt* st);
  std::map<std::string, std::vector<sqlite3_stmt*>, std::less<>> stmt_cache_;
};

// A prepared statement. Bind indices start at 1, column indices at 0. It
// must not outlive its Db (it goes back to the Db's statement cache).
class Stmt {
 public:
  Stmt(Stmt&& o) noexcept : db_(o.db_), st_(o.st_) { o.st_ = nullptr; }
  Stmt& operator=(Stmt&&) = delete;
  ~Stmt();

  Stmt& Bind(int i, std::int64_t v);
  Stmt& Bind(int i, int v) { return Bind(i, static_cast<std::int64_t>(v)); }
  Stmt& Bind(int i, double v);  // NaN is stored as NULL
  Stmt& Bind(int i, std::string_view v);
  Stmt& Bind(int i, const char* v) { return Bind(i, std::string_view(v)); }
  Stmt& Bind(int i, const std::string& v) { return Bind(i, std::string_view(v)); }
  Stmt& BindBlob(int i, const void* data, std::size_t bytes);
  Stmt& BindNull(int i);
  template <typename T>
  Stmt& Bind(int i, const std::optional<T>& v) { return v ? Bind(i, *v) : BindNull(i); }

  // Advances: true when a row is available, false when done.
  Result<bool> Step();
  // Runs a statement that returns no rows, then resets it for reuse.
  Status Run();
  void Reset();

  bool IsNull(int c) const;
  std::int64_t Int(int c) const;
  double Double(int c) const;  // NULL reads as NaN
  std::string Text(int c) const;
  std::vector<std::uint8_t> Blob(int c) const;

 private:
  friend class Db;
  Stmt(Db* db, sqlite3_stmt* st) : db_(db), st_(st) {}
  Db* db_;
  sqlite3_stmt* st_;
};

// RAII transaction: rolls back unless Commit() succeeded. The outermost
// Transaction is BEGIN IMMEDIATE ... COMMIT; one begun while another is open
// on the same Db is a SAVEPOINT inside it, so a service operation can call
// several repository methods (each with its own Transaction) and have them
// commit or roll back as one: an inner Commit() only releases the savepoint,
// an inner rollback undoes only its own part, and nothing is durable before
// the outermost Commit().
class Transaction {
 public:
  explicit Transaction(Db& db) : db_(db) {}
  ~Transaction();
  Status Begin();
  Status Commit();
  bool nested() const { return nested_; }

 private:
  Db& db_;
  bool open_ = false;
  bool nested_ = false;
};

// RAII read snapshot: several reads see one state of the store (a deferred
// BEGIN, so writers are not blocked), ended when it goes out of scope.
// Inside an open transaction it does nothing (that one is the snapshot).
class ReadTransaction {
 public:
  explicit ReadTransaction(Db& db) : db_(db) {}
  ~ReadTransaction();
  Status Begin();

 private:
  Db& db_;
  bool open_ = false;
};

}  // namespace vigil::store
