#include "app/accounts.h"

#include <gtest/gtest.h>

#include "app/access.h"
#include "store/audit.h"
#include "store/db.h"

namespace vigil::app {
namespace {

const Principal kLocal{0, "local:test", "admin", true};

class AccountsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = store::Db::Open(":memory:");
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
  }
  UserInfo Add(const std::string& name, const std::string& role) {
    auto u = AddUser(*db_, kLocal, {name, "", role, "correct horse battery"});
    EXPECT_TRUE(u.ok()) << u.status().ToString();
    return u.ok() ? *u : UserInfo{};
  }
  std::unique_ptr<store::Db> db_;
};

TEST(AccessPolicyTest, TheCatalogPolicyParsesAndDeclaresEveryRole) {
  const AccessPolicy& p = AccessPolicy::Default();
  for (const char* r : {"viewer", "analyst", "planner", "approver", "field_researcher", "evidence_custodian", "admin"}) {
    EXPECT_TRUE(p.IsRole(r)) << r;
  }
  EXPECT_TRUE(p.Allows("user.manage", "admin"));
  EXPECT_FALSE(p.Allows("user.manage", "analyst"));
  EXPECT_TRUE(p.Allows("plan.approve", "approver"));
  EXPECT_FALSE(p.Allows("plan.approve", "planner"));
  EXPECT_FALSE(p.Allows("case.read", "admin"));  // admins manage accounts, not case content
  EXPECT_FALSE(p.Allows("no.such.action", "admin"));
}

TEST(AccessPolicyTest, MalformedPoliciesAreNamed) {
  auto bad = AccessPolicy::Parse(
      R"({"type":"access-policy","version":1,"roles":{"a":"x"},"actions":{"x.y":{"scope":"case","roles":["b"]}}})",
      "p.json");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "p.json: actions.x.y.roles: 'b' is not a declared role");
  bad = AccessPolicy::Parse(
      R"({"type":"access-policy","version":1,"roles":{"a":"x"},"actions":{"x":{"scope":"room","roles":[]}}})", "p.json");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "p.json: actions.x.scope: must be \"global\" or \"case\"");
  EXPECT_FALSE(AccessPolicy::Parse(R"({"type":"access-policy","version":1.5})", "p.json").ok());
}

TEST_F(AccountsTest, OnlyAnAdminManagesUsersAndPasswordsFollowTheRules) {
  UserInfo admin = Add("ada", "admin");
  UserInfo analyst = Add("ana", "analyst");
  const Principal as_admin{admin.id, admin.username, admin.role, false};
  const Principal as_analyst{analyst.id, analyst.username, analyst.role, false};
  EXPECT_EQ(AddUser(*db_, as_analyst, {"eve", "", "admin", "correct horse battery"}).status().code(),
            Status::Code::kPermissionDenied);
  EXPECT_TRUE(AddUser(*db_, as_admin, {"bob", "", "planner", "another long passphrase"}).ok());
  EXPECT_EQ(AddUser(*db_, as_admin, {"BOB", "", "planner", "another long passphrase"}).status().code(),
            Status::Code::kAlreadyExists);
  EXPECT_EQ(AddUser(*db_, as_admin, {"cy", "", "king", "another long passphrase"}).status().code(),
            Status::Code::kInvalidArgument);
  EXPECT_EQ(CheckPassword("short", "x").message(), "password: must be at least 12 characters");
  EXPECT_EQ(CheckPassword("my name is dora!!", "dora").message(), "password: must not contain the user name");
  EXPECT_FALSE(CheckPassword(std::string(129, 'k'), "x").ok());
  EXPECT_TRUE(CheckPassword("twelve chars", "x").ok());
  EXPECT_EQ(AddUser(*db_, as_admin, {"b@d", "", "viewer", "another long passphrase"}).status().code(),
            Status::Code::kInvalidArgument);
  // The password hash is argon2id; nothing stores the password itself.
  auto st = db_->Prepare("SELECT password_hash FROM users WHERE username = 'bob'");
  ASSERT_TRUE(st.ok());
  ASSERT_TRUE(*st->Step());
  EXPECT_EQ(st->Text(0).rfind("$argon2id$", 0), 0u);
  auto chains = store::VerifyAudit(*db_);
  ASSERT_TRUE(chains.ok());
  for (const auto& c : *chains) EXPECT_TRUE(c.ok) << c.table;
}

