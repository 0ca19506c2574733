// Accounts, passwords, sessions and login throttling (issue 18).
//
// Passwords are hashed with argon2id (libsodium crypto_pwhash_str, 64 MiB and
// 2 passes: stronger than OWASP's minimum of 19 MiB and 2 passes). Session,
// CSRF and API tokens are 256-bit random values; only their SHA-256 is
// stored, so a copy of the store grants no session. Every state that several
// `vigil serve` processes must share (sessions, throttles) lives in the store.
// Every write is audited (ops_audit) under the acting principal, without the
// password or any token.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/principal.h"
#include "core/status.h"

namespace vigil::store {
class Db;
}

namespace vigil::app {

// OWASP ASVS 2.1.1/2.1.2: at least 12 characters, at most 128, no
// composition rules; also not the user name.
inline constexpr std::size_t kMinPasswordLength = 12;
inline constexpr std::size_t kMaxPasswordLength = 128;
// ASVS 3.3.1/3.3.2: a session ends after 30 minutes without use and 12 hours
// after login, whichever comes first.
inline constexpr std::int64_t kSessionIdleSeconds = 30 * 60;
inline constexpr std::int64_t kSessionAbsoluteSeconds = 12 * 60 * 60;
// A session's last use is recorded at most this often.
inline constexpr std::int64_t kSessionTouchSeconds = 15;
// Login throttling (ASVS 2.2.1): from the 3rd consecutive failure for a user
// name or a client, the next attempt must wait 2^(n-3) seconds (at most 60);
// 10 failures lock the name or client for 15 minutes. A success clears the
// user name's count.
inline constexpr int kThrottleAfterFailures = 3;
inline constexpr int kLockAfterFailures = 10;
inline constexpr std::int64_t kLockSeconds = 15 * 60;

struct UserInfo {
  std::int64_t id = 0;
  std::string username;
  std::string display_name;
  std::string role;
  bool disabled = false;
  std::int64_t revision = 0;
  std::string created_at;
  std::string created_by;
  std::string updated_at;
};

// The account as the CLI's --json and the API show it (never the hash).
nlohmann::json ToJson(const UserInfo& u);

struct NewUser {
  std::string username;  // [A-Za-z0-9._-], 2-64 characters, starts with a letter or digit
  std::string display_name;
  std::string role;      // a role of the access policy
  std::string password;  // see CheckPassword
};

// InvalidArgument naming the rule a password breaks.
Status CheckPassword(const std::string& password, const std::string& username);

// user.manage (admin). AlreadyExists for a taken name (case-insensitive).
Result<UserInfo> AddUser(store::Db& db, const Principal& who, const NewUser& user);
Result<std::vector<UserInfo>> ListUsers(store::Db& db, const Principal& who);
// Disabling also ends every session and API token of the user.
Status SetUserDisabled(store::Db& db, const Principal& who, const std::string& username, bool disabled);
// Sets a new password and ends every session of the user.
Status ResetPassword(store::Db& db, const Principal& who, const std::string& username, const std::string& password);
// session.self (ASVS 2.1.5, 2.1.6): the caller changes their own password,
// giving the current one. A wrong current password is Unauthenticated and
// counts as a failed login of the name (throttled and locked out alike); a
// new password that breaks a rule is InvalidArgument. On success every
// session of the account ends (log in again with the new password); its
// API tokens stay. The local operator has no password (FailedPrecondition).
Status ChangeOwnPassword(store::Db& db, const Principal& who, const std::string& current,
                         const std::string& new_password, std::int64_t now);
// The account named `username`; NotFound otherwise.
Result<UserInfo> FindUser(store::Db& db, const std::string& username);
// A Principal for an enabled account (used by the CLI's --as).
Result<Principal> PrincipalOf(store::Db& db, const std::string& username);

struct Session {
  std::string token;  // the cookie value: shown once, stored only as a hash
  std::string csrf;   // the X-CSRF-Token value for state-changing requests
  std::int64_t expires_at = 0;  // absolute end (Unix seconds)
  UserInfo user;
};

// Checks the password of an enabled account and opens a session.
// Unauthenticated "wrong user name or password" for an unknown name, a wrong
// password or a disabled account alike (the same work is done for each, so
// timing does not tell them apart); Busy-like throttling is
// FailedPrecondition "too many failed logins; retry in N s" with
// *retry_after set. `client` is the peer address (throttled separately).
Result<Session> Login(store::Db& db, const std::string& username, const std::string& password,
                      const std::string& client, std::int64_t now, std::int64_t* retry_after = nullptr);

// The principal of a live session token; Unauthenticated when it is
// unknown, revoked, idle too long, past its absolute end, or its user is
// disabled. Touching moves last_seen to `now`.
Result<Principal> ResolveSession(store::Db& db, const std::string& token, std::int64_t now);
// Ok when `csrf` is the CSRF token of the session `token`; PermissionDenied otherwise.
Status CheckCsrf(store::Db& db, const std::string& token, const std::string& csrf);
// Ends the session (idempotent).
Status Logout(store::Db& db, const std::string& token);

// Personal API tokens for scripts ("vgl_" + 43 characters), shown once.
struct ApiTokenInfo {
  std::int64_t id = 0;
  std::string name;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> last_used;
  bool revoked = false;
};
Result<std::string> CreateApiToken(store::Db& db, const Principal& who, const std::string& name, std::int64_t now);
Result<std::vector<ApiTokenInfo>> ListApiTokens(store::Db& db, const Principal& who);
// Revokes one of the caller's tokens; NotFound for another user's.
Status RevokeApiToken(store::Db& db, const Principal& who, std::int64_t id);
// The principal of a live API token; Unauthenticated otherwise.
Result<Principal> ResolveApiToken(store::Db& db, const std::string& token, std::int64_t now);

// SHA-256 hex of a token (what the store keeps).
std::string TokenHash(const std::string& token);
// 32 random bytes, base64url without padding (43 characters).
std::string RandomToken();

}  // namespace vigil::app
