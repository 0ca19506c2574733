#include "data/panel_csv.h"

#include <algorithm>
#include <cassert>
#include <sodium.h>

#include <cerrno>
#include <charconv>
#include <type_traits>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "data/countries.h"
#include "data/csv.h"

namespace vigil::data {

namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The value quoted for a message, shortened if long.
std::string Quote(std::string_view s) {
  constexpr std::size_t kMax = 40;
  std::string q = "'";
  if (s.size() > kMax) {
    q.append(s.substr(0, kMax));
    q += "...";
  } else {
    q.append(s);
  }
  return q + "'";
}

bool IsMissing(std::string_view s) { return s.empty() || s == "NA"; }

enum class Parse { kValue, kMissing, kBad, kNonFinite, kOutOfRange };

// Parses a whole field as a number of type T (after trimming; a leading '+'
// is allowed). NA/empty is kMissing; a non-finite double is kNonFinite.
template <typename T>
Parse ParseField(std::string_view s, T* v) {
  s = Trim(s);
  if (IsMissing(s)) return Parse::kMissing;
  if (s.size() > 1 && s[0] == '+' && s[1] != '-' && s[1] != '+') s.remove_prefix(1);
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *v);
  if (ec == std::errc::result_out_of_range && ptr == s.data() + s.size()) return Parse::kOutOfRange;
  if (ec != std::errc() || ptr != s.data() + s.size()) return Parse::kBad;
  if constexpr (std::is_floating_point_v<T>) {
    if (!std::isfinite(*v)) return Parse::kNonFinite;
  }
  return Parse::kValue;
}
Parse ParseNumber(std::string_view s, double* v) { return ParseField(s, v); }
Parse ParseInt(std::string_view s, int* v) { return ParseField(s, v); }

// Collects row errors: keeps the first few messages and counts them all.
class Errors {
 public:
  explicit Errors(std::size_t max_listed) : max_listed_(max_listed) {}
  void Add(std::string message) {
    ++count_;
    if (listed_.size() < max_listed_) listed_.push_back(std::move(message));
  }
  std::size_t count() const { return count_; }
  Status ToStatus(const std::string& file) const {
    if (count_ == 1 && !listed_.empty()) return Status::InvalidArgument(listed_[0]);
    std::string m = file + ": " + std::to_string(count_) + " errors";
    if (listed_.size() < count_) {
      m += " (the first " + std::to_string(listed_.size()) + " listed)";
    }
    m += "; nothing was imported:";
    for (const auto& e : listed_) m += "\n  " + e;
    return Status::InvalidArgument(m);
  }

 private:
  std::size_t max_listed_;
  std::size_t count_ = 0;
  std::vector<std::string> listed_;
};

// Detects the delimiter from the header line (the text up to the first line
// break outside quotes). Returns 0 if none of , ; \t occurs in it.
char DetectDelimiter(std::string_view content, std::string_view* header_line) {
  std::size_t counts[3] = {0, 0, 0};
  const char kDelims[3] = {',', ';', '\t'};
  bool in_quotes = false;
  std::size_t i = 0;
  for (; i < content.size(); ++i) {
    char c = content[i];
    if (c == '"') {
      in_quotes = !in_quotes;
    } else if (!in_quotes) {
      if (c == '\n' || c == '\r') break;
      for (int d = 0; d < 3; ++d) counts[d] += (c == kDelims[d]);
    }
  }
  *header_line = content.substr(0, i);
  int best = 0;
  for (int d = 1; d < 3; ++d) {
    if (counts[d] > counts[best]) best = d;
  }
  return counts[best] == 0 ? 0 : kDelims[best];
}

std::string DelimiterName(char d) {
  switch (d) {
    case ',': return "comma";
    case ';': return "semicolon";
    case '\t': return "tab";
  }
  return std::string(1, d);
}

std::string JoinColumns(const std::vector<std::string>& names, std::size_t max = 12) {
  std::string s;
  for (std::size_t i = 0; i < names.size() && i < max; ++i) {
    if (i) s += ", ";
    s += names[i];
  }
  if (names.size() > max) s += ", ... (" + std::to_string(names.size()) + " columns)";
  return s;
}

