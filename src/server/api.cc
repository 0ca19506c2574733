#include "server/api.h"

#include <fmt/format.h>

#include <algorithm>
#include <cassert>
#include <cctype>
#include <charconv>

#include "app/access.h"
#include "app/accounts.h"
#include "app/assess_service.h"
#include "app/case_service.h"
#include "app/decision_service.h"
#include "app/monitor_service.h"
#include "app/options_service.h"
#include "app/plan_service.h"
#include "options/option.h"
#include "plan/plan.h"
#include "core/json_field.h"
#include "core/json_limits.h"
#include "data/countries.h"
#include "core/embedded.h"
#include "server/products.h"
#include "store/db.h"

namespace vigil::server {
namespace {

using nlohmann::json;

std::string ApiCode(Status::Code c) {
  switch (c) {
    case Status::Code::kOk: return "ok";
    case Status::Code::kInvalidArgument: return "invalid_argument";
    case Status::Code::kNotFound: return "not_found";
    case Status::Code::kAlreadyExists: return "already_exists";
    case Status::Code::kFailedPrecondition: return "failed_precondition";
    case Status::Code::kBusy: return "busy";
    case Status::Code::kUnauthenticated: return "unauthenticated";
    case Status::Code::kPermissionDenied: return "permission_denied";
    case Status::Code::kAborted: return "conflict";
    default: return "internal";
  }
}

int HttpStatus(Status::Code c) {
  switch (c) {
    case Status::Code::kOk: return 200;
    case Status::Code::kInvalidArgument: return 400;
    case Status::Code::kUnauthenticated: return 401;
    case Status::Code::kPermissionDenied: return 403;
    case Status::Code::kNotFound: return 404;
    case Status::Code::kAlreadyExists:
    case Status::Code::kAborted:
    case Status::Code::kFailedPrecondition: return 409;
    case Status::Code::kBusy: return 503;
    default: return 500;
  }
}

// "FIELD: rule" messages name their field; the field is also given apart.
std::string FieldOfMessage(const std::string& m) {
  const std::size_t colon = m.find(": ");
  if (colon == std::string::npos || colon == 0 || colon > 64) return "";
  for (std::size_t i = 0; i < colon; ++i) {
    const unsigned char ch = static_cast<unsigned char>(m[i]);
    if (!std::isalnum(ch) && ch != '_' && ch != '.' && ch != '-') return "";
  }
  return m.substr(0, colon);
}

std::string PathOf(const std::string& target) { return target.substr(0, target.find('?')); }

// Matches "/a/{x}/b" against "/a/7/b"; fills params. Path segments are
// taken as sent (no percent-decoding: ids, slugs and user names never need it).
bool Match(const std::string& pattern, const std::string& path, std::map<std::string, std::string>* params) {
  std::size_t p = 0, q = 0;
  while (p < pattern.size() && q < path.size()) {
    if (pattern[p] == '{') {
      const std::size_t close = pattern.find('}', p);
      const std::size_t end = path.find('/', q);
      const std::string value = path.substr(q, end == std::string::npos ? std::string::npos : end - q);
      if (value.empty() || value.size() > 200) return false;
      (*params)[pattern.substr(p + 1, close - p - 1)] = value;
      p = close + 1;
      q = end == std::string::npos ? path.size() : end;
      continue;
    }
    if (pattern[p] != path[q]) return false;
    ++p;
    ++q;
  }
  return p == pattern.size() && q == path.size();
}

std::string CookieValue(const std::string& header, std::string_view name) {
  std::size_t pos = 0;
  while (pos < header.size()) {
    std::size_t end = header.find(';', pos);
    if (end == std::string::npos) end = header.size();
    std::string_view part(header.data() + pos, end - pos);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    if (part.size() > name.size() && part.substr(0, name.size()) == name && part[name.size()] == '=') {
      return std::string(part.substr(name.size() + 1));
    }
    pos = end + 1;
  }
  return "";
}

bool IsUnsafe(const std::string& method) { return method != "GET" && method != "HEAD" && method != "OPTIONS"; }

json CaseSummary(const assess::Case& c, const std::string& my_role) {
  json j = assess::ToJson(c);
  j["my_role"] = my_role.empty() ? json(nullptr) : json(my_role);
  return j;
}

std::string SessionCookie(const std::string& value, std::int64_t max_age, const Options& o) {
  return fmt::format("{}={}; Path=/; Max-Age={}; HttpOnly; SameSite=Strict{}", kSessionCookie, value, max_age,
                     o.secure_cookies ? "; Secure" : "");
}

// ---- handlers ------------------------------------------------------------------------

Result<Response> Healthz(Call&) { return JsonResponse(200, {{"status", "ok"}}); }

Result<Response> OpenApi(Call& c) {
  Response r;
  r.body = c.options.openapi_json;
  return r;
}

Result<Response> Login(Call& c) {
  VIGIL_ASSIGN_OR_RETURN(JsonBody b, JsonBody::Parse(c.req.body));
  VIGIL_ASSIGN_OR_RETURN(std::string username, b.String("username", true, 64));
  VIGIL_ASSIGN_OR_RETURN(std::string password, b.String("password", true, app::kMaxPasswordLength));
  VIGIL_RETURN_IF_ERROR(b.Done());
  std::int64_t retry_after = 0;
  auto s = app::Login(c.db, username, password, c.req.client, c.now, &retry_after);
  if (!s.ok()) {
    if (retry_after > 0) {
      Response r = JsonResponse(429, {{"error", {{"status", 429}, {"code", "too_many_requests"},
                                                 {"message", s.status().message()},
                                                 {"retry_after", retry_after}}}});
      r.headers.emplace_back("Retry-After", std::to_string(retry_after));
      return r;
    }
    return s.status();
  }
  Response r = JsonResponse(200, {{"user", app::ToJson(s->user)}, {"csrf_token", s->csrf},
                                  {"expires_at", s->expires_at}});
  r.headers.emplace_back("Set-Cookie", SessionCookie(s->token, app::kSessionAbsoluteSeconds, c.options));
  r.user_id = s->user.id;
  return r;
}

Result<Response> WhoAmI(Call& c) {
  VIGIL_ASSIGN_OR_RETURN(app::UserInfo u, app::FindUser(c.db, c.who.username));
  return JsonResponse(200, {{"user", app::ToJson(u)}});
}

// {"current_password", "new_password"} -> 200; every session of the
// account ends, this one included (the cookie is cleared: log in again).
Result<Response> ChangePasswordHandler(Call& c) {
  VIGIL_ASSIGN_OR_RETURN(JsonBody b, JsonBody::Parse(c.req.body));
  VIGIL_ASSIGN_OR_RETURN(std::string current, b.String("current_password", true, 1024));
  VIGIL_ASSIGN_OR_RETURN(std::string next, b.String("new_password", true, 1024));
  VIGIL_RETURN_IF_ERROR(b.Done());
  VIGIL_RETURN_IF_ERROR(app::ChangeOwnPassword(c.db, c.who, current, next, c.now));
  Response r = JsonResponse(200, {{"password", "changed"}, {"sessions", "ended; log in again"}});
  r.headers.emplace_back("Set-Cookie", SessionCookie("", 0, c.options));
  return r;
}

Result<Response> LogoutHandler(Call& c) {
  if (!c.session_token.empty()) VIGIL_RETURN_IF_ERROR(app::Logout(c.db, c.session_token));
  Response r = JsonResponse(200, {{"status", "logged out"}});
  r.headers.emplace_back("Set-Cookie", SessionCookie("", 0, c.options));
  return r;
}

Result<Response> ListTokens(Call& c) {
  VIGIL_ASSIGN_OR_RETURN(std::vector<app::ApiTokenInfo> tokens, app::ListApiTokens(c.db, c.who));
  json out = json::array();
  for (const auto& t : tokens) {
    out.push_back({{"id", t.id}, {"name", t.name}, {"created_at", t.created_at},
                   {"last_used", t.last_used ? json(*t.last_used) : json(nullptr)}, {"revoked", t.revoked}});
  }
  return JsonResponse(200, {{"tokens", out}});
}

Result<Response> CreateToken(Call& c) {
  VIGIL_ASSIGN_OR_RETURN(JsonBody b, JsonBody::Parse(c.req.body));
  VIGIL_ASSIGN_OR_RETURN(std::string name, b.String("name", true, 100));
  VIGIL_RETURN_IF_ERROR(b.Done());
  VIGIL_ASSIGN_OR_RETURN(std::string token, app::CreateApiToken(c.db, c.who, name, c.now));
  return JsonResponse(201, {{"name", name}, {"token", token}});
}

Result<std::int64_t> IdParam(const Call& c, const std::string& key) {
  const std::string& v = c.params.at(key);
  std::int64_t id = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), id);
  if (ec != std::errc() || end != v.data() + v.size() || id <= 0) {
    return Status::NotFound(fmt::format("{}: no such {} '{}'", key, key, v));
  }
  return id;
}

