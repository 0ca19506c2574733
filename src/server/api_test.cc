#include "server/api.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <tuple>

#include "app/access.h"
#include "app/accounts.h"
#include "app/case_service.h"
#include "assess/case.h"
#include "data/countries.h"
#include "store/alert_store.h"
#include "store/country_store.h"
#include "store/db.h"

namespace vigil::server {
namespace {

using nlohmann::json;

const Principal kLocal{0, "local:test", "", true};
constexpr const char* kPassword = "correct horse battery";
constexpr std::int64_t kNow = 1'800'000'000;

const std::vector<std::string>& Roles() { return app::AccessPolicy::Default().roles(); }

std::string ReadSource(const std::string& rel) {
  std::ifstream in(std::string(VIGIL_SOURCE_DIR) + "/" + rel);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct Login {
  std::string cookie, csrf;
};

class ApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = store::Db::Open(":memory:");
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    Options o;
    o.openapi_json = json::parse(ReadSource("docs/api/openapi.yaml")).dump();
    api_ = std::make_unique<Api>(o);
    assess::Case c;
    c.title = "Test case";
    c.region = "Great Lakes";
    auto made = app::CreateCase(*db_, kLocal, c);
    ASSERT_TRUE(made.ok()) << made.status().ToString();
    case_id_ = made->id;
    c.title = "Other case";
    auto other = app::CreateCase(*db_, kLocal, c);
    ASSERT_TRUE(other.ok());
    other_case_ = other->id;
  }

  void AddUser(const std::string& name, const std::string& role) {
    auto u = app::AddUser(*db_, kLocal, {name, "", role, kPassword});
    ASSERT_TRUE(u.ok()) << u.status().ToString();
  }

  Login LogIn(const std::string& name, const std::string& password = kPassword) {
    Response r = Call("POST", "/api/v1/session", json{{"username", name}, {"password", password}}.dump(), {});
    EXPECT_EQ(r.status, 200) << r.body;
    Login l;
    for (const auto& [k, v] : r.headers) {
      if (k == "Set-Cookie") l.cookie = v.substr(0, v.find(';'));
    }
    l.csrf = json::parse(r.body).value("csrf_token", "");
    return l;
  }

  Response Call(const std::string& method, const std::string& target, const std::string& body,
                const std::map<std::string, std::string>& headers, std::int64_t now = kNow) {
    Request req;
    req.method = method;
    req.target = target;
    req.body = body;
    req.client = "127.0.0.1";
    req.headers = headers;
    if (!body.empty() && !req.headers.count("content-type")) req.headers["content-type"] = "application/json";
    return api_->Handle(*db_, req, now);
  }

  Response As(const Login& l, const std::string& method, const std::string& target, const std::string& body = "") {
    return Call(method, target, body, {{"cookie", l.cookie}, {"x-csrf-token", l.csrf}});
  }

