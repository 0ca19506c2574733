// `vigil serve`: the team server (server/http_server.h) over the store of
// --db. With --init-admin NAME it first creates that admin account when the
// store has no admin yet (password from $VIGIL_ADMIN_PASSWORD, else
// generated and printed once): what `make run` does for a newcomer.
#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>

#include "app/accounts.h"
#include "cli/cli.h"
#include "core/embedded.h"
#include "server/api.h"
#include "server/http_server.h"

namespace vigil::cli {
namespace {

struct ServeArgs {
  std::string listen = "127.0.0.1:8080";
  int threads = 4;
  int request_timeout_s = 10;
  bool behind_proxy = false;
  std::string init_admin;
  std::string products;  // --products DIR
};

Status InitAdmin(store::Db& db, const std::string& name, const Principal& who) {
  VIGIL_ASSIGN_OR_RETURN(std::vector<app::UserInfo> users, app::ListUsers(db, who));
  for (const auto& u : users) {
    if (u.role == "admin" && !u.disabled) {
      std::cerr << "serve: an admin account exists (" << u.username << "); --init-admin does nothing\n";
      return Status::Ok();
    }
  }
  const char* env = std::getenv("VIGIL_ADMIN_PASSWORD");
  const bool generated = !(env && *env);
  const std::string password = generated ? app::RandomToken() : std::string(env);
  VIGIL_ASSIGN_OR_RETURN(app::UserInfo u, app::AddUser(db, who, {name, "Administrator", "admin", password}));
  std::cout << fmt::format("serve: created the admin account '{}'", u.username);
  if (generated) {
    std::cout << " with the password (shown once; change it with vigil user reset-password):\n  " << password << "\n";
  } else {
    std::cout << " with the password of $VIGIL_ADMIN_PASSWORD\n";
  }
  return Status::Ok();
}

int RunServe(Context& ctx, const ServeArgs& a) {
  server::ServerConfig config;
  Status st = server::ParseListen(a.listen, &config);
  if (!st.ok()) return Fail(st);
  if (a.threads < 1 || a.threads > 256) return Fail(Status::InvalidArgument("--threads: must be 1..256"));
  if (a.request_timeout_s < 1 || a.request_timeout_s > 600) {
    return Fail(Status::InvalidArgument("--request-timeout: must be 1..600 seconds"));
  }
  config.threads = a.threads;
  config.request_timeout = std::chrono::seconds(a.request_timeout_s);
  config.behind_proxy = a.behind_proxy;
  config.db_path = ctx.db_path;
  {
    // Migrates the store and syncs the country table before any worker opens it.
    VIGIL_ASSIGN_OR_RETURN_CLI(store::Db * db, ctx.Db());
    if (!a.init_admin.empty()) {
      VIGIL_ASSIGN_OR_RETURN_CLI(Principal who, ctx.Who());
      st = InitAdmin(*db, a.init_admin, who);
      if (!st.ok()) return Fail(st);
    }
  }
  auto openapi = catalog::FindEmbedded("openapi.yaml");
  if (!openapi.ok()) return Fail(openapi.status());
  // The description is JSON (also YAML); served compact.
  auto doc = nlohmann::json::parse(*openapi, nullptr, false);
  if (doc.is_discarded()) return Fail(Status::Internal("docs/api/openapi.yaml is not valid JSON"));
  server::Options options;
  options.secure_cookies = a.behind_proxy;
  options.openapi_json = doc.dump();
  if (!a.products.empty()) options.products_dir = std::filesystem::absolute(a.products).string();
  server::Api api(options);
  const bool loopback = config.address == "127.0.0.1" || config.address == "::1";
  if (!loopback && !a.behind_proxy) {
    std::cerr << "serve: warning: listening on " << config.address
              << " without TLS; passwords and session cookies would cross the network in clear text. Put a TLS "
                 "reverse proxy in front (docs/server.md) and pass --behind-proxy.\n";
  }
  config.on_listening = [&](std::uint16_t port) {
    const std::string host = config.address.find(':') != std::string::npos ? "[" + config.address + "]" : config.address;
    std::cout << fmt::format("serve: listening on http://{}:{}/ (store {}); Ctrl-C stops\n", host, port,
                             ctx.db_path)
              << std::flush;
  };
  server::HttpServer http(config, api);
  st = http.Run();
  if (!st.ok()) return Fail(st);
  std::cerr << "serve: stopped\n";
  return kExitOk;
}

}  // namespace

void RegisterServe(CLI::App& app, Context& ctx) {
  auto a = std::make_shared<ServeArgs>();
  auto* cmd = app.add_subcommand("serve", "Serve the team's HTTP API (JSON under /api/v1) over the store of --db");
  cmd->add_option("--listen", a->listen, "Address and port, 127.0.0.1:8080 by default ([::1]:8080 for IPv6)");
  cmd->add_option("--threads", a->threads, "Worker threads, each with its own store connection (default 4)");
  cmd->add_option("--request-timeout", a->request_timeout_s,
                  "Seconds a request may take to arrive, and an idle connection may stay open (default 10)");
  cmd->add_flag("--behind-proxy", a->behind_proxy,
                "A TLS reverse proxy forwards to vigil: mark cookies Secure and take the client address from "
                "X-Forwarded-For");
  cmd->add_option("--init-admin", a->init_admin,
                  "Create this admin account first if the store has none (password from $VIGIL_ADMIN_PASSWORD, "
                  "else generated and printed once)");
  cmd->add_option("--products", a->products,
                  "Publish the files of this directory (the main job's ./out: reports, CSV, XLSX, charts) to "
                  "logged-in users at /products/NAME")
      ->check(CLI::ExistingDirectory);
  cmd->callback([&ctx, a] { SetExit(RunServe(ctx, *a)); });
}

}  // namespace vigil::cli
