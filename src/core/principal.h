// Principal: who is asking. Every domain operation of the service layer
// (src/app) takes one and decides there, once, whether it is allowed, so
// the CLI and the HTTP API cannot disagree; the audit records its name.
#pragma once

#include <cstdint>
#include <string>

namespace vigil {

struct Principal {
  std::int64_t user_id = 0;  // users.id; 0 for the local operator
  std::string username;      // the account name; "local:<os user>" for the local operator
  std::string role;          // the account's global role (catalog/access_policy.json)
  // The owner of the store file working through the CLI without --as: may
  // do everything (whoever can write the file could anyway) and is audited
  // under "local:<os user>".
  bool local_operator = false;

  // The name the audit records.
  const std::string& AuditName() const { return username; }
};

}  // namespace vigil
