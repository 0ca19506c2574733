#include "store/event_store.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <unordered_set>
#include <utility>

#include "store/audit.h"
#include "store/forecast_store.h"  // UtcNow()

namespace vigil::store {

namespace {

// The hot paths (one statement per imported row, one row per loaded event)
// use SQLite directly: Stmt copies every bound string and every read text.
class RawStmt {
 public:
  RawStmt() = default;
  RawStmt(RawStmt&& o) noexcept : db_(o.db_), st_(o.st_) { o.st_ = nullptr; }
  RawStmt& operator=(RawStmt&& o) noexcept {
    std::swap(db_, o.db_);
    std::swap(st_, o.st_);
    return *this;
  }
  ~RawStmt() {
    if (st_) sqlite3_finalize(st_);
  }
  static Result<RawStmt> Prepare(Db& db, std::string_view sql) {
    RawStmt s;
    s.db_ = &db;
    int rc = sqlite3_prepare_v3(db.handle(), sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &s.st_, nullptr);
    if (rc != SQLITE_OK) return Status::Internal(db.LastError() + " in: " + std::string(sql));
    return s;
  }
  sqlite3_stmt* get() { return st_; }

  // The text stays owned by the caller until the statement is reset.
  void Text(int i, std::string_view v) {
    sqlite3_bind_text(st_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
  }
  void Int(int i, std::int64_t v) { sqlite3_bind_int64(st_, i, v); }
  void Real(int i, double v) {
    if (std::isnan(v)) {
      sqlite3_bind_null(st_, i);
    } else {
      sqlite3_bind_double(st_, i, v);
    }
  }
  void Blob(int i, std::string_view v) {
    sqlite3_bind_blob64(st_, i, v.data(), v.size(), SQLITE_STATIC);
  }
  Result<bool> Step() {
    int rc = sqlite3_step(st_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return db_->ErrorStatus(rc);
  }
  // Runs a statement that returns no rows and resets it.
  Status Run() {
    auto r = Step();
    sqlite3_reset(st_);
    if (!r.ok()) return r.status();
    return Status::Ok();
  }
  void Reset() { sqlite3_reset(st_); }

  std::int64_t ColInt(int c) { return sqlite3_column_int64(st_, c); }
  double ColReal(int c) {
    return sqlite3_column_type(st_, c) == SQLITE_NULL ? std::nan("") : sqlite3_column_double(st_, c);
  }
  std::string_view ColText(int c) {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(st_, c));
    return p ? std::string_view(p, sqlite3_column_bytes(st_, c)) : std::string_view();
  }
  std::string_view ColBlob(int c) {
    const auto* p = static_cast<const char*>(sqlite3_column_blob(st_, c));
    return p ? std::string_view(p, sqlite3_column_bytes(st_, c)) : std::string_view();
  }

 private:
  Db* db_ = nullptr;
  sqlite3_stmt* st_ = nullptr;
};

// The content columns of `events`, in the order BindContent binds them and
// ReadContent reads them.
constexpr const char* kContentColumns =
    "date_start, date_end, date_precision, gw, country, admin1, admin2, location, latitude, "
    "longitude, geo_precision, cell, violence, event_type, sub_event_type, actor1, actor2, "
    "civilian_targeting, has_deaths, deaths_best, deaths_low, deaths_high, deaths_civilians, "
    "sources, notes";
constexpr int kNumContent = 25;

void BindContent(RawStmt& s, int first, const Event& e) {
  int i = first;
  s.Int(i++, e.date_start);
  s.Int(i++, e.date_end);
  s.Int(i++, e.date_precision);
  s.Int(i++, e.gw);
  s.Text(i++, e.country);
  s.Text(i++, e.admin1);
  s.Text(i++, e.admin2);
  s.Text(i++, e.location);
  s.Real(i++, e.latitude);
  s.Real(i++, e.longitude);
  s.Int(i++, e.geo_precision);
  s.Int(i++, e.cell);
  s.Int(i++, static_cast<int>(e.violence));
  s.Text(i++, e.event_type);
  s.Text(i++, e.sub_event_type);
  s.Text(i++, e.actor1);
  s.Text(i++, e.actor2);
  s.Int(i++, e.civilian_targeting ? 1 : 0);
  s.Int(i++, e.has_deaths ? 1 : 0);
  s.Int(i++, e.deaths_best);
  s.Int(i++, e.deaths_low);
  s.Int(i++, e.deaths_high);
  s.Int(i++, e.deaths_civilians);
  s.Int(i++, e.sources);
  s.Text(i++, e.notes);
}

void ReadContent(RawStmt& s, int first, Event* e) {
  int c = first;
  e->date_start = static_cast<Day>(s.ColInt(c++));
  e->date_end = static_cast<Day>(s.ColInt(c++));
  e->date_precision = static_cast<int>(s.ColInt(c++));
  e->gw = static_cast<int>(s.ColInt(c++));
  e->country = s.ColText(c++);
  e->admin1 = s.ColText(c++);
  e->admin2 = s.ColText(c++);
  e->location = s.ColText(c++);
  e->latitude = s.ColReal(c++);
  e->longitude = s.ColReal(c++);
  e->geo_precision = static_cast<int>(s.ColInt(c++));
  e->cell = static_cast<int>(s.ColInt(c++));
  e->violence = static_cast<Violence>(s.ColInt(c++));
  e->event_type = s.ColText(c++);
  e->sub_event_type = s.ColText(c++);
  e->actor1 = s.ColText(c++);
  e->actor2 = s.ColText(c++);
  e->civilian_targeting = s.ColInt(c++) != 0;
  e->has_deaths = s.ColInt(c++) != 0;
  e->deaths_best = static_cast<std::int32_t>(s.ColInt(c++));
  e->deaths_low = static_cast<std::int32_t>(s.ColInt(c++));
  e->deaths_high = static_cast<std::int32_t>(s.ColInt(c++));
  e->deaths_civilians = static_cast<std::int32_t>(s.ColInt(c++));
  e->sources = static_cast<std::int32_t>(s.ColInt(c++));
  e->notes = s.ColText(c++);
}

// "SELECT id, version, source, event_id, <content> FROM events"
std::string SelectEventSql() {
  return std::string("SELECT id, version, source, event_id, import_id, line, ") + kContentColumns +
         " FROM events";
}
void ReadStoredEvent(RawStmt& s, StoredEvent* out) {
  out->row_id = s.ColInt(0);
  out->version = static_cast<int>(s.ColInt(1));
  out->event.source = s.ColText(2);
  out->event.event_id = s.ColText(3);
  out->import_id = s.ColInt(4);
  out->line = s.ColInt(5);
  ReadContent(s, 6, &out->event);
}

// Checks what the schema would otherwise reject mid-transaction, so that a
// bad event is reported (and can be quarantined) without side effects.
Status CheckEvent(const Event& e, const std::unordered_set<int>& countries) {
  auto bad = [&](const std::string& m) {
    return Status::InvalidArgument("event " + e.source + "/" + e.event_id + ": " + m);
  };
  if (e.source.empty()) return bad("no source");
  if (e.event_id.empty()) return bad("no event id");
  if (countries.count(e.gw) == 0) {
    return bad("country gw " + std::to_string(e.gw) + " is not in the country table");
  }
  if (static_cast<int>(e.violence) > 4) return bad("unknown violence type");
  if (e.deaths_best < 0 || e.deaths_low < 0 || e.deaths_high < 0 || e.deaths_civilians < 0) {
    return bad("negative deaths");
  }
  return Status::Ok();
}

Result<std::unordered_set<int>> LoadCountryCodes(Db& db) {
  std::unordered_set<int> gw;
  VIGIL_ASSIGN_OR_RETURN(Stmt q, db.Prepare("SELECT gw FROM countries"));
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    gw.insert(static_cast<int>(q.Int(0)));
  }
  return gw;
}

std::string EventKey(const Event& e) { return e.source + "/" + e.event_id; }

}  // namespace

const char* UpsertOutcomeName(UpsertOutcome o) {
  switch (o) {
    case UpsertOutcome::kStored:
      return "stored";
    case UpsertOutcome::kDuplicate:
      return "duplicate";
    case UpsertOutcome::kRevised:
      return "revised";
  }
  return "?";
}

// ---- Upsert ----------------------------------------------------------------

namespace {

// The prepared statements of the idempotent upsert, reused for every row.
class EventWriter {
 public:
  static Result<EventWriter> Create(Db& db, EventRecordFn to_record) {
    assert(to_record && "EventWriter needs a record function for event_history");
    EventWriter w;
    w.db_ = &db;
    w.to_record_ = std::move(to_record);
    VIGIL_ASSIGN_OR_RETURN(w.countries_, LoadCountryCodes(db));
    std::string marks;
    for (int i = 0; i < kNumContent; ++i) marks += ", ?" + std::to_string(6 + i);
    VIGIL_ASSIGN_OR_RETURN(
        w.insert_, RawStmt::Prepare(db, std::string("INSERT INTO events (source, event_id, "
                                                    "fingerprint, import_id, line, ") +
                                            kContentColumns + ") VALUES (?1, ?2, ?3, ?4, ?5" +
                                            marks + ") ON CONFLICT(source, event_id) DO NOTHING"));
    VIGIL_ASSIGN_OR_RETURN(
        w.existing_,
        RawStmt::Prepare(db, "SELECT id, fingerprint, version, import_id, line FROM events WHERE "
                                 "source = ?1 AND event_id = ?2"));
    VIGIL_ASSIGN_OR_RETURN(w.full_, RawStmt::Prepare(db, SelectEventSql() + " WHERE id = ?1"));
    std::string sets;
    {
      std::string cols = kContentColumns;
      std::size_t pos = 0;
      int i = 6;
      while (pos < cols.size()) {
        std::size_t comma = cols.find(',', pos);
        if (comma == std::string::npos) comma = cols.size();
        std::string name = cols.substr(pos, comma - pos);
        while (!name.empty() && name.front() == ' ') name.erase(0, 1);
        sets += ", " + name + " = ?" + std::to_string(i++);
        pos = comma + 1;
      }
    }
    VIGIL_ASSIGN_OR_RETURN(
        w.update_, RawStmt::Prepare(db, "UPDATE events SET fingerprint = ?2, version = ?3, "
                                        "import_id = ?4, line = ?5" +
                                            sets + " WHERE id = ?1"));
    VIGIL_ASSIGN_OR_RETURN(
        w.history_, RawStmt::Prepare(db, "INSERT INTO event_history (event_row, version, "
                                         "replaced_at, import_id, record) VALUES (?1, ?2, ?3, ?4, ?5)"));
    return w;
  }