  std::unique_ptr<store::Db> db_;
  std::unique_ptr<Api> api_;
  std::int64_t case_id_ = 0, other_case_ = 0;
};

std::string ErrorCode(const Response& r) {
  auto j = json::parse(r.body, nullptr, false);
  return j.is_object() && j.contains("error") ? j["error"].value("code", "") : "";
}

// Every route x every role, from the one declared policy: an allowed call is
// never refused for authorization; a denied one gets 403, or 404 on a case
// the caller is not a member of. A route without a declared action fails.
TEST_F(ApiTest, EveryRouteAgainstEveryRoleFollowsThePolicy) {
  const app::AccessPolicy& policy = app::AccessPolicy::Default();
  const std::set<std::string> kPublic = {"GET /", "GET /healthz", "GET /app.js", "GET /api/v1/openapi.json",
                                         "POST /api/v1/session"};
  std::map<std::string, Login> logins;
  for (const auto& role : Roles()) {
    AddUser("u-" + role, role);
    if (role != "admin") {
      ASSERT_TRUE(app::SetCaseMember(*db_, kLocal, std::to_string(case_id_), "u-" + role, role).ok());
    }
    logins[role] = LogIn("u-" + role);
  }
  AddUser("target", "viewer");
  int n = 0, checked = 0;
  // Logout last, so every role keeps its session for the other routes.
  std::vector<const Route*> routes;
  for (const auto& r : api_->routes()) routes.push_back(&r);
  std::stable_partition(routes.begin(), routes.end(),
                        [](const Route* r) { return !(r->method == "DELETE" && r->pattern == "/api/v1/session"); });
  for (const Route* route : routes) {
    const std::string key = route->method + " " + route->pattern;
    if (route->action == "public") {
      EXPECT_TRUE(kPublic.count(key)) << key << " is public but not in the list of public routes";
      continue;
    }
    const app::AccessPolicy::Action* action = policy.Find(route->action);
    ASSERT_NE(action, nullptr) << key << ": action " << route->action << " is not in catalog/access_policy.json";
    for (const auto& role : Roles()) {
      ++n;
      std::string target = route->pattern;
      auto put = [&](const std::string& param, const std::string& value) {
        const auto at = target.find(param);
        if (at != std::string::npos) target.replace(at, param.size(), value);
      };
      put("{case}", std::to_string(case_id_));
      put("{username}", "target");
      put("{id}", "999");
      std::string body;
      if (route->method == "POST" && route->pattern == "/api/v1/users") {
        body = json{{"username", "new-" + std::to_string(n)}, {"role", "viewer"}, {"password", kPassword}}.dump();
      } else if (route->method == "POST" && route->pattern == "/api/v1/cases") {
        body = json{{"title", "Case " + std::to_string(n)}, {"region", "Sahel"}}.dump();
      } else if (route->method == "POST" && route->pattern == "/api/v1/tokens") {
        body = json{{"name", "script"}}.dump();
      } else if (route->method == "PATCH") {
        body = json{{"disabled", false}}.dump();
      } else if (route->method == "PUT") {
        body = json{{"role", "viewer"}}.dump();
      }
      Response r = As(logins[role], route->method, target, body);
      bool allowed;
      bool not_member = false;
      if (action->case_scoped) {
        not_member = role == "admin";  // admin is no member of the case
        allowed = !not_member && policy.Allows(route->action, role);
      } else {
        allowed = policy.Allows(route->action, role);
      }
      SCOPED_TRACE(key + " as " + role + ": " + std::to_string(r.status) + " " + r.body);
      EXPECT_NE(r.status, 401);
      if (allowed) {
        EXPECT_NE(r.status, 403);
        EXPECT_NE(ErrorCode(r), "permission_denied");
        EXPECT_FALSE(r.status == 404 && r.body.find("no case") != std::string::npos);
      } else if (not_member) {
        EXPECT_EQ(r.status, 404);
      } else {
        EXPECT_EQ(r.status, 403);
        EXPECT_EQ(ErrorCode(r), "permission_denied");
      }
      ++checked;
    }
  }
  EXPECT_EQ(checked, n);
  EXPECT_GE(checked, 15 * static_cast<int>(Roles().size()));
}

// The monitoring routes over a stored event and alert: two analysts triage
// the same alert from the same revision, the second gets 409 with the alert
// as the first left it; a viewer reads but cannot triage; query parameters
// are checked by name and type.
TEST_F(ApiTest, TwoAnalystsTriagingOneAlertLoseNothingAndMonitoringReadsAnswer) {
  ASSERT_TRUE(store::SyncCountries(*db_, data::Countries()).ok());
  ASSERT_TRUE(db_->Exec("INSERT INTO event_imports (id, started_at, format, path) VALUES "
                        "(1, '2026-01-01T00:00:00Z', 'ged', 'x.csv');"
                        "INSERT INTO events (id, source, event_id, fingerprint, import_id, line, date_start, "
                        "date_end, gw, country, violence, deaths_best) VALUES (1, 'ged', '77', 0, 1, 2, " +
                        std::to_string(DaysFromCivil(2022, 3, 5)) + ", " + std::to_string(DaysFromCivil(2022, 3, 5)) +
                        ", 482, 'CAR', 3, 12)")
                  .ok());
  store::AlertRecord a;
  a.detector = "threshold";
  a.gw = 482;
  a.month = MakeMonth(2022, 3);
  a.key = "threshold|482||" + std::to_string(a.month);
  a.as_of = DaysFromCivil(2022, 3, 31);
  a.severity = "high";
  a.score = 12;
  a.summary = "civilian deaths 12";
  a.evidence = {1};
  auto saved = store::SaveAlerts(*db_, {a});
  ASSERT_TRUE(saved.ok()) << saved.status().ToString();
  const std::string alert = "/api/v1/alerts/" + std::to_string(saved->ids[0]);
  AddUser("ana", "analyst");
  AddUser("bob", "analyst");
  AddUser("vic", "viewer");
  Login ana = LogIn("ana"), bob = LogIn("bob"), vic = LogIn("vic");

  Response read = As(vic, "GET", alert);
  ASSERT_EQ(read.status, 200) << read.body;
  json j = json::parse(read.body)["alert"];
  EXPECT_EQ(j["revision"], 1);
  ASSERT_EQ(j["evidence"].size(), 1u);
  EXPECT_EQ(j["evidence"][0]["event_id"], "77");

  EXPECT_EQ(As(vic, "PATCH", alert, json{{"status", "acknowledged"}, {"revision", 1}}.dump()).status, 403);
  Response first = As(ana, "PATCH", alert, json{{"status", "acknowledged"}, {"reason", "watching"}, {"revision", 1}}.dump());
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(json::parse(first.body)["alert"]["revision"], 2);
  Response second = As(bob, "PATCH", alert, json{{"status", "dismissed"}, {"reason", "artefact"}, {"revision", 1}}.dump());
  ASSERT_EQ(second.status, 409) << second.body;
  json conflict = json::parse(second.body);
  EXPECT_EQ(conflict["error"]["code"], "conflict");
  EXPECT_EQ(conflict["current"]["status"], "acknowledged");
  EXPECT_EQ(conflict["current"]["status_reason"], "watching");
  EXPECT_EQ(As(bob, "PATCH", alert, json{{"status", "dismissed"}, {"revision", 2}}.dump()).status, 400);  // no reason
  EXPECT_EQ(As(bob, "PATCH", alert, json{{"status", "dismissed"}, {"reason", "artefact"}}.dump()).status, 400);
  EXPECT_EQ(As(bob, "PATCH", alert, json{{"status", "closed"}, {"revision", 2}}.dump()).status, 400);
  EXPECT_EQ(As(bob, "PATCH", "/api/v1/alerts/x9", json{{"status", "new"}, {"revision", 2}}.dump()).status, 404);
  // The audit chain has both changes under the accounts that made them, and
  // nothing of the refused one.
  auto who = db_->Prepare("SELECT count(*) FROM ops_audit WHERE action = 'alert.status' AND who = 'ana'");
  ASSERT_TRUE(who.ok()) << who.status().ToString();
  ASSERT_TRUE(*who->Step());
  EXPECT_EQ(who->Int(0), 1);

  Response list = As(vic, "GET", "/api/v1/alerts?status=open&country=CAF&since=2022-01");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(json::parse(list.body)["total"], 1);
  EXPECT_EQ(json::parse(As(vic, "GET", "/api/v1/alerts?status=dismissed").body)["total"], 0);
  Response bad = As(vic, "GET", "/api/v1/alerts?stauts=open");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("stauts"), std::string::npos);
  EXPECT_EQ(As(vic, "GET", "/api/v1/alerts?limit=0").status, 400);
  EXPECT_EQ(As(vic, "GET", "/api/v1/alerts?status=open&status=all").status, 400);

