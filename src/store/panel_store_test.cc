#include "store/panel_store.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

namespace vigil::store {
namespace {

// A 5-row panel with missing values in chosen places.
Panel SmallPanel() {
  Panel p;
  p.predictor_names = {"year", "x1", "x2"};
  p.outcome_names = {"mk_onset", "mk_onset_1or2"};
  p.country_name = {"United States of America", "United States of America", "Canada", "Canada",
                    "Côte d'Ivoire, \"quoted\""};
  p.country_code = {2, 2, 20, 20, 437};
  p.year = {1960, 1961, 1960, 1961, 1961};
  const std::size_t n = 5;
  p.predictors.resize(3 * n);
  p.outcomes.resize(2 * n);
  for (std::size_t i = 0; i < n; ++i) {
    p.predictors[0 * n + i] = p.year[i];
    p.predictors[1 * n + i] = 0.25 * static_cast<double>(i) - 1e-300;
    p.predictors[2 * n + i] = i % 2 ? kNA : 1e6 + static_cast<double>(i);
    p.outcomes[0 * n + i] = i == 3 ? 1.0 : 0.0;
    p.outcomes[1 * n + i] = i == 4 ? kNA : (i == 2 ? 1.0 : 0.0);
  }
  return p;
}

PanelSource SourceFor(const std::string& sha) {
  PanelSource s;
  s.path = "/data/panel.csv";
  s.sha256 = sha;
  s.gw = {2, 2, 20, 20, 437};
  s.read_options_json = R"({"delimiter":","})";
  return s;
}

class PanelStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = Db::Open(":memory:");
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(*db);
    // Country rows the gw codes refer to.
    ASSERT_TRUE(db_->Exec("INSERT INTO countries (gw, name, region, first_year) VALUES "
                          "(2, 'United States of America', 'Northern America', 1816), "
                          "(20, 'Canada', 'Northern America', 1920), "
                          "(437, 'Ivory Coast', 'Western Africa', 1960)")
                    .ok());
  }
  std::int64_t Count(const std::string& table) {
    auto st = db_->Prepare("SELECT count(*) FROM " + table);
    EXPECT_TRUE(st.ok());
    EXPECT_TRUE(*st->Step());
    return st->Int(0);
  }
  std::unique_ptr<Db> db_;
};

// Equal including the positions of NaN.
void ExpectSameValues(const std::vector<double>& a, const std::vector<double>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::isnan(a[i])) {
      EXPECT_TRUE(std::isnan(b[i])) << "index " << i;
    } else {
      EXPECT_EQ(a[i], b[i]) << "index " << i;
    }
  }
}

void ExpectSamePanel(const Panel& a, const Panel& b) {
  EXPECT_EQ(a.predictor_names, b.predictor_names);
  EXPECT_EQ(a.outcome_names, b.outcome_names);
  EXPECT_EQ(a.country_name, b.country_name);
  EXPECT_EQ(a.country_code, b.country_code);
  EXPECT_EQ(a.year, b.year);
  ExpectSameValues(a.predictors, b.predictors);
  ExpectSameValues(a.outcomes, b.outcomes);
}

TEST_F(PanelStoreTest, RoundTripKeepsValuesAndMissingPositions) {
  Panel p = SmallPanel();
  auto saved = SavePanel(*db_, p, "ewp", SourceFor("aaa"));
  ASSERT_TRUE(saved.ok()) << saved.status().ToString();
  EXPECT_EQ(saved->status, SaveStatus::kNew);
  const DatasetInfo& d = saved->dataset;
  EXPECT_EQ(d.name, "ewp");
  EXPECT_EQ(d.version, 1);
  EXPECT_TRUE(d.current);
  EXPECT_EQ(d.sha256, "aaa");
  EXPECT_EQ(d.source_path, "/data/panel.csv");
  EXPECT_EQ(d.rows, 5);
  EXPECT_EQ(d.year_min, 1960);
  EXPECT_EQ(d.year_max, 1961);
  EXPECT_EQ(d.countries, 3);
  ASSERT_EQ(d.predictors.size(), 3u);
  EXPECT_EQ(d.predictors[2].name, "x2");
  EXPECT_EQ(d.predictors[2].na_count, 2);
  EXPECT_EQ(d.predictors[0].na_count, 0);
  ASSERT_EQ(d.outcomes.size(), 2u);
  EXPECT_EQ(d.outcomes[1].na_count, 1);
  EXPECT_EQ(d.complete_rows, 3);  // rows 0, 2, 4
  EXPECT_EQ(d.complete_rows_by_outcome, (std::vector<std::int64_t>{3, 2}));
  EXPECT_FALSE(d.imported_at.empty());

  std::vector<int> gw;
  auto loaded = LoadPanel(*db_, "ewp", 0, &gw);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  ExpectSamePanel(p, *loaded);
  EXPECT_EQ(loaded->dataset_name, "ewp");
  EXPECT_EQ(loaded->dataset_version, 1);
  EXPECT_EQ(gw, (std::vector<int>{2, 2, 20, 20, 437}));
  EXPECT_TRUE(std::isnan(loaded->x(1, 2)));
  EXPECT_TRUE(std::isnan(loaded->y(4, 1)));
  EXPECT_EQ(loaded->x(2, 2), 1e6 + 2);
}

