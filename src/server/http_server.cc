#include "server/http_server.h"

// GCC 12 with Boost 1.74: asio uses std::exchange without including <utility>.
#include <utility>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <fmt/format.h>

#include <atomic>
#include <cctype>
#include <charconv>
#include <csignal>
#include <ctime>
#include <iostream>
#include <list>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "store/db.h"

namespace vigil::server {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr std::size_t kMaxHeaderBytes = 16 * 1024;
constexpr int kMaxConnections = 1024;
constexpr std::chrono::seconds kDrainLimit{10};

thread_local store::Db* t_db = nullptr;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string UtcStamp() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// Headers every response carries (OWASP secure headers for an API).
void SecurityHeaders(http::response<http::string_body>& res, bool html) {
  res.set("X-Content-Type-Options", "nosniff");
  res.set(http::field::cache_control, "no-store");
  res.set("Referrer-Policy", "no-referrer");
  res.set("X-Frame-Options", "DENY");
  res.set("Cross-Origin-Resource-Policy", "same-origin");
  res.set("Content-Security-Policy",
          html ? "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'"
               : "default-src 'none'; frame-ancestors 'none'");
  res.set(http::field::server, "vigil");
}

}  // namespace

struct HttpServer::Impl {
  Impl(ServerConfig c, const Api& a) : cfg(std::move(c)), api(a), acceptor(ioc), signals(ioc), drain_timer(ioc) {}

  class Connection;
  void Accept();
  void BeginDrain();
  void PollDrain(std::chrono::steady_clock::time_point deadline);
  void Log(const std::string& line) {
    if (cfg.log) {
      cfg.log(line);
    } else {
      static std::mutex mu;
      std::lock_guard<std::mutex> lock(mu);
      std::cerr << line << "\n";
    }
  }

  ServerConfig cfg;
  const Api& api;
  asio::io_context ioc;
  tcp::acceptor acceptor;
  asio::signal_set signals;
  asio::steady_timer drain_timer;
  std::atomic<int> active{0};
  std::atomic<bool> draining{false};
  std::mutex conns_mu;
  std::list<std::weak_ptr<Connection>> conns;
};

