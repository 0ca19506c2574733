// vigil quarantine list|show|retry|resolve: the records `vigil import
// events` could not use, kept with file, line, field, reason and their raw
// bytes. `retry` re-parses a record (as stored, or corrected with --fix)
// with the header of the file it came from and stores the event with the
// same idempotent upsert as an import; `resolve` closes a record that is
// not an event at all, with the reason why. Nothing leaves the quarantine
// without a recorded resolution.
#include <fmt/format.h>

#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <optional>

#include "cli/cli.h"
#include "data/countries.h"
#include "data/event_formats.h"
#include "store/event_store.h"

namespace vigil::cli {

std::string PrintableText(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  auto hex = [&](unsigned char c) { out += fmt::format("\\x{:02x}", c); };
  auto cont = [&](std::size_t i) {
    return i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80;
  };
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (c == '\t' || c == '\n' || (c >= 0x20 && c != 0x7F)) {
        out += static_cast<char>(c);
      } else if (c == '\r') {
        out += "\\r";
      } else {
        hex(c);
      }
      ++i;
      continue;
    }
    // Length of a well-formed UTF-8 sequence starting here (0: invalid).
    std::size_t n = 0;
    if (c >= 0xC2 && c <= 0xDF) {
      n = cont(i + 1) ? 2 : 0;
    } else if (c >= 0xE0 && c <= 0xEF) {
      const auto c1 = i + 1 < s.size() ? static_cast<unsigned char>(s[i + 1]) : 0;
      const bool ok1 = c == 0xE0 ? (c1 >= 0xA0 && c1 <= 0xBF)
                       : c == 0xED ? (c1 >= 0x80 && c1 <= 0x9F)
                                   : cont(i + 1);
      n = ok1 && cont(i + 2) ? 3 : 0;
    } else if (c >= 0xF0 && c <= 0xF4) {
      const auto c1 = i + 1 < s.size() ? static_cast<unsigned char>(s[i + 1]) : 0;
      const bool ok1 = c == 0xF0 ? (c1 >= 0x90 && c1 <= 0xBF)
                       : c == 0xF4 ? (c1 >= 0x80 && c1 <= 0x8F)
                                   : cont(i + 1);
      n = ok1 && cont(i + 2) && cont(i + 3) ? 4 : 0;
    }
    if (n == 0) {
      hex(c);
      ++i;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

std::string QuarantineReasonText(std::string_view field, std::string_view reason) {
  if (field.empty() || reason.find("'" + std::string(field) + "'") != std::string_view::npos) {
    return PrintableText(reason);
  }
  return PrintableText(field) + ": " + PrintableText(reason);
}

namespace {

nlohmann::json EntryJson(const store::QuarantineEntry& e) {
  return {{"id", e.id},
          {"import_id", e.import_id},
          {"format", e.format},
          {"path", PrintableText(e.path)},
          {"line", e.line},
          {"end_line", e.end_line},
          {"field", PrintableText(e.field)},
          {"reason", PrintableText(e.reason)},
          {"status", e.status},
          {"resolved_at", e.resolved_at.empty() ? nlohmann::json(nullptr) : nlohmann::json(e.resolved_at)},
          {"resolution", e.resolution.empty() ? nlohmann::json(nullptr) : nlohmann::json(PrintableText(e.resolution))},
          {"raw", PrintableText(e.raw)},
          {"raw_bytes", e.raw.size()}};
}

std::string Lines(const store::QuarantineEntry& e) {
  return e.end_line > e.line ? fmt::format("{}-{}", e.line, e.end_line) : std::to_string(e.line);
}

// The first quoted column name of the file's header in a reason such as
// "negative deaths: 'deaths_civilians' = '-3'"; "" if none.
std::string FieldOf(const std::string& reason, const std::vector<std::string>& header) {
  std::size_t pos = 0;
  while ((pos = reason.find('\'', pos)) != std::string::npos) {
    std::size_t end = reason.find('\'', pos + 1);
    if (end == std::string::npos) break;
    const std::string token = reason.substr(pos + 1, end - pos - 1);
    for (const auto& h : header) {
      if (h == token) return h;
    }
    pos = end + 1;
  }
  return "";
}

// ---- list ------------------------------------------------------------------

struct ListArgs {
  std::string status = "open";
  std::int64_t import_id = 0;
  std::int64_t limit = -1;  // -1: 50 in the table, all in JSON
};

int RunList(Context& ctx, const ListArgs& a) {
  VIGIL_ASSIGN_OR_RETURN_CLI(store::Db * db, ctx.Db());
  store::QuarantineFilter f{a.status, a.import_id, a.limit >= 0 ? a.limit : (ctx.json ? 0 : 50)};
  VIGIL_ASSIGN_OR_RETURN_CLI(auto entries, store::ListQuarantine(*db, f));
  VIGIL_ASSIGN_OR_RETURN_CLI(std::int64_t total, store::CountQuarantine(*db, f));
  if (ctx.json) {
    nlohmann::json j = nlohmann::json::array();
    for (const auto& e : entries) j.push_back(EntryJson(e));
    PrintJson(j);
    return kExitOk;
  }
  if (entries.empty()) {
    std::cout << fmt::format("No {}quarantined rows in {}.\n",
                             a.status == "all" ? "" : a.status + " ", ctx.db_path);
    return kExitOk;
  }
  std::vector<std::string> where;
  std::size_t w = 5;
  for (const auto& e : entries) {
    where.push_back(PrintableText(std::filesystem::path(e.path).filename().string()) + ":" +
                    Lines(e));
    w = std::max(w, where.back().size());
  }
  std::cout << fmt::format("{:>6}  {:>6}  {:<8}  {:<{}}  {}\n", "ID", "IMPORT", "STATUS", "WHERE",
                           w, "REASON");
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const auto& e = entries[i];
    const std::string reason = QuarantineReasonText(e.field, e.reason);
    std::cout << fmt::format("{:>6}  {:>6}  {:<8}  {:<{}}  {}\n", e.id, e.import_id, e.status,
                             where[i], w, reason);
  }
  if (total > static_cast<std::int64_t>(entries.size())) {
    std::cout << fmt::format("({} of {} shown; --limit 0 shows all)\n", entries.size(), total);
  }
  std::cout << "Details: vigil quarantine show ID; after fixing the cause: vigil quarantine retry "
               "ID... [--fix TEXT]\n";
  return kExitOk;
}

// ---- show ------------------------------------------------------------------

int RunShow(Context& ctx, std::int64_t id) {
  VIGIL_ASSIGN_OR_RETURN_CLI(store::Db * db, ctx.Db());
  VIGIL_ASSIGN_OR_RETURN_CLI(auto e, store::GetQuarantine(*db, id));
  if (ctx.json) {
    PrintJson(EntryJson(e));
    return kExitOk;
  }
  std::cout << fmt::format("Quarantined row {} ({})\n", e.id, e.status);
  std::cout << fmt::format("  import      {} ({})\n", e.import_id, e.format);
  std::cout << fmt::format("  file        {}\n", PrintableText(e.path));
  std::cout << fmt::format("  line        {}\n", Lines(e));
  std::cout << fmt::format("  field       {}\n", e.field.empty() ? "(whole record)" : PrintableText(e.field));
  std::cout << fmt::format("  reason      {}\n", PrintableText(e.reason));
  if (e.status == "resolved") {
    std::cout << fmt::format("  resolved    {}: {}\n", e.resolved_at, PrintableText(e.resolution));
  }
  std::cout << fmt::format("  raw record  {} bytes (bytes that are not UTF-8 shown as \\xNN):\n",
                           e.raw.size());
  std::cout << PrintableText(e.raw) << "\n";
  return kExitOk;
}

// ---- retry -----------------------------------------------------------------

struct RetryArgs {
  std::vector<std::int64_t> ids;
  bool all = false;
  std::int64_t import_id = 0;
  std::optional<std::string> fix;
};

int Usage(const std::string& message) {
  std::cerr << "vigil quarantine: " << message << "\n";
  return kExitUsage;
}

int RunRetry(Context& ctx, const RetryArgs& a) {
  if (a.all == !a.ids.empty()) return Usage("retry takes quarantine IDs or --all (one of them)");
  if (a.fix && a.ids.size() != 1) {
    return Usage("--fix replaces one record: give exactly one ID");
  }
  if (a.import_id != 0 && !a.all) return Usage("--import selects rows for --all");
  VIGIL_ASSIGN_OR_RETURN_CLI(Principal who, ctx.Authorized("quarantine.resolve"));
  VIGIL_ASSIGN_OR_RETURN_CLI(store::Db * db, ctx.Db());

  std::vector<store::QuarantineEntry> entries;
  if (a.all) {
    VIGIL_ASSIGN_OR_RETURN_CLI(entries, store::ListQuarantine(*db, {"open", a.import_id, 0}));
  } else {
    for (std::int64_t id : a.ids) {
      VIGIL_ASSIGN_OR_RETURN_CLI(auto e, store::GetQuarantine(*db, id));
      entries.push_back(std::move(e));
    }
  }

  const CountryTable& countries = data::Countries();
  std::map<std::int64_t, store::EventImportInfo> imports;
  nlohmann::json results = nlohmann::json::array();
  std::int64_t resolved = 0, still_open = 0, skipped = 0;
  ProgressFn progress = entries.size() > 1000 ? ctx.Progress("retry") : nullptr;
  for (std::size_t k = 0; k < entries.size(); ++k) {
    const auto& e = entries[k];
    if (k % 1000 == 0) Report(progress, k, entries.size(), "");
    nlohmann::json r = {{"id", e.id}};
    std::string text;
    if (e.status != "open") {
      ++skipped;
      r["status"] = "resolved";
      r["result"] = "already resolved";
      r["resolution"] = PrintableText(e.resolution);
      text = fmt::format("#{}: already resolved ({})", e.id, PrintableText(e.resolution));
    } else {
      auto it = imports.find(e.import_id);
      if (it == imports.end()) {
        VIGIL_ASSIGN_OR_RETURN_CLI(auto info, store::GetEventImport(*db, e.import_id));
        it = imports.emplace(e.import_id, std::move(info)).first;
      }
      const store::EventImportInfo& info = it->second;
      VIGIL_ASSIGN_OR_RETURN_CLI(data::EventFormat format, data::ParseEventFormat(info.format));
      const std::string& raw = a.fix ? *a.fix : e.raw;
      auto parsed = data::ParseEventRecord(format, info.header, raw, countries);
      Status failure;
      if (parsed.ok()) {
        auto stored = store::StoreQuarantinedEvent(
            *db, e.id, *parsed, data::EventFingerprint(*parsed), data::EventToJson,
            a.fix ? "retried with a corrected record (--fix)" : "retried", who.AuditName());
        if (stored.ok()) {
          ++resolved;
          VIGIL_ASSIGN_OR_RETURN_CLI(auto now, store::GetQuarantine(*db, e.id));
          r["status"] = "resolved";
          r["result"] = store::UpsertOutcomeName(stored->outcome);
          r["event"] = PrintableText(parsed->source + "/" + parsed->event_id);
          r["event_row"] = stored->row_id;
          r["resolution"] = PrintableText(now.resolution);
          text = fmt::format("#{}: resolved: {}", e.id, PrintableText(now.resolution));
        } else if (stored.status().code() == Status::Code::kInvalidArgument) {
          failure = stored.status();
        } else {
          return Fail(stored.status());
        }
      } else {
        failure = parsed.status();
      }
      if (!failure.ok()) {
        ++still_open;
        const std::string field = FieldOf(failure.message(), info.header);
        // The stored reason follows the stored record: a failed --fix text
        // is reported but does not replace what is known about the original.
        if (!a.fix && failure.message() != e.reason) {
          auto st = store::UpdateQuarantineReason(*db, e.id, field, failure.message());
          if (!st.ok()) return Fail(st);
        }
        r["status"] = "open";
        r["result"] = "failed";
        r["field"] = PrintableText(field);
        r["reason"] = PrintableText(failure.message());
        text = fmt::format("#{}: still open: {}", e.id, PrintableText(failure.message()));
      }
    }
    results.push_back(r);
    if (!ctx.json) std::cout << text << "\n";
  }
  Report(progress, entries.size(), entries.size(), "");
  if (ctx.json) {
    PrintJson({{"retried", entries.size() - static_cast<std::size_t>(skipped)},
               {"resolved", resolved},
               {"open", still_open},
               {"already_resolved", skipped},
               {"results", results}});
  } else {
    std::cout << fmt::format("{} resolved, {} still open{}\n", resolved, still_open,
                             skipped ? fmt::format(", {} already resolved", skipped) : "");
  }
  return still_open > 0 ? kExitQuarantined : kExitOk;
}

// ---- resolve ---------------------------------------------------------------

struct ResolveArgs {
  std::vector<std::int64_t> ids;
  std::string note;
};

int RunResolve(Context& ctx, const ResolveArgs& a) {
  VIGIL_ASSIGN_OR_RETURN_CLI(Principal who, ctx.Authorized("quarantine.resolve"));
  VIGIL_ASSIGN_OR_RETURN_CLI(store::Db * db, ctx.Db());
  nlohmann::json done = nlohmann::json::array();
  for (std::int64_t id : a.ids) {
    Status st = store::ResolveQuarantine(*db, id, "resolved by hand: " + a.note, who.AuditName());
    if (!st.ok()) return Fail(st);
    done.push_back(id);
    if (!ctx.json) std::cout << fmt::format("#{}: resolved ({})\n", id, a.note);
  }
  if (ctx.json) PrintJson({{"resolved", done}, {"note", a.note}});
  return kExitOk;
}

}  // namespace

void RegisterQuarantine(CLI::App& app, Context& ctx) {
  CLI::App* q = app.add_subcommand(
      "quarantine",
      "Rows `vigil import events` could not use, kept with file, line, field, reason and raw "
      "bytes: list, show, retry after fixing the cause, or resolve by hand");
  q->require_subcommand(1);

  auto list = std::make_shared<ListArgs>();
  CLI::App* l = q->add_subcommand("list", "List quarantined rows (oldest first)");
  l->add_option("--status", list->status, "open, resolved or all")
      ->check(CLI::IsMember({"open", "resolved", "all"}))
      ->capture_default_str();
  l->add_option("--import", list->import_id, "Only rows of this import run (its id)");
  l->add_option("--limit", list->limit,
                "At most N rows (0: all; default 50 in the table, all with --json)");
  l->callback([&ctx, list] { SetExit(RunList(ctx, *list)); });

  auto show_id = std::make_shared<std::int64_t>(0);
  CLI::App* s = q->add_subcommand(
      "show", "Show one quarantined row: file, lines, field, reason and the raw record");
  s->add_option("id", *show_id, "Quarantine id")->required();
  s->callback([&ctx, show_id] { SetExit(RunShow(ctx, *show_id)); });

  auto retry = std::make_shared<RetryArgs>();
  CLI::App* r = q->add_subcommand(
      "retry",
      "Re-parse quarantined rows with the header of the file they came from (after the cause "
      "was fixed, e.g. a country alias added) or a corrected record (--fix). A row that parses "
      "is stored like an import would (new, duplicate or update) and marked resolved; one that "
      "still fails stays open with its new reason (exit status 3).");
  r->add_option("ids", retry->ids, "Quarantine ids");
  r->add_flag("--all", retry->all, "Retry every open row");
  r->add_option("--import", retry->import_id, "With --all: only rows of this import run");
  r->add_option("--fix", retry->fix,
                "Corrected raw record (one line of the file, in its format) to parse instead of "
                "the stored one; needs exactly one id. The stored raw bytes are kept.");
  r->callback([&ctx, retry] { SetExit(RunRetry(ctx, *retry)); });

  auto resolve = std::make_shared<ResolveArgs>();
  CLI::App* v = q->add_subcommand(
      "resolve",
      "Close quarantined rows that are not events (e.g. a repeated header), recording why; "
      "the raw record stays in the quarantine table");
  v->add_option("ids", resolve->ids, "Quarantine ids")->required();
  v->add_option("--note", resolve->note, "Why the rows need no import")->required();
  v->callback([&ctx, resolve] { SetExit(RunResolve(ctx, *resolve)); });
}

}  // namespace vigil::cli