  Status Check(const Event& e) const { return CheckEvent(e, countries_); }

  // Assumes Check(e) passed and a transaction is open.
  Result<UpsertResult> Upsert(const Event& e, std::uint64_t fingerprint, std::int64_t import_id,
                              std::int64_t line) {
    const auto fp = static_cast<std::int64_t>(fingerprint);
    insert_.Text(1, e.source);
    insert_.Text(2, e.event_id);
    insert_.Int(3, fp);
    insert_.Int(4, import_id);
    insert_.Int(5, line);
    BindContent(insert_, 6, e);
    VIGIL_RETURN_IF_ERROR(insert_.Run().WithContext("storing event " + EventKey(e)));
    if (sqlite3_changes(db_->handle()) == 1) {
      return UpsertResult{UpsertOutcome::kStored, sqlite3_last_insert_rowid(db_->handle()), 1};
    }
    // The key exists: an unchanged duplicate or an update.
    existing_.Text(1, e.source);
    existing_.Text(2, e.event_id);
    auto found = existing_.Step();
    if (!found.ok() || !*found) {
      existing_.Reset();
      return found.ok() ? Status::Internal("event " + EventKey(e) + " vanished during import")
                        : found.status();
    }
    const std::int64_t row = existing_.ColInt(0);
    const std::int64_t old_fp = existing_.ColInt(1);
    const int version = static_cast<int>(existing_.ColInt(2));
    const std::int64_t old_import = existing_.ColInt(3);
    const std::int64_t old_line = existing_.ColInt(4);
    existing_.Reset();
    if (old_fp == fp) return UpsertResult{UpsertOutcome::kDuplicate, row, version};
    if (old_import == import_id) {
      // Same id twice in one import with different content: a conflict,
      // never a revision (see UpsertOutcome).
      return Status::InvalidArgument(fmt::format(
          "conflicting rows for id {} (lines {}, {}): same id, different content in one import; "
          "the row of line {} is stored, this one is not",
          e.event_id, old_line, line, old_line));
    }
    // Keep the replaced content in event_history, then overwrite the row.
    StoredEvent old;
    full_.Int(1, row);
    auto got = full_.Step();
    if (!got.ok() || !*got) {
      full_.Reset();
      return got.ok() ? Status::Internal("event row " + std::to_string(row) + " vanished")
                      : got.status();
    }
    ReadStoredEvent(full_, &old);
    full_.Reset();
    const std::string record = to_record_(old.event);
    const std::string now = UtcNow();
    history_.Int(1, row);
    history_.Int(2, old.version);
    history_.Text(3, now);
    history_.Int(4, import_id);
    history_.Text(5, record);
    VIGIL_RETURN_IF_ERROR(history_.Run().WithContext("keeping the history of " + EventKey(e)));
    update_.Int(1, row);
    update_.Int(2, fp);
    update_.Int(3, old.version + 1);
    update_.Int(4, import_id);
    update_.Int(5, line);
    BindContent(update_, 6, e);
    VIGIL_RETURN_IF_ERROR(update_.Run().WithContext("updating event " + EventKey(e)));
    return UpsertResult{UpsertOutcome::kRevised, row, old.version + 1};
  }

