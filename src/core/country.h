// Country reference table: one row per state (including historical states
// such as East Germany or South Vietnam) with its codes in the systems that
// event and panel data use, so that panels, events and cases join reliably.
//
// Codes: Gleditsch-Ward (gw) is the key; COW codes differ for a few states
// (e.g. Serbia, Yemen, Germany, some Pacific microstates). ISO 3166-1 alpha-3
// is empty for states that never had one. The table is authored from public
// facts in catalog/countries.csv (see catalog/README.md for its rules) and
// compiled into the binary.
#pragma once

#include <cstddef>
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
  std::string region;    // UN M49 intermediate region where M49 has one, else sub-region
  int first_year = 0;    // first year of the GW independence spell that reaches 1945 or later
  int last_year = 0;     // last year in the GW system; 0 while the state exists
  std::vector<std::string> aliases;  // other spellings seen in data (EWP, UCDP, ACLED)
};

class CountryTable {
 public:
  CountryTable() = default;

  // Builds the lookup indices. InvalidArgument if a gw code or ISO3 repeats,
  // if a name or alias normalizes to nothing, or if a normalized name or
  // alias belongs to two different states (the same key twice for one state
  // is harmless). Several states may share a COW code (COW keeps one code
  // where GW starts a new state, e.g. Yugoslavia 345 / Serbia 340); more
  // than one of them still existing is an error. `origins`, when given, has
  // one label per country (e.g. "countries.csv:12") that prefixes messages.
  static Result<CountryTable> Build(std::vector<Country> countries,
                                    const std::vector<std::string>& origins = {});

  const std::vector<Country>& all() const { return countries_; }
  const Country* ByGw(int gw) const;
  // The state with this COW code; where several share it, the one that still
  // exists, else the one that ended last.
  const Country* ByCow(int cow) const;
  // Case-insensitive ("civ" finds CIV); nullptr for an empty code.
  const Country* ByIso3(std::string_view iso3) const;
  // Matches the name or any alias, ignoring case, accents, punctuation and
  // spacing ("Côte d'Ivoire" == "cote divoire"); nullptr if unknown or empty.
  const Country* ByName(std::string_view name) const;

  // Every lookup key (normalized name or alias) with the gw code it names,
  // sorted by key.
  std::vector<std::pair<std::string, int>> NameKeys() const;

  // Identity of the content the table was built from: hex SHA-256 set by
  // data::ParseCountries over the table's canonical form; empty for tables
  // built in code until set.
  const std::string& content_sha256() const { return content_sha256_; }
  void set_content_sha256(std::string sha) { content_sha256_ = std::move(sha); }

  // The key used to match names: lower-case ASCII letters and digits only.
  // Latin letters with accents lose them ("ô" -> "o", "ß" -> "ss", "Ș" ->
  // "s"), whether the text is UTF-8 or Latin-1 (bytes that are not valid
  // UTF-8 are read as Latin-1); "&" becomes "and"; spaces, punctuation
  // (ASCII, Latin-1 and the U+2000 block: ’ – “ ...) and symbols are
  // dropped. Other characters (e.g. Cyrillic) are kept as they are.
  static std::string NormalizeName(std::string_view name);

 private:
  std::vector<Country> countries_;
  std::unordered_map<int, std::size_t> by_gw_, by_cow_;
  std::unordered_map<std::string, std::size_t> by_iso3_, by_name_;
  std::string content_sha256_;
};

}  // namespace vigil
