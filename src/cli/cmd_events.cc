// vigil import events --format ged|acled|gdelt|jsonl FILE...: streams event
// files into the store. Each file is one import run (event_imports): events
// are upserted by (source, event_id) -- new ones stored, unchanged ones
// counted as duplicates, ones changed since an earlier import revised with
// their old version kept in event_history -- and records that cannot become
// events are quarantined with file, line, field, reason and raw bytes. Rows
// of one file that share an id but differ are a conflict: a pre-pass
// (data::FindIdConflicts) finds them and every one is quarantined.
//
// A reader thread parses (EventFileReader::Next and the fingerprint) while
// this thread writes to SQLite; they exchange a fixed set of reusable
// batches, so memory does not grow with the file.
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <iostream>
#include <memory>
#include <mutex>
#include <thread>

#include "cli/cli.h"
#include "data/countries.h"
#include "data/event_conflicts.h"
#include "data/event_formats.h"
#include "store/event_store.h"

namespace vigil::cli {

namespace {

constexpr std::size_t kBatchRecords = 4096;  // records per batch handed to the writer
constexpr std::size_t kBatches = 4;          // batches in flight: bounds memory
constexpr std::size_t kShowReasons = 5;      // quarantine reasons echoed on stderr

struct Item {
  data::EventFileReader::Kind kind = data::EventFileReader::Kind::kEnd;
  Event event;
  std::uint64_t fingerprint = 0;
  std::size_t line = 0;
  data::RejectedRow rejected;
};

struct Batch {
  std::vector<Item> items{kBatchRecords};
  std::size_t size = 0;
  std::size_t bytes_read = 0;  // reader position after the batch
};

// A closable blocking queue of batches.
class BatchQueue {
 public:
  void Push(std::unique_ptr<Batch> b) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (closed_) return;
      q_.push_back(std::move(b));
    }
    cv_.notify_one();
  }
  // nullptr once closed and empty.
  std::unique_ptr<Batch> Pop() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return closed_ || !q_.empty(); });
    if (q_.empty()) return nullptr;
    auto b = std::move(q_.front());
    q_.pop_front();
    return b;
  }
  void Close() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      closed_ = true;
    }
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::unique_ptr<Batch>> q_;
  bool closed_ = false;
};

struct Example {
  std::int64_t quarantine_id = 0;
  data::RejectedRow row;
};

struct FileResult {
  std::string path;
  std::int64_t import_id = 0;
  store::ImportCounts counts;
  double seconds = 0;
  std::vector<Example> examples;  // first quarantined rows
  std::size_t conflicting_ids = 0;  // ids with differing rows in the file
};

