// OptionRepo: situational variables, option packages and opinions of a case
// in SQLite (schema v4: case_situation, options, option_opinions). Every
// change is validated first, then written with its case_audit row in one
// transaction, as assess::CaseRepo does.
#include "options/option_repo.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "assess/frameworks.h"
#include "assess/repo_util.h"
#include "store/forecast_store.h"  // UtcNow

namespace vigil::options {

using nlohmann::json;
using store::Stmt;
using store::Transaction;

namespace {

constexpr const char* kOptionColumns =
    "SELECT id, case_id, number, status, origin, version, doc, created_at, created_by, updated_at FROM options ";

Status CheckCase(store::Db& db, std::int64_t case_id) {
  VIGIL_ASSIGN_OR_RETURN(Stmt st, db.Prepare("SELECT 1 FROM cases WHERE id = ?"));
  st.Bind(1, case_id);
  VIGIL_ASSIGN_OR_RETURN(bool found, st.Step());
  if (!found) return Status::NotFound(fmt::format("case {}: no such case (see vigil case list)", case_id));
  return Status::Ok();
}

Result<OptionPackage> RowToOption(Stmt& st) {
  const std::int64_t id = st.Int(0);
  json doc = json::parse(st.Text(6), nullptr, false);
  if (doc.is_discarded()) return Status::Corruption(fmt::format("options row {}: doc is not JSON", id));
  auto o = OptionFromJson(doc);
  if (!o.ok()) return Status::Corruption(fmt::format("options row {}: {}", id, o.status().message()));
  o->id = id;
  o->case_id = st.Int(1);
  o->number = static_cast<int>(st.Int(2));
  o->status = st.Text(3);
  o->origin = st.Text(4);
  o->version = static_cast<int>(st.Int(5));
  o->created_at = st.Text(7);
  o->created_by = st.Text(8);
  o->updated_at = st.Text(9);
  return std::move(*o);
}

Result<std::vector<OptionPackage>> LoadOptions(store::Db& db, std::int64_t case_id) {
  VIGIL_ASSIGN_OR_RETURN(Stmt st, db.Prepare(std::string(kOptionColumns) + "WHERE case_id = ? ORDER BY number"));
  st.Bind(1, case_id);
  std::vector<OptionPackage> out;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    VIGIL_ASSIGN_OR_RETURN(OptionPackage o, RowToOption(st));
    out.push_back(std::move(o));
  }
  return out;
}

Result<OptionPackage> LoadOption(store::Db& db, std::int64_t case_id, std::int64_t option_id) {
  VIGIL_ASSIGN_OR_RETURN(Stmt st, db.Prepare(std::string(kOptionColumns) + "WHERE case_id = ? AND id = ?"));
  st.Bind(1, case_id).Bind(2, option_id);
  VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) {
    return Status::NotFound(
        fmt::format("option id {}: not an option of case {} (see vigil options list)", option_id, case_id));
  }
  return RowToOption(st);
}

// The package without the fields the store sets: what "the same content" means.
json Content(const OptionPackage& o) {
  json j = ToJson(o);
  for (const char* k : {"id", "case_id", "number", "version", "created_at", "created_by", "updated_at"}) j.erase(k);
  return j;
}