Result<Response> RevokeToken(Call& c) {
  VIGIL_ASSIGN_OR_RETURN(std::int64_t id, IdParam(c, "id"));
  VIGIL_RETURN_IF_ERROR(app::RevokeApiToken(c.db, c.who, id));
  return JsonResponse(200, {{"id", id}, {"revoked", true}});
}

Result<Response> ListUsersHandler(Call& c) {
  VIGIL_ASSIGN_OR_RETURN(std::vector<app::UserInfo> users, app::ListUsers(c.db, c.who));
  json out = json::array();
  for (const auto& u : users) out.push_back(app::ToJson(u));
  return JsonResponse(200, {{"users", out}});
}

Result<Response> AddUserHandler(Call& c) {
  VIGIL_ASSIGN_OR_RETURN(JsonBody b, JsonBody::Parse(c.req.body));
  app::NewUser u;
  VIGIL_ASSIGN_OR_RETURN(u.username, b.String("username", true, 64));
  VIGIL_ASSIGN_OR_RETURN(u.display_name, b.String("display_name", false, 200));
  VIGIL_ASSIGN_OR_RETURN(u.role, b.String("role", true, 64));
  VIGIL_ASSIGN_OR_RETURN(u.password, b.String("password", true, app::kMaxPasswordLength));
  VIGIL_RETURN_IF_ERROR(b.Done());
  VIGIL_ASSIGN_OR_RETURN(app::UserInfo made, app::AddUser(c.db, c.who, u));
  return JsonResponse(201, {{"user", app::ToJson(made)}});
}

Result<Response> EditUserHandler(Call& c) {
  VIGIL_ASSIGN_OR_RETURN(JsonBody b, JsonBody::Parse(c.req.body));
  VIGIL_ASSIGN_OR_RETURN(std::optional<bool> disabled, b.Bool("disabled"));
  VIGIL_ASSIGN_OR_RETURN(std::string password, b.String("password", false, app::kMaxPasswordLength));
  VIGIL_RETURN_IF_ERROR(b.Done());
  if (!disabled && password.empty()) return Status::InvalidArgument("body: give 'disabled' or 'password'");
  const std::string& name = c.params.at("username");
  // Both changes or neither: one transaction around the two service calls.
  store::Transaction tx(c.db);
  VIGIL_RETURN_IF_ERROR(tx.Begin());
  if (!password.empty()) VIGIL_RETURN_IF_ERROR(app::ResetPassword(c.db, c.who, name, password));
  if (disabled) VIGIL_RETURN_IF_ERROR(app::SetUserDisabled(c.db, c.who, name, *disabled));
  VIGIL_RETURN_IF_ERROR(tx.Commit());
  VIGIL_ASSIGN_OR_RETURN(app::UserInfo u, app::FindUser(c.db, name));
  return JsonResponse(200, {{"user", app::ToJson(u)}});
}

Result<Response> ListCasesHandler(Call& c) {
  VIGIL_ASSIGN_OR_RETURN(std::vector<app::VisibleCase> cases, app::ListCases(c.db, c.who));
  json out = json::array();
  for (const auto& v : cases) out.push_back(CaseSummary(v.c, v.my_role));
  return JsonResponse(200, {{"cases", out}});
}

Result<Response> CreateCaseHandler(Call& c) {
  VIGIL_ASSIGN_OR_RETURN(JsonBody b, JsonBody::Parse(c.req.body));
  assess::Case k;
  VIGIL_ASSIGN_OR_RETURN(k.title, b.String("title", true, 300));
  VIGIL_ASSIGN_OR_RETURN(k.slug, b.String("slug", false, 64));
  VIGIL_ASSIGN_OR_RETURN(std::optional<std::int64_t> gw, b.Int("gw", 1, 999));
  VIGIL_ASSIGN_OR_RETURN(k.region, b.String("region", false, 200));
  VIGIL_ASSIGN_OR_RETURN(k.scope, b.String("scope", false, 4000));
  VIGIL_ASSIGN_OR_RETURN(k.purpose, b.String("purpose", false, 4000));
  VIGIL_RETURN_IF_ERROR(b.Done());
  if (gw) k.gw = static_cast<int>(*gw);
  VIGIL_ASSIGN_OR_RETURN(assess::Case made, app::CreateCase(c.db, c.who, std::move(k)));
  return JsonResponse(201, {{"case", CaseSummary(made, c.who.local_operator ? "" : c.who.role)}});
}

// The case of a route: the authorized case of a case action, else the
// {case} parameter as sent (a global action such as case.members.manage;
// the service looks it up).
std::string CaseRef(const Call& c) { return c.kase ? std::to_string(c.kase->id) : c.params.at("case"); }

Result<Response> ReadCase(Call& c) {
  VIGIL_ASSIGN_OR_RETURN(assess::CaseFile f, app::ReadCaseFile(c.db, c.who, CaseRef(c)));
  return JsonResponse(200, assess::ToJson(f));
}

Response Conflict(const Status& s, json current);

// The fields of PATCH /cases/{case}: JSON name -> the case repository's field
// name (assess::FieldEdits).
constexpr std::pair<const char*, const char*> kCaseEditFields[] = {
    {"title", "title"},
    {"slug", "slug"},
    {"region", "region"},
    {"scope", "scope"},
    {"purpose", "purpose"},
    {"status", "status"},
    {"objective", "objective"},
    {"level_of_effort", "level-of-effort"},
    {"lead_agency", "lead-agency"},
    {"approving_authority", "approving-authority"},
    {"assumptions", "assumptions"},
    {"constraints", "constraints"},
    {"restraints", "restraints"},
    {"coordination", "coordination"},
    {"intent", "intent"},
    {"timeline", "timeline"},
    {"other", "other"},
};

Result<Response> PatchCase(Call& c) {
  VIGIL_ASSIGN_OR_RETURN(JsonBody b, JsonBody::Parse(c.req.body));
  VIGIL_ASSIGN_OR_RETURN(std::optional<std::int64_t> revision, b.Int("revision", 1, 1'000'000));
  assess::FieldEdits edits;
  for (const auto& [name, field] : kCaseEditFields) {
    VIGIL_ASSIGN_OR_RETURN(std::optional<std::string> v, b.OptString(name, 8000));
    if (v) edits.emplace_back(field, std::move(*v));
  }
  VIGIL_ASSIGN_OR_RETURN(std::optional<std::int64_t> gw, b.Int("gw", 1, 100'000));
  if (gw) edits.emplace_back("gw", std::to_string(*gw));
  VIGIL_RETURN_IF_ERROR(b.Done());
  if (!revision) return Status::InvalidArgument("revision: required (the case's revision you read)");
  if (edits.empty()) return Status::InvalidArgument("body: no field to edit");
  auto edited = app::EditCase(c.db, c.who, CaseRef(c), edits, static_cast<int>(*revision));
  if (!edited.ok() && edited.status().code() == Status::Code::kAborted) {
    VIGIL_ASSIGN_OR_RETURN(assess::CaseFile now, app::ReadCaseFile(c.db, c.who, CaseRef(c)));
    return Conflict(edited.status(), assess::ToJson(now));
  }
  VIGIL_RETURN_IF_ERROR(edited.status());
  return JsonResponse(200, assess::ToJson(*edited));
}

Result<Response> CaseHistoryHandler(Call& c) {
  VIGIL_ASSIGN_OR_RETURN(std::vector<assess::AuditEntry> h,
                         app::CaseHistory(c.db, c.who, CaseRef(c)));
  json out = json::array();
  for (const auto& e : h) {
    json j = assess::ToJson(e);
    j["summary"] = app::ChangeSummary(e);
    out.push_back(std::move(j));
  }
  return JsonResponse(200, {{"history", out}});
}

Result<Response> ListMembers(Call& c) {
  VIGIL_ASSIGN_OR_RETURN(std::vector<app::CaseMember> m,
                         app::ListCaseMembers(c.db, c.who, CaseRef(c)));
  json out = json::array();
  for (const auto& x : m) out.push_back(app::ToJson(x));
  return JsonResponse(200, {{"members", out}});
}

Result<Response> PutMember(Call& c) {
  VIGIL_ASSIGN_OR_RETURN(JsonBody b, JsonBody::Parse(c.req.body));
  VIGIL_ASSIGN_OR_RETURN(std::string role, b.String("role", true, 64));
  VIGIL_RETURN_IF_ERROR(b.Done());
  VIGIL_ASSIGN_OR_RETURN(app::CaseMember m, app::SetCaseMember(c.db, c.who, CaseRef(c),
                                                               c.params.at("username"), role));
  return JsonResponse(200, {{"member", app::ToJson(m)}});
}

Result<Response> DeleteMember(Call& c) {
  VIGIL_RETURN_IF_ERROR(app::RemoveCaseMember(c.db, c.who, CaseRef(c), c.params.at("username")));
  return JsonResponse(200, {{"removed", c.params.at("username")}});
}

// ---- query parameters -----------------------------------------------------------------

// "%41" -> "A", "+" -> " "; InvalidArgument naming `field` for a bad escape.
Result<std::string> PercentDecode(std::string_view in, std::string_view field) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '+') {
      out += ' ';
    } else if (in[i] != '%') {
      out += in[i];
    } else {
      int v = 0;
      if (i + 2 >= in.size() ||
          std::from_chars(in.data() + i + 1, in.data() + i + 3, v, 16).ptr != in.data() + i + 3) {
        return Status::InvalidArgument(std::string(field) + ": a bad percent escape");
      }
      out += static_cast<char>(v);
      i += 2;
    }
  }
  return out;
}