TEST_F(AccountsTest, UsersChangeTheirOwnPasswordGivingTheCurrentOne) {
  Add("ana", "analyst");
  const std::int64_t t0 = 1'800'000'000;
  auto s = Login(*db_, "ana", "correct horse battery", "127.0.0.1", t0);
  ASSERT_TRUE(s.ok());
  auto ana = ResolveSession(*db_, s->token, t0 + 1);
  ASSERT_TRUE(ana.ok());
  const std::string next = "purple monkey dishwasher";
  EXPECT_EQ(ChangeOwnPassword(*db_, *ana, "wrong password!", next, t0 + 2).message(),
            "current_password: wrong password");
  EXPECT_EQ(ChangeOwnPassword(*db_, *ana, "correct horse battery", "short", t0 + 3).message(),
            "new_password: must be at least 12 characters");
  EXPECT_EQ(ChangeOwnPassword(*db_, *ana, "correct horse battery", "correct horse battery", t0 + 3).code(),
            Status::Code::kInvalidArgument);
  EXPECT_TRUE(ResolveSession(*db_, s->token, t0 + 4).ok()) << "a refused change ends nothing";
  ASSERT_TRUE(ChangeOwnPassword(*db_, *ana, "correct horse battery", next, t0 + 5).ok());
  EXPECT_FALSE(ResolveSession(*db_, s->token, t0 + 6).ok()) << "every session ends with the change";
  EXPECT_FALSE(Login(*db_, "ana", "correct horse battery", "127.0.0.1", t0 + 7).ok());
  EXPECT_TRUE(Login(*db_, "ana", next, "127.0.0.1", t0 + 8).ok());
  // Guessing the current password is throttled like logging in.
  for (int i = 0; i < 3; ++i) (void)ChangeOwnPassword(*db_, *ana, "guess number " + std::to_string(i), next, t0 + 9);
  EXPECT_NE(ChangeOwnPassword(*db_, *ana, next, "another good passphrase", t0 + 9).message().find("too many"),
            std::string::npos);
  EXPECT_EQ(ChangeOwnPassword(*db_, kLocal, "x", next, t0).code(), Status::Code::kFailedPrecondition);
}

TEST_F(AccountsTest, SessionsExpireAndNeedTheirCsrfToken) {
  Add("ana", "analyst");
  const std::int64_t t0 = 1'800'000'000;
  auto s = Login(*db_, "ana", "correct horse battery", "127.0.0.1", t0);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  auto p = ResolveSession(*db_, s->token, t0 + 60);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->username, "ana");
  EXPECT_EQ(p->role, "analyst");
  EXPECT_TRUE(CheckCsrf(*db_, s->token, s->csrf).ok());
  EXPECT_EQ(CheckCsrf(*db_, s->token, "").code(), Status::Code::kPermissionDenied);
  EXPECT_EQ(CheckCsrf(*db_, s->token, s->token).code(), Status::Code::kPermissionDenied);
  // Idle for 30 minutes: over.
  EXPECT_EQ(ResolveSession(*db_, s->token, t0 + 60 + kSessionIdleSeconds).status().code(),
            Status::Code::kUnauthenticated);
  // Used every 20 minutes: still over 12 hours after login.
  auto s2 = Login(*db_, "ana", "correct horse battery", "127.0.0.1", t0);
  ASSERT_TRUE(s2.ok());
  std::int64_t t = t0;
  for (; t < t0 + kSessionAbsoluteSeconds; t += 20 * 60) ASSERT_TRUE(ResolveSession(*db_, s2->token, t).ok()) << t;
  EXPECT_FALSE(ResolveSession(*db_, s2->token, t0 + kSessionAbsoluteSeconds).ok());
  auto s3 = Login(*db_, "ana", "correct horse battery", "127.0.0.1", t0);
  ASSERT_TRUE(Logout(*db_, s3->token).ok());
  EXPECT_FALSE(ResolveSession(*db_, s3->token, t0 + 1).ok());
  EXPECT_FALSE(ResolveSession(*db_, "forged", t0).ok());
  // Only hashes are stored.
  auto st = db_->Prepare("SELECT count(*) FROM sessions WHERE token_hash = ?1");
  ASSERT_TRUE(st.ok());
  st->Bind(1, s->token);
  ASSERT_TRUE(*st->Step());
  EXPECT_EQ(st->Int(0), 0);
}

