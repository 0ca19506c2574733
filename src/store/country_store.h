// The reference country table in the database: tables countries (one row per
// state) and country_aliases (every lookup key, i.e. the normalized name and
// each normalized alias, with the state's gw code), so that SQL can join and
// resolve names the way CountryTable does. The source of truth is the table
// compiled into vigil; the database holds a copy, tagged with the copy's
// content identity in meta under kCountriesShaKey.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/country.h"
#include "core/status.h"
#include "store/db.h"

namespace vigil::store {

inline constexpr char kCountriesShaKey[] = "countries_sha";

// Makes the database's copy equal to `table`, in one transaction, unless the
// stored identity already equals table.content_sha256() (then it only reads
// one meta row). Countries are updated in place; states no longer in the
// table are deleted, which fails with FailedPrecondition (changing nothing)
// while stored data still refers to them. InvalidArgument if the table has
// no content identity.
Status SyncCountries(Db& db, const CountryTable& table);

// The stored identity; empty if the countries were never synced.
Result<std::string> StoredCountriesSha(Db& db);

// The stored countries ordered by gw. Aliases are stored normalized only, so
// Country::aliases is left empty.
Result<std::vector<Country>> LoadCountries(Db& db);

// The gw code whose name or alias matches `name` (CountryTable::NormalizeName
// rules), or nullopt.
Result<std::optional<int>> FindGwByName(Db& db, std::string_view name);

}  // namespace vigil::store
