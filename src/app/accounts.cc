#include "app/accounts.h"

#include <sodium.h>

#include <algorithm>
#include <cassert>
#include <cctype>

#include "app/access.h"
#include "data/panel_csv.h"  // Sha256Hex
#include "store/audit.h"
#include "store/db.h"
#include "store/forecast_store.h"  // UtcNow()

namespace vigil::app {
namespace {

void InitSodium() {
  static const int kInit = sodium_init();
  assert(kInit >= 0 && "libsodium initializes");
  (void)kInit;
}

Result<std::string> HashPassword(const std::string& password) {
  InitSodium();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    return Status::Internal("argon2id: out of memory hashing a password");
  }
  return std::string(out);
}

bool VerifyPassword(const std::string& stored, const std::string& password) {
  InitSodium();
  return crypto_pwhash_str_verify(stored.c_str(), password.data(), password.size()) == 0;
}

// A hash of a password nobody has, verified for unknown or disabled users
// so that they cost the same time as a real check.
const std::string& DummyHash() {
  static const std::string kHash = [] {
    auto h = HashPassword(RandomToken());
    return h.ok() ? *h : std::string();
  }();
  return kHash;
}

Status CheckUsername(const std::string& name) {
  if (name.size() < 2 || name.size() > 64) return Status::InvalidArgument("username: must be 2 to 64 characters");
  if (!std::isalnum(static_cast<unsigned char>(name[0]))) {
    return Status::InvalidArgument("username: must start with a letter or digit");
  }
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-') {
      return Status::InvalidArgument("username: only letters, digits, '.', '_' and '-' are allowed");
    }
  }
  return Status::Ok();
}

UserInfo RowToUser(const store::Stmt& st) {
  UserInfo u;
  u.id = st.Int(0);
  u.username = st.Text(1);
  u.display_name = st.Text(2);
  u.role = st.Text(3);
  u.disabled = st.Int(4) != 0;
  u.revision = st.Int(5);
  u.created_at = st.Text(6);
  u.created_by = st.Text(7);
  u.updated_at = st.Text(8);
  return u;
}

constexpr const char* kUserColumns =
    "id, username, display_name, role, disabled, revision, created_at, created_by, updated_at";

nlohmann::json UserJson(const UserInfo& u) {
  return {{"username", u.username}, {"display_name", u.display_name}, {"role", u.role}, {"disabled", u.disabled}};
}

Status Audit(store::Db& db, const Principal& who, const std::string& action, const UserInfo& u,
             const nlohmann::json& before, const nlohmann::json& after) {
  return store::AppendOpsAudit(db, {who.AuditName(), action, "user", u.id, before, after});
}

Status RevokeAll(store::Db& db, std::int64_t user_id, bool tokens) {
  VIGIL_ASSIGN_OR_RETURN(store::Stmt s, db.Prepare("UPDATE sessions SET revoked = 1 WHERE user_id = ?1"));
  VIGIL_RETURN_IF_ERROR(s.Bind(1, user_id).Run());
  if (tokens) {
    VIGIL_ASSIGN_OR_RETURN(store::Stmt t, db.Prepare("UPDATE api_tokens SET revoked = 1 WHERE user_id = ?1"));
    VIGIL_RETURN_IF_ERROR(t.Bind(1, user_id).Run());
  }
  return Status::Ok();
}

Principal ToPrincipal(const UserInfo& u) { return Principal{u.id, u.username, u.role, false}; }

// Throttle state of one key ('user:NAME' or 'client:ADDR').
struct Throttle {
  int failures = 0;
  std::int64_t last_failure = 0;
  std::int64_t locked_until = 0;
};

Result<Throttle> ReadThrottle(store::Db& db, const std::string& key) {
  VIGIL_ASSIGN_OR_RETURN(store::Stmt st,
                         db.Prepare("SELECT failures, last_failure, locked_until FROM login_throttle WHERE key = ?1"));
  st.Bind(1, key);
  VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
  Throttle t;
  if (row) t = {static_cast<int>(st.Int(0)), st.Int(1), st.Int(2)};
  return t;
}