// The query of a request as name -> value, decoded; InvalidArgument for a
// parameter the route does not know, one given twice, or a bad escape.
Result<std::map<std::string, std::string>> QueryParams(const Request& req,
                                                       std::initializer_list<std::string_view> known) {
  std::map<std::string, std::string> out;
  const std::size_t q = req.target.find('?');
  if (q == std::string::npos) return out;
  std::string_view rest(req.target);
  rest.remove_prefix(q + 1);
  while (!rest.empty()) {
    const std::size_t amp = rest.find('&');
    const std::string_view part = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    if (part.empty()) continue;
    const std::size_t eq = part.find('=');
    VIGIL_ASSIGN_OR_RETURN(std::string name, PercentDecode(part.substr(0, eq), "query"));
    const std::string shown = name.substr(0, 40);
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      std::string list;
      for (auto k : known) list += (list.empty() ? "" : ", ") + std::string(k);
      return Status::InvalidArgument(fmt::format("{}: not a parameter of this route ({})", shown,
                                                 list.empty() ? "it takes none" : "it takes " + list));
    }
    VIGIL_ASSIGN_OR_RETURN(std::string value, PercentDecode(eq == std::string_view::npos ? "" : part.substr(eq + 1),
                                                            name));
    if (!out.emplace(name, std::move(value)).second) {
      return Status::InvalidArgument(shown + ": given twice");
    }
  }
  return out;
}

Result<std::optional<std::int64_t>> IntParam(const std::map<std::string, std::string>& q, const std::string& name,
                                             std::int64_t lo, std::int64_t hi) {
  auto it = q.find(name);
  if (it == q.end()) return std::optional<std::int64_t>();
  std::int64_t v = 0;
  const std::string& t = it->second;
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (t.empty() || ec != std::errc() || end != t.data() + t.size() || v < lo || v > hi) {
    return Status::InvalidArgument(fmt::format("{}: must be an integer in {}..{}", name, lo, hi));
  }
  return std::optional<std::int64_t>(v);
}

Result<const Country*> CountryParam(const std::string& raw, std::string_view field) {
  VIGIL_ASSIGN_OR_RETURN(std::string q, PercentDecode(raw, field));
  const Country* c = data::ResolveCountry(q);
  if (!c) {
    return Status::NotFound(fmt::format("{}: '{}' is not a GW or COW code, ISO3 code or country name", field,
                                        q.substr(0, 60)));
  }
  return c;
}

// ---- revisioned edits: scores, options, plan tasks ---------------------------
//
// Each edit names the version (or revision) the client read; a stale one is
// 409 with the error and the record as it is now ("current"), so that the
// client can show the colleague's change and let the user redo theirs.

Response Conflict(const Status& s, json current) {
  Response r = ErrorResponse(s);
  json body = json::parse(r.body);
  body["current"] = std::move(current);
  return JsonResponse(409, body);
}

// The "evidence" list of a body ("event:123", "url:https://...").
Result<std::vector<assess::EvidenceLink>> EvidenceLinks(const std::optional<std::vector<std::string>>& evidence) {
  std::vector<assess::EvidenceLink> out;
  for (std::size_t i = 0; evidence && i < evidence->size(); ++i) {
    auto link = assess::ParseEvidenceLink((*evidence)[i]);
    if (!link.ok()) return link.status().WithContext(fmt::format("evidence[{}]", i));
    out.push_back(std::move(*link));
  }
  return out;
}

// ---- the case file: actors and the conflict assessment (new entries only) ---------------

// {"name", "kind", "motivations", "means", "capabilities", "weaknesses",
//  "locations", "notes", and optionally the first "role" with "from" and "note"} -> 201.
Result<Response> PostActor(Call& c) {
  VIGIL_ASSIGN_OR_RETURN(JsonBody b, JsonBody::Parse(c.req.body));
  assess::Actor a;
  VIGIL_ASSIGN_OR_RETURN(a.name, b.String("name", true, 200));
  VIGIL_ASSIGN_OR_RETURN(std::optional<std::string> kind, b.OptString("kind", 32));
  if (kind) a.kind = *kind;
  for (auto [key, field] : {std::pair{"motivations", &a.motivations}, {"means", &a.means},
                            {"capabilities", &a.capabilities}, {"weaknesses", &a.weaknesses},
                            {"locations", &a.locations}, {"notes", &a.notes}}) {
    VIGIL_ASSIGN_OR_RETURN(*field, b.String(key, false, 4000));
  }
  assess::ActorRole r;
  VIGIL_ASSIGN_OR_RETURN(r.role, b.String("role", false, 64));
  VIGIL_ASSIGN_OR_RETURN(r.from, b.String("from", false, 10));
  VIGIL_ASSIGN_OR_RETURN(r.note, b.String("note", false, 4000));
  VIGIL_RETURN_IF_ERROR(b.Done());
  if (r.role.empty() != r.from.empty()) return Status::InvalidArgument("from: role and from go together");
  if (!r.role.empty()) a.roles.push_back(std::move(r));
  VIGIL_ASSIGN_OR_RETURN(assess::Actor stored, app::AddActor(c.db, c.who, CaseRef(c), std::move(a)));
  return JsonResponse(201, {{"actor", assess::ToJson(stored)}});
}

// {"role", "from", "to", "note", "replace": true ends the roles still open} -> 201.
Result<Response> PostActorRole(Call& c) {
  VIGIL_ASSIGN_OR_RETURN(JsonBody b, JsonBody::Parse(c.req.body));
  assess::ActorRole r;
  VIGIL_ASSIGN_OR_RETURN(r.role, b.String("role", true, 64));
  VIGIL_ASSIGN_OR_RETURN(r.from, b.String("from", true, 10));
  VIGIL_ASSIGN_OR_RETURN(r.to, b.String("to", false, 10));
  VIGIL_ASSIGN_OR_RETURN(r.note, b.String("note", false, 4000));
  VIGIL_ASSIGN_OR_RETURN(std::optional<bool> replace, b.Bool("replace"));
  VIGIL_RETURN_IF_ERROR(b.Done());
  VIGIL_ASSIGN_OR_RETURN(assess::ActorRole stored, app::AddActorRole(c.db, c.who, CaseRef(c), c.params.at("actor"),
                                                                     std::move(r), replace.value_or(false)));
  return JsonResponse(201, {{"role", assess::ToJson(stored)}});
}

// {"section", "text", "as_of", "confidence", "evidence": [...]} -> 201.
Result<Response> PostAssessmentEntry(Call& c) {
  VIGIL_ASSIGN_OR_RETURN(JsonBody b, JsonBody::Parse(c.req.body));
  assess::AssessmentEntry e;
  VIGIL_ASSIGN_OR_RETURN(e.section, b.String("section", true, 64));
  VIGIL_ASSIGN_OR_RETURN(e.text, b.String("text", true, 8000));
  VIGIL_ASSIGN_OR_RETURN(e.as_of, b.String("as_of", false, 10));
  VIGIL_ASSIGN_OR_RETURN(std::optional<std::string> confidence, b.OptString("confidence", 16));
  if (confidence) e.confidence = *confidence;
  VIGIL_ASSIGN_OR_RETURN(std::optional<std::vector<std::string>> evidence, b.StringList("evidence", 100, 2000));
  VIGIL_RETURN_IF_ERROR(b.Done());
  VIGIL_ASSIGN_OR_RETURN(e.evidence, EvidenceLinks(evidence));
  VIGIL_ASSIGN_OR_RETURN(assess::AssessmentEntry stored, app::AddAssessmentEntry(c.db, c.who, CaseRef(c), e));
  return JsonResponse(201, {{"entry", assess::ToJson(stored)}});
}

