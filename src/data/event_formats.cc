#include "data/event_formats.h"

#include <sodium.h>

#include <algorithm>
#include <bit>
#include <cassert>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <span>
#include <unordered_map>

#include "core/embedded.h"
#include "core/json_limits.h"
#include "data/countries.h"
#include "data/csv.h"

namespace vigil::data {

namespace {

using Fields = std::vector<std::string_view>;

// Why a record cannot become an Event: the offending column and a reason
// that names it (the reason is stored on its own in the quarantine).
struct Problem {
  std::string field;
  std::string reason;
};

constexpr std::size_t kGdeltColumns = 61;
constexpr std::size_t kHeadlineMax = 300;  // bytes of GED source_headline kept as notes

// ---- Small text helpers ------------------------------------------------------

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && EqualsIgnoreCase(s.substr(0, prefix.size()), prefix);
}

// Offset of the first byte that is not part of valid UTF-8 (no overlongs,
// surrogates or code points above U+10FFFF), or npos.
std::size_t InvalidUtf8At(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    if (i + 8 <= n) {  // ASCII fast path
      std::uint64_t w;
      std::memcpy(&w, p + i, 8);
      if ((w & 0x8080808080808080ULL) == 0) {
        i += 8;
        continue;
      }
    }
    unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return i;
    }
    if (i + len > n) return i;
    if (p[i + 1] < lo || p[i + 1] > hi) return i;
    for (std::size_t k = 2; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return i;
    }
    i += len;
  }
  return std::string_view::npos;
}

// A value quoted for a message: at most ~60 bytes, invalid UTF-8 bytes as \xNN.
std::string Quote(std::string_view v) {
  std::string out = "'";
  std::size_t i = 0;
  while (i < v.size() && out.size() < 61) {
    auto c = static_cast<unsigned char>(v[i]);
    if (c < 0x80) {
      out += static_cast<char>(c);
      ++i;
      continue;
    }
    if (InvalidUtf8At(v.substr(i, std::min<std::size_t>(4, v.size() - i))) == 0) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", c);
      out += buf;
      ++i;
      continue;
    }
    std::size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    out.append(v.substr(i, len));
    i += len;
  }
  if (i < v.size()) out += "...";
  out += "'";
  return out;
}

// `s` cut to at most `max` bytes without splitting a UTF-8 character.
std::string_view Truncate(std::string_view s, std::size_t max) {
  if (s.size() <= max) return s;
  std::size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  return s.substr(0, end);
}

enum class Num { kOk, kEmpty, kBad };

Num ParseLong(std::string_view text, long long* out) {
  std::string_view s = Trim(text);
  if (s.empty()) return Num::kEmpty;
  if (s.front() == '+') s.remove_prefix(1);
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && ptr == s.data() + s.size() ? Num::kOk : Num::kBad;
}

Num ParseDouble(std::string_view text, double* out) {
  std::string_view s = Trim(text);
  if (s.empty()) return Num::kEmpty;
  if (s.front() == '+') s.remove_prefix(1);
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  if (ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(*out)) return Num::kBad;
  return Num::kOk;
}

bool Fail(Problem* p, std::string_view field, std::string reason) {
  p->field.assign(field);
  p->reason = std::move(reason);
  return false;
}

// ---- Event id rules --------------------------------------------------------
// One declared rule per format for the source's event id (the key events are
// upserted by), checked before anything else in the record. A malformed id
// must never reach the store: two distinct rows sharing a bogus id would
// otherwise look like versions of one event. docs/event-formats.md lists the
// same table.
bool IsPositiveInteger(std::string_view s) {  // 1..18 digits, no sign, no leading zero
  if (s.empty() || s.size() > 18 || s[0] == '0') return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}
bool IsAcledId(std::string_view s) {  // country prefix (2-4 capitals) + 1-12 digits
  std::size_t k = 0;
  while (k < s.size() && s[k] >= 'A' && s[k] <= 'Z') ++k;
  if (k < 2 || k > 4 || k == s.size() || s.size() - k > 12) return false;
  for (std::size_t i = k; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}
bool IsJsonlId(std::string_view s) {  // 1-128 bytes, no control characters, no edge spaces
  if (s.empty() || s.size() > 128 || s.front() == ' ' || s.back() == ' ') return false;
  for (char c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;
  }
  return true;
}

struct IdRule {
  EventFormat format;
  const char* field;
  const char* rule;
  bool (*valid)(std::string_view);
};
constexpr IdRule kIdRules[] = {
    {EventFormat::kGed, "id", "a positive integer (digits only, no leading zero)", IsPositiveInteger},
    {EventFormat::kAcled, "event_id_cnty",
     "a country prefix of 2-4 capital letters followed by 1-12 digits, e.g. SDN12345", IsAcledId},
    {EventFormat::kGdelt, "GlobalEventID", "a positive integer (digits only, no leading zero)",
     IsPositiveInteger},
    {EventFormat::kJsonl, "event_id",
     "1-128 bytes without control characters or leading/trailing spaces", IsJsonlId},
};
const IdRule& RuleFor(EventFormat f) {
  for (const IdRule& r : kIdRules) {
    if (r.format == f) return r;
  }
  assert(false && "every format has an id rule");
  return kIdRules[0];
}

// Checks `id` (as written in the record, untrimmed) against the format's rule.
bool CheckId(EventFormat f, std::string_view id, Problem* p) {
  const IdRule& r = RuleFor(f);
  if (Trim(id).empty()) return Fail(p, r.field, std::string("empty id: '") + r.field + "' is empty");
  if (!r.valid(f == EventFormat::kJsonl ? id : Trim(id))) {
    return Fail(p, r.field, std::string("invalid id: '") + r.field + "' = " + Quote(id) + " is not " + r.rule);
  }
  return true;
}

// An optional small integer code (precision codes): empty -> 0.
bool ParseCode(std::string_view text, std::string_view field, int lo, int hi, int* out,
               Problem* p) {
  long long v = 0;
  switch (ParseLong(text, &v)) {
    case Num::kEmpty: *out = 0; return true;
    case Num::kBad: return Fail(p, field, "not an integer: '" + std::string(field) + "' = " + Quote(text));
    case Num::kOk: break;
  }
  if (v < lo || v > hi) {
    return Fail(p, field, "out of range " + std::to_string(lo) + ".." + std::to_string(hi) + ": '" +
                              std::string(field) + "' = " + Quote(text));
  }
  *out = static_cast<int>(v);
  return true;
}

// A death count: a whole number >= 0 that fits int32.
bool ParseDeaths(std::string_view text, std::string_view field, std::int32_t* out, Problem* p) {
  long long v = 0;
  switch (ParseLong(text, &v)) {
    case Num::kEmpty: return Fail(p, field, "missing deaths: '" + std::string(field) + "' is empty");
    case Num::kBad: {
      double d;
      if (ParseDouble(text, &d) == Num::kOk) {
        return Fail(p, field, "deaths not a whole number: '" + std::string(field) + "' = " + Quote(text));
      }
      return Fail(p, field, "deaths not a number: '" + std::string(field) + "' = " + Quote(text));
    }
    case Num::kOk: break;
  }
  if (v < 0) return Fail(p, field, "negative deaths: '" + std::string(field) + "' = " + Quote(text));
  if (v > 2000000000LL) {
    return Fail(p, field, "deaths too large: '" + std::string(field) + "' = " + Quote(text));
  }
  *out = static_cast<std::int32_t>(v);
  return true;
}

bool ParseCoordinate(std::string_view text, std::string_view field, bool latitude, double* out,
                     Problem* p) {
  switch (ParseDouble(text, out)) {
    case Num::kEmpty: *out = std::numeric_limits<double>::quiet_NaN(); return true;
    case Num::kBad: return Fail(p, field, "coordinate not a number: '" + std::string(field) + "' = " + Quote(text));
    case Num::kOk: break;
  }
  if (latitude ? !IsValidLatitude(*out) : !IsValidLongitude(*out)) {
    return Fail(p, field, std::string("coordinate out of range (") + (latitude ? "-90..90" : "-180..180") +
                              "): '" + std::string(field) + "' = " + Quote(text));
  }
  return true;
}

// A point needs both coordinates: one without the other is not a location
// (and could not be stored and read back; vigil's JSON lines refuse it too).
bool CheckCoordinatePair(const Event& e, std::string_view lat_field, std::string_view lon_field,
                         Problem* p) {
  const bool lat = !std::isnan(e.latitude), lon = !std::isnan(e.longitude);
  if (lat == lon) return true;
  const std::string_view missing = lat ? lon_field : lat_field;
  const std::string_view given = lat ? lat_field : lon_field;
  return Fail(p, missing, "missing coordinate: '" + std::string(missing) + "' is empty while '" +
                              std::string(given) + "' is given");
}

bool ParseDay(std::string_view text, std::string_view field, Day* out, Problem* p) {
  Result<Day> d = ParseDate(text);
  if (!d.ok()) {
    const char* what = Trim(text).empty()                                 ? "missing date"
                       : d.status().message().starts_with("impossible") ? "impossible date"
                                                                          : "not a date";
    return Fail(p, field, std::string(what) + ": '" + std::string(field) + "' = " + Quote(text));
  }
  *out = *d;
  return true;
}

// Text columns copied into the Event must be UTF-8. The whole record is
// checked first (one fast pass); only a record with a bad byte looks for the
// column it is in.
bool CheckText(std::string_view raw, const Fields& f, const std::vector<std::pair<int, std::string>>& text_cols,
               Problem* p) {
  if (InvalidUtf8At(raw) == std::string_view::npos) return true;
  for (const auto& [col, name] : text_cols) {
    if (col < 0) continue;
    std::string_view v = f[static_cast<std::size_t>(col)];
    std::size_t at = InvalidUtf8At(v);
    if (at != std::string_view::npos) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", static_cast<unsigned char>(v[at]));
      return Fail(p, name, "not UTF-8: '" + name + "' has byte " + buf + " at offset " +
                               std::to_string(at) + " in " + Quote(v));
    }
  }
  return true;  // the bad bytes are in columns vigil does not keep
}