// Seconds until `t` allows another attempt at `now` (0: allowed).
std::int64_t Wait(const Throttle& t, std::int64_t now) {
  if (t.locked_until > now) return t.locked_until - now;
  if (t.failures < kThrottleAfterFailures || t.failures >= kLockAfterFailures) return 0;
  const std::int64_t delay = std::min<std::int64_t>(std::int64_t{1} << (t.failures - kThrottleAfterFailures), 60);
  return std::max<std::int64_t>(0, t.last_failure + delay - now);
}

Status RecordFailure(store::Db& db, const std::string& key, std::int64_t now) {
  VIGIL_ASSIGN_OR_RETURN(Throttle t, ReadThrottle(db, key));
  // A lock that has run out starts the count again.
  if (t.locked_until != 0 && t.locked_until <= now) t = {};
  ++t.failures;
  t.last_failure = now;
  if (t.failures >= kLockAfterFailures) t.locked_until = now + kLockSeconds;
  VIGIL_ASSIGN_OR_RETURN(store::Stmt st,
                         db.Prepare("INSERT INTO login_throttle (key, failures, last_failure, locked_until) "
                                    "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (key) DO UPDATE SET failures = ?2, "
                                    "last_failure = ?3, locked_until = ?4"));
  return st.Bind(1, key).Bind(2, t.failures).Bind(3, t.last_failure).Bind(4, t.locked_until).Run();
}

