// LoadCaseDocument (the demo case format, catalog/demo_case.json) refuses
// values of the wrong type with a message naming the JSON path.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>

#include "cli/cli.h"
#include "core/embedded.h"
#include "store/db.h"

namespace vigil::cli {
namespace {

nlohmann::json DemoCase() {
  auto text = catalog::FindEmbedded("demo_case.json");
  EXPECT_TRUE(text.ok());
  return nlohmann::json::parse(*text);
}

Status Load(const nlohmann::json& doc) {
  auto db = store::Db::Open(":memory:");
  EXPECT_TRUE(db.ok()) << db.status().ToString();
  return LoadCaseDocument(**db, doc.dump(), "case.json");
}

TEST(CaseDocumentTest, TheDemoCaseLoads) {
  Status st = Load(DemoCase());
  EXPECT_TRUE(st.ok()) << st.ToString();
}

TEST(CaseDocumentTest, APriorityThatIsNotAPositiveIntegerIsRefusedNotConverted) {
  // value("priority", 1) of 1e25 converted a float to int: undefined behaviour.
  for (const nlohmann::json& bad : {nlohmann::json(1e25), nlohmann::json(2.5), nlohmann::json("1"),
                                    nlohmann::json(0), nlohmann::json(4294967297)}) {
    nlohmann::json doc = DemoCase();
    ASSERT_FALSE(doc["interests"].empty());
    doc["interests"][0]["priority"] = bad;
    Status st = Load(doc);
    ASSERT_FALSE(st.ok()) << bad.dump();
    EXPECT_EQ(st.code(), Status::Code::kInvalidArgument);
    EXPECT_NE(st.message().find("case.json: interests[0].priority: must be an integer >= 1"), std::string::npos)
        << st.ToString();
  }
  nlohmann::json doc = DemoCase();
  ASSERT_FALSE(doc["cirs"].empty());
  doc["cirs"][0]["priority"] = -3;
  Status st = Load(doc);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("case.json: cirs[0].priority: must be an integer >= 1, is -3"), std::string::npos)
      << st.ToString();
}

}  // namespace
}  // namespace vigil::cli