class HttpServer::Impl::Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(tcp::socket socket, Impl& srv) : socket_(std::move(socket)), timer_(socket_.get_executor()), srv_(srv) {
    ++srv_.active;
  }
  ~Connection() { --srv_.active; }

  void Start() {
    beast::error_code ec;
    const auto peer = socket_.remote_endpoint(ec);
    client_ = ec ? std::string("?") : peer.address().to_string();
    Read();
  }

  // On drain: a connection waiting for a next request is closed now; one in
  // the middle of a request finishes it first.
  void CloseIfIdle() {
    asio::post(socket_.get_executor(), [self = shared_from_this()] {
      if (!self->busy_ && !(self->parser_ && self->parser_->got_some())) self->Close();
    });
  }

 private:
  void Read() {
    parser_.emplace();
    parser_->header_limit(kMaxHeaderBytes);
    parser_->body_limit(kMaxBodyBytes);
    timed_out_ = false;
    busy_ = false;
    timer_.expires_after(srv_.cfg.request_timeout);
    timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (ec) return;  // cancelled: the request arrived
      self->timed_out_ = true;
      beast::error_code ignored;
      self->socket_.cancel(ignored);
    });
    http::async_read(socket_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnRead(ec); });
  }

  void OnRead(beast::error_code ec) {
    timer_.cancel();
    if (!ec) return Handle(parser_->release());
    const bool partial = parser_->got_some() || buffer_.size() > 0;
    if (timed_out_) {
      if (!partial) return Close();  // an idle keep-alive connection
      return SendError(408, "request_timeout",
                       fmt::format("the request did not arrive within {} s",
                                   std::chrono::duration_cast<std::chrono::seconds>(srv_.cfg.request_timeout).count()));
    }
    if (ec == http::error::end_of_stream || !partial) return Close();
    if (ec == http::error::body_limit) return SendError(413, "payload_too_large", "body: larger than 1 MiB");
    if (ec == http::error::header_limit) {
      return SendError(431, "header_too_large", "headers: larger than 16 KiB");
    }
    return SendError(400, "bad_request", "not a valid HTTP/1.1 request: " + ec.message());
  }

  void Handle(http::request<http::string_body> req) {
    busy_ = true;
    const auto start = std::chrono::steady_clock::now();
    Request r;
    r.method = std::string(req.method_string().data(), req.method_string().size());
    r.target = std::string(req.target().data(), req.target().size());
    r.body = std::move(req.body());
    for (const auto& f : req) {
      const auto name = f.name_string();
      const auto value = f.value();
      r.headers.emplace(Lower(std::string_view(name.data(), name.size())), std::string(value.data(), value.size()));
    }
    r.client = client_;
    if (srv_.cfg.behind_proxy) {
      const std::string xff = r.Header("x-forwarded-for");
      const std::size_t comma = xff.rfind(',');
      std::string last = comma == std::string::npos ? xff : xff.substr(comma + 1);
      while (!last.empty() && last.front() == ' ') last.erase(0, 1);
      if (!last.empty()) r.client = last.substr(0, 64);
    }
    const std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                                 std::chrono::system_clock::now().time_since_epoch())
                                 .count();
    Response out = t_db ? srv_.api.Handle(*t_db, r, now) : ErrorResponse(Status::Internal("no store connection"));

    http::response<http::string_body> res{static_cast<http::status>(out.status), req.version()};
    SecurityHeaders(res, out.content_type.rfind("text/html", 0) == 0);
    res.set(http::field::content_type, out.content_type);
    for (const auto& [k, v] : out.headers) {
      // A route's own Content-Security-Policy replaces the default; other
      // headers (Set-Cookie) may repeat.
      if (k == "Content-Security-Policy") {
        res.set(k, v);
      } else {
        res.insert(k, v);
      }
    }
    res.keep_alive(req.keep_alive() && !srv_.draining);
    if (req.method() == http::verb::head) {
      res.content_length(out.body.size());
    } else {
      res.body() = std::move(out.body);
      res.prepare_payload();
    }
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    // The route pattern, never the path or query (they may hold names), and
    // the user id, never a name, token or address.
    srv_.Log(fmt::format("{} {} {} {} {:.1f}ms user={}", UtcStamp(), r.method.substr(0, 16), out.route, out.status,
                         ms, out.user_id));
    Write(std::move(res));
  }

  void SendError(int status, const std::string& code, const std::string& message) {
    busy_ = true;
    http::response<http::string_body> res{static_cast<http::status>(status), 11};
    SecurityHeaders(res, false);
    res.set(http::field::content_type, "application/json");
    res.body() = nlohmann::json{{"error", {{"status", status}, {"code", code}, {"message", message}}}}.dump();
    res.keep_alive(false);
    res.prepare_payload();
    srv_.Log(fmt::format("{} - (transport) {} 0.0ms user=0", UtcStamp(), status));
    linger_ = true;
    Write(std::move(res));
  }

  void Write(http::response<http::string_body> res) {
    res_ = std::make_shared<http::response<http::string_body>>(std::move(res));
    timer_.expires_after(srv_.cfg.request_timeout);
    timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (ec) return;
      beast::error_code ignored;
      self->socket_.cancel(ignored);
    });
    http::async_write(socket_, *res_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      self->timer_.cancel();
      const bool keep = !ec && self->res_->keep_alive() && !self->srv_.draining;
      self->res_.reset();
      if (!keep) return self->Close();
      self->Read();
    });
  }

  void Close() {
    beast::error_code ec;
    timer_.cancel();
    socket_.shutdown(tcp::socket::shutdown_send, ec);
    if (linger_) return Drain(0);
    socket_.close(ec);
  }

  // After an error response to a request that was not read to its end (an
  // oversized body, say): closing with unread input would reset the
  // connection and could destroy the response before the client reads it.
  // So read and discard what the client still sends, up to 8 MiB or 2 s,
  // then close.
  void Drain(std::size_t discarded) {
    if (discarded == 0) {
      timer_.expires_after(std::chrono::seconds(2));
      timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
        if (ec) return;
        beast::error_code ignored;
        self->socket_.close(ignored);
      });
    }
    socket_.async_read_some(asio::buffer(drain_buf_),
                            [self = shared_from_this(), discarded](beast::error_code ec, std::size_t n) {
                              if (ec || discarded + n > (8u << 20)) {
                                beast::error_code ignored;
                                self->timer_.cancel();
                                self->socket_.close(ignored);
                                return;
                              }
                              self->Drain(discarded + n);
                            });
  }

  tcp::socket socket_;
  asio::steady_timer timer_;
  Impl& srv_;
  // Larger than the header limit, so that oversized headers meet
  // header_limit (431) rather than the buffer's own limit.
  beast::flat_buffer buffer_{2 * kMaxHeaderBytes};
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<http::response<http::string_body>> res_;
  bool linger_ = false;
  std::array<char, 16384> drain_buf_{};
  std::string client_;
  bool timed_out_ = false;
  bool busy_ = false;
};

