// CaseRepo: the case file in SQLite (schema v3, store/migrations.cc). Every
// change is validated first, then written together with its audit row(s) in
// one transaction.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <ctime>
#include <map>
#include <set>
#include <tuple>

#include "assess/case.h"
#include "assess/frameworks.h"
#include "assess/repo_util.h"
#include "core/event.h"
#include "store/forecast_store.h"  // UtcNow

namespace vigil::assess {

using nlohmann::json;
using store::Db;
using store::Stmt;
using store::Transaction;

namespace {

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<std::int64_t> ParseId(std::string_view s) {
  if (!AllDigits(s) || s.size() > 18) return std::nullopt;
  std::int64_t v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

bool IsSlug(std::string_view s) {
  if (s.empty() || s.size() > 64 || AllDigits(s) || s.front() == '-' || s.back() == '-') return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
}

std::string SlugFrom(std::string_view text) {
  std::string out;
  for (char c : text) {
    char l = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    if ((l >= 'a' && l <= 'z') || (l >= '0' && l <= '9')) {
      out += l;
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
    if (out.size() >= 40) break;
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  if (out.empty() || AllDigits(out)) out = "case" + (out.empty() ? "" : "-" + out);
  return out;
}

Result<bool> Exists(Db& db, std::string_view sql, std::int64_t id) {
  VIGIL_ASSIGN_OR_RETURN(Stmt st, db.Prepare(sql));
  st.Bind(1, id);
  return st.Step();
}

// ---- evidence ----

// Validates links and resolves "event:SOURCE/EVENT_ID" to the stored row id
// (the source's id is kept as the note when the note is empty).
Status CheckEvidence(Db& db, std::vector<EvidenceLink>& links) {
  for (auto& e : links) {
    const std::string label = FormatEvidenceLink(e);
    if (!IsEvidenceKind(e.kind)) {
      return Status::InvalidArgument(
          fmt::format("evidence {}: unknown kind '{}' (expected {})", label, e.kind, ListOf(kEvidenceKinds)));
    }
    if (e.ref.empty()) return Status::InvalidArgument(fmt::format("evidence {}: empty reference", label));
    if (e.kind == "event" && !AllDigits(e.ref)) {
      auto slash = e.ref.find('/');
      if (slash == std::string::npos || slash == 0 || slash + 1 == e.ref.size()) {
        return Status::InvalidArgument(
            fmt::format("evidence {}: an event is a stored row id or SOURCE/EVENT_ID, e.g. ged/12345", label));
      }
      VIGIL_ASSIGN_OR_RETURN(Stmt st, db.Prepare("SELECT id FROM events WHERE source = ? AND event_id = ?"));
      st.Bind(1, e.ref.substr(0, slash)).Bind(2, e.ref.substr(slash + 1));
      VIGIL_ASSIGN_OR_RETURN(bool found, st.Step());
      if (!found) return Status::NotFound(fmt::format("evidence {}: no stored event has this source and id", label));
      if (e.note.empty()) e.note = e.ref;
      e.ref = std::to_string(st.Int(0));
      continue;
    }
    const char* sql = nullptr;
    const char* what = nullptr;
    if (e.kind == "event") {
      sql = "SELECT 1 FROM events WHERE id = ?";
      what =
          "no stored event has this row id (rows are listed as evidence by vigil alerts show ID; or give "
          "SOURCE/EVENT_ID, e.g. event:ged/12345)";
    } else if (e.kind == "alert") {
      sql = "SELECT 1 FROM alerts WHERE id = ?";
      what = "no stored alert has this id (see vigil alerts list)";
    } else if (e.kind == "forecast") {
      sql = "SELECT 1 FROM forecast_runs WHERE id = ?";
      what = "no forecast run has this id (see vigil forecasts list)";
    }
    if (!sql) continue;
    auto id = ParseId(e.ref);
    if (!id) return Status::InvalidArgument(fmt::format("evidence {}: the reference must be a numeric id", label));
    VIGIL_ASSIGN_OR_RETURN(bool found, Exists(db, sql, *id));
    if (!found) return Status::NotFound(fmt::format("evidence {}: {}", label, what));
  }
  return Status::Ok();
}

Status InsertEvidence(Db& db, std::int64_t case_id, std::string_view owner, std::int64_t owner_id,
                      const std::vector<EvidenceLink>& links) {
  if (links.empty()) return Status::Ok();
  VIGIL_ASSIGN_OR_RETURN(Stmt st, db.Prepare(
      "INSERT INTO case_evidence (case_id, owner, owner_id, kind, ref, note, event_row, alert_id, forecast_run) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  for (const auto& e : links) {
    st.Bind(1, case_id).Bind(2, owner).Bind(3, owner_id).Bind(4, e.kind).Bind(5, e.ref).Bind(6, e.note);
    std::optional<std::int64_t> id = ParseId(e.ref);
    st.Bind(7, e.kind == "event" ? id : std::nullopt);
    st.Bind(8, e.kind == "alert" ? id : std::nullopt);
    st.Bind(9, e.kind == "forecast" ? id : std::nullopt);
    VIGIL_RETURN_IF_ERROR(st.Run());
  }
  return Status::Ok();
}

Status DeleteEvidence(Db& db, std::string_view owner, std::int64_t owner_id) {
  VIGIL_ASSIGN_OR_RETURN(Stmt st, db.Prepare("DELETE FROM case_evidence WHERE owner = ? AND owner_id = ?"));
  st.Bind(1, owner).Bind(2, owner_id);
  return st.Run();
}

// Evidence of every owner of a kind in a case, by owner id, in insertion order.
Result<std::map<std::int64_t, std::vector<EvidenceLink>>> LoadEvidence(Db& db, std::int64_t case_id,
                                                                      std::string_view owner) {
  VIGIL_ASSIGN_OR_RETURN(Stmt st, db.Prepare(
      "SELECT owner_id, kind, ref, note FROM case_evidence WHERE case_id = ? AND owner = ? ORDER BY id"));
  st.Bind(1, case_id).Bind(2, owner);
  std::map<std::int64_t, std::vector<EvidenceLink>> out;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out[st.Int(0)].push_back({st.Text(1), st.Text(2), st.Text(3)});
  }
  return out;
}

// ---- loaders ----

constexpr const char* kCaseColumns =
    "SELECT id, slug, title, gw, region, scope, purpose, status, created_at, created_by, updated_at, revision FROM cases ";

Case ReadCase(const Stmt& st) {
  Case c;
  c.id = st.Int(0);
  c.slug = st.Text(1);
  c.title = st.Text(2);
  if (!st.IsNull(3)) c.gw = static_cast<int>(st.Int(3));
  c.region = st.Text(4);
  c.scope = st.Text(5);
  c.purpose = st.Text(6);
  c.status = st.Text(7);
  c.created_at = st.Text(8);
  c.created_by = st.Text(9);
  c.updated_at = st.Text(10);
  c.revision = static_cast<int>(st.Int(11));
  return c;
}

Result<Case> LoadCase(Db& db, std::int64_t id) {
  VIGIL_ASSIGN_OR_RETURN(Stmt st, db.Prepare(std::string(kCaseColumns) + "WHERE id = ?"));
  st.Bind(1, id);
  VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return Status::NotFound(fmt::format("no case with id {} (see vigil case list)", id));
  return ReadCase(st);
}

Result<InitialGuidance> LoadGuidance(Db& db, std::int64_t case_id) {
  InitialGuidance g;
  VIGIL_ASSIGN_OR_RETURN(Stmt st, db.Prepare(
      "SELECT objective, level_of_effort, lead_agency, approving_authority, assumptions, constraints, "
      "restraints, coordination, intent, timeline, other, updated_at, updated_by FROM case_guidance "
      "WHERE case_id = ?"));
  st.Bind(1, case_id);
  VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
  if (row) {
    std::string* fields[] = {&g.objective,   &g.level_of_effort, &g.lead_agency, &g.approving_authority,
                             &g.assumptions, &g.constraints,     &g.restraints,  &g.coordination,
                             &g.intent,      &g.timeline,        &g.other,       &g.updated_at,
                             &g.updated_by};
    for (int i = 0; i < 13; ++i) *fields[i] = st.Text(i);
  }
  VIGIL_ASSIGN_OR_RETURN(Stmt m, db.Prepare(
      "SELECT id, name, organization, role FROM case_ipt_members WHERE case_id = ? ORDER BY id"));
  m.Bind(1, case_id);
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool r, m.Step());
    if (!r) break;
    g.ipt.push_back({m.Int(0), m.Text(1), m.Text(2), m.Text(3)});
  }
  return g;
}

// Actors of a case (all, or the one with `only`), with roles and relations.
Result<std::vector<Actor>> LoadActors(Db& db, std::int64_t case_id, std::optional<std::int64_t> only) {
  std::vector<Actor> out;
  VIGIL_ASSIGN_OR_RETURN(Stmt st, db.Prepare(
      "SELECT id, case_id, name, kind, motivations, means, capabilities, weaknesses, locations, notes, "
      "created_at, updated_at, revision FROM case_actors WHERE case_id = ?1 AND (?2 IS NULL OR id = ?2) ORDER BY id"));
  st.Bind(1, case_id).Bind(2, only);
  std::map<std::int64_t, std::size_t> index;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    Actor a;
    a.id = st.Int(0);
    a.case_id = st.Int(1);
    a.name = st.Text(2);
    a.kind = st.Text(3);
    a.motivations = st.Text(4);
    a.means = st.Text(5);
    a.capabilities = st.Text(6);
    a.weaknesses = st.Text(7);
    a.locations = st.Text(8);
    a.notes = st.Text(9);
    a.created_at = st.Text(10);
    a.updated_at = st.Text(11);
    a.revision = static_cast<int>(st.Int(12));
    index[a.id] = out.size();
    out.push_back(std::move(a));
  }
  VIGIL_ASSIGN_OR_RETURN(Stmt r, db.Prepare(
      "SELECT r.id, r.actor_id, r.role, r.date_from, r.date_to, r.note, r.author, r.created_at "
      "FROM case_actor_roles r JOIN case_actors a ON a.id = r.actor_id "
      "WHERE a.case_id = ?1 AND (?2 IS NULL OR a.id = ?2) ORDER BY r.date_from, r.id"));
  r.Bind(1, case_id).Bind(2, only);
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool row, r.Step());
    if (!row) break;
    auto it = index.find(r.Int(1));
    if (it == index.end()) continue;
    out[it->second].roles.push_back(
        {r.Int(0), r.Text(2), r.Text(3), r.Text(4), r.Text(5), r.Text(6), r.Text(7)});
  }
  VIGIL_ASSIGN_OR_RETURN(Stmt l, db.Prepare(
      "SELECT l.id, l.actor_id, l.other_id, l.kind, l.note FROM case_actor_relations l "
      "JOIN case_actors a ON a.id = l.actor_id WHERE a.case_id = ?1 AND (?2 IS NULL OR a.id = ?2) "
      "ORDER BY l.id"));
  l.Bind(1, case_id).Bind(2, only);
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool row, l.Step());
    if (!row) break;
    auto it = index.find(l.Int(1));
    if (it == index.end()) continue;
    out[it->second].relations.push_back({l.Int(0), l.Int(2), l.Text(3), l.Text(4)});
  }
  return out;
}