  Response events = As(vic, "GET", "/api/v1/countries/Central%20African%20Republic/events?month=2022-03");
  ASSERT_EQ(events.status, 200) << events.body;
  json ev = json::parse(events.body);
  EXPECT_EQ(ev["gw"], 482);
  EXPECT_EQ(ev["total"], 1);
  EXPECT_EQ(ev["events"][0]["deaths_best"], 12);
  EXPECT_EQ(json::parse(As(vic, "GET", "/api/v1/countries/482/events?month=2022-04").body)["total"], 0);
  EXPECT_EQ(As(vic, "GET", "/api/v1/countries/482/events").status, 400);
  EXPECT_EQ(As(vic, "GET", "/api/v1/countries/482/events?month=2022-13").status, 400);
  EXPECT_EQ(As(vic, "GET", "/api/v1/countries/Atlantis/events?month=2022-03").status, 404);

  Response w = As(vic, "GET", "/api/v1/watchlist?months=6");
  ASSERT_EQ(w.status, 200) << w.body;
  json rows = json::parse(w.body)["watchlist"]["countries"];
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0]["gw"], 482);
  EXPECT_EQ(As(vic, "GET", "/api/v1/watchlist?months=0").status, 400);
  EXPECT_EQ(As(vic, "GET", "/api/v1/watchlist?as_of=yesterday").status, 400);
}

// docs/api/openapi.yaml describes exactly the routes served, each with the
// action that guards it.
TEST_F(ApiTest, TheOpenApiDescriptionMatchesTheRoutes) {
  const json doc = json::parse(ReadSource("docs/api/openapi.yaml"));
  ASSERT_EQ(doc.value("openapi", ""), "3.0.3");
  std::set<std::tuple<std::string, std::string, std::string>> described, served;
  for (const auto& [path, ops] : doc["paths"].items()) {
    for (const auto& [method, op] : ops.items()) {
      std::string m = method;
      for (auto& ch : m) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      described.emplace(m, path, op.value("x-vigil-action", "(none)"));
    }
  }
  for (const auto& r : api_->routes()) served.emplace(r.method, r.pattern, r.action);
  EXPECT_EQ(described, served);
  Response r = Call("GET", "/api/v1/openapi.json", "", {});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(json::parse(r.body), doc);
}