// ---- Field rules -------------------------------------------------------------
// Every column each CSV format defines, with the one rule its values must
// meet, in the order of the format's codebook (UCDP GED 23.1, ACLED 2023,
// GDELT 2.0 event export). A record is checked against the rules of the
// columns its file has before it is mapped to an Event, so a value that
// breaks its column's rule is quarantined with that column and rule even if
// vigil does not keep the column. docs/event-formats.md is the same table in
// prose; FieldRulesTest checks that the two agree.
//
// Rules:
//   kId        the format's id rule (kIdRules above)
//   kText      any UTF-8 text
//   kInteger   a whole number in [lo, hi]
//   kIntList   whole numbers in [lo, hi] separated by commas (GED's gwno lists)
//   kCount     a death count: a whole number >= 0
//   kDecimal   a finite number in [lo, hi]
//   kLatitude  a number in -90..90; kLongitude in -180..180
//   kDate      a calendar date (YYYY-MM-DD, optionally with a time; YYYYMMDD)
//   kEnum      one of `values` ('|'-separated; `ignore_case` for ACLED words)
// `required`: the file's header must have the column (GDELT has no header:
// all 61 columns are positional). `empty_ok`: an empty value passes.
enum class Check { kId, kText, kInteger, kIntList, kCount, kDecimal, kLatitude, kLongitude, kDate, kEnum };

struct FieldRule {
  const char* column;
  Check check;
  bool required;
  bool empty_ok;
  double lo = 0, hi = 0;
  const char* values = "";   // kEnum
  const char* what = "";     // kEnum: how the reason starts, e.g. "unknown violence type"
  bool ignore_case = false;  // kEnum
};

constexpr double kMaxId = 1e15;  // upper bound of codebook integer ids (UCDP, GDELT)
constexpr bool kReq = true, kOpt = false, kEmptyOk = true, kFull = false;

constexpr FieldRule kGedRules[] = {
    {"id", Check::kId, kReq, kFull},
    {"relid", Check::kText, kOpt, kEmptyOk},
    {"year", Check::kInteger, kOpt, kEmptyOk, 1946, 2100},
    {"active_year", Check::kEnum, kOpt, kEmptyOk, 0, 0, "0|1|true|false", "not a boolean", true},
    {"code_status", Check::kText, kOpt, kEmptyOk},
    {"type_of_violence", Check::kEnum, kReq, kFull, 0, 0, "1|2|3", "unknown violence type"},
    {"conflict_dset_id", Check::kInteger, kOpt, kEmptyOk, 0, kMaxId},
    {"conflict_new_id", Check::kInteger, kOpt, kEmptyOk, 0, kMaxId},
    {"conflict_name", Check::kText, kOpt, kEmptyOk},
    {"dyad_dset_id", Check::kInteger, kOpt, kEmptyOk, 0, kMaxId},
    {"dyad_new_id", Check::kInteger, kOpt, kEmptyOk, 0, kMaxId},
    {"dyad_name", Check::kText, kOpt, kEmptyOk},
    {"side_a_dset_id", Check::kInteger, kOpt, kEmptyOk, 0, kMaxId},
    {"side_a_new_id", Check::kInteger, kOpt, kEmptyOk, 0, kMaxId},
    {"side_a", Check::kText, kReq, kEmptyOk},
    {"side_b_dset_id", Check::kInteger, kOpt, kEmptyOk, 0, kMaxId},
    {"side_b_new_id", Check::kInteger, kOpt, kEmptyOk, 0, kMaxId},
    {"side_b", Check::kText, kReq, kEmptyOk},
    {"number_of_sources", Check::kInteger, kOpt, kEmptyOk, -1, 1e9},  // -1: not known
    {"source_article", Check::kText, kOpt, kEmptyOk},
    {"source_office", Check::kText, kOpt, kEmptyOk},
    {"source_date", Check::kText, kOpt, kEmptyOk},  // ';'-separated dates
    {"source_headline", Check::kText, kOpt, kEmptyOk},
    {"source_original", Check::kText, kOpt, kEmptyOk},
    {"where_prec", Check::kInteger, kOpt, kEmptyOk, 1, 7},
    {"where_coordinates", Check::kText, kOpt, kEmptyOk},
    {"where_description", Check::kText, kOpt, kEmptyOk},
    {"adm_1", Check::kText, kOpt, kEmptyOk},
    {"adm_2", Check::kText, kOpt, kEmptyOk},
    {"latitude", Check::kLatitude, kReq, kEmptyOk},
    {"longitude", Check::kLongitude, kReq, kEmptyOk},
    {"geom_wkt", Check::kText, kOpt, kEmptyOk},
    {"priogrid_gid", Check::kInteger, kOpt, kEmptyOk, 1, 259200},
    {"country", Check::kText, kReq, kEmptyOk},
    {"country_id", Check::kInteger, kReq, kFull, 0, 999},
    {"region", Check::kText, kOpt, kEmptyOk},
    {"event_clarity", Check::kEnum, kOpt, kEmptyOk, 0, 0, "1|2", "unknown event clarity"},
    {"date_prec", Check::kInteger, kOpt, kEmptyOk, 1, 5},
    {"date_start", Check::kDate, kReq, kFull},
    {"date_end", Check::kDate, kReq, kFull},
    {"deaths_a", Check::kCount, kOpt, kFull},
    {"deaths_b", Check::kCount, kOpt, kFull},
    {"deaths_civilians", Check::kCount, kReq, kFull},
    {"deaths_unknown", Check::kCount, kOpt, kFull},
    {"best", Check::kCount, kReq, kFull},
    {"high", Check::kCount, kReq, kFull},
    {"low", Check::kCount, kReq, kFull},
    {"gwnoa", Check::kIntList, kOpt, kEmptyOk, 0, 999},
    {"gwnob", Check::kIntList, kOpt, kEmptyOk, 0, 999},
};

constexpr FieldRule kAcledRules[] = {
    {"event_id_cnty", Check::kId, kReq, kFull},
    {"event_date", Check::kDate, kReq, kFull},
    {"year", Check::kInteger, kOpt, kEmptyOk, 1990, 2100},
    {"time_precision", Check::kInteger, kOpt, kEmptyOk, 1, 3},
    {"disorder_type", Check::kText, kOpt, kEmptyOk},
    {"event_type", Check::kEnum, kReq, kFull, 0, 0,
     "Battles|Violence against civilians|Explosions/Remote violence|Riots|Protests|Strategic "
     "developments",
     "unknown violence type", true},
    {"sub_event_type", Check::kText, kOpt, kEmptyOk},
    {"actor1", Check::kText, kReq, kEmptyOk},
    {"assoc_actor_1", Check::kText, kOpt, kEmptyOk},
    {"inter1", Check::kText, kOpt, kEmptyOk},  // a code 0-8 in older exports, words now
    {"actor2", Check::kText, kOpt, kEmptyOk},
    {"assoc_actor_2", Check::kText, kOpt, kEmptyOk},
    {"inter2", Check::kText, kOpt, kEmptyOk},
    {"interaction", Check::kText, kOpt, kEmptyOk},
    {"civilian_targeting", Check::kEnum, kOpt, kEmptyOk, 0, 0, "Civilian targeting",
     "not a civilian-targeting flag", true},
    {"iso", Check::kInteger, kOpt, kEmptyOk, 0, 999},
    {"region", Check::kText, kOpt, kEmptyOk},
    {"country", Check::kText, kReq, kFull},
    {"admin1", Check::kText, kOpt, kEmptyOk},
    {"admin2", Check::kText, kOpt, kEmptyOk},
    {"admin3", Check::kText, kOpt, kEmptyOk},
    {"location", Check::kText, kOpt, kEmptyOk},
    {"latitude", Check::kLatitude, kReq, kEmptyOk},
    {"longitude", Check::kLongitude, kReq, kEmptyOk},
    {"geo_precision", Check::kInteger, kOpt, kEmptyOk, 1, 3},
    {"source", Check::kText, kOpt, kEmptyOk},
    {"source_scale", Check::kText, kOpt, kEmptyOk},
    {"notes", Check::kText, kOpt, kEmptyOk},
    {"fatalities", Check::kCount, kReq, kFull},
    {"tags", Check::kText, kOpt, kEmptyOk},
    {"timestamp", Check::kInteger, kOpt, kEmptyOk, 0, 1e12},  // Unix seconds
};

// GDELT 2.0: the 61 columns by position (docs: GDELT-Event_Codebook-V2.0).
constexpr FieldRule kGdeltRules[] = {
    {"GlobalEventID", Check::kId, kReq, kFull},
    {"SQLDATE", Check::kDate, kReq, kFull},
    {"MonthYear", Check::kInteger, kReq, kEmptyOk, 190001, 210012},
    {"Year", Check::kInteger, kReq, kEmptyOk, 1900, 2100},
    {"FractionDate", Check::kDecimal, kReq, kEmptyOk, 1900, 2101},
    {"Actor1Code", Check::kText, kReq, kEmptyOk},
    {"Actor1Name", Check::kText, kReq, kEmptyOk},
    {"Actor1CountryCode", Check::kText, kReq, kEmptyOk},
    {"Actor1KnownGroupCode", Check::kText, kReq, kEmptyOk},
    {"Actor1EthnicCode", Check::kText, kReq, kEmptyOk},
    {"Actor1Religion1Code", Check::kText, kReq, kEmptyOk},
    {"Actor1Religion2Code", Check::kText, kReq, kEmptyOk},
    {"Actor1Type1Code", Check::kText, kReq, kEmptyOk},
    {"Actor1Type2Code", Check::kText, kReq, kEmptyOk},
    {"Actor1Type3Code", Check::kText, kReq, kEmptyOk},
    {"Actor2Code", Check::kText, kReq, kEmptyOk},
    {"Actor2Name", Check::kText, kReq, kEmptyOk},
    {"Actor2CountryCode", Check::kText, kReq, kEmptyOk},
    {"Actor2KnownGroupCode", Check::kText, kReq, kEmptyOk},
    {"Actor2EthnicCode", Check::kText, kReq, kEmptyOk},
    {"Actor2Religion1Code", Check::kText, kReq, kEmptyOk},
    {"Actor2Religion2Code", Check::kText, kReq, kEmptyOk},
    {"Actor2Type1Code", Check::kText, kReq, kEmptyOk},
    {"Actor2Type2Code", Check::kText, kReq, kEmptyOk},
    {"Actor2Type3Code", Check::kText, kReq, kEmptyOk},
    {"IsRootEvent", Check::kEnum, kReq, kEmptyOk, 0, 0, "0|1", "not a boolean"},
    {"EventCode", Check::kInteger, kReq, kFull, 10, 2099},  // CAMEO, e.g. 0211 or 190
    {"EventBaseCode", Check::kInteger, kReq, kEmptyOk, 10, 2099},
    {"EventRootCode", Check::kInteger, kReq, kFull, 1, 20},
    {"QuadClass", Check::kInteger, kReq, kEmptyOk, 1, 4},
    {"GoldsteinScale", Check::kDecimal, kReq, kEmptyOk, -10, 10},
    {"NumMentions", Check::kInteger, kReq, kEmptyOk, 0, 1e12},
    {"NumSources", Check::kInteger, kReq, kEmptyOk, 0, 1e12},
    {"NumArticles", Check::kInteger, kReq, kEmptyOk, 0, 1e12},
    {"AvgTone", Check::kDecimal, kReq, kEmptyOk, -100, 100},
    {"Actor1Geo_Type", Check::kInteger, kReq, kEmptyOk, 0, 5},
    {"Actor1Geo_FullName", Check::kText, kReq, kEmptyOk},
    {"Actor1Geo_CountryCode", Check::kText, kReq, kEmptyOk},
    {"Actor1Geo_ADM1Code", Check::kText, kReq, kEmptyOk},
    {"Actor1Geo_ADM2Code", Check::kText, kReq, kEmptyOk},
    {"Actor1Geo_Lat", Check::kLatitude, kReq, kEmptyOk},
    {"Actor1Geo_Long", Check::kLongitude, kReq, kEmptyOk},
    {"Actor1Geo_FeatureID", Check::kText, kReq, kEmptyOk},
    {"Actor2Geo_Type", Check::kInteger, kReq, kEmptyOk, 0, 5},
    {"Actor2Geo_FullName", Check::kText, kReq, kEmptyOk},
    {"Actor2Geo_CountryCode", Check::kText, kReq, kEmptyOk},
    {"Actor2Geo_ADM1Code", Check::kText, kReq, kEmptyOk},
    {"Actor2Geo_ADM2Code", Check::kText, kReq, kEmptyOk},
    {"Actor2Geo_Lat", Check::kLatitude, kReq, kEmptyOk},
    {"Actor2Geo_Long", Check::kLongitude, kReq, kEmptyOk},
    {"Actor2Geo_FeatureID", Check::kText, kReq, kEmptyOk},
    {"ActionGeo_Type", Check::kInteger, kReq, kEmptyOk, 0, 5},
    {"ActionGeo_FullName", Check::kText, kReq, kEmptyOk},
    {"ActionGeo_CountryCode", Check::kText, kReq, kEmptyOk},
    {"ActionGeo_ADM1Code", Check::kText, kReq, kEmptyOk},
    {"ActionGeo_ADM2Code", Check::kText, kReq, kEmptyOk},
    {"ActionGeo_Lat", Check::kLatitude, kReq, kEmptyOk},
    {"ActionGeo_Long", Check::kLongitude, kReq, kEmptyOk},
    {"ActionGeo_FeatureID", Check::kText, kReq, kEmptyOk},
    {"DATEADDED", Check::kInteger, kReq, kEmptyOk, 19000101000000.0, 21001231235959.0},
    {"SOURCEURL", Check::kText, kReq, kEmptyOk},
};
static_assert(std::size(kGdeltRules) == kGdeltColumns, "one GDELT rule per column");

