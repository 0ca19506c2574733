// libFuzzer harness of the HTTP API's request decoder (server/api.h): the
// route match, path parameters, query, Content-Type check and the strict
// JSON body of every route, through the handlers into the service layer, on
// a store holding the fictional demo case (options, plan, scores).
//
// Input: the first line is "METHOD TARGET", the rest is the body (sent as
// application/json). Requests act as the local operator (Api::HandleAs), so
// that every route is reached past authorization; routes that hash a
// password (login, adding a user or setting a password: argon2id, ~0.1 s)
// are skipped, they would only slow the fuzzer. Each input starts from a
// page-for-page copy of the prepared store (SQLite's backup API).
//
// Properties checked: a known HTTP status; a JSON response body that parses
// and, for an error, names its status and code; a 5xx never happens.
#include <sqlite3.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/cli.h"
#include "core/embedded.h"
#include "fuzz/fuzz_util.h"
#include "server/api.h"
#include "store/db.h"

namespace {

std::unique_ptr<vigil::store::Db> PreparedOrTrap() {
  auto db = vigil::store::Db::Open(":memory:");
  if (!db.ok()) __builtin_trap();
  auto demo = vigil::catalog::FindEmbedded("demo_case.json");
  if (!demo.ok() || !vigil::cli::LoadCaseDocument(**db, *demo, "catalog/demo_case.json").ok()) __builtin_trap();
  return std::move(db).value();
}

// The server's options as `vigil serve` sets them (the embedded OpenAPI
// description served compact).
vigil::server::Options ServeOptions() {
  vigil::server::Options o;
  auto doc = vigil::catalog::FindEmbedded("openapi.yaml");
  if (!doc.ok()) __builtin_trap();
  o.openapi_json = nlohmann::json::parse(*doc).dump();
  return o;
}

bool HashesAPassword(const std::string& method, const std::string& target) {
  return (method == "POST" && target.rfind("/api/v1/session", 0) == 0) ||
         ((method == "POST" || method == "PATCH") && target.rfind("/api/v1/users", 0) == 0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace vigil;
  static const auto pristine = PreparedOrTrap();
  static const auto db = PreparedOrTrap();
  static const server::Api api(ServeOptions());
  static const Principal local{0, "local:fuzz", "", true};

  const std::string text(reinterpret_cast<const char*>(data), size);
  const std::size_t eol = text.find('\n');
  const std::string line = text.substr(0, eol);
  const std::size_t sp = line.find(' ');
  if (sp == std::string::npos) return 0;
  server::Request req;
  req.method = line.substr(0, sp);
  req.target = line.substr(sp + 1);
  req.body = eol == std::string::npos ? "" : text.substr(eol + 1);
  req.client = "127.0.0.1";
  if (!req.body.empty()) req.headers["content-type"] = "application/json";
  if (HashesAPassword(req.method, req.target)) return 0;

  sqlite3_backup* copy = sqlite3_backup_init(db->handle(), "main", pristine->handle(), "main");
  if (copy == nullptr || sqlite3_backup_step(copy, -1) != SQLITE_DONE || sqlite3_backup_finish(copy) != SQLITE_OK) {
    __builtin_trap();
  }
  const server::Response r = api.HandleAs(*db, req, local, 1'800'000'000);
  VIGIL_FUZZ_CHECK(r.status >= 200 && r.status < 500);
  if (r.content_type == "application/json") {
    const auto j = nlohmann::json::parse(r.body, nullptr, false);
    VIGIL_FUZZ_CHECK(!j.is_discarded());
    if (r.status >= 400) {
      VIGIL_FUZZ_CHECK(j.contains("error") && j["error"].value("status", 0) == r.status &&
                       !j["error"].value("code", std::string()).empty());
    }
  }
  return 0;
}
