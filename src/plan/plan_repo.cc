// PlanRepo: decisions, policy statement versions, plan revisions and
// execution status in SQLite (schema v4, store/migrations.cc). Every change
// runs in one transaction with its audit rows (case_audit) and the case's
// updated_at stamp; the workflow checks read inside that transaction, so a
// failed check rolls everything back and nothing is written.
#include "plan/plan_repo.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <utility>

#include "assess/frameworks.h"
#include "assess/repo_util.h"
#include "store/forecast_store.h"  // UtcNow

namespace vigil::plan {

using assess::Audit;
using assess::CheckAuthor;
using assess::CheckDate;

using assess::Today;
using assess::Touch;
using nlohmann::json;
using store::Db;
using store::Stmt;
using store::Transaction;

namespace {

// ---- cases and documents ----

// The slug of a case (for messages); NotFound for an unknown id.
Result<std::string> CaseSlug(Db& db, std::int64_t case_id) {
  VIGIL_ASSIGN_OR_RETURN(Stmt st, db.Prepare("SELECT slug FROM cases WHERE id = ?"));
  st.Bind(1, case_id);
  VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return Status::NotFound(fmt::format("no case with id {} (see vigil case list)", case_id));
  return st.Text(0);
}

Result<json> ParseDoc(Db& db, std::string_view table, std::int64_t row_id, const std::string& text) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return Status::Corruption(fmt::format("{}: {} row {} holds invalid JSON", db.path(), table, row_id));
  }
  return j;
}

std::optional<int> ParseNumber(std::string_view s) {
  if (!s.empty() && s.front() == '#') s.remove_prefix(1);
  if (s.empty() || s.size() > 9) return std::nullopt;
  int v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v < 1) return std::nullopt;
  return v;
}

// ---- options ----

struct OptionRow {
  std::int64_t id = 0;
  int number = 0;
  std::string status;
  json doc;  // the stored package with the row's columns laid over it
};

constexpr const char* kOptionColumns =
    "SELECT id, number, status, version, doc, created_at, created_by, updated_at, case_id FROM options ";

Result<OptionRow> ReadOption(Db& db, const Stmt& st) {
  OptionRow o;
  o.id = st.Int(0);
  o.number = static_cast<int>(st.Int(1));
  o.status = st.Text(2);
  VIGIL_ASSIGN_OR_RETURN(o.doc, ParseDoc(db, "options", o.id, st.Text(4)));
  o.doc["id"] = o.id;
  o.doc["case_id"] = st.Int(8);
  o.doc["number"] = o.number;
  o.doc["status"] = o.status;
  o.doc["version"] = st.Int(3);
  o.doc["created_at"] = st.Text(5);
  o.doc["created_by"] = st.Text(6);
  o.doc["updated_at"] = st.Text(7);
  return o;
}

Result<std::vector<OptionRow>> LoadOptions(Db& db, std::int64_t case_id) {
  VIGIL_ASSIGN_OR_RETURN(Stmt st, db.Prepare(std::string(kOptionColumns) + "WHERE case_id = ? ORDER BY number"));
  st.Bind(1, case_id);
  std::vector<OptionRow> out;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    VIGIL_ASSIGN_OR_RETURN(OptionRow o, ReadOption(db, st));
    out.push_back(std::move(o));
  }
  return out;
}

Result<OptionRow> LoadOption(Db& db, std::int64_t case_id, const std::string& slug, std::int64_t option_id) {
  VIGIL_ASSIGN_OR_RETURN(Stmt st, db.Prepare(std::string(kOptionColumns) + "WHERE case_id = ? AND id = ?"));
  st.Bind(1, case_id).Bind(2, option_id);
  VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) {
    return Status::NotFound(
        fmt::format("no option with id {} in case '{}' (see vigil options list {})", option_id, slug, slug));
  }
  return ReadOption(db, st);
}

// Sets an option's status (column and document) with its audit row.
Status SetOptionStatus(Db& db, std::int64_t case_id, OptionRow& o, const std::string& status, const std::string& now,
                       const std::string& author) {
  const json before = o.doc;
  o.status = status;
  o.doc["status"] = status;
  o.doc["updated_at"] = now;
  VIGIL_ASSIGN_OR_RETURN(Stmt st, db.Prepare("UPDATE options SET status = ?, doc = ?, updated_at = ? WHERE id = ?"));
  st.Bind(1, status).Bind(2, o.doc.dump()).Bind(3, now).Bind(4, o.id);
  VIGIL_RETURN_IF_ERROR(st.Run());
  return Audit(db, case_id, now, author, "status", "option", o.id, before, o.doc);
}

// ---- decisions ----

// The outcomes each decision kind allows.
std::vector<std::string_view> OutcomesOf(std::string_view kind) {
  if (kind == "stage") return {"approved"};
  if (kind == "decision-point") return {"decided", "deferred"};
  if (kind == "branch") return {"activated", "deactivated", "deferred"};
  return {"approved", "rejected", "deferred"};  // option, options-review, policy, plan
}

std::string Join(const std::vector<std::string_view>& v) {
  std::string out;
  for (auto s : v) out += (out.empty() ? "" : ", ") + std::string(s);
  return out;
}

