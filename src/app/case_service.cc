#include "app/case_service.h"

#include <fmt/format.h>

#include "app/access.h"
#include "app/accounts.h"
#include "store/audit.h"
#include "store/db.h"
#include "store/forecast_store.h"  // UtcNow()

namespace vigil::app {
namespace {

// The one message for a case that does not exist and for one the caller is
// not a member of, so that ids and slugs of other cases leak nothing.
Status NoSuchCase(std::string_view id_or_slug) {
  return Status::NotFound(fmt::format("no case '{}'", id_or_slug));
}

Result<std::vector<CaseMember>> Members(store::Db& db, std::int64_t case_id) {
  VIGIL_ASSIGN_OR_RETURN(store::Stmt st,
                         db.Prepare("SELECT m.user_id, u.username, u.display_name, m.role, m.added_at, m.added_by "
                                    "FROM case_members m JOIN users u ON u.id = m.user_id WHERE m.case_id = ?1 "
                                    "ORDER BY u.username"));
  st.Bind(1, case_id);
  std::vector<CaseMember> out;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back({st.Int(0), st.Text(1), st.Text(2), st.Text(3), st.Text(4), st.Text(5)});
  }
  return out;
}

Status InsertMember(store::Db& db, std::int64_t case_id, std::int64_t user_id, const std::string& role,
                    const std::string& at, const std::string& by) {
  VIGIL_ASSIGN_OR_RETURN(store::Stmt st,
                         db.Prepare("INSERT INTO case_members (case_id, user_id, role, added_at, added_by) "
                                    "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (case_id, user_id) DO UPDATE SET "
                                    "role = excluded.role, added_at = excluded.added_at, added_by = excluded.added_by"));
  return st.Bind(1, case_id).Bind(2, user_id).Bind(3, role).Bind(4, at).Bind(5, by).Run();
}

Status CheckCaseRole(const std::string& role) {
  const AccessPolicy& policy = AccessPolicy::Default();
  if (role == "admin" || !policy.IsRole(role)) {
    std::string roles;
    for (const auto& r : policy.roles()) {
      if (r != "admin") roles += (roles.empty() ? "" : ", ") + r;
    }
    return Status::InvalidArgument(fmt::format("role: '{}' is not a case role (case roles: {})", role, roles));
  }
  return Status::Ok();
}

// A case (by id or slug), an account, and the account's role on the case.
struct Membership {
  assess::Case c;
  UserInfo user;
  std::optional<std::string> role;
};
Result<Membership> FindMembership(store::Db& db, const std::string& id_or_slug, const std::string& username) {
  auto c = assess::CaseRepo(db).FindCase(id_or_slug);
  if (!c.ok()) return c.status().code() == Status::Code::kNotFound ? NoSuchCase(id_or_slug) : c.status();
  VIGIL_ASSIGN_OR_RETURN(UserInfo user, FindUser(db, username));
  VIGIL_ASSIGN_OR_RETURN(std::optional<std::string> role, CaseRole(db, c->id, user.id));
  return Membership{std::move(*c), std::move(user), std::move(role)};
}

}  // namespace

nlohmann::json ToJson(const CaseMember& m) {
  return {{"username", m.username}, {"display_name", m.display_name}, {"role", m.role},
          {"added_at", m.added_at}, {"added_by", m.added_by}};
}

Result<std::vector<VisibleCase>> ListCases(store::Db& db, const Principal& who) {
  VIGIL_RETURN_IF_ERROR(Authorize(db, who, "case.list"));
  assess::CaseRepo repo(db);
  VIGIL_ASSIGN_OR_RETURN(std::vector<assess::Case> all, repo.ListCases());
  std::vector<VisibleCase> out;
  for (auto it = all.rbegin(); it != all.rend(); ++it) {
    if (who.local_operator) {
      out.push_back({std::move(*it), ""});
      continue;
    }
    VIGIL_ASSIGN_OR_RETURN(std::optional<std::string> role, CaseRole(db, it->id, who.user_id));
    if (role) out.push_back({std::move(*it), *role});
  }
  return out;
}

Result<assess::Case> FindCaseFor(store::Db& db, const Principal& who, const std::string& id_or_slug,
                                 std::string_view action) {
  assess::CaseRepo repo(db);
  auto c = repo.FindCase(id_or_slug);
  if (!c.ok()) return c.status().code() == Status::Code::kNotFound ? NoSuchCase(id_or_slug) : c.status();
  Status allowed = Authorize(db, who, action, c->id);
  if (allowed.code() == Status::Code::kNotFound) return NoSuchCase(id_or_slug);
  VIGIL_RETURN_IF_ERROR(allowed);
  return c;
}

Result<assess::CaseFile> ReadCaseFile(store::Db& db, const Principal& who, const std::string& id_or_slug) {
  VIGIL_ASSIGN_OR_RETURN(assess::Case c, FindCaseFor(db, who, id_or_slug, "case.read"));
  return assess::CaseRepo(db).LoadCaseFile(c.id);
}

Result<std::vector<assess::AuditEntry>> CaseHistory(store::Db& db, const Principal& who,
                                                    const std::string& id_or_slug) {
  VIGIL_ASSIGN_OR_RETURN(assess::Case c, FindCaseFor(db, who, id_or_slug, "case.history"));
  return assess::CaseRepo(db).History(c.id);
}

