#include "data/country_month.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <unordered_map>

#include "data/countries.h"
#include "data/csv.h"

namespace vigil::data {

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::string Lower(std::string_view s) {
  std::string r(s);
  for (char& c : r) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return r;
}

bool IsMissing(std::string_view s) {
  s = Trim(s);
  return s.empty() || s == "NA" || s == "NaN" || s == "nan";
}

int FindColumn(const std::vector<std::string>& header, std::initializer_list<const char*> names) {
  for (const char* n : names) {
    for (std::size_t i = 0; i < header.size(); ++i) {
      if (Lower(Trim(header[i])) == Lower(n)) return static_cast<int>(i);
    }
  }
  return -1;
}

const std::initializer_list<const char*> kCodeCols = {"isocode", "iso3", "gw"};
const std::initializer_list<const char*> kMonthCols = {"period", "month"};
const std::initializer_list<const char*> kValueCols = {"fatalities_UCDP", "fatalities", "deaths",
                                                       "civilian_deaths"};

bool ParseDouble(std::string_view s, double* v) {
  s = Trim(s);
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *v);
  return ec == std::errc() && p == s.data() + s.size() && std::isfinite(*v);
}

bool ParseInt(std::string_view s, int* v) {
  s = Trim(s);
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *v);
  return ec == std::errc() && p == s.data() + s.size();
}

std::string Q(std::string_view s) { return "'" + std::string(s.substr(0, 40)) + (s.size() > 40 ? "...'" : "'"); }

}  // namespace

bool IsCountryMonthHeader(const std::vector<std::string>& header) {
  return FindColumn(header, kCodeCols) >= 0 && FindColumn(header, kMonthCols) >= 0 &&
         FindColumn(header, kValueCols) >= 0;
}

Result<CountryMonthFile> ReadCountryMonthFile(const std::string& path, const CountryTable& countries) {
  VIGIL_ASSIGN_OR_RETURN(auto reader, CsvReader::Open(path));
  CsvRecord rec;
  VIGIL_ASSIGN_OR_RETURN(bool has, reader->Next(&rec));
  if (!has) return Status::InvalidArgument(path + ": empty file");
  const std::vector<std::string> header = rec.fields;
  const int ci = FindColumn(header, kCodeCols), mi = FindColumn(header, kMonthCols),
            vi = FindColumn(header, kValueCols);
  if (ci < 0 || mi < 0 || vi < 0) {
    return Status::InvalidArgument(
        reader->Where(rec.line) +
        ": not a country-month file: needs a country column (isocode, iso3 or gw), a month column "
        "(period or month) and a value column (fatalities_UCDP, fatalities, deaths or "
        "civilian_deaths)");
  }
  CountryMonthFile out;
  out.path = path;
  out.code_column = header[ci];
  out.month_column = header[mi];
  out.value_column = header[vi];
  const bool by_gw = Lower(Trim(header[ci])) == "gw";

  struct Acc {
    std::string code;
    std::size_t line = 0;
    std::map<MonthIndex, std::pair<double, bool>> months;
  };
  std::map<int, Acc> by_state;
  std::map<std::string, UnresolvedCode> unresolved;
  std::unordered_map<std::string, const Country*> cache;
  bool any = false;
  while (true) {
    auto next = reader->Next(&rec);
    if (!next.ok()) return next.status();
    if (!*next) break;
    if (rec.fields.size() == 1 && Trim(rec.fields[0]).empty()) continue;  // blank line
    if (rec.fields.size() != header.size()) {
      return Status::InvalidArgument(fmt::format("{}: {} fields, the header has {}", reader->Where(rec.line),
                                                 rec.fields.size(), header.size()));
    }
    ++out.rows;
    const std::string code(Trim(rec.fields[ci]));
    auto month = ParseMonth(Trim(rec.fields[mi]));
    if (!month.ok()) {
      return Status::InvalidArgument(reader->Where(rec.line, header[mi]) + ": " + month.status().message());
    }
    double value = 0;
    bool present = true;
    if (IsMissing(rec.fields[vi])) {
      present = false;
      ++out.missing_values;
    } else if (!ParseDouble(rec.fields[vi], &value) || value < 0) {
      return Status::InvalidArgument(reader->Where(rec.line, header[vi]) + ": not a count >= 0: " +
                                     Q(rec.fields[vi]));
    }
    if (!any || *month < out.first) out.first = *month;
    if (!any || *month > out.last) out.last = *month;
    any = true;
    auto it = cache.find(code);
    if (it == cache.end()) {
      const Country* c = nullptr;
      if (by_gw) {
        int g = 0;
        if (ParseInt(code, &g)) c = countries.ByGw(g);
      } else {
        c = countries.ByIso3(code);
      }
      it = cache.emplace(code, c).first;
    }
    if (!it->second) {
      UnresolvedCode& u = unresolved[code];
      if (u.rows == 0) {
        u.code = code;
        u.first_line = rec.line;
      }
      ++u.rows;
      continue;
    }
    Acc& acc = by_state[it->second->gw];
    if (acc.line == 0) {
      acc.code = code;
      acc.line = rec.line;
    } else if (acc.code != code) {
      return Status::InvalidArgument(fmt::format(
          "{}: codes '{}' (line {}) and '{}' both name {} (gw {})", reader->Where(rec.line, header[ci]),
          acc.code, acc.line, code, it->second->name, it->second->gw));
    }
    if (!acc.months.emplace(*month, std::make_pair(value, present)).second) {
      return Status::InvalidArgument(fmt::format("{}: second row for {} {}", reader->Where(rec.line, header[mi]),
                                                 code, FormatMonth(*month)));
    }
  }
  for (auto& [gw, acc] : by_state) {
    CountryMonthSeries s;
    s.gw = gw;
    s.code = acc.code;
    s.first = acc.months.begin()->first;
    const MonthIndex last = acc.months.rbegin()->first;
    s.values.assign(static_cast<std::size_t>(last - s.first + 1), 0.0);
    s.present.assign(s.values.size(), 0);
    for (const auto& [m, vp] : acc.months) {
      s.values[static_cast<std::size_t>(m - s.first)] = vp.first;
      s.present[static_cast<std::size_t>(m - s.first)] = vp.second ? 1 : 0;
    }
    out.series.push_back(std::move(s));
  }
  for (auto& [code, u] : unresolved) out.unresolved.push_back(u);
  return out;
}