 private:
  Db* db_ = nullptr;
  EventRecordFn to_record_;
  std::unordered_set<int> countries_;
  RawStmt insert_, existing_, full_, update_, history_;
};

}  // namespace

// ---- EventImport -----------------------------------------------------------

class EventImport::Impl {
 public:
  Impl(Db& db, EventWriter writer, EventImportOptions options)
      : db_(db), writer_(std::move(writer)), options_(options) {}
  ~Impl() {
    if (in_tx_) db_.Exec("ROLLBACK");
  }

  Status Start(std::string_view format, std::string_view path,
               const std::vector<std::string>& header) {
    VIGIL_ASSIGN_OR_RETURN(
        quarantine_, RawStmt::Prepare(db_, "INSERT INTO quarantine (import_id, path, line, "
                                           "end_line, field, reason, raw) VALUES (?1, ?2, ?3, ?4, "
                                           "?5, ?6, ?7)"));
    VIGIL_ASSIGN_OR_RETURN(
        find_open_, RawStmt::Prepare(db_, "SELECT id, raw FROM quarantine WHERE path = ?1 AND "
                                          "line = ?2 AND status = 'open'"));
    VIGIL_ASSIGN_OR_RETURN(
        requarantine_, RawStmt::Prepare(db_, "UPDATE quarantine SET import_id = ?2, end_line = ?3, "
                                             "field = ?4, reason = ?5 WHERE id = ?1"));
    VIGIL_ASSIGN_OR_RETURN(
        counts_stmt_, RawStmt::Prepare(db_, "UPDATE event_imports SET read = ?2, stored = ?3, "
                                            "duplicates = ?4, updated = ?5, quarantined = ?6, "
                                            "seconds = ?7 WHERE id = ?1"));
    if (format != "ged" && format != "acled" && format != "gdelt" && format != "jsonl") {
      return Status::InvalidArgument("unknown event format '" + std::string(format) + "'");
    }
    VIGIL_RETURN_IF_ERROR(db_.Exec("BEGIN IMMEDIATE"));
    in_tx_ = true;
    // Column names are text; bytes that are not UTF-8 would make the JSON
    // invalid, so they become U+FFFD (such a column matches no known name).
    const std::string header_json =
        nlohmann::json(header).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    VIGIL_ASSIGN_OR_RETURN(Stmt ins, db_.Prepare("INSERT INTO event_imports (started_at, format, "
                                                 "path, header) VALUES (?, ?, ?, ?)"));
    ins.Bind(1, UtcNow()).Bind(2, format).Bind(3, path).Bind(4, header_json);
    VIGIL_RETURN_IF_ERROR(ins.Run());
    id_ = db_.LastInsertRowId();
    return Status::Ok();
  }

