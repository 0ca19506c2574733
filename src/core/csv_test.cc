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

// OWASP CSV injection: text a spreadsheet would run gets a leading quote.
TEST(CsvFieldTest, FormulaTextIsNeutralised) {
  EXPECT_EQ(CsvField("=1+1"), "'=1+1");
  EXPECT_EQ(CsvField("+1"), "'+1");
  EXPECT_EQ(CsvField("-1"), "'-1");
  EXPECT_EQ(CsvField("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(CsvField("\t=1"), "'\t=1");
  EXPECT_EQ(CsvField("\r=1"), "\"'\r=1\"");
  EXPECT_EQ(CsvField("=HYPERLINK(\"http://x\",\"y\")"), "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
  EXPECT_EQ(CsvField("a=1"), "a=1");  // only a leading character is run
  EXPECT_EQ(SpreadsheetText("cmd|' /C calc'!A0"), "cmd|' /C calc'!A0");
  EXPECT_EQ(SpreadsheetText("-2 deaths"), "'-2 deaths");
  EXPECT_FALSE(LooksLikeFormula(""));
  EXPECT_FALSE(LooksLikeFormula("3.5"));
  EXPECT_TRUE(LooksLikeFormula("-3.5"));  // which is why numbers never pass through here
}

}  // namespace
}  // namespace vigil
