#include "store/country_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace vigil::store {
namespace {

using ::testing::HasSubstr;

Country Make(int gw, int cow, std::string iso3, std::string name, int last,
             std::vector<std::string> aliases) {
  Country c;
  c.gw = gw;
  c.cow = cow;
  c.iso3 = std::move(iso3);
  c.name = std::move(name);
  c.region = "Somewhere";
  c.first_year = 1960;
  c.last_year = last;
  c.aliases = std::move(aliases);
  return c;
}

CountryTable Table(std::vector<Country> cs, std::string sha) {
  auto t = CountryTable::Build(std::move(cs));
  EXPECT_TRUE(t.ok()) << t.status().ToString();
  CountryTable table = std::move(t).value();
  table.set_content_sha256(std::move(sha));
  return table;
}

CountryTable First() {
  return Table({Make(437, 437, "CIV", "Cote d'Ivoire", 0, {"Ivory Coast"}),
                Make(511, 511, "", "Zanzibar", 1964, {}),
                Make(711, 0, "", "Tibet", 1950, {})},
               "sha-one");
}

std::unique_ptr<Db> OpenMemory() {
  auto db = Db::Open(":memory:");
  EXPECT_TRUE(db.ok()) << db.status().ToString();
  return std::move(db).value();
}

std::int64_t Count(Db& db, const std::string& sql) {
  auto st = db.Prepare(sql);
  EXPECT_TRUE(st.ok());
  auto row = st->Step();
  EXPECT_TRUE(row.ok() && *row);
  return st->Int(0);
}

TEST(CountryStoreTest, SyncWritesCountriesAliasesAndIdentity) {
  auto db = OpenMemory();
  EXPECT_EQ(*StoredCountriesSha(*db), "");
  ASSERT_TRUE(SyncCountries(*db, First()).ok());
  EXPECT_EQ(*StoredCountriesSha(*db), "sha-one");

  auto cs = LoadCountries(*db);
  ASSERT_TRUE(cs.ok()) << cs.status().ToString();
  ASSERT_EQ(cs->size(), 3u);
  EXPECT_EQ((*cs)[0].gw, 437);
  EXPECT_EQ((*cs)[0].cow, 437);
  EXPECT_EQ((*cs)[0].iso3, "CIV");
  EXPECT_EQ((*cs)[0].name, "Cote d'Ivoire");
  EXPECT_EQ((*cs)[0].region, "Somewhere");
  EXPECT_EQ((*cs)[0].first_year, 1960);
  EXPECT_EQ((*cs)[0].last_year, 0);
  EXPECT_EQ((*cs)[1].last_year, 1964);
  EXPECT_EQ((*cs)[2].cow, 0);
  EXPECT_EQ(Count(*db, "SELECT COUNT(*) FROM countries WHERE iso3 IS NULL"), 2);
  EXPECT_EQ(Count(*db, "SELECT COUNT(*) FROM countries WHERE cow IS NULL"), 1);

  // Names and aliases are stored as normalized keys.
  EXPECT_EQ(Count(*db, "SELECT COUNT(*) FROM country_aliases"), 4);
  EXPECT_EQ(FindGwByName(*db, "CÔTE D’IVOIRE")->value_or(-1), 437);
  EXPECT_EQ(FindGwByName(*db, "ivory-coast")->value_or(-1), 437);
  EXPECT_EQ(FindGwByName(*db, "tibet")->value_or(-1), 711);
  EXPECT_FALSE(FindGwByName(*db, "Atlantis")->has_value());
  EXPECT_FALSE(FindGwByName(*db, "")->has_value());
}

TEST(CountryStoreTest, SyncIsANoOpWhileTheIdentityIsUnchanged) {
  auto db = OpenMemory();
  ASSERT_TRUE(SyncCountries(*db, First()).ok());
  ASSERT_TRUE(db->Exec("UPDATE countries SET name = 'Changed by hand' WHERE gw = 437").ok());
  ASSERT_TRUE(SyncCountries(*db, First()).ok());  // same identity: nothing is written
  EXPECT_EQ(LoadCountries(*db)->at(0).name, "Changed by hand");

  CountryTable again = First();
  again.set_content_sha256("sha-two");  // new identity: rewritten
  ASSERT_TRUE(SyncCountries(*db, again).ok());
  EXPECT_EQ(LoadCountries(*db)->at(0).name, "Cote d'Ivoire");
  EXPECT_EQ(*StoredCountriesSha(*db), "sha-two");
}

TEST(CountryStoreTest, SyncUpdatesRenamesAndRemovals) {
  auto db = OpenMemory();
  ASSERT_TRUE(SyncCountries(*db, First()).ok());
  CountryTable next = Table({Make(437, 437, "CIV", "Ivory Coast", 0, {"Cote d'Ivoire"}),
                             Make(711, 0, "", "Tibet", 1950, {"Bod"}),
                             Make(2, 2, "USA", "United States", 0, {})},
                            "sha-next");
  ASSERT_TRUE(SyncCountries(*db, next).ok());
  auto cs = LoadCountries(*db);
  ASSERT_EQ(cs->size(), 3u);
  EXPECT_EQ((*cs)[0].gw, 2);
  EXPECT_EQ((*cs)[1].name, "Ivory Coast");
  EXPECT_EQ((*cs)[2].gw, 711);
  EXPECT_FALSE(FindGwByName(*db, "Zanzibar")->has_value());
  EXPECT_EQ(FindGwByName(*db, "Bod")->value_or(-1), 711);
  EXPECT_EQ(Count(*db, "SELECT COUNT(*) FROM country_aliases"), 5);
}

TEST(CountryStoreTest, RemovingAStateThatDataRefersToChangesNothing) {
  auto db = OpenMemory();
  ASSERT_TRUE(SyncCountries(*db, First()).ok());
  ASSERT_TRUE(db->Exec(R"sql(
INSERT INTO datasets (id, name, version, kind, source_path, sha256, imported_at, row_count)
VALUES (1, 'p', 1, 'panel', 'p.csv', 'abc', '2025-01-01T00:00:00Z', 1);
INSERT INTO forecast_runs (id, created_at, model, dataset_id, base_year, target_first,
                           target_last, params, vigil_version, seconds)
VALUES (1, '2025-01-01T00:00:00Z', 'm', 1, 2024, 2025, 2026, '{}', '0', 0);
INSERT INTO forecasts (run_id, country_code, country_name, gw, risk, rank)
VALUES (1, 511, 'Zanzibar', 511, 0.5, 1);
)sql").ok());
  CountryTable without = Table({Make(437, 437, "CIV", "Cote d'Ivoire", 0, {"Ivory Coast"})},
                               "sha-without");
  Status s = SyncCountries(*db, without);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Status::Code::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("gw 511 (Zanzibar)"));
  EXPECT_EQ(*StoredCountriesSha(*db), "sha-one");
  EXPECT_EQ(LoadCountries(*db)->size(), 3u);
  EXPECT_EQ(Count(*db, "SELECT COUNT(*) FROM country_aliases"), 4);
}

TEST(CountryStoreTest, ATableWithoutIdentityIsRefused) {
  auto db = OpenMemory();
  CountryTable t = First();
  t.set_content_sha256("");
  Status s = SyncCountries(*db, t);
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(Count(*db, "SELECT COUNT(*) FROM countries"), 0);
}

}  // namespace
}  // namespace vigil::store