TEST_F(ApiTest, WithoutASessionOnlyPublicRoutesAnswer) {
  EXPECT_EQ(Call("GET", "/healthz", "", {}).status, 200);
  Response r = Call("GET", "/api/v1/cases", "", {});
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(ErrorCode(r), "unauthenticated");
  EXPECT_EQ(Call("GET", "/api/v1/cases", "", {{"cookie", "vigil_session=forged"}}).status, 401);
  EXPECT_EQ(Call("GET", "/api/v1/cases", "", {{"authorization", "Bearer vgl_forged"}}).status, 401);
  EXPECT_EQ(Call("GET", "/api/v1/nothing", "", {}).status, 404);
  Response m = Call("PUT", "/api/v1/cases", "", {});
  EXPECT_EQ(m.status, 405);
}

TEST_F(ApiTest, LoginListsOnlyTheCallersCasesAndLogoutEndsTheSession) {
  AddUser("ana", "analyst");
  ASSERT_TRUE(app::SetCaseMember(*db_, kLocal, std::to_string(case_id_), "ana", "analyst").ok());
  Login l = LogIn("ana");
  ASSERT_FALSE(l.cookie.empty());
  ASSERT_EQ(l.csrf.size(), 43u);
  Response r = As(l, "GET", "/api/v1/cases");
  ASSERT_EQ(r.status, 200) << r.body;
  const json cases = json::parse(r.body)["cases"];
  ASSERT_EQ(cases.size(), 1u);
  EXPECT_EQ(cases[0]["id"], case_id_);
  EXPECT_EQ(cases[0]["my_role"], "analyst");
  // Another case's id is 404, with the same answer as a case that does not exist.
  Response other = As(l, "GET", "/api/v1/cases/" + std::to_string(other_case_));
  Response none = As(l, "GET", "/api/v1/cases/424242");
  EXPECT_EQ(other.status, 404);
  EXPECT_EQ(none.status, 404);
  EXPECT_EQ(json::parse(other.body)["error"]["message"].get<std::string>().substr(0, 8), "no case ");
  EXPECT_EQ(As(l, "GET", "/api/v1/cases/other-case").status, 404);
  EXPECT_EQ(As(l, "GET", "/api/v1/cases/test-case").status, 200);
  EXPECT_EQ(As(l, "DELETE", "/api/v1/session").status, 200);
  EXPECT_EQ(As(l, "GET", "/api/v1/cases").status, 401);
}

TEST_F(ApiTest, StateChangingRequestsNeedTheSessionsCsrfToken) {
  AddUser("ana", "analyst");
  AddUser("bob", "analyst");
  Login ana = LogIn("ana");
  Login bob = LogIn("bob");
  const std::string body = json{{"title", "New"}, {"region", "Sahel"}}.dump();
  Response missing = Call("POST", "/api/v1/cases", body, {{"cookie", ana.cookie}});
  EXPECT_EQ(missing.status, 403);
  EXPECT_EQ(json::parse(missing.body)["error"]["field"], "X-CSRF-Token");
  EXPECT_EQ(Call("POST", "/api/v1/cases", body, {{"cookie", ana.cookie}, {"x-csrf-token", bob.csrf}}).status, 403);
  EXPECT_EQ(Call("POST", "/api/v1/cases", body, {{"cookie", ana.cookie}, {"x-csrf-token", ana.csrf}}).status, 201);
  // An API token is not sent by a browser on its own: no CSRF token needed.
  Response t = As(ana, "POST", "/api/v1/tokens", json{{"name", "cron"}}.dump());
  ASSERT_EQ(t.status, 201) << t.body;
  const std::string token = json::parse(t.body)["token"];
  EXPECT_EQ(Call("POST", "/api/v1/cases", json{{"title", "By script"}, {"region", "Sahel"}}.dump(),
                 {{"authorization", "Bearer " + token}})
                .status,
            201);
  // The creator became a member: both new cases are listed for ana, none for bob.
  EXPECT_EQ(json::parse(As(ana, "GET", "/api/v1/cases").body)["cases"].size(), 2u);
  EXPECT_EQ(json::parse(As(bob, "GET", "/api/v1/cases").body)["cases"].size(), 0u);
}