// Checks kind, outcome (for its kind), decided_by and decided_at (default
// today) of a decision.
Status CheckDecision(Decision& d) {
  if (!IsDecisionKind(d.kind)) {
    return Status::InvalidArgument(fmt::format("kind: '{}' is not one of {}", d.kind, ListOf(kDecisionKinds)));
  }
  const auto allowed = OutcomesOf(d.kind);
  if (std::find(allowed.begin(), allowed.end(), d.outcome) == allowed.end()) {
    return Status::InvalidArgument(
        fmt::format("outcome: '{}' is not an outcome of a {} decision (one of {})", d.outcome, d.kind, Join(allowed)));
  }
  if (d.decided_by.empty()) {
    return Status::InvalidArgument("decided-by: empty (who decided: a person or body, e.g. --by 'Deputies Committee')");
  }
  if (d.decided_at.empty()) d.decided_at = Today();
  return CheckDate("decided-at", d.decided_at, true);
}

// A decision of the given kind and outcome, checked.
Result<Decision> NewDecision(std::string kind, std::string outcome, const std::string& decided_by,
                             const std::string& decided_at, const std::string& note) {
  Decision d;
  d.kind = std::move(kind);
  d.outcome = std::move(outcome);
  d.decided_by = decided_by;
  d.decided_at = decided_at;
  d.note = note;
  VIGIL_RETURN_IF_ERROR(CheckDecision(d));
  return d;
}

// Stores a checked decision with its audit row; fills id and the recorded fields.
Status InsertDecision(Db& db, std::int64_t case_id, Decision& d, const std::string& now, const std::string& author) {
  d.case_id = case_id;
  d.recorded_by = author;
  d.recorded_at = now;
  VIGIL_ASSIGN_OR_RETURN(Stmt st, db.Prepare(
      "INSERT INTO decisions (case_id, kind, subject, outcome, decided_by, decided_at, note, recorded_by, "
      "recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  st.Bind(1, case_id).Bind(2, d.kind).Bind(3, d.subject).Bind(4, d.outcome).Bind(5, d.decided_by);
  st.Bind(6, d.decided_at).Bind(7, d.note).Bind(8, author).Bind(9, now);
  VIGIL_RETURN_IF_ERROR(st.Run());
  d.id = db.LastInsertRowId();
  return Audit(db, case_id, now, author, "add", "decision", d.id, nullptr, ToJson(d));
}

Result<std::vector<Decision>> LoadDecisions(Db& db, std::int64_t case_id) {
  VIGIL_ASSIGN_OR_RETURN(Stmt st, db.Prepare(
      "SELECT id, case_id, kind, subject, outcome, decided_by, decided_at, note, recorded_by, recorded_at "
      "FROM decisions WHERE case_id = ? ORDER BY id"));
  st.Bind(1, case_id);
  std::vector<Decision> out;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    Decision d;
    d.id = st.Int(0);
    d.case_id = st.Int(1);
    d.kind = st.Text(2);
    d.subject = st.Text(3);
    d.outcome = st.Text(4);
    d.decided_by = st.Text(5);
    d.decided_at = st.Text(6);
    d.note = st.Text(7);
    d.recorded_by = st.Text(8);
    d.recorded_at = st.Text(9);
    out.push_back(std::move(d));
  }
  return out;
}

// The stage the latest approved "stage" decision ("IB->IC") moved to; "IA"
// without one.
Result<std::string> CurrentStage(Db& db, std::int64_t case_id) {
  VIGIL_ASSIGN_OR_RETURN(Stmt st, db.Prepare(
      "SELECT id, subject FROM decisions WHERE case_id = ? AND kind = 'stage' AND outcome = 'approved' "
      "ORDER BY id DESC LIMIT 1"));
  st.Bind(1, case_id);
  VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::string(assess::kPlanStages[0]);
  const std::string subject = st.Text(1);
  const auto arrow = subject.find("->");
  std::string to = arrow == std::string::npos ? std::string() : subject.substr(arrow + 2);
  if (!IsStage(to)) {
    return Status::Corruption(
        fmt::format("{}: stage decision {} has subject '{}' (expected FROM->TO)", db.path(), st.Int(0), subject));
  }
  return to;
}

// ---- policy statements ----

Result<std::vector<PolicyStatement>> LoadPolicies(Db& db, std::int64_t case_id) {
  VIGIL_ASSIGN_OR_RETURN(Stmt st, db.Prepare(
      "SELECT p.id, p.version, p.option_id, p.status, p.doc, p.created_at, p.created_by, o.number "
      "FROM policy_statements p LEFT JOIN options o ON o.id = p.option_id WHERE p.case_id = ? ORDER BY p.version"));
  st.Bind(1, case_id);
  std::vector<PolicyStatement> out;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    const std::int64_t id = st.Int(0);
    VIGIL_ASSIGN_OR_RETURN(json doc, ParseDoc(db, "policy_statements", id, st.Text(4)));
    Result<PolicyStatement> p = PolicyFromJson(doc);
    if (!p.ok()) {
      return Status::Corruption(
          fmt::format("{}: policy_statements row {}: {}", db.path(), id, p.status().message()));
    }
    p->id = id;
    p->case_id = case_id;
    p->version = static_cast<int>(st.Int(1));
    p->option_id = st.Int(2);
    p->status = st.Text(3);
    p->created_at = st.Text(5);
    p->created_by = st.Text(6);
    if (!st.IsNull(7)) p->option_number = static_cast<int>(st.Int(7));
    out.push_back(std::move(p).value());
  }
  return out;
}

