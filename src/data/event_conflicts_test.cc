#include "data/event_conflicts.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "data/countries.h"

namespace vigil::data {
namespace {

std::string WriteFile(const std::string& name, const std::string& content) {
  std::string path = ::testing::TempDir() + "/vigil_conflicts_" + name;
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

std::string Line(const std::string& id, const std::string& date, int deaths) {
  return R"({"source":"ngo","event_id":")" + id + R"(","date_start":")" + date +
         R"(","gw":625,"violence":3,"deaths_best":)" + std::to_string(deaths) + "}\n";
}

TEST(IdConflictsTest, DistinctRowsSharingAnIdAreConflictsExactRepeatsAreNot) {
  const std::string text = Line("a", "2024-01-01", 1) +   // 1
                           Line("b", "2024-01-02", 2) +   // 2
                           Line("a", "2024-01-01", 1) +   // 3: repeat of line 1
                           Line("c", "2024-01-03", 3) +   // 4
                           "not json\n" +                 // 5: rejected, ignored
                           Line("b", "2024-01-02", 20) +  // 6: b differs
                           Line("b", "2024-01-02", 2);    // 7
  auto c = FindIdConflicts(WriteFile("a.jsonl", text), EventFormat::kJsonl, Countries());
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->size(), 1u);
  EXPECT_EQ(c->Find("ngo", "a"), nullptr);
  EXPECT_EQ(c->Find("ngo", "c"), nullptr);
  EXPECT_EQ(c->Find("other", "b"), nullptr);  // ids are per source
  const auto* b = c->Find("ngo", "b");
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(*b, (std::vector<std::size_t>{2, 6, 7}));
  EXPECT_EQ(IdConflicts::Reason("b", *b),
            "conflicting rows for id b (lines 2, 6, 7): same id, different content in one file; "
            "none stored");
}

TEST(IdConflictsTest, ReasonListsAtMostTenLines) {
  std::vector<std::size_t> lines;
  for (std::size_t i = 1; i <= 12; ++i) lines.push_back(i);
  EXPECT_EQ(IdConflicts::Reason("7", lines),
            "conflicting rows for id 7 (lines 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, ... 12 rows in all): "
            "same id, different content in one file; none stored");
}

TEST(IdConflictsTest, MissingFileIsAnError) {
  auto c = FindIdConflicts(::testing::TempDir() + "/vigil_no_such.jsonl", EventFormat::kJsonl,
                           Countries());
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(c.status().message(), ::testing::HasSubstr("vigil_no_such.jsonl"));
}

}  // namespace
}  // namespace vigil::data