std::uint64_t Key(int code, int year) {
  return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(code)) << 32) |
         static_cast<std::uint32_t>(year);
}

enum class Role { kName, kCode, kYear, kOutcome, kPredictor, kIgnore };

struct Column {
  Role role = Role::kPredictor;
  std::size_t index = 0;  // position among outcomes or predictors
};

Status CheckOptions(const PanelCsvOptions& o) {
  auto bad = [](const std::string& m) { return Status::InvalidArgument("panel options: " + m); };
  if (o.name_column.empty() || o.code_column.empty() || o.year_column.empty()) {
    return bad("the country name, country code and year columns must be named");
  }
  if (o.name_column == o.code_column || o.name_column == o.year_column ||
      o.code_column == o.year_column) {
    return bad("the country name, country code and year columns must differ (got '" +
               o.name_column + "', '" + o.code_column + "', '" + o.year_column + "')");
  }
  std::unordered_set<std::string> seen;
  for (const auto& c : o.outcome_columns) {
    if (c.empty()) return bad("an outcome column name is empty");
    if (c == o.name_column || c == o.code_column || c == o.year_column) {
      return bad("'" + c + "' is an id column and cannot be an outcome");
    }
    if (!seen.insert(c).second) return bad("outcome column '" + c + "' is listed twice");
  }
  for (const auto& c : o.ignore_columns) {
    if (c == o.name_column || c == o.code_column || c == o.year_column) {
      return bad("'" + c + "' is an id column and cannot be ignored");
    }
    if (std::find(o.outcome_columns.begin(), o.outcome_columns.end(), c) !=
        o.outcome_columns.end()) {
      return bad("'" + c + "' is declared both as an outcome and as ignored");
    }
  }
  if (o.min_year > o.max_year) {
    return bad("min_year " + std::to_string(o.min_year) + " is after max_year " +
               std::to_string(o.max_year));
  }
  return Status::Ok();
}

}  // namespace

std::string Sha256Hex(std::string_view bytes) {
  static const bool kInit = sodium_init() >= 0;  // idempotent and thread-safe
  assert(kInit && "libsodium initializes");
  (void)kInit;
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  static const char kHex[] = "0123456789abcdef";
  std::string hex(2 * sizeof digest, '0');
  for (std::size_t i = 0; i < sizeof digest; ++i) {
    hex[2 * i] = kHex[digest[i] >> 4];
    hex[2 * i + 1] = kHex[digest[i] & 15];
  }
  return hex;
}

const std::vector<std::string>& EwpOutcomeColumns() {
  static const std::vector<std::string> kOutcomes = {"mk_onset", "mk_onset_1", "mk_onset_2",
                                                     "mk_onset_1or2"};
  return kOutcomes;
}

bool LooksLikeOnsetOutcome(const std::string& column) {
  constexpr std::string_view kPrefix = "mk_onset";
  std::string_view s = column;
  if (s.substr(0, kPrefix.size()) != kPrefix) return false;
  s.remove_prefix(kPrefix.size());
  if (s.empty()) return true;
  if (s[0] != '_') return false;
  s.remove_prefix(1);
  auto digits = [&s]() {
    std::size_t n = 0;
    while (n < s.size() && s[n] >= '0' && s[n] <= '9') ++n;
    s.remove_prefix(n);
    return n > 0;
  };
  if (!digits()) return false;
  if (s.empty()) return true;
  if (s.substr(0, 2) != "or") return false;
  s.remove_prefix(2);
  return digits() && s.empty();
}

Result<Panel> ReadPanelCsv(const std::string& path, const PanelCsvOptions& options,
                           PanelCsvInfo* info) {
  VIGIL_ASSIGN_OR_RETURN(std::FILE * f, OpenInputFile(path));
  std::string content;
  char buf[1 << 16];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), f)) > 0) content.append(buf, n);
  bool failed = std::ferror(f);
  int err = errno;
  std::fclose(f);
  if (failed) return Status::IoError(path + ": read error: " + std::strerror(err));

  // Hash while parsing: the two take about as long.
  std::string sha;
  std::thread hasher([&content, &sha] { sha = Sha256Hex(content); });
  auto panel = ParsePanelCsv(std::string(content), path, options, info);
  hasher.join();
  if (panel.ok() && info) info->sha256 = std::move(sha);
  return panel;
}