Status SetPolicyStatus(Db& db, std::int64_t case_id, PolicyStatement& p, const std::string& status,
                       const std::string& now, const std::string& author) {
  const json before = ToJson(p);
  p.status = status;
  VIGIL_ASSIGN_OR_RETURN(Stmt st, db.Prepare("UPDATE policy_statements SET status = ?, doc = ? WHERE id = ?"));
  st.Bind(1, status).Bind(2, ToJson(p).dump()).Bind(3, p.id);
  VIGIL_RETURN_IF_ERROR(st.Run());
  return Audit(db, case_id, now, author, "status", "policy", p.id, before, ToJson(p));
}

// FailedPrecondition unless the option a statement implements is still the
// approved one (approving another option rejects it).
Status CheckOptionStillApproved(Db& db, std::int64_t case_id, const std::string& slug, const PolicyStatement& p) {
  VIGIL_ASSIGN_OR_RETURN(OptionRow option, LoadOption(db, case_id, slug, p.option_id));
  if (option.status == "approved") return Status::Ok();
  return Status::FailedPrecondition(fmt::format(
      "policy statement version {} of case '{}' implements option {}, which is {}, not approved: draft a new "
      "statement from the approved option with `vigil policy draft {}`",
      p.version, slug, option.number, option.status, slug));
}

std::string NoApprovedPolicy(const std::string& slug) {
  return fmt::format(
      "no approved policy statement for case '{}': draft one with `vigil policy draft {}` and approve it with "
      "`vigil policy approve {}`",
      slug, slug, slug);
}

// ---- plan revisions ----

constexpr const char* kPlanColumns =
    "SELECT id, revision, policy_version, doc, note, created_at, created_by FROM plan_revisions ";

Result<Plan> ReadPlan(Db& db, std::int64_t case_id, const Stmt& st) {
  const std::int64_t id = st.Int(0);
  VIGIL_ASSIGN_OR_RETURN(json doc, ParseDoc(db, "plan_revisions", id, st.Text(3)));
  Result<Plan> p = PlanFromJson(doc);
  if (!p.ok()) {
    return Status::Corruption(fmt::format("{}: plan_revisions row {}: {}", db.path(), id, p.status().message()));
  }
  p->id = id;
  p->case_id = case_id;
  p->revision = static_cast<int>(st.Int(1));
  p->policy_version = static_cast<int>(st.Int(2));
  p->note = st.Text(4);
  p->created_at = st.Text(5);
  p->created_by = st.Text(6);
  return p;
}

// The latest revision (revision 0) or the given one; nullopt if not stored.
Result<std::optional<Plan>> LoadRevision(Db& db, std::int64_t case_id, int revision) {
  VIGIL_ASSIGN_OR_RETURN(Stmt st, db.Prepare(std::string(kPlanColumns) +
                                             "WHERE case_id = ?1 AND (?2 = 0 OR revision = ?2) "
                                             "ORDER BY revision DESC LIMIT 1"));
  st.Bind(1, case_id).Bind(2, revision);
  VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<Plan>();
  VIGIL_ASSIGN_OR_RETURN(Plan p, ReadPlan(db, case_id, st));
  return std::optional<Plan>(std::move(p));
}

// The latest revision with the current stage; FailedPrecondition without a plan.
Result<Plan> RequirePlan(Db& db, std::int64_t case_id, const std::string& slug) {
  VIGIL_ASSIGN_OR_RETURN(std::optional<Plan> p, LoadRevision(db, case_id, 0));
  if (!p) {
    return Status::FailedPrecondition(
        fmt::format("case '{}' has no plan: create one with `vigil plan create {}` (needs an approved policy "
                    "statement)",
                    slug, slug));
  }
  VIGIL_ASSIGN_OR_RETURN(p->current_stage, CurrentStage(db, case_id));
  return std::move(*p);
}

// Stores p as revision `revision` with its audit row (before: the revision
// it replaces, or null); fills the store fields.
Status InsertRevision(Db& db, std::int64_t case_id, Plan& p, int revision, const json& before,
                      const std::string& now, const std::string& author) {
  p.case_id = case_id;
  p.revision = revision;
  p.created_at = now;
  p.created_by = author;
  p.id = 0;
  VIGIL_ASSIGN_OR_RETURN(Stmt st, db.Prepare(
      "INSERT INTO plan_revisions (case_id, revision, policy_version, doc, note, created_at, created_by) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)"));
  st.Bind(1, case_id).Bind(2, revision).Bind(3, p.policy_version).Bind(4, ToJson(p).dump()).Bind(5, p.note);
  st.Bind(6, now).Bind(7, author);
  VIGIL_RETURN_IF_ERROR(st.Run());
  p.id = db.LastInsertRowId();
  return Audit(db, case_id, now, author, "add", "plan", p.id, before, ToJson(p));
}

}  // namespace

// ---- decisions ----------------------------------------------------------------------