TEST_F(AccountsTest, WrongPasswordsAreSlowedThenLockedAndDisablingEndsSessions) {
  Add("ana", "analyst");
  const std::int64_t t0 = 1'800'000'000;
  std::int64_t now = t0;
  for (int i = 0; i < kThrottleAfterFailures; ++i) {
    EXPECT_EQ(Login(*db_, "ana", "wrong wrong wrong", "10.0.0.1", now).status().code(), Status::Code::kUnauthenticated);
  }
  std::int64_t retry = 0;
  auto r = Login(*db_, "ana", "correct horse battery", "10.0.0.2", now, &retry);
  EXPECT_EQ(r.status().code(), Status::Code::kFailedPrecondition) << r.status().ToString();
  EXPECT_GT(retry, 0);
  // Keep failing, waiting out each delay, until the lock.
  for (int i = kThrottleAfterFailures; i < kLockAfterFailures; ++i) {
    now += 61;
    EXPECT_EQ(Login(*db_, "ana", "wrong wrong wrong", "10.0.0.1", now).status().code(), Status::Code::kUnauthenticated);
  }
  r = Login(*db_, "ana", "correct horse battery", "10.0.0.3", now + 61, &retry);
  EXPECT_EQ(r.status().code(), Status::Code::kFailedPrecondition);
  EXPECT_GT(retry, 600);
  auto ok = Login(*db_, "ana", "correct horse battery", "10.0.0.3", now + kLockSeconds + 1);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  // An unknown name fails exactly like a wrong password.
  EXPECT_EQ(Login(*db_, "nobody", "correct horse battery", "10.0.0.4", now).status().message(),
            "wrong user name or password");
  ASSERT_TRUE(SetUserDisabled(*db_, kLocal, "ana", true).ok());
  EXPECT_FALSE(ResolveSession(*db_, ok->token, now + kLockSeconds + 2).ok());
  EXPECT_EQ(Login(*db_, "ana", "correct horse battery", "10.0.0.5", now + kLockSeconds + 3).status().code(),
            Status::Code::kUnauthenticated);
}

TEST_F(AccountsTest, CaseActionsNeedMembershipAndANonMemberSeesNoCase) {
  UserInfo ana = Add("ana", "analyst");
  UserInfo apo = Add("apo", "approver");
  ASSERT_TRUE(db_->Exec("INSERT INTO cases (id, slug, title, created_at, created_by, updated_at) "
                        "VALUES (7, 'c', 'C', 'x', 'x', 'x')").ok());
  ASSERT_TRUE(db_->Exec("INSERT INTO case_members VALUES (7, " + std::to_string(apo.id) + ", 'approver', 'x', 'x')").ok());
  const Principal p_ana{ana.id, "ana", "analyst", false};
  const Principal p_apo{apo.id, "apo", "approver", false};
  EXPECT_EQ(Authorize(*db_, p_ana, "case.read", 7).code(), Status::Code::kNotFound);
  EXPECT_EQ(Authorize(*db_, p_ana, "case.read", 8).code(), Status::Code::kNotFound);
  EXPECT_TRUE(Authorize(*db_, p_apo, "case.read", 7).ok());
  EXPECT_TRUE(Authorize(*db_, p_apo, "plan.approve", 7).ok());
  EXPECT_TRUE(Authorize(*db_, p_apo, "case.dissent", 7).ok());
  Status denied = Authorize(*db_, p_apo, "plan.edit", 7);
  EXPECT_EQ(denied.code(), Status::Code::kPermissionDenied);
  EXPECT_EQ(denied.message(), "plan.edit is not allowed to the case role approver (allowed: planner)");
  EXPECT_TRUE(Authorize(*db_, p_ana, "alerts.triage").ok());
  EXPECT_TRUE(Authorize(*db_, kLocal, "plan.edit", 7).ok());
}

TEST_F(AccountsTest, ApiTokensAreShownOnceAndRevocable) {
  UserInfo ana = Add("ana", "analyst");
  const Principal p{ana.id, "ana", "analyst", false};
  auto token = CreateApiToken(*db_, p, "nightly import", 1'800'000'000);
  ASSERT_TRUE(token.ok());
  EXPECT_EQ(token->rfind("vgl_", 0), 0u);
  auto who = ResolveApiToken(*db_, *token, 1'800'000'100);
  ASSERT_TRUE(who.ok());
  EXPECT_EQ(who->username, "ana");
  auto list = ListApiTokens(*db_, p);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ(list->at(0).last_used, 1'800'000'100);
  ASSERT_TRUE(RevokeApiToken(*db_, p, list->at(0).id).ok());
  EXPECT_FALSE(ResolveApiToken(*db_, *token, 1'800'000'200).ok());
  EXPECT_EQ(RevokeApiToken(*db_, p, list->at(0).id).code(), Status::Code::kNotFound);
}

}  // namespace
}  // namespace vigil::app
