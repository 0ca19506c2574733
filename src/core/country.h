// Country reference table: one row per state (including historical states
// such as East Germany or South Vietnam) with its codes in the systems that
// event and panel data use, so that panels, events and cases join reliably.
//
// Codes: Gleditsch-Ward (gw) is the key; COW codes differ for a few states
// (e.g. Serbia, Yemen, Vietnam). ISO 3166-1 alpha-3 is empty for states that
// dissolved before ISO assigned them one. The table is authored from public
// facts in catalog/countries.csv and compiled into the binary.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"

namespace vigil {

struct Country {
  int gw = 0;            // Gleditsch-Ward code (primary key)
  int cow = 0;           // Correlates of War code, 0 if none
  std::string iso3;      // ISO 3166-1 alpha-3, empty if none
  std::string name;      // English short name
  std::string region;    // UN M49 region/sub-region name used for grouping
  int first_year = 0;    // first year of independence in the GW system
  int last_year = 0;     // 0 while the state exists
  std::vector<std::string> aliases;  // other spellings seen in data (EWP, UCDP, ACLED)
};

class CountryTable {
 public:
  // Builds the lookup indices. InvalidArgument if a gw code, ISO3 or name
  // (after normalization) is ambiguous.
  static Result<CountryTable> Build(std::vector<Country> countries);

  const std::vector<Country>& all() const { return countries_; }
  const Country* ByGw(int gw) const;
  const Country* ByCow(int cow) const;
  const Country* ByIso3(std::string_view iso3) const;
  // Matches the name or any alias, ignoring case, accents-free punctuation and
  // spacing differences ("Cote d'Ivoire" == "cote divoire").
  const Country* ByName(std::string_view name) const;

  static std::string NormalizeName(std::string_view name);

 private:
  std::vector<Country> countries_;
  std::unordered_map<int, std::size_t> by_gw_, by_cow_;
  std::unordered_map<std::string, std::size_t> by_iso3_, by_name_;
};

}  // namespace vigil
