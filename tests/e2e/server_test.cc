// End-to-end tests of `vigil serve` over real loopback sockets: two server
// processes on one SQLite store (sessions and revisions live in the store),
// two users editing the same score, option and plan task at once (one wins,
// the other gets 409 with the current record; nothing is lost), many
// concurrent writers with zero lost updates, and the transport's limits
// (413, 431, 408, 400), keep-alive, HEAD and graceful shutdown.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "tests/e2e/e2e_util.h"

namespace vigil {
namespace {

using e2e::CliTest;
using e2e::ShellQuote;
using nlohmann::json;

constexpr const char* kPassword = e2e::kTestPassword;

struct HttpReply {
  int status = 0;
  std::map<std::string, std::string> headers;  // names lower-case
  std::string body;
  json Json() const { return json::parse(body, nullptr, false); }
};

int Connect(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval tv{20, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

bool SendAll(int fd, const std::string& data) {
  std::size_t off = 0;
  while (off < data.size()) {
    ssize_t n = send(fd, data.data() + off, data.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return false;
    off += static_cast<std::size_t>(n);
  }
  return true;
}

// Reads one response (headers, then Content-Length bytes; HEAD has none).
bool ReadReply(int fd, HttpReply* r, bool head = false, std::string* rest = nullptr) {
  std::string buf = rest ? *rest : "";
  char tmp[65536];
  std::size_t end;
  while ((end = buf.find("\r\n\r\n")) == std::string::npos) {
    ssize_t n = recv(fd, tmp, sizeof tmp, 0);
    if (n <= 0) return false;
    buf.append(tmp, static_cast<std::size_t>(n));
  }
  const std::string head_text = buf.substr(0, end);
  r->status = std::atoi(head_text.c_str() + head_text.find(' ') + 1);
  std::size_t pos = head_text.find("\r\n");
  while (pos != std::string::npos && pos < head_text.size()) {
    std::size_t next = head_text.find("\r\n", pos + 2);
    std::string line = head_text.substr(pos + 2, next == std::string::npos ? std::string::npos : next - pos - 2);
    const std::size_t colon = line.find(':');
    if (colon != std::string::npos) {
      std::string k = line.substr(0, colon);
      for (auto& ch : k) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      r->headers[k] = line.substr(line.find_first_not_of(' ', colon + 1));
    }
    pos = next;
  }
  const std::size_t length = head ? 0 : std::strtoul(r->headers["content-length"].c_str(), nullptr, 10);
  std::string body = buf.substr(end + 4);
  while (body.size() < length) {
    ssize_t n = recv(fd, tmp, sizeof tmp, 0);
    if (n <= 0) return false;
    body.append(tmp, static_cast<std::size_t>(n));
  }
  r->body = body.substr(0, length);
  if (rest) *rest = body.substr(length);
  return true;
}

std::string RequestText(const std::string& method, const std::string& target, const std::string& body,
                        const std::map<std::string, std::string>& headers, bool keep_alive = false) {
  std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  for (const auto& [k, v] : headers) req += k + ": " + v + "\r\n";
  if (!body.empty()) req += "Content-Type: application/json\r\n";
  req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  req += keep_alive ? "" : "Connection: close\r\n";
  return req + "\r\n" + body;
}

HttpReply Http(int port, const std::string& method, const std::string& target, const std::string& body = "",
               const std::map<std::string, std::string>& headers = {}) {
  HttpReply r;
  int fd = Connect(port);
  if (fd < 0) return r;
  // A server may answer (413, 431) before it has read the whole request: read
  // the reply even when sending the rest failed.
  SendAll(fd, RequestText(method, target, body, headers));
  ReadReply(fd, &r, method == "HEAD");
  close(fd);
  return r;
}

// A logged-in client of one server.
struct Client {
  int port = 0;
  std::string cookie, csrf;
  HttpReply Call(const std::string& method, const std::string& target, const json& body = nullptr) const {
    return Http(port, method, target, body.is_null() ? "" : body.dump(),
                {{"Cookie", cookie}, {"X-CSRF-Token", csrf}});
  }
};

// A `vigil serve` child process on an ephemeral loopback port.
struct Server {
  pid_t pid = -1;
  int port = 0;
  int Stop() {
    if (pid <= 0) return -1;
    kill(pid, SIGTERM);
    int status = 0;
    waitpid(pid, &status, 0);
    pid = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  ~Server() {
    if (pid > 0) {
      kill(pid, SIGKILL);
      waitpid(pid, nullptr, 0);
    }
  }
};

class ServerE2E : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    ASSERT_EQ(Run({"-q", "demo", "load"}).exit_code, 0);
    for (const auto& [name, role] : std::vector<std::pair<std::string, std::string>>{
             {"ana", "analyst"}, {"ben", "analyst"}, {"pia", "planner"}, {"pat", "planner"}}) {
      AddUser(name, role);
      ASSERT_EQ(Run({"case", "member", "add", "demo-veridia", name, "--role", role}).exit_code, 0);
    }
  }


  // Starts a server with `extra` options and waits for its "listening" line.
  void Start(Server* s, const std::vector<std::string>& extra = {}) {
    int out[2];
    ASSERT_EQ(pipe(out), 0);
    s->pid = fork();
    if (s->pid == 0) {
      dup2(out[1], STDOUT_FILENO);
      close(out[0]);
      std::vector<std::string> args = {VIGIL_BINARY, "--db", db_path_, "serve", "--listen", "127.0.0.1:0"};
      args.insert(args.end(), extra.begin(), extra.end());
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
    close(out[1]);
    std::string line;
    char ch;
    while (read(out[0], &ch, 1) == 1 && ch != '\n') line += ch;
    close(out[0]);
    const std::size_t at = line.find("127.0.0.1:");
    ASSERT_NE(at, std::string::npos) << "serve printed: " << line;
    s->port = std::atoi(line.c_str() + at + 10);
    ASSERT_GT(s->port, 0) << line;
  }

  Client LogIn(int port, const std::string& name) {
    HttpReply r = Http(port, "POST", "/api/v1/session", json{{"username", name}, {"password", kPassword}}.dump());
    EXPECT_EQ(r.status, 200) << r.body;
    Client c;
    c.port = port;
    const std::string set = r.headers["set-cookie"];
    c.cookie = set.substr(0, set.find(';'));
    c.csrf = r.Json().value("csrf_token", "");
    return c;
  }
};

const std::string kCase = "/api/v1/cases/demo-veridia";

json ScoreBody(int based_on, const std::string& level) {
  return {{"framework", "osapg"}, {"item", "c1"}, {"level", level}, {"rationale", "e2e"},
          {"based_on_version", based_on}};
}

// The version of the majority osapg c1 score in a case file (0 if none).
int MajorityVersion(const json& file) {
  for (const auto& s : file["scores"]) {
    if (s["framework"] == "osapg" && s["item"] == "c1" && !s["majority"].is_null()) {
      return s["majority"]["version"].get<int>();
    }
  }
  return 0;
}

TEST_F(ServerE2E, TwoUsersOnTwoServersEditingTheSameRecordsLoseNothing) {
  Server a, b;
  Start(&a);
  Start(&b);
  Client ana = LogIn(a.port, "ana"), ben = LogIn(b.port, "ben");
  Client pia = LogIn(a.port, "pia"), pat = LogIn(b.port, "pat");

  // A session made on server A is valid on server B: sessions live in the store.
  Client ana_on_b = ana;
  ana_on_b.port = b.port;
  EXPECT_EQ(ana_on_b.Call("GET", "/api/v1/session").status, 200);

  // Score: both read the same version, both write; the second is refused.
  const int v = MajorityVersion(ana.Call("GET", kCase).Json());
  HttpReply first = ana.Call("POST", kCase + "/scores", ScoreBody(v, "severe"));
  ASSERT_EQ(first.status, 201) << first.body;
  HttpReply second = ben.Call("POST", kCase + "/scores", ScoreBody(v, "moderate"));
  ASSERT_EQ(second.status, 409) << second.body;
  EXPECT_EQ(second.Json()["error"]["code"], "conflict");
  EXPECT_EQ(second.Json()["current"]["author"], "ana");
  EXPECT_EQ(second.Json()["current"]["version"], v + 1);
  // Ben re-reads and retries on the current version: accepted.
  HttpReply retry = ben.Call("POST", kCase + "/scores", ScoreBody(v + 1, "moderate"));
  ASSERT_EQ(retry.status, 201) << retry.body;
  EXPECT_EQ(retry.Json()["score"]["version"], v + 2);
  EXPECT_EQ(retry.Json()["score"]["author"], "ben");

  // Option: the same with versions.
  json option = pia.Call("GET", kCase + "/options/1").Json()["option"];
  const int ov = option["version"].get<int>();
  HttpReply o1 = pia.Call("PATCH", kCase + "/options/1", {{"version", ov}, {"summary", "Pia's summary"}});
  ASSERT_EQ(o1.status, 200) << o1.body;
  HttpReply o2 = pat.Call("PATCH", kCase + "/options/1", {{"version", ov}, {"summary", "Pat's summary"}});
  ASSERT_EQ(o2.status, 409) << o2.body;
  EXPECT_EQ(o2.Json()["current"]["summary"], "Pia's summary");
  EXPECT_EQ(o2.Json()["current"]["version"], ov + 1);

  // Plan task: the same task at one revision conflicts; another task of the
  // same revision does not (the edit is applied to the newer revision).
  const int rev = pia.Call("GET", kCase + "/plan").Json()["plan"]["revision"].get<int>();
  HttpReply t1 = pia.Call("PATCH", kCase + "/plan/tasks/t-1", {{"revision", rev}, {"agency", "UN"}});
  ASSERT_EQ(t1.status, 200) << t1.body;
  HttpReply t1b = pat.Call("PATCH", kCase + "/plan/tasks/t-1", {{"revision", rev}, {"agency", "USAID"}});
  ASSERT_EQ(t1b.status, 409) << t1b.body.substr(0, 400);
  EXPECT_EQ(t1b.Json()["error"]["code"], "conflict");
  HttpReply t2 = pat.Call("PATCH", kCase + "/plan/tasks/t-2", {{"revision", rev}, {"resources", "two teams"}});
  ASSERT_EQ(t2.status, 200) << t2.body;
  json plan = t2.Json()["plan"];
  EXPECT_EQ(plan["revision"], rev + 2);
  for (const auto& t : plan["tasks"]) {
    if (t["id"] == "t-1") {
      EXPECT_EQ(t["agency"], "UN");  // Pia's edit kept
    }
    if (t["id"] == "t-2") {
      EXPECT_EQ(t["resources"], "two teams");
    }
  }

  // Every write is in the case's history under the account that made it,
  // and the audit chain verifies.
  json history = ana.Call("GET", kCase + "/history").Json()["history"];
  std::map<std::string, int> by;
  for (const auto& e : history) by[e.value("who", "")]++;
  EXPECT_EQ(by["ana"], 1);
  EXPECT_EQ(by["ben"], 1);
  EXPECT_EQ(by["pia"], 2);
  EXPECT_EQ(by["pat"], 1);
  EXPECT_EQ(a.Stop(), 0);
  EXPECT_EQ(b.Stop(), 0);
  e2e::RunResult verify = Run({"audit", "verify"});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
}

// 16 clients on two servers each score the same item 10 times, reading the
// current version first and retrying on 409: every accepted write is a
// version of the series, none overwritten, none lost.
TEST_F(ServerE2E, ConcurrentWritersOnTwoServersLoseNoUpdate) {
  Server a, b;
  Start(&a);
  Start(&b);
  std::vector<Client> clients;
  for (int i = 0; i < 16; ++i) clients.push_back(LogIn(i % 2 ? b.port : a.port, i % 4 < 2 ? "ana" : "ben"));
  const int start = MajorityVersion(clients[0].Call("GET", kCase).Json());
  std::atomic<int> accepted{0}, conflicts{0}, other{0};
  std::vector<std::thread> threads;
  for (auto& c : clients) {
    threads.emplace_back([&c, &accepted, &conflicts, &other] {
      for (int n = 0; n < 10;) {
        const int v = MajorityVersion(c.Call("GET", kCase).Json());
        HttpReply r = c.Call("POST", kCase + "/scores", ScoreBody(v, n % 2 ? "severe" : "moderate"));
        if (r.status == 201) {
          ++accepted;
          ++n;
        } else if (r.status == 409) {
          ++conflicts;
        } else {
          ++other;
          ++n;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(accepted.load(), 160);
  EXPECT_EQ(MajorityVersion(clients[0].Call("GET", kCase).Json()), start + 160);
  std::printf("160 score writes from 16 clients on 2 servers: %d conflicts retried\n", conflicts.load());
  EXPECT_EQ(a.Stop(), 0);
  EXPECT_EQ(b.Stop(), 0);
  EXPECT_EQ(Run({"audit", "verify"}).exit_code, 0);
}

// The CLI says the same as the API: a stale --version, --revision or
// --based-on is refused with exit status 4 and a message, nothing written.
TEST_F(ServerE2E, TheCliRefusesStaleVersionsToo) {
  EXPECT_EQ(Run({"options", "edit", "demo-veridia", "1", "--version", "1", "--summary", "first"}).exit_code, 0);
  e2e::RunResult stale = Run({"options", "edit", "demo-veridia", "1", "--version", "1", "--summary", "second"});
  EXPECT_EQ(stale.exit_code, 4);
  EXPECT_NE(stale.err.find("option #1: the current version is 2, not 1"), std::string::npos) << stale.err;
  // Revision 2 of the demo plan recorded a decision and left t-1 as it was:
  // an edit based on revision 1 applies; a second edit of t-1 based on
  // revision 2 no longer does.
  EXPECT_EQ(Run({"plan", "task", "edit", "demo-veridia", "t-1", "--revision", "1", "--agency", "UN"}).exit_code, 0);
  e2e::RunResult rev = Run({"plan", "task", "edit", "demo-veridia", "t-1", "--revision", "2", "--agency", "AU"});
  EXPECT_EQ(rev.exit_code, 4) << rev.err;
  EXPECT_NE(rev.err.find("task t-1: changed since revision 2"), std::string::npos) << rev.err;
  EXPECT_EQ(Run({"case", "score", "demo-veridia", "--framework", "osapg", "--item", "c1", "--level", "severe",
                 "--based-on", "1", "--as", "ana"}).exit_code,
            0);
  e2e::RunResult again = Run({"case", "score", "demo-veridia", "--framework", "osapg", "--item", "c1", "--level",
                              "low", "--based-on", "1", "--as", "ben"});
  EXPECT_EQ(again.exit_code, 4);
  EXPECT_NE(again.err.find("the current version is 2, not 1"), std::string::npos) << again.err;
  // With --as the CLI acts as the account, and the audit names it.
  json history = e2e::ParseJson(Run({"case", "history", "demo-veridia", "--json"}));
  EXPECT_EQ(history.back()["who"], "ana");
}

TEST_F(ServerE2E, TheTransportRefusesBadRequestsAndKeepsServing) {
  Server s;
  Start(&s, {"--request-timeout", "1"});
  EXPECT_EQ(Http(s.port, "GET", "/healthz").status, 200);

  // HEAD answers like GET, without a body.
  HttpReply head = Http(s.port, "HEAD", "/healthz");
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());

  // Keep-alive: two requests on one connection.
  {
    int fd = Connect(s.port);
    ASSERT_GE(fd, 0);
    std::string rest;
    ASSERT_TRUE(SendAll(fd, RequestText("GET", "/healthz", "", {}, true) + RequestText("GET", "/healthz", "", {}, true)));
    HttpReply r1, r2;
    EXPECT_TRUE(ReadReply(fd, &r1, false, &rest));
    EXPECT_TRUE(ReadReply(fd, &r2, false, &rest));
    EXPECT_EQ(r1.status, 200);
    EXPECT_EQ(r2.status, 200);
    close(fd);
  }

  // An oversized body: 413, with a JSON error.
  HttpReply big = Http(s.port, "POST", "/api/v1/session", std::string(2 << 20, 'x'));
  EXPECT_EQ(big.status, 413);
  EXPECT_EQ(big.Json()["error"]["status"], 413);

  // Oversized headers: 431.
  HttpReply fat = Http(s.port, "GET", "/healthz", "", {{"X-Filler", std::string(20000, 'a')}});
  EXPECT_EQ(fat.status, 431);

  // Malformed JSON and an unknown field: 400 naming the field.
  HttpReply bad = Http(s.port, "POST", "/api/v1/session", "{\"username\": ");
  EXPECT_EQ(bad.status, 400);
  HttpReply unknown =
      Http(s.port, "POST", "/api/v1/session", json{{"username", "ana"}, {"password", "x"}, {"admin", true}}.dump());
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(unknown.Json()["error"]["field"], "admin");

  // A slow client that never finishes its request: 408 after the timeout.
  {
    int fd = Connect(s.port);
    ASSERT_GE(fd, 0);
    ASSERT_TRUE(SendAll(fd, "POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"user"));
    HttpReply r;
    const auto t0 = std::chrono::steady_clock::now();
    EXPECT_TRUE(ReadReply(fd, &r));
    EXPECT_EQ(r.status, 408);
    EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5));
    close(fd);
  }

  // Without a session: 401 from the API, and the server still serves.
  EXPECT_EQ(Http(s.port, "GET", "/api/v1/cases").status, 401);
  EXPECT_EQ(Http(s.port, "GET", "/healthz").status, 200);

  // SIGTERM stops it cleanly and promptly.
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(s.Stop(), 0);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(11));
}

}  // namespace
}  // namespace vigil
