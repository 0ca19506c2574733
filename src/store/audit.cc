#include "store/audit.h"

#include <fcntl.h>
#include <sodium.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>

#include "core/json_field.h"
#include "core/json_limits.h"
#include "core/line_reader.h"
#include "store/forecast_store.h"  // UtcNow()

namespace vigil::store {

namespace {

const std::string kGenesis(64, '0');

struct Row {
  std::int64_t id = 0;
  std::int64_t case_id = 0;
  std::string at, who, action, entity;
  std::int64_t entity_id = 0;
  std::optional<std::string> before, after;
  std::string prev_hash, hash;  // as stored ("" for NULL)
};

bool IsCaseChain(std::string_view table) { return table == "case_audit"; }

void Put(std::string* buf, std::optional<std::string_view> v) {
  std::uint64_t n = v ? v->size() : ~std::uint64_t{0};
  for (int i = 0; i < 8; ++i) buf->push_back(static_cast<char>((n >> (8 * i)) & 0xff));
  if (v) buf->append(*v);
}

std::string Hex(const unsigned char* p, std::size_t n) {
  static const char* d = "0123456789abcdef";
  std::string s;
  for (std::size_t i = 0; i < n; ++i) {
    s.push_back(d[p[i] >> 4]);
    s.push_back(d[p[i] & 15]);
  }
  return s;
}

// SHA-256 of the entry's content and the previous hash (see audit.h).
std::string EntryHash(std::string_view table, const Row& r, std::string_view prev) {
  std::string buf;
  Put(&buf, table);
  Put(&buf, std::to_string(r.id));
  if (IsCaseChain(table)) Put(&buf, std::to_string(r.case_id));
  Put(&buf, r.at);
  Put(&buf, r.who);
  Put(&buf, r.action);
  Put(&buf, r.entity);
  Put(&buf, std::to_string(r.entity_id));
  Put(&buf, r.before ? std::optional<std::string_view>(*r.before) : std::nullopt);
  Put(&buf, r.after ? std::optional<std::string_view>(*r.after) : std::nullopt);
  Put(&buf, prev);
  unsigned char out[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(out, reinterpret_cast<const unsigned char*>(buf.data()), buf.size());
  return Hex(out, sizeof out);
}

std::string SelectSql(std::string_view table) {
  return std::string("SELECT id, ") + (IsCaseChain(table) ? "case_id" : "0") +
         ", at, who, action, entity, entity_id, before, after, prev_hash, hash FROM " +
         std::string(table) + " ORDER BY id";
}

Row ReadRow(const Stmt& s) {
  Row r;
  r.id = s.Int(0);
  r.case_id = s.Int(1);
  r.at = s.Text(2);
  r.who = s.Text(3);
  r.action = s.Text(4);
  r.entity = s.Text(5);
  r.entity_id = s.Int(6);
  if (!s.IsNull(7)) r.before = s.Text(7);
  if (!s.IsNull(8)) r.after = s.Text(8);
  r.prev_hash = s.IsNull(9) ? "" : s.Text(9);
  r.hash = s.IsNull(10) ? "" : s.Text(10);
  return r;
}

// Walks one chain entry by entry; the first problem sticks.
class Walker {
 public:
  explicit Walker(std::string table) { report_.table = std::move(table); report_.head = kGenesis; }

  void Add(const Row& r) {
    ++report_.entries;
    if (!report_.ok) return;
    const std::string& t = report_.table;
    if (r.prev_hash != report_.head) {
      Break(r.id, t + " entry " + std::to_string(r.id) +
                      ": its link to the previous entry does not match (an entry before it was "
                      "deleted or inserted, or this one was)");
      return;
    }
    if (EntryHash(t, r, r.prev_hash) != r.hash) {
      Break(r.id, t + " entry " + std::to_string(r.id) +
                      ": its content does not match its hash (the entry was edited)");
      return;
    }
    report_.head = r.hash;
    last_id_ = r.id;
  }

  // `count` and `head` as recorded (audit_heads, or an export's header).
  ChainReport Finish(std::int64_t count, const std::string& head) {
    if (report_.ok && (count != report_.entries || head != report_.head)) {
      std::string what =
          count > report_.entries
              ? std::to_string(count - report_.entries) + " entr" +
                    (count - report_.entries == 1 ? "y" : "ies") + " after entry " +
                    std::to_string(last_id_) + " deleted"
          : count < report_.entries ? "entries appended without vigil"
                                    : "the recorded head was changed";
      Break(0, report_.table + ": the chain head records " + std::to_string(count) +
                   " entries ending in " + head.substr(0, 12) + "..., the table has " +
                   std::to_string(report_.entries) + " ending in " + report_.head.substr(0, 12) +
                   "... (" + what + ")");
    }
    return report_;
  }

 private:
  void Break(std::int64_t id, std::string problem) {
    report_.ok = false;
    report_.broken_id = id;
    report_.problem = std::move(problem);
  }
  ChainReport report_;
  std::int64_t last_id_ = 0;
};

struct Head {
  std::int64_t count = 0;
  std::string hash = kGenesis;
};

Result<Head> ReadHead(Db& db, std::string_view table) {
  VIGIL_ASSIGN_OR_RETURN(Stmt s, db.Prepare("SELECT entries, head FROM audit_heads WHERE chain = ?"));
  s.Bind(1, table);
  VIGIL_ASSIGN_OR_RETURN(bool row, s.Step());
  Head h;
  if (row) {
    h.count = s.Int(0);
    h.hash = s.Text(1);
  }
  return h;
}

Status WriteHead(Db& db, std::string_view table, const Head& h) {
  VIGIL_ASSIGN_OR_RETURN(Stmt s, db.Prepare("INSERT INTO audit_heads (chain, entries, head) VALUES "
                                            "(?, ?, ?) ON CONFLICT(chain) DO UPDATE SET entries = "
                                            "excluded.entries, head = excluded.head"));
  s.Bind(1, table).Bind(2, h.count).Bind(3, h.hash);
  return s.Run();
}

// Inserts `r` (id chosen by SQLite) with its hash and moves the head.
Status Append(Db& db, std::string_view table, Row r) {
  if (sodium_init() < 0) return Status::Internal("libsodium could not be initialised");
  VIGIL_ASSIGN_OR_RETURN(Head head, ReadHead(db, table));
  // The id the row will get: rows are never deleted, so max(id) + 1.
  VIGIL_ASSIGN_OR_RETURN(Stmt m, db.Prepare("SELECT coalesce(max(id), 0) + 1 FROM " + std::string(table)));
  VIGIL_ASSIGN_OR_RETURN(bool got, m.Step());
  if (!got) return Status::Internal("no max(id) from " + std::string(table));
  r.id = m.Int(0);
  r.prev_hash = head.hash;
  r.hash = EntryHash(table, r, r.prev_hash);
  const bool cases = IsCaseChain(table);
  VIGIL_ASSIGN_OR_RETURN(
      Stmt ins, db.Prepare(std::string("INSERT INTO ") + std::string(table) + " (id, " +
                           (cases ? "case_id, " : "") +
                           "at, who, action, entity, entity_id, before, after, prev_hash, hash) "
                           "VALUES (?1, " + (cases ? "?2, " : "") +
                           "?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"));
  ins.Bind(1, r.id);
  if (cases) ins.Bind(2, r.case_id);
  ins.Bind(3, r.at).Bind(4, r.who).Bind(5, r.action).Bind(6, r.entity).Bind(7, r.entity_id);
  if (r.before) ins.Bind(8, *r.before); else ins.BindNull(8);
  if (r.after) ins.Bind(9, *r.after); else ins.BindNull(9);
  ins.Bind(10, r.prev_hash).Bind(11, r.hash);
  VIGIL_RETURN_IF_ERROR(ins.Run());
  return WriteHead(db, table, {head.count + 1, r.hash});
}

std::optional<std::string> JsonOrNull(const nlohmann::json& j) {
  if (j.is_null()) return std::nullopt;
  return j.dump();
}

nlohmann::json RowJson(std::string_view table, const Row& r) {
  nlohmann::json j = {{"table", table}, {"id", r.id}};
  if (IsCaseChain(table)) j["case_id"] = r.case_id;
  j["at"] = r.at;
  j["who"] = r.who;
  j["action"] = r.action;
  j["entity"] = r.entity;
  j["entity_id"] = r.entity_id;
  j["before"] = r.before ? nlohmann::json(*r.before) : nlohmann::json(nullptr);
  j["after"] = r.after ? nlohmann::json(*r.after) : nlohmann::json(nullptr);
  j["prev_hash"] = r.prev_hash;
  j["hash"] = r.hash;
  return j;
}

Result<Row> RowFromJson(const nlohmann::json& j) {
  // get<int64_t> of a float (1e25) is undefined behaviour: 64-bit integers only.
  for (const char* key : {"id", "case_id", "entity_id"}) {
    const auto it = j.find(key);
    if (it != j.end() && !JsonInteger(*it)) {
      return Status::InvalidArgument(std::string("not an audit entry: '") + key + "' is not an integer");
    }
  }
  try {
    Row r;
    r.id = j.at("id").get<std::int64_t>();
    if (j.contains("case_id")) r.case_id = j.at("case_id").get<std::int64_t>();
    r.at = j.at("at").get<std::string>();
    r.who = j.at("who").get<std::string>();
    r.action = j.at("action").get<std::string>();
    r.entity = j.at("entity").get<std::string>();
    r.entity_id = j.at("entity_id").get<std::int64_t>();
    if (!j.at("before").is_null()) r.before = j.at("before").get<std::string>();
    if (!j.at("after").is_null()) r.after = j.at("after").get<std::string>();
    r.prev_hash = j.at("prev_hash").get<std::string>();
    r.hash = j.at("hash").get<std::string>();
    return r;
  } catch (const nlohmann::json::exception& e) {
    return Status::InvalidArgument(std::string("not an audit entry: ") + e.what());
  }
}

// Calls fn(row) for every entry of `table`, in id order.
template <typename Fn>
Status ForEachRow(Db& db, std::string_view table, Fn fn) {
  VIGIL_ASSIGN_OR_RETURN(Stmt s, db.Prepare(SelectSql(table)));
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return Status::Ok();
    VIGIL_RETURN_IF_ERROR(fn(ReadRow(s)));
  }
}

struct ExportedChain {
  std::string table;
  std::int64_t entries = 0;
  std::string head;
  std::vector<std::string> hashes;  // in order
  std::vector<Row> rows;
};

bool HasChain(const std::vector<ExportedChain>& chains, std::string_view table) {
  return std::any_of(chains.begin(), chains.end(), [&](const ExportedChain& c) { return c.table == table; });
}

// The header line: every chain of kAuditChains exactly once, with its
// entry count and head. An export with a chain cut out is not a smaller
// valid export but an incomplete one.
Status ReadHeader(const nlohmann::json& j, const std::string& where, std::vector<ExportedChain>* chains) {
  const auto format = j.find("format");
  const auto list = j.find("chains");
  if (format == j.end() || *format != "vigil-audit-export" || list == j.end()) {
    return Status::InvalidArgument(where + ": not a vigil audit export (no header line)");
  }
  if (!list->is_array()) return Status::InvalidArgument(where + ": header 'chains' is not a list");
  for (const auto& c : *list) {
    const auto table = c.is_object() ? c.find("table") : c.end();
    const auto entries = c.is_object() ? c.find("entries") : c.end();
    const auto head = c.is_object() ? c.find("head") : c.end();
    if (!c.is_object() || table == c.end() || !table->is_string() || entries == c.end() ||
        !JsonInteger(*entries, 0) || head == c.end() || !head->is_string()) {
      return Status::InvalidArgument(where + ": header chain " + c.dump().substr(0, 200) +
                                     " lacks a string 'table', an integer 'entries' >= 0 or a string 'head'");
    }
    ExportedChain e;
    e.table = table->get<std::string>();
    e.entries = entries->get<std::int64_t>();
    e.head = head->get<std::string>();
    if (std::find(std::begin(kAuditChains), std::end(kAuditChains), e.table) == std::end(kAuditChains)) {
      return Status::InvalidArgument(where + ": header names unknown chain '" + e.table + "'");
    }
    if (HasChain(*chains, e.table)) {
      return Status::InvalidArgument(where + ": header names chain '" + e.table + "' twice");
    }
    chains->push_back(std::move(e));
  }
  for (const char* table : kAuditChains) {
    if (!HasChain(*chains, table)) {
      return Status::InvalidArgument(where + ": incomplete export: chain '" + std::string(table) +
                                     "' is missing from the header");
    }
  }
  return Status::Ok();
}

Result<std::vector<ExportedChain>> ReadExport(const std::string& path, bool keep_rows) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(path + ": cannot open: " + std::strerror(errno));
  LineReader lines(in, path);
  std::string line;
  std::vector<ExportedChain> chains;
  bool header = false;
  auto where = [&] { return path + ":" + std::to_string(lines.line_number()); };
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool more, lines.Next(&line));
    if (!more) break;
    if (line.empty()) continue;
    VIGIL_RETURN_IF_ERROR(CheckJsonDepth(line, where()));
    nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return Status::InvalidArgument(where() + ": not a JSON object");
    if (!header) {  // the first line that is not blank
      VIGIL_RETURN_IF_ERROR(ReadHeader(j, where(), &chains));
      header = true;
      continue;
    }
    const auto table = j.find("table");
    ExportedChain* chain = nullptr;
    for (auto& c : chains) {
      if (table != j.end() && *table == c.table) chain = &c;
    }
    if (!chain) {
      return Status::InvalidArgument(where() + ": entry of unknown chain " +
                                     (table == j.end() ? std::string("(no 'table')") : table->dump().substr(0, 200)));
    }
    auto row = RowFromJson(j);
    if (!row.ok()) return Status::InvalidArgument(where() + ": " + row.status().message());
    chain->hashes.push_back(row->hash);
    if (keep_rows) chain->rows.push_back(std::move(row).value());
  }
  if (!header) return Status::InvalidArgument(path + ": empty file, not an audit export");
  return chains;
}

}  // namespace