TEST_F(ApiTest, BadBodiesAreRefusedNamingTheFieldAndChangeNothing) {
  AddUser("ada", "admin");
  Login l = LogIn("ada");
  auto post = [&](const std::string& body, const std::map<std::string, std::string>& extra = {}) {
    std::map<std::string, std::string> h = {{"cookie", l.cookie}, {"x-csrf-token", l.csrf}};
    for (const auto& [k, v] : extra) h[k] = v;
    return Call("POST", "/api/v1/users", body, h);
  };
  auto field = [](const Response& r) { return json::parse(r.body)["error"].value("field", ""); };
  Response r = post("{\"username\": ");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(field(r), "body");
  r = post("[1, 2]");
  EXPECT_EQ(r.status, 400);
  r = post(json{{"username", 7}, {"role", "viewer"}, {"password", kPassword}}.dump());
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(field(r), "username");
  r = post(json{{"username", "eve"}, {"role", "viewer"}, {"password", kPassword}, {"is_admin", true}}.dump());
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(field(r), "is_admin");
  r = post(json{{"username", "eve"}, {"role", "king"}, {"password", kPassword}}.dump());
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(field(r), "role");
  r = post(json{{"username", "eve"}, {"role", "viewer"}, {"password", "short"}}.dump());
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(field(r), "password");
  r = post(json{{"username", "eve"}, {"role", "viewer"}, {"password", kPassword}}.dump(), {{"content-type", "text/plain"}});
  EXPECT_EQ(r.status, 415);
  std::string deep(200, '[');
  r = post(deep);
  EXPECT_EQ(r.status, 400);
  EXPECT_FALSE(app::FindUser(*db_, "eve").ok());  // nothing was created
  r = post(json{{"username", "eve"}, {"role", "viewer"}, {"password", kPassword}}.dump());
  EXPECT_EQ(r.status, 201) << r.body;
  r = post(json{{"username", "EVE"}, {"role", "viewer"}, {"password", kPassword}}.dump());
  EXPECT_EQ(r.status, 409);
}

TEST_F(ApiTest, RepeatedWrongPasswordsAreSlowedThenLockedOut) {
  AddUser("ana", "analyst");
  const std::string wrong = json{{"username", "ana"}, {"password", "not the password"}}.dump();
  std::vector<int> statuses;
  for (int i = 0; i < 4; ++i) statuses.push_back(Call("POST", "/api/v1/session", wrong, {}).status);
  EXPECT_EQ(statuses[0], 401);
  EXPECT_EQ(statuses[1], 401);
  EXPECT_EQ(statuses[2], 401);
  EXPECT_EQ(statuses[3], 429);  // the 4th attempt comes too soon after 3 failures
  Response r = Call("POST", "/api/v1/session", json{{"username", "ana"}, {"password", kPassword}}.dump(), {});
  EXPECT_EQ(r.status, 429);  // even the right password waits
  bool has_retry = false;
  for (const auto& [k, v] : r.headers) has_retry |= k == "Retry-After";
  EXPECT_TRUE(has_retry);
  // After the wait, the right password works.
  r = Call("POST", "/api/v1/session", json{{"username", "ana"}, {"password", kPassword}}.dump(), {}, kNow + 120);
  EXPECT_EQ(r.status, 200) << r.body;
}

TEST_F(ApiTest, AnIdleSessionEnds) {
  AddUser("ana", "analyst");
  Login l = LogIn("ana");
  EXPECT_EQ(Call("GET", "/api/v1/cases", "", {{"cookie", l.cookie}}, kNow + 60).status, 200);
  EXPECT_EQ(Call("GET", "/api/v1/cases", "", {{"cookie", l.cookie}}, kNow + 60 + 31 * 60).status, 401);
}

TEST_F(ApiTest, CaseHistoryShowsMembershipChangesUnderTheAdminsName) {
  AddUser("ada", "admin");
  AddUser("ana", "analyst");
  Login admin = LogIn("ada");
  Response put = As(admin, "PUT", "/api/v1/cases/" + std::to_string(case_id_) + "/members/ana",
                    json{{"role", "analyst"}}.dump());
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(As(admin, "PUT", "/api/v1/cases/" + std::to_string(case_id_) + "/members/ana",
               json{{"role", "admin"}}.dump())
                .status,
            400);
  Login ana = LogIn("ana");
  Response h = As(ana, "GET", "/api/v1/cases/" + std::to_string(case_id_) + "/history");
  ASSERT_EQ(h.status, 200) << h.body;
  const json hist = json::parse(h.body)["history"];
  ASSERT_FALSE(hist.empty());
  EXPECT_EQ(hist.back()["who"], "ada");
  EXPECT_EQ(hist.back()["entity"], "case-member");
  EXPECT_EQ(hist.back()["summary"], "username \"ana\"");
}