double SecondsSince(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

std::string AbsolutePath(const std::string& path) {
  std::error_code ec;
  auto abs = std::filesystem::absolute(path, ec);
  return ec ? path : abs.lexically_normal().string();
}

// Imports one opened file; the reader thread parses while this thread writes.
// Rows whose id is in `conflicts` are quarantined, never stored.
Result<FileResult> ImportFile(store::Db& db, data::EventFileReader& reader,
                              const data::IdConflicts& conflicts, const ProgressFn& progress) {
  const auto t0 = std::chrono::steady_clock::now();
  FileResult result;
  result.path = AbsolutePath(reader.path());
  result.conflicting_ids = conflicts.size();
  const std::string id_field = data::EventIdField(reader.format());
  VIGIL_ASSIGN_OR_RETURN(
      auto import, store::EventImport::Begin(db, data::EventFormatName(reader.format()),
                                             result.path, reader.header(), data::EventToJson));
  result.import_id = import->id();

  BatchQueue free_batches, full_batches;
  for (std::size_t i = 0; i < kBatches; ++i) free_batches.Push(std::make_unique<Batch>());
  Status read_status;
  std::atomic<bool> stop{false};  // set by the writer after an error
  std::thread parser([&] {
    bool done = false;
    while (!done && !stop) {
      auto b = free_batches.Pop();
      if (!b) break;  // the writer stopped
      b->size = 0;
      while (b->size < kBatchRecords && !stop) {
        Item& it = b->items[b->size];
        auto kind = reader.Next(&it.event, &it.line, &it.rejected);
        if (!kind.ok()) {
          read_status = kind.status();
          done = true;
          break;
        }
        if (*kind == data::EventFileReader::Kind::kEnd) {
          done = true;
          break;
        }
        it.kind = *kind;
        if (it.kind == data::EventFileReader::Kind::kEvent) {
          if (const auto* lines = conflicts.Find(it.event.source, it.event.event_id)) {
            it.kind = data::EventFileReader::Kind::kRejected;
            it.rejected = data::RejectedRow{};
            it.rejected.path = reader.path();
            it.rejected.line = it.line;
            it.rejected.field = id_field;
            it.rejected.reason = data::IdConflicts::Reason(it.event.event_id, *lines);
            it.rejected.raw = std::string(reader.last_raw());
            it.rejected.end_line =  // a quoted field may span lines
                it.line + std::count(it.rejected.raw.begin(), it.rejected.raw.end(), '\n');
          } else {
            it.fingerprint = data::EventFingerprint(it.event);
          }
        }
        ++b->size;
      }
      b->bytes_read = reader.bytes_read();
      full_batches.Push(std::move(b));
    }
    full_batches.Close();
  });

  Status write_status;
  std::int64_t handed = 0;  // records passed to the store: the conservation check
  auto quarantine = [&](data::RejectedRow& row) -> Status {
    // Stored with the import's absolute path, so `quarantine show` finds the file.
    store::QuarantinedRow q{result.path,      static_cast<std::int64_t>(row.line),
                            static_cast<std::int64_t>(row.end_line), row.field, row.reason,
                            row.raw};
    VIGIL_ASSIGN_OR_RETURN(std::int64_t id, import->Quarantine(q));
    if (result.examples.size() < kShowReasons) result.examples.push_back({id, row});
    return Status::Ok();
  };
  while (auto b = full_batches.Pop()) {
    for (std::size_t i = 0; i < b->size && write_status.ok(); ++i) {
      Item& it = b->items[i];
      ++handed;
      if (it.kind == data::EventFileReader::Kind::kRejected) {
        write_status = quarantine(it.rejected);
        continue;
      }
      auto added = import->Add(it.event, it.fingerprint, static_cast<std::int64_t>(it.line));
      if (added.ok()) continue;
      if (added.status().code() != Status::Code::kInvalidArgument) {
        write_status = added.status();
        continue;
      }
      // The reader accepted an event the store cannot take (e.g. a country
      // missing from the stored table): keep it in quarantine, as JSON.
      data::RejectedRow row;
      row.path = reader.path();
      row.line = row.end_line = it.line;
      row.reason = added.status().message();
      row.raw = data::EventToJson(it.event);
      write_status = quarantine(row);
    }
    if (!write_status.ok()) {
      stop = true;
      break;
    }
    if (b->bytes_read < reader.file_size()) {
      Report(progress, b->bytes_read, reader.file_size(), "bytes");
    }
    free_batches.Push(std::move(b));
  }
  free_batches.Close();  // the parser ends at its next batch (pushes never block)
  parser.join();
  VIGIL_RETURN_IF_ERROR(read_status);
  VIGIL_RETURN_IF_ERROR(write_status);
  if (import->counts().read != handed) {
    return Status::Internal(fmt::format(
        "{}: conservation broken: the reader produced {} records but the store counted {}; "
        "not committed",
        result.path, handed, import->counts().read));
  }
  result.seconds = SecondsSince(t0);
  VIGIL_ASSIGN_OR_RETURN(result.counts, import->Finish(result.seconds));
  Report(progress, reader.file_size(), reader.file_size(), "bytes");
  return result;
}

bool Conserved(const store::ImportCounts& c) {
  return c.read == c.stored + c.duplicates + c.revised + c.quarantined;
}

nlohmann::json CountsJson(const store::ImportCounts& c) {
  return {{"read", c.read},
          {"stored", c.stored},
          {"duplicates", c.duplicates},
          {"revised", c.revised},
          {"quarantined", c.quarantined},
          {"conserved", Conserved(c)}};
}

// "read 10 = stored 6 + duplicates 1 + revised 1 + quarantined 2"
std::string ConservationLine(const store::ImportCounts& c) {
  return fmt::format("read {} {} stored {} + duplicates {} + revised {} + quarantined {}", c.read,
                     Conserved(c) ? "=" : "!=", c.stored, c.duplicates, c.revised, c.quarantined);
}

std::string Where(const data::RejectedRow& r) {
  std::string s = PrintableText(r.path) + ":" + std::to_string(r.line);
  if (r.end_line > r.line) s += "-" + std::to_string(r.end_line);
  return s;
}

struct ImportEventsArgs {
  std::string format;
  std::vector<std::string> files;
};

int RunImportEvents(Context& ctx, const ImportEventsArgs& a) {
  auto format = data::ParseEventFormat(a.format);
  if (!format.ok()) return Fail(format.status());
  // Open every file first: a missing file or one in the wrong format stops
  // the command before anything is written.
  const CountryTable& countries = data::Countries();
  std::vector<std::unique_ptr<data::EventFileReader>> readers;
  for (const auto& f : a.files) {
    auto r = data::EventFileReader::Open(f, *format, countries);
    if (!r.ok()) return Fail(r.status());
    readers.push_back(std::move(r).value());
  }
  if (auto who = ctx.Authorized("events.import"); !who.ok()) return Fail(who.status());
  VIGIL_ASSIGN_OR_RETURN_CLI(store::Db * db, ctx.Db());

  const auto t0 = std::chrono::steady_clock::now();
  std::vector<FileResult> results;
  store::ImportCounts total;
  std::size_t total_conflicts = 0;
  for (auto& reader : readers) {
    const std::string name = std::filesystem::path(reader->path()).filename().string();
    auto conflicts = data::FindIdConflicts(reader->path(), reader->format(), countries,
                                           ctx.Progress("checking ids in " + name));
    if (!conflicts.ok()) return Fail(conflicts.status());
    auto r = ImportFile(*db, *reader, *conflicts, ctx.Progress("importing " + name));
    if (!r.ok()) {
      if (!results.empty()) {
        std::cerr << fmt::format("vigil: {} earlier file(s) were imported completely\n",
                                 results.size());
      }
      return Fail(r.status());
    }
    total.read += r->counts.read;
    total.stored += r->counts.stored;
    total.duplicates += r->counts.duplicates;
    total.revised += r->counts.revised;
    total.quarantined += r->counts.quarantined;
    total_conflicts += r->conflicting_ids;
    results.push_back(std::move(r).value());
    reader.reset();  // close the file
  }
  const double seconds = SecondsSince(t0);
  if (!Conserved(total)) {  // each file's import checked its own; a bug in the sum
    return Fail(Status::Internal("conservation broken over all files: " + ConservationLine(total)));
  }

  if (total.quarantined > 0) {
    std::size_t shown = 0;
    for (const auto& r : results) {
      for (const auto& ex : r.examples) {
        if (shown++ >= kShowReasons) break;
        std::cerr << fmt::format("quarantined {}: {}\n", Where(ex.row),
                                 QuarantineReasonText(ex.row.field, ex.row.reason));
      }
    }
    std::cerr << fmt::format("{} row(s) quarantined, nothing dropped. List them: vigil quarantine list",
                             total.quarantined);
    if (results.size() == 1) std::cerr << " --import " << results[0].import_id;
    std::cerr << "; after fixing the cause: vigil quarantine retry ID... [--fix TEXT]\n";
  }

  if (ctx.json) {
    nlohmann::json files = nlohmann::json::array();
    for (const auto& r : results) {
      nlohmann::json f = CountsJson(r.counts);
      f["path"] = PrintableText(r.path);
      f["format"] = a.format;
      f["import_id"] = r.import_id;
      f["seconds"] = r.seconds;
      f["rows_per_second"] = r.seconds > 0 ? static_cast<double>(r.counts.read) / r.seconds : 0.0;
      nlohmann::json ex = nlohmann::json::array();
      for (const auto& e : r.examples) {
        ex.push_back({{"quarantine_id", e.quarantine_id},
                      {"line", e.row.line},
                      {"end_line", e.row.end_line},
                      {"field", PrintableText(e.row.field)},
                      {"reason", PrintableText(e.row.reason)}});
      }
      f["quarantine_examples"] = ex;
      f["conflicting_ids"] = r.conflicting_ids;
      files.push_back(f);
    }
    nlohmann::json j = CountsJson(total);
    j["files"] = files;
    j["conflicting_ids"] = total_conflicts;
    j["seconds"] = seconds;
    j["database"] = ctx.db_path;
    PrintJson(j);
  } else {
    std::size_t w = 5;
    for (const auto& r : results) w = std::max(w, PrintableText(r.path).size());
    std::cout << fmt::format("Imported {} {} file(s) into {}\n", results.size(), a.format,
                             ctx.db_path);
    std::cout << fmt::format("  {:<{}}  {:>6}  {:>10}  {:>10}  {:>10}  {:>8}  {:>11}  {:>8}\n",
                             "FILE", w, "IMPORT", "READ", "STORED", "DUPLICATES", "REVISED",
                             "QUARANTINED", "SECONDS");
    auto row = [&](const std::string& name, const std::string& id, const store::ImportCounts& c,
                   double s) {
      std::cout << fmt::format("  {:<{}}  {:>6}  {:>10}  {:>10}  {:>10}  {:>8}  {:>11}  {:>8.2f}\n",
                               name, w, id, c.read, c.stored, c.duplicates, c.revised,
                               c.quarantined, s);
    };
    for (const auto& r : results) {
      row(PrintableText(r.path), std::to_string(r.import_id), r.counts, r.seconds);
    }
    if (results.size() > 1) row("total", "", total, seconds);
    std::cout << "  " << ConservationLine(total) << "\n";
    if (total_conflicts > 0) {
      std::cout << fmt::format(
          "  {} id(s) appear in several rows with different content: every such row is "
          "quarantined, none stored\n",
          total_conflicts);
    }
  }
  return total.quarantined > 0 ? kExitQuarantined : kExitOk;
}

}  // namespace