std::span<const FieldRule> RulesOf(EventFormat f) {
  switch (f) {
    case EventFormat::kGed: return kGedRules;
    case EventFormat::kAcled: return kAcledRules;
    case EventFormat::kGdelt: return kGdeltRules;
    case EventFormat::kJsonl: break;  // a JSON schema of its own: EventFromJson
  }
  return {};
}

std::string RangeText(double lo, double hi) {
  auto num = [](double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.15g", v);
    return std::string(buf);
  };
  return num(lo) + ".." + num(hi);
}

bool InEnum(std::string_view v, std::string_view values, bool ignore_case) {
  while (true) {
    std::size_t bar = values.find('|');
    std::string_view one = values.substr(0, bar);
    if (ignore_case ? EqualsIgnoreCase(v, one) : v == one) return true;
    if (bar == std::string_view::npos) return false;
    values.remove_prefix(bar + 1);
  }
}

std::string EnumText(std::string_view values) {
  std::string out;
  for (char c : values) out += c == '|' ? std::string(", ") : std::string(1, c);
  return out;
}

// Checks one value against its rule (text is checked for UTF-8 over the
// whole record by CheckText).
bool CheckField(EventFormat format, const FieldRule& r, std::string_view v, Problem* p) {
  const std::string col = r.column;
  if (r.check == Check::kId) return CheckId(format, v, p);
  const bool empty = Trim(v).empty();
  if (r.check == Check::kText) {
    return !empty || r.empty_ok || Fail(p, col, "missing value: '" + col + "' is empty");
  }
  if (empty && r.empty_ok && r.check != Check::kCount) return true;
  switch (r.check) {
    case Check::kId:
    case Check::kText: return true;
    case Check::kCount: {
      std::int32_t n;
      return ParseDeaths(v, col, &n, p);
    }
    case Check::kLatitude:
    case Check::kLongitude: {
      double d;
      return ParseCoordinate(v, col, r.check == Check::kLatitude, &d, p);
    }
    case Check::kDate: {
      Day d;
      return ParseDay(v, col, &d, p);
    }
    case Check::kEnum:
      if (InEnum(Trim(v), r.values, r.ignore_case)) return true;
      return Fail(p, col, std::string(r.what) + ": '" + col + "' = " + Quote(v) + " is not one of " +
                              EnumText(r.values));
    case Check::kInteger: {
      long long n = 0;
      if (empty) return Fail(p, col, "missing value: '" + col + "' is empty");
      if (ParseLong(v, &n) != Num::kOk) {
        return Fail(p, col, "not an integer: '" + col + "' = " + Quote(v));
      }
      if (n < r.lo || n > r.hi) {
        return Fail(p, col, "out of range " + RangeText(r.lo, r.hi) + ": '" + col + "' = " + Quote(v));
      }
      return true;
    }
    case Check::kIntList: {
      std::string_view rest = v;
      while (true) {
        std::size_t comma = rest.find(',');
        long long n = 0;
        if (ParseLong(rest.substr(0, comma), &n) != Num::kOk || n < r.lo || n > r.hi) {
          return Fail(p, col, "not a list of codes " + RangeText(r.lo, r.hi) + ": '" + col + "' = " +
                                  Quote(v));
        }
        if (comma == std::string_view::npos) return true;
        rest.remove_prefix(comma + 1);
      }
    }
    case Check::kDecimal: {
      double d = 0;
      if (empty) return Fail(p, col, "missing value: '" + col + "' is empty");
      if (ParseDouble(v, &d) != Num::kOk) return Fail(p, col, "not a number: '" + col + "' = " + Quote(v));
      if (d < r.lo || d > r.hi) {
        return Fail(p, col, "out of range " + RangeText(r.lo, r.hi) + ": '" + col + "' = " + Quote(v));
      }
      return true;
    }
  }
  return true;
}

// The rules of the columns one file has, resolved to positions once per file.
class FieldChecker {
 public:
  FieldChecker() = default;
  // `position(name)` is the column's index in the file or -1.
  template <typename PositionFn>
  FieldChecker(EventFormat format, PositionFn position) : format_(format) {
    for (const FieldRule& r : RulesOf(format)) {
      int i = position(r.column);
      if (i < 0) continue;
      if (r.check == Check::kText || r.check == Check::kId) {
        text_.emplace_back(i, r.column);
      }
      if (r.check != Check::kText || !r.empty_ok) checks_.emplace_back(static_cast<std::size_t>(i), &r);
    }
  }
  // The required columns of the format that `position` does not find.
  template <typename PositionFn>
  static std::vector<std::string> Missing(EventFormat format, PositionFn position) {
    std::vector<std::string> out;
    for (const FieldRule& r : RulesOf(format)) {
      if (r.required && position(r.column) < 0) out.emplace_back(r.column);
    }
    return out;
  }
  // The first rule the record breaks, in codebook order (UTF-8 first).
  bool Validate(const Fields& f, std::string_view raw, Problem* p) const {
    // The id first: a record with a bad id is reported by its id.
    for (const auto& [col, rule] : checks_) {
      if (rule->check == Check::kId && !CheckField(format_, *rule, f[col], p)) return false;
    }
    if (!CheckText(raw, f, text_, p)) return false;
    for (const auto& [col, rule] : checks_) {
      if (rule->check != Check::kId && !CheckField(format_, *rule, f[col], p)) return false;
    }
    return true;
  }

 private:
  EventFormat format_ = EventFormat::kGed;
  std::vector<std::pair<std::size_t, const FieldRule*>> checks_;
  std::vector<std::pair<int, std::string>> text_;
};

std::string DescribeRule(EventFormat format, const FieldRule& r) {
  std::string d;
  switch (r.check) {
    case Check::kId: return EventIdRule(format);
    case Check::kText: return r.empty_ok ? "text" : "text, not empty";
    case Check::kCount: return "death count: a whole number >= 0, not empty";
    case Check::kInteger: d = "integer " + RangeText(r.lo, r.hi); break;
    case Check::kIntList: d = "integers " + RangeText(r.lo, r.hi) + " separated by commas"; break;
    case Check::kDecimal: d = "number " + RangeText(r.lo, r.hi); break;
    case Check::kLatitude: d = "latitude -90..90"; break;
    case Check::kLongitude: d = "longitude -180..180"; break;
    case Check::kDate: d = "date (YYYY-MM-DD, a time may follow; or YYYYMMDD)"; break;
    case Check::kEnum:
      d = "one of " + EnumText(r.values) + (r.ignore_case ? " (any case)" : "");
      break;
  }
  return d + (r.empty_ok ? ", or empty" : ", not empty");
}

// ---- FIPS 10-4 and ISO 3166 numeric codes (catalog/fips_countries.csv) -------

struct CodeTable {
  std::unordered_map<std::string, int> by_fips;
  std::unordered_map<int, int> by_iso_numeric;
};

const CodeTable& Codes() {
  static const CodeTable* table = [] {
    auto* t = new CodeTable;
    Result<std::string_view> text = catalog::FindEmbedded("fips_countries.csv");
    assert(text.ok() && "catalog/fips_countries.csv is embedded");
    auto reader = CsvReader::FromString(std::string(*text), "fips_countries.csv");
    CsvRecord rec;
    bool header = true;
    while (true) {
      Result<bool> got = reader->Next(&rec);
      assert(got.ok() && "fips_countries.csv is well formed");
      if (!got.ok() || !*got) break;
      if (header) {
        assert(rec.fields.size() >= 3 && rec.fields[0] == "gw" && rec.fields[1] == "fips" &&
               rec.fields[2] == "iso_numeric");
        header = false;
        continue;
      }
      int gw = std::atoi(rec.fields[0].c_str());
      if (!rec.fields[1].empty()) t->by_fips.emplace(rec.fields[1], gw);
      if (!rec.fields[2].empty()) t->by_iso_numeric.emplace(std::atoi(rec.fields[2].c_str()), gw);
    }
    return t;
  }();
  return *table;
}

// ---- Header-mapped CSV formats -------------------------------------------------

