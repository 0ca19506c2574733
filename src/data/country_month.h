// Readers for the two inputs of the alert backtest that are not event files:
//
// - a country-month series file: one row per country and month with a count,
//   like ucdp_country_month_fatalities_2010_2024.csv (columns isocode,
//   period YYYYMM, fatalities_UCDP, population; an unnamed row-number column
//   is ignored). The country column may be `isocode`/`iso3` (ISO3 codes) or
//   `gw` (Gleditsch-Ward codes); the month column `period`/`month` (YYYYMM or
//   YYYY-MM); the value column `fatalities_UCDP`, `fatalities`, `deaths` or
//   `civilian_deaths` (the first present).
// - the EWP list of mass-killing episodes (mk_events_2025.csv: country,
//   mk_event_name, startyear, endyear (NA = ongoing), mk_event_code,
//   State-Led or Non-State-Led, mk_location_cow ...).
//
// Neither reader drops anything silently: codes that do not resolve to a
// state are returned with the lines they were on, and malformed fields fail
// with file, line and column.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/country.h"
#include "core/event.h"
#include "core/status.h"

namespace vigil::data {

// True when a CSV header has a country-code, a month and a value column as
// described above (used to tell a country-month file from an event file).
bool IsCountryMonthHeader(const std::vector<std::string>& header);

struct CountryMonthSeries {
  int gw = 0;
  std::string code;        // as written in the file
  MonthIndex first = 0;    // first month with a row
  std::vector<double> values;         // months first, first+1, ...; 0 where no row
  std::vector<std::uint8_t> present;  // 1 where the file has a row with a value
};

struct UnresolvedCode {
  std::string code;
  std::size_t first_line = 0;
  std::size_t rows = 0;
};

struct CountryMonthFile {
  std::string path;
  std::string code_column, month_column, value_column;
  std::size_t rows = 0;            // data rows read
  std::size_t missing_values = 0;  // rows whose value is NA or empty (present = 0)
  MonthIndex first = 0, last = 0;  // month range over all rows
  std::vector<CountryMonthSeries> series;  // sorted by gw
  std::vector<UnresolvedCode> unresolved;  // codes the country table does not know
};

// Reads a whole country-month file. InvalidArgument naming file, line and
// column for a bad month or value (negative, not a number), a duplicate
// (country, month) or two codes that name the same state; NotFound / IoError
// for the file.
Result<CountryMonthFile> ReadCountryMonthFile(const std::string& path, const CountryTable& countries);

struct MassKillingEpisode {
  std::size_t line = 0;
  std::string country;  // as written
  std::string name;     // mk_event_name
  std::string code;     // mk_event_code, e.g. "sdn2023ns1"
  int start_year = 0;
  int end_year = 0;     // 0 = ongoing (NA)
  bool state_led = false;
  int cow = 0;          // mk_location_cow
  int gw = 0;           // resolved state, 0 if unresolved
  std::string resolved_name;  // the table's name of that state
  std::string problem;  // why it did not resolve ("" when resolved)
};

// Reads the episode list. Each row is resolved with ResolvePanelCountry
// (countries.h) from mk_location_cow and the country name, so a code whose
// state does not match the name is unresolved (gw 0, `problem` says why).
// InvalidArgument naming file, line and column for a missing column or a bad
// year / code.
Result<std::vector<MassKillingEpisode>> ReadEpisodeList(const std::string& path,
                                                        const CountryTable& countries);

}  // namespace vigil::data