Status AppendCaseAudit(Db& db, std::int64_t case_id, std::string_view at, std::string_view who,
                       std::string_view action, std::string_view entity, std::int64_t entity_id,
                       const nlohmann::json& before, const nlohmann::json& after) {
  Row r;
  r.case_id = case_id;
  r.at = at;
  r.who = who;
  r.action = action;
  r.entity = entity;
  r.entity_id = entity_id;
  r.before = JsonOrNull(before);
  r.after = JsonOrNull(after);
  return Append(db, "case_audit", std::move(r));
}

Status AppendOpsAudit(Db& db, const OpsAuditEntry& e) {
  Row r;
  r.at = UtcNow();
  r.who = e.who.empty() ? "unknown" : e.who;
  r.action = e.action;
  r.entity = e.entity;
  r.entity_id = e.entity_id;
  r.before = JsonOrNull(e.before);
  r.after = JsonOrNull(e.after);
  return Append(db, "ops_audit", std::move(r));
}

Status SealAuditChains(Db& db) {
  for (const char* table : kAuditChains) {
    VIGIL_ASSIGN_OR_RETURN(Stmt c, db.Prepare(std::string("SELECT count(*) FROM ") + table +
                                              " WHERE hash IS NULL"));
    VIGIL_ASSIGN_OR_RETURN(bool row, c.Step());
    if (!row || c.Int(0) == 0) continue;
    if (sodium_init() < 0) return Status::Internal("libsodium could not be initialised");
    Transaction tx(db);
    VIGIL_RETURN_IF_ERROR(tx.Begin());
    VIGIL_ASSIGN_OR_RETURN(Head head, ReadHead(db, table));
    std::vector<Row> rows;
    VIGIL_RETURN_IF_ERROR(ForEachRow(db, table, [&](Row r) {
      if (r.hash.empty()) rows.push_back(std::move(r));
      return Status::Ok();
    }));
    VIGIL_ASSIGN_OR_RETURN(Stmt u, db.Prepare(std::string("UPDATE ") + table +
                                              " SET prev_hash = ?, hash = ? WHERE id = ?"));
    for (Row& r : rows) {
      r.prev_hash = head.hash;
      r.hash = EntryHash(table, r, r.prev_hash);
      u.Bind(1, r.prev_hash).Bind(2, r.hash).Bind(3, r.id);
      VIGIL_RETURN_IF_ERROR(u.Run());
      head = {head.count + 1, r.hash};
    }
    VIGIL_RETURN_IF_ERROR(WriteHead(db, table, head));
    VIGIL_RETURN_IF_ERROR(tx.Commit());
  }
  return Status::Ok();
}

