// `vigil serve`: HTTP/1.1 over Boost.Beast/Asio, feeding server::Api.
//
// Boost.Beast was chosen by measurement (wrk, 100 connections, a 2 KB JSON
// body on loopback, 2 cores): Beast 53.7k req/s p99 4.7 ms, nginx 57.3k,
// libmicrohttpd 17.6k p99 10.9 ms, cpp-httplib 3.0k p99 626 ms. See
// docs/server.md.
//
// Each worker thread owns one store connection (SQLite connections are
// single-threaded); all shared state (sessions, throttles) is in the store,
// so several servers can run on one database. Limits: headers 16 KiB, body
// 1 MiB (413), a request must arrive within `request_timeout` of its first
// byte wait (408), an idle keep-alive connection is closed after the same
// time. SIGINT/SIGTERM stop accepting, let requests in flight finish (at
// most 10 s) and return.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/status.h"
#include "server/api.h"

namespace vigil::server {

struct ServerConfig {
  std::string address = "127.0.0.1";
  std::uint16_t port = 8080;  // 0: any free port (see on_listening)
  int threads = 4;
  std::chrono::milliseconds request_timeout{10000};
  std::string db_path;
  // Behind a TLS reverse proxy (on loopback): Secure cookies and the client
  // address from the last X-Forwarded-For entry.
  bool behind_proxy = false;
  // Called once listening, with the port bound.
  std::function<void(std::uint16_t)> on_listening;
  // One line per request (method, route pattern, status, ms, user id); by
  // default to stderr.
  std::function<void(const std::string&)> log;
};

// Parses "ADDR:PORT" ("127.0.0.1:8080", "[::1]:8080"); InvalidArgument
// naming --listen otherwise.
Status ParseListen(const std::string& text, ServerConfig* config);

class HttpServer {
 public:
  HttpServer(ServerConfig config, const Api& api);
  ~HttpServer();
  // Serves until Stop() or SIGINT/SIGTERM (when `handle_signals`).
  Status Run(bool handle_signals = true);
  // Asks a running server to stop gracefully (thread-safe).
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace vigil::server