Result<Panel> ParsePanelCsv(std::string content, const std::string& name,
                            const PanelCsvOptions& options, PanelCsvInfo* info) {
  VIGIL_RETURN_IF_ERROR(CheckOptions(options));
  const CountryTable& countries = options.countries ? *options.countries : Countries();
  const std::uint64_t bytes = content.size();

  std::string_view text = content;
  if (text.substr(0, kBom.size()) == kBom) text.remove_prefix(kBom.size());
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return Status::InvalidArgument(name + ": empty file: expected a header line naming the " +
                                   "columns, then one line per country and year");
  }
  std::string_view header_line;
  char delim = DetectDelimiter(text, &header_line);
  if (delim == 0) {
    return Status::InvalidArgument(
        name + ":1: the header has only one column (" + Quote(header_line) +
        "); wrong delimiter? vigil detects comma, semicolon and tab");
  }
  std::size_t approx_rows = 0;
  for (const char* p = text.data(); (p = static_cast<const char*>(std::memchr(
                                         p, '\n', text.data() + text.size() - p))) != nullptr;
       ++p) {
    ++approx_rows;
  }

  auto reader = CsvReader::FromString(std::move(content), name, delim);
  CsvRecord rec;
  {
    auto got = reader->Next(&rec);
    if (!got.ok()) return got.status().WithContext("malformed header");
  }
  std::vector<std::string> header;
  header.reserve(rec.fields.size());
  std::unordered_map<std::string, std::size_t> position;
  for (std::size_t i = 0; i < rec.fields.size(); ++i) {
    std::string col(Trim(rec.fields[i]));
    if (col.empty()) {
      std::string m = reader->Where(rec.line) + ": column " + std::to_string(i + 1) +
                      " of the header has no name";
      if (i == 0) m += " (a row-number column written by R's write.csv? write with row.names = FALSE)";
      return Status::InvalidArgument(m);
    }
    auto [it, inserted] = position.emplace(col, i);
    if (!inserted) {
      return Status::InvalidArgument(reader->Where(rec.line, col) + ": appears twice in the " +
                                     "header (columns " + std::to_string(it->second + 1) +
                                     " and " + std::to_string(i + 1) + ")");
    }
    header.push_back(std::move(col));
  }
  const std::size_t header_line_no = rec.line;

  auto require = [&](const std::string& col, const std::string& what) -> Result<std::size_t> {
    auto it = position.find(col);
    if (it == position.end()) {
      return Status::InvalidArgument(reader->Where(header_line_no) + ": missing " + what +
                                     " column '" + col + "' (the header has: " +
                                     JoinColumns(header) + "; " + DelimiterName(delim) +
                                     "-delimited)");
    }
    return it->second;
  };
  std::vector<Column> columns(header.size());
  VIGIL_ASSIGN_OR_RETURN(std::size_t name_col, require(options.name_column, "country name"));
  VIGIL_ASSIGN_OR_RETURN(std::size_t code_col, require(options.code_column, "country code"));
  VIGIL_ASSIGN_OR_RETURN(std::size_t year_col, require(options.year_column, "year"));
  columns[name_col].role = Role::kName;
  columns[code_col].role = Role::kCode;
  columns[year_col].role = Role::kYear;
  for (std::size_t k = 0; k < options.outcome_columns.size(); ++k) {
    VIGIL_ASSIGN_OR_RETURN(std::size_t c, require(options.outcome_columns[k], "outcome"));
    columns[c] = {Role::kOutcome, k};
  }
  for (const auto& col : options.ignore_columns) {
    VIGIL_ASSIGN_OR_RETURN(std::size_t c, require(col, "ignored"));
    columns[c].role = Role::kIgnore;
  }

  Panel panel;
  panel.outcome_names = options.outcome_columns;
  std::size_t year_predictor = 0;
  for (std::size_t c = 0; c < header.size(); ++c) {
    if (columns[c].role == Role::kPredictor) {
      if (LooksLikeOnsetOutcome(header[c])) {
        return Status::InvalidArgument(
            reader->Where(header_line_no, header[c]) + ": looks like an onset outcome but is " +
            "not declared as one; as a predictor it would leak the future into a model. " +
            "Declare it as an outcome or ignore it");
      }
      columns[c].index = panel.predictor_names.size();
      panel.predictor_names.push_back(header[c]);
    } else if (columns[c].role == Role::kYear && options.year_is_predictor) {
      year_predictor = panel.predictor_names.size();
      panel.predictor_names.push_back(header[c]);
    }
  }
  if (panel.predictor_names.empty()) {
    return Status::InvalidArgument(reader->Where(header_line_no) +
                                   ": no predictor columns (every column is an id, an outcome " +
                                   "or ignored)");
  }

  const std::size_t np = panel.num_predictors();
  const std::size_t no = panel.num_outcomes();
  std::vector<std::vector<double>> pred_cols(np), out_cols(no);
  for (auto& v : pred_cols) v.reserve(approx_rows);
  for (auto& v : out_cols) v.reserve(approx_rows);
  panel.country_name.reserve(approx_rows);
  panel.country_code.reserve(approx_rows);
  panel.year.reserve(approx_rows);
  std::vector<int> gw;
  gw.reserve(approx_rows);

  Errors errors(options.max_errors_listed);
  // (code, year) -> line of first occurrence; (gw, year) -> its line and code.
  std::unordered_map<std::uint64_t, std::size_t> seen;
  seen.reserve(approx_rows);
  struct GwRow {
    std::size_t line;
    int code;
  };
  std::unordered_map<std::uint64_t, GwRow> seen_gw;
  seen_gw.reserve(approx_rows);
  // "code\0name" -> resolved country (nullptr: reported once already).
  std::unordered_map<std::string, const Country*> resolved;
  std::vector<double> row_pred(np), row_out(no);
  std::string key;
  std::size_t data_rows = 0;

  while (true) {
    auto got = reader->Next(&rec);
    if (!got.ok()) {
      errors.Add(got.status().message() + " (record " + Quote(rec.raw) + ")");
      continue;
    }
    if (!*got) break;
    if (rec.fields.size() == 1 && rec.raw.empty()) continue;  // blank line
    ++data_rows;
    if (rec.fields.size() != header.size()) {
      errors.Add(reader->Where(rec.line) + ": expected " + std::to_string(header.size()) +
                 " fields as in the header, found " + std::to_string(rec.fields.size()));
      continue;
    }
    const std::size_t errors_before = errors.count();
    auto cell_error = [&](std::size_t c, const std::string& what) {
      errors.Add(reader->Where(rec.line, header[c]) + ": " + what);
    };

    std::string_view country(Trim(rec.fields[name_col]));
    if (IsMissing(country)) cell_error(name_col, "missing country name");
    int code = 0, year = 0;
    bool code_ok = false, year_ok = false;
    switch (ParseInt(rec.fields[code_col], &code)) {
      case Parse::kValue: code_ok = true; break;
      case Parse::kMissing: cell_error(code_col, "missing country code"); break;
      default:
        cell_error(code_col, "country code is not an integer: " + Quote(rec.fields[code_col]));
    }
    switch (ParseInt(rec.fields[year_col], &year)) {
      case Parse::kValue:
        if (year < options.min_year || year > options.max_year) {
          cell_error(year_col, "year " + std::to_string(year) + " is outside " +
                                   std::to_string(options.min_year) + ".." +
                                   std::to_string(options.max_year));
        } else {
          year_ok = true;
        }
        break;
      case Parse::kMissing: cell_error(year_col, "missing year"); break;
      default: cell_error(year_col, "year is not an integer: " + Quote(rec.fields[year_col]));
    }

    const Country* resolved_country = nullptr;
    if (code_ok && !IsMissing(country)) {
      key.assign(std::to_string(code));
      key.push_back('\0');
      key.append(country);
      auto it = resolved.find(key);
      if (it == resolved.end()) {
        const Country* c = ResolvePanelCountry(countries, code, country);
        it = resolved.emplace(key, c).first;
        if (!c) {  // reported once per distinct (code, name)
          const Country* by_code = countries.ByGw(code);
          if (!by_code) by_code = countries.ByCow(code);
          if (by_code) {
            const Country* by_name = countries.ByName(country);
            cell_error(name_col,
                       "country name " + Quote(country) + " does not match country code " +
                           std::to_string(code) + " (" + by_code->name + ")" +
                           (by_name ? ": it names " + by_name->name + " (gw " +
                                          std::to_string(by_name->gw) + ")"
                                    : std::string()) +
                           " in vigil's country table");
          } else {
            cell_error(code_col, "unknown country code " + std::to_string(code) + " (" +
                                     Quote(country) + "): not in vigil's country table");
          }
        }
      }
      resolved_country = it->second;
    }
    if (code_ok && year_ok) {
      auto [it, inserted] = seen.emplace(Key(code, year), rec.line);
      if (!inserted) {
        errors.Add(reader->Where(rec.line) + ": duplicate row for country code " +
                   std::to_string(code) + " (" + std::string(country) + ") and year " +
                   std::to_string(year) + ": already at line " + std::to_string(it->second));
      } else if (resolved_country) {
        // Two codes of one state (e.g. its GW and its COW code) in the same year.
        auto [g, fresh] = seen_gw.emplace(Key(resolved_country->gw, year), GwRow{rec.line, code});
        if (!fresh) {
          errors.Add(reader->Where(rec.line, options.code_column) + ": country code " +
                     std::to_string(code) + " and country code " + std::to_string(g->second.code) +
                     " at line " + std::to_string(g->second.line) + " are the same state in " +
                     "vigil's country table (" + resolved_country->name + ", gw " +
                     std::to_string(resolved_country->gw) + ") in year " + std::to_string(year));
        }
      }
    }

    for (std::size_t c = 0; c < header.size(); ++c) {
      const Column& col = columns[c];
      if (col.role != Role::kPredictor && col.role != Role::kOutcome) continue;
      double v = kNA;
      Parse p = ParseNumber(rec.fields[c], &v);
      if (p == Parse::kMissing) {
        v = kNA;
      } else if (p == Parse::kBad) {
        const bool decimal_comma = delim != ',' && rec.fields[c].find(',') != std::string::npos;
        cell_error(c, "not a number: " + Quote(rec.fields[c]) +
                          (decimal_comma ? " (decimal comma? write numbers with a '.')" : ""));
      } else if (p == Parse::kNonFinite) {
        cell_error(c, "not a finite number: " + Quote(rec.fields[c]) + " (write NA for missing)");
      } else if (p == Parse::kOutOfRange) {
        cell_error(c, "number out of range: " + Quote(rec.fields[c]));
      } else if (col.role == Role::kOutcome && v != 0.0 && v != 1.0) {
        cell_error(c, "outcome must be 0, 1 or NA, not " + Quote(rec.fields[c]));
      }
      (col.role == Role::kOutcome ? row_out : row_pred)[col.index] = v;
    }
    if (options.year_is_predictor) row_pred[year_predictor] = year;

    if (errors.count() != errors_before) continue;
    panel.country_name.emplace_back(country);
    panel.country_code.push_back(code);
    panel.year.push_back(year);
    gw.push_back(resolved_country ? resolved_country->gw : 0);
    for (std::size_t j = 0; j < np; ++j) pred_cols[j].push_back(row_pred[j]);
    for (std::size_t k = 0; k < no; ++k) out_cols[k].push_back(row_out[k]);
  }

  if (errors.count() > 0) return errors.ToStatus(name);
  if (data_rows == 0) {
    return Status::InvalidArgument(name + ": no data rows: the file has a header only");
  }

  const std::size_t n = panel.rows();
  panel.predictors.reserve(n * np);
  for (auto& v : pred_cols) panel.predictors.insert(panel.predictors.end(), v.begin(), v.end());
  panel.outcomes.reserve(n * no);
  for (auto& v : out_cols) panel.outcomes.insert(panel.outcomes.end(), v.begin(), v.end());

  if (info) {
    info->sha256.clear();
    info->bytes = bytes;
    info->delimiter = delim;
    info->gw = std::move(gw);
  }
  return panel;
}

}  // namespace vigil::data