class Mapper {
 public:
  virtual ~Mapper() = default;
  virtual std::size_t columns() const = 0;
  // Fills *e from a record with columns() fields; false with *p if it cannot.
  virtual bool Map(const Fields& f, std::string_view raw, Event* e, Problem* p) = 0;
};

// Column positions by header name; -1 when absent.
class HeaderIndex {
 public:
  explicit HeaderIndex(const std::vector<std::string>& header) {
    for (std::size_t i = 0; i < header.size(); ++i) {
      std::string name(Trim(header[i]));
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (!index_.emplace(name, static_cast<int>(i)).second) duplicates_.push_back(name);
    }
  }
  int Find(std::string_view name) const {
    auto it = index_.find(std::string(name));
    return it == index_.end() ? -1 : it->second;
  }
  // Position of a required column, noting it in *missing if absent.
  int Require(std::string_view name, std::vector<std::string>* missing) const {
    int i = Find(name);
    if (i < 0) missing->emplace_back(name);
    return i;
  }
  const std::vector<std::string>& duplicates() const { return duplicates_; }

 private:
  std::unordered_map<std::string, int> index_;
  std::vector<std::string> duplicates_;
};

// "a " or "an " before a format name.
std::string Article(std::string_view what) { return what.starts_with("A") ? "an " : "a "; }

Status WrongHeader(const std::string& name, const char* format_name,
                   const std::vector<std::string>& missing, const std::vector<std::string>& dups) {
  std::string m = name + ": not " + Article(format_name) + format_name + " file: ";
  if (!dups.empty()) {
    m += "the header repeats column '" + dups.front() + "'";
  } else {
    m += "the header lacks required column" + std::string(missing.size() > 1 ? "s " : " ");
    for (std::size_t i = 0; i < missing.size(); ++i) m += (i ? ", '" : "'") + missing[i] + "'";
  }
  return Status::InvalidArgument(m);
}

std::string_view At(const Fields& f, int col) {
  return col < 0 ? std::string_view() : f[static_cast<std::size_t>(col)];
}

// UCDP GED (any column order; extra columns ignored). Required columns are
// the ones an event cannot do without (id, violence type, sides, country,
// dates, coordinates, deaths); the descriptive ones are optional.
class GedMapper : public Mapper {
 public:
  static Result<std::unique_ptr<GedMapper>> Make(const std::vector<std::string>& header,
                                                 const std::string& name,
                                                 const CountryTable& countries) {
    HeaderIndex h(header);
    auto m = std::unique_ptr<GedMapper>(new GedMapper(countries));
    m->columns_ = header.size();
    m->id_ = h.Find("id");
    m->type_ = h.Find("type_of_violence");
    m->side_a_ = h.Find("side_a");
    m->side_b_ = h.Find("side_b");
    m->country_ = h.Find("country");
    m->country_id_ = h.Find("country_id");
    m->lat_ = h.Find("latitude");
    m->lon_ = h.Find("longitude");
    m->date_start_ = h.Find("date_start");
    m->date_end_ = h.Find("date_end");
    m->best_ = h.Find("best");
    m->low_ = h.Find("low");
    m->high_ = h.Find("high");
    m->civilians_ = h.Find("deaths_civilians");
    m->date_prec_ = h.Find("date_prec");
    m->where_prec_ = h.Find("where_prec");
    m->where_ = h.Find("where_description");
    m->adm1_ = h.Find("adm_1");
    m->adm2_ = h.Find("adm_2");
    m->sources_ = h.Find("number_of_sources");
    m->headline_ = h.Find("source_headline");
    m->deaths_a_ = h.Find("deaths_a");
    m->deaths_b_ = h.Find("deaths_b");
    m->unknown_ = h.Find("deaths_unknown");
    auto position = [&](const char* column) { return h.Find(column); };
    std::vector<std::string> missing = FieldChecker::Missing(EventFormat::kGed, position);
    if (!missing.empty() || !h.duplicates().empty()) {
      return WrongHeader(name, "UCDP GED CSV", missing, h.duplicates());
    }
    m->checker_ = FieldChecker(EventFormat::kGed, position);
    return m;
  }

  std::size_t columns() const override { return columns_; }

  bool Map(const Fields& f, std::string_view raw, Event* e, Problem* p) override {
    if (!checker_.Validate(f, raw, p)) return false;  // every column's rule
    std::string_view id = Trim(f[id_]);
    std::string_view type = Trim(f[type_]);
    if (type == "1") {
      e->violence = Violence::kStateBased;
    } else if (type == "2") {
      e->violence = Violence::kNonState;
    } else if (type == "3") {
      e->violence = Violence::kOneSided;
    } else {
      return Fail(p, "type_of_violence",
                  "unknown violence type: 'type_of_violence' = " + Quote(f[type_]) + " (UCDP uses 1, 2, 3)");
    }
    if (!ParseDay(f[date_start_], "date_start", &e->date_start, p)) return false;
    if (!ParseDay(f[date_end_], "date_end", &e->date_end, p)) return false;
    if (e->date_end < e->date_start) {
      return Fail(p, "date_end", "end before start: 'date_end' = " + FormatDate(e->date_end) +
                                     " is before 'date_start' = " + FormatDate(e->date_start));
    }
    if (!ParseCode(At(f, date_prec_), "date_prec", 0, 5, &e->date_precision, p)) return false;
    if (!ParseCoordinate(f[lat_], "latitude", true, &e->latitude, p)) return false;
    if (!ParseCoordinate(f[lon_], "longitude", false, &e->longitude, p)) return false;
    if (!CheckCoordinatePair(*e, "latitude", "longitude", p)) return false;
    if (!ParseCode(At(f, where_prec_), "where_prec", 0, 7, &e->geo_precision, p)) return false;
    if (!ParseDeaths(f[best_], "best", &e->deaths_best, p)) return false;
    if (!ParseDeaths(f[low_], "low", &e->deaths_low, p)) return false;
    if (!ParseDeaths(f[high_], "high", &e->deaths_high, p)) return false;
    if (!ParseDeaths(f[civilians_], "deaths_civilians", &e->deaths_civilians, p)) return false;
    // UCDP's best estimate is the sum of its parts; low and high are kept as
    // published even when they do not bracket best (about 1% of GED 23.1
    // events, e.g. CAF 30272: low 8, best 8, high 4), since quarantining
    // them would drop real deaths from every series.
    if (deaths_a_ >= 0 && deaths_b_ >= 0 && unknown_ >= 0) {
      std::int32_t a = 0, b = 0, unknown = 0;
      if (!ParseDeaths(f[deaths_a_], "deaths_a", &a, p)) return false;
      if (!ParseDeaths(f[deaths_b_], "deaths_b", &b, p)) return false;
      if (!ParseDeaths(f[unknown_], "deaths_unknown", &unknown, p)) return false;
      const long long sum = static_cast<long long>(a) + b + e->deaths_civilians + unknown;
      if (sum != e->deaths_best) {
        return Fail(p, "best", "best " + std::to_string(e->deaths_best) +
                                   " is not the sum of deaths_a + deaths_b + deaths_civilians + "
                                   "deaths_unknown = " + std::to_string(sum));
      }
    }
    long long sources = 0;
    Num ns = ParseLong(At(f, sources_), &sources);
    if (ns == Num::kBad) {
      return Fail(p, "number_of_sources", "not an integer: 'number_of_sources' = " + Quote(At(f, sources_)));
    }
    e->sources = ns == Num::kOk && sources > 0 ? static_cast<std::int32_t>(std::min(sources, 1000000LL)) : 0;
    if (!ResolveCountry(f[country_id_], f[country_], &e->gw, p)) return false;

    e->source.assign("ged");
    e->event_id.assign(id);
    e->country.assign(Trim(f[country_]));
    e->admin1.assign(Trim(At(f, adm1_)));
    e->admin2.assign(Trim(At(f, adm2_)));
    e->location.assign(Trim(At(f, where_)));
    e->cell = PrioGridCell(e->latitude, e->longitude);
    e->event_type.assign(type);
    e->sub_event_type.clear();
    e->actor1.assign(Trim(f[side_a_]));
    e->actor2.assign(Trim(f[side_b_]));
    e->civilian_targeting = e->violence == Violence::kOneSided;
    e->has_deaths = true;
    e->notes.assign(Truncate(Trim(At(f, headline_)), kHeadlineMax));
    return true;
  }

 private:
  explicit GedMapper(const CountryTable& countries) : countries_(countries) {}

  bool ResolveCountry(std::string_view code_text, std::string_view name, int* gw, Problem* p) {
    key_.assign(code_text);
    key_ += '\x1f';
    key_.append(name);
    auto it = cache_.find(key_);
    if (it == cache_.end()) {
      long long code = 0;
      const Country* c = nullptr;
      if (ParseLong(code_text, &code) == Num::kOk && code > 0 && code < 1000) {
        c = ResolvePanelCountry(countries_, static_cast<int>(code), Trim(name));
      }
      it = cache_.emplace(key_, c ? c->gw : 0).first;
    }
    if (it->second == 0) {
      return Fail(p, "country_id", "unknown country: 'country_id' = " + Quote(code_text) + " ('" +
                                       std::string(Trim(name)) + "') is not a state in vigil's country table");
    }
    *gw = it->second;
    return true;
  }

  const CountryTable& countries_;
  std::size_t columns_ = 0;
  int id_, type_, side_a_, side_b_, country_, country_id_, lat_, lon_, date_start_, date_end_, best_,
      low_, high_, civilians_, date_prec_, where_prec_, where_, adm1_, adm2_, sources_, headline_, deaths_a_,
      deaths_b_, unknown_;
  FieldChecker checker_;
  std::string key_;
  std::unordered_map<std::string, int> cache_;
};