Result<Decision> PlanRepo::DecideOption(std::int64_t case_id, std::int64_t option_id, const std::string& outcome,
                                        const std::string& decided_by, const std::string& decided_at,
                                        const std::string& note, const std::string& author) {
  VIGIL_RETURN_IF_ERROR(CheckAuthor(author));
  VIGIL_ASSIGN_OR_RETURN(Decision d, NewDecision("option", outcome, decided_by, decided_at, note));
  Transaction tx(db_);
  VIGIL_RETURN_IF_ERROR(tx.Begin());
  VIGIL_ASSIGN_OR_RETURN(std::string slug, CaseSlug(db_, case_id));
  VIGIL_ASSIGN_OR_RETURN(OptionRow o, LoadOption(db_, case_id, slug, option_id));
  d.subject = std::to_string(o.number);
  if (o.status != "proposed") {
    if (o.status == outcome) {
      return Status::FailedPrecondition(fmt::format("option {} of case '{}' is already {}", o.number, slug, outcome));
    }
    return Status::FailedPrecondition(fmt::format(
        "option {} of case '{}' is {}: only a proposed option can be {} (see vigil options list {})", o.number, slug,
        o.status, outcome, slug));
  }
  const std::string now = store::UtcNow();
  if (outcome == "approved") {
    // One approved option per case: the decision maker's earlier choice is
    // rejected by this one, with its own decision row.
    VIGIL_ASSIGN_OR_RETURN(std::vector<OptionRow> all, LoadOptions(db_, case_id));
    for (OptionRow& other : all) {
      if (other.status != "approved" || other.id == o.id) continue;
      Decision r = d;
      r.subject = std::to_string(other.number);
      r.outcome = "rejected";
      r.note = fmt::format("superseded by the approval of option {}", o.number);
      VIGIL_RETURN_IF_ERROR(SetOptionStatus(db_, case_id, other, "rejected", now, author));
      VIGIL_RETURN_IF_ERROR(InsertDecision(db_, case_id, r, now, author));
    }
  }
  if (outcome != "deferred") VIGIL_RETURN_IF_ERROR(SetOptionStatus(db_, case_id, o, outcome, now, author));
  VIGIL_RETURN_IF_ERROR(InsertDecision(db_, case_id, d, now, author));
  VIGIL_RETURN_IF_ERROR(Touch(db_, case_id, now));
  VIGIL_RETURN_IF_ERROR(tx.Commit());
  return d;
}

