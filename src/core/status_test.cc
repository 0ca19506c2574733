#include "core/status.h"

#include <gtest/gtest.h>

namespace vigil {
namespace {

Result<int> Half(int x) {
  if (x % 2) return Status::InvalidArgument("odd: " + std::to_string(x));
  return x / 2;
}

Result<int> Quarter(int x) {
  VIGIL_ASSIGN_OR_RETURN(int h, Half(x));
  return Half(h);
}

Status Check(int x) {
  VIGIL_RETURN_IF_ERROR(Quarter(x).status());
  return Status::Ok();
}

TEST(StatusTest, OkAndErrors) {
  EXPECT_TRUE(Status().ok());
  EXPECT_EQ(Status().ToString(), "OK");
  Status s = Status::NotFound("file x.csv");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Status::Code::kNotFound);
  EXPECT_EQ(s.ToString(), "not found: file x.csv");
  EXPECT_EQ(s.WithContext("import").message(), "import: file x.csv");
}

TEST(StatusTest, ResultPropagates) {
  EXPECT_EQ(*Quarter(8), 2);
  EXPECT_FALSE(Quarter(6).ok());
  EXPECT_EQ(Quarter(6).status().message(), "odd: 3");
  EXPECT_TRUE(Check(4).ok());
  EXPECT_EQ(Check(2).code(), Status::Code::kInvalidArgument);
}

}  // namespace
}  // namespace vigil