// Issue 18, no lost updates on the case file: two analysts edit the case from
// the same revision; the second gets 409 with the case as the first left it
// and nothing of theirs is written; a viewer may not edit; unknown fields 400.
TEST_F(ApiTest, TwoAnalystsEditingOneCaseLoseNothing) {
  for (const auto& [name, role] : std::vector<std::pair<std::string, std::string>>{
           {"ana", "analyst"}, {"bob", "analyst"}, {"vic", "viewer"}}) {
    AddUser(name, role);
    ASSERT_TRUE(app::SetCaseMember(*db_, kLocal, std::to_string(case_id_), name, role).ok());
  }
  Login ana = LogIn("ana"), bob = LogIn("bob"), vic = LogIn("vic");
  const std::string base = "/api/v1/cases/" + std::to_string(case_id_);
  const int rev = json::parse(As(vic, "GET", base).body)["revision"];
  EXPECT_EQ(As(vic, "PATCH", base, json{{"scope", "x"}, {"revision", rev}}.dump()).status, 403);
  Response first = As(ana, "PATCH", base, json{{"scope", "2012-2014"}, {"revision", rev}}.dump());
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(json::parse(first.body)["revision"], rev + 1);
  Response second = As(bob, "PATCH", base, json{{"objective", "respond"}, {"revision", rev}}.dump());
  ASSERT_EQ(second.status, 409) << second.body;
  const json conflict = json::parse(second.body);
  EXPECT_EQ(conflict["error"]["code"], "conflict");
  EXPECT_EQ(conflict["current"]["scope"], "2012-2014");
  EXPECT_NE(conflict["current"]["guidance"]["objective"], "respond");
  EXPECT_EQ(As(bob, "PATCH", base, json{{"objective", "respond"}}.dump()).status, 400);  // no revision
  EXPECT_EQ(As(bob, "PATCH", base, json{{"owner", "me"}, {"revision", rev + 1}}.dump()).status, 400);
  EXPECT_EQ(As(bob, "PATCH", base, json{{"status", "done"}, {"revision", rev + 1}}.dump()).status, 400);
  Response again = As(bob, "PATCH", base, json{{"objective", "respond"}, {"revision", rev + 1}}.dump());
  ASSERT_EQ(again.status, 200) << again.body;
  const json after = json::parse(again.body);
  EXPECT_EQ(after["guidance"]["objective"], "respond");
  EXPECT_EQ(after["scope"], "2012-2014");
  const json hist = json::parse(As(vic, "GET", base + "/history").body)["history"];
  EXPECT_EQ(hist.back()["who"], "bob");
  EXPECT_EQ(hist.back()["entity"], "guidance");
}