Result<Decision> PlanRepo::RecordDecision(std::int64_t case_id, Decision d, const std::string& author) {
  VIGIL_RETURN_IF_ERROR(CheckAuthor(author));
  d.id = 0;
  VIGIL_RETURN_IF_ERROR(CheckDecision(d));
  if (d.kind == "option") {
    return Status::InvalidArgument(
        "kind: an option decision sets the option's status; record it with DecideOption (vigil options approve|reject)");
  }
  if (d.kind == "stage") {
    return Status::InvalidArgument(
        "kind: a stage decision moves the plan; record it with TransitionStage (vigil plan stage)");
  }
  if (d.kind == "policy" && d.outcome == "approved") {
    return Status::InvalidArgument(
        "kind: approving a policy statement changes its status; use ApprovePolicy (vigil policy approve)");
  }
  Transaction tx(db_);
  VIGIL_RETURN_IF_ERROR(tx.Begin());
  VIGIL_ASSIGN_OR_RETURN(std::string slug, CaseSlug(db_, case_id));
  const std::string now = store::UtcNow();

  if (d.kind == "options-review") {
    // Subject: option numbers, comma-separated ("2", "#2", "1,3"); empty for
    // every proposed option.
    VIGIL_ASSIGN_OR_RETURN(std::vector<OptionRow> all, LoadOptions(db_, case_id));
    std::vector<std::string> numbers;
    if (d.subject.empty()) {
      for (const auto& o : all)
        if (o.status == "proposed") numbers.push_back(std::to_string(o.number));
      if (numbers.empty()) {
        return Status::FailedPrecondition(fmt::format(
            "case '{}' has no proposed options to review: propose some with `vigil options generate {}`", slug, slug));
      }
    } else {
      std::string_view rest = d.subject;
      while (true) {
        const auto comma = rest.find(',');
        std::string_view token = rest.substr(0, comma);
        while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
        while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
        const std::optional<int> n = ParseNumber(token);
        if (!n) {
          return Status::InvalidArgument(
              fmt::format("subject: '{}' is not an option number (e.g. 2, or 1,3)", std::string(token)));
        }
        auto it = std::find_if(all.begin(), all.end(), [&](const OptionRow& o) { return o.number == *n; });
        if (it == all.end()) {
          return Status::NotFound(
              fmt::format("subject: case '{}' has no option {} (see vigil options list {})", slug, *n, slug));
        }
        if (it->status == "withdrawn") {
          return Status::FailedPrecondition(
              fmt::format("subject: option {} of case '{}' is withdrawn and cannot be reviewed", *n, slug));
        }
        numbers.push_back(std::to_string(*n));
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
      }
    }
    d.subject.clear();
    for (const auto& n : numbers) d.subject += (d.subject.empty() ? "" : ",") + n;
  } else if (d.kind == "policy") {
    // Rejecting or deferring a draft version (default: the latest version).
    VIGIL_ASSIGN_OR_RETURN(std::vector<PolicyStatement> versions, LoadPolicies(db_, case_id));
    if (versions.empty()) {
      return Status::FailedPrecondition(
          fmt::format("case '{}' has no policy statement: draft one with `vigil policy draft {}`", slug, slug));
    }
    const PolicyStatement* p = &versions.back();
    if (!d.subject.empty()) {
      const std::optional<int> v = ParseNumber(d.subject);
      auto it = std::find_if(versions.begin(), versions.end(),
                             [&](const PolicyStatement& s) { return v && s.version == *v; });
      if (it == versions.end()) {
        return Status::NotFound(fmt::format("subject: case '{}' has no policy statement version '{}' (see vigil "
                                            "policy history {})",
                                            slug, d.subject, slug));
      }
      p = &*it;
    }
    if (p->status != "draft") {
      return Status::FailedPrecondition(fmt::format(
          "subject: policy statement version {} of case '{}' is {}: only a draft can be {}", p->version, slug,
          p->status, d.outcome));
    }
    d.subject = std::to_string(p->version);
  } else if (d.kind == "plan") {
    // Approving, rejecting or deferring a plan revision (default: the latest).
    VIGIL_ASSIGN_OR_RETURN(Plan latest, RequirePlan(db_, case_id, slug));
    int revision = latest.revision;
    if (!d.subject.empty()) {
      const std::optional<int> r = ParseNumber(d.subject);
      if (!r || *r > latest.revision) {
        return Status::NotFound(fmt::format("subject: case '{}' has no plan revision '{}' (revisions 1-{}; see "
                                            "vigil plan history {})",
                                            slug, d.subject, latest.revision, slug));
      }
      revision = *r;
    }
    d.subject = std::to_string(revision);
  } else {
    // "decision-point" or "branch": settle it in the current plan; a
    // decision other than "deferred" stores a new revision with its status.
    VIGIL_ASSIGN_OR_RETURN(Plan plan, RequirePlan(db_, case_id, slug));
    const json before = ToJson(plan);
    std::string change;
    if (d.kind == "decision-point") {
      auto it = std::find_if(plan.decision_points.begin(), plan.decision_points.end(),
                             [&](const DecisionPoint& p) { return p.id == d.subject; });
      if (it == plan.decision_points.end()) {
        return Status::NotFound(fmt::format(
            "subject: no decision point '{}' in plan revision {} of case '{}' (see vigil plan show {})", d.subject,
            plan.revision, slug, slug));
      }
      if (it->status == "decided") {
        return Status::FailedPrecondition(fmt::format(
            "decision point {} of case '{}' is already decided (see vigil plan history {})", d.subject, slug, slug));
      }
      if (d.outcome == "decided") {
        it->status = "decided";
        change = "decided";
      }
    } else {
      auto it = std::find_if(plan.branches.begin(), plan.branches.end(),
                             [&](const BranchPlan& b) { return b.id == d.subject; });
      if (it == plan.branches.end()) {
        return Status::NotFound(fmt::format(
            "subject: no branch plan '{}' in plan revision {} of case '{}' (see vigil plan show {})", d.subject,
            plan.revision, slug, slug));
      }
      if (d.outcome != "deferred") {
        const std::string status = d.outcome == "activated" ? "active" : "inactive";
        if (it->status == status) {
          return Status::FailedPrecondition(
              fmt::format("branch plan {} of case '{}' is already {}", d.subject, slug, status));
        }
        it->status = status;
        change = d.outcome;
      }
    }
    if (!change.empty()) {
      plan.note = fmt::format("{} {} {} by {} on {}", d.kind, d.subject, change, d.decided_by, d.decided_at);
      if (!d.note.empty()) plan.note += ": " + d.note;
      VIGIL_RETURN_IF_ERROR(ValidatePlan(plan));
      VIGIL_RETURN_IF_ERROR(InsertRevision(db_, case_id, plan, plan.revision + 1, before, now, author));
    }
  }
  VIGIL_RETURN_IF_ERROR(InsertDecision(db_, case_id, d, now, author));
  VIGIL_RETURN_IF_ERROR(Touch(db_, case_id, now));
  VIGIL_RETURN_IF_ERROR(tx.Commit());
  return d;
}

Result<std::vector<Decision>> PlanRepo::ListDecisions(std::int64_t case_id) {
  VIGIL_RETURN_IF_ERROR(CaseSlug(db_, case_id).status());
  return LoadDecisions(db_, case_id);
}

// ---- policy -------------------------------------------------------------------------

