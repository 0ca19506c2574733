// Persistence of conflict events (schema v2: events, event_history,
// event_imports, quarantine). The import side is written by EventImport
// below; the query side feeds aggregation, detectors and evidence display;
// the quarantine side lists, shows and resolves the rows an import could not
// use.
//
// The store does not parse or serialize event files (that is data/, a
// sibling layer): callers pass each event's fingerprint
// (data::EventFingerprint) and a function that turns an Event into the
// record kept in event_history (data::EventToJson).
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.h"
#include "core/status.h"
#include "store/db.h"

namespace vigil::store {

// ---- Queries ---------------------------------------------------------------

// Which stored events to load. Empty `gw` means every country.
struct EventQuery {
  std::vector<int> gw;
  Day first_day = std::numeric_limits<Day>::min();  // date_start >= first_day
  Day last_day = std::numeric_limits<Day>::max();   // date_start <= last_day
  std::string source;                               // "" = every source
};

// Loads matching events column by column (row_id = events.id), ordered by
// (gw, date_start, id).
Result<EventColumns> LoadEventColumns(Db& db, const EventQuery& query);

struct StoredEvent {
  std::int64_t row_id = 0;
  int version = 1;
  std::int64_t import_id = 0;  // the import that stored this version
  std::int64_t line = 0;       // its line in that import's file
  Event event;
};
// Loads whole events by row id (the evidence of an alert), in the order given;
// NotFound if one does not exist.
Result<std::vector<StoredEvent>> LoadEventsByRow(Db& db, const std::vector<std::int64_t>& rows);

// Stored events of country `gw` that start in [first_day, last_day], by
// (date_start, id), at most `limit` of them; *total (if given) is how many
// match in all.
Result<std::vector<StoredEvent>> LoadCountryEvents(Db& db, int gw, Day first_day, Day last_day,
                                                   std::size_t limit, std::int64_t* total = nullptr);

// The stored event (source, event_id); NotFound if there is none.
Result<StoredEvent> LoadEventById(Db& db, std::string_view source, std::string_view event_id);

// The sources (ascending) that have a stored event with this id.
Result<std::vector<std::string>> FindEventSources(Db& db, std::string_view event_id);

// Earlier versions of a stored event, oldest first: each is the record
// (the caller's EventRecordFn output, e.g. JSON) the event had before an
// import replaced it.
struct EventHistoryEntry {
  int version = 0;           // the version the record was
  std::string replaced_at;   // UTC ISO 8601
  std::int64_t import_id = 0;  // the import that replaced it
  std::string record;
};
Result<std::vector<EventHistoryEntry>> LoadEventHistory(Db& db, std::int64_t row_id);

// ---- Import ----------------------------------------------------------------

// Turns an event into the record kept in event_history (data::EventToJson).
using EventRecordFn = std::function<std::string(const Event&)>;

// What storing one event did. Events are unique by (source, event_id):
//   kStored     no event had that key: inserted as version 1;
//   kDuplicate  the stored event has the same fingerprint: nothing written;
//   kRevised    the stored event, written by an earlier import, differs:
//               its old content goes to event_history and the row is
//               replaced, version + 1 (a revision, as between GED releases).
// A second row with the key in the same import and different content is
// not a revision but a conflict: Add refuses it (InvalidArgument naming the
// id and both lines). Importers find such rows before storing any of them
// (data::FindIdConflicts), so this refusal is a backstop, e.g. for a file
// changed while it was being imported.
enum class UpsertOutcome { kStored, kDuplicate, kRevised };
const char* UpsertOutcomeName(UpsertOutcome o);  // "stored", "duplicate", "revised"

struct UpsertResult {
  UpsertOutcome outcome = UpsertOutcome::kStored;
  std::int64_t row_id = 0;  // events.id
  int version = 1;          // the version stored now
};

// Counts of one import. read == stored + duplicates + revised + quarantined
// (the conservation line; Finish fails with Internal if it does not hold).
struct ImportCounts {
  std::int64_t read = 0;
  std::int64_t stored = 0;
  std::int64_t duplicates = 0;
  std::int64_t revised = 0;  // column event_imports.updated
  std::int64_t quarantined = 0;
};

// A record an import could not use (mirrors data::RejectedRow).
struct QuarantinedRow {
  std::string path;
  std::int64_t line = 0;      // first line of the record
  std::int64_t end_line = 0;  // last line
  std::string field;          // offending column, "" for whole-record problems
  std::string reason;
  std::string raw;            // the record's bytes as read (any bytes)
};

struct EventImportOptions {
  // Rows (events and quarantined records) per transaction. Each commit
  // also records the counts so far in event_imports, so a crash leaves a
  // consistent store, and the WAL stays bounded by one batch.
  std::int64_t commit_every = 100000;
  // SQLite page cache of the connection while importing, in MiB (the
  // default 2 MiB makes every insert into the two event indexes re-read
  // pages once they outgrow it). A fixed cap: memory does not grow with
  // the file. 0 leaves the connection's setting alone.
  int cache_mib = 64;
};

// One import run over one file:
//   auto imp = EventImport::Begin(db, "ged", path, header, data::EventToJson);
//   for each record: imp->Add(event, data::EventFingerprint(event), line)
//                    or imp->Quarantine(row);
//   auto counts = imp->Finish(seconds);
// Begin opens a transaction (the Db must not be inside one) and records
// the run in event_imports; Finish commits. Destroying an EventImport
// before Finish rolls back the rows since the last commit (earlier batches
// stay, with their counts; re-running the import is idempotent). Not
// thread-safe; one EventImport per Db at a time.
class EventImport {
 public:
  // `format` is one of "ged", "acled", "gdelt", "jsonl"; `header` the
  // file's column names (kept to re-parse quarantined rows).
  static Result<std::unique_ptr<EventImport>> Begin(Db& db, std::string_view format,
                                                    std::string_view path,
                                                    const std::vector<std::string>& header,
                                                    EventRecordFn to_record,
                                                    EventImportOptions options = {});
  ~EventImport();
  EventImport(const EventImport&) = delete;
  EventImport& operator=(const EventImport&) = delete;

