// Case operations of the service layer (issue 18): which cases a principal
// sees, reading a case file and its history, and the case's members (its
// interagency planning team as accounts, each with a role on the case).
// Each call authorizes through app::Authorize, so the CLI and the HTTP API
// decide alike; a case the principal is not a member of is NotFound, exactly
// like a case that does not exist.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "assess/case.h"
#include "core/principal.h"
#include "core/status.h"

namespace vigil::store {
class Db;
}

namespace vigil::app {

struct CaseMember {
  std::int64_t user_id = 0;
  std::string username;
  std::string display_name;
  std::string role;  // the role on this case
  std::string added_at;
  std::string added_by;
};
nlohmann::json ToJson(const CaseMember& m);

// A case with the caller's role on it ("" for the local operator).
struct VisibleCase {
  assess::Case c;
  std::string my_role;
};

// case.list: the cases `who` is a member of (every case for the local
// operator), newest first.
Result<std::vector<VisibleCase>> ListCases(store::Db& db, const Principal& who);
// The case named by id or slug if `who` may do `action` on it (NotFound
// for a case that does not exist or that `who` is not a member of).
Result<assess::Case> FindCaseFor(store::Db& db, const Principal& who, const std::string& id_or_slug,
                                 std::string_view action);
// case.read: the whole case file.
Result<assess::CaseFile> ReadCaseFile(store::Db& db, const Principal& who, const std::string& id_or_slug);
// case.history: every audited change of the case, oldest first.
Result<std::vector<assess::AuditEntry>> CaseHistory(store::Db& db, const Principal& who,
                                                    const std::string& id_or_slug);
// One line saying what an audit entry changed: "field: old -> new; ..." for
// an edit, the new entity's title or name for an addition, "removed".
std::string ChangeSummary(const assess::AuditEntry& e);

// case.read: the members of the case, by user name.
Result<std::vector<CaseMember>> ListCaseMembers(store::Db& db, const Principal& who, const std::string& id_or_slug);
// case.members.manage: makes `username` a member with `role` (a role of the
// access policy other than admin), or changes the role of a member. Audited
// in the case's chain. NotFound for an unknown case or user.
Result<CaseMember> SetCaseMember(store::Db& db, const Principal& who, const std::string& id_or_slug,
                                 const std::string& username, const std::string& role);
// case.members.manage: removes a member; NotFound if not a member.
Status RemoveCaseMember(store::Db& db, const Principal& who, const std::string& id_or_slug,
                        const std::string& username);

// case.create: opens a case (assess::CaseRepo::CreateCase) and makes its
// creator a member with their own role, in one transaction, audited under
// `who`. The local operator becomes no member (it sees every case).
// case.edit: sets case and initial-guidance fields (assess::FieldEdits) of
// case `id_or_slug`. based_on_revision is the case's revision the caller read
// (Aborted, nothing written, when it moved on; nullopt: no check). Returns
// the case file as it is after the edit.
Result<assess::CaseFile> EditCase(store::Db& db, const Principal& who, const std::string& id_or_slug,
                                  const assess::FieldEdits& edits, std::optional<int> based_on_revision);

Result<assess::Case> CreateCase(store::Db& db, const Principal& who, assess::Case c);

}  // namespace vigil::app
