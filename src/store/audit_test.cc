#include "store/audit.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "store/migrations.h"

namespace vigil::store {
namespace {

using ::testing::HasSubstr;
namespace fs = std::filesystem;

class AuditTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("vigil_audit_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    path_ = (dir_ / "v.db").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<Db> Open() {
    auto db = Db::Open(path_);
    EXPECT_TRUE(db.ok()) << db.status().ToString();
    return std::move(db).value();
  }

  // Writes `n` case entries and `n` ops entries the way vigil does.
  void Fill(Db& db, int n) {
    ASSERT_TRUE(db.Exec("INSERT INTO cases (id, slug, title, created_at, updated_at, created_by) "
                        "VALUES (1, 'c', 'Case', 'x', 'x', 'ana')")
                    .ok())
        << db.LastError();
    for (int i = 0; i < n; ++i) {
      Transaction tx(db);
      ASSERT_TRUE(tx.Begin().ok());
      ASSERT_TRUE(AppendCaseAudit(db, 1, "2026-12-06T10:00:0" + std::to_string(i) + "Z", "ana",
                                  "update", "case", 1, {{"title", i}}, {{"title", i + 1}})
                      .ok());
      ASSERT_TRUE(AppendOpsAudit(db, {"ben", "alert.status", "alert", 10 + i, {{"status", "new"}},
                                      {{"status", "acknowledged"}}})
                      .ok());
      ASSERT_TRUE(tx.Commit().ok());
    }
  }

  // Raw SQL as someone holding the file would run it, triggers dropped.
  void Tamper(const std::string& sql) {
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &raw), SQLITE_OK);
    char* err = nullptr;
    const std::string all =
        "DROP TRIGGER IF EXISTS case_audit_no_update; DROP TRIGGER IF EXISTS case_audit_no_delete; "
        "DROP TRIGGER IF EXISTS ops_audit_no_update; DROP TRIGGER IF EXISTS ops_audit_no_delete; " +
        sql;
    EXPECT_EQ(sqlite3_exec(raw, all.c_str(), nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "");
    sqlite3_free(err);
    sqlite3_close(raw);
  }

  const ChainReport& Chain(const std::vector<ChainReport>& r, const std::string& table) {
    for (const auto& c : r) {
      if (c.table == table) return c;
    }
    static ChainReport none;
    ADD_FAILURE() << "no chain " << table;
    return none;
  }

  std::vector<ChainReport> Verify() {
    auto db = Open();
    auto r = VerifyAudit(*db);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : std::vector<ChainReport>{};
  }

  fs::path dir_;
  std::string path_;
};

TEST_F(AuditTest, CleanChainsHoldAndTriggersRefuseEdits) {
  {
    auto db = Open();
    Fill(*db, 5);
    EXPECT_FALSE(db->Exec("UPDATE case_audit SET who = 'eve' WHERE id = 2").ok());
    EXPECT_FALSE(db->Exec("DELETE FROM ops_audit WHERE id = 2").ok());
  }
  auto r = Verify();
  ASSERT_EQ(r.size(), 2u);
  for (const auto& c : r) {
    EXPECT_TRUE(c.ok) << c.problem;
    EXPECT_EQ(c.entries, 5);
    EXPECT_EQ(c.head.size(), 64u);
    EXPECT_NE(c.head, std::string(64, '0'));
  }
}

TEST_F(AuditTest, EditedEntryIsNamed) {
  Fill(*Open(), 5);
  Tamper("UPDATE case_audit SET after = '{\"title\":99}' WHERE id = 3");
  const ChainReport c = Chain(Verify(), "case_audit");
  EXPECT_FALSE(c.ok);
  EXPECT_EQ(c.broken_id, 3);
  EXPECT_THAT(c.problem, HasSubstr("case_audit entry 3: its content does not match its hash"));
}

