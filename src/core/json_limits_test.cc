#include "core/json_limits.h"

#include <gtest/gtest.h>

#include <string>

namespace vigil {
namespace {

TEST(JsonLimitsTest, DeepNestingIsRefusedWithItsSource) {
  EXPECT_TRUE(CheckJsonDepth(R"({"a":[1,{"b":[]}]})", "x").ok());
  const std::string ok64 = std::string(64, '[') + std::string(64, ']');
  EXPECT_TRUE(CheckJsonDepth(ok64, "x").ok());
  const std::string deep = std::string(1000000, '[') + std::string(1000000, ']');
  Status s = CheckJsonDepth(deep, "plan.json");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(s.message(), "plan.json: JSON nested deeper than 64 levels (at byte 64); refused");
}

TEST(JsonLimitsTest, BracketsInStringsDoNotCount) {
  const std::string text = "{\"s\":\"" + std::string(1000, '[') + "\\\"" + std::string(1000, '{') + "\"}";
  EXPECT_TRUE(CheckJsonDepth(text, "x").ok());
}

}  // namespace
}  // namespace vigil