Status InsertOption(store::Db& db, OptionPackage& o, const std::string& now, const std::string& author) {
  VIGIL_ASSIGN_OR_RETURN(Stmt st, db.Prepare(
      "INSERT INTO options (case_id, number, status, origin, version, doc, created_at, created_by, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  o.version = 1;
  o.created_at = now;
  o.created_by = author;
  o.updated_at = now;
  st.Bind(1, o.case_id).Bind(2, o.number).Bind(3, o.status).Bind(4, o.origin).Bind(5, o.version);
  st.Bind(6, ToJson(o).dump()).Bind(7, now).Bind(8, author).Bind(9, now);
  VIGIL_RETURN_IF_ERROR(st.Run());
  o.id = db.LastInsertRowId();
  return Status::Ok();
}

Status WriteOption(store::Db& db, const OptionPackage& o) {
  VIGIL_ASSIGN_OR_RETURN(Stmt st, db.Prepare(
      "UPDATE options SET status = ?, origin = ?, version = ?, doc = ?, updated_at = ? WHERE id = ?"));
  st.Bind(1, o.status).Bind(2, o.origin).Bind(3, o.version).Bind(4, ToJson(o).dump()).Bind(5, o.updated_at);
  st.Bind(6, o.id);
  return st.Run();
}

Result<int> NextNumber(store::Db& db, std::int64_t case_id) {
  VIGIL_ASSIGN_OR_RETURN(Stmt st, db.Prepare("SELECT COALESCE(MAX(number), 0) FROM options WHERE case_id = ?"));
  st.Bind(1, case_id);
  VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
  (void)row;
  return static_cast<int>(st.Int(0)) + 1;
}

// The flat document of case_situation: only the analyst-set variables.
json SituationDoc(const Situation& s) {
  json j = json::object();
  for (const char* v : kSituationVariables) {
    if (!s.Get(v).empty()) j[v] = s.Get(v);
  }
  return j;
}

std::string& Slot(Situation& s, std::string_view variable) {
  if (variable == "host-nation-role") return s.host_nation_role;
  if (variable == "us-interests") return s.us_interests;
  if (variable == "international-support") return s.international_support;
  return s.volatility;
}

bool AllDigits(std::string_view s) {
  return !s.empty() && s.size() <= 18 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::int64_t ToInt(std::string_view s) {
  std::int64_t v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

}  // namespace

// ---- situation ----

Result<Situation> OptionRepo::LoadSituation(std::int64_t case_id) {
  VIGIL_RETURN_IF_ERROR(CheckCase(db_, case_id));
  VIGIL_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("SELECT doc, updated_at, updated_by FROM case_situation WHERE case_id = ?"));
  st.Bind(1, case_id);
  VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
  Situation s;
  if (!row) return s;
  json doc = json::parse(st.Text(0), nullptr, false);
  if (doc.is_discarded()) return Status::Corruption(fmt::format("case_situation of case {}: doc is not JSON", case_id));
  auto parsed = SituationFromJson(doc);
  if (!parsed.ok()) {
    return Status::Corruption(fmt::format("case_situation of case {}: {}", case_id, parsed.status().message()));
  }
  s = std::move(*parsed);
  s.basis.clear();
  for (const char* v : kSituationVariables) {
    if (!s.Get(v).empty()) s.basis.emplace_back(v, "analyst");
  }
  s.updated_at = st.Text(1);
  s.updated_by = st.Text(2);
  return s;
}

Status OptionRepo::SetSituation(std::int64_t case_id,
                                const std::vector<std::pair<std::string, std::string>>& values,
                                const std::string& author) {
  VIGIL_RETURN_IF_ERROR(assess::CheckAuthor(author));
  VIGIL_ASSIGN_OR_RETURN(Situation s, LoadSituation(case_id));
  const json before = SituationDoc(s);
  const assess::ReferenceCatalog* frame = assess::FindReferenceCatalog("policy-frame");
  assert(frame);
  for (const auto& [variable, value] : values) {
    const assess::ReferenceEntry* e = frame->Find(variable);
    if (!e || e->group != "variable") {
      return Status::InvalidArgument(fmt::format("unknown situational variable '{}' (one of {})", variable,
                                                 ListOf(kSituationVariables)));
    }
    const auto& allowed = e->List("values");
    if (!value.empty() && std::find(allowed.begin(), allowed.end(), value) == allowed.end()) {
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      return Status::InvalidArgument(
          fmt::format("{}: '{}' is not one of {} (or empty to clear)", variable, value, list));
    }
    Slot(s, variable) = value;
  }
  const json after = SituationDoc(s);
  if (after == before) return Status::Ok();

  Transaction tx(db_);
  VIGIL_RETURN_IF_ERROR(tx.Begin());
  const std::string now = store::UtcNow();
  VIGIL_ASSIGN_OR_RETURN(Stmt st, db_.Prepare(
      "INSERT INTO case_situation (case_id, doc, updated_at, updated_by) VALUES (?, ?, ?, ?) "
      "ON CONFLICT (case_id) DO UPDATE SET doc = excluded.doc, updated_at = excluded.updated_at, "
      "updated_by = excluded.updated_by"));
  st.Bind(1, case_id).Bind(2, after.dump()).Bind(3, now).Bind(4, author);
  VIGIL_RETURN_IF_ERROR(st.Run());
  VIGIL_RETURN_IF_ERROR(assess::Audit(db_, case_id, now, author, "set", "situation", case_id,
                                      before.empty() ? json() : before, after));
  VIGIL_RETURN_IF_ERROR(assess::Touch(db_, case_id, now));
  return tx.Commit();
}

// ---- options ----

Result<std::vector<OptionPackage>> OptionRepo::SaveGenerated(std::int64_t case_id,
                                                             std::vector<OptionPackage> generated,
                                                             const std::string& author) {
  VIGIL_RETURN_IF_ERROR(assess::CheckAuthor(author));
  VIGIL_RETURN_IF_ERROR(CheckCase(db_, case_id));
  for (std::size_t i = 0; i < generated.size(); ++i) {
    OptionPackage& o = generated[i];
    o.status = "proposed";
    o.origin = "generated";
    Status st = ValidateOption(o);
    if (!st.ok()) return st.WithContext(fmt::format("generated option {}", i + 1));
  }
  VIGIL_ASSIGN_OR_RETURN(std::vector<OptionPackage> all, LoadOptions(db_, case_id));
  // The latest generation still standing: unedited generated options that were
  // not withdrawn, whatever was decided about them. If the rules produce the
  // same packages again, nothing is written (a decision taken on one of them
  // does not make the same set new).
  std::vector<OptionPackage> latest, current;
  for (auto& o : all) {
    if (o.origin != "generated" || o.version != 1 || o.status == "withdrawn") continue;
    latest.push_back(o);
    if (o.status == "proposed") current.push_back(o);
  }
  auto same = [](const OptionPackage& a, const OptionPackage& b) {
    json x = Content(a), y = Content(b);
    x.erase("status");
    y.erase("status");
    return x == y;
  };
  if (latest.size() == generated.size() && std::equal(latest.begin(), latest.end(), generated.begin(), same)) {
    return latest;
  }

  Transaction tx(db_);
  VIGIL_RETURN_IF_ERROR(tx.Begin());
  const std::string now = store::UtcNow();
  for (auto& o : current) {
    const json before = ToJson(o);
    o.status = "withdrawn";
    o.updated_at = now;
    VIGIL_RETURN_IF_ERROR(WriteOption(db_, o));
    VIGIL_RETURN_IF_ERROR(assess::Audit(db_, case_id, now, author, "withdraw", "option", o.id, before, ToJson(o)));
  }
  VIGIL_ASSIGN_OR_RETURN(int number, NextNumber(db_, case_id));
  for (auto& o : generated) {
    o.case_id = case_id;
    o.number = number++;
    VIGIL_RETURN_IF_ERROR(InsertOption(db_, o, now, author));
    VIGIL_RETURN_IF_ERROR(assess::Audit(db_, case_id, now, author, "generate", "option", o.id, json(), ToJson(o)));
  }
  VIGIL_RETURN_IF_ERROR(assess::Touch(db_, case_id, now));
  VIGIL_RETURN_IF_ERROR(tx.Commit());
  return generated;
}

Result<OptionPackage> OptionRepo::AddOption(std::int64_t case_id, OptionPackage o, const std::string& author) {
  VIGIL_RETURN_IF_ERROR(assess::CheckAuthor(author));
  VIGIL_RETURN_IF_ERROR(CheckCase(db_, case_id));
  o.origin = "analyst";
  o.status = "proposed";
  VIGIL_RETURN_IF_ERROR(ValidateOption(o));
  Transaction tx(db_);
  VIGIL_RETURN_IF_ERROR(tx.Begin());
  const std::string now = store::UtcNow();
  o.case_id = case_id;
  VIGIL_ASSIGN_OR_RETURN(o.number, NextNumber(db_, case_id));
  VIGIL_RETURN_IF_ERROR(InsertOption(db_, o, now, author));
  VIGIL_RETURN_IF_ERROR(assess::Audit(db_, case_id, now, author, "add", "option", o.id, json(), ToJson(o)));
  VIGIL_RETURN_IF_ERROR(assess::Touch(db_, case_id, now));
  VIGIL_RETURN_IF_ERROR(tx.Commit());
  return o;
}

Status OptionRepo::UpdateOption(std::int64_t case_id, const OptionPackage& o, const std::string& author) {
  VIGIL_RETURN_IF_ERROR(assess::CheckAuthor(author));
  VIGIL_RETURN_IF_ERROR(CheckCase(db_, case_id));
  // Read, compare and write in one transaction, so that two editors cannot
  // both pass the version check.
  Transaction tx(db_);
  VIGIL_RETURN_IF_ERROR(tx.Begin());
  VIGIL_ASSIGN_OR_RETURN(OptionPackage old, LoadOption(db_, case_id, o.id));
  if (o.version != 0 && o.version != old.version) {
    return Status::Aborted(fmt::format(
        "option #{}: the current version is {}, not {}: someone edited it first; re-read and retry", old.number,
        old.version, o.version));
  }
  if (old.status != "proposed") {
    return Status::FailedPrecondition(fmt::format(
        "option #{} is {}: only proposed options can be edited (add a new option instead)", old.number, old.status));
  }
  OptionPackage next = o;
  // The store's fields and the status stay; the content is the caller's.
  next.case_id = old.case_id;
  next.number = old.number;
  next.status = old.status;
  next.origin = old.origin;
  next.version = old.version;
  next.created_at = old.created_at;
  next.created_by = old.created_by;
  next.updated_at = old.updated_at;
  VIGIL_RETURN_IF_ERROR(ValidateOption(next));
  if (Content(next) == Content(old)) return Status::Ok();
  const std::string now = store::UtcNow();
  next.version = old.version + 1;
  next.updated_at = now;
  VIGIL_RETURN_IF_ERROR(WriteOption(db_, next));
  VIGIL_RETURN_IF_ERROR(assess::Audit(db_, case_id, now, author, "edit", "option", next.id, ToJson(old), ToJson(next)));
  VIGIL_RETURN_IF_ERROR(assess::Touch(db_, case_id, now));
  return tx.Commit();
}

Status OptionRepo::SetOptionStatus(std::int64_t case_id, std::int64_t option_id, const std::string& status,
                                   const std::string& author) {
  VIGIL_RETURN_IF_ERROR(assess::CheckAuthor(author));
  if (!IsOptionStatus(status)) {
    return Status::InvalidArgument(
        fmt::format("status: '{}' is not one of {}", status, ListOf(kOptionStatuses)));
  }
  VIGIL_RETURN_IF_ERROR(CheckCase(db_, case_id));
  VIGIL_ASSIGN_OR_RETURN(OptionPackage o, LoadOption(db_, case_id, option_id));
  if (status == "approved" || status == "rejected") {
    return Status::FailedPrecondition(fmt::format(
        "option #{}: '{}' is set by the options decision, which records who decided and when", o.number, status));
  }
  if (o.status == status) return Status::Ok();
  // withdrawn <- proposed, and proposed <- withdrawn (reinstated).
  if (!(status == "withdrawn" && o.status == "proposed") && !(status == "proposed" && o.status == "withdrawn")) {
    return Status::FailedPrecondition(fmt::format("option #{} is {}: it cannot become {}", o.number, o.status, status));
  }
  Transaction tx(db_);
  VIGIL_RETURN_IF_ERROR(tx.Begin());
  const std::string now = store::UtcNow();
  const json before = ToJson(o);
  o.status = status;
  o.updated_at = now;
  VIGIL_RETURN_IF_ERROR(WriteOption(db_, o));
  VIGIL_RETURN_IF_ERROR(assess::Audit(db_, case_id, now, author, status == "withdrawn" ? "withdraw" : "reinstate",
                                      "option", o.id, before, ToJson(o)));
  VIGIL_RETURN_IF_ERROR(assess::Touch(db_, case_id, now));
  return tx.Commit();
}

Result<std::vector<OptionPackage>> OptionRepo::ListOptions(std::int64_t case_id, bool include_withdrawn) {
  VIGIL_RETURN_IF_ERROR(CheckCase(db_, case_id));
  VIGIL_ASSIGN_OR_RETURN(std::vector<OptionPackage> all, LoadOptions(db_, case_id));
  if (!include_withdrawn) {
    all.erase(std::remove_if(all.begin(), all.end(), [](const OptionPackage& o) { return o.status == "withdrawn"; }),
              all.end());
  }
  return all;
}

Result<OptionPackage> OptionRepo::FindOption(std::int64_t case_id, std::string_view ref) {
  VIGIL_RETURN_IF_ERROR(CheckCase(db_, case_id));
  std::string_view num = ref;
  if (num.rfind("#", 0) == 0) {
    num.remove_prefix(1);
  } else if (num.rfind("option-", 0) == 0) {
    num.remove_prefix(7);
  } else if (num.rfind("id:", 0) == 0) {
    std::string_view id = num.substr(3);
    if (!AllDigits(id)) return Status::InvalidArgument(fmt::format("option '{}': id:N needs a numeric id", ref));
    return LoadOption(db_, case_id, ToInt(id));
  }
  if (!AllDigits(num)) {
    return Status::InvalidArgument(
        fmt::format("option '{}': give its number within the case (2, #2 or option-2) or id:N", ref));
  }
  VIGIL_ASSIGN_OR_RETURN(Stmt st, db_.Prepare(std::string(kOptionColumns) + "WHERE case_id = ? AND number = ?"));
  st.Bind(1, case_id).Bind(2, ToInt(num));
  VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) {
    return Status::NotFound(fmt::format("option {}: case {} has no option with this number (see vigil options list)",
                                        ref, case_id));
  }
  return RowToOption(st);
}

// ---- opinions ----

Result<Opinion> OptionRepo::AddOpinion(std::int64_t case_id, Opinion o, const std::string& author) {
  VIGIL_RETURN_IF_ERROR(assess::CheckAuthor(author));
  if (std::find_if(std::begin(kOpinionPositions), std::end(kOpinionPositions),
                   [&](const char* p) { return o.position == p; }) == std::end(kOpinionPositions)) {
    return Status::InvalidArgument(
        fmt::format("position: '{}' is not one of {}", o.position, ListOf(kOpinionPositions)));
  }
  if (o.text.empty()) return Status::InvalidArgument("text: empty (say why)");
  VIGIL_RETURN_IF_ERROR(CheckCase(db_, case_id));
  VIGIL_RETURN_IF_ERROR(LoadOption(db_, case_id, o.option_id).status());
  Transaction tx(db_);
  VIGIL_RETURN_IF_ERROR(tx.Begin());
  const std::string now = store::UtcNow();
  o.author = author;
  o.created_at = now;
  VIGIL_ASSIGN_OR_RETURN(Stmt st, db_.Prepare(
      "INSERT INTO option_opinions (case_id, option_id, position, author, text, created_at) VALUES (?, ?, ?, ?, ?, ?)"));
  st.Bind(1, case_id).Bind(2, o.option_id).Bind(3, o.position).Bind(4, author).Bind(5, o.text).Bind(6, now);
  VIGIL_RETURN_IF_ERROR(st.Run());
  o.id = db_.LastInsertRowId();
  VIGIL_RETURN_IF_ERROR(assess::Audit(db_, case_id, now, author, "add", "opinion", o.id, json(), ToJson(o)));
  VIGIL_RETURN_IF_ERROR(assess::Touch(db_, case_id, now));
  VIGIL_RETURN_IF_ERROR(tx.Commit());
  return o;
}

Result<std::vector<Opinion>> OptionRepo::ListOpinions(std::int64_t case_id) {
  VIGIL_RETURN_IF_ERROR(CheckCase(db_, case_id));
  VIGIL_ASSIGN_OR_RETURN(Stmt st, db_.Prepare(
      "SELECT id, option_id, position, author, text, created_at FROM option_opinions WHERE case_id = ? ORDER BY id"));
  st.Bind(1, case_id);
  std::vector<Opinion> out;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back({st.Int(0), st.Int(1), st.Text(2), st.Text(3), st.Text(4), st.Text(5)});
  }
  return out;
}

}  // namespace vigil::options