  Result<UpsertResult> Add(const Event& e, std::uint64_t fingerprint, std::int64_t line) {
    assert(in_tx_ && "EventImport used after Finish or a failed commit");
    VIGIL_RETURN_IF_ERROR(writer_.Check(e));
    VIGIL_ASSIGN_OR_RETURN(UpsertResult r, writer_.Upsert(e, fingerprint, id_, line));
    ++counts_.read;
    switch (r.outcome) {
      case UpsertOutcome::kStored:
        ++counts_.stored;
        break;
      case UpsertOutcome::kDuplicate:
        ++counts_.duplicates;
        break;
      case UpsertOutcome::kRevised:
        ++counts_.revised;
        break;
    }
    VIGIL_RETURN_IF_ERROR(MaybeCommit());
    return r;
  }

  Result<std::int64_t> Quarantine(const QuarantinedRow& row) {
    assert(in_tx_ && "EventImport used after Finish or a failed commit");
    VIGIL_ASSIGN_OR_RETURN(std::int64_t qid, FindOpen(row));
    if (qid != 0) {
      // Quarantined before and still open: the entry moves to this import.
      requarantine_.Int(1, qid);
      requarantine_.Int(2, id_);
      requarantine_.Int(3, std::max(row.end_line, row.line));
      requarantine_.Text(4, row.field);
      requarantine_.Text(5, row.reason);
      VIGIL_RETURN_IF_ERROR(requarantine_.Run());
      return Counted(qid);
    }
    quarantine_.Int(1, id_);
    quarantine_.Text(2, row.path);
    quarantine_.Int(3, row.line);
    quarantine_.Int(4, std::max(row.end_line, row.line));
    quarantine_.Text(5, row.field);
    quarantine_.Text(6, row.reason);
    quarantine_.Blob(7, row.raw);
    VIGIL_RETURN_IF_ERROR(quarantine_.Run().WithContext(
        "quarantining " + row.path + ":" + std::to_string(row.line)));
    return Counted(db_.LastInsertRowId());
  }

  Result<ImportCounts> Finish(double seconds) {
    assert(in_tx_ && "EventImport finished twice");
    const ImportCounts& c = counts_;
    if (c.read != c.stored + c.duplicates + c.revised + c.quarantined) {
      // Every Add and Quarantine counts once; a mismatch is a bug. Refuse
      // to commit the rows since the last commit rather than record counts
      // that do not add up.
      return Status::Internal(fmt::format(
          "import {}: conservation broken: read {} != stored {} + duplicates {} + revised {} + "
          "quarantined {}; not committed",
          id_, c.read, c.stored, c.duplicates, c.revised, c.quarantined));
    }
    VIGIL_RETURN_IF_ERROR(WriteCounts(seconds));
    VIGIL_RETURN_IF_ERROR(Commit());
    return counts_;
  }

  std::int64_t id() const { return id_; }
  const ImportCounts& counts() const { return counts_; }