Result<Actor> LoadActor(Db& db, std::int64_t case_id, std::int64_t actor_id) {
  VIGIL_ASSIGN_OR_RETURN(std::vector<Actor> v, LoadActors(db, case_id, actor_id));
  if (v.empty()) return Status::NotFound(fmt::format("no actor with id {} in case {}", actor_id, case_id));
  return std::move(v.front());
}

Result<std::vector<Score>> LoadScoreVersions(Db& db, std::int64_t case_id, std::optional<std::int64_t> only) {
  VIGIL_ASSIGN_OR_RETURN(auto evidence, LoadEvidence(db, case_id, "score"));
  VIGIL_ASSIGN_OR_RETURN(Stmt st, db.Prepare(
      "SELECT id, case_id, framework, item, level, confidence, as_of, position, author, rationale, version, "
      "created_at FROM case_scores WHERE case_id = ?1 AND (?2 IS NULL OR id = ?2) ORDER BY id"));
  st.Bind(1, case_id).Bind(2, only);
  std::vector<Score> out;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    Score s;
    s.id = st.Int(0);
    s.case_id = st.Int(1);
    s.framework = st.Text(2);
    s.item = st.Text(3);
    s.level = st.Text(4);
    s.confidence = st.Text(5);
    s.as_of = st.Text(6);
    s.position = st.Text(7);
    s.author = st.Text(8);
    s.rationale = st.Text(9);
    s.version = static_cast<int>(st.Int(10));
    s.created_at = st.Text(11);
    if (auto it = evidence.find(s.id); it != evidence.end()) s.evidence = it->second;
    out.push_back(std::move(s));
  }
  return out;
}

Result<std::vector<AssessmentEntry>> LoadAssessment(Db& db, std::int64_t case_id,
                                                    std::optional<std::int64_t> only) {
  VIGIL_ASSIGN_OR_RETURN(auto evidence, LoadEvidence(db, case_id, "assessment"));
  VIGIL_ASSIGN_OR_RETURN(Stmt st, db.Prepare(
      "SELECT id, section, text, as_of, confidence, author, created_at, updated_at, revision FROM case_assessment "
      "WHERE case_id = ?1 AND (?2 IS NULL OR id = ?2) ORDER BY as_of, id"));
  st.Bind(1, case_id).Bind(2, only);
  std::vector<AssessmentEntry> out;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    AssessmentEntry e;
    e.id = st.Int(0);
    e.section = st.Text(1);
    e.text = st.Text(2);
    e.as_of = st.Text(3);
    e.confidence = st.Text(4);
    e.author = st.Text(5);
    e.created_at = st.Text(6);
    e.updated_at = st.Text(7);
    e.revision = static_cast<int>(st.Int(8));
    if (auto it = evidence.find(e.id); it != evidence.end()) e.evidence = it->second;
    out.push_back(std::move(e));
  }
  auto order = [](const std::string& s) {
    std::size_t i = 0;
    for (const char* x : kAssessmentSections) {
      if (s == x) return i;
      ++i;
    }
    return i;
  };
  std::stable_sort(out.begin(), out.end(), [&](const AssessmentEntry& a, const AssessmentEntry& b) {
    return order(a.section) < order(b.section);
  });
  return out;
}

Result<std::vector<Interest>> LoadInterests(Db& db, std::int64_t case_id, std::optional<std::int64_t> only) {
  VIGIL_ASSIGN_OR_RETURN(Stmt st, db.Prepare(
      "SELECT id, priority, owner, text, note, author, created_at, updated_at, revision FROM case_interests "
      "WHERE case_id = ?1 AND (?2 IS NULL OR id = ?2) ORDER BY priority, id"));
  st.Bind(1, case_id).Bind(2, only);
  std::vector<Interest> out;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    Interest i;
    i.id = st.Int(0);
    i.priority = static_cast<int>(st.Int(1));
    i.owner = st.Text(2);
    i.text = st.Text(3);
    i.note = st.Text(4);
    i.author = st.Text(5);
    i.created_at = st.Text(6);
    i.updated_at = st.Text(7);
    i.revision = static_cast<int>(st.Int(8));
    out.push_back(std::move(i));
  }
  VIGIL_ASSIGN_OR_RETURN(Stmt c, db.Prepare(
      "SELECT c.interest_id, c.other_id FROM case_interest_conflicts c JOIN case_interests i "
      "ON i.id = c.interest_id WHERE i.case_id = ? ORDER BY c.interest_id, c.other_id"));
  c.Bind(1, case_id);
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool row, c.Step());
    if (!row) break;
    for (auto& i : out) {
      if (i.id == c.Int(0)) i.conflicts_with.push_back(c.Int(1));
    }
  }
  return out;
}

Result<std::vector<Assumption>> LoadAssumptions(Db& db, std::int64_t case_id, std::optional<std::int64_t> only) {
  VIGIL_ASSIGN_OR_RETURN(auto evidence, LoadEvidence(db, case_id, "assumption"));
  VIGIL_ASSIGN_OR_RETURN(Stmt st, db.Prepare(
      "SELECT id, text, status, as_of, note, author, created_at, updated_at, revision FROM case_assumptions "
      "WHERE case_id = ?1 AND (?2 IS NULL OR id = ?2) ORDER BY id"));
  st.Bind(1, case_id).Bind(2, only);
  std::vector<Assumption> out;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    Assumption a;
    a.id = st.Int(0);
    a.text = st.Text(1);
    a.status = st.Text(2);
    a.as_of = st.Text(3);
    a.note = st.Text(4);
    a.author = st.Text(5);
    a.created_at = st.Text(6);
    a.updated_at = st.Text(7);
    a.revision = static_cast<int>(st.Int(8));
    if (auto it = evidence.find(a.id); it != evidence.end()) a.evidence = it->second;
    out.push_back(std::move(a));
  }
  return out;
}

Result<std::vector<InformationRequirement>> LoadCirs(Db& db, std::int64_t case_id,
                                                     std::optional<std::int64_t> only) {
  VIGIL_ASSIGN_OR_RETURN(auto evidence, LoadEvidence(db, case_id, "cir"));
  VIGIL_ASSIGN_OR_RETURN(Stmt st, db.Prepare(
      "SELECT id, question, priority, status, answer, answered_at, author, created_at, updated_at, revision "
      "FROM case_cirs WHERE case_id = ?1 AND (?2 IS NULL OR id = ?2) "
      "ORDER BY status = 'answered', priority, id"));
  st.Bind(1, case_id).Bind(2, only);
  std::vector<InformationRequirement> out;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    InformationRequirement r;
    r.id = st.Int(0);
    r.question = st.Text(1);
    r.priority = static_cast<int>(st.Int(2));
    r.status = st.Text(3);
    r.answer = st.Text(4);
    r.answered_at = st.Text(5);
    r.author = st.Text(6);
    r.created_at = st.Text(7);
    r.updated_at = st.Text(8);
    r.revision = static_cast<int>(st.Int(9));
    if (auto it = evidence.find(r.id); it != evidence.end()) r.evidence = it->second;
    out.push_back(std::move(r));
  }
  return out;
}

template <typename T>
Result<T> One(Result<std::vector<T>> v, std::string_view what, std::int64_t id, std::int64_t case_id) {
  if (!v.ok()) return v.status();
  if (v->empty()) return Status::NotFound(fmt::format("no {} with id {} in case {}", what, id, case_id));
  return std::move(v->front());
}

