// End-to-end tests of `vigil audit verify|export`: the chains hold after
// ordinary work, and raw SQL edits, deletions and insertions are named.
#include <sqlite3.h>
#include <sys/stat.h>

#include <string>

#include "tests/e2e/e2e_util.h"

namespace vigil::e2e {
namespace {

using AuditCliTest = CliTest;

void RawSql(const std::string& db, const std::string& sql) {
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &raw), SQLITE_OK);
  char* err = nullptr;
  EXPECT_EQ(sqlite3_exec(raw, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "");
  sqlite3_free(err);
  sqlite3_close(raw);
}

TEST_F(AuditCliTest, VerifyHoldsAfterWorkAndNamesTamperedEntries) {
  // Case work (the demo case), a quarantine resolution and its audit.
  ASSERT_EQ(Run({"demo", "load"}).exit_code, 0);
  std::string jsonl = Write("e.jsonl", "{\"source\":\"ngo\",\"event_id\":\"1\"}\n");
  ASSERT_EQ(Run({"import", "events", "--format", "jsonl", jsonl}).exit_code, 3);
  RunResult resolved = Run({"quarantine", "resolve", "1", "--note", "test line"});
  ASSERT_EQ(resolved.exit_code, 0) << resolved.err;

  RunResult ok = Run({"audit", "verify", "--json"});
  ASSERT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  json j = ParseJson(ok);
  EXPECT_EQ(j["ok"], true);
  ASSERT_EQ(j["chains"].size(), 2u);
  EXPECT_EQ(j["chains"][0]["table"], "case_audit");
  EXPECT_GT(j["chains"][0]["entries"].get<int>(), 10);
  EXPECT_EQ(j["chains"][1]["table"], "ops_audit");
  EXPECT_EQ(j["chains"][1]["entries"], 1);

  const std::string out = (dir_ / "audit.jsonl").string();
  RunResult exp = Run({"audit", "export", "--out", out});
  ASSERT_EQ(exp.exit_code, 0) << exp.err;
  struct stat st {};
  ASSERT_EQ(::stat(out.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(Run({"audit", "verify", "--file", out}).exit_code, 0);

  // Edit entry 2 by raw SQL: verify fails and names the table and entry.
  RawSql(db_path_, "DROP TRIGGER case_audit_no_update; UPDATE case_audit SET who = 'eve' WHERE id = 2");
  RunResult bad = Run({"audit", "verify"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("case_audit entry 2: its content does not match its hash"), std::string::npos)
      << bad.err;
  RunResult bad_json = Run({"audit", "verify", "--json"});
  EXPECT_EQ(ParseJson(bad_json)["chains"][0]["broken_entry"], 2);
  // The export still holds and tells which entry changed since.
  EXPECT_EQ(Run({"audit", "verify", "--file", out}).exit_code, 0);

  // Delete the ops entry: the head no longer matches.
  RawSql(db_path_, "DROP TRIGGER ops_audit_no_delete; DELETE FROM ops_audit");
  RunResult gone = Run({"audit", "verify"});
  EXPECT_EQ(gone.exit_code, 1);
  EXPECT_NE(gone.err.find("ops_audit: the chain head records 1 entries"), std::string::npos) << gone.err;
}

TEST_F(AuditCliTest, HelpAndMissingExport) {
  RunResult help = Run({"audit", "verify", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--against"), std::string::npos);
  RunResult missing = Run({"audit", "verify", "--file", (dir_ / "none.jsonl").string()});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("none.jsonl: cannot open"), std::string::npos) << missing.err;
}

// The store and every export are owner-only unless --shareable.
TEST_F(AuditCliTest, StoreAndExportsArePrivateByDefault) {
  ASSERT_EQ(Run({"demo", "load"}).exit_code, 0);
  auto mode = [](const std::string& f) {
    struct stat st {};
    EXPECT_EQ(::stat(f.c_str(), &st), 0) << f;
    return st.st_mode & 0777;
  };
  EXPECT_EQ(mode(db_path_), 0600u);
  const std::string tab1 = (dir_ / "tab1.html").string(), shared = (dir_ / "shared.html").string();
  ASSERT_EQ(Run({"report", "demo-veridia", "--tab", "1", "--format", "html", "--out", tab1}).exit_code, 0);
  EXPECT_EQ(mode(tab1), 0600u);
  ASSERT_EQ(Run({"report", "demo-veridia", "--tab", "1", "--format", "html", "--out", shared, "--shareable"})
                .exit_code,
            0);
  EXPECT_EQ(mode(shared), 0644u);
  const std::string audit = (dir_ / "audit.jsonl").string();
  ASSERT_EQ(Run({"--shareable", "audit", "export", "--out", audit}).exit_code, 0);
  EXPECT_EQ(mode(audit), 0644u);
}

}  // namespace
}  // namespace vigil::e2e
