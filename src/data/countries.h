// Loading the reference country table (catalog/countries.csv, compiled into
// the binary) and resolving the country identifiers that data files use.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/country.h"
#include "core/status.h"

namespace vigil::data {

// Parses countries CSV text (header: gw,cow,iso3,name,region,first_year,
// last_year,aliases in any order; aliases separated by '|'; empty cow, iso3,
// last_year and aliases mean none). Checks every field (gw and cow integers
// 1..999, iso3 three upper-case letters, years 1800..2100 with last_year >=
// first_year, no empty alias) and the table's consistency (see
// CountryTable::Build). InvalidArgument messages start with
// "<source_name>:<line>: column '<field>':". On success the table's
// content_sha256() identifies its content.
Result<CountryTable> ParseCountries(std::string_view csv, const std::string& source_name);

// The embedded catalog/countries.csv, parsed once (thread-safe) and cached.
// A failure here means the shipped catalog is broken (its validation test
// catches that): vigil stops with a message.
const CountryTable& Countries();

// Resolves a data row's (code, name) as used by EWP and UCDP, whose codes are
// Gleditsch-Ward except where they keep the COW code of a continuing state
// (EWP: Germany 255, Yemen 679; EWP and UCDP: Serbia 345). The code is looked
// up as GW and as COW; if the name is known to the table it must name one of
// those states, which is returned (a GW match first). If the name is empty
// or unknown, the code decides (GW first, then COW). nullptr if the code is
// unknown in both systems, or if the name names a different state.
const Country* ResolvePanelCountry(const CountryTable& table, int code, std::string_view name);

// The country's name, or "gw N" for a code the table does not know.
std::string CountryName(int gw);

// Resolves a country given by a person (a CLI argument, an API path): a
// number is a GW code (else a COW code), three letters an ISO3 code (else a
// name), anything else a name or alias. nullptr if unknown; *how (if given) says which system matched.
const Country* ResolveCountry(const std::string& query, std::string* how = nullptr);
// Resolves repeated --country style arguments to distinct GW codes, in order;
// InvalidArgument naming `option` and the unknown value.
Result<std::vector<int>> ResolveCountries(const std::vector<std::string>& args,
                                          std::string_view option = "--country");

}  // namespace vigil::data