void RegisterImportEvents(CLI::App& import_cmd, Context& ctx) {
  auto args = std::make_shared<ImportEventsArgs>();
  CLI::App* cmd = import_cmd.add_subcommand(
      "events",
      "Import conflict event files (UCDP GED CSV, ACLED CSV, GDELT 2.0 event export, vigil JSON "
      "lines) into the store. Events are unique by (source, event id): re-importing stores "
      "nothing twice; an event changed since an earlier import is revised and its old version "
      "kept in its history (`vigil events history ID`). Rows of one file that share an id but "
      "differ are a conflict: all of them are quarantined, none stored. Records that cannot be "
      "used are quarantined with file, line, field and reason (see `vigil quarantine`). Prints, "
      "per file and in total, and checks: read = stored + duplicates + revised + quarantined. Exit status 0: all rows used; 3: some rows were quarantined; 1: the import "
      "stopped (missing file, wrong format, I/O error); 2: bad command line.");
  cmd->add_option("--format", args->format, "File format: ged, acled, gdelt or jsonl")
      ->required()
      ->check(CLI::IsMember({"ged", "acled", "gdelt", "jsonl"}));
  cmd->add_option("files", args->files, "Event files to import, in order")->required();
  cmd->callback([&ctx, args] { SetExit(RunImportEvents(ctx, *args)); });
}

}  // namespace vigil::cli