TEST_F(AuditTest, EditedActorInOpsChainIsNamed) {
  Fill(*Open(), 4);
  Tamper("UPDATE ops_audit SET who = 'someone else' WHERE id = 1");
  const auto r = Verify();
  EXPECT_TRUE(Chain(r, "case_audit").ok);
  EXPECT_EQ(Chain(r, "ops_audit").broken_id, 1);
}

TEST_F(AuditTest, DeletedMiddleEntryIsNamedByTheNextOne) {
  Fill(*Open(), 5);
  Tamper("DELETE FROM case_audit WHERE id = 2");
  const ChainReport c = Chain(Verify(), "case_audit");
  EXPECT_FALSE(c.ok);
  EXPECT_EQ(c.broken_id, 3);
  EXPECT_THAT(c.problem, HasSubstr("entry 3: its link to the previous entry does not match"));
}

TEST_F(AuditTest, DeletedLastEntryBreaksTheHead) {
  Fill(*Open(), 5);
  Tamper("DELETE FROM ops_audit WHERE id = 5");
  const ChainReport c = Chain(Verify(), "ops_audit");
  EXPECT_FALSE(c.ok);
  EXPECT_EQ(c.broken_id, 0);
  EXPECT_THAT(c.problem, HasSubstr("1 entry after entry 4 deleted"));
}

TEST_F(AuditTest, InsertedEntryIsCaught) {
  Fill(*Open(), 3);
  // A forged entry appended with a plausible link and a made-up hash.
  Tamper("INSERT INTO case_audit (id, case_id, at, who, action, entity, entity_id, before, after, "
         "prev_hash, hash) SELECT 4, 1, 'x', 'eve', 'update', 'case', 1, NULL, '{}', hash, "
         "hash FROM case_audit WHERE id = 3");
  const ChainReport c = Chain(Verify(), "case_audit");
  EXPECT_FALSE(c.ok);
  EXPECT_EQ(c.broken_id, 4);
}

TEST_F(AuditTest, ForgedEntryWithCorrectHashStillBreaksTheHead) {
  Fill(*Open(), 3);
  // An entry appended with vigil's own hashing, then the head put back as
  // it was: every link holds, only the head can tell.
  std::string head_before;
  {
    auto r = Verify();
    head_before = Chain(r, "case_audit").head;
  }
  {
    auto db = Open();
    ASSERT_TRUE(db->Exec("BEGIN").ok());
    ASSERT_TRUE(AppendCaseAudit(*db, 1, "x", "eve", "update", "case", 1, nullptr, {{"t", 1}}).ok());
    // ... then put the head back as it was, as a forger would.
    auto st = db->Prepare("UPDATE audit_heads SET entries = 3, head = ? WHERE chain = 'case_audit'");
    ASSERT_TRUE(st.ok());
    st->Bind(1, head_before);
    ASSERT_TRUE(st->Run().ok());
    ASSERT_TRUE(db->Exec("COMMIT").ok());
  }
  const ChainReport c = Chain(Verify(), "case_audit");
  EXPECT_FALSE(c.ok);
  EXPECT_THAT(c.problem, HasSubstr("entries appended without vigil"));
}

TEST_F(AuditTest, EditedHeadIsCaught) {
  Fill(*Open(), 2);
  Tamper("UPDATE audit_heads SET head = '" + std::string(64, 'f') + "' WHERE chain = 'case_audit'");
  const ChainReport c = Chain(Verify(), "case_audit");
  EXPECT_FALSE(c.ok);
  EXPECT_THAT(c.problem, HasSubstr("the recorded head was changed"));
}