// ACLED's public export. Required: event_id_cnty, event_date, event_type,
// actor1, country, latitude, longitude, fatalities. Optional (older exports
// lack some): sub_event_type, actor2, inter1, inter2, civilian_targeting, iso,
// admin1, admin2, location, geo_precision, time_precision, source, notes.
class AcledMapper : public Mapper {
 public:
  static Result<std::unique_ptr<AcledMapper>> Make(const std::vector<std::string>& header,
                                                   const std::string& name,
                                                   const CountryTable& countries) {
    HeaderIndex h(header);
    auto m = std::unique_ptr<AcledMapper>(new AcledMapper(countries));
    m->columns_ = header.size();
    m->id_ = h.Find("event_id_cnty");
    m->date_ = h.Find("event_date");
    m->type_ = h.Find("event_type");
    m->actor1_ = h.Find("actor1");
    m->country_ = h.Find("country");
    m->lat_ = h.Find("latitude");
    m->lon_ = h.Find("longitude");
    m->fatalities_ = h.Find("fatalities");
    m->sub_type_ = h.Find("sub_event_type");
    m->actor2_ = h.Find("actor2");
    m->inter1_ = h.Find("inter1");
    m->inter2_ = h.Find("inter2");
    m->civ_ = h.Find("civilian_targeting");
    m->iso_ = h.Find("iso");
    m->adm1_ = h.Find("admin1");
    m->adm2_ = h.Find("admin2");
    m->location_ = h.Find("location");
    m->geo_prec_ = h.Find("geo_precision");
    m->time_prec_ = h.Find("time_precision");
    m->source_ = h.Find("source");
    m->notes_ = h.Find("notes");
    auto position = [&](const char* column) { return h.Find(column); };
    std::vector<std::string> missing = FieldChecker::Missing(EventFormat::kAcled, position);
    if (!missing.empty() || !h.duplicates().empty()) {
      return WrongHeader(name, "ACLED CSV", missing, h.duplicates());
    }
    m->checker_ = FieldChecker(EventFormat::kAcled, position);
    return m;
  }

  std::size_t columns() const override { return columns_; }

  static bool IsStateForces(std::string_view inter) {
    inter = Trim(inter);
    return inter == "1" || StartsWithIgnoreCase(inter, "state forces");
  }

  bool Map(const Fields& f, std::string_view raw, Event* e, Problem* p) override {
    if (!checker_.Validate(f, raw, p)) return false;  // every column's rule
    std::string_view id = Trim(f[id_]);
    if (!ParseDay(f[date_], "event_date", &e->date_start, p)) return false;
    e->date_end = e->date_start;
    int time_prec = 0;
    if (!ParseCode(At(f, time_prec_), "time_precision", 0, 3, &time_prec, p)) return false;
    static constexpr int kDatePrec[4] = {0, 1, 3, 4};  // ACLED day/week/month -> GED's 1/3/4
    e->date_precision = kDatePrec[time_prec];
    if (!ParseCoordinate(f[lat_], "latitude", true, &e->latitude, p)) return false;
    if (!ParseCoordinate(f[lon_], "longitude", false, &e->longitude, p)) return false;
    if (!CheckCoordinatePair(*e, "latitude", "longitude", p)) return false;
    if (!ParseCode(At(f, geo_prec_), "geo_precision", 0, 3, &e->geo_precision, p)) return false;
    std::int32_t fatalities = 0;
    if (!ParseDeaths(f[fatalities_], "fatalities", &fatalities, p)) return false;

    std::string_view type = Trim(f[type_]);
    const bool civ_flag = !Trim(At(f, civ_)).empty();
    const bool state = IsStateForces(At(f, inter1_)) || IsStateForces(At(f, inter2_));
    bool civilians = civ_flag;
    if (EqualsIgnoreCase(type, "Violence against civilians")) {
      e->violence = Violence::kOneSided;
      civilians = true;
    } else if (EqualsIgnoreCase(type, "Battles")) {
      e->violence = state ? Violence::kStateBased : Violence::kNonState;
    } else if (EqualsIgnoreCase(type, "Explosions/Remote violence")) {
      e->violence = civ_flag ? Violence::kOneSided : state ? Violence::kStateBased : Violence::kNonState;
    } else if (EqualsIgnoreCase(type, "Riots") || EqualsIgnoreCase(type, "Protests")) {
      e->violence = Violence::kUnrest;
    } else if (EqualsIgnoreCase(type, "Strategic developments")) {
      e->violence = Violence::kUnknown;
    } else {
      return Fail(p, "event_type", "unknown violence type: ACLED event_type " + Quote(f[type_]) +
                                       " is not one of Battles, Violence against civilians, "
                                       "Explosions/Remote violence, Riots, Protests, Strategic developments");
    }
    if (!ResolveCountry(At(f, iso_), f[country_], &e->gw, p)) return false;

    e->source.assign("acled");
    e->event_id.assign(id);
    e->country.assign(Trim(f[country_]));
    e->admin1.assign(Trim(At(f, adm1_)));
    e->admin2.assign(Trim(At(f, adm2_)));
    e->location.assign(Trim(At(f, location_)));
    e->cell = PrioGridCell(e->latitude, e->longitude);
    e->event_type.assign(type);
    e->sub_event_type.assign(Trim(At(f, sub_type_)));
    e->actor1.assign(Trim(f[actor1_]));
    e->actor2.assign(Trim(At(f, actor2_)));
    e->civilian_targeting = civilians;
    e->has_deaths = true;
    e->deaths_best = e->deaths_low = e->deaths_high = fatalities;
    e->deaths_civilians = civilians ? fatalities : 0;
    std::int32_t sources = 0;  // ACLED lists its sources separated by ';'
    std::string_view src = Trim(At(f, source_));
    while (!src.empty()) {
      std::size_t semi = src.find(';');
      if (!Trim(src.substr(0, semi)).empty()) ++sources;
      if (semi == std::string_view::npos) break;
      src.remove_prefix(semi + 1);
    }
    e->sources = sources;
    e->notes.assign(Trim(At(f, notes_)));
    return true;
  }

 private:
  explicit AcledMapper(const CountryTable& countries) : countries_(countries) {}

  // ISO 3166 numeric code decides when vigil knows it; the name must then not
  // name another state. Without a known code the name decides.
  bool ResolveCountry(std::string_view iso_text, std::string_view name, int* gw, Problem* p) {
    key_.assign(iso_text);
    key_ += '\x1f';
    key_.append(name);
    auto it = cache_.find(key_);
    if (it == cache_.end()) {
      int found = 0;
      std::string why;
      long long iso = 0;
      const Country* by_iso = nullptr;
      if (ParseLong(iso_text, &iso) == Num::kOk) {
        auto c = Codes().by_iso_numeric.find(static_cast<int>(iso));
        if (c != Codes().by_iso_numeric.end()) by_iso = countries_.ByGw(c->second);
      }
      const Country* by_name = countries_.ByName(Trim(name));
      if (by_iso && by_name && by_iso->gw != by_name->gw) {
        why = "country " + Quote(name) + " does not match 'iso' = " + Quote(iso_text) + " (" + by_iso->name + ")";
      } else if (by_iso || by_name) {
        found = (by_iso ? by_iso : by_name)->gw;
      } else {
        why = "unknown country: 'country' = " + Quote(name) + " ('iso' = " + Quote(iso_text) +
              ") is not a state in vigil's country table";
      }
      it = cache_.emplace(key_, found).first;
      if (!found) reasons_[key_] = why;
    }
    if (it->second == 0) return Fail(p, "country", reasons_[key_]);
    *gw = it->second;
    return true;
  }

  const CountryTable& countries_;
  std::size_t columns_ = 0;
  int id_, date_, type_, actor1_, country_, lat_, lon_, fatalities_, sub_type_, actor2_, inter1_, inter2_,
      civ_, iso_, adm1_, adm2_, location_, geo_prec_, time_prec_, source_, notes_;
  FieldChecker checker_;
  std::string key_;
  std::unordered_map<std::string, int> cache_;
  std::unordered_map<std::string, std::string> reasons_;
};

// GDELT 2.0 event export: 61 tab-separated columns in the codebook's order.
namespace gd {
enum : int {
  kGlobalEventId = 0, kSqlDate = 1, kActor1Code = 5, kActor1Name = 6, kActor1CountryCode = 7,
  kActor1Type1 = 12, kActor2Code = 15, kActor2Name = 16, kActor2CountryCode = 17, kActor2Type1 = 22,
  kEventCode = 26, kEventRootCode = 28, kNumSources = 32, kActor1GeoCountry = 37,
  kActor2GeoCountry = 45, kActionGeoType = 51, kActionGeoFullName = 52, kActionGeoCountry = 53,
  kActionGeoAdm1 = 54, kActionGeoAdm2 = 55, kActionGeoLat = 56, kActionGeoLong = 57, kSourceUrl = 60,
};
}  // namespace gd

class GdeltMapper : public Mapper {
 public:
  explicit GdeltMapper(const CountryTable& countries) : countries_(countries) {}
  std::size_t columns() const override { return kGdeltColumns; }

  static bool HasType(const Fields& f, int first, std::initializer_list<std::string_view> types) {
    for (int i = first; i < first + 3; ++i) {
      std::string_view t = Trim(f[static_cast<std::size_t>(i)]);
      for (std::string_view x : types) {
        if (t == x) return true;
      }
    }
    return false;
  }

  bool Map(const Fields& f, std::string_view raw, Event* e, Problem* p) override {
    if (!checker_.Validate(f, raw, p)) return false;  // every column's rule
    std::string_view id = Trim(f[gd::kGlobalEventId]);
    if (!ParseDay(f[gd::kSqlDate], "SQLDATE", &e->date_start, p)) return false;
    e->date_end = e->date_start;
    e->date_precision = 0;
    if (!ParseCoordinate(f[gd::kActionGeoLat], "ActionGeo_Lat", true, &e->latitude, p)) return false;
    if (!ParseCoordinate(f[gd::kActionGeoLong], "ActionGeo_Long", false, &e->longitude, p)) return false;
    if (!CheckCoordinatePair(*e, "ActionGeo_Lat", "ActionGeo_Long", p)) return false;
    long long geo_type = 0;
    ParseLong(f[gd::kActionGeoType], &geo_type);
    // ActionGeo_Type 1 country, 2/5 first-order division, 3/4 city -> GED where_prec 6, 4, 1.
    e->geo_precision = geo_type == 1 ? 6 : (geo_type == 2 || geo_type == 5) ? 4 : (geo_type == 3 || geo_type == 4) ? 1 : 0;
    long long sources = 0;
    Num ns = ParseLong(f[gd::kNumSources], &sources);
    if (ns == Num::kBad) return Fail(p, "NumSources", "not an integer: 'NumSources' = " + Quote(f[gd::kNumSources]));
    e->sources = ns == Num::kOk && sources > 0 ? static_cast<std::int32_t>(std::min(sources, 1000000000LL)) : 0;
    if (!ResolveCountry(f, e, p)) return false;

    long long root = -1;
    ParseLong(f[gd::kEventRootCode], &root);
    const bool state_actor = HasType(f, gd::kActor1Type1, {"GOV", "MIL", "COP"}) ||
                             HasType(f, gd::kActor2Type1, {"GOV", "MIL", "COP"});
    bool civilian_target = HasType(f, gd::kActor2Type1, {"CVL"});
    if (!civilian_target && Trim(f[gd::kActor2Type1]).empty() && Trim(f[gd::kActor2Type1 + 1]).empty() &&
        Trim(f[gd::kActor2Type1 + 2]).empty()) {
      std::string_view code = f[gd::kActor2Code];
      civilian_target = code.find("GOV") == std::string_view::npos && code.find("MIL") == std::string_view::npos &&
                        code.find("REB") == std::string_view::npos;
    }
    if (root == 18 || root == 20) {
      e->violence = civilian_target ? Violence::kOneSided : state_actor ? Violence::kStateBased : Violence::kNonState;
    } else if (root == 19) {
      e->violence = state_actor ? Violence::kStateBased : Violence::kNonState;
    } else if (root == 14) {
      e->violence = Violence::kUnrest;
    } else {
      e->violence = Violence::kUnknown;
    }

    e->source.assign("gdelt");
    e->event_id.assign(id);
    e->admin1.assign(Trim(f[gd::kActionGeoAdm1]));
    e->admin2.assign(Trim(f[gd::kActionGeoAdm2]));
    e->location.assign(Trim(f[gd::kActionGeoFullName]));
    e->cell = PrioGridCell(e->latitude, e->longitude);
    e->event_type.assign(Trim(f[gd::kEventCode]));
    e->sub_event_type.assign(Trim(f[gd::kEventRootCode]));
    e->actor1.assign(Trim(f[gd::kActor1Name]));
    e->actor2.assign(Trim(f[gd::kActor2Name]));
    e->civilian_targeting = e->violence == Violence::kOneSided;
    e->has_deaths = false;
    e->deaths_best = e->deaths_low = e->deaths_high = e->deaths_civilians = 0;
    e->notes.assign(Trim(f[gd::kSourceUrl]));
    return true;
  }