// Current score versions in catalog order (framework, item as the catalog
// lists it), majority first, dissents by author.
std::vector<Score> CurrentScores(const std::vector<Score>& versions) {
  std::map<std::tuple<std::string, std::string, std::string, std::string>, const Score*> latest;
  for (const auto& s : versions) {
    auto key = std::make_tuple(s.framework, s.item, s.position, s.position == "dissent" ? s.author : "");
    auto& slot = latest[key];
    if (!slot || slot->version < s.version) slot = &s;
  }
  std::vector<Score> out;
  for (const auto& [k, s] : latest) out.push_back(*s);
  auto item_index = [](const Score& s) -> std::size_t {
    if (const Framework* f = FindFramework(s.framework)) {
      for (std::size_t i = 0; i < f->items.size(); ++i) {
        if (f->items[i].id == s.item) return i;
      }
    }
    return static_cast<std::size_t>(-1);
  };
  std::stable_sort(out.begin(), out.end(), [&](const Score& a, const Score& b) {
    auto ka = std::make_tuple(a.framework, item_index(a), a.item, a.position != "majority", a.author);
    auto kb = std::make_tuple(b.framework, item_index(b), b.item, b.position != "majority", b.author);
    return ka < kb;
  });
  return out;
}

Status CheckGw(Db& db, int gw) {
  VIGIL_ASSIGN_OR_RETURN(bool found, Exists(db, "SELECT 1 FROM countries WHERE gw = ?", gw));
  if (!found) return Status::InvalidArgument(fmt::format("gw: {} is not a known GW country code", gw));
  return Status::Ok();
}

Result<bool> SlugTaken(Db& db, const std::string& slug, std::int64_t except_id) {
  VIGIL_ASSIGN_OR_RETURN(Stmt st, db.Prepare("SELECT 1 FROM cases WHERE slug = ? AND id <> ?"));
  st.Bind(1, slug).Bind(2, except_id);
  return st.Step();
}

Status CheckActorFields(const Actor& a) {
  if (a.name.empty()) return Status::InvalidArgument("actor name: empty");
  if (AllDigits(a.name)) {
    return Status::InvalidArgument(fmt::format("actor name: '{}' is a number (it would read as an actor id)", a.name));
  }
  if (!IsActorKind(a.kind)) {
    return Status::InvalidArgument(
        fmt::format("actor kind: '{}' is not one of {}", a.kind, ListOf(kActorKinds)));
  }
  return Status::Ok();
}

Status CheckRole(const ActorRole& r) {
  if (!IsActorRole(r.role)) {
    return Status::InvalidArgument(fmt::format("role: '{}' is not one of {}", r.role, ListOf(kActorRoles)));
  }
  VIGIL_RETURN_IF_ERROR(CheckDate("role from", r.from, true));
  VIGIL_RETURN_IF_ERROR(CheckDate("role to", r.to, false));
  if (!r.to.empty() && r.to < r.from) {
    return Status::InvalidArgument(fmt::format("role to: {} is before its from date {}", r.to, r.from));
  }
  return Status::Ok();
}

Result<std::int64_t> InsertRole(Db& db, std::int64_t actor_id, const ActorRole& r, const std::string& author,
                                const std::string& now) {
  VIGIL_ASSIGN_OR_RETURN(Stmt st, db.Prepare(
      "INSERT INTO case_actor_roles (actor_id, role, date_from, date_to, note, author, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)"));
  st.Bind(1, actor_id).Bind(2, r.role).Bind(3, r.from).Bind(4, r.to).Bind(5, r.note).Bind(6, author).Bind(7, now);
  VIGIL_RETURN_IF_ERROR(st.Run());
  return db.LastInsertRowId();
}

Status CheckConfidence(const std::string& c) {
  if (!IsConfidence(c)) {
    return Status::InvalidArgument(fmt::format("confidence: '{}' is not one of {}", c, ListOf(kConfidences)));
  }
  return Status::Ok();
}

// Aborted when the caller read revision *based_on of a record that is at
// revision `current` now (a colleague changed it since): nothing is written.
Status CheckRevision(std::string_view what, std::int64_t id, int current, std::optional<int> based_on) {
  if (!based_on || *based_on == current) return Status::Ok();
  return Status::Aborted(fmt::format(
      "{} {} is at revision {}, not {} as read: a colleague changed it since; reload it and apply your change "
      "again",
      what, id, current, *based_on));
}

}  // namespace

// ---- cases ------------------------------------------------------------------------