Result<PolicyStatement> PlanRepo::SavePolicyDraft(std::int64_t case_id, PolicyStatement p, const std::string& author) {
  VIGIL_RETURN_IF_ERROR(CheckAuthor(author));
  p.status = "draft";
  VIGIL_RETURN_IF_ERROR(ValidatePolicy(p, /*for_approval=*/false));
  Transaction tx(db_);
  VIGIL_RETURN_IF_ERROR(tx.Begin());
  VIGIL_ASSIGN_OR_RETURN(std::string slug, CaseSlug(db_, case_id));
  VIGIL_ASSIGN_OR_RETURN(std::vector<OptionRow> options, LoadOptions(db_, case_id));
  auto approved = std::find_if(options.begin(), options.end(), [](const OptionRow& o) { return o.status == "approved"; });
  if (approved == options.end()) {
    return Status::FailedPrecondition(fmt::format(
        "case '{}' has no approved option: a policy statement implements the option the decision maker chose; "
        "record the choice with `vigil options approve {} OPTION --by WHO`",
        slug, slug));
  }
  if (p.option_id == 0) p.option_id = approved->id;
  if (p.option_id != approved->id) {
    auto it = std::find_if(options.begin(), options.end(), [&](const OptionRow& o) { return o.id == p.option_id; });
    if (it == options.end()) {
      return Status::NotFound(fmt::format("option_id: no option with id {} in case '{}' (see vigil options list {})",
                                          p.option_id, slug, slug));
    }
    return Status::FailedPrecondition(fmt::format(
        "option_id: option {} of case '{}' is {}, not approved; the approved option is {}: draft from it with "
        "`vigil policy draft {}`",
        it->number, slug, it->status, approved->number, slug));
  }
  p.option_number = approved->number;
  VIGIL_ASSIGN_OR_RETURN(Stmt v, db_.Prepare("SELECT COALESCE(MAX(version), 0) FROM policy_statements WHERE case_id = ?"));
  v.Bind(1, case_id);
  VIGIL_RETURN_IF_ERROR(v.Step().status());
  const std::string now = store::UtcNow();
  p.id = 0;
  p.case_id = case_id;
  p.version = static_cast<int>(v.Int(0)) + 1;
  p.created_at = now;
  p.created_by = author;
  VIGIL_ASSIGN_OR_RETURN(Stmt st, db_.Prepare(
      "INSERT INTO policy_statements (case_id, version, option_id, status, doc, created_at, created_by) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)"));
  st.Bind(1, case_id).Bind(2, p.version).Bind(3, p.option_id).Bind(4, p.status).Bind(5, ToJson(p).dump());
  st.Bind(6, now).Bind(7, author);
  VIGIL_RETURN_IF_ERROR(st.Run());
  p.id = db_.LastInsertRowId();
  VIGIL_RETURN_IF_ERROR(Audit(db_, case_id, now, author, "add", "policy", p.id, nullptr, ToJson(p)));
  VIGIL_RETURN_IF_ERROR(Touch(db_, case_id, now));
  VIGIL_RETURN_IF_ERROR(tx.Commit());
  return p;
}

Result<PolicyStatement> PlanRepo::ApprovePolicy(std::int64_t case_id, const std::string& decided_by,
                                                const std::string& decided_at, const std::string& note,
                                                const std::string& author) {
  VIGIL_RETURN_IF_ERROR(CheckAuthor(author));
  VIGIL_ASSIGN_OR_RETURN(Decision d, NewDecision("policy", "approved", decided_by, decided_at, note));
  Transaction tx(db_);
  VIGIL_RETURN_IF_ERROR(tx.Begin());
  VIGIL_ASSIGN_OR_RETURN(std::string slug, CaseSlug(db_, case_id));
  VIGIL_ASSIGN_OR_RETURN(std::vector<PolicyStatement> versions, LoadPolicies(db_, case_id));
  if (versions.empty()) {
    return Status::FailedPrecondition(fmt::format(
        "case '{}' has no policy statement to approve: draft one with `vigil policy draft {}`", slug, slug));
  }
  PolicyStatement& p = versions.back();
  if (p.status != "draft") {
    return Status::FailedPrecondition(fmt::format(
        "policy statement version {} of case '{}' is already {}: edit it (vigil policy edit {}) to make a new draft "
        "first",
        p.version, slug, p.status, slug));
  }
  if (Status s = ValidatePolicy(p, /*for_approval=*/true); !s.ok()) {
    return Status::InvalidArgument(fmt::format("policy statement version {} of case '{}' cannot be approved: {}",
                                               p.version, slug, s.message()));
  }
  VIGIL_RETURN_IF_ERROR(CheckOptionStillApproved(db_, case_id, slug, p));
  const std::string now = store::UtcNow();
  // Every earlier draft or approved version gives way to this one.
  for (std::size_t i = 0; i + 1 < versions.size(); ++i) {
    if (versions[i].status == "superseded") continue;
    VIGIL_RETURN_IF_ERROR(SetPolicyStatus(db_, case_id, versions[i], "superseded", now, author));
  }
  VIGIL_RETURN_IF_ERROR(SetPolicyStatus(db_, case_id, p, "approved", now, author));
  d.subject = std::to_string(p.version);
  VIGIL_RETURN_IF_ERROR(InsertDecision(db_, case_id, d, now, author));
  VIGIL_RETURN_IF_ERROR(Touch(db_, case_id, now));
  VIGIL_RETURN_IF_ERROR(tx.Commit());
  return p;
}

Result<std::optional<PolicyStatement>> PlanRepo::LatestPolicy(std::int64_t case_id) {
  VIGIL_ASSIGN_OR_RETURN(std::vector<PolicyStatement> versions, PolicyVersions(case_id));
  if (versions.empty()) return std::optional<PolicyStatement>();
  return std::optional<PolicyStatement>(std::move(versions.back()));
}

Result<std::optional<PolicyStatement>> PlanRepo::ApprovedPolicy(std::int64_t case_id) {
  VIGIL_ASSIGN_OR_RETURN(std::vector<PolicyStatement> versions, PolicyVersions(case_id));
  for (auto it = versions.rbegin(); it != versions.rend(); ++it)
    if (it->status == "approved") return std::optional<PolicyStatement>(std::move(*it));
  return std::optional<PolicyStatement>();
}

Result<std::vector<PolicyStatement>> PlanRepo::PolicyVersions(std::int64_t case_id) {
  VIGIL_RETURN_IF_ERROR(CaseSlug(db_, case_id).status());
  return LoadPolicies(db_, case_id);
}

// ---- plan ---------------------------------------------------------------------------