Result<Response> PostScore(Call& c, const std::string& position) {
  VIGIL_ASSIGN_OR_RETURN(JsonBody b, JsonBody::Parse(c.req.body));
  assess::Score s;
  s.position = position;
  VIGIL_ASSIGN_OR_RETURN(s.framework, b.String("framework", true, 64));
  VIGIL_ASSIGN_OR_RETURN(s.item, b.String("item", true, 64));
  VIGIL_ASSIGN_OR_RETURN(s.level, b.String("level", true, 64));
  VIGIL_ASSIGN_OR_RETURN(std::optional<std::string> confidence, b.OptString("confidence", 16));
  if (confidence) s.confidence = *confidence;
  VIGIL_ASSIGN_OR_RETURN(s.as_of, b.String("as_of", false, 10));
  VIGIL_ASSIGN_OR_RETURN(s.rationale, b.String("rationale", false, 8000));
  VIGIL_ASSIGN_OR_RETURN(std::optional<std::vector<std::string>> evidence, b.StringList("evidence", 100, 2000));
  VIGIL_ASSIGN_OR_RETURN(std::optional<std::int64_t> based_on, b.Int("based_on_version", 0, 1'000'000));
  VIGIL_RETURN_IF_ERROR(b.Done());
  if (!based_on) {
    return Status::InvalidArgument(
        "based_on_version: required (the version of this score you read; 0 when there was none)");
  }
  VIGIL_ASSIGN_OR_RETURN(s.evidence, EvidenceLinks(evidence));
  const std::string framework = s.framework, item = s.item;
  auto stored = app::RecordScore(c.db, c.who, CaseRef(c), std::move(s), static_cast<int>(*based_on));
  if (!stored.ok() && stored.status().code() == Status::Code::kAborted) {
    VIGIL_ASSIGN_OR_RETURN(std::optional<assess::Score> now,
                           app::CurrentScore(c.db, c.kase->id, framework, item, position,
                                             position == "dissent" ? c.who.AuditName() : ""));
    return Conflict(stored.status(), now ? assess::ToJson(*now) : json(nullptr));
  }
  VIGIL_RETURN_IF_ERROR(stored.status());
  return JsonResponse(201, {{"score", assess::ToJson(*stored)}});
}

Result<Response> PostMajorityScore(Call& c) { return PostScore(c, "majority"); }
Result<Response> PostDissent(Call& c) { return PostScore(c, "dissent"); }

Result<Response> ListOptionsHandler(Call& c) {
  VIGIL_ASSIGN_OR_RETURN(auto q, QueryParams(c.req, {"withdrawn"}));
  const auto it = q.find("withdrawn");
  if (it != q.end() && it->second != "true" && it->second != "false") {
    return Status::InvalidArgument("withdrawn: must be true or false");
  }
  const bool withdrawn = it != q.end() && it->second == "true";
  VIGIL_ASSIGN_OR_RETURN(std::vector<options::OptionPackage> list, app::ListOptions(c.db, c.who, CaseRef(c), withdrawn));
  json out = json::array();
  for (const auto& o : list) out.push_back(options::ToJson(o));
  return JsonResponse(200, {{"options", out}});
}

// {} -> 201 with the generated option packages (docs/options.md).
Result<Response> GenerateOptionsHandler(Call& c) {
  VIGIL_ASSIGN_OR_RETURN(JsonBody b, JsonBody::Parse(c.req.body));
  VIGIL_RETURN_IF_ERROR(b.Done());
  VIGIL_ASSIGN_OR_RETURN(options::GenerateResult gen, app::GenerateOptions(c.db, c.who, CaseRef(c)));
  json out = json::array();
  for (const auto& o : gen.options) out.push_back(options::ToJson(o));
  return JsonResponse(201, {{"situation", options::ToJson(gen.situation)}, {"notes", gen.notes}, {"options", out}});
}

Result<Response> ReadOptionHandler(Call& c) {
  VIGIL_ASSIGN_OR_RETURN(options::OptionPackage o, app::ReadOption(c.db, c.who, CaseRef(c), c.params.at("number")));
  return JsonResponse(200, {{"option", options::ToJson(o)}});
}

Result<Response> PatchOption(Call& c) {
  VIGIL_ASSIGN_OR_RETURN(JsonBody b, JsonBody::Parse(c.req.body));
  app::OptionFields f;
  VIGIL_ASSIGN_OR_RETURN(std::optional<std::int64_t> version, b.Int("version", 1, 1'000'000));
  VIGIL_ASSIGN_OR_RETURN(f.title, b.OptString("title", 300));
  VIGIL_ASSIGN_OR_RETURN(f.summary, b.OptString("summary", 4000));
  VIGIL_ASSIGN_OR_RETURN(f.approach, b.OptString("approach", 64));
  VIGIL_ASSIGN_OR_RETURN(f.role, b.OptString("role", 64));
  VIGIL_ASSIGN_OR_RETURN(f.military_approach, b.OptString("military_approach", 64));
  VIGIL_ASSIGN_OR_RETURN(f.policy_goal, b.OptString("policy_goal", 4000));
  VIGIL_ASSIGN_OR_RETURN(f.rationale, b.OptString("rationale", 8000));
  VIGIL_ASSIGN_OR_RETURN(f.objectives, b.StringList("objectives", 50, 2000));
  VIGIL_ASSIGN_OR_RETURN(f.escalation_triggers, b.StringList("escalation_triggers", 50, 2000));
  VIGIL_ASSIGN_OR_RETURN(f.advantages, b.StringList("advantages", 50, 2000));
  VIGIL_ASSIGN_OR_RETURN(f.disadvantages, b.StringList("disadvantages", 50, 2000));
  VIGIL_RETURN_IF_ERROR(b.Done());
  if (!version) return Status::InvalidArgument("version: required (the version of the option you read)");
  const std::string ref = c.params.at("number");
  auto stored = app::ModifyOption(c.db, c.who, CaseRef(c), ref, static_cast<int>(*version),
                                  [&f](options::OptionPackage& o) {
                                    app::ApplyOptionFields(f, o);
                                    return Status::Ok();
                                  });
  if (!stored.ok() && stored.status().code() == Status::Code::kAborted) {
    VIGIL_ASSIGN_OR_RETURN(options::OptionPackage now, app::ReadOption(c.db, c.who, CaseRef(c), ref));
    return Conflict(stored.status(), options::ToJson(now));
  }
  VIGIL_RETURN_IF_ERROR(stored.status());
  return JsonResponse(200, {{"option", options::ToJson(*stored)}});
}

Result<Response> ReadPlanHandler(Call& c) {
  VIGIL_ASSIGN_OR_RETURN(plan::Plan p, app::ReadPlan(c.db, c.who, CaseRef(c)));
  return JsonResponse(200, {{"plan", plan::ToJson(p)}});
}

Result<Response> PatchTask(Call& c) {
  VIGIL_ASSIGN_OR_RETURN(JsonBody b, JsonBody::Parse(c.req.body));
  app::TaskFields f;
  VIGIL_ASSIGN_OR_RETURN(std::optional<std::int64_t> revision, b.Int("revision", 1, 1'000'000));
  VIGIL_ASSIGN_OR_RETURN(f.loe, b.OptString("loe", 32));
  VIGIL_ASSIGN_OR_RETURN(f.title, b.OptString("title", 300));
  VIGIL_ASSIGN_OR_RETURN(f.agency, b.OptString("agency", 200));
  VIGIL_ASSIGN_OR_RETURN(f.stages, b.StringList("stages", 10, 8));
  VIGIL_ASSIGN_OR_RETURN(f.depends_on, b.StringList("depends_on", 100, 32));
  VIGIL_ASSIGN_OR_RETURN(f.tool, b.OptString("tool", 64));
  VIGIL_ASSIGN_OR_RETURN(f.resources, b.OptString("resources", 4000));
  VIGIL_ASSIGN_OR_RETURN(f.arrival, b.OptString("arrival", 4000));
  VIGIL_RETURN_IF_ERROR(b.Done());
  if (!revision) return Status::InvalidArgument("revision: required (the plan revision you read)");
  auto stored = app::EditTask(c.db, c.who, CaseRef(c), c.params.at("task"), f, static_cast<int>(*revision));
  if (!stored.ok() && stored.status().code() == Status::Code::kAborted) {
    VIGIL_ASSIGN_OR_RETURN(plan::Plan now, app::ReadPlan(c.db, c.who, CaseRef(c)));
    return Conflict(stored.status(), plan::ToJson(now));
  }
  VIGIL_RETURN_IF_ERROR(stored.status());
  return JsonResponse(200, {{"plan", plan::ToJson(*stored)}});
}