Result<Case> CaseRepo::CreateCase(Case c, const std::string& author) {
  VIGIL_RETURN_IF_ERROR(CheckAuthor(author));
  if (c.title.empty()) return Status::InvalidArgument("title: empty");
  if (!c.gw && c.region.empty()) return Status::InvalidArgument("a case needs a country (--country) or a region");
  if (!IsCaseStatus(c.status)) {
    return Status::InvalidArgument(fmt::format("status: '{}' is not one of {}", c.status, ListOf(kCaseStatuses)));
  }
  if (c.gw) VIGIL_RETURN_IF_ERROR(CheckGw(db_, *c.gw));
  const bool derived = c.slug.empty();
  if (!derived && !IsSlug(c.slug)) {
    return Status::InvalidArgument(fmt::format(
        "slug: '{}' must be lower-case letters, digits and '-', not only digits, at most 64 characters", c.slug));
  }
  Transaction tx(db_);
  VIGIL_RETURN_IF_ERROR(tx.Begin());
  if (derived) {
    std::string base = SlugFrom(c.title);
    c.slug = base;
    for (int n = 2;; ++n) {
      VIGIL_ASSIGN_OR_RETURN(bool taken, SlugTaken(db_, c.slug, 0));
      if (!taken) break;
      c.slug = fmt::format("{}-{}", base, n);
    }
  } else {
    VIGIL_ASSIGN_OR_RETURN(bool taken, SlugTaken(db_, c.slug, 0));
    if (taken) return Status::AlreadyExists(fmt::format("slug: a case '{}' already exists", c.slug));
  }
  const std::string now = store::UtcNow();
  c.created_at = c.updated_at = now;
  c.created_by = author;
  VIGIL_ASSIGN_OR_RETURN(Stmt st, db_.Prepare(
      "INSERT INTO cases (slug, title, gw, region, scope, purpose, status, created_at, created_by, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  st.Bind(1, c.slug).Bind(2, c.title).Bind(3, c.gw).Bind(4, c.region).Bind(5, c.scope).Bind(6, c.purpose);
  st.Bind(7, c.status).Bind(8, now).Bind(9, author).Bind(10, now);
  VIGIL_RETURN_IF_ERROR(st.Run());
  c.id = db_.LastInsertRowId();
  VIGIL_ASSIGN_OR_RETURN(Stmt g, db_.Prepare("INSERT INTO case_guidance (case_id) VALUES (?)"));
  g.Bind(1, c.id);
  VIGIL_RETURN_IF_ERROR(g.Run());
  VIGIL_RETURN_IF_ERROR(Audit(db_, c.id, now, author, "create", "case", c.id, nullptr, ToJson(c)));
  VIGIL_RETURN_IF_ERROR(tx.Commit());
  return c;
}

Result<std::vector<Case>> CaseRepo::ListCases() {
  VIGIL_ASSIGN_OR_RETURN(Stmt st, db_.Prepare(std::string(kCaseColumns) + "ORDER BY id"));
  std::vector<Case> out;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back(ReadCase(st));
  }
  return out;
}

Result<Case> CaseRepo::FindCase(std::string_view id_or_slug) {
  if (auto id = ParseId(id_or_slug)) {
    auto c = LoadCase(db_, *id);
    if (c.ok() || c.status().code() != Status::Code::kNotFound) return c;
  }
  VIGIL_ASSIGN_OR_RETURN(Stmt st, db_.Prepare(std::string(kCaseColumns) + "WHERE slug = ?"));
  st.Bind(1, id_or_slug);
  VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return Status::NotFound(fmt::format("no case '{}' (give an id or slug; see vigil case list)", id_or_slug));
  return ReadCase(st);
}

Result<CaseFile> CaseRepo::LoadCaseFile(std::int64_t case_id) {
  CaseFile f;
  VIGIL_ASSIGN_OR_RETURN(f.info, LoadCase(db_, case_id));
  VIGIL_ASSIGN_OR_RETURN(f.guidance, LoadGuidance(db_, case_id));
  VIGIL_ASSIGN_OR_RETURN(f.actors, LoadActors(db_, case_id, std::nullopt));
  VIGIL_ASSIGN_OR_RETURN(f.score_versions, LoadScoreVersions(db_, case_id, std::nullopt));
  f.scores = CurrentScores(f.score_versions);
  VIGIL_ASSIGN_OR_RETURN(f.assessment, LoadAssessment(db_, case_id, std::nullopt));
  VIGIL_ASSIGN_OR_RETURN(f.interests, LoadInterests(db_, case_id, std::nullopt));
  VIGIL_ASSIGN_OR_RETURN(f.assumptions, LoadAssumptions(db_, case_id, std::nullopt));
  VIGIL_ASSIGN_OR_RETURN(f.cirs, LoadCirs(db_, case_id, std::nullopt));
  return f;
}

Status CaseRepo::EditCase(std::int64_t case_id, const FieldEdits& edits, const std::string& author,
                          std::optional<int> based_on_revision) {
  VIGIL_RETURN_IF_ERROR(CheckAuthor(author));
  Transaction tx(db_);
  VIGIL_RETURN_IF_ERROR(tx.Begin());
  VIGIL_ASSIGN_OR_RETURN(Case c, LoadCase(db_, case_id));
  VIGIL_RETURN_IF_ERROR(CheckRevision("case", case_id, c.revision, based_on_revision));
  VIGIL_ASSIGN_OR_RETURN(InitialGuidance g, LoadGuidance(db_, case_id));
  const Case old_c = c;
  const InitialGuidance old_g = g;
  std::map<std::string, std::string*> guidance_fields = {
      {"objective", &g.objective},       {"level-of-effort", &g.level_of_effort},
      {"lead-agency", &g.lead_agency},   {"approving-authority", &g.approving_authority},
      {"assumptions", &g.assumptions},   {"constraints", &g.constraints},
      {"restraints", &g.restraints},     {"coordination", &g.coordination},
      {"intent", &g.intent},             {"timeline", &g.timeline},
      {"other", &g.other}};
  std::map<std::string, std::string*> case_fields = {{"title", &c.title},   {"slug", &c.slug},
                                                     {"region", &c.region}, {"scope", &c.scope},
                                                     {"purpose", &c.purpose}, {"status", &c.status}};
  for (const auto& [field, value] : edits) {
    if (field == "gw") {
      if (value.empty()) {
        c.gw.reset();
      } else {
        auto gw = ParseId(value);
        if (!gw || *gw > 100000) return Status::InvalidArgument(fmt::format("gw: '{}' is not a GW code", value));
        VIGIL_RETURN_IF_ERROR(CheckGw(db_, static_cast<int>(*gw)));
        c.gw = static_cast<int>(*gw);
      }
    } else if (auto it = case_fields.find(field); it != case_fields.end()) {
      *it->second = value;
    } else if (auto it2 = guidance_fields.find(field); it2 != guidance_fields.end()) {
      *it2->second = value;
    } else {
      return Status::InvalidArgument(fmt::format(
          "unknown case field '{}' (case: title, slug, gw, region, scope, purpose, status; guidance: objective, "
          "level-of-effort, lead-agency, approving-authority, assumptions, constraints, restraints, coordination, "
          "intent, timeline, other)",
          field));
    }
  }
  if (c.title.empty()) return Status::InvalidArgument("title: empty");
  if (!IsSlug(c.slug)) {
    return Status::InvalidArgument(fmt::format(
        "slug: '{}' must be lower-case letters, digits and '-', not only digits, at most 64 characters", c.slug));
  }
  if (!IsCaseStatus(c.status)) {
    return Status::InvalidArgument(fmt::format("status: '{}' is not one of {}", c.status, ListOf(kCaseStatuses)));
  }
  if (!c.gw && c.region.empty()) return Status::InvalidArgument("a case needs a country (gw) or a region");
  const json before_c = ToJson(old_c), before_g = ToJson(old_g);
  const bool case_changed = ToJson(c) != before_c;
  const bool guidance_changed = ToJson(g) != before_g;
  if (!case_changed && !guidance_changed) return Status::Ok();

  const std::string now = store::UtcNow();
  c.revision = old_c.revision + 1;
  if (c.slug != old_c.slug) {
    VIGIL_ASSIGN_OR_RETURN(bool taken, SlugTaken(db_, c.slug, case_id));
    if (taken) return Status::AlreadyExists(fmt::format("slug: a case '{}' already exists", c.slug));
  }
  c.updated_at = now;
  if (case_changed) {
    VIGIL_ASSIGN_OR_RETURN(Stmt st, db_.Prepare(
        "UPDATE cases SET slug = ?, title = ?, gw = ?, region = ?, scope = ?, purpose = ?, status = ? "
        "WHERE id = ?"));
    st.Bind(1, c.slug).Bind(2, c.title).Bind(3, c.gw).Bind(4, c.region).Bind(5, c.scope).Bind(6, c.purpose);
    st.Bind(7, c.status).Bind(8, case_id);
    VIGIL_RETURN_IF_ERROR(st.Run());
    VIGIL_RETURN_IF_ERROR(Audit(db_, case_id, now, author, "edit", "case", case_id, before_c, ToJson(c)));
  }
  if (guidance_changed) {
    g.updated_at = now;
    g.updated_by = author;
    VIGIL_ASSIGN_OR_RETURN(Stmt st, db_.Prepare(
        "UPDATE case_guidance SET objective = ?, level_of_effort = ?, lead_agency = ?, approving_authority = ?, "
        "assumptions = ?, constraints = ?, restraints = ?, coordination = ?, intent = ?, timeline = ?, other = ?, "
        "updated_at = ?, updated_by = ? WHERE case_id = ?"));
    st.Bind(1, g.objective).Bind(2, g.level_of_effort).Bind(3, g.lead_agency).Bind(4, g.approving_authority);
    st.Bind(5, g.assumptions).Bind(6, g.constraints).Bind(7, g.restraints).Bind(8, g.coordination);
    st.Bind(9, g.intent).Bind(10, g.timeline).Bind(11, g.other).Bind(12, now).Bind(13, author).Bind(14, case_id);
    VIGIL_RETURN_IF_ERROR(st.Run());
    VIGIL_RETURN_IF_ERROR(Audit(db_, case_id, now, author, "edit", "guidance", case_id, before_g, ToJson(g)));
  }
  VIGIL_ASSIGN_OR_RETURN(Stmt rev, db_.Prepare("UPDATE cases SET revision = ? WHERE id = ?"));
  rev.Bind(1, c.revision).Bind(2, case_id);
  VIGIL_RETURN_IF_ERROR(rev.Run());
  VIGIL_RETURN_IF_ERROR(Touch(db_, case_id, now));
  return tx.Commit();
}

Result<IptMember> CaseRepo::AddIptMember(std::int64_t case_id, IptMember m, const std::string& author) {
  VIGIL_RETURN_IF_ERROR(CheckAuthor(author));
  if (m.name.empty()) return Status::InvalidArgument("IPT member name: empty");
  VIGIL_RETURN_IF_ERROR(LoadCase(db_, case_id).status());
  Transaction tx(db_);
  VIGIL_RETURN_IF_ERROR(tx.Begin());
  const std::string now = store::UtcNow();
  VIGIL_ASSIGN_OR_RETURN(Stmt st, db_.Prepare(
      "INSERT INTO case_ipt_members (case_id, name, organization, role) VALUES (?, ?, ?, ?)"));
  st.Bind(1, case_id).Bind(2, m.name).Bind(3, m.organization).Bind(4, m.role);
  VIGIL_RETURN_IF_ERROR(st.Run());
  m.id = db_.LastInsertRowId();
  VIGIL_RETURN_IF_ERROR(Audit(db_, case_id, now, author, "add", "ipt-member", m.id, nullptr, ToJson(m)));
  VIGIL_RETURN_IF_ERROR(Touch(db_, case_id, now));
  VIGIL_RETURN_IF_ERROR(tx.Commit());
  return m;
}

Status CaseRepo::RemoveIptMember(std::int64_t case_id, std::int64_t member_id, const std::string& author) {
  VIGIL_RETURN_IF_ERROR(CheckAuthor(author));
  VIGIL_ASSIGN_OR_RETURN(InitialGuidance g, LoadGuidance(db_, case_id));
  auto it = std::find_if(g.ipt.begin(), g.ipt.end(), [&](const IptMember& m) { return m.id == member_id; });
  if (it == g.ipt.end()) return Status::NotFound(fmt::format("no IPT member with id {} in case {}", member_id, case_id));
  Transaction tx(db_);
  VIGIL_RETURN_IF_ERROR(tx.Begin());
  const std::string now = store::UtcNow();
  VIGIL_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("DELETE FROM case_ipt_members WHERE id = ?"));
  st.Bind(1, member_id);
  VIGIL_RETURN_IF_ERROR(st.Run());
  VIGIL_RETURN_IF_ERROR(Audit(db_, case_id, now, author, "remove", "ipt-member", member_id, ToJson(*it), nullptr));
  VIGIL_RETURN_IF_ERROR(Touch(db_, case_id, now));
  return tx.Commit();
}

// ---- actors -----------------------------------------------------------------------