 private:
  // ActionGeo_CountryCode (FIPS 10-4) first; without it the actors' geographic
  // FIPS codes, then their CAMEO country codes (ISO 3166 alpha-3).
  bool ResolveCountry(const Fields& f, Event* e, Problem* p) {
    for (int col : {gd::kActionGeoCountry, gd::kActor1GeoCountry, gd::kActor2GeoCountry}) {
      std::string_view code = Trim(f[static_cast<std::size_t>(col)]);
      if (code.empty()) continue;
      key_.assign(code);
      auto it = Codes().by_fips.find(key_);
      if (it != Codes().by_fips.end() && countries_.ByGw(it->second)) {
        e->gw = it->second;
        e->country.assign(code);
        return true;
      }
      if (col == gd::kActionGeoCountry) break;  // a located event outside vigil's states
    }
    if (Trim(f[gd::kActionGeoCountry]).empty()) {
      for (int col : {gd::kActor1CountryCode, gd::kActor2CountryCode}) {
        std::string_view code = Trim(f[static_cast<std::size_t>(col)]);
        if (code.size() != 3) continue;
        if (const Country* c = countries_.ByIso3(code)) {
          e->gw = c->gw;
          e->country.assign(code);
          return true;
        }
      }
    }
    std::string_view code = Trim(f[gd::kActionGeoCountry]);
    return Fail(p, "ActionGeo_CountryCode",
                code.empty() ? "unknown country: no ActionGeo_CountryCode and no actor country code "
                               "that vigil's country table knows"
                             : "unknown country: 'ActionGeo_CountryCode' = " + Quote(code) +
                                   " (FIPS 10-4) is not a state in vigil's country table");
  }

  // GDELT's columns are positional: rule i is column i.
  static int Position(const char* column) {
    for (std::size_t i = 0; i < std::size(kGdeltRules); ++i) {
      if (std::strcmp(kGdeltRules[i].column, column) == 0) return static_cast<int>(i);
    }
    return -1;
  }
  const FieldChecker checker_{EventFormat::kGdelt, Position};
  const CountryTable& countries_;
  std::string key_;
};

// ---- Readers -------------------------------------------------------------------

// The reason of a CsvReader error without its "<name>:<line>: " prefix.
std::string CsvReason(const Status& s, const CsvReader& r, std::size_t line) {
  std::string prefix = r.Where(line) + ": ";
  const std::string& m = s.message();
  return m.compare(0, prefix.size(), prefix) == 0 ? m.substr(prefix.size()) : m;
}

void FillRejected(const std::string& path, const CsvRow& row, std::string field, std::string reason,
                  RejectedRow* r) {
  r->path = path;
  r->line = row.line;
  r->end_line = row.end_line;
  r->field = std::move(field);
  r->reason = std::move(reason);
  r->raw.assign(row.raw);
}

bool IsBlank(const CsvRow& row) { return row.fields.size() == 1 && row.raw.empty(); }

std::string ColumnCountReason(std::size_t expected, std::size_t found, const char* what) {
  return "wrong column count: expected " + std::to_string(expected) + " columns" + what + ", found " +
         std::to_string(found);
}

class CsvEventReader : public EventFileReader {
 public:
  CsvEventReader(std::string path, EventFormat format, std::size_t size, std::unique_ptr<CsvReader> csv,
                 std::vector<std::string> header, std::unique_ptr<Mapper> mapper)
      : EventFileReader(std::move(path), format, size),
        csv_(std::move(csv)),
        header_(std::move(header)),
        mapper_(std::move(mapper)) {}

  // GDELT has no header: its first record is checked here and kept for Next.
  Status CheckFirstGdeltRecord() {
    while (true) {
      Result<bool> got = csv_->NextView(&row_);
      if (!got.ok() && got.status().code() != Status::Code::kInvalidArgument) return got.status();
      if (got.ok() && !*got) return Status::Ok();  // empty file: no events
      if (got.ok() && IsBlank(row_)) continue;
      if (row_.fields.size() != kGdeltColumns) {
        return Status::InvalidArgument(
            path() + ": not a GDELT 2.0 event export: its first record (line " + std::to_string(row_.line) +
            ") has " + std::to_string(row_.fields.size()) + " tab-separated columns, not 61" +
            (row_.fields.size() == 57 || row_.fields.size() == 58 ? " (GDELT 1.0 files have 57 or 58)" : ""));
      }
      pending_ = true;
      return Status::Ok();
    }
  }

  Result<Kind> Next(Event* event, std::size_t* line, RejectedRow* rejected) override {
    while (true) {
      if (pending_) {
        pending_ = false;
      } else {
        Result<bool> got = csv_->NextView(&row_);
        if (!got.ok()) {
          if (got.status().code() != Status::Code::kInvalidArgument) return got.status();
          FillRejected(path(), row_, "", CsvReason(got.status(), *csv_, row_.line), rejected);
          return Kind::kRejected;
        }
        if (!*got) return Kind::kEnd;
      }
      if (IsBlank(row_)) continue;
      if (row_.fields.size() != mapper_->columns()) {
        FillRejected(path(), row_, "",
                     ColumnCountReason(mapper_->columns(), row_.fields.size(),
                                       header_.empty() ? "" : " as in the header"),
                     rejected);
        return Kind::kRejected;
      }
      if (!mapper_->Map(row_.fields, row_.raw, event, &problem_)) {
        FillRejected(path(), row_, std::move(problem_.field), std::move(problem_.reason), rejected);
        return Kind::kRejected;
      }
      *line = row_.line;
      return Kind::kEvent;
    }
  }

  const std::vector<std::string>& header() const override { return header_; }
  std::string_view last_raw() const override { return row_.raw; }
  std::size_t bytes_read() const override { return csv_->bytes_read(); }

 private:
  std::unique_ptr<CsvReader> csv_;
  std::vector<std::string> header_;
  std::unique_ptr<Mapper> mapper_;
  CsvRow row_;
  Problem problem_;
  bool pending_ = false;
};

class JsonlEventReader : public EventFileReader {
 public:
  JsonlEventReader(std::string path, std::size_t size, std::unique_ptr<CsvReader> lines,
                   const CountryTable& countries)
      : EventFileReader(std::move(path), EventFormat::kJsonl, size),
        lines_(std::move(lines)),
        countries_(countries) {}

  // The first non-blank line must be a JSON object.
  Status CheckFirstLine() {
    while (true) {
      Result<bool> got = lines_->NextView(&row_);
      if (!got.ok()) return got.status();
      if (!*got) return Status::Ok();
      if (Trim(row_.raw).empty()) continue;
      std::string_view t = Trim(row_.raw);
      if (t.front() != '{' || !CheckJsonDepth(t, path()).ok() || !nlohmann::json::accept(t)) {
        return Status::InvalidArgument(path() + ": not a vigil JSON-lines file: line " +
                                       std::to_string(row_.line) + " is not a JSON object");
      }
      pending_ = true;
      return Status::Ok();
    }
  }

  Result<Kind> Next(Event* event, std::size_t* line, RejectedRow* rejected) override {
    while (true) {
      if (pending_) {
        pending_ = false;
      } else {
        Result<bool> got = lines_->NextView(&row_);
        if (!got.ok()) return got.status();  // quoting is off: only I/O errors
        if (!*got) return Kind::kEnd;
      }
      if (Trim(row_.raw).empty()) continue;
      Result<Event> e = EventFromJson(row_.raw, countries_);
      if (!e.ok()) {
        const std::string& m = e.status().message();
        // EventFromJson messages start with the offending field when there is one.
        std::string field;
        if (m.size() > 1 && m[0] == '\'') {
          std::size_t close = m.find('\'', 1);
          if (close != std::string::npos) field = m.substr(1, close - 1);
        }
        FillRejected(path(), row_, field, m, rejected);
        return Kind::kRejected;
      }
      *event = std::move(*e);
      *line = row_.line;
      return Kind::kEvent;
    }
  }

  const std::vector<std::string>& header() const override { return header_; }
  std::string_view last_raw() const override { return row_.raw; }
  std::size_t bytes_read() const override { return lines_->bytes_read(); }

 private:
  std::unique_ptr<CsvReader> lines_;
  const CountryTable& countries_;
  std::vector<std::string> header_;
  CsvRow row_;
  bool pending_ = false;
};

// Reads a CSV header record: its column names, or InvalidArgument.
Result<std::vector<std::string>> ReadHeader(CsvReader& csv, const std::string& path, const char* what) {
  CsvRow row;
  while (true) {
    Result<bool> got = csv.NextView(&row);
    if (!got.ok()) {
      if (got.status().code() != Status::Code::kInvalidArgument) return got.status();
      return Status::InvalidArgument(path + ": not " + Article(what) + what + " file: malformed header (" +
                                     CsvReason(got.status(), csv, row.line) + ")");
    }
    if (!*got) return Status::InvalidArgument(path + ": empty file: no " + what + " header");
    if (!IsBlank(row)) break;
  }
  std::vector<std::string> header;
  header.reserve(row.fields.size());
  for (std::string_view f : row.fields) header.emplace_back(Trim(f));
  return header;
}