// ---- decisions: the approving authority, opinions, execution ---------------------------
//
// The route's action (options.approve, policy.approve, plan.approve,
// case.dissent, plan.execution) is checked before the handler runs, and again
// by the service call; the decision is audited under the caller's account.

// {"by", "date", "note"} of a decision; `by` (the deciding person or body)
// defaults to the caller.
Result<app::DecisionInput> DecisionFields(JsonBody& b) {
  app::DecisionInput d;
  VIGIL_ASSIGN_OR_RETURN(d.by, b.String("by", false, 200));
  VIGIL_ASSIGN_OR_RETURN(d.date, b.String("date", false, 10));
  VIGIL_ASSIGN_OR_RETURN(d.note, b.String("note", false, 4000));
  return d;
}

Result<Response> ListDecisionsHandler(Call& c) {
  VIGIL_ASSIGN_OR_RETURN(std::vector<plan::Decision> list, app::ListDecisions(c.db, c.who, CaseRef(c)));
  json out = json::array();
  for (const auto& d : list) out.push_back(plan::ToJson(d));
  return JsonResponse(200, {{"decisions", std::move(out)}});
}

// {"outcome": ..., "by", "date", "note"} -> 201 with the decision.
Result<Response> PostOptionDecision(Call& c, bool review) {
  VIGIL_ASSIGN_OR_RETURN(JsonBody b, JsonBody::Parse(c.req.body));
  VIGIL_ASSIGN_OR_RETURN(std::string outcome, b.String("outcome", true, 32));
  VIGIL_ASSIGN_OR_RETURN(app::DecisionInput d, DecisionFields(b));
  VIGIL_RETURN_IF_ERROR(b.Done());
  const std::string& ref = c.params.at("number");
  VIGIL_ASSIGN_OR_RETURN(plan::Decision dec, review ? app::ReviewOption(c.db, c.who, CaseRef(c), ref, outcome, d)
                                                     : app::DecideOption(c.db, c.who, CaseRef(c), ref, outcome, d));
  return JsonResponse(201, {{"decision", plan::ToJson(dec)}});
}
Result<Response> PostOptionDecisionHandler(Call& c) { return PostOptionDecision(c, false); }
Result<Response> PostOptionReviewHandler(Call& c) { return PostOptionDecision(c, true); }

// {"position": "recommend"|"dissent", "text": ...} -> 201 with the opinion.
Result<Response> PostOpinion(Call& c) {
  VIGIL_ASSIGN_OR_RETURN(JsonBody b, JsonBody::Parse(c.req.body));
  VIGIL_ASSIGN_OR_RETURN(std::string position, b.String("position", true, 16));
  VIGIL_ASSIGN_OR_RETURN(std::string text, b.String("text", true, 8000));
  VIGIL_RETURN_IF_ERROR(b.Done());
  VIGIL_ASSIGN_OR_RETURN(options::Opinion op,
                         app::AddOpinion(c.db, c.who, CaseRef(c), c.params.at("number"), position, text));
  return JsonResponse(201, {{"opinion", options::ToJson(op)}});
}

// {} -> 201 with the new draft, drafted from the approved option.
Result<Response> PostPolicyDraft(Call& c) {
  VIGIL_ASSIGN_OR_RETURN(JsonBody b, JsonBody::Parse(c.req.body));
  VIGIL_RETURN_IF_ERROR(b.Done());
  VIGIL_ASSIGN_OR_RETURN(plan::PolicyStatement p, app::DraftPolicy(c.db, c.who, CaseRef(c)));
  return JsonResponse(201, {{"policy", plan::ToJson(p)}});
}

// {} -> 201 with plan revision 1, built from the approved policy.
Result<Response> PostPlan(Call& c) {
  VIGIL_ASSIGN_OR_RETURN(JsonBody b, JsonBody::Parse(c.req.body));
  VIGIL_RETURN_IF_ERROR(b.Done());
  VIGIL_ASSIGN_OR_RETURN(plan::Plan p, app::CreatePlan(c.db, c.who, CaseRef(c)));
  return JsonResponse(201, {{"plan", plan::ToJson(p)}});
}

Result<Response> ReadPolicyHandler(Call& c) {
  VIGIL_ASSIGN_OR_RETURN(plan::PolicyStatement p, app::ReadPolicy(c.db, c.who, CaseRef(c)));
  return JsonResponse(200, {{"policy", plan::ToJson(p)}});
}

// {"by", "date", "note"} -> 200 with the approved policy statement.
Result<Response> PostPolicyApproval(Call& c) {
  VIGIL_ASSIGN_OR_RETURN(JsonBody b, JsonBody::Parse(c.req.body));
  VIGIL_ASSIGN_OR_RETURN(app::DecisionInput d, DecisionFields(b));
  VIGIL_RETURN_IF_ERROR(b.Done());
  VIGIL_ASSIGN_OR_RETURN(plan::PolicyStatement p, app::ApprovePolicy(c.db, c.who, CaseRef(c), d));
  return JsonResponse(200, {{"policy", plan::ToJson(p)}});
}

// {"point": "dp-N"|"b-N", "outcome", "by", "date", "note"} -> 201.
Result<Response> PostPlanDecision(Call& c) {
  VIGIL_ASSIGN_OR_RETURN(JsonBody b, JsonBody::Parse(c.req.body));
  VIGIL_ASSIGN_OR_RETURN(std::string point, b.String("point", true, 32));
  VIGIL_ASSIGN_OR_RETURN(std::string outcome, b.String("outcome", true, 32));
  VIGIL_ASSIGN_OR_RETURN(app::DecisionInput d, DecisionFields(b));
  VIGIL_RETURN_IF_ERROR(b.Done());
  VIGIL_ASSIGN_OR_RETURN(plan::Decision dec, app::DecidePlanPoint(c.db, c.who, CaseRef(c), point, outcome, d));
  return JsonResponse(201, {{"decision", plan::ToJson(dec)}});
}

// {"to": stage, "by", "date", "note"} -> 201 with the stage decision.
Result<Response> PostPlanStage(Call& c) {
  VIGIL_ASSIGN_OR_RETURN(JsonBody b, JsonBody::Parse(c.req.body));
  VIGIL_ASSIGN_OR_RETURN(std::string to, b.String("to", true, 8));
  VIGIL_ASSIGN_OR_RETURN(app::DecisionInput d, DecisionFields(b));
  VIGIL_RETURN_IF_ERROR(b.Done());
  VIGIL_ASSIGN_OR_RETURN(plan::Decision dec, app::TransitionStage(c.db, c.who, CaseRef(c), to, d));
  return JsonResponse(201, {{"decision", plan::ToJson(dec)}});
}

// {"target": LOE or task id, "status", "note", "as_of"} -> 201.
Result<Response> PostExecutionStatus(Call& c) {
  VIGIL_ASSIGN_OR_RETURN(JsonBody b, JsonBody::Parse(c.req.body));
  plan::StatusEntry s;
  VIGIL_ASSIGN_OR_RETURN(s.target, b.String("target", true, 32));
  VIGIL_ASSIGN_OR_RETURN(s.status, b.String("status", true, 32));
  VIGIL_ASSIGN_OR_RETURN(s.note, b.String("note", false, 4000));
  VIGIL_ASSIGN_OR_RETURN(s.as_of, b.String("as_of", false, 10));
  VIGIL_RETURN_IF_ERROR(b.Done());
  VIGIL_ASSIGN_OR_RETURN(plan::StatusEntry stored, app::RecordExecutionStatus(c.db, c.who, CaseRef(c), s));
  return JsonResponse(201, {{"status", plan::ToJson(stored)}});
}

// ---- monitoring: watchlist, alerts, events ---------------------------------------------