 private:
  Status WriteCounts(double seconds) {
    counts_stmt_.Int(1, id_);
    counts_stmt_.Int(2, counts_.read);
    counts_stmt_.Int(3, counts_.stored);
    counts_stmt_.Int(4, counts_.duplicates);
    counts_stmt_.Int(5, counts_.revised);
    counts_stmt_.Int(6, counts_.quarantined);
    counts_stmt_.Real(7, seconds);
    return counts_stmt_.Run();
  }
  Status Commit() {
    Status s = db_.Exec("COMMIT");
    if (!s.ok()) return s;  // still in the transaction: the destructor rolls back
    in_tx_ = false;
    return Status::Ok();
  }
  // The open entry with the same file, line and bytes, or 0.
  Result<std::int64_t> FindOpen(const QuarantinedRow& row) {
    find_open_.Text(1, row.path);
    find_open_.Int(2, row.line);
    std::int64_t found = 0;
    while (found == 0) {
      auto r = find_open_.Step();
      if (!r.ok()) {
        find_open_.Reset();
        return r.status();
      }
      if (!*r) break;
      if (find_open_.ColBlob(1) == std::string_view(row.raw)) found = find_open_.ColInt(0);
    }
    find_open_.Reset();
    return found;
  }
  Result<std::int64_t> Counted(std::int64_t qid) {
    ++counts_.read;
    ++counts_.quarantined;
    VIGIL_RETURN_IF_ERROR(MaybeCommit());
    return qid;
  }
  Status MaybeCommit() {
    if (++since_commit_ < options_.commit_every) return Status::Ok();
    since_commit_ = 0;
    VIGIL_RETURN_IF_ERROR(WriteCounts(std::nan("")));
    VIGIL_RETURN_IF_ERROR(Commit());
    VIGIL_RETURN_IF_ERROR(db_.Exec("BEGIN IMMEDIATE"));
    in_tx_ = true;
    return Status::Ok();
  }

  Db& db_;
  EventWriter writer_;
  EventImportOptions options_;
  RawStmt quarantine_, find_open_, requarantine_, counts_stmt_;
  bool in_tx_ = false;
  std::int64_t id_ = 0;
  std::int64_t since_commit_ = 0;
  ImportCounts counts_;
};

EventImport::EventImport(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
EventImport::~EventImport() = default;

Result<std::unique_ptr<EventImport>> EventImport::Begin(Db& db, std::string_view format,
                                                        std::string_view path,
                                                        const std::vector<std::string>& header,
                                                        EventRecordFn to_record,
                                                        EventImportOptions options) {
  if (options.commit_every < 1) options.commit_every = 1;
  if (options.cache_mib > 0) {
    VIGIL_RETURN_IF_ERROR(
        db.Exec("PRAGMA cache_size = -" + std::to_string(options.cache_mib * 1024)));
  }
  VIGIL_ASSIGN_OR_RETURN(EventWriter writer, EventWriter::Create(db, std::move(to_record)));
  auto impl = std::make_unique<Impl>(db, std::move(writer), options);
  VIGIL_RETURN_IF_ERROR(impl->Start(format, path, header));
  return std::unique_ptr<EventImport>(new EventImport(std::move(impl)));
}

Result<UpsertResult> EventImport::Add(const Event& event, std::uint64_t fingerprint,
                                      std::int64_t line) {
  return impl_->Add(event, fingerprint, line);
}
Result<std::int64_t> EventImport::Quarantine(const QuarantinedRow& row) {
  return impl_->Quarantine(row);
}
Result<ImportCounts> EventImport::Finish(double seconds) { return impl_->Finish(seconds); }
std::int64_t EventImport::id() const { return impl_->id(); }
const ImportCounts& EventImport::counts() const { return impl_->counts(); }

namespace {

constexpr const char* kImportColumns =
    "id, started_at, format, path, header, read, stored, duplicates, updated, quarantined, seconds";

Result<EventImportInfo> ReadImport(const Stmt& q) {
  EventImportInfo info;
  info.id = q.Int(0);
  info.started_at = q.Text(1);
  info.format = q.Text(2);
  info.path = q.Text(3);
  auto header = nlohmann::json::parse(q.Text(4), nullptr, /*allow_exceptions=*/false);
  if (header.is_discarded() || !header.is_array()) {
    return Status::Corruption("event import " + std::to_string(info.id) +
                              ": stored header is not a JSON array");
  }
  for (const auto& h : header) {
    if (!h.is_string()) {
      return Status::Corruption("event import " + std::to_string(info.id) +
                                ": stored header has a non-text column name");
    }
    info.header.push_back(h.get<std::string>());
  }
  info.counts.read = q.Int(5);
  info.counts.stored = q.Int(6);
  info.counts.duplicates = q.Int(7);
  info.counts.revised = q.Int(8);
  info.counts.quarantined = q.Int(9);
  info.seconds = q.Double(10);
  return info;
}

}  // namespace

Result<EventImportInfo> GetEventImport(Db& db, std::int64_t id) {
  VIGIL_ASSIGN_OR_RETURN(
      Stmt q, db.Prepare(std::string("SELECT ") + kImportColumns + " FROM event_imports WHERE id = ?"));
  q.Bind(1, id);
  VIGIL_ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) return Status::NotFound("no event import " + std::to_string(id));
  return ReadImport(q);
}

Result<std::vector<EventImportInfo>> ListEventImports(Db& db, std::int64_t limit) {
  VIGIL_ASSIGN_OR_RETURN(Stmt q, db.Prepare(std::string("SELECT ") + kImportColumns +
                                            " FROM event_imports ORDER BY id DESC LIMIT ?"));
  q.Bind(1, limit > 0 ? limit : std::int64_t{-1});
  std::vector<EventImportInfo> out;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    VIGIL_ASSIGN_OR_RETURN(EventImportInfo info, ReadImport(q));
    out.push_back(std::move(info));
  }
  return out;
}