Result<Actor> CaseRepo::AddActor(std::int64_t case_id, Actor a, const std::string& author) {
  VIGIL_RETURN_IF_ERROR(CheckAuthor(author));
  VIGIL_RETURN_IF_ERROR(LoadCase(db_, case_id).status());
  VIGIL_RETURN_IF_ERROR(CheckActorFields(a));
  for (const auto& r : a.roles) VIGIL_RETURN_IF_ERROR(CheckRole(r));
  if (!a.relations.empty()) return Status::InvalidArgument("actor: add relations with AddActorRelation");
  Transaction tx(db_);
  VIGIL_RETURN_IF_ERROR(tx.Begin());
  {
    VIGIL_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("SELECT 1 FROM case_actors WHERE case_id = ? AND name = ?"));
    st.Bind(1, case_id).Bind(2, a.name);
    VIGIL_ASSIGN_OR_RETURN(bool taken, st.Step());
    if (taken) return Status::AlreadyExists(fmt::format("actor name: case {} already has an actor '{}'", case_id, a.name));
  }
  const std::string now = store::UtcNow();
  VIGIL_ASSIGN_OR_RETURN(Stmt st, db_.Prepare(
      "INSERT INTO case_actors (case_id, name, kind, motivations, means, capabilities, weaknesses, locations, "
      "notes, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  st.Bind(1, case_id).Bind(2, a.name).Bind(3, a.kind).Bind(4, a.motivations).Bind(5, a.means);
  st.Bind(6, a.capabilities).Bind(7, a.weaknesses).Bind(8, a.locations).Bind(9, a.notes).Bind(10, now).Bind(11, now);
  VIGIL_RETURN_IF_ERROR(st.Run());
  const std::int64_t id = db_.LastInsertRowId();
  for (const auto& r : a.roles) VIGIL_RETURN_IF_ERROR(InsertRole(db_, id, r, author, now).status());
  VIGIL_ASSIGN_OR_RETURN(Actor stored, LoadActor(db_, case_id, id));
  VIGIL_RETURN_IF_ERROR(Audit(db_, case_id, now, author, "add", "actor", id, nullptr, ToJson(stored)));
  VIGIL_RETURN_IF_ERROR(Touch(db_, case_id, now));
  VIGIL_RETURN_IF_ERROR(tx.Commit());
  return stored;
}

Status CaseRepo::EditActor(std::int64_t case_id, std::int64_t actor_id, const FieldEdits& edits,
                           const std::string& author, std::optional<int> based_on_revision) {
  VIGIL_RETURN_IF_ERROR(CheckAuthor(author));
  Transaction tx(db_);
  VIGIL_RETURN_IF_ERROR(tx.Begin());
  VIGIL_ASSIGN_OR_RETURN(Actor a, LoadActor(db_, case_id, actor_id));
  VIGIL_RETURN_IF_ERROR(CheckRevision("actor", actor_id, a.revision, based_on_revision));
  const json before = ToJson(a);
  std::map<std::string, std::string*> fields = {
      {"name", &a.name},           {"kind", &a.kind},         {"motivations", &a.motivations},
      {"means", &a.means},         {"capabilities", &a.capabilities}, {"weaknesses", &a.weaknesses},
      {"locations", &a.locations}, {"notes", &a.notes}};
  for (const auto& [field, value] : edits) {
    auto it = fields.find(field);
    if (it == fields.end()) {
      return Status::InvalidArgument(fmt::format(
          "unknown actor field '{}' (name, kind, motivations, means, capabilities, weaknesses, locations, notes)",
          field));
    }
    *it->second = value;
  }
  VIGIL_RETURN_IF_ERROR(CheckActorFields(a));
  if (ToJson(a) == before) return Status::Ok();
  if (a.name != before["name"].get<std::string>()) {
    VIGIL_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("SELECT 1 FROM case_actors WHERE case_id = ? AND name = ? AND id <> ?"));
    st.Bind(1, case_id).Bind(2, a.name).Bind(3, actor_id);
    VIGIL_ASSIGN_OR_RETURN(bool taken, st.Step());
    if (taken) return Status::AlreadyExists(fmt::format("actor name: case {} already has an actor '{}'", case_id, a.name));
  }
  const std::string now = store::UtcNow();
  a.updated_at = now;
  ++a.revision;
  VIGIL_ASSIGN_OR_RETURN(Stmt st, db_.Prepare(
      "UPDATE case_actors SET name = ?, kind = ?, motivations = ?, means = ?, capabilities = ?, weaknesses = ?, "
      "locations = ?, notes = ?, updated_at = ?, revision = revision + 1 WHERE id = ?"));
  st.Bind(1, a.name).Bind(2, a.kind).Bind(3, a.motivations).Bind(4, a.means).Bind(5, a.capabilities);
  st.Bind(6, a.weaknesses).Bind(7, a.locations).Bind(8, a.notes).Bind(9, now).Bind(10, actor_id);
  VIGIL_RETURN_IF_ERROR(st.Run());
  VIGIL_RETURN_IF_ERROR(Audit(db_, case_id, now, author, "edit", "actor", actor_id, before, ToJson(a)));
  VIGIL_RETURN_IF_ERROR(Touch(db_, case_id, now));
  return tx.Commit();
}

Result<Actor> CaseRepo::FindActor(std::int64_t case_id, std::string_view id_or_name) {
  VIGIL_RETURN_IF_ERROR(LoadCase(db_, case_id).status());
  if (auto id = ParseId(id_or_name)) return LoadActor(db_, case_id, *id);
  VIGIL_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("SELECT id FROM case_actors WHERE case_id = ? AND name = ?"));
  st.Bind(1, case_id).Bind(2, id_or_name);
  VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) {
    return Status::NotFound(fmt::format("no actor '{}' in case {} (give an id or the exact name)", id_or_name, case_id));
  }
  return LoadActor(db_, case_id, st.Int(0));
}

Result<ActorRole> CaseRepo::AddActorRole(std::int64_t case_id, std::int64_t actor_id, ActorRole role,
                                         bool end_open_roles, const std::string& author) {
  VIGIL_RETURN_IF_ERROR(CheckAuthor(author));
  VIGIL_RETURN_IF_ERROR(CheckRole(role));
  VIGIL_ASSIGN_OR_RETURN(Actor a, LoadActor(db_, case_id, actor_id));
  Transaction tx(db_);
  VIGIL_RETURN_IF_ERROR(tx.Begin());
  const std::string now = store::UtcNow();
  if (end_open_roles) {
    for (const auto& r : a.roles) {
      if (!r.to.empty() || r.from > role.from) continue;
      ActorRole ended = r;
      ended.to = role.from;
      VIGIL_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("UPDATE case_actor_roles SET date_to = ? WHERE id = ?"));
      st.Bind(1, ended.to).Bind(2, r.id);
      VIGIL_RETURN_IF_ERROR(st.Run());
      json after = ToJson(ended);
      after["actor_id"] = actor_id;
      json before = ToJson(r);
      before["actor_id"] = actor_id;
      VIGIL_RETURN_IF_ERROR(Audit(db_, case_id, now, author, "end-role", "actor-role", r.id, before, after));
    }
  }
  VIGIL_ASSIGN_OR_RETURN(role.id, InsertRole(db_, actor_id, role, author, now));
  role.author = author;
  role.created_at = now;
  json after = ToJson(role);
  after["actor_id"] = actor_id;
  after["actor"] = a.name;
  VIGIL_RETURN_IF_ERROR(Audit(db_, case_id, now, author, "add", "actor-role", role.id, nullptr, after));
  VIGIL_ASSIGN_OR_RETURN(Stmt t, db_.Prepare("UPDATE case_actors SET updated_at = ? WHERE id = ?"));
  t.Bind(1, now).Bind(2, actor_id);
  VIGIL_RETURN_IF_ERROR(t.Run());
  VIGIL_RETURN_IF_ERROR(Touch(db_, case_id, now));
  VIGIL_RETURN_IF_ERROR(tx.Commit());
  return role;
}

Status CaseRepo::EndActorRole(std::int64_t case_id, std::int64_t actor_id, std::int64_t role_id,
                              const std::string& to, const std::string& author,
                              std::optional<int> based_on_revision) {
  VIGIL_RETURN_IF_ERROR(CheckAuthor(author));
  VIGIL_RETURN_IF_ERROR(CheckDate("role to", to, true));
  Transaction tx(db_);
  VIGIL_RETURN_IF_ERROR(tx.Begin());
  VIGIL_ASSIGN_OR_RETURN(Actor a, LoadActor(db_, case_id, actor_id));
  VIGIL_RETURN_IF_ERROR(CheckRevision("actor", actor_id, a.revision, based_on_revision));
  auto it = std::find_if(a.roles.begin(), a.roles.end(), [&](const ActorRole& r) { return r.id == role_id; });
  if (it == a.roles.end()) {
    return Status::NotFound(fmt::format("no role entry {} for actor {} ('{}')", role_id, actor_id, a.name));
  }
  if (to < it->from) return Status::InvalidArgument(fmt::format("role to: {} is before its from date {}", to, it->from));
  ActorRole ended = *it;
  ended.to = to;
  const std::string now = store::UtcNow();
  VIGIL_ASSIGN_OR_RETURN(Stmt st, db_.Prepare("UPDATE case_actor_roles SET date_to = ? WHERE id = ?"));
  st.Bind(1, to).Bind(2, role_id);
  VIGIL_RETURN_IF_ERROR(st.Run());
  VIGIL_ASSIGN_OR_RETURN(Stmt rev, db_.Prepare(
      "UPDATE case_actors SET revision = revision + 1, updated_at = ? WHERE id = ?"));
  rev.Bind(1, now).Bind(2, actor_id);
  VIGIL_RETURN_IF_ERROR(rev.Run());
  json before = ToJson(*it), after = ToJson(ended);
  before["actor_id"] = after["actor_id"] = actor_id;
  VIGIL_RETURN_IF_ERROR(Audit(db_, case_id, now, author, "end-role", "actor-role", role_id, before, after));
  VIGIL_RETURN_IF_ERROR(Touch(db_, case_id, now));
  return tx.Commit();
}