Result<Response> WatchlistHandler(Call& c) {
  VIGIL_ASSIGN_OR_RETURN(auto q, QueryParams(c.req, {"as_of", "months", "top", "forecast"}));
  app::WatchlistRequest req;
  if (auto it = q.find("as_of"); it != q.end()) {
    auto d = ParseDate(it->second);
    if (!d.ok()) return d.status().WithContext("as_of");
    req.as_of = *d;
  }
  VIGIL_ASSIGN_OR_RETURN(auto months, IntParam(q, "months", 1, 600));
  VIGIL_ASSIGN_OR_RETURN(auto top, IntParam(q, "top", 0, 1000));
  VIGIL_ASSIGN_OR_RETURN(auto forecast, IntParam(q, "forecast", 1, INT64_MAX));
  if (months) req.months = static_cast<int>(*months);
  if (top) req.top = static_cast<int>(*top);
  if (forecast) req.forecast = *forecast;
  VIGIL_ASSIGN_OR_RETURN(report::LiveWatchlist w, app::BuildWatchlist(c.db, c.who, req));
  return JsonResponse(200, {{"watchlist", report::LiveWatchlistJson(w)}});
}

Result<Response> ListAlertsHandler(Call& c) {
  VIGIL_ASSIGN_OR_RETURN(auto q, QueryParams(c.req, {"status", "country", "since", "until", "detector", "limit"}));
  store::AlertFilter f;
  if (auto it = q.find("status"); it != q.end()) {
    VIGIL_ASSIGN_OR_RETURN(f.statuses, app::AlertStatusFilter(it->second, "status"));
  }
  if (auto it = q.find("country"); it != q.end()) {
    auto country = CountryParam(it->second, "country");
    if (!country.ok()) return Status::InvalidArgument(country.status().message());
    f.gw = {(*country)->gw};
  }
  for (const char* name : {"since", "until"}) {
    auto it = q.find(name);
    if (it == q.end()) continue;
    auto m = ParseMonth(it->second);
    if (!m.ok()) return m.status().WithContext(name);
    (std::string_view(name) == "since" ? f.since : f.until) = *m;
  }
  if (auto it = q.find("detector"); it != q.end()) f.detectors = {it->second};
  VIGIL_ASSIGN_OR_RETURN(auto limit, IntParam(q, "limit", 1, 10000));
  VIGIL_ASSIGN_OR_RETURN(std::vector<store::AlertRecord> alerts, app::ListAlerts(c.db, c.who, f));
  const std::size_t n = std::min<std::size_t>(alerts.size(), limit ? *limit : 1000);
  json out = json::array();
  for (std::size_t i = 0; i < n; ++i) out.push_back(app::ToJson(alerts[i]));
  return JsonResponse(200, {{"total", alerts.size()}, {"alerts", std::move(out)}});
}

Result<std::int64_t> AlertId(const Call& c) {
  const std::string& t = c.params.at("id");
  std::int64_t id = 0;
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), id);
  if (ec != std::errc() || end != t.data() + t.size() || id < 1) {
    return Status::NotFound("no alert " + t.substr(0, 40));
  }
  return id;
}

json AlertDetailJson(const app::AlertDetail& d) {
  json j = app::ToJson(d.alert);
  json ev = json::array();
  for (const auto& e : d.evidence) ev.push_back(app::ToJson(e));
  j["evidence"] = std::move(ev);
  return j;
}

Result<Response> ReadAlertHandler(Call& c) {
  VIGIL_RETURN_IF_ERROR(QueryParams(c.req, {}).status());
  VIGIL_ASSIGN_OR_RETURN(std::int64_t id, AlertId(c));
  VIGIL_ASSIGN_OR_RETURN(app::AlertDetail d, app::ReadAlert(c.db, c.who, id));
  return JsonResponse(200, {{"alert", AlertDetailJson(d)}});
}

