// vigil-load: a bounded HTTP/1.1 load generator for loopback only (bench/
// server_load.sh). N connections, one thread each, keep-alive; it stops
// after --seconds or --max-requests, whichever comes first, and prints
// requests, throughput, p50/p99 latency and the statuses as one JSON line.
//
//   vigil-load --port P --connections N --seconds S --max-requests M
//              [--header 'Name: value']... get PATH...
//   vigil-load ... score CASE FRAMEWORK ITEM...
//   vigil-load ... triage ALERT_ID...
//
// "get" cycles over the paths. "score" makes each connection score one item
// (connection i takes ITEM[i % count]) with optimistic concurrency: it sends
// the version it last saw, takes the new one from a 201 and the current one
// from a 409's "current", and counts both; the script checks afterwards that
// the items' versions grew by exactly the number of 201s (no lost update).
// "triage" does the same with alerts (connection i takes ALERT_ID[i % count]),
// acknowledging and re-opening it, each PATCH naming the revision last seen;
// the revisions must grow by exactly the number of 200s.
//
// Why hand-written: wrk (Debian) cannot carry a per-connection version from
// one response into the next request, which the write test needs; reads use
// the same client against vigil and nginx so that the ratio compares servers.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Args {
  int port = 0, connections = 10, seconds = 10;
  long max_requests = 100000;
  std::vector<std::string> headers;
  std::string mode;
  std::vector<std::string> rest;
};

[[noreturn]] void Usage(const char* why) {
  std::fprintf(stderr, "vigil-load: %s\nusage: vigil-load --port P [--connections N] [--seconds S] "
               "[--max-requests M] [--header 'K: V']... get PATH... | score CASE FRAMEWORK ITEM... | triage ALERT_ID...\n", why);
  std::exit(2);
}

Args Parse(int argc, char** argv) {
  Args a;
  int i = 1;
  for (; i < argc; ++i) {
    std::string s = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) Usage(("missing value of " + s).c_str());
      return argv[++i];
    };
    if (s == "--port") a.port = std::atoi(next().c_str());
    else if (s == "--connections") a.connections = std::atoi(next().c_str());
    else if (s == "--seconds") a.seconds = std::atoi(next().c_str());
    else if (s == "--max-requests") a.max_requests = std::atol(next().c_str());
    else if (s == "--header") a.headers.push_back(next());
    else break;
  }
  if (i >= argc) Usage("no mode (get, score or triage)");
  a.mode = argv[i++];
  for (; i < argc; ++i) a.rest.push_back(argv[i]);
  if (a.port <= 0 || a.port > 65535) Usage("--port: 1..65535");
  if (a.connections < 1 || a.connections > 1000) Usage("--connections: 1..1000");
  if (a.seconds < 1 || a.seconds > 300) Usage("--seconds: 1..300 (the run is bounded)");
  if (a.max_requests < 1 || a.max_requests > 10'000'000) Usage("--max-requests: 1..10000000");
  if (a.mode == "get" && a.rest.empty()) Usage("get: at least one PATH");
  if (a.mode == "score" && a.rest.size() < 3) Usage("score: CASE FRAMEWORK ITEM...");
  if (a.mode == "triage" && a.rest.empty()) Usage("triage: at least one ALERT_ID");
  if (a.mode != "get" && a.mode != "score" && a.mode != "triage") Usage("mode: get, score or triage");
  return a;
}

// One keep-alive connection to 127.0.0.1 (never anywhere else).
class Conn {
 public:
  explicit Conn(int port) : port_(port) {}
  ~Conn() { Close(); }
  // Sends a request and reads the response; false on a transport error.
  bool Exchange(const std::string& request, int* status, std::string* body) {
    for (int attempt = 0; attempt < 2; ++attempt) {
      if (fd_ < 0 && !Open()) return false;
      if (Send(request) && Read(status, body)) return true;
      Close();  // the server closed a keep-alive connection: reconnect once
    }
    return false;
  }

 private:
  bool Open() {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(port_));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int one = 1;
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    timeval tv{10, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    if (connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
      Close();
      return false;
    }
    buf_.clear();
    return true;
  }
  void Close() {
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
  }
  bool Send(const std::string& r) {
    std::size_t off = 0;
    while (off < r.size()) {
      ssize_t n = send(fd_, r.data() + off, r.size() - off, MSG_NOSIGNAL);
      if (n <= 0) return false;
      off += static_cast<std::size_t>(n);
    }
    return true;
  }
  bool Fill() {
    char tmp[65536];
    ssize_t n = recv(fd_, tmp, sizeof tmp, 0);
    if (n <= 0) return false;
    buf_.append(tmp, static_cast<std::size_t>(n));
    return true;
  }
  bool Read(int* status, std::string* body) {
    std::size_t end;
    while ((end = buf_.find("\r\n\r\n")) == std::string::npos) {
      if (!Fill()) return false;
    }
    *status = std::atoi(buf_.c_str() + buf_.find(' ') + 1);
    std::size_t length = 0;
    bool close_after = false;
    std::string head = buf_.substr(0, end);
    for (auto& ch : head) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (auto at = head.find("\r\ncontent-length:"); at != std::string::npos) {
      length = std::strtoul(head.c_str() + at + 17, nullptr, 10);
    }
    close_after = head.find("\r\nconnection: close") != std::string::npos;
    while (buf_.size() < end + 4 + length) {
      if (!Fill()) return false;
    }
    body->assign(buf_, end + 4, length);
    buf_.erase(0, end + 4 + length);
    if (close_after) Close();
    return true;
  }
  int port_;
  int fd_ = -1;
  std::string buf_;
};

