#include "app/access.h"

#include <nlohmann/json.hpp>

#include <cassert>

#include "core/embedded.h"
#include "core/json_field.h"
#include "core/json_limits.h"
#include "store/db.h"

namespace vigil::app {

Result<AccessPolicy> AccessPolicy::Parse(std::string_view text, const std::string& source) {
  VIGIL_RETURN_IF_ERROR(CheckJsonDepth(text, source));
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return Status::InvalidArgument(source + ": not a JSON object");
  const std::string top = source + ":";
  VIGIL_ASSIGN_OR_RETURN(std::string type, JsonField<std::string>(j, "type", "", top));
  if (type != "access-policy") return Status::InvalidArgument(source + ": type: must be \"access-policy\"");
  AccessPolicy p;
  VIGIL_ASSIGN_OR_RETURN(p.version_, JsonField<int>(j, "version", 0, top, 1));
  if (!j.contains("roles") || !j["roles"].is_object() || j["roles"].empty()) {
    return Status::InvalidArgument(source + ": roles: must be an object of role -> description");
  }
  for (const auto& [role, description] : j["roles"].items()) {
    if (!description.is_string()) {
      return Status::InvalidArgument(source + ": roles." + role + ": must be a description (string)");
    }
    p.roles_.push_back(role);
  }
  if (!j.contains("actions") || !j["actions"].is_object()) {
    return Status::InvalidArgument(source + ": actions: must be an object of action -> {scope, roles}");
  }
  for (const auto& [name, a] : j["actions"].items()) {
    const std::string at = source + ": actions." + name;
    if (!a.is_object()) return Status::InvalidArgument(at + ": must be an object {scope, roles}");
    for (const auto& [key, value] : a.items()) {
      if (key != "scope" && key != "roles") return Status::InvalidArgument(at + "." + key + ": unknown field");
    }
    VIGIL_ASSIGN_OR_RETURN(std::string scope, JsonField<std::string>(a, "scope", "", at));
    if (scope != "global" && scope != "case") {
      return Status::InvalidArgument(at + ".scope: must be \"global\" or \"case\"");
    }
    VIGIL_ASSIGN_OR_RETURN(std::vector<std::string> roles, JsonField<std::vector<std::string>>(a, "roles", {}, at));
    Action action;
    action.case_scoped = scope == "case";
    for (const auto& r : roles) {
      if (!p.IsRole(r)) return Status::InvalidArgument(at + ".roles: '" + r + "' is not a declared role");
      action.roles.insert(r);
    }
    p.actions_.emplace(name, std::move(action));
  }
  return p;
}

const AccessPolicy& AccessPolicy::Default() {
  static const AccessPolicy kPolicy = [] {
    auto text = catalog::FindEmbedded("access_policy.json");
    assert(text.ok() && "catalog/access_policy.json is compiled in");
    auto p = Parse(*text, "catalog/access_policy.json");
    assert(p.ok() && "the embedded access policy parses (access_test)");
    return p.ok() ? std::move(p).value() : AccessPolicy();
  }();
  return kPolicy;
}

bool AccessPolicy::IsRole(std::string_view role) const {
  for (const auto& r : roles_) {
    if (r == role) return true;
  }
  return false;
}

const AccessPolicy::Action* AccessPolicy::Find(std::string_view action) const {
  auto it = actions_.find(action);
  return it == actions_.end() ? nullptr : &it->second;
}

bool AccessPolicy::Allows(std::string_view action, std::string_view role) const {
  const Action* a = Find(action);
  return a != nullptr && a->roles.count(std::string(role)) > 0;
}

Result<std::optional<std::string>> CaseRole(store::Db& db, std::int64_t case_id, std::int64_t user_id) {
  VIGIL_ASSIGN_OR_RETURN(store::Stmt st,
                         db.Prepare("SELECT role FROM case_members WHERE case_id = ?1 AND user_id = ?2"));
  st.Bind(1, case_id).Bind(2, user_id);
  VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<std::string>();
  return std::optional<std::string>(st.Text(0));
}

Status Authorize(store::Db& db, const Principal& who, std::string_view action, std::optional<std::int64_t> case_id,
                 const AccessPolicy& policy) {
  const AccessPolicy::Action* a = policy.Find(action);
  assert(a != nullptr && "every action the code checks is declared in catalog/access_policy.json");
  if (a == nullptr) return Status::PermissionDenied("undeclared action '" + std::string(action) + "'");
  assert(a->case_scoped == case_id.has_value() && "case actions name their case, global ones do not");
  if (who.local_operator) return Status::Ok();
  auto denied = [&](const std::string& as) {
    std::string roles;
    for (const auto& r : a->roles) roles += (roles.empty() ? "" : ", ") + r;
    return Status::PermissionDenied(std::string(action) + " is not allowed to " + as + " (allowed: " +
                                    (roles.empty() ? "nobody" : roles) + ")");
  };
  if (!a->case_scoped) {
    if (a->roles.count(who.role) == 0) return denied("the role " + who.role);
    return Status::Ok();
  }
  VIGIL_ASSIGN_OR_RETURN(std::optional<std::string> role, CaseRole(db, *case_id, who.user_id));
  if (!role) return Status::NotFound("case " + std::to_string(*case_id) + " not found");
  if (a->roles.count(*role) == 0) return denied("the case role " + *role);
  return Status::Ok();
}

}  // namespace vigil::app