Status ClearThrottle(store::Db& db, const std::string& key) {
  VIGIL_ASSIGN_OR_RETURN(store::Stmt st, db.Prepare("DELETE FROM login_throttle WHERE key = ?1"));
  return st.Bind(1, key).Run();
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

nlohmann::json ToJson(const UserInfo& u) {
  return {{"username", u.username}, {"display_name", u.display_name}, {"role", u.role},
          {"disabled", u.disabled}, {"created_at", u.created_at}, {"created_by", u.created_by},
          {"updated_at", u.updated_at}};
}

std::string TokenHash(const std::string& token) { return data::Sha256Hex(token); }

std::string RandomToken() {
  InitSodium();
  unsigned char raw[32];
  randombytes_buf(raw, sizeof raw);
  char out[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(out, sizeof out, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return out;
}

Status CheckPassword(const std::string& password, const std::string& username) {
  // Count code points, not bytes (ASVS 2.1.1 counts characters).
  std::size_t chars = 0;
  for (unsigned char c : password) chars += (c & 0xC0) != 0x80;
  if (chars < kMinPasswordLength) {
    return Status::InvalidArgument("password: must be at least " + std::to_string(kMinPasswordLength) + " characters");
  }
  if (chars > kMaxPasswordLength) {
    return Status::InvalidArgument("password: must be at most " + std::to_string(kMaxPasswordLength) + " characters");
  }
  if (!username.empty() && Lower(password).find(Lower(username)) != std::string::npos) {
    return Status::InvalidArgument("password: must not contain the user name");
  }
  return Status::Ok();
}

Result<UserInfo> FindUser(store::Db& db, const std::string& username) {
  VIGIL_ASSIGN_OR_RETURN(store::Stmt st,
                         db.Prepare(std::string("SELECT ") + kUserColumns + " FROM users WHERE username = ?1"));
  st.Bind(1, username);
  VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return Status::NotFound("no user '" + username + "'");
  return RowToUser(st);
}

Result<Principal> PrincipalOf(store::Db& db, const std::string& username) {
  VIGIL_ASSIGN_OR_RETURN(UserInfo u, FindUser(db, username));
  if (u.disabled) return Status::Unauthenticated("user '" + username + "' is disabled");
  return ToPrincipal(u);
}

Result<UserInfo> AddUser(store::Db& db, const Principal& who, const NewUser& user) {
  VIGIL_RETURN_IF_ERROR(Authorize(db, who, "user.manage"));
  VIGIL_RETURN_IF_ERROR(CheckUsername(user.username));
  if (!AccessPolicy::Default().IsRole(user.role)) {
    std::string roles;
    for (const auto& r : AccessPolicy::Default().roles()) roles += (roles.empty() ? "" : ", ") + r;
    return Status::InvalidArgument("role: '" + user.role + "' is not a role (roles: " + roles + ")");
  }
  if (user.display_name.size() > 200) return Status::InvalidArgument("display_name: at most 200 characters");
  VIGIL_RETURN_IF_ERROR(CheckPassword(user.password, user.username));
  // Hash outside the transaction: it takes ~0.1 s and 64 MiB.
  VIGIL_ASSIGN_OR_RETURN(std::string hash, HashPassword(user.password));
  store::Transaction tx(db);
  VIGIL_RETURN_IF_ERROR(tx.Begin());
  if (FindUser(db, user.username).ok()) {
    return Status::AlreadyExists("user '" + user.username + "' exists (names are case-insensitive)");
  }
  const std::string now = store::UtcNow();
  VIGIL_ASSIGN_OR_RETURN(store::Stmt st,
                         db.Prepare("INSERT INTO users (username, display_name, role, password_hash, created_at, "
                                    "created_by, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?5)"));
  VIGIL_RETURN_IF_ERROR(st.Bind(1, user.username)
                            .Bind(2, user.display_name)
                            .Bind(3, user.role)
                            .Bind(4, hash)
                            .Bind(5, now)
                            .Bind(6, who.AuditName())
                            .Run());
  VIGIL_ASSIGN_OR_RETURN(UserInfo u, FindUser(db, user.username));
  VIGIL_RETURN_IF_ERROR(Audit(db, who, "user.add", u, nullptr, UserJson(u)));
  VIGIL_RETURN_IF_ERROR(tx.Commit());
  return u;
}

Result<std::vector<UserInfo>> ListUsers(store::Db& db, const Principal& who) {
  VIGIL_RETURN_IF_ERROR(Authorize(db, who, "user.manage"));
  VIGIL_ASSIGN_OR_RETURN(store::Stmt st,
                         db.Prepare(std::string("SELECT ") + kUserColumns + " FROM users ORDER BY username"));
  std::vector<UserInfo> out;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back(RowToUser(st));
  }
  return out;
}

Status SetUserDisabled(store::Db& db, const Principal& who, const std::string& username, bool disabled) {
  VIGIL_RETURN_IF_ERROR(Authorize(db, who, "user.manage"));
  if (disabled && !who.local_operator && Lower(who.username) == Lower(username)) {
    return Status::FailedPrecondition("an admin cannot disable their own account");
  }
  store::Transaction tx(db);
  VIGIL_RETURN_IF_ERROR(tx.Begin());
  VIGIL_ASSIGN_OR_RETURN(UserInfo before, FindUser(db, username));
  VIGIL_ASSIGN_OR_RETURN(store::Stmt st,
                         db.Prepare("UPDATE users SET disabled = ?1, revision = revision + 1, updated_at = ?2 "
                                    "WHERE id = ?3"));
  VIGIL_RETURN_IF_ERROR(st.Bind(1, disabled ? 1 : 0).Bind(2, store::UtcNow()).Bind(3, before.id).Run());
  if (disabled) VIGIL_RETURN_IF_ERROR(RevokeAll(db, before.id, /*tokens=*/true));
  VIGIL_ASSIGN_OR_RETURN(UserInfo after, FindUser(db, username));
  VIGIL_RETURN_IF_ERROR(
      Audit(db, who, disabled ? "user.disable" : "user.enable", after, UserJson(before), UserJson(after)));
  return tx.Commit();
}

Status ResetPassword(store::Db& db, const Principal& who, const std::string& username, const std::string& password) {
  VIGIL_RETURN_IF_ERROR(Authorize(db, who, "user.manage"));
  VIGIL_RETURN_IF_ERROR(CheckPassword(password, username));
  VIGIL_ASSIGN_OR_RETURN(std::string hash, HashPassword(password));
  store::Transaction tx(db);
  VIGIL_RETURN_IF_ERROR(tx.Begin());
  VIGIL_ASSIGN_OR_RETURN(UserInfo u, FindUser(db, username));
  VIGIL_ASSIGN_OR_RETURN(store::Stmt st,
                         db.Prepare("UPDATE users SET password_hash = ?1, revision = revision + 1, updated_at = ?2 "
                                    "WHERE id = ?3"));
  VIGIL_RETURN_IF_ERROR(st.Bind(1, hash).Bind(2, store::UtcNow()).Bind(3, u.id).Run());
  VIGIL_RETURN_IF_ERROR(RevokeAll(db, u.id, /*tokens=*/false));
  VIGIL_RETURN_IF_ERROR(ClearThrottle(db, "user:" + Lower(username)));
  VIGIL_RETURN_IF_ERROR(Audit(db, who, "user.reset_password", u, nullptr, {{"password", "changed"}}));
  return tx.Commit();
}

Status ChangeOwnPassword(store::Db& db, const Principal& who, const std::string& current,
                         const std::string& new_password, std::int64_t now) {
  if (who.local_operator) {
    return Status::FailedPrecondition("the local operator has no password; name an account with --as");
  }
  VIGIL_RETURN_IF_ERROR(Authorize(db, who, "session.self"));
  const std::string user_key = "user:" + Lower(who.username);
  VIGIL_ASSIGN_OR_RETURN(Throttle t, ReadThrottle(db, user_key));
  if (const std::int64_t wait = Wait(t, now); wait > 0) {
    return Status::FailedPrecondition("too many failed logins; retry in " + std::to_string(wait) + " s");
  }
  VIGIL_ASSIGN_OR_RETURN(UserInfo u, FindUser(db, who.username));
  VIGIL_ASSIGN_OR_RETURN(store::Stmt st, db.Prepare("SELECT password_hash FROM users WHERE id = ?1"));
  st.Bind(1, u.id);
  VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row || !VerifyPassword(st.Text(0), current)) {
    VIGIL_RETURN_IF_ERROR(RecordFailure(db, user_key, now));
    return Status::InvalidArgument("current_password: wrong password");
  }
  if (new_password == current) return Status::InvalidArgument("new_password: must differ from the current one");
  if (Status s = CheckPassword(new_password, u.username); !s.ok()) {
    return Status::InvalidArgument("new_" + s.message());  // "new_password: ..."
  }
  VIGIL_ASSIGN_OR_RETURN(std::string hash, HashPassword(new_password));
  store::Transaction tx(db);
  VIGIL_RETURN_IF_ERROR(tx.Begin());
  VIGIL_ASSIGN_OR_RETURN(store::Stmt up,
                         db.Prepare("UPDATE users SET password_hash = ?1, revision = revision + 1, updated_at = ?2 "
                                    "WHERE id = ?3"));
  VIGIL_RETURN_IF_ERROR(up.Bind(1, hash).Bind(2, store::UtcNow()).Bind(3, u.id).Run());
  VIGIL_RETURN_IF_ERROR(RevokeAll(db, u.id, /*tokens=*/false));
  VIGIL_RETURN_IF_ERROR(ClearThrottle(db, user_key));
  VIGIL_RETURN_IF_ERROR(Audit(db, who, "user.change_password", u, nullptr, {{"password", "changed"}}));
  return tx.Commit();
}

Result<Session> Login(store::Db& db, const std::string& username, const std::string& password,
                      const std::string& client, std::int64_t now, std::int64_t* retry_after) {
  const std::string user_key = "user:" + Lower(username.substr(0, 64));
  const std::string client_key = "client:" + client;
  {
    VIGIL_ASSIGN_OR_RETURN(Throttle tu, ReadThrottle(db, user_key));
    VIGIL_ASSIGN_OR_RETURN(Throttle tc, ReadThrottle(db, client_key));
    const std::int64_t wait = std::max(Wait(tu, now), Wait(tc, now));
    if (wait > 0) {
      if (retry_after) *retry_after = wait;
      return Status::FailedPrecondition("too many failed logins; retry in " + std::to_string(wait) + " s");
    }
  }
  auto user = FindUser(db, username);
  const bool known = user.ok() && !user->disabled;
  // Verify against the dummy hash for an unknown or disabled name: same cost.
  std::string stored = DummyHash();
  if (user.ok()) {
    VIGIL_ASSIGN_OR_RETURN(store::Stmt st, db.Prepare("SELECT password_hash FROM users WHERE id = ?1"));
    st.Bind(1, user->id);
    VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
    if (row) stored = st.Text(0);
  }
  const bool match = VerifyPassword(stored, password);
  store::Transaction tx(db);
  VIGIL_RETURN_IF_ERROR(tx.Begin());
  if (!known || !match) {
    VIGIL_RETURN_IF_ERROR(RecordFailure(db, user_key, now));
    VIGIL_RETURN_IF_ERROR(RecordFailure(db, client_key, now));
    VIGIL_RETURN_IF_ERROR(tx.Commit());
    return Status::Unauthenticated("wrong user name or password");
  }
  VIGIL_RETURN_IF_ERROR(ClearThrottle(db, user_key));
  Session s;
  s.token = RandomToken();
  s.csrf = RandomToken();
  s.expires_at = now + kSessionAbsoluteSeconds;
  s.user = *user;
  VIGIL_ASSIGN_OR_RETURN(store::Stmt st,
                         db.Prepare("INSERT INTO sessions (token_hash, csrf_hash, user_id, created_at, last_seen, "
                                    "expires_at) VALUES (?1, ?2, ?3, ?4, ?4, ?5)"));
  VIGIL_RETURN_IF_ERROR(
      st.Bind(1, TokenHash(s.token)).Bind(2, TokenHash(s.csrf)).Bind(3, user->id).Bind(4, now).Bind(5, s.expires_at).Run());
  VIGIL_RETURN_IF_ERROR(Audit(db, ToPrincipal(*user), "session.login", *user, nullptr, {{"client", client}}));
  VIGIL_RETURN_IF_ERROR(tx.Commit());
  return s;
}

Result<Principal> ResolveSession(store::Db& db, const std::string& token, std::int64_t now) {
  const Status none = Status::Unauthenticated("no valid session; log in");
  if (token.empty()) return none;
  VIGIL_ASSIGN_OR_RETURN(store::Stmt st,
                         db.Prepare("SELECT s.id, s.last_seen, s.expires_at, s.revoked, u.id, u.username, u.role, "
                                    "u.disabled FROM sessions s JOIN users u ON u.id = s.user_id "
                                    "WHERE s.token_hash = ?1"));
  st.Bind(1, TokenHash(token));
  VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return none;
  const std::int64_t id = st.Int(0);
  if (st.Int(3) != 0 || st.Int(7) != 0) return none;
  if (now >= st.Int(2)) return Status::Unauthenticated("session ended (12 hours after login); log in again");
  if (now - st.Int(1) >= kSessionIdleSeconds) {
    return Status::Unauthenticated("session ended after 30 minutes without use; log in again");
  }
  Principal p{st.Int(4), st.Text(5), st.Text(6), false};
  // One write per session every 15 s at most, so reads stay reads; the
  // idle timeout is then exact to 15 s. A touch the store is too busy for
  // is skipped (the next request retries it), not an error of the read.
  if (now - st.Int(1) >= kSessionTouchSeconds) {
    VIGIL_ASSIGN_OR_RETURN(store::Stmt touch, db.Prepare("UPDATE sessions SET last_seen = ?1 WHERE id = ?2"));
    Status touched = touch.Bind(1, now).Bind(2, id).Run();
    if (!touched.ok() && touched.code() != Status::Code::kBusy) return touched;
  }
  return p;
}

Status CheckCsrf(store::Db& db, const std::string& token, const std::string& csrf) {
  const Status bad = Status::PermissionDenied("missing or wrong X-CSRF-Token header");
  if (csrf.empty()) return bad;
  VIGIL_ASSIGN_OR_RETURN(store::Stmt st, db.Prepare("SELECT csrf_hash FROM sessions WHERE token_hash = ?1"));
  st.Bind(1, TokenHash(token));
  VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return bad;
  const std::string want = st.Text(0);
  const std::string got = TokenHash(csrf);
  if (want.size() != got.size() || sodium_memcmp(want.data(), got.data(), want.size()) != 0) return bad;
  return Status::Ok();
}

Status Logout(store::Db& db, const std::string& token) {
  VIGIL_ASSIGN_OR_RETURN(store::Stmt st, db.Prepare("UPDATE sessions SET revoked = 1 WHERE token_hash = ?1"));
  return st.Bind(1, TokenHash(token)).Run();
}

Result<std::string> CreateApiToken(store::Db& db, const Principal& who, const std::string& name, std::int64_t now) {
  VIGIL_RETURN_IF_ERROR(Authorize(db, who, "token.manage_own"));
  if (who.local_operator) return Status::FailedPrecondition("API tokens belong to accounts; use --as USER");
  if (name.empty() || name.size() > 100) return Status::InvalidArgument("name: must be 1 to 100 characters");
  const std::string token = "vgl_" + RandomToken();
  store::Transaction tx(db);
  VIGIL_RETURN_IF_ERROR(tx.Begin());
  VIGIL_ASSIGN_OR_RETURN(store::Stmt st, db.Prepare("INSERT INTO api_tokens (user_id, name, token_hash, created_at) "
                                                    "VALUES (?1, ?2, ?3, ?4)"));
  VIGIL_RETURN_IF_ERROR(st.Bind(1, who.user_id).Bind(2, name).Bind(3, TokenHash(token)).Bind(4, now).Run());
  VIGIL_RETURN_IF_ERROR(store::AppendOpsAudit(
      db, {who.AuditName(), "token.create", "api_token", db.LastInsertRowId(), nullptr, {{"name", name}}}));
  VIGIL_RETURN_IF_ERROR(tx.Commit());
  return token;
}

Result<std::vector<ApiTokenInfo>> ListApiTokens(store::Db& db, const Principal& who) {
  VIGIL_RETURN_IF_ERROR(Authorize(db, who, "token.manage_own"));
  VIGIL_ASSIGN_OR_RETURN(store::Stmt st, db.Prepare("SELECT id, name, created_at, last_used, revoked FROM api_tokens "
                                                    "WHERE user_id = ?1 ORDER BY id"));
  st.Bind(1, who.user_id);
  std::vector<ApiTokenInfo> out;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    ApiTokenInfo t;
    t.id = st.Int(0);
    t.name = st.Text(1);
    t.created_at = st.Int(2);
    if (!st.IsNull(3)) t.last_used = st.Int(3);
    t.revoked = st.Int(4) != 0;
    out.push_back(std::move(t));
  }
  return out;
}