// ---- Queries ---------------------------------------------------------------

namespace {

// Reorders every column of `cols` by `order` (a permutation of rows).
template <typename T>
void Permute(std::vector<T>* v, const std::vector<std::uint32_t>& order) {
  std::vector<T> out;
  out.reserve(v->size());
  for (std::uint32_t i : order) out.push_back((*v)[i]);
  v->swap(out);
}

void SortByCountryDayId(EventColumns* c) {
  const std::size_t n = c->size();
  auto less = [c](std::size_t a, std::size_t b) {
    if (c->gw[a] != c->gw[b]) return c->gw[a] < c->gw[b];
    if (c->day[a] != c->day[b]) return c->day[a] < c->day[b];
    return c->row_id[a] < c->row_id[b];
  };
  bool sorted = true;
  for (std::size_t i = 1; i < n && sorted; ++i) sorted = !less(i, i - 1);
  if (sorted) return;
  std::vector<std::uint32_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = static_cast<std::uint32_t>(i);
  std::sort(order.begin(), order.end(), less);
  Permute(&c->row_id, order);
  Permute(&c->day, order);
  Permute(&c->day_end, order);
  Permute(&c->gw, order);
  Permute(&c->cell, order);
  Permute(&c->admin1_id, order);
  Permute(&c->actor1_id, order);
  Permute(&c->actor2_id, order);
  Permute(&c->violence, order);
  Permute(&c->civilian_targeting, order);
  Permute(&c->deaths_best, order);
  Permute(&c->deaths_civilians, order);
}

}  // namespace

Result<EventColumns> LoadEventColumns(Db& db, const EventQuery& query) {
  // One scan in storage order, then a sort in memory: for all countries a
  // sequential read of the table is several times faster than walking the
  // (gw, date_start) index, which visits table pages at random. With a
  // country filter SQLite uses that index and the rows arrive sorted.
  std::string sql =
      "SELECT id, date_start, date_end, gw, cell, admin1, actor1, actor2, violence, "
      "civilian_targeting, deaths_best, deaths_civilians FROM events WHERE date_start >= ?1 AND "
      "date_start <= ?2";
  int next = 3;
  if (!query.source.empty()) sql += " AND source = ?" + std::to_string(next++);
  if (!query.gw.empty()) {
    sql += " AND gw IN (";
    for (std::size_t i = 0; i < query.gw.size(); ++i) {
      sql += (i ? ", ?" : "?") + std::to_string(next + static_cast<int>(i));
    }
    sql += ")";
  }
  VIGIL_ASSIGN_OR_RETURN(RawStmt q, RawStmt::Prepare(db, sql));
  q.Int(1, query.first_day);
  q.Int(2, query.last_day);
  int bind = 3;
  if (!query.source.empty()) q.Text(bind++, query.source);
  for (int gw : query.gw) q.Int(bind++, gw);

  EventColumns cols;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    cols.row_id.push_back(q.ColInt(0));
    cols.day.push_back(static_cast<Day>(q.ColInt(1)));
    cols.day_end.push_back(static_cast<Day>(q.ColInt(2)));
    cols.gw.push_back(static_cast<std::int32_t>(q.ColInt(3)));
    cols.cell.push_back(static_cast<std::int32_t>(q.ColInt(4)));
    cols.admin1_id.push_back(cols.Intern(q.ColText(5)));
    cols.actor1_id.push_back(cols.Intern(q.ColText(6)));
    cols.actor2_id.push_back(cols.Intern(q.ColText(7)));
    cols.violence.push_back(static_cast<Violence>(q.ColInt(8)));
    cols.civilian_targeting.push_back(q.ColInt(9) != 0 ? 1 : 0);
    cols.deaths_best.push_back(static_cast<std::int32_t>(q.ColInt(10)));
    cols.deaths_civilians.push_back(static_cast<std::int32_t>(q.ColInt(11)));
  }
  if (cols.size() > std::numeric_limits<std::uint32_t>::max()) {
    return Status::Internal("too many events to load at once");
  }
  SortByCountryDayId(&cols);
  return cols;
}

Result<std::vector<StoredEvent>> LoadEventsByRow(Db& db, const std::vector<std::int64_t>& rows) {
  VIGIL_ASSIGN_OR_RETURN(RawStmt q, RawStmt::Prepare(db, SelectEventSql() + " WHERE id = ?1"));
  std::vector<StoredEvent> out;
  out.reserve(rows.size());
  for (std::int64_t id : rows) {
    q.Int(1, id);
    auto row = q.Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::NotFound("no stored event with row id " + std::to_string(id));
    StoredEvent e;
    ReadStoredEvent(q, &e);
    q.Reset();
    out.push_back(std::move(e));
  }
  return out;
}

