#include "store/db.h"
#include "store/migrations.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cmath>
#include <filesystem>

namespace vigil::store {
namespace {

TEST(DbTest, OpensMigratesAndReopens) {
  auto dir = std::filesystem::temp_directory_path() / "vigil_db_test";
  std::filesystem::remove_all(dir);
  std::string path = (dir / "sub" / "v.db").string();
  {
    auto db = Db::Open(path);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    EXPECT_EQ((*db)->SchemaVersion(), static_cast<int>(Migrations().size()));
    auto st = (*db)->Prepare("PRAGMA journal_mode");
    ASSERT_TRUE(st.ok());
    ASSERT_TRUE(*st->Step());
    EXPECT_EQ(st->Text(0), "wal");
    auto fk = (*db)->Prepare("PRAGMA foreign_keys");
    ASSERT_TRUE(*fk->Step());
    EXPECT_EQ(fk->Int(0), 1);
  }
  auto again = Db::Open(path);  // migrations are not re-run
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  std::filesystem::remove_all(dir);
}

TEST(DbTest, RefusesNewerSchema) {
  auto dir = std::filesystem::temp_directory_path() / "vigil_db_test2";
  std::filesystem::remove_all(dir);
  std::string path = (dir / "v.db").string();
  {
    auto db = Db::Open(path);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)->Exec("PRAGMA user_version = 999").ok());
  }
  auto db = Db::Open(path);
  ASSERT_FALSE(db.ok());
  EXPECT_NE(db.status().message().find("newer"), std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST(DbTest, TransactionRollsBackUnlessCommitted) {
  auto db = Db::Open(":memory:");
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE((*db)->Exec("CREATE TABLE t(x REAL)").ok());
  {
    Transaction tx(**db);
    ASSERT_TRUE(tx.Begin().ok());
    auto ins = (*db)->Prepare("INSERT INTO t VALUES (?)");
    ASSERT_TRUE(ins->Bind(1, std::nan("")).Run().ok());
  }
  auto count = (*db)->Prepare("SELECT count(*) FROM t");
  ASSERT_TRUE(*count->Step());
  EXPECT_EQ(count->Int(0), 0);
  {
    Transaction tx(**db);
    ASSERT_TRUE(tx.Begin().ok());
    auto ins = (*db)->Prepare("INSERT INTO t VALUES (?)");
    ASSERT_TRUE(ins->Bind(1, std::nan("")).Run().ok());
    ASSERT_TRUE(tx.Commit().ok());
  }
  auto sel = (*db)->Prepare("SELECT x FROM t");
  ASSERT_TRUE(*sel->Step());
  EXPECT_TRUE(sel->IsNull(0));  // NaN is stored as NULL
  EXPECT_TRUE(std::isnan(sel->Double(0)));
}

TEST(DbTest, NestedTransactionsAreSavepointsOfTheOutermost) {
  auto db = Db::Open(":memory:");
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE((*db)->Exec("CREATE TABLE t(x INTEGER)").ok());
  auto count = [&] {
    auto st = (*db)->Prepare("SELECT count(*) FROM t");
    EXPECT_TRUE(*st->Step());
    return st->Int(0);
  };
  {
    Transaction outer(**db);
    ASSERT_TRUE(outer.Begin().ok());
    EXPECT_FALSE(outer.nested());
    ASSERT_TRUE((*db)->Exec("INSERT INTO t VALUES (1)").ok());
    {
      Transaction inner(**db);  // rolled back: only its own row goes
      ASSERT_TRUE(inner.Begin().ok());
      EXPECT_TRUE(inner.nested());
      ASSERT_TRUE((*db)->Exec("INSERT INTO t VALUES (2)").ok());
    }
    EXPECT_EQ(count(), 1);
    {
      Transaction inner(**db);  // committed into the outer one
      ASSERT_TRUE(inner.Begin().ok());
      ASSERT_TRUE((*db)->Exec("INSERT INTO t VALUES (3)").ok());
      ASSERT_TRUE(inner.Commit().ok());
    }
    EXPECT_EQ(count(), 2);
  }  // the outer one rolls back: the committed inner part goes with it
  EXPECT_EQ(count(), 0);
  {
    Transaction outer(**db);
    ASSERT_TRUE(outer.Begin().ok());
    Transaction inner(**db);
    ASSERT_TRUE(inner.Begin().ok());
    ASSERT_TRUE((*db)->Exec("INSERT INTO t VALUES (4)").ok());
    ASSERT_TRUE(inner.Commit().ok());
    ASSERT_TRUE(outer.Commit().ok());
  }
  EXPECT_EQ(count(), 1);
}

// Prepare reuses statements given back by ~Stmt: a reused one starts reset,
// with no bindings left, and the same SQL can be open twice at once.
TEST(DbTest, ReusedStatementsStartFreshAndMayBeOpenTwice) {
  auto db = Db::Open(":memory:");
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE((*db)->Exec("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1), (2), (3)").ok());
  const char* sql = "SELECT count(*) FROM t WHERE ?1 IS NULL OR x = ?1";
  {
    auto st = (*db)->Prepare(sql);
    ASSERT_TRUE(st.ok());
    st->Bind(1, 2);
    ASSERT_TRUE(*st->Step());
    EXPECT_EQ(st->Int(0), 1);
  }  // given back mid-result, with a binding
  auto a = (*db)->Prepare(sql);
  auto b = (*db)->Prepare(sql);  // the same SQL twice at once
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_TRUE(*a->Step());
  EXPECT_EQ(a->Int(0), 3) << "the binding of the earlier use must not survive";
  b->Bind(1, 3);
  ASSERT_TRUE(*b->Step());
  EXPECT_EQ(b->Int(0), 1);
  // A write through one connection changes its stamp.
  auto before = (*db)->Stamp();
  ASSERT_TRUE(before.ok());
  auto same = (*db)->Stamp();
  EXPECT_TRUE(*before == *same);
  ASSERT_TRUE((*db)->Exec("INSERT INTO t VALUES (4)").ok());
  EXPECT_FALSE(*before == *(*db)->Stamp());
}

// Another connection's commit changes the stamp too (a reader's cache must
// not outlive a colleague's write).
TEST(DbTest, StampChangesWithAnotherConnectionsCommit) {
  const auto path = std::filesystem::path(::testing::TempDir()) / "vigil_stamp_test.db";
  std::filesystem::remove(path);
  auto a = Db::Open(path.string());
  auto b = Db::Open(path.string());
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_TRUE((*a)->Exec("CREATE TABLE IF NOT EXISTS s (x INTEGER)").ok());
  auto before = (*b)->Stamp();
  ASSERT_TRUE(before.ok());
  ASSERT_TRUE((*a)->Exec("INSERT INTO s VALUES (1)").ok());
  auto after = (*b)->Stamp();
  ASSERT_TRUE(after.ok());
  EXPECT_FALSE(*before == *after);
  EXPECT_NE((*a)->serial(), (*b)->serial());
  a->reset();
  b->reset();
  std::filesystem::remove(path);
}

TEST(DbTest, EmptyTextBindsAsEmptyTextNotNull) {
  auto db = Db::Open(":memory:");
  ASSERT_TRUE(db.ok());
  auto st = (*db)->Prepare("SELECT ? IS NULL, ? = ''");
  ASSERT_TRUE(st.ok());
  st->Bind(1, std::string_view()).Bind(2, std::string());
  ASSERT_TRUE(*st->Step());
  EXPECT_EQ(st->Int(0), 0);
  EXPECT_EQ(st->Int(1), 1);
}

TEST(DbTest, ForeignKeysEnforced) {
  auto db = Db::Open(":memory:");
  ASSERT_TRUE(db.ok());
  Status s = (*db)->Exec("INSERT INTO country_aliases VALUES ('x', 12345)");
  EXPECT_FALSE(s.ok());
}

// Private by default: the store and its WAL/SHM companions are 0600 even
// under a permissive umask.
TEST(DbTest, StoreAndWalFilesAreOwnerOnly) {
  auto dir = std::filesystem::temp_directory_path() / "vigil_db_mode";
  std::filesystem::remove_all(dir);
  std::string path = (dir / "v.db").string();
  const mode_t old = ::umask(022);
  {
    auto db = Db::Open(path);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    ASSERT_TRUE((*db)->Exec("CREATE TABLE t (x); INSERT INTO t VALUES (1)").ok());
    for (const std::string& f : {path, path + "-wal", path + "-shm"}) {
      struct stat st {};
      ASSERT_EQ(::stat(f.c_str(), &st), 0) << f;
      EXPECT_EQ(st.st_mode & 0777, 0600u) << f;
    }
  }
  ::umask(old);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace vigil::store