TEST_F(AuditTest, ExportVerifiesOnItsOwnAndCatchesARewrittenStore) {
  Fill(*Open(), 4);
  const std::string out = (dir_ / "audit.jsonl").string();
  {
    auto db = Open();
    auto r = ExportAudit(*db, out);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }
  struct stat st {};
  ASSERT_EQ(::stat(out.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto file = VerifyAuditExport(out);
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  for (const auto& c : *file) EXPECT_TRUE(c.ok) << c.problem;
  {
    auto db = Open();
    auto r = VerifyAgainstExport(*db, out);
    ASSERT_TRUE(r.ok());
    for (const auto& c : *r) EXPECT_TRUE(c.ok) << c.problem;
  }

  // Rewrite the whole case chain consistently (entry 2 edited, every hash
  // and the head recomputed by vigil's own code): the store verifies, the
  // export does not agree.
  Tamper("DELETE FROM audit_heads WHERE chain = 'case_audit'; "
         "UPDATE case_audit SET who = 'eve', prev_hash = NULL, hash = NULL");
  {
    auto db = Open();
    // Opening does not re-hash entries that lost their hash ...
    auto unhashed = VerifyAudit(*db);
    ASSERT_TRUE(unhashed.ok());
    EXPECT_EQ(Chain(*unhashed, "case_audit").broken_id, 1);
    // ... but a forger can, with vigil's own (public) rules.
    ASSERT_TRUE(SealAuditChains(*db).ok());
    auto alone = VerifyAudit(*db);
    ASSERT_TRUE(alone.ok());
    EXPECT_TRUE(Chain(*alone, "case_audit").ok);
    auto r = VerifyAgainstExport(*db, out);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    const ChainReport c = Chain(*r, "case_audit");
    EXPECT_FALSE(c.ok);
    EXPECT_EQ(c.broken_id, 1);
    EXPECT_THAT(c.problem, HasSubstr("differs from the exported copy"));
  }

  // An edited export is caught on its own.
  std::ifstream in(out);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  text.replace(text.find("\"who\":\"ben\""), 11, "\"who\":\"bob\"");
  std::ofstream(out) << text;
  auto edited = VerifyAuditExport(out);
  ASSERT_TRUE(edited.ok());
  EXPECT_FALSE(Chain(*edited, "ops_audit").ok);
  EXPECT_EQ(Chain(*edited, "ops_audit").broken_id, 1);
}

TEST_F(AuditTest, ExportWithAChainCutOutOrAMalformedHeaderIsRefused) {
  Fill(*Open(), 3);
  const std::string out = (dir_ / "audit.jsonl").string();
  ASSERT_TRUE(ExportAudit(*Open(), out).ok());
  std::vector<std::string> lines;
  {
    std::ifstream in(out);
    for (std::string l; std::getline(in, l);) lines.push_back(l);
  }
  ASSERT_GT(lines.size(), 2u);
  auto write = [&](const std::string& header, bool keep_ops) {
    std::ofstream f(out, std::ios::trunc);
    f << header << "\n";
    for (std::size_t i = 1; i < lines.size(); ++i) {
      if (keep_ops || lines[i].find("\"table\":\"ops_audit\"") == std::string::npos) f << lines[i] << "\n";
    }
  };
  auto header = nlohmann::json::parse(lines[0]);

  // ops_audit removed from the header and every one of its lines: the rest
  // is a consistent case chain, but the export is incomplete.
  nlohmann::json cut = header;
  cut["chains"].erase(1);
  ASSERT_EQ(cut["chains"][0]["table"], "case_audit");
  write(cut.dump(), false);
  auto r = VerifyAuditExport(out);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("audit.jsonl:1: incomplete export: chain 'ops_audit' is missing"));
  EXPECT_FALSE(VerifyAgainstExport(*Open(), out).ok());

  // Lines of ops_audit removed but the header kept: its count does not hold.
  write(header.dump(), false);
  r = VerifyAuditExport(out);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_FALSE(Chain(*r, "ops_audit").ok);
  EXPECT_TRUE(Chain(*r, "case_audit").ok);

  // Malformed headers are named, never thrown.
  for (const char* bad : {R"({"format":"vigil-audit-export","chains":{}})",
                          R"({"format":"vigil-audit-export","chains":[1]})",
                          R"({"format":7,"chains":[]})",
                          R"({"format":"vigil-audit-export","chains":[{"table":"case_audit","entries":"3","head":"x"}]})"}) {
    write(bad, true);
    r = VerifyAuditExport(out);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_THAT(r.status().message(), HasSubstr("audit.jsonl:1: ")) << bad;
  }
  for (const char* blank : {"", "\n", "\n\n\n"}) {
    std::ofstream(out, std::ios::trunc) << blank;
    r = VerifyAuditExport(out);
    ASSERT_FALSE(r.ok()) << "a file of blank lines is no export";
    EXPECT_THAT(r.status().message(), HasSubstr("empty file, not an audit export"));
  }
  nlohmann::json twice = header;
  twice["chains"].push_back(header["chains"][0]);
  write(twice.dump(), true);
  r = VerifyAuditExport(out);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("names chain 'case_audit' twice"));
  nlohmann::json unknown = header;
  unknown["chains"].push_back({{"table", "events"}, {"entries", 0}, {"head", ""}});
  write(unknown.dump(), true);
  r = VerifyAuditExport(out);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("unknown chain 'events'"));
}