Status RevokeApiToken(store::Db& db, const Principal& who, std::int64_t id) {
  VIGIL_RETURN_IF_ERROR(Authorize(db, who, "token.manage_own"));
  store::Transaction tx(db);
  VIGIL_RETURN_IF_ERROR(tx.Begin());
  VIGIL_ASSIGN_OR_RETURN(store::Stmt st,
                         db.Prepare("UPDATE api_tokens SET revoked = 1 WHERE id = ?1 AND user_id = ?2 AND revoked = 0"));
  VIGIL_RETURN_IF_ERROR(st.Bind(1, id).Bind(2, who.user_id).Run());
  VIGIL_ASSIGN_OR_RETURN(store::Stmt changed, db.Prepare("SELECT changes()"));
  VIGIL_ASSIGN_OR_RETURN(bool row, changed.Step());
  if (!row || changed.Int(0) == 0) return Status::NotFound("no live API token " + std::to_string(id) + " of yours");
  VIGIL_RETURN_IF_ERROR(
      store::AppendOpsAudit(db, {who.AuditName(), "token.revoke", "api_token", id, nullptr, {{"revoked", true}}}));
  return tx.Commit();
}

Result<Principal> ResolveApiToken(store::Db& db, const std::string& token, std::int64_t now) {
  const Status none = Status::Unauthenticated("no valid API token");
  if (token.rfind("vgl_", 0) != 0) return none;
  VIGIL_ASSIGN_OR_RETURN(store::Stmt st,
                         db.Prepare("SELECT t.id, t.revoked, u.id, u.username, u.role, u.disabled FROM api_tokens t "
                                    "JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?1"));
  st.Bind(1, TokenHash(token));
  VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row || st.Int(1) != 0 || st.Int(5) != 0) return none;
  Principal p{st.Int(2), st.Text(3), st.Text(4), false};
  VIGIL_ASSIGN_OR_RETURN(store::Stmt touch, db.Prepare("UPDATE api_tokens SET last_used = ?1 WHERE id = ?2"));
  VIGIL_RETURN_IF_ERROR(touch.Bind(1, now).Bind(2, st.Int(0)).Run());
  return p;
}

}  // namespace vigil::app