Result<ActorRelation> CaseRepo::AddActorRelation(std::int64_t case_id, std::int64_t actor_id, ActorRelation rel,
                                                 const std::string& author) {
  VIGIL_RETURN_IF_ERROR(CheckAuthor(author));
  if (rel.kind.empty()) return Status::InvalidArgument("relation kind: empty");
  VIGIL_RETURN_IF_ERROR(LoadActor(db_, case_id, actor_id).status());
  VIGIL_RETURN_IF_ERROR(LoadActor(db_, case_id, rel.other_id).status());
  if (rel.other_id == actor_id) return Status::InvalidArgument("relation: an actor cannot relate to itself");
  Transaction tx(db_);
  VIGIL_RETURN_IF_ERROR(tx.Begin());
  const std::string now = store::UtcNow();
  VIGIL_ASSIGN_OR_RETURN(Stmt st, db_.Prepare(
      "INSERT INTO case_actor_relations (actor_id, other_id, kind, note) VALUES (?, ?, ?, ?)"));
  st.Bind(1, actor_id).Bind(2, rel.other_id).Bind(3, rel.kind).Bind(4, rel.note);
  VIGIL_RETURN_IF_ERROR(st.Run());
  rel.id = db_.LastInsertRowId();
  json after = ToJson(rel);
  after["actor_id"] = actor_id;
  VIGIL_RETURN_IF_ERROR(Audit(db_, case_id, now, author, "add", "actor-relation", rel.id, nullptr, after));
  VIGIL_RETURN_IF_ERROR(Touch(db_, case_id, now));
  VIGIL_RETURN_IF_ERROR(tx.Commit());
  return rel;
}

// ---- scores -----------------------------------------------------------------------