std::string ChangeSummary(const assess::AuditEntry& e) {
  std::string what;
  if (e.before.is_object() && e.after.is_object()) {
    for (const auto& [k, v] : e.after.items()) {
      if (k == "updated_at" || k == "updated_by" || (e.before.contains(k) && e.before[k] == v)) continue;
      const std::string old = e.before.contains(k) ? e.before[k].dump() : "null";
      what += fmt::format("{}{}: {} -> {}", what.empty() ? "" : "; ", k, old, v.dump());
    }
  } else if (e.after.is_object()) {
    for (const char* k : {"title", "name", "username", "role", "level", "text", "question"}) {
      if (e.after.contains(k)) return fmt::format("{} {}", k, e.after[k].dump());
    }
  } else if (e.before.is_object()) {
    what = "removed";
  }
  return what;
}

Result<std::vector<CaseMember>> ListCaseMembers(store::Db& db, const Principal& who, const std::string& id_or_slug) {
  VIGIL_ASSIGN_OR_RETURN(assess::Case c, FindCaseFor(db, who, id_or_slug, "case.read"));
  return Members(db, c.id);
}

Result<CaseMember> SetCaseMember(store::Db& db, const Principal& who, const std::string& id_or_slug,
                                 const std::string& username, const std::string& role) {
  VIGIL_RETURN_IF_ERROR(Authorize(db, who, "case.members.manage"));
  VIGIL_RETURN_IF_ERROR(CheckCaseRole(role));
  store::Transaction tx(db);
  VIGIL_RETURN_IF_ERROR(tx.Begin());
  VIGIL_ASSIGN_OR_RETURN(Membership ms, FindMembership(db, id_or_slug, username));
  const assess::Case* c = &ms.c;
  const UserInfo* user = &ms.user;
  const std::optional<std::string>& old_role = ms.role;
  const std::string now = store::UtcNow();
  VIGIL_RETURN_IF_ERROR(InsertMember(db, c->id, user->id, role, now, who.AuditName()));
  CaseMember m{user->id, user->username, user->display_name, role, now, who.AuditName()};
  nlohmann::json before = nullptr;
  if (old_role) before = {{"username", user->username}, {"role", *old_role}};
  VIGIL_RETURN_IF_ERROR(store::AppendCaseAudit(db, c->id, now, who.AuditName(), old_role ? "edit" : "add",
                                               "case-member", user->id, before,
                                               {{"username", user->username}, {"role", role}}));
  VIGIL_RETURN_IF_ERROR(tx.Commit());
  return m;
}

Status RemoveCaseMember(store::Db& db, const Principal& who, const std::string& id_or_slug,
                        const std::string& username) {
  VIGIL_RETURN_IF_ERROR(Authorize(db, who, "case.members.manage"));
  store::Transaction tx(db);
  VIGIL_RETURN_IF_ERROR(tx.Begin());
  VIGIL_ASSIGN_OR_RETURN(Membership ms, FindMembership(db, id_or_slug, username));
  const assess::Case* c = &ms.c;
  const UserInfo* user = &ms.user;
  const std::optional<std::string>& role = ms.role;
  if (!role) return Status::NotFound(fmt::format("'{}' is not a member of case {}", username, c->slug));
  VIGIL_ASSIGN_OR_RETURN(store::Stmt st, db.Prepare("DELETE FROM case_members WHERE case_id = ?1 AND user_id = ?2"));
  VIGIL_RETURN_IF_ERROR(st.Bind(1, c->id).Bind(2, user->id).Run());
  VIGIL_RETURN_IF_ERROR(store::AppendCaseAudit(db, c->id, store::UtcNow(), who.AuditName(), "remove", "case-member",
                                               user->id, {{"username", user->username}, {"role", *role}}, nullptr));
  return tx.Commit();
}

Result<assess::Case> CreateCase(store::Db& db, const Principal& who, assess::Case c) {
  VIGIL_RETURN_IF_ERROR(Authorize(db, who, "case.create"));
  store::Transaction tx(db);
  VIGIL_RETURN_IF_ERROR(tx.Begin());
  VIGIL_ASSIGN_OR_RETURN(assess::Case made, assess::CaseRepo(db).CreateCase(std::move(c), who.AuditName()));
  if (!who.local_operator) {
    const std::string now = store::UtcNow();
    VIGIL_RETURN_IF_ERROR(InsertMember(db, made.id, who.user_id, who.role, now, who.AuditName()));
    VIGIL_RETURN_IF_ERROR(store::AppendCaseAudit(db, made.id, now, who.AuditName(), "add", "case-member",
                                                 who.user_id, nullptr,
                                                 {{"username", who.username}, {"role", who.role}}));
  }
  VIGIL_RETURN_IF_ERROR(tx.Commit());
  return made;
}

Result<assess::CaseFile> EditCase(store::Db& db, const Principal& who, const std::string& id_or_slug,
                                  const assess::FieldEdits& edits, std::optional<int> based_on_revision) {
  VIGIL_ASSIGN_OR_RETURN(assess::Case c, FindCaseFor(db, who, id_or_slug, "case.edit"));
  assess::CaseRepo repo(db);
  VIGIL_RETURN_IF_ERROR(repo.EditCase(c.id, edits, who.AuditName(), based_on_revision));
  return repo.LoadCaseFile(c.id);
}

}  // namespace vigil::app