void HttpServer::Impl::Accept() {
  acceptor.async_accept(asio::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
    if (draining) return;
    if (!ec) {
      if (active.load() >= kMaxConnections) {
        socket.close(ec);
      } else {
        auto conn = std::make_shared<Connection>(std::move(socket), *this);
        {
          std::lock_guard<std::mutex> lock(conns_mu);
          conns.remove_if([](const std::weak_ptr<Connection>& w) { return w.expired(); });
          conns.push_back(conn);
        }
        conn->Start();
      }
    }
    if (acceptor.is_open()) Accept();
  });
}

void HttpServer::Impl::BeginDrain() {
  if (draining.exchange(true)) return;
  beast::error_code ec;
  acceptor.close(ec);
  signals.cancel(ec);
  {
    std::lock_guard<std::mutex> lock(conns_mu);
    for (auto& w : conns) {
      if (auto c = w.lock()) c->CloseIfIdle();
    }
  }
  PollDrain(std::chrono::steady_clock::now() + kDrainLimit);
}

void HttpServer::Impl::PollDrain(std::chrono::steady_clock::time_point deadline) {
  if (active.load() == 0 || std::chrono::steady_clock::now() >= deadline) {
    ioc.stop();
    return;
  }
  drain_timer.expires_after(std::chrono::milliseconds(20));
  drain_timer.async_wait([this, deadline](beast::error_code) { PollDrain(deadline); });
}

Status ParseListen(const std::string& text, ServerConfig* config) {
  const std::size_t colon = text.rfind(':');
  const auto bad = [&] {
    return Status::InvalidArgument("--listen: '" + text + "' is not ADDR:PORT (for example 127.0.0.1:8080 or [::1]:8080)");
  };
  if (colon == std::string::npos || colon == 0) return bad();
  std::string addr = text.substr(0, colon);
  const std::string port = text.substr(colon + 1);
  if (addr.size() > 2 && addr.front() == '[' && addr.back() == ']') addr = addr.substr(1, addr.size() - 2);
  unsigned value = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || ec != std::errc() || end != port.data() + port.size() || value > 65535) return bad();
  beast::error_code aec;
  asio::ip::make_address(addr, aec);
  if (aec) return Status::InvalidArgument("--listen: '" + addr + "' is not an IP address");
  config->address = addr;
  config->port = static_cast<std::uint16_t>(value);
  return Status::Ok();
}

HttpServer::HttpServer(ServerConfig config, const Api& api) : impl_(std::make_unique<Impl>(std::move(config), api)) {}
HttpServer::~HttpServer() = default;

void HttpServer::Stop() {
  asio::post(impl_->ioc, [impl = impl_.get()] { impl->BeginDrain(); });
}

Status HttpServer::Run(bool handle_signals) {
  Impl& s = *impl_;
  const int threads = std::max(1, s.cfg.threads);
  // One connection per worker, opened (and the store migrated) before the
  // first request.
  std::vector<std::unique_ptr<store::Db>> dbs;
  for (int i = 0; i < threads; ++i) {
    VIGIL_ASSIGN_OR_RETURN(auto db, store::Db::Open(s.cfg.db_path));
    dbs.push_back(std::move(db));
  }
  beast::error_code ec;
  const tcp::endpoint ep(asio::ip::make_address(s.cfg.address, ec), s.cfg.port);
  if (ec) return Status::InvalidArgument("--listen: '" + s.cfg.address + "' is not an IP address");
  s.acceptor.open(ep.protocol(), ec);
  if (!ec) s.acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) s.acceptor.bind(ep, ec);
  if (!ec) s.acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Status::IoError(fmt::format("cannot listen on {}:{}: {}", s.cfg.address, s.cfg.port, ec.message()));
  }
  if (handle_signals) {
    s.signals.add(SIGINT);
    s.signals.add(SIGTERM);
    s.signals.async_wait([&s](beast::error_code e, int) {
      if (!e) s.BeginDrain();
    });
  }
  s.Accept();
  if (s.cfg.on_listening) s.cfg.on_listening(s.acceptor.local_endpoint().port());
  std::vector<std::thread> pool;
  for (int i = 1; i < threads; ++i) {
    pool.emplace_back([&s, db = dbs[i].get()] {
      t_db = db;
      s.ioc.run();
      t_db = nullptr;
    });
  }
  t_db = dbs[0].get();
  s.ioc.run();
  t_db = nullptr;
  for (auto& t : pool) t.join();
  return Status::Ok();
}

}  // namespace vigil::server