TEST_F(PanelStoreTest, SameContentIsUnchangedAndWritesNothing) {
  Panel p = SmallPanel();
  ASSERT_TRUE(SavePanel(*db_, p, "ewp", SourceFor("aaa")).ok());
  auto again = SavePanel(*db_, p, "ewp", SourceFor("aaa"));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->status, SaveStatus::kUnchanged);
  EXPECT_EQ(again->dataset.version, 1);
  EXPECT_EQ(Count("datasets"), 1);
  EXPECT_EQ(Count("panel_rows"), 5);
  EXPECT_EQ(Count("panel_columns"), 5);
}

TEST_F(PanelStoreTest, NewContentIsNextVersionAndBothLoad) {
  Panel p1 = SmallPanel();
  ASSERT_TRUE(SavePanel(*db_, p1, "ewp", SourceFor("aaa")).ok());
  Panel p2 = SmallPanel();
  p2.predictors[5] = 42.0;  // x1 of row 0
  auto s2 = SavePanel(*db_, p2, "ewp", SourceFor("bbb"));
  ASSERT_TRUE(s2.ok()) << s2.status().ToString();
  EXPECT_EQ(s2->status, SaveStatus::kNewVersion);
  EXPECT_EQ(s2->dataset.version, 2);
  EXPECT_EQ(Count("panel_rows"), 10);

  auto current = LoadPanel(*db_, "ewp");
  ASSERT_TRUE(current.ok());
  EXPECT_EQ(current->dataset_version, 2);
  EXPECT_EQ(current->x(0, 1), 42.0);
  auto v1 = LoadPanel(*db_, "ewp", 1);
  ASSERT_TRUE(v1.ok());
  ExpectSamePanel(p1, *v1);

  auto list = ListDatasets(*db_);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].version, 1);
  EXPECT_FALSE((*list)[0].current);
  EXPECT_EQ((*list)[1].version, 2);
  EXPECT_TRUE((*list)[1].current);

  // Re-importing the first content makes version 1 current again, writing no rows.
  auto back = SavePanel(*db_, p1, "ewp", SourceFor("aaa"));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->status, SaveStatus::kRestored);
  EXPECT_EQ(back->dataset.version, 1);
  EXPECT_EQ(Count("panel_rows"), 10);
  auto cur = GetDataset(*db_, "ewp");
  ASSERT_TRUE(cur.ok());
  EXPECT_EQ(cur->version, 1);
}

TEST_F(PanelStoreTest, NamesAreIndependent) {
  Panel p = SmallPanel();
  ASSERT_TRUE(SavePanel(*db_, p, "ewp", SourceFor("aaa")).ok());
  auto other = SavePanel(*db_, p, "ewp-copy", SourceFor("aaa"));
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->status, SaveStatus::kNew);
  EXPECT_EQ(other->dataset.version, 1);
  auto list = ListDatasets(*db_);
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].name, "ewp");
  EXPECT_EQ((*list)[1].name, "ewp-copy");
}

TEST_F(PanelStoreTest, SameContentReadAnotherWayIsRefused) {
  ASSERT_TRUE(SavePanel(*db_, SmallPanel(), "ewp", SourceFor("aaa")).ok());
  Panel q = SmallPanel();
  q.outcome_names = {"mk_onset", "other"};
  auto s = SavePanel(*db_, q, "ewp", SourceFor("aaa"));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("another --name"), std::string::npos)
      << s.status().message();
}

TEST_F(PanelStoreTest, FailureInsideTheTransactionLeavesNothing) {
  // Make the 4th row insert fail after the dataset and columns were written.
  ASSERT_TRUE(db_->Exec("CREATE TEMP TRIGGER fail_row AFTER INSERT ON panel_rows "
                        "WHEN NEW.row = 3 BEGIN SELECT RAISE(ABORT, 'injected failure'); END")
                  .ok());
  auto s = SavePanel(*db_, SmallPanel(), "ewp", SourceFor("aaa"));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("injected failure"), std::string::npos);
  EXPECT_NE(s.status().message().find("row 4"), std::string::npos) << s.status().message();
  EXPECT_EQ(Count("datasets"), 0);
  EXPECT_EQ(Count("panel_columns"), 0);
  EXPECT_EQ(Count("panel_rows"), 0);
  EXPECT_FALSE(LoadPanel(*db_, "ewp").ok());
}