Result<std::unique_ptr<Mapper>> MakeMapper(EventFormat format, const std::vector<std::string>& header,
                                           const std::string& name, const CountryTable& countries) {
  switch (format) {
    case EventFormat::kGed: {
      VIGIL_ASSIGN_OR_RETURN(auto m, GedMapper::Make(header, name, countries));
      return std::unique_ptr<Mapper>(std::move(m));
    }
    case EventFormat::kAcled: {
      VIGIL_ASSIGN_OR_RETURN(auto m, AcledMapper::Make(header, name, countries));
      return std::unique_ptr<Mapper>(std::move(m));
    }
    case EventFormat::kGdelt: return std::unique_ptr<Mapper>(new GdeltMapper(countries));
    case EventFormat::kJsonl: break;
  }
  assert(false && "jsonl has no column mapper");
  return Status::Internal("no column mapper for jsonl");
}

// ---- JSON lines ------------------------------------------------------------------

// nlohmann's DOM parser with the parse error's text kept (no exceptions).
class JsonParser {
 public:
  using json = nlohmann::json;
  using number_integer_t = json::number_integer_t;
  using number_unsigned_t = json::number_unsigned_t;
  using number_float_t = json::number_float_t;
  using string_t = json::string_t;
  using binary_t = json::binary_t;

  explicit JsonParser(json& result) : dom_(result, false) {}
  bool null() { return dom_.null(); }
  bool boolean(bool v) { return dom_.boolean(v); }
  bool number_integer(number_integer_t v) { return dom_.number_integer(v); }
  bool number_unsigned(number_unsigned_t v) { return dom_.number_unsigned(v); }
  bool number_float(number_float_t v, const string_t& s) { return dom_.number_float(v, s); }
  bool string(string_t& v) { return dom_.string(v); }
  bool binary(binary_t& v) { return dom_.binary(v); }
  bool start_object(std::size_t n) { return dom_.start_object(n); }
  bool key(string_t& v) { return dom_.key(v); }
  bool end_object() { return dom_.end_object(); }
  bool start_array(std::size_t n) { return dom_.start_array(n); }
  bool end_array() { return dom_.end_array(); }
  bool parse_error(std::size_t position, const std::string& token, const nlohmann::detail::exception& ex) {
    error_ = ex.what();
    // "[json.exception.parse_error.101] parse error at line 1, column 5: ..." -> from "parse error"
    std::size_t at = error_.find("parse error");
    if (at != std::string::npos) error_ = error_.substr(at);
    (void)position;
    (void)token;
    return false;
  }
  const std::string& error() const { return error_; }

 private:
  nlohmann::detail::json_sax_dom_parser<json> dom_;
  std::string error_;
};

Status FieldError(std::string_view field, const std::string& reason) {
  return Status::InvalidArgument("'" + std::string(field) + "': " + reason);
}

Result<std::string> JsonString(const nlohmann::json& j, const char* key, bool required) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) {
    if (required) return FieldError(key, "missing (required)");
    return std::string();
  }
  if (!it->is_string()) return FieldError(key, "must be a string, not " + it->dump());
  return it->get<std::string>();
}

Result<long long> JsonInt(const nlohmann::json& j, const char* key, long long lo, long long hi,
                          long long dflt, bool* present = nullptr) {
  auto it = j.find(key);
  if (present) *present = it != j.end() && !it->is_null();
  if (it == j.end() || it->is_null()) return dflt;
  if (!it->is_number_integer()) {
    if (it->is_number_float()) return FieldError(key, "not a whole number: " + it->dump());
    return FieldError(key, "must be an integer, not " + it->dump());
  }
  long long v = it->get<long long>();
  if (v < lo || v > hi) {
    if (lo == 0 && v < 0 && std::string_view(key).starts_with("deaths")) {
      return FieldError(key, "negative deaths: " + it->dump());
    }
    return FieldError(key, "out of range " + std::to_string(lo) + ".." + std::to_string(hi) + ": " + it->dump());
  }
  return v;
}

Result<Day> JsonDate(const nlohmann::json& j, const char* key, bool required, Day dflt) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) {
    if (required) return FieldError(key, "missing (required)");
    return dflt;
  }
  if (!it->is_string()) return FieldError(key, "must be a date string YYYY-MM-DD, not " + it->dump());
  Result<Day> d = ParseDate(it->get_ref<const std::string&>());
  if (!d.ok()) return FieldError(key, d.status().message());
  return *d;
}

Result<double> JsonCoordinate(const nlohmann::json& j, const char* key, bool latitude) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::numeric_limits<double>::quiet_NaN();
  if (!it->is_number()) return FieldError(key, "must be a number or null, not " + it->dump());
  double v = it->get<double>();
  if (latitude ? !IsValidLatitude(v) : !IsValidLongitude(v)) {
    return FieldError(key, std::string("out of range (") + (latitude ? "-90..90" : "-180..180") + "): " + it->dump());
  }
  return v;
}

const char* const kJsonKeys[] = {
    "source",  "event_id",   "date_start",     "date_end", "date_precision", "gw",     "iso3",
    "country", "admin1",     "admin2",         "location", "latitude",       "longitude",
    "geo_precision", "cell", "violence",       "event_type", "sub_event_type", "actor1", "actor2",
    "civilian_targeting", "has_deaths", "deaths_best", "deaths_low", "deaths_high", "deaths_civilians",
    "sources", "notes"};

}  // namespace

// ---- Public functions --------------------------------------------------------------

const char* EventFormatName(EventFormat f) {
  switch (f) {
    case EventFormat::kGed: return "ged";
    case EventFormat::kAcled: return "acled";
    case EventFormat::kGdelt: return "gdelt";
    case EventFormat::kJsonl: return "jsonl";
  }
  return "?";
}

const char* EventIdField(EventFormat f) { return RuleFor(f).field; }
const char* EventIdRule(EventFormat f) { return RuleFor(f).rule; }

std::vector<EventFieldRule> EventFieldRules(EventFormat format) {
  std::vector<EventFieldRule> out;
  for (const FieldRule& r : RulesOf(format)) {
    out.push_back({r.column, format == EventFormat::kGdelt || r.required, DescribeRule(format, r)});
  }
  return out;
}

Result<EventFormat> ParseEventFormat(std::string_view name) {
  for (EventFormat f : {EventFormat::kGed, EventFormat::kAcled, EventFormat::kGdelt, EventFormat::kJsonl}) {
    if (EqualsIgnoreCase(name, EventFormatName(f))) return f;
  }
  return Status::InvalidArgument("unknown event format '" + std::string(name) +
                                 "' (ged, acled, gdelt, jsonl)");
}

Result<std::unique_ptr<EventFileReader>> EventFileReader::Open(const std::string& path, EventFormat format,
                                                               const CountryTable& countries) {
  const char delim = format == EventFormat::kGdelt ? '\t' : format == EventFormat::kJsonl ? '\0' : ',';
  VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<CsvReader> csv, CsvReader::Open(path, delim));
  std::error_code ec;
  const auto size = static_cast<std::size_t>(std::filesystem::file_size(path, ec));
  switch (format) {
    case EventFormat::kGed:
    case EventFormat::kAcled: {
      const char* what = format == EventFormat::kGed ? "UCDP GED CSV" : "ACLED CSV";
      VIGIL_ASSIGN_OR_RETURN(std::vector<std::string> header, ReadHeader(*csv, path, what));
      VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<Mapper> mapper, MakeMapper(format, header, path, countries));
      return std::unique_ptr<EventFileReader>(
          new CsvEventReader(path, format, size, std::move(csv), std::move(header), std::move(mapper)));
    }
    case EventFormat::kGdelt: {
      csv->set_quoting(false);
      auto r = std::make_unique<CsvEventReader>(path, format, size, std::move(csv), std::vector<std::string>{},
                                                std::make_unique<GdeltMapper>(countries));
      VIGIL_RETURN_IF_ERROR(r->CheckFirstGdeltRecord());
      return std::unique_ptr<EventFileReader>(std::move(r));
    }
    case EventFormat::kJsonl: {
      csv->set_quoting(false);
      auto r = std::make_unique<JsonlEventReader>(path, size, std::move(csv), countries);
      VIGIL_RETURN_IF_ERROR(r->CheckFirstLine());
      return std::unique_ptr<EventFileReader>(std::move(r));
    }
  }
  return Status::InvalidArgument(path + ": unknown format");
}

Result<Event> ParseEventRecord(EventFormat format, const std::vector<std::string>& header, std::string_view raw,
                               const CountryTable& countries) {
  if (format == EventFormat::kJsonl) return EventFromJson(raw, countries);
  std::unique_ptr<Mapper> mapper;
  if (format == EventFormat::kGdelt) {
    mapper = std::make_unique<GdeltMapper>(countries);
  } else {
    VIGIL_ASSIGN_OR_RETURN(mapper, MakeMapper(format, header, "stored header", countries));
  }
  auto csv = CsvReader::FromString(std::string(raw), "record", format == EventFormat::kGdelt ? '\t' : ',');
  if (format == EventFormat::kGdelt) csv->set_quoting(false);
  CsvRow row;
  Result<bool> got = csv->NextView(&row);
  if (!got.ok()) return Status::InvalidArgument(CsvReason(got.status(), *csv, row.line));
  if (!*got || IsBlank(row)) return Status::InvalidArgument("empty record");
  if (row.end_line != row.line || row.raw.size() != raw.size()) {
    // a line break outside quotes: more than one record
    CsvRow extra;
    Result<bool> more = csv->NextView(&extra);
    if (!more.ok() || *more) return Status::InvalidArgument("more than one record (a line break outside quotes)");
  }
  if (row.fields.size() != mapper->columns()) {
    return Status::InvalidArgument(ColumnCountReason(mapper->columns(), row.fields.size(),
                                                     header.empty() ? "" : " as in the header"));
  }
  Event e;
  Problem p;
  if (!mapper->Map(row.fields, row.raw, &e, &p)) return Status::InvalidArgument(p.reason);
  return e;
}