  // Stores one event read at `line` of the file (see UpsertOutcome).
  // `event.gw` must be a stored country (foreign key). InvalidArgument (a
  // bad event, or a conflict with a row of this import) writes nothing and
  // the import can go on (quarantine the record); after any other error the
  // import must be abandoned (destroyed without Finish).
  Result<UpsertResult> Add(const Event& event, std::uint64_t fingerprint, std::int64_t line);
  // Keeps a record that could not become an event; returns its quarantine
  // id. A record still open in quarantine from an earlier import (same
  // path, line and bytes) is not added twice: that entry moves to this
  // import with the new reason. Either way it counts as quarantined.
  Result<std::int64_t> Quarantine(const QuarantinedRow& row);
  // Commits, records the final counts and `seconds`; returns the counts.
  Result<ImportCounts> Finish(double seconds);

  std::int64_t id() const;
  const ImportCounts& counts() const;

  class Impl;

 private:
  explicit EventImport(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// A recorded import run.
struct EventImportInfo {
  std::int64_t id = 0;
  std::string started_at;
  std::string format;
  std::string path;
  std::vector<std::string> header;
  ImportCounts counts;
  double seconds = 0;  // NaN while unfinished (or interrupted)
};
Result<EventImportInfo> GetEventImport(Db& db, std::int64_t id);
// Newest first; at most `limit` (0 = all).
Result<std::vector<EventImportInfo>> ListEventImports(Db& db, std::int64_t limit = 0);

// ---- Quarantine ------------------------------------------------------------

struct QuarantineEntry {
  std::int64_t id = 0;
  std::int64_t import_id = 0;
  std::string format;  // of the import
  std::string path;
  std::int64_t line = 0;
  std::int64_t end_line = 0;
  std::string field;
  std::string reason;
  std::string raw;     // bytes as read; may be invalid UTF-8
  std::string status;  // "open" or "resolved"
  std::string resolved_at;  // "" while open
  std::string resolution;
};

struct QuarantineFilter {
  std::string status = "open";  // "open", "resolved" or "all"
  std::int64_t import_id = 0;   // 0 = every import
  std::int64_t limit = 0;       // 0 = no limit
};
// Matching entries by id. InvalidArgument for an unknown status.
Result<std::vector<QuarantineEntry>> ListQuarantine(Db& db, const QuarantineFilter& filter);
// Number of matching entries (ignores `limit`).
Result<std::int64_t> CountQuarantine(Db& db, const QuarantineFilter& filter);
// NotFound if there is no entry `id`.
Result<QuarantineEntry> GetQuarantine(Db& db, std::int64_t id);
// Marks an open entry resolved with `resolution` (what was done about it).
// NotFound for an unknown id, FailedPrecondition if already resolved.
// Recorded in ops_audit (store/audit.h) as done by `who`.
Status ResolveQuarantine(Db& db, std::int64_t id, std::string_view resolution,
                         std::string_view who = "unknown");
// Records a new reason for an entry that is still open (a retry failed for
// another cause than before).
Status UpdateQuarantineReason(Db& db, std::int64_t id, std::string_view field,
                              std::string_view reason);
// Stores `event` (re-parsed from open entry `id`) with the same upsert as
// an import, attributed to the entry's import and line, and marks the entry
// resolved with `note` followed by what the upsert did (e.g. "stored as
// ged/1234"), audited in ops_audit as done by `who`. One transaction: all
// happen or none.
Result<UpsertResult> StoreQuarantinedEvent(Db& db, std::int64_t id, const Event& event,
                                           std::uint64_t fingerprint,
                                           const EventRecordFn& to_record,
                                           std::string_view note,
                                           std::string_view who = "unknown");

// The latest date_start of stored events dated on or before `up_to`, or
// nullopt when there are none: the data cut-off an alert scan or a watchlist
// can actually use.
Result<std::optional<Day>> LatestEventDay(Db& db, Day up_to);

}  // namespace vigil::store