// The handbook's decision flow over the API, by role: an analyst and a planner
// are refused an approval (403, nothing recorded), any member may dissent, the
// approver approves the option, the policy and a stage move; planners draft
// the policy, build the plan and record execution. Every decision is audited
// under the account that made it, whatever body `by` names.
TEST_F(ApiTest, OnlyTheApproverApprovesAndEveryMemberMayDissent) {
  for (const auto& [name, role] : std::vector<std::pair<std::string, std::string>>{
           {"ana", "analyst"}, {"pia", "planner"}, {"aisha", "approver"}, {"vic", "viewer"}}) {
    AddUser(name, role);
    ASSERT_TRUE(app::SetCaseMember(*db_, kLocal, std::to_string(case_id_), name, role).ok());
  }
  Login ana = LogIn("ana"), pia = LogIn("pia"), aisha = LogIn("aisha"), vic = LogIn("vic");
  const std::string base = "/api/v1/cases/" + std::to_string(case_id_);
  auto decisions = [&] { return json::parse(As(vic, "GET", base + "/decisions").body)["decisions"]; };

  // The analyst records the actors and an assessment entry; the viewer may not.
  const json militia = {{"name", "Delta Youth League"}, {"kind", "group"}, {"role", "victim"}, {"from", "2025-01"}};
  EXPECT_EQ(As(vic, "POST", base + "/actors", militia.dump()).status, 403);
  Response added = As(ana, "POST", base + "/actors", militia.dump());
  ASSERT_EQ(added.status, 201) << added.body;
  const std::string militia_id = std::to_string(json::parse(added.body)["actor"]["id"].get<std::int64_t>());
  Response changed = As(ana, "POST", base + "/actors/" + militia_id + "/roles",
                        json{{"role", "perpetrator-rank-and-file"}, {"from", "2025-06"}, {"replace", true}}.dump());
  ASSERT_EQ(changed.status, 201) << changed.body;
  EXPECT_EQ(json::parse(changed.body)["role"]["author"], "ana");
  EXPECT_EQ(As(ana, "POST", base + "/actors/999/roles", json{{"role", "victim"}, {"from", "2025-06"}}.dump()).status,
            404);
  for (const auto& [name, kind, role] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"Government of Zland", "state", "perpetrator-architect"},
           {"Delta fishers", "group", "victim"},
           {"Regional Union", "organization", "intervener"}}) {
    Response r = As(ana, "POST", base + "/actors",
                    json{{"name", name}, {"kind", kind}, {"locations", "Delta"}, {"role", role}, {"from", "2025-06"}}.dump());
    ASSERT_EQ(r.status, 201) << r.body;
  }
  Response entry = As(ana, "POST", base + "/assessment",
                      json{{"section", "drivers-of-conflict"}, {"text", "Land disputes along ethnic lines"},
                           {"evidence", {"url:https://example.org/report"}}}.dump());
  ASSERT_EQ(entry.status, 201) << entry.body;
  Response bad_entry = As(ana, "POST", base + "/assessment", json{{"section", "gossip"}, {"text", "x"}}.dump());
  EXPECT_EQ(bad_entry.status, 400);
  EXPECT_NE(bad_entry.body.find("section"), std::string::npos) << bad_entry.body;

  EXPECT_EQ(As(vic, "POST", base + "/options/generate", "{}").status, 403);
  Response gen = As(ana, "POST", base + "/options/generate", "{}");
  ASSERT_EQ(gen.status, 201) << gen.body;
  ASSERT_FALSE(json::parse(gen.body)["options"].empty());
  const std::string approve = json{{"outcome", "approved"}, {"by", "Deputies Committee"}, {"date", "2026-03-01"}}.dump();

  for (const Login* not_approver : {&ana, &pia, &vic}) {
    Response r = As(*not_approver, "POST", base + "/options/1/decision", approve);
    EXPECT_EQ(r.status, 403) << r.body;
    EXPECT_EQ(ErrorCode(r), "permission_denied");
  }
  EXPECT_TRUE(decisions().empty()) << "a refused approval records nothing";
  Response bad = As(aisha, "POST", base + "/options/1/decision", json{{"outcome", "maybe"}}.dump());
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("outcome"), std::string::npos) << bad.body;
  EXPECT_EQ(As(aisha, "POST", base + "/options/1/decision", json{{"outcome", "approved"}, {"whom", "x"}}.dump()).status,
            400);

  // A viewer may dissent; the dissent is the viewer's, not a name in the body.
  Response dissent = As(vic, "POST", base + "/options/1/opinions",
                        json{{"position", "dissent"}, {"text", "Too slow for the pace of killing"}}.dump());
  ASSERT_EQ(dissent.status, 201) << dissent.body;
  EXPECT_EQ(json::parse(dissent.body)["opinion"]["author"], "vic");

  Response ok = As(aisha, "POST", base + "/options/1/decision", approve);
  ASSERT_EQ(ok.status, 201) << ok.body;
  const json dec = json::parse(ok.body)["decision"];
  EXPECT_EQ(dec["decided_by"], "Deputies Committee");
  EXPECT_EQ(dec["recorded_by"], "aisha");
  EXPECT_EQ(As(aisha, "POST", base + "/options/1/decision", approve).status, 409) << "decided once";
  EXPECT_EQ(decisions().size(), 1u);

  // Policy: the planner drafts, only the approver approves.
  EXPECT_EQ(As(vic, "GET", base + "/policy").status, 409) << "no policy yet";
  EXPECT_EQ(As(aisha, "POST", base + "/policy", "{}").status, 403);
  ASSERT_EQ(As(pia, "POST", base + "/policy", "{}").status, 201);
  EXPECT_EQ(As(pia, "POST", base + "/policy/approval", "{}").status, 403);
  Response pol = As(aisha, "POST", base + "/policy/approval", json{{"note", "with the Delta first"}}.dump());
  ASSERT_EQ(pol.status, 200) << pol.body;
  EXPECT_EQ(json::parse(pol.body)["policy"]["status"], "approved");
  EXPECT_EQ(json::parse(As(vic, "GET", base + "/policy").body)["policy"]["status"], "approved");

  // Plan: built and executed by planners, moved between stages by the approver.
  Response plan = As(pia, "POST", base + "/plan", "{}");
  ASSERT_EQ(plan.status, 201) << plan.body;
  const std::string task = json::parse(plan.body)["plan"]["tasks"][0]["id"];
  EXPECT_EQ(As(pia, "POST", base + "/plan", "{}").status, 409) << "one plan per case";
  const std::string status = json{{"target", task}, {"status", "at-risk"}, {"note", "visas delayed"}}.dump();
  EXPECT_EQ(As(aisha, "POST", base + "/plan/statuses", status).status, 403);
  Response st = As(pia, "POST", base + "/plan/statuses", status);
  ASSERT_EQ(st.status, 201) << st.body;
  EXPECT_EQ(json::parse(st.body)["status"]["author"], "pia");
  EXPECT_EQ(As(pia, "POST", base + "/plan/stage", json{{"to", "IC"}}.dump()).status, 403);
  EXPECT_EQ(As(aisha, "POST", base + "/plan/stage", json{{"to", "XX"}}.dump()).status, 400);
  Response stage = As(aisha, "POST", base + "/plan/stage", json{{"to", "IC"}}.dump());
  ASSERT_EQ(stage.status, 201) << stage.body;
  EXPECT_EQ(json::parse(stage.body)["decision"]["decided_by"], "aisha") << "`by` defaults to the caller";
  EXPECT_EQ(json::parse(As(vic, "GET", base + "/plan").body)["plan"]["current_stage"], "IC");

  // The audit: every decision under the approver's account.
  const json hist = json::parse(As(vic, "GET", base + "/history").body)["history"];
  int approver_decisions = 0;
  for (const auto& e : hist) {
    if (e["entity"] == "decision") {
      EXPECT_EQ(e["who"], "aisha") << e;
      ++approver_decisions;
    }
  }
  EXPECT_EQ(approver_decisions, 3) << "option, policy, stage";
}

