// Loading the reference country table (catalog/countries.csv, compiled into
// the binary) and resolving the country identifiers that data files use.
#pragma once

#include <string>
#include <string_view>

#include "core/country.h"
#include "core/status.h"

namespace vigil::data {

// Parses countries CSV text (header: gw,cow,iso3,name,region,first_year,
// last_year,aliases with aliases separated by '|'). Errors name source:line.
Result<CountryTable> ParseCountries(std::string_view csv, const std::string& source_name);

// The embedded catalog/countries.csv, parsed once and cached. A failure here
// means the shipped catalog is broken (its validation test catches that).
const CountryTable& Countries();

// Resolves a panel row's (code, name) as used by EWP (ccode is a
// Gleditsch-Ward code): by code, checked against the name; nullptr if the
// code is unknown.
const Country* ResolvePanelCountry(const CountryTable& table, int code, std::string_view name);

}  // namespace vigil::data
