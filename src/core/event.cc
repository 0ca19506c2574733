#include "core/event.h"

#include <cassert>
#include <cctype>
#include <cmath>
#include <cstdio>

namespace vigil {
namespace {

// Howard Hinnant's days_from_civil / civil_from_days (public domain
// algorithms, http://howardhinnant.github.io/date_algorithms.html).
constexpr int kMinYear = 1800;
constexpr int kMaxYear = 2100;

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Reads exactly n digits at s[pos]; -1 if they are not all digits.
int Digits(std::string_view s, std::size_t pos, std::size_t n) {
  if (pos + n > s.size()) return -1;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

Status NotADate(std::string_view text) {
  return Status::InvalidArgument("not a date: '" + std::string(text) + "'");
}

Result<Day> Checked(int y, int m, int d, std::string_view text) {
  if (y < kMinYear || y > kMaxYear || !IsValidCivil(y, m, d)) {
    return Status::InvalidArgument("impossible date '" + std::string(text) + "'");
  }
  return DaysFromCivil(y, m, d);
}

// "HH:MM:SS[.fff...][Z|+HH:MM|-HH:MM]" or "HH:MM"; true if well formed.
bool IsTimeOfDay(std::string_view t) {
  int hh = Digits(t, 0, 2), mm = Digits(t, 3, 2);
  if (hh < 0 || mm < 0 || t.size() < 5 || t[2] != ':' || hh > 23 || mm > 59) return false;
  std::size_t pos = 5;
  if (pos < t.size() && t[pos] == ':') {
    int ss = Digits(t, pos + 1, 2);
    if (ss < 0 || ss > 60) return false;
    pos += 3;
    if (pos < t.size() && t[pos] == '.') {
      ++pos;
      std::size_t start = pos;
      while (pos < t.size() && std::isdigit(static_cast<unsigned char>(t[pos]))) ++pos;
      if (pos == start) return false;
    }
  }
  if (pos == t.size()) return true;
  if (t[pos] == 'Z') return pos + 1 == t.size();
  if (t[pos] == '+' || t[pos] == '-') {
    std::string_view off = t.substr(pos + 1);
    return (off.size() == 5 && Digits(off, 0, 2) >= 0 && off[2] == ':' && Digits(off, 3, 2) >= 0) ||
           (off.size() == 4 && Digits(off, 0, 4) >= 0) || (off.size() == 2 && Digits(off, 0, 2) >= 0);
  }
  return false;
}

int MonthFromName(std::string_view name) {
  static constexpr const char* kNames[12] = {"january", "february", "march",     "april",
                                             "may",     "june",     "july",      "august",
                                             "september", "october", "november", "december"};
  std::string lower;
  for (char c : name) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower.size() < 3) return 0;
  for (int i = 0; i < 12; ++i) {
    std::string_view full = kNames[i];
    if (lower == full || (lower.size() == 3 && full.substr(0, 3) == lower) ||
        (lower == "sept" && i == 8)) {
      return i + 1;
    }
  }
  return 0;
}

}  // namespace

bool IsValidCivil(int y, int m, int d) {
  return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= DaysInMonth(y, m);
}

Day DaysFromCivil(int y, int m, int d) {
  assert(IsValidCivil(y, m, d));
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int>(doe) - 719468;
}

void CivilFromDays(Day z, int* year, int* month, int* day) {
  long zz = static_cast<long>(z) + 719468;
  const long era = (zz >= 0 ? zz : zz - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(zz - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const long y = static_cast<long>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  *year = static_cast<int>(y + (m <= 2));
  *month = static_cast<int>(m);
  *day = static_cast<int>(d);
}

Result<Day> ParseDate(std::string_view text) {
  std::string_view s = Trim(text);
  if (s.empty()) return Status::InvalidArgument("empty date");
  // ISO: YYYY-MM-DD with an optional time part.
  if (s.size() >= 10 && s[4] == '-' && s[7] == '-') {
    int y = Digits(s, 0, 4), m = Digits(s, 5, 2), d = Digits(s, 8, 2);
    if (y < 0 || m < 0 || d < 0) return NotADate(text);
    if (s.size() > 10) {
      if (s[10] != ' ' && s[10] != 'T') return NotADate(text);
      if (!IsTimeOfDay(s.substr(11))) return NotADate(text);
    }
    return Checked(y, m, d, s);
  }
  // GDELT SQLDATE: YYYYMMDD.
  if (s.size() == 8 && Digits(s, 0, 8) >= 0) {
    return Checked(Digits(s, 0, 4), Digits(s, 4, 2), Digits(s, 6, 2), s);
  }
  // "03 January 2013", "3 Jan 2013", "3-Jan-2013".
  std::size_t i = 0;
  int d = 0, nd = 0;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])) && nd < 2) {
    d = d * 10 + (s[i++] - '0');
    ++nd;
  }
  if (nd == 0 || i >= s.size() || (s[i] != ' ' && s[i] != '-')) return NotADate(text);
  ++i;
  std::size_t start = i;
  while (i < s.size() && std::isalpha(static_cast<unsigned char>(s[i]))) ++i;
  int m = MonthFromName(s.substr(start, i - start));
  if (m == 0 || i >= s.size() || (s[i] != ' ' && s[i] != '-')) return NotADate(text);
  ++i;
  if (s.size() - i != 4) return NotADate(text);
  int y = Digits(s, i, 4);
  if (y < 0) return NotADate(text);
  return Checked(y, m, d, s);
}