// ASVS 2.1.5/2.1.6 over HTTP: the current password is required, the change
// ends the session (the cookie is cleared), and the new password logs in.
TEST_F(ApiTest, AUserChangesTheirOwnPasswordAndLogsInAgain) {
  AddUser("ana", "analyst");
  Login ana = LogIn("ana");
  const std::string next = "purple monkey dishwasher";
  Response wrong = As(ana, "PUT", "/api/v1/session/password",
                      json{{"current_password", "not my password"}, {"new_password", next}}.dump());
  EXPECT_EQ(wrong.status, 400);
  EXPECT_NE(wrong.body.find("current_password"), std::string::npos) << wrong.body;
  EXPECT_EQ(As(ana, "PUT", "/api/v1/session/password", json{{"current_password", kPassword}}.dump()).status, 400);
  EXPECT_EQ(Call("PUT", "/api/v1/session/password",
                 json{{"current_password", kPassword}, {"new_password", next}}.dump(), {{"cookie", ana.cookie}})
                .status,
            403)
      << "no CSRF token";
  Response ok = As(ana, "PUT", "/api/v1/session/password",
                   json{{"current_password", kPassword}, {"new_password", next}}.dump());
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(As(ana, "GET", "/api/v1/session").status, 401);
  LogIn("ana", next);
}

// The main job's products, for logged-in users with products.read: listed,
// HTML shown under a CSP without scripts, CSV downloaded; a field researcher
// is refused, an unknown name is 404, and without --products the routes say so.
TEST_F(ApiTest, PublishedProductsAreServedToLoggedInUsersOnly) {
  const std::string dir = ::testing::TempDir() + "/vigil_api_products";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/watchlist.html") << "<!doctype html><title>w</title>";
  std::ofstream(dir + "/backtest.csv") << "country,year\n";
  Options o;
  o.openapi_json = "{}";
  o.products_dir = dir;
  api_ = std::make_unique<Api>(o);
  AddUser("vic", "viewer");
  AddUser("fay", "field_researcher");
  Login vic = LogIn("vic"), fay = LogIn("fay");
  EXPECT_EQ(Call("GET", "/api/v1/products", "", {}).status, 401);
  EXPECT_EQ(Call("GET", "/products/watchlist.html", "", {}).status, 401);
  Response list = As(vic, "GET", "/api/v1/products");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(json::parse(list.body)["products"].size(), 2u);
  Response html = As(vic, "GET", "/products/watchlist.html");
  ASSERT_EQ(html.status, 200);
  EXPECT_EQ(html.content_type, "text/html; charset=utf-8");
  std::map<std::string, std::string> h(html.headers.begin(), html.headers.end());
  EXPECT_EQ(h["Content-Disposition"], "inline; filename=\"watchlist.html\"");
  EXPECT_EQ(h["Content-Security-Policy"].find("script"), std::string::npos) << "no script may run in a product";
  Response csv = As(vic, "GET", "/products/backtest.csv");
  std::map<std::string, std::string> hc(csv.headers.begin(), csv.headers.end());
  EXPECT_EQ(hc["Content-Disposition"], "attachment; filename=\"backtest.csv\"");
  EXPECT_EQ(As(vic, "GET", "/products/..%2Fvigil.db").status, 404);
  EXPECT_EQ(As(vic, "GET", "/products/missing.html").status, 404);
  EXPECT_EQ(As(fay, "GET", "/api/v1/products").status, 403);
  EXPECT_EQ(As(fay, "GET", "/products/watchlist.html").status, 403);

  api_ = std::make_unique<Api>(Options{});
  EXPECT_EQ(As(vic, "GET", "/api/v1/products").status, 409);
  Response home = Call("GET", "/", "", {});
  ASSERT_EQ(home.status, 200);
  EXPECT_NE(home.body.find("<script src=\"/app.js\""), std::string::npos);
  Response js = Call("GET", "/app.js", "", {});
  ASSERT_EQ(js.status, 200);
  EXPECT_NE(js.body.find("/api/v1/products"), std::string::npos);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace vigil::server
