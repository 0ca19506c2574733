// Crash consistency and concurrent writers, with real processes:
//  - `kill -9` of a large import (300,000 synthetic GED rows) at >= 20
//    random points: after each the store passes PRAGMA integrity_check and
//    holds exactly the batches committed so far (a clean prefix of the
//    file); re-running the same command resumes and completes with no
//    duplicate and no lost row;
//  - the same for case edits and plan revisions: every change that is in
//    the store has its audit entry and the audit chains hold;
//  - several vigil processes writing at once: each succeeds or fails with
//    "store busy, retry", and nothing is lost or half-written.
// Kill points come from a fixed seed, so a failure can be reproduced.
#include <signal.h>
#include <fcntl.h>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "tests/e2e/e2e_util.h"

extern char** environ;

namespace vigil::e2e {
namespace {

using Clock = std::chrono::steady_clock;

class CrashTest : public CliTest {
 protected:
  // Starts `args` (argv[0] first) in a process group of its own, output
  // discarded; returns its pid.
  pid_t Spawn(const std::vector<std::string>& args) {
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid = -1;
    EXPECT_EQ(posix_spawn(&pid, argv[0], &fa, &attr, argv.data(), environ), 0);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    return pid;
  }
  // SIGKILLs the process group of `pid` after `ms`; true if it was still running.
  bool KillAfter(pid_t pid, int ms) {
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
    int status = 0;
    bool running = waitpid(pid, &status, WNOHANG) == 0;
    ::kill(-pid, SIGKILL);
    if (running) waitpid(pid, &status, 0);
    return running;
  }
  std::vector<std::string> Vigil(std::vector<std::string> args) {
    args.insert(args.begin(), {VIGIL_BINARY, "--db", db_path_, "-q"});
    return args;
  }
  std::vector<std::string> Shell(const std::string& script) { return {"/bin/sh", "-c", script}; }