std::string FormatDate(Day d) {
  int y, m, dd;
  CivilFromDays(d, &y, &m, &dd);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, dd);
  return buf;
}

MonthIndex MonthOf(Day d) {
  int y, m, dd;
  CivilFromDays(d, &y, &m, &dd);
  return MakeMonth(y, m);
}

Day FirstDayOfMonth(MonthIndex m) { return DaysFromCivil(YearOfMonth(m), MonthOfYear(m), 1); }

Day LastDayOfMonth(MonthIndex m) { return FirstDayOfMonth(m + 1) - 1; }

std::string FormatMonth(MonthIndex m) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", YearOfMonth(m), MonthOfYear(m));
  return buf;
}

Result<MonthIndex> ParseMonth(std::string_view text) {
  std::string_view s = Trim(text);
  int y = -1, m = -1;
  if (s.size() == 7 && s[4] == '-') {
    y = Digits(s, 0, 4);
    m = Digits(s, 5, 2);
  } else if (s.size() == 6) {
    y = Digits(s, 0, 4);
    m = Digits(s, 4, 2);
  }
  if (y < kMinYear || y > kMaxYear || m < 1 || m > 12) {
    return Status::InvalidArgument("not a month (YYYY-MM or YYYYMM): '" + std::string(text) + "'");
  }
  return MakeMonth(y, m);
}

int PrioGridCell(double lat, double lon) {
  if (std::isnan(lat) || std::isnan(lon) || !IsValidLatitude(lat) || !IsValidLongitude(lon)) return 0;
  int row = static_cast<int>(std::floor((lat + 90.0) / 0.5));
  int col = static_cast<int>(std::floor((lon + 180.0) / 0.5));
  if (row > 359) row = 359;
  if (col > 719) col = 719;
  return row * 720 + col + 1;
}

void PrioGridCentre(int gid, double* lat, double* lon) {
  assert(gid >= 1 && gid <= 259200);
  int row = (gid - 1) / 720, col = (gid - 1) % 720;
  *lat = -90.0 + 0.5 * row + 0.25;
  *lon = -180.0 + 0.5 * col + 0.25;
}

const char* ViolenceName(Violence v) {
  switch (v) {
    case Violence::kStateBased: return "state-based";
    case Violence::kNonState: return "non-state";
    case Violence::kOneSided: return "one-sided";
    case Violence::kUnrest: return "unrest";
    case Violence::kUnknown: break;
  }
  return "unknown";
}

Result<Violence> ParseViolence(std::string_view text) {
  std::string_view s = Trim(text);
  for (int i = 0; i <= 4; ++i) {
    auto v = static_cast<Violence>(i);
    if (s == ViolenceName(v) || (s.size() == 1 && s[0] == '0' + i)) return v;
  }
  return Status::InvalidArgument("unknown violence type '" + std::string(text) +
                                 "' (state-based, non-state, one-sided, unrest, unknown)");
}

std::uint32_t EventColumns::Intern(std::string_view s) {
  if (s.empty()) return 0;
  auto it = index_.find(s);
  if (it != index_.end()) return it->second;
  auto id = static_cast<std::uint32_t>(strings.size());
  strings.emplace_back(s);
  index_.emplace(std::string(s), id);
  return id;
}

void EventColumns::Append(const Event& e, std::int64_t id) {
  row_id.push_back(id);
  day.push_back(e.date_start);
  day_end.push_back(e.date_end);
  gw.push_back(e.gw);
  cell.push_back(e.cell);
  admin1_id.push_back(Intern(e.admin1));
  actor1_id.push_back(Intern(e.actor1));
  actor2_id.push_back(Intern(e.actor2));
  violence.push_back(e.violence);
  civilian_targeting.push_back(e.civilian_targeting ? 1 : 0);
  deaths_best.push_back(e.deaths_best);
  deaths_civilians.push_back(e.deaths_civilians);
}

}  // namespace vigil
