// Access policy: which role may do which action (catalog/access_policy.json),
// and Authorize(), the one place where vigil decides whether a principal may
// do something. Global actions are checked against the account's role; case
// actions against the role the account holds on that case (case_members).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/principal.h"
#include "core/status.h"

namespace vigil::store {
class Db;
}

namespace vigil::app {

class AccessPolicy {
 public:
  struct Action {
    bool case_scoped = false;
    std::set<std::string> roles;
  };

  // Parses a policy document; InvalidArgument naming `source` and the field
  // for a wrong type, an unknown scope, or an action naming an undeclared role.
  static Result<AccessPolicy> Parse(std::string_view text, const std::string& source);
  // The compiled-in catalog/access_policy.json.
  static const AccessPolicy& Default();

  int version() const { return version_; }
  const std::vector<std::string>& roles() const { return roles_; }
  bool IsRole(std::string_view role) const;
  // nullptr for an action the policy does not declare.
  const Action* Find(std::string_view action) const;
  const std::map<std::string, Action, std::less<>>& actions() const { return actions_; }
  // Whether `role` may do `action` (false for an undeclared action).
  bool Allows(std::string_view action, std::string_view role) const;

 private:
  int version_ = 0;
  std::vector<std::string> roles_;
  std::map<std::string, Action, std::less<>> actions_;
};

// The role `user_id` holds on case `case_id`, or nullopt if not a member.
Result<std::optional<std::string>> CaseRole(store::Db& db, std::int64_t case_id, std::int64_t user_id);

// Ok when `who` may do `action` (on `case_id` for a case action).
// - the local operator may do everything;
// - a global action needs the account's role in the action's roles;
// - a case action needs membership of the case with a role in the action's
//   roles. A non-member gets NotFound ("case N not found"), exactly as for a
//   case that does not exist, so ids of other cases leak nothing.
// PermissionDenied names the action and the roles that may do it. An action
// the policy does not declare is a programmer error (asserts) and denied.
Status Authorize(store::Db& db, const Principal& who, std::string_view action,
                 std::optional<std::int64_t> case_id = std::nullopt,
                 const AccessPolicy& policy = AccessPolicy::Default());

}  // namespace vigil::app