// Triage: {"status": "acknowledged"|"dismissed"|"new", "reason": ..., "revision": N}.
Result<Response> PatchAlert(Call& c) {
  VIGIL_ASSIGN_OR_RETURN(std::int64_t id, AlertId(c));
  VIGIL_ASSIGN_OR_RETURN(JsonBody b, JsonBody::Parse(c.req.body));
  VIGIL_ASSIGN_OR_RETURN(std::string status, b.String("status", true, 32));
  VIGIL_ASSIGN_OR_RETURN(std::string reason, b.String("reason", false, 4000));
  VIGIL_ASSIGN_OR_RETURN(std::optional<std::int64_t> revision, b.Int("revision", 1, 1'000'000'000));
  VIGIL_RETURN_IF_ERROR(b.Done());
  if (!store::IsAlertStatus(status)) {
    return Status::InvalidArgument("status: must be new, acknowledged or dismissed");
  }
  if (!revision) return Status::InvalidArgument("revision: required (the revision of the alert you read)");
  auto stored = app::TriageAlerts(c.db, c.who, {id}, status, reason, static_cast<int>(*revision));
  if (!stored.ok() && stored.status().code() == Status::Code::kAborted) {
    VIGIL_ASSIGN_OR_RETURN(app::AlertDetail now, app::ReadAlert(c.db, c.who, id));
    return Conflict(stored.status(), app::ToJson(now.alert));
  }
  VIGIL_RETURN_IF_ERROR(stored.status());
  return JsonResponse(200, {{"alert", app::ToJson(stored->front())}});
}

Result<Response> CountryEventsHandler(Call& c) {
  VIGIL_ASSIGN_OR_RETURN(auto q, QueryParams(c.req, {"month", "limit"}));
  VIGIL_ASSIGN_OR_RETURN(const Country* country, CountryParam(c.params.at("country"), "country"));
  auto it = q.find("month");
  if (it == q.end()) return Status::InvalidArgument("month: required (YYYY-MM)");
  auto month = ParseMonth(it->second);
  if (!month.ok()) return month.status().WithContext("month");
  VIGIL_ASSIGN_OR_RETURN(auto limit, IntParam(q, "limit", 1, 10000));
  VIGIL_ASSIGN_OR_RETURN(app::MonthEvents m,
                         app::EventsOfMonth(c.db, c.who, country->gw, *month, limit ? *limit : 500));
  return JsonResponse(200, app::ToJson(m));
}

const char* kHomePage = R"html(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>vigil</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:48rem;margin:3rem auto;padding:0 1rem;color:#1b1f24}
code{background:#f0f2f4;padding:0 .25rem}h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem}
label{display:block;margin:.5rem 0}input{font:inherit;padding:.3rem;width:18rem;max-width:100%}
button{font:inherit;padding:.3rem .9rem}table{border-collapse:collapse;width:100%}
td,th{text-align:left;padding:.25rem .5rem;border-bottom:1px solid #d8dde3}#msg{color:#a4161a}
footer{margin-top:2.5rem;font-size:.9rem;color:#57606a}</style>
<script src="/app.js" defer></script></head>
<body><h1>vigil</h1>
<p>Atrocity early warning and response planning. This server answers the team's JSON API; the
full web interface comes with the next release. Log in to open the products of the main job:
the watchlist, backtests, and the briefing products of the demo case.</p>
<form id="login"><label>User name <input name="username" autocomplete="username" required></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">Log in</button><p id="msg" role="status"></p></form>
<section id="signed-in" hidden><p>Logged in as <b id="who"></b>. <button id="logout" type="button">Log out</button></p>
<h2>Products</h2><p id="products-msg" role="status"></p>
<table><thead><tr><th>file</th><th>size</th><th>written</th></tr></thead><tbody id="list"></tbody></table></section>
<footer>API: <a href="/api/v1/openapi.json">OpenAPI 3 description</a> &middot; <a href="/healthz">health</a>.
Scripts log in with <code>POST /api/v1/session</code> and send the returned <code>csrf_token</code> as
<code>X-CSRF-Token</code> with every change.</footer>
</body></html>
)html";

// The home page may run its one script (/app.js) and call the API; nothing else.
constexpr const char* kHomeCsp =
    "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; form-action 'none'; "
    "frame-ancestors 'none'; base-uri 'none'";
// A product (HTML report, SVG chart) shows with its own inline styles, never runs scripts.
constexpr const char* kProductCsp =
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'";

// Read responses of case routes, per worker thread, valid while the store
// has not changed (store::Db::Stamp): a case file, plan or option list is
// the same for every member allowed to read it, and building one from the
// store costs milliseconds, where serving it again costs microseconds. Any
// committed write anywhere in the store invalidates every entry; entries
// are only ever served after the request's own authentication and
// authorization. Bounded: cleared when it holds 64 MiB or 512 entries.
class ReadCache {
 public:
  const Response* Find(const store::Db& db, const std::string& key, const store::Db::ChangeStamp& stamp) {
    if (db.serial() != serial_ || !(stamp == stamp_)) return nullptr;
    auto it = entries_.find(key);
    return it == entries_.end() ? nullptr : &it->second;
  }
  void Put(const store::Db& db, const std::string& key, const store::Db::ChangeStamp& stamp, const Response& r) {
    if (db.serial() != serial_ || !(stamp == stamp_)) {
      entries_.clear();
      bytes_ = 0;
      serial_ = db.serial();
      stamp_ = stamp;
    }
    if (entries_.size() >= 512 || bytes_ + r.body.size() > (64u << 20)) {
      entries_.clear();
      bytes_ = 0;
    }
    bytes_ += r.body.size();
    entries_[key] = r;
  }

 private:
  std::uint64_t serial_ = 0;
  store::Db::ChangeStamp stamp_;
  std::map<std::string, Response> entries_;
  std::size_t bytes_ = 0;
};

thread_local ReadCache t_read_cache;

Result<Response> Home(Call&) {
  Response r;
  r.content_type = "text/html; charset=utf-8";
  r.body = kHomePage;
  r.headers.emplace_back("Content-Security-Policy", kHomeCsp);
  return r;
}

Result<Response> AppScript(Call&) {
  VIGIL_ASSIGN_OR_RETURN(std::string_view js, catalog::FindEmbedded("app.js"));
  Response r;
  r.content_type = "text/javascript; charset=utf-8";
  r.body = std::string(js);
  return r;
}

json ToJson(const ProductFile& p) {
  return {{"name", p.name}, {"content_type", p.content_type}, {"attachment", p.attachment},
          {"bytes", p.bytes}, {"modified", p.modified}};
}

Result<Response> ListProductsHandler(Call& c) {
  VIGIL_RETURN_IF_ERROR(QueryParams(c.req, {}).status());
  VIGIL_ASSIGN_OR_RETURN(std::vector<ProductFile> list, ListProducts(c.options.products_dir));
  json out = json::array();
  for (const auto& p : list) out.push_back(ToJson(p));
  return JsonResponse(200, {{"products", std::move(out)}});
}

// The file itself: shown (HTML, SVG, PDF) or downloaded (CSV, XLSX) under
// its own plain name.
Result<Response> ProductHandler(Call& c) {
  VIGIL_RETURN_IF_ERROR(QueryParams(c.req, {}).status());
  VIGIL_ASSIGN_OR_RETURN(auto file, ReadProduct(c.options.products_dir, c.params.at("name")));
  Response r;
  r.content_type = file.first.content_type;
  r.body = std::move(file.second);
  r.headers.emplace_back("Content-Disposition",
                         std::string(file.first.attachment ? "attachment" : "inline") + "; filename=\"" +
                             file.first.name + "\"");
  r.headers.emplace_back("Content-Security-Policy", kProductCsp);
  return r;
}

}  // namespace

std::string Request::Header(std::string_view name) const {
  auto it = headers.find(std::string(name));
  return it == headers.end() ? std::string() : it->second;
}

Result<JsonBody> JsonBody::Parse(std::string_view text) {
  if (text.size() > kMaxBodyBytes) return Status::InvalidArgument("body: larger than 1 MiB");
  VIGIL_RETURN_IF_ERROR(CheckJsonDepth(text, "body"));
  JsonBody b;
  b.j_ = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (b.j_.is_discarded()) return Status::InvalidArgument("body: not valid JSON");
  if (!b.j_.is_object()) return Status::InvalidArgument("body: must be a JSON object");
  return b;
}

Result<std::string> JsonBody::String(const std::string& key, bool required, std::size_t max_len) {
  seen_.push_back(key);
  auto it = j_.find(key);
  if (it == j_.end() || it->is_null()) {
    if (required) return Status::InvalidArgument(key + ": required");
    return std::string();
  }
  if (!it->is_string()) return Status::InvalidArgument(key + ": must be a string");
  const std::string& s = it->get_ref<const std::string&>();
  if (s.size() > max_len) return Status::InvalidArgument(fmt::format("{}: at most {} bytes", key, max_len));
  if (required && s.empty()) return Status::InvalidArgument(key + ": must not be empty");
  return s;
}

Result<std::optional<bool>> JsonBody::Bool(const std::string& key) {
  seen_.push_back(key);
  auto it = j_.find(key);
  if (it == j_.end() || it->is_null()) return std::optional<bool>();
  if (!it->is_boolean()) return Status::InvalidArgument(key + ": must be true or false");
  return std::optional<bool>(it->get<bool>());
}

Result<std::optional<std::int64_t>> JsonBody::Int(const std::string& key, std::int64_t lo, std::int64_t hi) {
  seen_.push_back(key);
  auto it = j_.find(key);
  if (it == j_.end() || it->is_null()) return std::optional<std::int64_t>();
  VIGIL_ASSIGN_OR_RETURN(std::int64_t v, JsonAs<std::int64_t>(*it, key, lo, hi));
  return std::optional<std::int64_t>(v);
}

Status JsonBody::Done() const {
  for (const auto& [k, v] : j_.items()) {
    if (std::find(seen_.begin(), seen_.end(), k) == seen_.end()) {
      std::string known;
      for (const auto& s : seen_) known += (known.empty() ? "" : ", ") + s;
      return Status::InvalidArgument(fmt::format("{}: unknown field (fields: {})", k.substr(0, 64), known));
    }
  }
  return Status::Ok();
}

Result<std::optional<std::string>> JsonBody::OptString(const std::string& key, std::size_t max_len) {
  seen_.push_back(key);
  auto it = j_.find(key);
  if (it == j_.end() || it->is_null()) return std::optional<std::string>();
  if (!it->is_string()) return Status::InvalidArgument(key + ": must be a string");
  const std::string& s = it->get_ref<const std::string&>();
  if (s.size() > max_len) return Status::InvalidArgument(fmt::format("{}: at most {} bytes", key, max_len));
  return std::optional<std::string>(s);
}

Result<std::optional<std::vector<std::string>>> JsonBody::StringList(const std::string& key, std::size_t max_items,
                                                                     std::size_t max_len) {
  seen_.push_back(key);
  auto it = j_.find(key);
  if (it == j_.end() || it->is_null()) return std::optional<std::vector<std::string>>();
  if (!it->is_array()) return Status::InvalidArgument(key + ": must be an array of strings");
  if (it->size() > max_items) return Status::InvalidArgument(fmt::format("{}: at most {} entries", key, max_items));
  std::vector<std::string> out;
  for (std::size_t i = 0; i < it->size(); ++i) {
    const json& v = (*it)[i];
    if (!v.is_string()) return Status::InvalidArgument(fmt::format("{}[{}]: must be a string", key, i));
    if (v.get_ref<const std::string&>().size() > max_len) {
      return Status::InvalidArgument(fmt::format("{}[{}]: at most {} bytes", key, i, max_len));
    }
    out.push_back(v.get<std::string>());
  }
  return std::optional<std::vector<std::string>>(std::move(out));
}

Response JsonResponse(int status, const nlohmann::json& body) {
  Response r;
  r.status = status;
  r.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  return r;
}

Response ErrorResponse(const Status& s) {
  const int status = HttpStatus(s.code());
  json err = {{"status", status}, {"code", ApiCode(s.code())}};
  if (status == 500) {
    err["message"] = "internal error; the server log has the detail";
  } else {
    err["message"] = s.message();
    const std::string field = FieldOfMessage(s.message());
    if (!field.empty()) err["field"] = field;
  }
  return JsonResponse(status, {{"error", err}});
}

Api::Api(Options options) : options_(std::move(options)) {
  routes_ = {
      {"GET", "/", "public", Home},
      {"GET", "/healthz", "public", Healthz},
      {"GET", "/app.js", "public", AppScript},
      {"GET", "/api/v1/openapi.json", "public", OpenApi},
      {"POST", "/api/v1/session", "public", Login},
      {"GET", "/api/v1/session", "session.self", WhoAmI},
      {"DELETE", "/api/v1/session", "session.self", LogoutHandler},
      {"PUT", "/api/v1/session/password", "session.self", ChangePasswordHandler},
      {"GET", "/api/v1/tokens", "token.manage_own", ListTokens},
      {"POST", "/api/v1/tokens", "token.manage_own", CreateToken},
      {"DELETE", "/api/v1/tokens/{id}", "token.manage_own", RevokeToken},
      {"GET", "/api/v1/users", "user.manage", ListUsersHandler},
      {"POST", "/api/v1/users", "user.manage", AddUserHandler},
      {"PATCH", "/api/v1/users/{username}", "user.manage", EditUserHandler},
      {"GET", "/api/v1/cases", "case.list", ListCasesHandler},
      {"POST", "/api/v1/cases", "case.create", CreateCaseHandler},
      {"GET", "/api/v1/cases/{case}", "case.read", ReadCase},
      {"PATCH", "/api/v1/cases/{case}", "case.edit", PatchCase},
      {"GET", "/api/v1/cases/{case}/history", "case.history", CaseHistoryHandler},
      {"GET", "/api/v1/cases/{case}/members", "case.read", ListMembers},
      {"PUT", "/api/v1/cases/{case}/members/{username}", "case.members.manage", PutMember},
      {"DELETE", "/api/v1/cases/{case}/members/{username}", "case.members.manage", DeleteMember},
      {"POST", "/api/v1/cases/{case}/actors", "case.assess", PostActor},
      {"POST", "/api/v1/cases/{case}/actors/{actor}/roles", "case.assess", PostActorRole},
      {"POST", "/api/v1/cases/{case}/assessment", "case.assess", PostAssessmentEntry},
      {"POST", "/api/v1/cases/{case}/scores", "case.assess", PostMajorityScore},
      {"POST", "/api/v1/cases/{case}/dissents", "case.dissent", PostDissent},
      {"GET", "/api/v1/cases/{case}/options", "case.read", ListOptionsHandler},
      {"POST", "/api/v1/cases/{case}/options/generate", "options.edit", GenerateOptionsHandler},
      {"GET", "/api/v1/cases/{case}/options/{number}", "case.read", ReadOptionHandler},
      {"PATCH", "/api/v1/cases/{case}/options/{number}", "options.edit", PatchOption},
      {"POST", "/api/v1/cases/{case}/options/{number}/decision", "options.approve", PostOptionDecisionHandler},
      {"POST", "/api/v1/cases/{case}/options/{number}/review", "options.approve", PostOptionReviewHandler},
      {"POST", "/api/v1/cases/{case}/options/{number}/opinions", "case.dissent", PostOpinion},
      {"GET", "/api/v1/cases/{case}/decisions", "case.read", ListDecisionsHandler},
      {"GET", "/api/v1/cases/{case}/policy", "case.read", ReadPolicyHandler},
      {"POST", "/api/v1/cases/{case}/policy", "policy.edit", PostPolicyDraft},
      {"POST", "/api/v1/cases/{case}/policy/approval", "policy.approve", PostPolicyApproval},
      {"GET", "/api/v1/cases/{case}/plan", "case.read", ReadPlanHandler},
      {"POST", "/api/v1/cases/{case}/plan", "plan.edit", PostPlan},
      {"PATCH", "/api/v1/cases/{case}/plan/tasks/{task}", "plan.edit", PatchTask},
      {"POST", "/api/v1/cases/{case}/plan/decisions", "plan.approve", PostPlanDecision},
      {"POST", "/api/v1/cases/{case}/plan/stage", "plan.approve", PostPlanStage},
      {"POST", "/api/v1/cases/{case}/plan/statuses", "plan.execution", PostExecutionStatus},
      {"GET", "/api/v1/products", "products.read", ListProductsHandler},
      {"GET", "/products/{name}", "products.read", ProductHandler},
      {"GET", "/api/v1/watchlist", "monitor.read", WatchlistHandler},
      {"GET", "/api/v1/alerts", "monitor.read", ListAlertsHandler},
      {"GET", "/api/v1/alerts/{id}", "monitor.read", ReadAlertHandler},
      {"PATCH", "/api/v1/alerts/{id}", "alerts.triage", PatchAlert},
      {"GET", "/api/v1/countries/{country}/events", "monitor.read", CountryEventsHandler},
  };
  for (const auto& r : routes_) {
    assert((r.action == "public" || app::AccessPolicy::Default().Find(r.action)) &&
           "every route names an action of catalog/access_policy.json");
    (void)r;
  }
}

Response Api::Handle(store::Db& db, const Request& req, std::int64_t now) const {
  return Dispatch(db, req, nullptr, now);
}

Response Api::HandleAs(store::Db& db, const Request& req, const Principal& who, std::int64_t now) const {
  return Dispatch(db, req, &who, now);
}

Response Api::Dispatch(store::Db& db, const Request& req, const Principal* as, std::int64_t now) const {
  const std::string path = PathOf(req.target);
  const Route* route = nullptr;
  std::map<std::string, std::string> params;
  std::string allow;
  for (const auto& r : routes_) {
    std::map<std::string, std::string> p;
    if (!Match(r.pattern, path, &p)) continue;
    if (r.method != req.method && !(req.method == "HEAD" && r.method == "GET")) {
      allow += (allow.empty() ? "" : ", ") + r.method;
      continue;
    }
    route = &r;
    params = std::move(p);
    break;
  }
  if (!route) {
    if (!allow.empty()) {
      Response r = JsonResponse(405, {{"error", {{"status", 405}, {"code", "method_not_allowed"},
                                                 {"message", req.method.substr(0, 16) + " is not allowed here (allowed: " +
                                                                 allow + ")"}}}});
      r.headers.emplace_back("Allow", allow);
      r.route = "(method)";
      return r;
    }
    Response r = ErrorResponse(Status::NotFound("no such route"));
    r.route = "(none)";
    return r;
  }
  auto finish = [&](Result<Response> res, std::int64_t uid) {
    Response r = res.ok() ? std::move(res).value() : ErrorResponse(res.status());
    r.route = route->pattern;
    if (r.user_id == 0) r.user_id = uid;
    return r;
  };
  if (!req.body.empty() && req.Header("content-type").rfind("application/json", 0) != 0) {
    Response r = JsonResponse(415, {{"error", {{"status", 415}, {"code", "unsupported_media_type"},
                                               {"message", "Content-Type: a request body must be application/json"},
                                               {"field", "Content-Type"}}}});
    r.route = route->pattern;
    return r;
  }
  Principal who;
  std::string session_token;
  if (as) {
    who = *as;
  } else if (route->action != "public") {
    const std::string auth = req.Header("authorization");
    if (auth.rfind("Bearer ", 0) == 0) {
      // A personal API token: not sent by browsers on their own, so no CSRF check.
      auto p = app::ResolveApiToken(db, auth.substr(7), now);
      if (!p.ok()) return finish(p.status(), 0);
      who = *p;
    } else {
      session_token = CookieValue(req.Header("cookie"), kSessionCookie);
      if (session_token.empty()) {
        return finish(Status::Unauthenticated("log in first: POST /api/v1/session"), 0);
      }
      auto p = app::ResolveSession(db, session_token, now);
      if (!p.ok()) return finish(p.status(), 0);
      who = *p;
      if (IsUnsafe(req.method)) {
        const std::string csrf = req.Header("x-csrf-token");
        if (csrf.empty()) {
          return finish(Status::PermissionDenied("X-CSRF-Token: missing (send the csrf_token of the login)"), who.user_id);
        }
        Status ok = app::CheckCsrf(db, session_token, csrf);
        if (!ok.ok()) return finish(Status::PermissionDenied("X-CSRF-Token: does not match the session"), who.user_id);
      }
    }
  }
  Call call{db, req, who, std::move(params), std::nullopt, session_token, options_, now};
  if (route->action != "public") {
    const app::AccessPolicy::Action* action = app::AccessPolicy::Default().Find(route->action);
    if (action->case_scoped) {
      auto c = app::FindCaseFor(db, who, call.params.at("case"), route->action);
      if (!c.ok()) return finish(c.status(), who.user_id);
      call.kase = std::move(*c);
    } else {
      Status ok = app::Authorize(db, who, route->action);
      if (!ok.ok()) return finish(ok, who.user_id);
    }
  }
  // Case and monitoring reads are served from this thread's cache while the
  // store is unchanged (ReadCache), after authorization. A case read's key
  // has the case id; a monitoring read is the same for every reader.
  if (req.method == "GET" && (call.kase || route->action == "monitor.read")) {
    auto stamp = db.Stamp();
    if (stamp.ok()) {
      const std::string key = (call.kase ? std::to_string(call.kase->id) : "monitor") + " " + req.target;
      if (const Response* hit = t_read_cache.Find(db, key, *stamp)) return finish(*hit, who.user_id);
      Result<Response> res = route->handler(call);
      if (res.ok() && res->status == 200) t_read_cache.Put(db, key, *stamp, *res);
      return finish(std::move(res), who.user_id);
    }
  }
  // A failed request changes nothing: each service call is one transaction,
  // and a handler that makes several calls wraps them in one (they nest as
  // savepoints). There is no transaction around every request: a login's
  // failed attempt must stay recorded, and its password hash (~0.1 s) must
  // not hold the store's write lock.
  return finish(route->handler(call), who.user_id);
}

}  // namespace vigil::server