TEST_F(PanelStoreTest, FailedNewVersionKeepsTheOldOneCurrent) {
  ASSERT_TRUE(SavePanel(*db_, SmallPanel(), "ewp", SourceFor("aaa")).ok());
  ASSERT_TRUE(db_->Exec("CREATE TEMP TRIGGER fail_row AFTER INSERT ON panel_rows "
                        "WHEN NEW.row = 2 BEGIN SELECT RAISE(ABORT, 'injected failure'); END")
                  .ok());
  Panel p2 = SmallPanel();
  p2.predictors[5] = 42.0;
  ASSERT_FALSE(SavePanel(*db_, p2, "ewp", SourceFor("bbb")).ok());
  EXPECT_EQ(Count("datasets"), 1);
  EXPECT_EQ(Count("panel_rows"), 5);
  auto cur = GetDataset(*db_, "ewp");
  ASSERT_TRUE(cur.ok());
  EXPECT_EQ(cur->version, 1);
  EXPECT_TRUE(cur->current);
}

TEST_F(PanelStoreTest, RejectsInconsistentPanels) {
  Panel dup = SmallPanel();
  dup.year[1] = 1960;  // two rows for (2, 1960)
  auto s = SavePanel(*db_, dup, "ewp", SourceFor("aaa"));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("two rows for country code 2 and year 1960"),
            std::string::npos);

  Panel ragged = SmallPanel();
  ragged.predictors.pop_back();
  EXPECT_FALSE(SavePanel(*db_, ragged, "ewp", SourceFor("aaa")).ok());

  PanelSource bad_gw = SourceFor("aaa");
  bad_gw.gw.pop_back();
  EXPECT_FALSE(SavePanel(*db_, SmallPanel(), "ewp", bad_gw).ok());
  EXPECT_FALSE(SavePanel(*db_, SmallPanel(), "", SourceFor("aaa")).ok());
  EXPECT_EQ(Count("datasets"), 0);
}

TEST_F(PanelStoreTest, MissingDatasetOrVersionIsNotFound) {
  auto none = LoadPanel(*db_, "ewp");
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().code(), Status::Code::kNotFound);
  EXPECT_NE(none.status().message().find("no panel dataset named 'ewp'"), std::string::npos);

  ASSERT_TRUE(SavePanel(*db_, SmallPanel(), "ewp", SourceFor("aaa")).ok());
  auto v3 = LoadPanel(*db_, "ewp", 3);
  ASSERT_FALSE(v3.ok());
  EXPECT_EQ(v3.status().code(), Status::Code::kNotFound);
  EXPECT_NE(v3.status().message().find("has no version 3 (it has versions 1..1)"),
            std::string::npos)
      << v3.status().message();
}

TEST_F(PanelStoreTest, DetectsCorruptRows) {
  ASSERT_TRUE(SavePanel(*db_, SmallPanel(), "ewp", SourceFor("aaa")).ok());
  ASSERT_TRUE(db_->Exec("UPDATE panel_rows SET predictors = x'00' WHERE row = 2").ok());
  auto p = LoadPanel(*db_, "ewp");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), Status::Code::kCorruption);
  EXPECT_NE(p.status().message().find("row 2"), std::string::npos) << p.status().message();

  ASSERT_TRUE(db_->Exec("DELETE FROM panel_rows WHERE row = 2").ok());
  auto q = LoadPanel(*db_, "ewp");
  ASSERT_FALSE(q.ok());
  EXPECT_EQ(q.status().code(), Status::Code::kCorruption);
}

TEST_F(PanelStoreTest, DatasetJsonDescribesAVersion) {
  auto saved = SavePanel(*db_, SmallPanel(), "ewp", SourceFor("aaa"));
  ASSERT_TRUE(saved.ok());
  nlohmann::json j = DatasetJson(saved->dataset);
  EXPECT_EQ(j["name"], "ewp");
  EXPECT_EQ(j["version"], 1);
  EXPECT_EQ(j["current"], true);
  EXPECT_EQ(j["rows"], 5);
  EXPECT_EQ(j["countries"], 3);
  EXPECT_EQ(j["year_min"], 1960);
  EXPECT_EQ(j["predictors"], nlohmann::json({"year", "x1", "x2"}));
  EXPECT_EQ(j["outcomes"], nlohmann::json({"mk_onset", "mk_onset_1or2"}));
  EXPECT_EQ(j["na_counts"], nlohmann::json({{"x2", 2}, {"mk_onset_1or2", 1}}));
  EXPECT_EQ(j["complete_rows"], 3);
  EXPECT_EQ(j["complete_rows_by_outcome"]["mk_onset_1or2"], 2);
}

TEST(SaveStatusTest, Names) {
  EXPECT_STREQ(SaveStatusName(SaveStatus::kNew), "new");
  EXPECT_STREQ(SaveStatusName(SaveStatus::kNewVersion), "new-version");
  EXPECT_STREQ(SaveStatusName(SaveStatus::kUnchanged), "unchanged");
  EXPECT_STREQ(SaveStatusName(SaveStatus::kRestored), "restored");
}

}  // namespace
}  // namespace vigil::store