  // Raw reads, as another process sees the file.
  std::string One(const std::string& sql) {
    sqlite3* db = nullptr;
    // Read-write: the first connection after a kill recovers the WAL.
    EXPECT_EQ(sqlite3_open_v2(db_path_.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    sqlite3_stmt* st = nullptr;
    std::string out = "<error>";
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK) {
      int rc = sqlite3_step(st);
      if (rc == SQLITE_ROW) {
        auto* t = sqlite3_column_text(st, 0);
        out = t ? reinterpret_cast<const char*>(t) : "";
      } else if (rc == SQLITE_DONE) {
        out = "";  // no rows (e.g. foreign_key_check when all is well)
      }
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return out;
  }
  std::int64_t Int(const std::string& sql) { return std::stoll(One(sql)); }
  void ExpectConsistent() {
    EXPECT_EQ(One("PRAGMA integrity_check"), "ok");
    EXPECT_EQ(One("PRAGMA foreign_key_check"), "") << "no dangling references";
  }
  std::mt19937 rng_{20261206};
};

TEST_F(CrashTest, KilledImportLeavesCommittedBatchesAndResumes) {
  constexpr int kRows = 300000, kBatch = 100000, kKills = 22;
  const std::string file = (dir_ / "big.csv").string();
  ASSERT_EQ(std::system((ShellQuote(VIGIL_GEN_EVENTS) + " --rows " + std::to_string(kRows) +
                         " --seed 11 --out " + ShellQuote(file) + " > /dev/null").c_str()),
            0);
  // How long an uninterrupted import takes here (into a scratch store).
  const std::string scratch = (dir_ / "scratch.db").string();
  auto t0 = Clock::now();
  ASSERT_EQ(std::system((ShellQuote(VIGIL_BINARY) + " -q --db " + ShellQuote(scratch) +
                         " import events --format ged " + ShellQuote(file) + " > /dev/null").c_str()),
            0);
  const int full_ms = static_cast<int>(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
  std::uniform_int_distribution<int> when(30, std::max(60, full_ms * 95 / 100));

  // Kill an import at a random point; the next run resumes the interrupted
  // one and is itself killed or completes; a completed store is checked and
  // started afresh, so that every kill lands on a partial import.
  auto complete_ok = [&] {
    ExpectConsistent();
    EXPECT_EQ(Int("SELECT count(*) FROM events"), kRows);
    EXPECT_EQ(Int("SELECT count(DISTINCT event_id) FROM events"), kRows);
    EXPECT_EQ(Int("SELECT count(*) FROM event_history"), 0) << "a resumed row is a duplicate, not a revision";
    // The run that completed conserves its counts.
    EXPECT_EQ(Int("SELECT read - stored - duplicates - updated - quarantined FROM event_imports "
                  "ORDER BY id DESC LIMIT 1"),
              0);
  };
  int killed = 0, completed = 0, resumed_runs = 0, by_state[3] = {0, 0, 0};
  for (int run = 0; killed < kKills && run < 80; ++run) {
    SCOPED_TRACE("run " + std::to_string(run));
    const bool resuming = fs::exists(db_path_);
    pid_t pid = Spawn(Vigil({"import", "events", "--format", "ged", file}));
    resumed_runs += resuming;
    if (!KillAfter(pid, when(rng_))) {  // finished first
      ++completed;
      complete_ok();
      fs::remove(db_path_);
      fs::remove(db_path_ + "-wal");
      fs::remove(db_path_ + "-shm");
      continue;
    }
    ++killed;
    if (!fs::exists(db_path_)) {
      ++by_state[0];
      continue;  // killed before the store was created
    }
    ExpectConsistent();
    const std::int64_t events = Int("SELECT count(*) FROM events");
    // Exactly the committed batches: a prefix of the file (ids 1..n), whole
    // batches, and what event_imports recorded at each commit.
    EXPECT_EQ(events % kBatch, 0) << events;
    EXPECT_EQ(Int("SELECT count(*) FROM events WHERE CAST(event_id AS INTEGER) <= " + std::to_string(events)),
              events);
    EXPECT_EQ(Int("SELECT count(DISTINCT event_id) FROM events"), events);
    EXPECT_EQ(Int("SELECT coalesce(sum(stored), 0) FROM event_imports"), events);
    EXPECT_EQ(Int("SELECT count(*) FROM quarantine"), 0);
    by_state[events == 0 ? 0 : events < kRows ? 1 : 2]++;
  }
  // Random kill times may leave no run that completed (on a loaded machine
  // each resumed run is killed again): the last interrupted import is then
  // resumed without a kill, and must complete and check out.
  if (completed == 0 && fs::exists(db_path_)) {
    SCOPED_TRACE("final resume without a kill");
    RunResult r = Run({"-q", "import", "events", "--format", "ged", file});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    ++resumed_runs;
    ++completed;
    complete_ok();
  }
  EXPECT_GE(killed, 20);
  EXPECT_GE(completed, 1);
  std::printf("[ crash    ] %d kills of a %d-row import (uninterrupted %d ms): %d with nothing committed, "
              "%d with a committed part, %d committed whole; %d runs resumed an interrupted import, "
              "%d completed and were checked\n",
              killed, kRows, full_ms, by_state[0], by_state[1], by_state[2], resumed_runs, completed);

  // Resumption from whatever the last kill left: the same command again.
  RunResult again = Run({"import", "events", "--format", "ged", file, "--json"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  json j = ParseJson(again);
  EXPECT_EQ(j["read"], kRows);
  EXPECT_EQ(j["conserved"], true);
  EXPECT_EQ(j["stored"].get<int>() + j["duplicates"].get<int>(), kRows);
  complete_ok();
}

TEST_F(CrashTest, KilledCaseEditsAndPlanRevisionsLeaveNoHalfChange) {
  ASSERT_EQ(Run({"demo", "load"}).exit_code, 0);
  const std::string v = ShellQuote(VIGIL_BINARY) + " -q --db " + ShellQuote(db_path_);
  const std::string cases = "i=0; while [ $i -lt 400 ]; do i=$((i+1)); " + v +
                            " case new --title \"Case $$ $i\" --region R; " + v +
                            " case edit demo-veridia --purpose \"purpose $$ $i\"; done";
  const std::string plans = "i=0; while [ $i -lt 400 ]; do i=$((i+1)); " + v +
                            " plan task add demo-veridia --loe loe-1 --title \"Task $$ $i\" --agency State "
                            "--stage IA; done";
  std::uniform_int_distribution<int> when(40, 900);
  int kills = 0;
  for (const std::string* script : {&cases, &plans}) {
    for (int k = 0; k < 20; ++k) {
      SCOPED_TRACE((script == &cases ? "case edits, kill " : "plan revisions, kill ") + std::to_string(k));
      pid_t pid = Spawn(Shell(*script));
      kills += KillAfter(pid, when(rng_));
      ExpectConsistent();
      // Every stored change has its audit entry, written in its transaction.
      EXPECT_EQ(Int("SELECT count(*) FROM cases"),
                Int("SELECT count(*) FROM case_audit WHERE action = 'create' AND entity = 'case'"));
      EXPECT_EQ(Int("SELECT count(*) FROM plan_revisions"),
                Int("SELECT count(*) FROM case_audit WHERE action = 'add' AND entity = 'plan'"));
      RunResult verify = Run({"audit", "verify"});
      EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
    }
  }
  EXPECT_GE(kills, 40);
  std::printf("[ crash    ] %d kills during case edits and plan revisions: %lld cases, %lld plan revisions, "
              "audit chains hold\n",
              kills, static_cast<long long>(Int("SELECT count(*) FROM cases")),
              static_cast<long long>(Int("SELECT count(*) FROM plan_revisions")));
}

TEST_F(CrashTest, WriterBlockedTooLongFailsWithStoreBusyAndChangesNothing) {
  ASSERT_EQ(Run({"case", "new", "--title", "First", "--region", "R"}).exit_code, 0);
  sqlite3* holder = nullptr;
  ASSERT_EQ(sqlite3_open(db_path_.c_str(), &holder), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(holder, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  ::setenv("VIGIL_BUSY_TIMEOUT_MS", "300", 1);
  RunResult r = Run({"case", "new", "--title", "Second", "--region", "R"});
  RunResult t = Run({"quarantine", "resolve", "1", "--note", "x"});
  ::unsetenv("VIGIL_BUSY_TIMEOUT_MS");
  sqlite3_exec(holder, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(holder);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("store busy, retry: another vigil process is writing to"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("(waited 0.3 s); nothing was changed"), std::string::npos) << r.err;
  EXPECT_EQ(Int("SELECT count(*) FROM cases"), 1);
  EXPECT_EQ(Run({"case", "new", "--title", "Second", "--region", "R"}).exit_code, 0) << "retry works";
  EXPECT_EQ(Int("SELECT count(*) FROM cases"), 2);
}

TEST_F(CrashTest, ConcurrentWritersEachSucceedOrSayBusy) {
  ASSERT_EQ(Run({"demo", "load"}).exit_code, 0);
  // Two event files of distinct ids, and a quarantine entry to resolve.
  std::string a, b;
  for (int i = 1; i <= 30000; ++i) {
    const std::string tail = "\",\"date_start\":\"2024-01-" + std::string(i % 28 < 9 ? "0" : "") +
                             std::to_string(i % 28 + 1) + "\",\"gw\":625,\"violence\":3,\"deaths_best\":" +
                             std::to_string(i % 7) + "}\n";
    a += "{\"source\":\"ngo-a\",\"event_id\":\"" + std::to_string(i) + tail;
    b += "{\"source\":\"ngo-b\",\"event_id\":\"" + std::to_string(i) + tail;
  }
  const std::string fa = Write("a.jsonl", a), fb = Write("b.jsonl", b + "not json\n");
  // A year of quiet months then a surge of one-sided killing: alerts to
  // triage; and a broken line: a quarantine entry to resolve.
  std::string c;
  auto event = [](const std::string& id, const std::string& day, int deaths) {
    return "{\"source\":\"ngo-c\",\"event_id\":\"" + id + "\",\"date_start\":\"" + day +
           "\",\"gw\":625,\"violence\":3,\"deaths_best\":" + std::to_string(deaths) +
           ",\"deaths_civilians\":" + std::to_string(deaths) + "}\n";
  };
  for (int m = 1; m <= 12; ++m) c += event("q" + std::to_string(m), "2023-" + std::string(m < 10 ? "0" : "") + std::to_string(m) + "-15", 2);
  for (int i = 0; i < 20; ++i) c += event("s" + std::to_string(i), "2024-01-10", 20);
  ASSERT_EQ(Run({"import", "events", "--format", "jsonl", Write("c.jsonl", c + "{broken\n"), "-q"}).exit_code, 3);
  ASSERT_EQ(Run({"alerts", "scan", "--as-of", "2024-01-31", "-q"}).exit_code, 0);
  const auto alerts = nlohmann::json::parse(Run({"alerts", "list", "--status", "all", "--json"}).out);
  ASSERT_FALSE(alerts.empty()) << "the surge raises alerts";
  const auto quarantined = nlohmann::json::parse(Run({"quarantine", "list", "--json"}).out);
  ASSERT_EQ(quarantined.size(), 1u);
  const std::int64_t triage_before = Int("SELECT count(*) FROM ops_audit WHERE action = 'alert.status'");

  const std::string v = ShellQuote(VIGIL_BINARY) + " -q --db " + ShellQuote(db_path_);
  const std::string log = (dir_ / "log").string();
  fs::create_directories(log);
  auto job = [&](const std::string& name, const std::string& cmd) {
    return "( " + cmd + " > " + ShellQuote(log + "/" + name + ".out") + " 2> " + ShellQuote(log + "/" + name + ".err") +
           "; echo $? > " + ShellQuote(log + "/" + name + ".rc") + " ) &";
  };
  std::string script = job("import-a", v + " import events --format jsonl " + ShellQuote(fa)) + " " +
                       job("import-b", v + " import events --format jsonl " + ShellQuote(fb)) + " ";
  for (int i = 0; i < 12; ++i) {
    script += job("case-" + std::to_string(i), v + " case new --title 'Parallel " + std::to_string(i) + "' --region R") + " ";
    script += job("edit-" + std::to_string(i), v + " case edit demo-veridia --purpose 'p" + std::to_string(i) + "'") + " ";
  }
  for (int i = 0; i < 8; ++i) {
    const std::string id = std::to_string(alerts[static_cast<std::size_t>(i) % alerts.size()]["id"].get<std::int64_t>());
    script += job("triage-" + std::to_string(i), v + " alerts " + (i % 2 ? "reopen " : "ack ") + id) + " ";
  }
  script += job("resolve", v + " quarantine resolve " + std::to_string(quarantined[0]["id"].get<std::int64_t>()) +
                               " --note 'a torn line, re-sent by the partner'") + " ";
  script += "wait";
  ASSERT_EQ(std::system(script.c_str()), 0);

  int ok = 0, busy = 0, cases_ok = 0, triage_ok = 0;
  bool resolved = false;
  for (const auto& entry : fs::directory_iterator(log)) {
    if (entry.path().extension() != ".rc") continue;
    const std::string name = entry.path().stem().string();
    const int rc = std::stoi(Slurp(entry.path().string()));
    const std::string err = Slurp((fs::path(log) / (name + ".err")).string());
    if (name == "import-b" ? rc == 3 : rc == 0) {
      ++ok;
      if (name.starts_with("case-")) ++cases_ok;
      if (name.starts_with("triage-")) ++triage_ok;
      if (name == "resolve") resolved = true;
      if (name == "import-a") {
        EXPECT_EQ(Int("SELECT count(*) FROM events WHERE source = 'ngo-a'"), 30000);
      }
      if (name == "import-b") {
        EXPECT_EQ(Int("SELECT count(*) FROM events WHERE source = 'ngo-b'"), 30000);
      }
    } else {
      ++busy;
      EXPECT_EQ(rc, 1) << name << ": " << err;
      EXPECT_NE(err.find("store busy, retry"), std::string::npos) << name << ": " << err;
    }
  }
  EXPECT_EQ(ok + busy, 35);
  ExpectConsistent();
  // Each triage and the resolution that succeeded left one audit entry;
  // none that said busy left anything.
  EXPECT_EQ(Int("SELECT count(*) FROM ops_audit WHERE action = 'alert.status'"), triage_before + triage_ok);
  EXPECT_EQ(Int("SELECT count(*) FROM ops_audit WHERE action = 'quarantine.resolve'"), resolved ? 1 : 0);
  EXPECT_EQ(Int("SELECT count(*) FROM quarantine WHERE status = 'resolved'"), resolved ? 1 : 0);
  EXPECT_EQ(Int("SELECT count(*) FROM cases"), 1 + cases_ok);  // the demo case and each one that succeeded
  EXPECT_EQ(Int("SELECT count(*) FROM cases"),
            Int("SELECT count(*) FROM case_audit WHERE action = 'create' AND entity = 'case'"));
  EXPECT_EQ(Run({"audit", "verify"}).exit_code, 0);
  std::printf("[ parallel ] 35 writers at once (2 imports of 30,000 events, 24 case edits, 8 alert triages, "
              "1 quarantine resolution): %d done, %d store busy\n",
              ok, busy);
}

}  // namespace
}  // namespace vigil::e2e
