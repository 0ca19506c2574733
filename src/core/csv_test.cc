#include "core/csv.h"

#include <gtest/gtest.h>

namespace vigil {
namespace {

TEST(CsvFieldTest, PlainFieldsStayAsTheyAre) {
  EXPECT_EQ(CsvField("Sudan"), "Sudan");
  EXPECT_EQ(CsvField(""), "");
  EXPECT_EQ(CsvField("a b;c"), "a b;c");
}

TEST(CsvFieldTest, SeparatorsQuotesAndLineBreaksAreQuoted) {
  EXPECT_EQ(CsvField("Congo, Dem. Rep."), "\"Congo, Dem. Rep.\"");
  EXPECT_EQ(CsvField("say \"no\""), "\"say \"\"no\"\"\"");
  EXPECT_EQ(CsvField("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(CsvField("cr\rhere"), "\"cr\rhere\"");
}

}  // namespace
}  // namespace vigil
