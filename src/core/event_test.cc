#include "core/event.h"

#include <gtest/gtest.h>

#include <cmath>

namespace vigil {
namespace {

TEST(Calendar, RoundTripsEveryDayOverTwoCenturies) {
  Day start = DaysFromCivil(1900, 1, 1), end = DaysFromCivil(2100, 12, 31);
  for (Day d = start; d <= end; ++d) {
    int y, m, dd;
    CivilFromDays(d, &y, &m, &dd);
    ASSERT_TRUE(IsValidCivil(y, m, dd));
    ASSERT_EQ(DaysFromCivil(y, m, dd), d);
  }
  EXPECT_EQ(DaysFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(DaysFromCivil(2000, 3, 1) - DaysFromCivil(2000, 2, 28), 2);  // 2000 is leap
  EXPECT_EQ(DaysFromCivil(1900, 3, 1) - DaysFromCivil(1900, 2, 28), 1);  // 1900 is not
}

TEST(ParseDate, AcceptsTheFormsEventDatasetsUse) {
  const Day want = DaysFromCivil(2013, 1, 3);
  for (const char* s : {"2013-01-03", "2013-01-03 00:00:00", "2013-01-03 00:00:00.000",
                        "2013-01-03T00:00:00", "2013-01-03T12:30:00.123Z", "2013-01-03T00:00:00+01:00",
                        " 2013-01-03 ", "20130103", "03 January 2013", "3 Jan 2013", "3-Jan-2013"}) {
    auto d = ParseDate(s);
    ASSERT_TRUE(d.ok()) << s << ": " << d.status().ToString();
    EXPECT_EQ(*d, want) << s;
  }
}

TEST(ParseDate, RejectsImpossibleAndMalformedDatesWithAReason) {
  for (const char* s : {"2013-02-30", "2013-13-01", "1700-01-01", "2200-01-01", "20130230"}) {
    auto d = ParseDate(s);
    ASSERT_FALSE(d.ok()) << s;
    EXPECT_NE(d.status().message().find("impossible date"), std::string::npos) << s;
  }
  for (const char* s : {"", "x", "2013/01/03", "2013-01-03X", "2013-01-03 25:00:00", "32 Foo 2013",
                        "2013-1-3"}) {
    EXPECT_FALSE(ParseDate(s).ok()) << s;
  }
  EXPECT_TRUE(ParseDate("2012-02-29").ok());
  EXPECT_FALSE(ParseDate("2013-02-29").ok());
}

TEST(Months, IndexAndFormat) {
  MonthIndex m = MonthOf(DaysFromCivil(2013, 12, 31));
  EXPECT_EQ(m, MakeMonth(2013, 12));
  EXPECT_EQ(FormatMonth(m), "2013-12");
  EXPECT_EQ(FormatMonth(m + 1), "2014-01");
  EXPECT_EQ(FirstDayOfMonth(m + 1) - 1, LastDayOfMonth(m));
  EXPECT_EQ(LastDayOfMonth(MakeMonth(2012, 2)) - FirstDayOfMonth(MakeMonth(2012, 2)), 28);
  EXPECT_EQ(*ParseMonth("201312"), m);
  EXPECT_EQ(*ParseMonth("2013-12"), m);
  EXPECT_FALSE(ParseMonth("2013-13").ok());
  EXPECT_EQ(FormatDate(DaysFromCivil(1991, 7, 9)), "1991-07-09");
}

TEST(PrioGrid, MatchesGedCellIds) {
  // GED 23.1 event 300380 (Syria): 35.763369, 36.558974 -> priogrid_gid 181154.
  EXPECT_EQ(PrioGridCell(35.763369, 36.558974), 181154);
  EXPECT_EQ(PrioGridCell(-90, -180), 1);
  EXPECT_EQ(PrioGridCell(90, 180), 259200);
  EXPECT_EQ(PrioGridCell(std::nan(""), 10), 0);
  EXPECT_EQ(PrioGridCell(91, 10), 0);
  double lat, lon;
  PrioGridCentre(181154, &lat, &lon);
  EXPECT_DOUBLE_EQ(lat, 35.75);
  EXPECT_DOUBLE_EQ(lon, 36.75);
  EXPECT_EQ(PrioGridCell(lat, lon), 181154);
}

TEST(Violence, NamesRoundTrip) {
  for (int i = 0; i <= 4; ++i) {
    auto v = static_cast<Violence>(i);
    EXPECT_EQ(*ParseViolence(ViolenceName(v)), v);
  }
  EXPECT_EQ(*ParseViolence("3"), Violence::kOneSided);
  EXPECT_FALSE(ParseViolence("genocide").ok());
}

TEST(EventColumns, InternsStrings) {
  EventColumns c;
  Event e;
  e.actor1 = "Government of Syria";
  e.actor2 = "Civilians";
  e.admin1 = "Idlib";
  c.Append(e, 7);
  e.actor1 = "Civilians";
  e.actor2 = "";
  c.Append(e, 8);
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c.strings[c.actor1_id[0]], "Government of Syria");
  EXPECT_EQ(c.actor2_id[0], c.actor1_id[1]);
  EXPECT_EQ(c.actor2_id[1], 0u);
  EXPECT_EQ(c.strings[0], "");
  EXPECT_EQ(c.row_id[1], 8);
}

}  // namespace
}  // namespace vigil