Result<Plan> PlanRepo::CreatePlan(std::int64_t case_id, Plan p, const std::string& author) {
  VIGIL_RETURN_IF_ERROR(CheckAuthor(author));
  VIGIL_RETURN_IF_ERROR(ValidatePlan(p));
  Transaction tx(db_);
  VIGIL_RETURN_IF_ERROR(tx.Begin());
  VIGIL_ASSIGN_OR_RETURN(std::string slug, CaseSlug(db_, case_id));
  VIGIL_ASSIGN_OR_RETURN(std::vector<PolicyStatement> versions, LoadPolicies(db_, case_id));
  auto approved =
      std::find_if(versions.rbegin(), versions.rend(), [](const PolicyStatement& s) { return s.status == "approved"; });
  if (approved == versions.rend()) return Status::FailedPrecondition(NoApprovedPolicy(slug));
  VIGIL_RETURN_IF_ERROR(CheckOptionStillApproved(db_, case_id, slug, *approved));
  if (p.policy_version == 0) p.policy_version = approved->version;
  if (p.policy_version != approved->version) {
    return Status::FailedPrecondition(fmt::format(
        "policy_version: the plan implements policy statement version {} but version {} is the approved one of "
        "case '{}': build the plan from it",
        p.policy_version, approved->version, slug));
  }
  VIGIL_ASSIGN_OR_RETURN(std::optional<Plan> existing, LoadRevision(db_, case_id, 0));
  if (existing) {
    return Status::FailedPrecondition(fmt::format(
        "case '{}' already has a plan (revision {}): change it with vigil plan task|branch|decision-point {} "
        "(each change stores a new revision)",
        slug, existing->revision, slug));
  }
  VIGIL_ASSIGN_OR_RETURN(p.current_stage, CurrentStage(db_, case_id));
  const std::string now = store::UtcNow();
  VIGIL_RETURN_IF_ERROR(InsertRevision(db_, case_id, p, 1, nullptr, now, author));
  VIGIL_RETURN_IF_ERROR(Touch(db_, case_id, now));
  VIGIL_RETURN_IF_ERROR(tx.Commit());
  return p;
}

Result<Plan> PlanRepo::SavePlanRevision(std::int64_t case_id, Plan p, const std::string& note,
                                        const std::string& author) {
  VIGIL_RETURN_IF_ERROR(CheckAuthor(author));
  VIGIL_RETURN_IF_ERROR(ValidatePlan(p));
  Transaction tx(db_);
  VIGIL_RETURN_IF_ERROR(tx.Begin());
  VIGIL_ASSIGN_OR_RETURN(std::string slug, CaseSlug(db_, case_id));
  VIGIL_ASSIGN_OR_RETURN(Plan prev, RequirePlan(db_, case_id, slug));
  if (p.revision != 0 && p.revision != prev.revision) {
    return Status::Aborted(fmt::format(
        "plan of case '{}': the current revision is {}, not {}: someone revised it first; re-read and retry", slug,
        prev.revision, p.revision));
  }
  if (p.policy_version == 0) p.policy_version = prev.policy_version;
  if (p.policy_version != prev.policy_version) {
    // A revision may move the plan onto a newly approved policy statement.
    VIGIL_ASSIGN_OR_RETURN(std::vector<PolicyStatement> versions, LoadPolicies(db_, case_id));
    auto it = std::find_if(versions.begin(), versions.end(), [&](const PolicyStatement& s) {
      return s.version == p.policy_version && s.status == "approved";
    });
    if (it == versions.end()) {
      return Status::FailedPrecondition(fmt::format(
          "policy_version: {} is not the approved policy statement version of case '{}' (the plan implements "
          "version {}; see vigil policy history {})",
          p.policy_version, slug, prev.policy_version, slug));
    }
  }
  p.note = note;
  p.current_stage = prev.current_stage;
  const std::string now = store::UtcNow();
  VIGIL_RETURN_IF_ERROR(InsertRevision(db_, case_id, p, prev.revision + 1, ToJson(prev), now, author));
  VIGIL_RETURN_IF_ERROR(Touch(db_, case_id, now));
  VIGIL_RETURN_IF_ERROR(tx.Commit());
  return p;
}

Result<std::optional<Plan>> PlanRepo::LoadPlan(std::int64_t case_id, int revision) {
  VIGIL_ASSIGN_OR_RETURN(std::string slug, CaseSlug(db_, case_id));
  if (revision < 0) return Status::InvalidArgument(fmt::format("revision: {} is not >= 1", revision));
  VIGIL_ASSIGN_OR_RETURN(std::optional<Plan> latest, LoadRevision(db_, case_id, 0));
  if (!latest) return latest;  // no plan yet
  if (revision == 0 || revision == latest->revision) {
    VIGIL_ASSIGN_OR_RETURN(latest->current_stage, CurrentStage(db_, case_id));
    return latest;
  }
  // An earlier revision as stored (its current_stage is the one when it was saved).
  VIGIL_ASSIGN_OR_RETURN(std::optional<Plan> p, LoadRevision(db_, case_id, revision));
  if (!p) {
    return Status::NotFound(fmt::format("no plan revision {} in case '{}' (revisions 1-{}; see vigil plan history {})",
                                        revision, slug, latest->revision, slug));
  }
  return p;
}