Result<std::vector<StoredEvent>> LoadCountryEvents(Db& db, int gw, Day first_day, Day last_day,
                                                   std::size_t limit, std::int64_t* total) {
  const std::string where = " WHERE gw = ?1 AND date_start BETWEEN ?2 AND ?3";
  if (total) {
    VIGIL_ASSIGN_OR_RETURN(Stmt c, db.Prepare("SELECT count(*) FROM events" + where));
    c.Bind(1, gw).Bind(2, static_cast<std::int64_t>(first_day)).Bind(3, static_cast<std::int64_t>(last_day));
    VIGIL_ASSIGN_OR_RETURN(bool row, c.Step());
    *total = row ? c.Int(0) : 0;
  }
  VIGIL_ASSIGN_OR_RETURN(RawStmt q, RawStmt::Prepare(db, SelectEventSql() + where +
                                                             " ORDER BY date_start, id LIMIT ?4"));
  q.Int(1, gw);
  q.Int(2, first_day);
  q.Int(3, last_day);
  q.Int(4, static_cast<std::int64_t>(limit));
  std::vector<StoredEvent> out;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    StoredEvent e;
    ReadStoredEvent(q, &e);
    out.push_back(std::move(e));
  }
  return out;
}

Result<StoredEvent> LoadEventById(Db& db, std::string_view source, std::string_view event_id) {
  VIGIL_ASSIGN_OR_RETURN(RawStmt q, RawStmt::Prepare(db, SelectEventSql() +
                                                             " WHERE source = ?1 AND event_id = ?2"));
  q.Text(1, source);
  q.Text(2, event_id);
  VIGIL_ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) {
    return Status::NotFound("no stored event " + std::string(source) + "/" + std::string(event_id));
  }
  StoredEvent e;
  ReadStoredEvent(q, &e);
  return e;
}

Result<std::vector<std::string>> FindEventSources(Db& db, std::string_view event_id) {
  VIGIL_ASSIGN_OR_RETURN(
      Stmt q, db.Prepare("SELECT source FROM events WHERE event_id = ? ORDER BY source"));
  q.Bind(1, event_id);
  std::vector<std::string> out;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    out.push_back(q.Text(0));
  }
  return out;
}

Result<std::vector<EventHistoryEntry>> LoadEventHistory(Db& db, std::int64_t row_id) {
  VIGIL_ASSIGN_OR_RETURN(Stmt q, db.Prepare("SELECT version, replaced_at, import_id, record FROM "
                                            "event_history WHERE event_row = ? ORDER BY version"));
  q.Bind(1, row_id);
  std::vector<EventHistoryEntry> out;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    out.push_back({static_cast<int>(q.Int(0)), q.Text(1), q.Int(2), q.Text(3)});
  }
  return out;
}

// ---- Quarantine ------------------------------------------------------------

namespace {

constexpr const char* kQuarantineSelect =
    "SELECT q.id, q.import_id, i.format, q.path, q.line, q.end_line, q.field, q.reason, q.raw, "
    "q.status, q.resolved_at, q.resolution FROM quarantine q JOIN event_imports i ON i.id = "
    "q.import_id";

QuarantineEntry ReadQuarantine(RawStmt& q) {
  QuarantineEntry e;
  e.id = q.ColInt(0);
  e.import_id = q.ColInt(1);
  e.format = q.ColText(2);
  e.path = q.ColText(3);
  e.line = q.ColInt(4);
  e.end_line = q.ColInt(5);
  e.field = q.ColText(6);
  e.reason = q.ColText(7);
  e.raw = q.ColBlob(8);
  e.status = q.ColText(9);
  e.resolved_at = q.ColText(10);
  e.resolution = q.ColText(11);
  return e;
}

// " WHERE ..." for a filter; binds from ?1.
Result<std::string> QuarantineWhere(const QuarantineFilter& f) {
  std::string where;
  if (f.status == "open" || f.status == "resolved") {
    where = " WHERE q.status = ?1";
  } else if (f.status == "all" || f.status.empty()) {
    where = " WHERE ?1 IS NULL";
  } else {
    return Status::InvalidArgument("unknown quarantine status '" + f.status +
                                   "' (open, resolved or all)");
  }
  where += " AND (?2 = 0 OR q.import_id = ?2)";
  return where;
}
void BindQuarantineFilter(RawStmt& q, const QuarantineFilter& f) {
  if (f.status == "open" || f.status == "resolved") {
    q.Text(1, f.status);
  } else {
    sqlite3_bind_null(q.get(), 1);
  }
  q.Int(2, f.import_id);
}

}  // namespace

Result<std::vector<QuarantineEntry>> ListQuarantine(Db& db, const QuarantineFilter& filter) {
  VIGIL_ASSIGN_OR_RETURN(std::string where, QuarantineWhere(filter));
  VIGIL_ASSIGN_OR_RETURN(
      RawStmt q, RawStmt::Prepare(db, std::string(kQuarantineSelect) + where +
                                          " ORDER BY q.id LIMIT ?3"));
  BindQuarantineFilter(q, filter);
  q.Int(3, filter.limit > 0 ? filter.limit : -1);
  std::vector<QuarantineEntry> out;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    out.push_back(ReadQuarantine(q));
  }
  return out;
}