Result<std::vector<MassKillingEpisode>> ReadEpisodeList(const std::string& path,
                                                        const CountryTable& countries) {
  VIGIL_ASSIGN_OR_RETURN(auto reader, CsvReader::Open(path));
  CsvRecord rec;
  VIGIL_ASSIGN_OR_RETURN(bool has, reader->Next(&rec));
  if (!has) return Status::InvalidArgument(path + ": empty file");
  const std::vector<std::string> header = rec.fields;
  const int country = FindColumn(header, {"country"}), start = FindColumn(header, {"startyear"}),
            end = FindColumn(header, {"endyear"}), cow = FindColumn(header, {"mk_location_cow"}),
            name = FindColumn(header, {"mk_event_name"}), code = FindColumn(header, {"mk_event_code"}),
            led = FindColumn(header, {"State-Led or Non-State-Led"});
  for (auto [col, label] : {std::pair{country, "country"}, std::pair{start, "startyear"},
                            std::pair{end, "endyear"}, std::pair{cow, "mk_location_cow"}}) {
    if (col < 0) {
      return Status::InvalidArgument(reader->Where(rec.line) + ": not an EWP episode list: no column '" +
                                     label + "'");
    }
  }
  std::vector<MassKillingEpisode> out;
  while (true) {
    auto next = reader->Next(&rec);
    if (!next.ok()) return next.status();
    if (!*next) break;
    if (rec.fields.size() == 1 && Trim(rec.fields[0]).empty()) continue;
    if (rec.fields.size() != header.size()) {
      return Status::InvalidArgument(fmt::format("{}: {} fields, the header has {}", reader->Where(rec.line),
                                                 rec.fields.size(), header.size()));
    }
    MassKillingEpisode e;
    e.line = rec.line;
    e.country = std::string(Trim(rec.fields[country]));
    if (name >= 0) e.name = std::string(Trim(rec.fields[name]));
    if (code >= 0) e.code = std::string(Trim(rec.fields[code]));
    if (led >= 0) e.state_led = Lower(Trim(rec.fields[led])) == "state-led";
    if (!ParseInt(rec.fields[start], &e.start_year) || e.start_year < 1800 || e.start_year > 2100) {
      return Status::InvalidArgument(reader->Where(rec.line, header[start]) + ": not a year: " +
                                     Q(rec.fields[start]));
    }
    if (IsMissing(rec.fields[end])) {
      e.end_year = 0;
    } else if (!ParseInt(rec.fields[end], &e.end_year) || e.end_year < e.start_year || e.end_year > 2100) {
      return Status::InvalidArgument(reader->Where(rec.line, header[end]) +
                                     ": not a year >= startyear or NA: " + Q(rec.fields[end]));
    }
    if (IsMissing(rec.fields[cow])) {
      e.problem = "no mk_location_cow code";
    } else if (!ParseInt(rec.fields[cow], &e.cow) || e.cow <= 0) {
      return Status::InvalidArgument(reader->Where(rec.line, header[cow]) + ": not a COW code: " +
                                     Q(rec.fields[cow]));
    }
    if (e.problem.empty()) {
      const Country* c = ResolvePanelCountry(countries, e.cow, e.country);
      if (c) {
        e.gw = c->gw;
        e.resolved_name = c->name;
      } else if (!countries.ByGw(e.cow) && !countries.ByCow(e.cow)) {
        e.problem = fmt::format("code {} is neither a COW nor a GW code of the country table", e.cow);
      } else {
        e.problem = fmt::format("code {} does not name '{}' in the country table", e.cow, e.country);
      }
    }
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace vigil::data