std::uint64_t EventFingerprint(const Event& e) {
  // Canonical serialization: every field in declaration order; strings as a
  // 4-byte length and their bytes, integers as 8 little-endian bytes, doubles
  // as their IEEE bits (all NaNs alike, -0 as 0). Hashed with BLAKE2b
  // (libsodium crypto_generichash) to 8 bytes, read little-endian.
  thread_local std::string buf;
  buf.clear();
  auto put_int = [](std::int64_t v) {
    auto u = static_cast<std::uint64_t>(v);
    for (int i = 0; i < 8; ++i) buf.push_back(static_cast<char>((u >> (8 * i)) & 0xFF));
  };
  auto put_str = [&](const std::string& s) {
    auto n = static_cast<std::uint32_t>(s.size());
    for (int i = 0; i < 4; ++i) buf.push_back(static_cast<char>((n >> (8 * i)) & 0xFF));
    buf.append(s);
  };
  auto put_double = [&](double d) {
    if (std::isnan(d)) {
      put_int(0x7FF8000000000000LL);
    } else {
      if (d == 0) d = 0;
      put_int(static_cast<std::int64_t>(std::bit_cast<std::uint64_t>(d)));
    }
  };
  put_str(e.source);
  put_str(e.event_id);
  put_int(e.date_start);
  put_int(e.date_end);
  put_int(e.date_precision);
  put_int(e.gw);
  put_str(e.country);
  put_str(e.admin1);
  put_str(e.admin2);
  put_str(e.location);
  put_double(e.latitude);
  put_double(e.longitude);
  put_int(e.geo_precision);
  put_int(e.cell);
  put_int(static_cast<int>(e.violence));
  put_str(e.event_type);
  put_str(e.sub_event_type);
  put_str(e.actor1);
  put_str(e.actor2);
  put_int(e.civilian_targeting);
  put_int(e.has_deaths);
  put_int(e.deaths_best);
  put_int(e.deaths_low);
  put_int(e.deaths_high);
  put_int(e.deaths_civilians);
  put_int(e.sources);
  put_str(e.notes);
  static const bool kInit = sodium_init() >= 0;
  assert(kInit && "libsodium initializes");
  (void)kInit;
  unsigned char out[8];
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(buf.data()), buf.size(), nullptr, 0);
  std::uint64_t h = 0;
  for (int i = 7; i >= 0; --i) h = (h << 8) | out[i];
  return h;
}

std::string EventToJson(const Event& e) {
  nlohmann::ordered_json j;
  j["source"] = e.source;
  j["event_id"] = e.event_id;
  j["date_start"] = FormatDate(e.date_start);
  j["date_end"] = FormatDate(e.date_end);
  j["date_precision"] = e.date_precision;
  j["gw"] = e.gw;
  j["country"] = e.country;
  j["admin1"] = e.admin1;
  j["admin2"] = e.admin2;
  j["location"] = e.location;
  if (std::isnan(e.latitude)) {
    j["latitude"] = nullptr;
  } else {
    j["latitude"] = e.latitude;
  }
  if (std::isnan(e.longitude)) {
    j["longitude"] = nullptr;
  } else {
    j["longitude"] = e.longitude;
  }
  j["geo_precision"] = e.geo_precision;
  j["cell"] = e.cell;
  j["violence"] = ViolenceName(e.violence);
  j["event_type"] = e.event_type;
  j["sub_event_type"] = e.sub_event_type;
  j["actor1"] = e.actor1;
  j["actor2"] = e.actor2;
  j["civilian_targeting"] = e.civilian_targeting;
  j["has_deaths"] = e.has_deaths;
  j["deaths_best"] = e.deaths_best;
  j["deaths_low"] = e.deaths_low;
  j["deaths_high"] = e.deaths_high;
  j["deaths_civilians"] = e.deaths_civilians;
  j["sources"] = e.sources;
  j["notes"] = e.notes;
  // Invalid UTF-8 (which readers never let in) is replaced, not thrown on.
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

Result<Event> EventFromJson(std::string_view line, const CountryTable& countries) {
  if (Status d = CheckJsonDepth(line, "event record"); !d.ok()) {
    return Status::InvalidArgument("not valid JSON: nested deeper than " + std::to_string(kMaxJsonDepth) +
                                   " levels");
  }
  nlohmann::json j;
  JsonParser parser(j);
  if (!nlohmann::json::sax_parse(line, &parser)) {
    return Status::InvalidArgument("not valid JSON: " + parser.error());
  }
  if (!j.is_object()) return Status::InvalidArgument("not a JSON object");
  for (const auto& item : j.items()) {
    bool known = false;
    for (const char* k : kJsonKeys) known = known || item.key() == k;
    if (!known) return FieldError(item.key(), "unknown field (see docs/events-jsonl.md)");
  }
  Event e;
  VIGIL_ASSIGN_OR_RETURN(e.source, JsonString(j, "source", true));
  if (Trim(e.source).empty()) return FieldError("source", "empty");
  VIGIL_ASSIGN_OR_RETURN(e.event_id, JsonString(j, "event_id", true));
  {
    Problem p;
    if (!CheckId(EventFormat::kJsonl, e.event_id, &p)) return FieldError("event_id", p.reason);
  }
  VIGIL_ASSIGN_OR_RETURN(e.date_start, JsonDate(j, "date_start", true, 0));
  VIGIL_ASSIGN_OR_RETURN(e.date_end, JsonDate(j, "date_end", false, e.date_start));
  if (e.date_end < e.date_start) {
    return FieldError("date_end", FormatDate(e.date_end) + " is before date_start " + FormatDate(e.date_start));
  }
  VIGIL_ASSIGN_OR_RETURN(long long date_prec, JsonInt(j, "date_precision", 0, 5, 0));
  e.date_precision = static_cast<int>(date_prec);

  // Country: gw, iso3 or country name; those given must agree.
  bool has_gw = false;
  VIGIL_ASSIGN_OR_RETURN(long long gw, JsonInt(j, "gw", 1, 999, 0, &has_gw));
  VIGIL_ASSIGN_OR_RETURN(std::string iso3, JsonString(j, "iso3", false));
  VIGIL_ASSIGN_OR_RETURN(e.country, JsonString(j, "country", false));
  const Country* c = nullptr;
  const char* by = nullptr;
  auto agree = [&](const Country* found, const char* key, const std::string& value) -> Status {
    if (!found) {
      return FieldError(key, "unknown country: " + Quote(value) + " is not a state in vigil's country table");
    }
    if (c && c->gw != found->gw) {
      return FieldError(key, Quote(value) + " (" + found->name + ") does not match '" + by + "' (" + c->name + ")");
    }
    c = found;
    by = key;
    return Status::Ok();
  };
  if (has_gw) VIGIL_RETURN_IF_ERROR(agree(countries.ByGw(static_cast<int>(gw)), "gw", std::to_string(gw)));
  if (!iso3.empty()) VIGIL_RETURN_IF_ERROR(agree(countries.ByIso3(iso3), "iso3", iso3));
  if (!e.country.empty()) {
    const Country* named = countries.ByName(e.country);
    if (named || !c) VIGIL_RETURN_IF_ERROR(agree(named, "country", e.country));
  }
  if (!c) return FieldError("country", "missing: give 'gw', 'iso3' or 'country'");
  e.gw = c->gw;
  if (e.country.empty()) e.country = c->name;

  VIGIL_ASSIGN_OR_RETURN(e.admin1, JsonString(j, "admin1", false));
  VIGIL_ASSIGN_OR_RETURN(e.admin2, JsonString(j, "admin2", false));
  VIGIL_ASSIGN_OR_RETURN(e.location, JsonString(j, "location", false));
  VIGIL_ASSIGN_OR_RETURN(e.latitude, JsonCoordinate(j, "latitude", true));
  VIGIL_ASSIGN_OR_RETURN(e.longitude, JsonCoordinate(j, "longitude", false));
  if (std::isnan(e.latitude) != std::isnan(e.longitude)) {
    return FieldError(std::isnan(e.latitude) ? "latitude" : "longitude", "missing while the other coordinate is given");
  }
  e.cell = PrioGridCell(e.latitude, e.longitude);  // "cell" on input is ignored: always computed
  VIGIL_ASSIGN_OR_RETURN(long long geo_prec, JsonInt(j, "geo_precision", 0, 7, 0));
  e.geo_precision = static_cast<int>(geo_prec);

  auto vit = j.find("violence");
  if (vit == j.end() || vit->is_null()) return FieldError("violence", "missing (required)");
  if (vit->is_number_integer()) {
    long long v = vit->get<long long>();
    if (v < 0 || v > 4) return FieldError("violence", "unknown violence type " + vit->dump());
    e.violence = static_cast<Violence>(v);
  } else if (vit->is_string()) {
    Result<Violence> v = ParseViolence(vit->get_ref<const std::string&>());
    if (!v.ok()) return FieldError("violence", v.status().message());
    e.violence = *v;
  } else {
    return FieldError("violence", "unknown violence type " + vit->dump());
  }
  VIGIL_ASSIGN_OR_RETURN(e.event_type, JsonString(j, "event_type", false));
  VIGIL_ASSIGN_OR_RETURN(e.sub_event_type, JsonString(j, "sub_event_type", false));
  VIGIL_ASSIGN_OR_RETURN(e.actor1, JsonString(j, "actor1", false));
  VIGIL_ASSIGN_OR_RETURN(e.actor2, JsonString(j, "actor2", false));
  VIGIL_ASSIGN_OR_RETURN(e.notes, JsonString(j, "notes", false));

  auto get_bool = [&](const char* key, bool dflt) -> Result<bool> {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return dflt;
    if (!it->is_boolean()) return FieldError(key, "must be true or false, not " + it->dump());
    return it->get<bool>();
  };
  VIGIL_ASSIGN_OR_RETURN(e.civilian_targeting, get_bool("civilian_targeting", e.violence == Violence::kOneSided));
  constexpr long long kMaxDeaths = 2000000000LL;
  bool has_best = false, has_low = false, has_high = false, has_civ = false;
  VIGIL_ASSIGN_OR_RETURN(long long best, JsonInt(j, "deaths_best", 0, kMaxDeaths, 0, &has_best));
  VIGIL_ASSIGN_OR_RETURN(long long low, JsonInt(j, "deaths_low", 0, kMaxDeaths, best, &has_low));
  VIGIL_ASSIGN_OR_RETURN(long long high, JsonInt(j, "deaths_high", 0, kMaxDeaths, best, &has_high));
  VIGIL_ASSIGN_OR_RETURN(long long civ, JsonInt(j, "deaths_civilians", 0, kMaxDeaths, 0, &has_civ));
  VIGIL_ASSIGN_OR_RETURN(e.has_deaths, get_bool("has_deaths", has_best || has_low || has_high || has_civ));
  e.deaths_best = static_cast<std::int32_t>(best);
  e.deaths_low = static_cast<std::int32_t>(low);
  e.deaths_high = static_cast<std::int32_t>(high);
  e.deaths_civilians = static_cast<std::int32_t>(civ);
  // low and high need not bracket best: GED publishes such events (see GedMapper).
  VIGIL_ASSIGN_OR_RETURN(long long sources, JsonInt(j, "sources", 0, 1000000000LL, 0));
  e.sources = static_cast<std::int32_t>(sources);
  return e;
}

}  // namespace vigil::data
