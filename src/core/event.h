// Conflict events: the input of Step 0's dynamic monitoring (escalation
// alerts). An Event is one dated, located act of violence (or unrest) as an
// event dataset reports it -- UCDP GED, ACLED, GDELT or vigil's own JSON
// lines -- normalized to one shape. EventColumns holds many events column by
// column for aggregation and detection. Dates are whole days; months and
// PRIO-GRID cells are the units series are built on.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"

namespace vigil {

// ---- Calendar --------------------------------------------------------------

// Days since 1970-01-01 in the proleptic Gregorian calendar.
using Day = std::int32_t;
// Months since year 0: year * 12 + (month - 1). 2013-01 is 24156.
using MonthIndex = std::int32_t;

// Valid for years 1..9999; month 1..12, day 1..days in that month (asserts).
Day DaysFromCivil(int year, int month, int day);
void CivilFromDays(Day d, int* year, int* month, int* day);
bool IsValidCivil(int year, int month, int day);

// Parses the date forms event datasets use:
//   "2013-01-03", "2013-01-03 00:00:00", "2013-01-03 00:00:00.000",
//   "2013-01-03T00:00:00", "2013-01-03T00:00:00.000Z" / "+00:00" offsets
//   (the calendar date is kept as written), "20130103" (GDELT SQLDATE),
//   "03 January 2013" / "3 Jan 2013" (older ACLED exports).
// Surrounding spaces are ignored. InvalidArgument with a short reason
// ("impossible date 2013-02-30", "not a date: 'x'") otherwise; years outside
// 1800..2100 are rejected as impossible for event data.
Result<Day> ParseDate(std::string_view text);
std::string FormatDate(Day d);  // "YYYY-MM-DD"

inline MonthIndex MakeMonth(int year, int month) { return year * 12 + (month - 1); }
MonthIndex MonthOf(Day d);
inline int YearOfMonth(MonthIndex m) { return m / 12; }
inline int MonthOfYear(MonthIndex m) { return m % 12 + 1; }
Day FirstDayOfMonth(MonthIndex m);
Day LastDayOfMonth(MonthIndex m);
std::string FormatMonth(MonthIndex m);  // "YYYY-MM"
// "YYYY-MM" or "YYYYMM"; InvalidArgument otherwise.
Result<MonthIndex> ParseMonth(std::string_view text);

// ---- Space -----------------------------------------------------------------

// PRIO-GRID cell id (0.5 x 0.5 degree cells, numbered 1..259200 row by row
// from the south-west corner: gid = row * 720 + col + 1 with
// row = floor((lat + 90) / 0.5), col = floor((lon + 180) / 0.5)). Points on
// the north or east edge (lat 90, lon 180) fall in the last row/column.
// Returns 0 when the coordinates are missing (NaN) or out of range.
int PrioGridCell(double latitude, double longitude);
// Centre of a cell; asserts 1 <= gid <= 259200.
void PrioGridCentre(int gid, double* latitude, double* longitude);
inline bool IsValidLatitude(double v) { return v >= -90.0 && v <= 90.0; }
inline bool IsValidLongitude(double v) { return v >= -180.0 && v <= 180.0; }

// ---- Events ----------------------------------------------------------------

// Kind of violence, following UCDP's types where the source allows.
enum class Violence : std::uint8_t {
  kUnknown = 0,
  kStateBased = 1,  // a government is one side (UCDP type 1; ACLED battles with state forces)
  kNonState = 2,    // organized armed groups, no government (UCDP type 2)
  kOneSided = 3,    // deliberate violence against civilians (UCDP type 3; ACLED civilian targeting)
  kUnrest = 4,      // riots and protests (ACLED), which UCDP does not code
};
const char* ViolenceName(Violence v);  // "unknown", "state-based", "non-state", "one-sided", "unrest"
// Accepts the names above and "1".."4"; InvalidArgument otherwise.
Result<Violence> ParseViolence(std::string_view text);

struct Event {
  std::string source;    // dataset: "ged", "acled", "gdelt", or a jsonl record's source
  std::string event_id;  // unique within source (GED id, ACLED event_id_cnty, GDELT GlobalEventID)
  Day date_start = 0;
  Day date_end = 0;        // == date_start for one-day events
  int date_precision = 0;  // GED date_prec (1 exact day .. 5 year); 0 when the source has none
  int gw = 0;              // vigil country (Gleditsch-Ward); importers quarantine rows they cannot resolve
  std::string country;     // country as the source wrote it
  std::string admin1;      // first-order administrative unit, as written ("" unknown)
  std::string admin2;
  std::string location;    // place name / where description
  double latitude = std::numeric_limits<double>::quiet_NaN();
  double longitude = std::numeric_limits<double>::quiet_NaN();
  int geo_precision = 0;   // GED where_prec / ACLED geo_precision; 0 unknown
  int cell = 0;            // PrioGridCell(latitude, longitude); 0 without coordinates
  Violence violence = Violence::kUnknown;
  std::string event_type;      // the source's own type (ACLED event_type, CAMEO code, GED type number)
  std::string sub_event_type;  // ACLED sub_event_type, GDELT EventRootCode ...
  std::string actor1;          // GED side_a, ACLED actor1, GDELT Actor1Name: the perpetrator side
  std::string actor2;          // GED side_b, ACLED actor2, GDELT Actor2Name: the target side
  bool civilian_targeting = false;  // violence deliberately aimed at civilians
  // Deaths (all >= 0). GED: best/low/high and deaths_civilians; ACLED:
  // fatalities in all three, civilians = fatalities when civilian-targeting;
  // GDELT reports no deaths (all 0, has_deaths false).
  bool has_deaths = true;
  std::int32_t deaths_best = 0;
  std::int32_t deaths_low = 0;
  std::int32_t deaths_high = 0;
  std::int32_t deaths_civilians = 0;
  std::int32_t sources = 0;  // number of sources / articles; 0 unknown
  std::string notes;         // short description: ACLED notes, GED source_headline, GDELT SOURCEURL
};

// Events column by column, as loaded from the store for aggregation and
// detection. Strings are interned: *_id columns index `strings` (0 is "").
// All columns have size(); row i is one event.
struct EventColumns {
  std::vector<std::int64_t> row_id;  // store row id (evidence links), 0 if not stored
  std::vector<Day> day;              // date_start
  std::vector<Day> day_end;
  std::vector<std::int32_t> gw;
  std::vector<std::int32_t> cell;
  std::vector<std::uint32_t> admin1_id;
  std::vector<std::uint32_t> actor1_id;
  std::vector<std::uint32_t> actor2_id;
  std::vector<Violence> violence;
  std::vector<std::uint8_t> civilian_targeting;
  std::vector<std::int32_t> deaths_best;
  std::vector<std::int32_t> deaths_civilians;
  std::vector<std::string> strings{""};

  std::size_t size() const { return day.size(); }
  // Appends one event, interning its admin1 and actor strings.
  void Append(const Event& e, std::int64_t row_id = 0);
  // Id of `s` in `strings`, adding it if new.
  std::uint32_t Intern(std::string_view s);

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, std::uint32_t, Hash, std::equal_to<>> index_;
};

}  // namespace vigil
