#include "data/countries.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "core/embedded.h"
#include "data/csv.h"
#include "data/panel_csv.h"  // Sha256Hex

namespace vigil::data {

namespace {

constexpr std::array<const char*, 8> kColumns = {"gw",         "cow",       "iso3",   "name",
                                                 "region",     "first_year", "last_year",
                                                 "aliases"};
enum Col { kGw, kCow, kIso3, kName, kRegion, kFirstYear, kLastYear, kAliases };

std::string HeaderList() {
  std::string s;
  for (const char* c : kColumns) s += (s.empty() ? "" : ",") + std::string(c);
  return s;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// Parses an integer in [lo, hi]; an empty field gives nullopt when allowed.
Result<std::optional<int>> ParseInt(std::string_view field, bool required, int lo, int hi,
                                    const std::string& where) {
  std::string_view s = Trim(field);
  if (s.empty()) {
    if (required) return Status::InvalidArgument(where + "value is missing");
    return std::optional<int>();
  }
  int v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) {
    return Status::InvalidArgument(where + "'" + std::string(field) + "' is not an integer");
  }
  if (v < lo || v > hi) {
    return Status::InvalidArgument(where + std::to_string(v) + " is outside " +
                                   std::to_string(lo) + ".." + std::to_string(hi));
  }
  return std::optional<int>(v);
}

// Canonical text of the table (fields and every lookup key), hashed to
// identify its content.
std::string CanonicalForm(const CountryTable& t) {
  std::string s;
  for (const Country& c : t.all()) {
    s += std::to_string(c.gw) + '\t' + std::to_string(c.cow) + '\t' + c.iso3 + '\t' + c.name +
         '\t' + c.region + '\t' + std::to_string(c.first_year) + '\t' +
         std::to_string(c.last_year);
    for (const std::string& a : c.aliases) s += '\t' + a;
    s += '\n';
  }
  for (const auto& [key, gw] : t.NameKeys()) s += key + '\t' + std::to_string(gw) + '\n';
  return s;
}

}  // namespace

Result<CountryTable> ParseCountries(std::string_view csv, const std::string& source_name) {
  auto reader = CsvReader::FromString(std::string(csv), source_name);
  CsvRecord rec;

  auto header = reader->Next(&rec);
  if (!header.ok()) return header.status();
  if (!*header) {
    return Status::InvalidArgument(source_name + ": empty; expected the header " + HeaderList());
  }
  std::array<int, kColumns.size()> pos;
  pos.fill(-1);
  for (std::size_t f = 0; f < rec.fields.size(); ++f) {
    std::string_view name = Trim(rec.fields[f]);
    std::size_t k = 0;
    while (k < kColumns.size() && name != kColumns[k]) ++k;
    if (k == kColumns.size()) {
      return Status::InvalidArgument(reader->Where(rec.line, name) + ": unknown column (expected " +
                                     HeaderList() + ")");
    }
    if (pos[k] >= 0) {
      return Status::InvalidArgument(reader->Where(rec.line, name) + ": column appears twice");
    }
    pos[k] = static_cast<int>(f);
  }
  for (std::size_t k = 0; k < kColumns.size(); ++k) {
    if (pos[k] < 0) {
      return Status::InvalidArgument(reader->Where(rec.line, kColumns[k]) +
                                     ": missing column (the header must name " + HeaderList() +
                                     ")");
    }
  }
  const std::size_t num_fields = rec.fields.size();

  std::vector<Country> countries;
  std::vector<std::string> origins;
  while (true) {
    auto more = reader->Next(&rec);
    if (!more.ok()) return more.status();
    if (!*more) break;
    if (rec.fields.size() == 1 && Trim(rec.fields[0]).empty()) continue;  // blank line
    if (rec.fields.size() != num_fields) {
      return Status::InvalidArgument(reader->Where(rec.line) + ": expected " +
                                     std::to_string(num_fields) + " fields, found " +
                                     std::to_string(rec.fields.size()));
    }
    auto field = [&](Col c) -> const std::string& { return rec.fields[pos[c]]; };
    auto where = [&](Col c) { return reader->Where(rec.line, kColumns[c]) + ": "; };

    Country c;
    VIGIL_ASSIGN_OR_RETURN(auto gw, ParseInt(field(kGw), true, 1, 999, where(kGw)));
    c.gw = *gw;
    VIGIL_ASSIGN_OR_RETURN(auto cow, ParseInt(field(kCow), false, 1, 999, where(kCow)));
    c.cow = cow.value_or(0);
    c.iso3 = std::string(Trim(field(kIso3)));
    if (!c.iso3.empty()) {
      bool ok = c.iso3.size() == 3;
      for (char ch : c.iso3) ok = ok && ch >= 'A' && ch <= 'Z';
      if (!ok) {
        return Status::InvalidArgument(where(kIso3) + "'" + c.iso3 +
                                       "' is not three upper-case letters");
      }
    }
    c.name = std::string(Trim(field(kName)));
    if (c.name.empty()) return Status::InvalidArgument(where(kName) + "value is missing");
    c.region = std::string(Trim(field(kRegion)));
    if (c.region.empty()) return Status::InvalidArgument(where(kRegion) + "value is missing");
    VIGIL_ASSIGN_OR_RETURN(auto first,
                           ParseInt(field(kFirstYear), true, 1800, 2100, where(kFirstYear)));
    c.first_year = *first;
    VIGIL_ASSIGN_OR_RETURN(auto last,
                           ParseInt(field(kLastYear), false, 1800, 2100, where(kLastYear)));
    c.last_year = last.value_or(0);
    if (last && *last < c.first_year) {
      return Status::InvalidArgument(where(kLastYear) + std::to_string(*last) +
                                     " is before first_year " + std::to_string(c.first_year));
    }
    std::string_view aliases = Trim(field(kAliases));
    while (!aliases.empty()) {
      std::size_t bar = aliases.find('|');
      std::string_view a = Trim(aliases.substr(0, bar));
      if (a.empty()) {
        return Status::InvalidArgument(where(kAliases) + "empty alias in '" + field(kAliases) +
                                       "' (aliases are separated by '|')");
      }
      c.aliases.emplace_back(a);
      if (bar == std::string_view::npos) break;
      aliases.remove_prefix(bar + 1);
      if (Trim(aliases).empty()) {
        return Status::InvalidArgument(where(kAliases) + "empty alias at the end of '" +
                                       field(kAliases) + "'");
      }
    }
    countries.push_back(std::move(c));
    origins.push_back(reader->Where(rec.line));
  }
  if (countries.empty()) {
    return Status::InvalidArgument(source_name + ": no countries after the header");
  }
  VIGIL_ASSIGN_OR_RETURN(CountryTable table, CountryTable::Build(std::move(countries), origins));
  table.set_content_sha256(Sha256Hex(CanonicalForm(table)));
  return table;
}

const CountryTable& Countries() {
  static const CountryTable kTable = [] {
    auto csv = catalog::FindEmbedded("countries.csv");
    if (!csv.ok()) {
      std::fprintf(stderr, "vigil: %s\n", csv.status().message().c_str());
      std::abort();
    }
    auto table = ParseCountries(*csv, "catalog/countries.csv");
    if (!table.ok()) {
      std::fprintf(stderr, "vigil: the built-in country table is broken: %s\n",
                   table.status().message().c_str());
      std::abort();
    }
    return std::move(table).value();
  }();
  return kTable;
}

const Country* ResolvePanelCountry(const CountryTable& table, int code, std::string_view name) {
  const Country* by_gw = table.ByGw(code);
  const Country* by_cow = table.ByCow(code);
  const Country* by_name = table.ByName(name);
  if (by_name == nullptr) return by_gw ? by_gw : by_cow;
  if (by_name == by_gw || by_name == by_cow) return by_name;
  return nullptr;
}

std::string CountryName(int gw) {
  const Country* c = Countries().ByGw(gw);
  return c ? c->name : "gw " + std::to_string(gw);
}

const Country* ResolveCountry(const std::string& query, std::string* how) {
  const CountryTable& table = Countries();
  std::string unused;
  if (!how) how = &unused;
  const std::size_t b = query.find_first_not_of(" \t");
  const std::size_t e = query.find_last_not_of(" \t");
  const std::string q = b == std::string::npos ? std::string() : query.substr(b, e - b + 1);
  int code = 0;
  auto [end, ec] = std::from_chars(q.data(), q.data() + q.size(), code);
  if (!q.empty() && ec == std::errc() && end == q.data() + q.size()) {
    if (const Country* c = table.ByGw(code)) {
      *how = "gw";
      return c;
    }
    if (const Country* c = table.ByCow(code)) {
      *how = "cow";
      return c;
    }
    return nullptr;
  }
  if (q.size() == 3 && std::all_of(q.begin(), q.end(), [](unsigned char ch) {
        return std::isalpha(ch);
      })) {
    if (const Country* c = table.ByIso3(q)) {
      *how = "iso3";
      return c;
    }
  }
  if (const Country* c = table.ByName(q)) {
    *how = "name";
    return c;
  }
  return nullptr;
}

Result<std::vector<int>> ResolveCountries(const std::vector<std::string>& args,
                                            std::string_view option) {
  std::vector<int> gws;
  for (const auto& a : args) {
    const Country* c = ResolveCountry(a);
    if (!c) {
      return Status::InvalidArgument(std::string(option) + " '" + a +
                                     "': not a GW or COW code, ISO3 code or country name "
                                     "(see vigil countries resolve)");
    }
    if (std::find(gws.begin(), gws.end(), c->gw) == gws.end()) gws.push_back(c->gw);
  }
  return gws;
}

}  // namespace vigil::data