Result<std::vector<ChainReport>> VerifyAudit(Db& db) {
  if (sodium_init() < 0) return Status::Internal("libsodium could not be initialised");
  std::vector<ChainReport> out;
  for (const char* table : kAuditChains) {
    Walker w(table);
    VIGIL_RETURN_IF_ERROR(ForEachRow(db, table, [&](const Row& r) {
      w.Add(r);
      return Status::Ok();
    }));
    VIGIL_ASSIGN_OR_RETURN(Head head, ReadHead(db, table));
    out.push_back(w.Finish(head.count, head.hash));
  }
  return out;
}

Result<std::vector<ChainReport>> ExportAudit(Db& db, const std::string& path, unsigned mode) {
  VIGIL_ASSIGN_OR_RETURN(auto reports, VerifyAudit(db));
  std::string text;
  nlohmann::json chains = nlohmann::json::array();
  for (const auto& r : reports) {
    chains.push_back({{"table", r.table}, {"entries", r.entries}, {"head", r.head}, {"ok", r.ok}});
  }
  text += nlohmann::json{{"format", "vigil-audit-export"},
                         {"version", 1},
                         {"exported_at", UtcNow()},
                         {"database", db.path()},
                         {"hash", "sha256 over length-prefixed fields; see docs/audit.md"},
                         {"chains", chains}}
              .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) +
          "\n";
  for (const char* table : kAuditChains) {
    VIGIL_RETURN_IF_ERROR(ForEachRow(db, table, [&](const Row& r) {
      text += RowJson(table, r).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
      return Status::Ok();
    }));
  }
  // Write to a temporary file beside the target, then rename: a reader
  // never sees half an export.
  const std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return Status::IoError(tmp + ": cannot create: " + std::strerror(errno));
  ::fchmod(fd, mode);
  std::size_t done = 0;
  while (done < text.size()) {
    ssize_t w = ::write(fd, text.data() + done, text.size() - done);
    if (w < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      return Status::IoError(tmp + ": write failed: " + std::strerror(err));
    }
    done += static_cast<std::size_t>(w);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    ::unlink(tmp.c_str());
    return Status::IoError(tmp + ": cannot flush: " + std::strerror(errno));
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return Status::IoError(path + ": cannot write: " + std::strerror(errno));
  }
  return reports;
}