std::string Request(const std::string& method, const std::string& path, const std::string& body,
                    const std::vector<std::string>& headers) {
  std::string r = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  for (const auto& h : headers) r += h + "\r\n";
  if (!body.empty()) r += "Content-Type: application/json\r\n";
  r += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  const Args a = Parse(argc, argv);
  std::atomic<long> issued{0};
  std::mutex mu;
  std::vector<double> latencies;  // ms
  std::map<int, long> statuses;
  long transport_errors = 0;
  const auto deadline = Clock::now() + std::chrono::seconds(a.seconds);
  const auto t0 = Clock::now();
  std::vector<std::thread> threads;
  for (int c = 0; c < a.connections; ++c) {
    threads.emplace_back([&, c] {
      Conn conn(a.port);
      std::vector<double> mine;
      std::map<int, long> st;
      long errors = 0;
      int version = -1;  // score and triage: the version (revision) last seen (-1: read it first)
      std::size_t next_path = static_cast<std::size_t>(c);
      const std::string item = a.mode == "score" ? a.rest[2 + static_cast<std::size_t>(c) % (a.rest.size() - 2)] : "";
      const std::string alert = a.mode == "triage" ? "/api/v1/alerts/" + a.rest[static_cast<std::size_t>(c) % a.rest.size()] : "";
      bool acknowledged = false;
      while (Clock::now() < deadline && issued.fetch_add(1) < a.max_requests) {
        std::string req;
        if (a.mode == "get") {
          req = Request("GET", a.rest[next_path++ % a.rest.size()], "", a.headers);
        } else if (version < 0) {
          req = Request("GET", a.mode == "triage" ? alert : "/api/v1/cases/" + a.rest[0], "", a.headers);
        } else if (a.mode == "triage") {  // acknowledge, re-open, acknowledge ...
          nlohmann::json b = {{"status", acknowledged ? "new" : "acknowledged"}, {"reason", "load test"},
                              {"revision", version}};
          req = Request("PATCH", alert, b.dump(), a.headers);
        } else {
          nlohmann::json b = {{"framework", a.rest[1]}, {"item", item}, {"level", version % 2 ? "high" : "moderate"},
                              {"rationale", "load test"}, {"based_on_version", version}};
          req = Request("POST", "/api/v1/cases/" + a.rest[0] + "/scores", b.dump(), a.headers);
        }
        int status = 0;
        std::string body;
        const auto s0 = Clock::now();
        if (!conn.Exchange(req, &status, &body)) {
          ++errors;
          continue;
        }
        const double ms = std::chrono::duration<double, std::milli>(Clock::now() - s0).count();
        if (a.mode == "triage" && version < 0) {  // the initial read, not counted
          auto j = nlohmann::json::parse(body, nullptr, false);
          version = j.is_object() && j["alert"].is_object() ? j["alert"]["revision"].get<int>() : 1;
          acknowledged = j.is_object() && j["alert"].is_object() && j["alert"]["status"] == "acknowledged";
          continue;
        }
        if (a.mode == "score" && version < 0) {  // the initial read, not counted
          version = 0;
          auto j = nlohmann::json::parse(body, nullptr, false);
          if (j.is_object()) {
            for (const auto& s : j["scores"]) {
              if (s["framework"] == a.rest[1] && s["item"] == item && s["majority"].is_object()) {
                version = s["majority"]["version"].get<int>();
              }
            }
          }
          continue;
        }
        mine.push_back(ms);
        ++st[status];
        if (a.mode == "score") {
          auto j = nlohmann::json::parse(body, nullptr, false);
          if (status == 201 && j.is_object()) version = j["score"]["version"].get<int>();
          if (status == 409 && j.is_object() && j["current"].is_object()) version = j["current"]["version"].get<int>();
        } else if (a.mode == "triage") {
          auto j = nlohmann::json::parse(body, nullptr, false);
          const char* key = status == 200 ? "alert" : status == 409 ? "current" : nullptr;
          if (key && j.is_object() && j[key].is_object()) {
            version = j[key]["revision"].get<int>();
            acknowledged = j[key]["status"] == "acknowledged";
          }
        }
      }
      std::lock_guard<std::mutex> lock(mu);
      latencies.insert(latencies.end(), mine.begin(), mine.end());
      for (const auto& [k, v] : st) statuses[k] += v;
      transport_errors += errors;
    });
  }
  for (auto& t : threads) t.join();
  const double secs = std::chrono::duration<double>(Clock::now() - t0).count();
  std::sort(latencies.begin(), latencies.end());
  auto pct = [&](double p) {
    if (latencies.empty()) return 0.0;
    return latencies[std::min(latencies.size() - 1, static_cast<std::size_t>(p * static_cast<double>(latencies.size())))];
  };
  long counted = 0;
  nlohmann::json by_status = nlohmann::json::object();
  for (const auto& [k, v] : statuses) {
    by_status[std::to_string(k)] = v;
    counted += v;
  }
  nlohmann::json out = {{"mode", a.mode},
                        {"connections", a.connections},
                        {"seconds", secs},
                        {"requests", counted},
                        {"per_second", static_cast<double>(counted) / secs},
                        {"p50_ms", pct(0.50)},
                        {"p99_ms", pct(0.99)},
                        {"max_ms", latencies.empty() ? 0.0 : latencies.back()},
                        {"statuses", by_status},
                        {"transport_errors", transport_errors}};
  std::printf("%s\n", out.dump().c_str());
  return transport_errors == 0 ? 0 : 1;
}