Result<std::vector<PlanRepo::RevisionInfo>> PlanRepo::PlanRevisions(std::int64_t case_id) {
  VIGIL_RETURN_IF_ERROR(CaseSlug(db_, case_id).status());
  VIGIL_ASSIGN_OR_RETURN(Stmt st, db_.Prepare(
      "SELECT revision, policy_version, note, created_at, created_by FROM plan_revisions WHERE case_id = ? "
      "ORDER BY revision"));
  st.Bind(1, case_id);
  std::vector<RevisionInfo> out;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    RevisionInfo r;
    r.revision = static_cast<int>(st.Int(0));
    r.policy_version = static_cast<int>(st.Int(1));
    r.note = st.Text(2);
    r.created_at = st.Text(3);
    r.created_by = st.Text(4);
    out.push_back(std::move(r));
  }
  return out;
}

// ---- execution ----------------------------------------------------------------------

Result<StatusEntry> PlanRepo::RecordStatus(std::int64_t case_id, StatusEntry s, const std::string& author) {
  VIGIL_RETURN_IF_ERROR(CheckAuthor(author));
  if (!IsExecutionStatus(s.status)) {
    return Status::InvalidArgument(
        fmt::format("status: '{}' is not one of {}", s.status, ListOf(kExecutionStatuses)));
  }
  if (s.as_of.empty()) s.as_of = Today();
  VIGIL_RETURN_IF_ERROR(CheckDate("as-of", s.as_of, true));
  Transaction tx(db_);
  VIGIL_RETURN_IF_ERROR(tx.Begin());
  VIGIL_ASSIGN_OR_RETURN(std::string slug, CaseSlug(db_, case_id));
  VIGIL_ASSIGN_OR_RETURN(Plan plan, RequirePlan(db_, case_id, slug));
  if (plan.FindLoe(s.target) == nullptr && plan.FindTask(s.target) == nullptr) {
    return Status::NotFound(fmt::format(
        "target: no line of effort or task '{}' in plan revision {} of case '{}' (ids like loe-1 or t-3; see "
        "vigil plan show {})",
        s.target, plan.revision, slug, slug));
  }
  const std::string now = store::UtcNow();
  s.plan_revision = plan.revision;
  s.author = author;
  s.created_at = now;
  VIGIL_ASSIGN_OR_RETURN(Stmt st, db_.Prepare(
      "INSERT INTO execution_status (case_id, plan_revision, target, status, note, as_of, author, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
  st.Bind(1, case_id).Bind(2, s.plan_revision).Bind(3, s.target).Bind(4, s.status).Bind(5, s.note);
  st.Bind(6, s.as_of).Bind(7, author).Bind(8, now);
  VIGIL_RETURN_IF_ERROR(st.Run());
  s.id = db_.LastInsertRowId();
  VIGIL_RETURN_IF_ERROR(Audit(db_, case_id, now, author, "add", "status", s.id, nullptr, ToJson(s)));
  VIGIL_RETURN_IF_ERROR(Touch(db_, case_id, now));
  VIGIL_RETURN_IF_ERROR(tx.Commit());
  return s;
}

Result<std::vector<StatusEntry>> PlanRepo::StatusHistory(std::int64_t case_id) {
  VIGIL_RETURN_IF_ERROR(CaseSlug(db_, case_id).status());
  VIGIL_ASSIGN_OR_RETURN(Stmt st, db_.Prepare(
      "SELECT id, plan_revision, target, status, note, as_of, author, created_at FROM execution_status "
      "WHERE case_id = ? ORDER BY id"));
  st.Bind(1, case_id);
  std::vector<StatusEntry> out;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    StatusEntry s;
    s.id = st.Int(0);
    s.plan_revision = static_cast<int>(st.Int(1));
    s.target = st.Text(2);
    s.status = st.Text(3);
    s.note = st.Text(4);
    s.as_of = st.Text(5);
    s.author = st.Text(6);
    s.created_at = st.Text(7);
    out.push_back(std::move(s));
  }
  return out;
}

Result<Decision> PlanRepo::TransitionStage(std::int64_t case_id, const std::string& to_stage,
                                           const std::string& decided_by, const std::string& decided_at,
                                           const std::string& note, const std::string& author) {
  VIGIL_RETURN_IF_ERROR(CheckAuthor(author));
  if (!IsStage(to_stage)) {
    return Status::InvalidArgument(
        fmt::format("stage: unknown stage '{}' (one of {})", to_stage, ListOf(assess::kPlanStages)));
  }
  VIGIL_ASSIGN_OR_RETURN(Decision d, NewDecision("stage", "approved", decided_by, decided_at, note));
  Transaction tx(db_);
  VIGIL_RETURN_IF_ERROR(tx.Begin());
  VIGIL_ASSIGN_OR_RETURN(std::string slug, CaseSlug(db_, case_id));
  VIGIL_ASSIGN_OR_RETURN(Plan plan, RequirePlan(db_, case_id, slug));
  if (plan.current_stage == to_stage) {
    return Status::InvalidArgument(
        fmt::format("stage: the plan of case '{}' is already in stage {}", slug, to_stage));
  }
  d.subject = plan.current_stage + "->" + to_stage;
  const std::string now = store::UtcNow();
  VIGIL_RETURN_IF_ERROR(InsertDecision(db_, case_id, d, now, author));
  VIGIL_RETURN_IF_ERROR(Touch(db_, case_id, now));
  VIGIL_RETURN_IF_ERROR(tx.Commit());
  return d;
}

}  // namespace vigil::plan