Result<std::int64_t> CountQuarantine(Db& db, const QuarantineFilter& filter) {
  VIGIL_ASSIGN_OR_RETURN(std::string where, QuarantineWhere(filter));
  VIGIL_ASSIGN_OR_RETURN(RawStmt q,
                         RawStmt::Prepare(db, "SELECT count(*) FROM quarantine q" + where));
  BindQuarantineFilter(q, filter);
  VIGIL_ASSIGN_OR_RETURN(bool row, q.Step());
  return row ? q.ColInt(0) : 0;
}

Result<QuarantineEntry> GetQuarantine(Db& db, std::int64_t id) {
  VIGIL_ASSIGN_OR_RETURN(RawStmt q,
                         RawStmt::Prepare(db, std::string(kQuarantineSelect) + " WHERE q.id = ?1"));
  q.Int(1, id);
  VIGIL_ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) return Status::NotFound("no quarantined row " + std::to_string(id));
  return ReadQuarantine(q);
}

namespace {

// Marks entry `id` resolved inside the caller's transaction.
Status MarkResolved(Db& db, std::int64_t id, std::string_view resolution, std::string_view who,
                    std::string_view action) {
  VIGIL_ASSIGN_OR_RETURN(Stmt q, db.Prepare("SELECT status FROM quarantine WHERE id = ?"));
  q.Bind(1, id);
  VIGIL_ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) return Status::NotFound("no quarantined row " + std::to_string(id));
  if (q.Text(0) == "resolved") {
    return Status::FailedPrecondition("quarantined row " + std::to_string(id) +
                                      " is already resolved");
  }
  VIGIL_ASSIGN_OR_RETURN(Stmt u, db.Prepare("UPDATE quarantine SET status = 'resolved', "
                                            "resolved_at = ?, resolution = ? WHERE id = ?"));
  u.Bind(1, UtcNow()).Bind(2, resolution).Bind(3, id);
  VIGIL_RETURN_IF_ERROR(u.Run());
  OpsAuditEntry audit{std::string(who), std::string(action), "quarantine", id,
                      {{"status", "open"}},
                      {{"status", "resolved"}, {"resolution", resolution}}};
  return AppendOpsAudit(db, audit);
}

}  // namespace

Status ResolveQuarantine(Db& db, std::int64_t id, std::string_view resolution, std::string_view who) {
  Transaction tx(db);
  VIGIL_RETURN_IF_ERROR(tx.Begin());
  VIGIL_RETURN_IF_ERROR(MarkResolved(db, id, resolution, who, "quarantine.resolve"));
  return tx.Commit();
}

Status UpdateQuarantineReason(Db& db, std::int64_t id, std::string_view field,
                              std::string_view reason) {
  VIGIL_ASSIGN_OR_RETURN(Stmt u, db.Prepare("UPDATE quarantine SET field = ?, reason = ? WHERE id = "
                                            "? AND status = 'open'"));
  u.Bind(1, field).Bind(2, reason).Bind(3, id);
  VIGIL_RETURN_IF_ERROR(u.Run());
  if (sqlite3_changes(db.handle()) != 1) {
    return Status::NotFound("no open quarantined row " + std::to_string(id));
  }
  return Status::Ok();
}

Result<UpsertResult> StoreQuarantinedEvent(Db& db, std::int64_t id, const Event& event,
                                           std::uint64_t fingerprint,
                                           const EventRecordFn& to_record,
                                           std::string_view note, std::string_view who) {
  VIGIL_ASSIGN_OR_RETURN(QuarantineEntry entry, GetQuarantine(db, id));
  if (entry.status != "open") {
    return Status::FailedPrecondition("quarantined row " + std::to_string(id) +
                                      " is already resolved");
  }
  VIGIL_ASSIGN_OR_RETURN(EventWriter writer, EventWriter::Create(db, to_record));
  VIGIL_RETURN_IF_ERROR(writer.Check(event));
  Transaction tx(db);
  VIGIL_RETURN_IF_ERROR(tx.Begin());
  VIGIL_ASSIGN_OR_RETURN(UpsertResult r,
                         writer.Upsert(event, fingerprint, entry.import_id, entry.line));
  std::string what;
  switch (r.outcome) {
    case UpsertOutcome::kStored:
      what = "stored as " + EventKey(event);
      break;
    case UpsertOutcome::kDuplicate:
      what = EventKey(event) + " was already stored unchanged";
      break;
    case UpsertOutcome::kRevised:
      what = "revised " + EventKey(event) + " to version " + std::to_string(r.version);
      break;
  }
  std::string resolution = note.empty() ? what : std::string(note) + ": " + what;
  VIGIL_RETURN_IF_ERROR(MarkResolved(db, id, resolution, who, "quarantine.retry"));
  VIGIL_RETURN_IF_ERROR(tx.Commit());
  return r;
}

Result<std::optional<Day>> LatestEventDay(Db& db, Day up_to) {
  VIGIL_ASSIGN_OR_RETURN(Stmt s, db.Prepare("SELECT max(date_start) FROM events WHERE date_start <= ?"));
  s.Bind(1, up_to);
  VIGIL_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row || s.IsNull(0)) return std::optional<Day>();
  return std::optional<Day>(static_cast<Day>(s.Int(0)));
}

}  // namespace vigil::store