TEST_F(AuditTest, AnExportLineOverTheRecordLimitIsRefusedInBoundedMemory) {
  Fill(*Open(), 1);
  const std::string out = (dir_ / "audit.jsonl").string();
  ASSERT_TRUE(ExportAudit(*Open(), out).ok());
  std::string header;
  {
    std::ifstream in(out);
    std::getline(in, header);
  }
  {
    // A header, then one line of 65 MiB: std::getline would have read it whole.
    std::ofstream f(out, std::ios::trunc | std::ios::binary);
    f << header << "\n{\"table\":\"case_audit\",\"who\":\"";
    const std::string chunk(1 << 20, 'a');
    for (int i = 0; i < 65; ++i) f << chunk;
    f << "\"}\n";
  }
  auto r = VerifyAuditExport(out);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("audit.jsonl:2: line longer than 64 MiB, the limit for one line"));
}

TEST_F(AuditTest, StoreFromBeforeTheChainsIsSealedOnOpen) {
  // A schema-4 store with audit entries, as vigil wrote them before.
  {
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &raw), SQLITE_OK);
    for (int v = 0; v < 4; ++v) {
      ASSERT_EQ(sqlite3_exec(raw, Migrations()[v].c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << v;
    }
    ASSERT_EQ(sqlite3_exec(raw,
                           "PRAGMA user_version = 4;"
                           "INSERT INTO cases (id, slug, title, created_at, updated_at, created_by) "
                           "VALUES (1, 'c', 'Case', 'x', 'x', 'ana');"
                           "INSERT INTO case_audit (case_id, at, who, action, entity, entity_id, "
                           "before, after) VALUES (1, 'a', 'ana', 'create', 'case', 1, NULL, '{}'),"
                           "(1, 'b', 'ana', 'update', 'case', 1, '{}', '{\"t\":1}');",
                           nullptr, nullptr, nullptr),
              SQLITE_OK)
        << sqlite3_errmsg(raw);
    sqlite3_close(raw);
  }
  {
    auto db = Open();
    Transaction tx(*db);
    ASSERT_TRUE(tx.Begin().ok());
    ASSERT_TRUE(AppendCaseAudit(*db, 1, "c", "ana", "update", "case", 1, {{"t", 1}}, {{"t", 2}}).ok());
    ASSERT_TRUE(tx.Commit().ok());
  }
  const ChainReport c = Chain(Verify(), "case_audit");
  EXPECT_TRUE(c.ok) << c.problem;
  EXPECT_EQ(c.entries, 3);
  Tamper("UPDATE case_audit SET at = 'z' WHERE id = 1");
  EXPECT_EQ(Chain(Verify(), "case_audit").broken_id, 1);
}

}  // namespace
}  // namespace vigil::store