Result<Score> CaseRepo::AddScore(std::int64_t case_id, Score s, const std::string& author,
                                 std::optional<int> based_on_version) {
  VIGIL_RETURN_IF_ERROR(CheckAuthor(author));
  VIGIL_RETURN_IF_ERROR(LoadCase(db_, case_id).status());
  const Framework* f = FindFramework(s.framework);
  if (!f) {
    std::string known;
    for (const auto& x : Frameworks()) known += (known.empty() ? "" : ", ") + x.id;
    return Status::InvalidArgument(fmt::format("framework: unknown '{}' (known: {})", s.framework, known));
  }
  if (!f->Find(s.item)) {
    return Status::InvalidArgument(fmt::format("item: '{}' is not an item of framework {} (see vigil catalog show {})",
                                               s.item, f->id, f->id));
  }
  if (!f->IsValidLevel(s.level)) {
    std::string levels;
    for (const auto& l : f->scale.levels) levels += (levels.empty() ? "" : ", ") + l.id;
    return Status::InvalidArgument(
        fmt::format("level: '{}' is not a level of framework {} (levels: {})", s.level, f->id, levels));
  }
  VIGIL_RETURN_IF_ERROR(CheckConfidence(s.confidence));
  if (s.as_of.empty()) s.as_of = Today();
  VIGIL_RETURN_IF_ERROR(CheckDate("as-of", s.as_of, true));
  if (!IsPosition(s.position)) {
    return Status::InvalidArgument(fmt::format("position: '{}' is not majority or dissent", s.position));
  }
  VIGIL_RETURN_IF_ERROR(CheckEvidence(db_, s.evidence));
  const std::string dissenter = s.position == "dissent" ? author : "";
  Transaction tx(db_);
  VIGIL_RETURN_IF_ERROR(tx.Begin());
  {
    VIGIL_ASSIGN_OR_RETURN(Stmt st, db_.Prepare(
        "SELECT coalesce(max(version), 0) FROM case_scores WHERE case_id = ? AND framework = ? AND item = ? "
        "AND position = ? AND dissenter = ?"));
    st.Bind(1, case_id).Bind(2, s.framework).Bind(3, s.item).Bind(4, s.position).Bind(5, dissenter);
    VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
    s.version = row ? static_cast<int>(st.Int(0)) + 1 : 1;
  }
  if (based_on_version && *based_on_version != s.version - 1) {
    return Status::Aborted(fmt::format(
        "score {} {} ({}{}): the current version is {}, not {}: someone scored it first; re-read and retry",
        s.framework, s.item, s.position, dissenter.empty() ? "" : " of " + dissenter, s.version - 1,
        *based_on_version));
  }
  // The series' previous version, for the audit row.
  json before = nullptr;
  if (s.version > 1) {
    VIGIL_ASSIGN_OR_RETURN(Stmt st, db_.Prepare(
        "SELECT id FROM case_scores WHERE case_id = ? AND framework = ? AND item = ? AND position = ? "
        "AND dissenter = ? AND version = ?"));
    st.Bind(1, case_id).Bind(2, s.framework).Bind(3, s.item).Bind(4, s.position).Bind(5, dissenter);
    st.Bind(6, s.version - 1);
    VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
    if (row) {
      VIGIL_ASSIGN_OR_RETURN(Score prev, One(LoadScoreVersions(db_, case_id, st.Int(0)), "score", st.Int(0), case_id));
      before = ToJson(prev);
    }
  }
  const std::string now = store::UtcNow();
  s.case_id = case_id;
  s.author = author;
  s.created_at = now;
  VIGIL_ASSIGN_OR_RETURN(Stmt st, db_.Prepare(
      "INSERT INTO case_scores (case_id, framework, item, position, dissenter, version, level, confidence, as_of, "
      "author, rationale, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  st.Bind(1, case_id).Bind(2, s.framework).Bind(3, s.item).Bind(4, s.position).Bind(5, dissenter);
  st.Bind(6, s.version).Bind(7, s.level).Bind(8, s.confidence).Bind(9, s.as_of).Bind(10, author);
  st.Bind(11, s.rationale).Bind(12, now);
  VIGIL_RETURN_IF_ERROR(st.Run());
  s.id = db_.LastInsertRowId();
  VIGIL_RETURN_IF_ERROR(InsertEvidence(db_, case_id, "score", s.id, s.evidence));
  VIGIL_RETURN_IF_ERROR(Audit(db_, case_id, now, author, s.position == "dissent" ? "dissent" : "score", "score",
                              s.id, before, ToJson(s)));
  VIGIL_RETURN_IF_ERROR(Touch(db_, case_id, now));
  VIGIL_RETURN_IF_ERROR(tx.Commit());
  return s;
}

// ---- conflict assessment ---------------------------------------------------------

Result<AssessmentEntry> CaseRepo::AddAssessmentEntry(std::int64_t case_id, AssessmentEntry e,
                                                     const std::string& author) {
  VIGIL_RETURN_IF_ERROR(CheckAuthor(author));
  VIGIL_RETURN_IF_ERROR(LoadCase(db_, case_id).status());
  if (!IsAssessmentSection(e.section)) {
    return Status::InvalidArgument(
        fmt::format("section: '{}' is not one of {}", e.section, ListOf(kAssessmentSections)));
  }
  if (e.text.empty()) return Status::InvalidArgument("text: empty");
  if (e.as_of.empty()) e.as_of = Today();
  VIGIL_RETURN_IF_ERROR(CheckDate("as-of", e.as_of, true));
  VIGIL_RETURN_IF_ERROR(CheckConfidence(e.confidence));
  VIGIL_RETURN_IF_ERROR(CheckEvidence(db_, e.evidence));
  Transaction tx(db_);
  VIGIL_RETURN_IF_ERROR(tx.Begin());
  const std::string now = store::UtcNow();
  VIGIL_ASSIGN_OR_RETURN(Stmt st, db_.Prepare(
      "INSERT INTO case_assessment (case_id, section, text, as_of, confidence, author, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
  st.Bind(1, case_id).Bind(2, e.section).Bind(3, e.text).Bind(4, e.as_of).Bind(5, e.confidence);
  st.Bind(6, author).Bind(7, now).Bind(8, now);
  VIGIL_RETURN_IF_ERROR(st.Run());
  e.id = db_.LastInsertRowId();
  e.author = author;
  e.created_at = e.updated_at = now;
  VIGIL_RETURN_IF_ERROR(InsertEvidence(db_, case_id, "assessment", e.id, e.evidence));
  VIGIL_RETURN_IF_ERROR(Audit(db_, case_id, now, author, "add", "assessment", e.id, nullptr, ToJson(e)));
  VIGIL_RETURN_IF_ERROR(Touch(db_, case_id, now));
  VIGIL_RETURN_IF_ERROR(tx.Commit());
  return e;
}

Status CaseRepo::EditAssessmentEntry(std::int64_t case_id, std::int64_t entry_id, const std::string& text,
                                     const std::string& as_of, const std::string& confidence,
                                     const std::optional<std::vector<EvidenceLink>>& evidence,
                                     const std::string& author, std::optional<int> based_on_revision) {
  VIGIL_RETURN_IF_ERROR(CheckAuthor(author));
  Transaction tx(db_);
  VIGIL_RETURN_IF_ERROR(tx.Begin());
  VIGIL_ASSIGN_OR_RETURN(AssessmentEntry e,
                         One(LoadAssessment(db_, case_id, entry_id), "assessment entry", entry_id, case_id));
  VIGIL_RETURN_IF_ERROR(CheckRevision("assessment entry", entry_id, e.revision, based_on_revision));
  const json before = ToJson(e);
  if (text.empty()) return Status::InvalidArgument("text: empty");
  VIGIL_RETURN_IF_ERROR(CheckDate("as-of", as_of, true));
  VIGIL_RETURN_IF_ERROR(CheckConfidence(confidence));
  std::optional<std::vector<EvidenceLink>> links = evidence;
  if (links) VIGIL_RETURN_IF_ERROR(CheckEvidence(db_, *links));
  e.text = text;
  e.as_of = as_of;
  e.confidence = confidence;
  if (links) e.evidence = *links;
  const std::string now = store::UtcNow();
  e.updated_at = now;
  ++e.revision;
  VIGIL_ASSIGN_OR_RETURN(Stmt st, db_.Prepare(
      "UPDATE case_assessment SET text = ?, as_of = ?, confidence = ?, updated_at = ?, revision = revision + 1 "
      "WHERE id = ?"));
  st.Bind(1, text).Bind(2, as_of).Bind(3, confidence).Bind(4, now).Bind(5, entry_id);
  VIGIL_RETURN_IF_ERROR(st.Run());
  if (links) {
    VIGIL_RETURN_IF_ERROR(DeleteEvidence(db_, "assessment", entry_id));
    VIGIL_RETURN_IF_ERROR(InsertEvidence(db_, case_id, "assessment", entry_id, *links));
  }
  VIGIL_RETURN_IF_ERROR(Audit(db_, case_id, now, author, "edit", "assessment", entry_id, before, ToJson(e)));
  VIGIL_RETURN_IF_ERROR(Touch(db_, case_id, now));
  return tx.Commit();
}

// ---- interests, assumptions, CIRs ---------------------------------------------------

namespace {

Status CheckInterest(Db& db, std::int64_t case_id, const Interest& i) {
  if (i.text.empty()) return Status::InvalidArgument("interest text: empty");
  if (i.priority < 1) return Status::InvalidArgument(fmt::format("priority: {} (1 is the highest; must be >= 1)", i.priority));
  for (std::int64_t other : i.conflicts_with) {
    if (other == i.id) return Status::InvalidArgument("conflicts-with: an interest cannot conflict with itself");
    VIGIL_ASSIGN_OR_RETURN(bool found,
                           Exists(db, fmt::format("SELECT 1 FROM case_interests WHERE case_id = {} AND id = ?", case_id),
                                  other));
    if (!found) return Status::NotFound(fmt::format("conflicts-with: no interest with id {} in case {}", other, case_id));
  }
  return Status::Ok();
}

Status WriteConflicts(Db& db, std::int64_t id, const std::vector<std::int64_t>& others) {
  VIGIL_ASSIGN_OR_RETURN(Stmt del, db.Prepare("DELETE FROM case_interest_conflicts WHERE interest_id = ?1 OR other_id = ?1"));
  del.Bind(1, id);
  VIGIL_RETURN_IF_ERROR(del.Run());
  VIGIL_ASSIGN_OR_RETURN(Stmt ins, db.Prepare(
      "INSERT OR IGNORE INTO case_interest_conflicts (interest_id, other_id) VALUES (?, ?), (?, ?)"));
  for (std::int64_t o : others) {
    ins.Bind(1, id).Bind(2, o).Bind(3, o).Bind(4, id);
    VIGIL_RETURN_IF_ERROR(ins.Run());
  }
  return Status::Ok();
}

}  // namespace

Result<Interest> CaseRepo::AddInterest(std::int64_t case_id, Interest i, const std::string& author) {
  VIGIL_RETURN_IF_ERROR(CheckAuthor(author));
  VIGIL_RETURN_IF_ERROR(LoadCase(db_, case_id).status());
  i.id = 0;
  VIGIL_RETURN_IF_ERROR(CheckInterest(db_, case_id, i));
  std::sort(i.conflicts_with.begin(), i.conflicts_with.end());
  i.conflicts_with.erase(std::unique(i.conflicts_with.begin(), i.conflicts_with.end()), i.conflicts_with.end());
  Transaction tx(db_);
  VIGIL_RETURN_IF_ERROR(tx.Begin());
  const std::string now = store::UtcNow();
  VIGIL_ASSIGN_OR_RETURN(Stmt st, db_.Prepare(
      "INSERT INTO case_interests (case_id, priority, owner, text, note, author, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
  st.Bind(1, case_id).Bind(2, i.priority).Bind(3, i.owner).Bind(4, i.text).Bind(5, i.note).Bind(6, author);
  st.Bind(7, now).Bind(8, now);
  VIGIL_RETURN_IF_ERROR(st.Run());
  i.id = db_.LastInsertRowId();
  i.author = author;
  i.created_at = i.updated_at = now;
  VIGIL_RETURN_IF_ERROR(WriteConflicts(db_, i.id, i.conflicts_with));
  VIGIL_RETURN_IF_ERROR(Audit(db_, case_id, now, author, "add", "interest", i.id, nullptr, ToJson(i)));
  VIGIL_RETURN_IF_ERROR(Touch(db_, case_id, now));
  VIGIL_RETURN_IF_ERROR(tx.Commit());
  return i;
}

Status CaseRepo::UpdateInterest(std::int64_t case_id, const Interest& in, const std::string& author,
                                std::optional<int> based_on_revision) {
  VIGIL_RETURN_IF_ERROR(CheckAuthor(author));
  Transaction tx(db_);
  VIGIL_RETURN_IF_ERROR(tx.Begin());
  VIGIL_ASSIGN_OR_RETURN(Interest old, One(LoadInterests(db_, case_id, in.id), "interest", in.id, case_id));
  VIGIL_RETURN_IF_ERROR(CheckRevision("interest", in.id, old.revision, based_on_revision));
  Interest i = in;
  VIGIL_RETURN_IF_ERROR(CheckInterest(db_, case_id, i));
  std::sort(i.conflicts_with.begin(), i.conflicts_with.end());
  i.conflicts_with.erase(std::unique(i.conflicts_with.begin(), i.conflicts_with.end()), i.conflicts_with.end());
  i.author = old.author;
  i.created_at = old.created_at;
  const std::string now = store::UtcNow();
  i.updated_at = now;
  i.revision = old.revision + 1;
  VIGIL_ASSIGN_OR_RETURN(Stmt st, db_.Prepare(
      "UPDATE case_interests SET priority = ?, owner = ?, text = ?, note = ?, updated_at = ?, "
      "revision = revision + 1 WHERE id = ?"));
  st.Bind(1, i.priority).Bind(2, i.owner).Bind(3, i.text).Bind(4, i.note).Bind(5, now).Bind(6, i.id);
  VIGIL_RETURN_IF_ERROR(st.Run());
  VIGIL_RETURN_IF_ERROR(WriteConflicts(db_, i.id, i.conflicts_with));
  VIGIL_RETURN_IF_ERROR(Audit(db_, case_id, now, author, "edit", "interest", i.id, ToJson(old), ToJson(i)));
  VIGIL_RETURN_IF_ERROR(Touch(db_, case_id, now));
  return tx.Commit();
}

Result<Assumption> CaseRepo::AddAssumption(std::int64_t case_id, Assumption a, const std::string& author) {
  VIGIL_RETURN_IF_ERROR(CheckAuthor(author));
  VIGIL_RETURN_IF_ERROR(LoadCase(db_, case_id).status());
  if (a.text.empty()) return Status::InvalidArgument("assumption text: empty");
  if (!IsAssumptionStatus(a.status)) {
    return Status::InvalidArgument(
        fmt::format("status: '{}' is not one of {}", a.status, ListOf(kAssumptionStatuses)));
  }
  if (a.as_of.empty()) a.as_of = Today();
  VIGIL_RETURN_IF_ERROR(CheckDate("as-of", a.as_of, true));
  VIGIL_RETURN_IF_ERROR(CheckEvidence(db_, a.evidence));
  Transaction tx(db_);
  VIGIL_RETURN_IF_ERROR(tx.Begin());
  const std::string now = store::UtcNow();
  VIGIL_ASSIGN_OR_RETURN(Stmt st, db_.Prepare(
      "INSERT INTO case_assumptions (case_id, text, status, as_of, note, author, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
  st.Bind(1, case_id).Bind(2, a.text).Bind(3, a.status).Bind(4, a.as_of).Bind(5, a.note).Bind(6, author);
  st.Bind(7, now).Bind(8, now);
  VIGIL_RETURN_IF_ERROR(st.Run());
  a.id = db_.LastInsertRowId();
  a.author = author;
  a.created_at = a.updated_at = now;
  VIGIL_RETURN_IF_ERROR(InsertEvidence(db_, case_id, "assumption", a.id, a.evidence));
  VIGIL_RETURN_IF_ERROR(Audit(db_, case_id, now, author, "add", "assumption", a.id, nullptr, ToJson(a)));
  VIGIL_RETURN_IF_ERROR(Touch(db_, case_id, now));
  VIGIL_RETURN_IF_ERROR(tx.Commit());
  return a;
}

Status CaseRepo::SetAssumptionStatus(std::int64_t case_id, std::int64_t assumption_id, const std::string& status,
                                     const std::string& as_of_in, const std::string& note,
                                     const std::vector<EvidenceLink>& add_evidence, const std::string& author,
                                     std::optional<int> based_on_revision) {
  VIGIL_RETURN_IF_ERROR(CheckAuthor(author));
  Transaction tx(db_);
  VIGIL_RETURN_IF_ERROR(tx.Begin());
  VIGIL_ASSIGN_OR_RETURN(Assumption a,
                         One(LoadAssumptions(db_, case_id, assumption_id), "assumption", assumption_id, case_id));
  VIGIL_RETURN_IF_ERROR(CheckRevision("assumption", assumption_id, a.revision, based_on_revision));
  if (!IsAssumptionStatus(status)) {
    return Status::InvalidArgument(fmt::format("status: '{}' is not one of {}", status, ListOf(kAssumptionStatuses)));
  }
  const std::string as_of = as_of_in.empty() ? Today() : as_of_in;
  VIGIL_RETURN_IF_ERROR(CheckDate("as-of", as_of, true));
  std::vector<EvidenceLink> added = add_evidence;
  VIGIL_RETURN_IF_ERROR(CheckEvidence(db_, added));
  const json before = ToJson(a);
  a.status = status;
  a.as_of = as_of;
  a.note = note;
  a.evidence.insert(a.evidence.end(), added.begin(), added.end());
  const std::string now = store::UtcNow();
  a.updated_at = now;
  ++a.revision;
  VIGIL_ASSIGN_OR_RETURN(Stmt st, db_.Prepare(
      "UPDATE case_assumptions SET status = ?, as_of = ?, note = ?, updated_at = ?, revision = revision + 1 "
      "WHERE id = ?"));
  st.Bind(1, status).Bind(2, as_of).Bind(3, note).Bind(4, now).Bind(5, assumption_id);
  VIGIL_RETURN_IF_ERROR(st.Run());
  VIGIL_RETURN_IF_ERROR(InsertEvidence(db_, case_id, "assumption", assumption_id, added));
  VIGIL_RETURN_IF_ERROR(Audit(db_, case_id, now, author, "status", "assumption", assumption_id, before, ToJson(a)));
  VIGIL_RETURN_IF_ERROR(Touch(db_, case_id, now));
  return tx.Commit();
}

Result<InformationRequirement> CaseRepo::AddCir(std::int64_t case_id, InformationRequirement r,
                                                const std::string& author) {
  VIGIL_RETURN_IF_ERROR(CheckAuthor(author));
  VIGIL_RETURN_IF_ERROR(LoadCase(db_, case_id).status());
  if (r.question.empty()) return Status::InvalidArgument("question: empty");
  if (r.priority < 1) return Status::InvalidArgument(fmt::format("priority: {} (1 is the highest; must be >= 1)", r.priority));
  if (!IsCirStatus(r.status)) {
    return Status::InvalidArgument(fmt::format("status: '{}' is not one of {}", r.status, ListOf(kCirStatuses)));
  }
  if (r.status == "answered") {
    if (r.answer.empty()) return Status::InvalidArgument("answer: empty for an answered requirement");
    if (r.answered_at.empty()) r.answered_at = Today();
  } else if (!r.answer.empty() || !r.answered_at.empty()) {
    return Status::InvalidArgument("answer: an open requirement has no answer (give --answer to answer it)");
  }
  VIGIL_RETURN_IF_ERROR(CheckDate("answered-at", r.answered_at, false));
  VIGIL_RETURN_IF_ERROR(CheckEvidence(db_, r.evidence));
  Transaction tx(db_);
  VIGIL_RETURN_IF_ERROR(tx.Begin());
  const std::string now = store::UtcNow();
  VIGIL_ASSIGN_OR_RETURN(Stmt st, db_.Prepare(
      "INSERT INTO case_cirs (case_id, question, priority, status, answer, answered_at, author, created_at, "
      "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  st.Bind(1, case_id).Bind(2, r.question).Bind(3, r.priority).Bind(4, r.status).Bind(5, r.answer);
  st.Bind(6, r.answered_at).Bind(7, author).Bind(8, now).Bind(9, now);
  VIGIL_RETURN_IF_ERROR(st.Run());
  r.id = db_.LastInsertRowId();
  r.author = author;
  r.created_at = r.updated_at = now;
  VIGIL_RETURN_IF_ERROR(InsertEvidence(db_, case_id, "cir", r.id, r.evidence));
  VIGIL_RETURN_IF_ERROR(Audit(db_, case_id, now, author, "add", "cir", r.id, nullptr, ToJson(r)));
  VIGIL_RETURN_IF_ERROR(Touch(db_, case_id, now));
  VIGIL_RETURN_IF_ERROR(tx.Commit());
  return r;
}

Status CaseRepo::AnswerCir(std::int64_t case_id, std::int64_t cir_id, const std::string& answer,
                           const std::string& answered_at, const std::vector<EvidenceLink>& add_evidence,
                           const std::string& author, std::optional<int> based_on_revision) {
  VIGIL_RETURN_IF_ERROR(CheckAuthor(author));
  Transaction tx(db_);
  VIGIL_RETURN_IF_ERROR(tx.Begin());
  VIGIL_ASSIGN_OR_RETURN(InformationRequirement r,
                         One(LoadCirs(db_, case_id, cir_id), "information requirement", cir_id, case_id));
  VIGIL_RETURN_IF_ERROR(CheckRevision("information requirement", cir_id, r.revision, based_on_revision));
  const json before = ToJson(r);
  if (answer.empty()) {
    if (!answered_at.empty()) return Status::InvalidArgument("answered-at: given without an answer");
    r.status = "open";
    r.answer.clear();
    r.answered_at.clear();
  } else {
    r.status = "answered";
    r.answer = answer;
    r.answered_at = answered_at.empty() ? Today() : answered_at;
    VIGIL_RETURN_IF_ERROR(CheckDate("answered-at", r.answered_at, true));
  }
  std::vector<EvidenceLink> added = add_evidence;
  VIGIL_RETURN_IF_ERROR(CheckEvidence(db_, added));
  r.evidence.insert(r.evidence.end(), added.begin(), added.end());
  const std::string now = store::UtcNow();
  r.updated_at = now;
  ++r.revision;
  VIGIL_ASSIGN_OR_RETURN(Stmt st, db_.Prepare(
      "UPDATE case_cirs SET status = ?, answer = ?, answered_at = ?, updated_at = ?, revision = revision + 1 "
      "WHERE id = ?"));
  st.Bind(1, r.status).Bind(2, r.answer).Bind(3, r.answered_at).Bind(4, now).Bind(5, cir_id);
  VIGIL_RETURN_IF_ERROR(st.Run());
  VIGIL_RETURN_IF_ERROR(InsertEvidence(db_, case_id, "cir", cir_id, added));
  VIGIL_RETURN_IF_ERROR(Audit(db_, case_id, now, author, answer.empty() ? "reopen" : "answer", "cir", cir_id, before,
                              ToJson(r)));
  VIGIL_RETURN_IF_ERROR(Touch(db_, case_id, now));
  return tx.Commit();
}

// ---- audit and links ---------------------------------------------------------------

Result<std::vector<AuditEntry>> CaseRepo::History(std::int64_t case_id) {
  VIGIL_RETURN_IF_ERROR(LoadCase(db_, case_id).status());
  VIGIL_ASSIGN_OR_RETURN(Stmt st, db_.Prepare(
      "SELECT id, case_id, at, who, action, entity, entity_id, before, after FROM case_audit WHERE case_id = ? "
      "ORDER BY id"));
  st.Bind(1, case_id);
  std::vector<AuditEntry> out;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    AuditEntry e;
    e.id = st.Int(0);
    e.case_id = st.Int(1);
    e.at = st.Text(2);
    e.who = st.Text(3);
    e.action = st.Text(4);
    e.entity = st.Text(5);
    e.entity_id = st.Int(6);
    for (auto [col, dst] : {std::pair{7, &e.before}, std::pair{8, &e.after}}) {
      if (st.IsNull(col)) continue;
      *dst = json::parse(st.Text(col), nullptr, /*allow_exceptions=*/false);
      if (dst->is_discarded()) {
        return Status::Corruption(fmt::format("{}: case_audit row {} holds invalid JSON", db_.path(), e.id));
      }
    }
    out.push_back(std::move(e));
  }
  return out;
}

Result<CaseLinks> CaseRepo::LoadLinks(const Case& c) {
  CaseLinks links;
  if (!c.gw) return links;
  VIGIL_ASSIGN_OR_RETURN(Stmt f, db_.Prepare(
      "SELECT r.id, r.created_at, r.model, r.base_year, r.target_first, r.target_last, f.risk, f.risk_lo, f.risk_hi, "
      "f.rank, (SELECT count(*) FROM forecasts g WHERE g.run_id = r.id) FROM forecasts f "
      "JOIN forecast_runs r ON r.id = f.run_id WHERE f.gw = ? ORDER BY r.id DESC"));
  f.Bind(1, *c.gw);
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool row, f.Step());
    if (!row) break;
    CaseLinks::ForecastLink l;
    l.run_id = f.Int(0);
    l.created_at = f.Text(1);
    l.model = f.Text(2);
    l.base_year = static_cast<int>(f.Int(3));
    l.target_first = static_cast<int>(f.Int(4));
    l.target_last = static_cast<int>(f.Int(5));
    l.risk = f.Double(6);
    l.risk_lo = f.Double(7);
    l.risk_hi = f.Double(8);
    l.rank = static_cast<int>(f.Int(9));
    l.countries = static_cast<int>(f.Int(10));
    links.forecasts.push_back(std::move(l));
  }
  VIGIL_ASSIGN_OR_RETURN(Stmt a, db_.Prepare(
      "SELECT id, month, detector, unit, severity, status, summary, score FROM alerts WHERE gw = ? "
      "ORDER BY month DESC, id DESC"));
  a.Bind(1, *c.gw);
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool row, a.Step());
    if (!row) break;
    CaseLinks::AlertLink l;
    l.id = a.Int(0);
    l.month = FormatMonth(static_cast<MonthIndex>(a.Int(1)));
    l.detector = a.Text(2);
    l.unit = a.Text(3);
    l.severity = a.Text(4);
    l.status = a.Text(5);
    l.summary = a.Text(6);
    l.score = a.Double(7);
    links.alerts.push_back(std::move(l));
  }
  return links;
}

}  // namespace vigil::assess