Result<std::vector<ChainReport>> VerifyAuditExport(const std::string& path) {
  if (sodium_init() < 0) return Status::Internal("libsodium could not be initialised");
  VIGIL_ASSIGN_OR_RETURN(auto chains, ReadExport(path, true));
  std::vector<ChainReport> out;
  for (const auto& c : chains) {
    Walker w(c.table);
    for (const Row& r : c.rows) w.Add(r);
    out.push_back(w.Finish(c.entries, c.head));
  }
  return out;
}

Result<std::vector<ChainReport>> VerifyAgainstExport(Db& db, const std::string& path) {
  VIGIL_ASSIGN_OR_RETURN(auto exported, VerifyAuditExport(path));
  for (const auto& r : exported) {
    if (!r.ok) {
      return Status::InvalidArgument(path + ": the export itself does not hold: " + r.problem);
    }
  }
  VIGIL_ASSIGN_OR_RETURN(auto chains, ReadExport(path, false));
  VIGIL_ASSIGN_OR_RETURN(auto reports, VerifyAudit(db));
  for (auto& report : reports) {
    const ExportedChain* c = nullptr;
    for (const auto& e : chains) {
      if (e.table == report.table) c = &e;
    }
    if (!c || !report.ok) continue;
    std::size_t i = 0;
    std::int64_t first_id = 0;
    bool differs = false;
    Status st = ForEachRow(db, report.table, [&](const Row& r) {
      if (i < c->hashes.size() && !differs) {
        if (r.hash != c->hashes[i]) {
          differs = true;
          first_id = r.id;
        }
      }
      ++i;
      return Status::Ok();
    });
    VIGIL_RETURN_IF_ERROR(st);
    if (differs || i < c->hashes.size()) {
      report.ok = false;
      report.broken_id = first_id;
      report.problem =
          differs ? report.table + " entry " + std::to_string(first_id) +
                        " differs from the exported copy (the chain was rewritten after the export)"
                  : report.table + " has " + std::to_string(i) + " entries, fewer than the " +
                        std::to_string(c->hashes.size()) + " exported (entries were removed)";
    }
  }
  return reports;
}

}  // namespace vigil::store
