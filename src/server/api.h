// The HTTP API of `vigil serve`, independent of the transport (server/
// http_server.h feeds it parsed requests): the route table, authentication
// (session cookie or API token), CSRF checks, strict JSON bodies, and the
// mapping of Status codes to HTTP statuses with JSON errors. Every route
// names one action of catalog/access_policy.json (or is public); handlers
// only decode, call the service layer (src/app) and encode.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "assess/case.h"
#include "core/principal.h"
#include "core/status.h"

namespace vigil::store {
class Db;
}

namespace vigil::server {

inline constexpr std::size_t kMaxBodyBytes = 1 << 20;  // 1 MiB per request body
inline constexpr const char* kSessionCookie = "vigil_session";

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string target;  // path and query as sent
  std::string body;
  std::string client;  // the peer address (or X-Forwarded-For behind a proxy)
  std::map<std::string, std::string> headers;  // names lower-case
  std::string Header(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // Set by the router for the request log: the route pattern (never the
  // path, which may hold names) and the caller's user id (0 if none).
  std::string route;
  std::int64_t user_id = 0;
};

struct Options {
  // Cookies get "Secure" (a TLS reverse proxy is in front).
  bool secure_cookies = false;
  // The OpenAPI description served at /api/v1/openapi.json.
  std::string openapi_json;
  // The directory whose products (server/products.h) logged-in users may
  // list and open; "" publishes none.
  std::string products_dir;
};

// A JSON request body read strictly: an object, every field of the right
// type, no field the route does not know (Done() names the first unknown
// one). Errors are InvalidArgument "FIELD: rule".
class JsonBody {
 public:
  static Result<JsonBody> Parse(std::string_view text);
  Result<std::string> String(const std::string& key, bool required, std::size_t max_len = 4096);
  Result<std::optional<bool>> Bool(const std::string& key);
  // A JSON integer in lo..hi (a float or a string is refused).
  Result<std::optional<std::int64_t>> Int(const std::string& key, std::int64_t lo, std::int64_t hi);
  // An optional string (nullopt when absent or null), at most max_len bytes.
  Result<std::optional<std::string>> OptString(const std::string& key, std::size_t max_len = 4096);
  // An array of at most max_items strings of at most max_len bytes each.
  Result<std::optional<std::vector<std::string>>> StringList(const std::string& key, std::size_t max_items = 100,
                                                             std::size_t max_len = 4096);
  Status Done() const;

 private:
  nlohmann::json j_ = nlohmann::json::object();
  std::vector<std::string> seen_;
};

// What a handler gets: the store of this thread, the caller, path
// parameters, and for case routes the case (already authorized).
struct Call {
  store::Db& db;
  const Request& req;
  const Principal& who;
  std::map<std::string, std::string> params;
  std::optional<assess::Case> kase;
  std::string session_token;  // the cookie's token, when authenticated by one
  const Options& options;
  std::int64_t now = 0;
};
using Handler = std::function<Result<Response>(Call&)>;

struct Route {
  std::string method;
  std::string pattern;  // "/api/v1/cases/{case}/history"
  std::string action;   // an access-policy action, or "public"
  Handler handler;
};

class Api {
 public:
  explicit Api(Options options);
  // Handles one request against `db` (the calling thread's connection).
  // Never throws; a failed request changes nothing.
  Response Handle(store::Db& db, const Request& req, std::int64_t now) const;
  // The same, acting as `who` without authentication or CSRF checks (for
  // the fuzz harness of the request decoder).
  Response HandleAs(store::Db& db, const Request& req, const Principal& who, std::int64_t now) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  Response Dispatch(store::Db& db, const Request& req, const Principal* as, std::int64_t now) const;
  Options options_;
  std::vector<Route> routes_;
};

// The error body and status of a Status: InvalidArgument 400,
// Unauthenticated 401, PermissionDenied 403, NotFound 404, AlreadyExists and
// Aborted 409, FailedPrecondition 409, Busy 503, anything else 500 (with
// a generic message; the detail goes to the log).
Response ErrorResponse(const Status& s);
Response JsonResponse(int status, const nlohmann::json& body);

}  // namespace vigil::server
