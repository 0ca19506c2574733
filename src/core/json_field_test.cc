#include "core/json_field.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace vigil {
namespace {

using nlohmann::json;

TEST(JsonIntegerTest, TakesIntegersInRangeAndNeverConvertsAFloat) {
  EXPECT_EQ(JsonInteger(json::parse("42")), 42);
  EXPECT_EQ(JsonInteger(json::parse("-7")), -7);
  EXPECT_EQ(JsonInteger(json::parse("9223372036854775807")), std::numeric_limits<std::int64_t>::max());
  EXPECT_FALSE(JsonInteger(json::parse("9223372036854775808")));   // unsigned, beyond int64
  EXPECT_FALSE(JsonInteger(json::parse("18446744073709551615")));
  EXPECT_FALSE(JsonInteger(json::parse("1e25")));   // static_cast of this would be UB
  EXPECT_FALSE(JsonInteger(json::parse("2.0")));
  EXPECT_FALSE(JsonInteger(json::parse("\"3\"")));
  EXPECT_FALSE(JsonInteger(json::parse("true")));
  EXPECT_FALSE(JsonInteger(json::parse("null")));
  EXPECT_EQ(JsonInteger(json::parse("5"), 1, 10), 5);
  EXPECT_FALSE(JsonInteger(json::parse("11"), 1, 10));
  EXPECT_FALSE(JsonInteger(json::parse("0"), 1, 10));
}

TEST(JsonFieldTest, IntegerFieldsRefuseFloatsStringsAndValuesBeyondTheirType) {
  const json j = json::parse(R"({"n": 3, "big": 4294967298, "f": 1e25, "half": 2.5, "s": "3", "neg": -1})");
  EXPECT_EQ(*JsonField<int>(j, "n", 0, "m.json:"), 3);
  EXPECT_EQ(*JsonField<int>(j, "absent", 9, "m.json:"), 9);
  // 2^32 + 2 must not wrap to 2 in an int.
  auto big = JsonField<int>(j, "big", 0, "m.json:");
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.status().message(), "m.json: big: must be an integer, is 4294967298");
  EXPECT_EQ(*JsonField<std::int64_t>(j, "big", 0, "m.json:"), 4294967298);
  auto f = JsonField<int>(j, "f", 0, "m.json: triage");
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.status().message(), "m.json: triage.f: must be an integer, is 1e+25");
  EXPECT_FALSE(JsonField<int>(j, "half", 0, "m.json:").ok());
  EXPECT_FALSE(JsonField<int>(j, "s", 0, "m.json:").ok());
  EXPECT_FALSE(JsonField<std::size_t>(j, "neg", 0, "m.json:").ok());
  EXPECT_FALSE(JsonField<std::uint8_t>(j, "big", 0, "m.json:").ok());
  auto ranged = JsonField<int>(j, "n", 0, "m.json:", 5, 10);
  ASSERT_FALSE(ranged.ok());
  EXPECT_EQ(ranged.status().message(), "m.json: n: must be an integer in 5..10, is 3");
}

TEST(JsonFieldTest, NumbersStringsBoolsAndArraysAreTyped) {
  const json j = json::parse(R"({"x": 0.25, "i": 2, "s": "hi", "b": true, "v": [1, 2, 3],
                                  "vf": [1, 2.5], "names": ["a", "b"], "mixed": ["a", 1]})");
  EXPECT_DOUBLE_EQ(*JsonField<double>(j, "x", 0.0, "f:"), 0.25);
  EXPECT_DOUBLE_EQ(*JsonField<double>(j, "i", 0.0, "f:"), 2.0);
  EXPECT_FALSE(JsonField<double>(j, "s", 0.0, "f:").ok());
  EXPECT_EQ(*JsonField<std::string>(j, "s", std::string(), "f:"), "hi");
  EXPECT_FALSE(JsonField<std::string>(j, "x", std::string(), "f:").ok());
  EXPECT_TRUE(*JsonField<bool>(j, "b", false, "f:"));
  EXPECT_FALSE(JsonField<bool>(j, "i", false, "f:").ok());
  EXPECT_EQ(*JsonField<std::vector<int>>(j, "v", {}, "f:"), (std::vector<int>{1, 2, 3}));
  auto vf = JsonField<std::vector<int>>(j, "vf", {}, "f:");
  ASSERT_FALSE(vf.ok());
  EXPECT_EQ(vf.status().message(), "f: vf: must be an array of integers, is array");
  EXPECT_EQ(*JsonField<std::vector<std::string>>(j, "names", {}, "f:"), (std::vector<std::string>{"a", "b"}));
  EXPECT_FALSE(JsonField<std::vector<std::string>>(j, "mixed", {}, "f:").ok());
  EXPECT_FALSE(JsonField<std::vector<std::string>>(j, "s", {}, "f:").ok());
}

TEST(JsonFieldTest, NullMeansAbsent) {
  const json j = json::parse(R"({"n": null})");
  EXPECT_EQ(*JsonField<int>(j, "n", 4, "f:"), 4);
}

}  // namespace
}  // namespace vigil
