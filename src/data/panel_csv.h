// Reading a country-year panel in the Early Warning Project's CSV format into
// a Panel, with strict validation.
//
// Layout. The first line is a header naming every column; the delimiter is
// detected from it among ',', ';' and tab. Three id columns (country name,
// numeric country code, year) and the declared outcome columns must be
// present; every other column is a predictor, in file order, unless it is
// listed in ignore_columns. The year is also a predictor by default, as in
// EWP's model (which has a coefficient for it).
//
// Cells. Numbers are decimal or exponent notation ("0.5", "-1e-3", spaces
// around them are ignored); "NA" or an empty cell is a missing value (NaN).
// Outcomes must be 0, 1 or missing. The code and the year must be integers
// and present, the year within [min_year, max_year], each (code, year) pair
// must occur once, and every code must be in the country table (checked
// against the row's name, see data::ResolvePanelCountry); two codes of one
// state (say its GW and its COW code) may not share a year. Blank lines are
// skipped.
//
// Outcome leakage guard. A column that looks like an onset outcome (named
// "mk_onset", "mk_onset_<digits>" or "mk_onset_<digits>or<digits>") but is
// not declared as an outcome is an error: as a predictor it would give a
// model the future. Declare it as an outcome or ignore it.
//
// Errors. A problem with the file or its header (missing file, empty file,
// one-column header, missing or duplicate column ...) fails at once. Problems
// in data rows (wrong field count, bad cells, duplicates, unknown countries,
// malformed quoting) are collected: the message lists the first
// max_errors_listed of them, each as "<file>:<line>: column '<name>': ..."
// with the offending value, and gives the total count. Any error fails the
// whole read: there is no partial panel.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/country.h"
#include "core/panel.h"
#include "core/status.h"

namespace vigil::data {

// Lowercase hex SHA-256 of `bytes` (libsodium): the identity of an imported
// file's content.
std::string Sha256Hex(std::string_view bytes);

// The outcome columns of EWP's panel.
const std::vector<std::string>& EwpOutcomeColumns();

// True for names that look like an onset outcome (see the leakage guard).
bool LooksLikeOnsetOutcome(const std::string& column);

struct PanelCsvOptions {
  std::string name_column = "ewp_name";  // country name as written in the source
  std::string code_column = "ccode";     // numeric country code (EWP: Gleditsch-Ward)
  std::string year_column = "year";
  std::vector<std::string> outcome_columns = EwpOutcomeColumns();
  std::vector<std::string> ignore_columns;  // read past, neither predictor nor outcome
  bool year_is_predictor = true;            // the year column is also a predictor
  int min_year = 1800;
  int max_year = 2100;
  std::size_t max_errors_listed = 10;
  // Country table to resolve codes against; nullptr means data::Countries().
  const CountryTable* countries = nullptr;
};

// What was learned about the file besides the panel itself.
struct PanelCsvInfo {
  std::string sha256;      // hex SHA-256 of the file's bytes (ReadPanelCsv only)
  std::uint64_t bytes = 0;
  char delimiter = ',';
  std::vector<int> gw;     // per row: Gleditsch-Ward code of the resolved country
};

// Reads and validates the panel in the file at `path` (messages name `path`).
// NotFound if the file does not exist, IoError if it cannot be read,
// InvalidArgument for any content problem. On success fills *info if given.
Result<Panel> ReadPanelCsv(const std::string& path, const PanelCsvOptions& options = {},
                           PanelCsvInfo* info = nullptr);

// Same for in-memory content; `name` stands for the file in messages.
// info->sha256 is left empty.
Result<Panel> ParsePanelCsv(std::string content, const std::string& name,
                            const PanelCsvOptions& options = {}, PanelCsvInfo* info = nullptr);

}  // namespace vigil::data
