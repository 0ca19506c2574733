#include "store/forecast_store.h"

#include <gtest/gtest.h>

#include <cmath>

namespace vigil::store {
namespace {

// A dataset row the runs can reference (foreign key).
std::int64_t AddDataset(Db& db) {
  EXPECT_TRUE(db.Exec("INSERT INTO datasets (name, version, kind, source_path, sha256, imported_at, "
                      "row_count) VALUES ('ewp', 1, 'panel', 'x.csv', 'abc', '2026-01-01', 2)")
                  .ok());
  return db.LastInsertRowId();
}

TEST(ForecastStoreTest, RoundTripAndOrdering) {
  auto db = Db::Open(":memory:");
  ASSERT_TRUE(db.ok());
  ForecastRun run;
  run.model = "elastic-net";
  run.dataset_id = AddDataset(**db);
  run.base_year = 2024;
  run.target_first = 2025;
  run.target_last = 2026;
  run.params_json = R"({"alpha":0.5})";
  run.vigil_version = "0.1.0";
  run.rows = {{490, "Democratic Republic of Congo", std::nullopt, 0.05, std::nan(""), std::nan(""), 2,
               R"(["top-risk"])", "[]"},
              {775, "Burma/Myanmar", std::nullopt, 0.10, 0.07, 0.13, 1, R"(["top-risk"])", "[]"}};
  auto id = SaveForecastRun(**db, run);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  auto second = SaveForecastRun(**db, run);
  ASSERT_TRUE(second.ok());
  auto list = ListForecastRuns(**db);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].id, *second);  // newest first
  EXPECT_FALSE((*list)[0].created_at.empty());

  auto back = LoadForecastRun(**db, *id);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->model, "elastic-net");
  EXPECT_EQ(back->base_year, 2024);
  ASSERT_EQ(back->rows.size(), 2u);
  EXPECT_EQ(back->rows[0].country_name, "Burma/Myanmar");  // by rank
  EXPECT_DOUBLE_EQ(back->rows[0].risk_lo, 0.07);
  EXPECT_TRUE(std::isnan(back->rows[1].risk_lo));

  auto missing = LoadForecastRun(**db, 999);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), Status::Code::kNotFound);
}

TEST(ForecastStoreTest, RunNeedsAnExistingDatasetAndLeavesNothingOnFailure) {
  auto db = Db::Open(":memory:");
  ASSERT_TRUE(db.ok());
  ForecastRun run;
  run.model = "boost";
  run.dataset_id = 42;  // no such dataset
  run.rows = {{2, "United States of America", std::nullopt, 0.01, 0, 0, 1, "[]", "[]"}};
  EXPECT_FALSE(SaveForecastRun(**db, run).ok());
  auto list = ListForecastRuns(**db);
  ASSERT_TRUE(list.ok());
  EXPECT_TRUE(list->empty());
}

TEST(ForecastStoreTest, BacktestRuns) {
  auto db = Db::Open(":memory:");
  ASSERT_TRUE(db.ok());
  BacktestRun b;
  b.model = "ensemble";
  b.dataset_id = AddDataset(**db);
  b.summary_json = R"({"auc":0.85})";
  ASSERT_TRUE(SaveBacktestRun(**db, b).ok());
  auto list = ListBacktestRuns(**db);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].summary_json, R"({"auc":0.85})");
}

}  // namespace
}  // namespace vigil::store
