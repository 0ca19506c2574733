#include "store/country_store.h"

#include <unordered_set>

namespace vigil::store {

Result<std::string> StoredCountriesSha(Db& db) {
  VIGIL_ASSIGN_OR_RETURN(Stmt st, db.Prepare("SELECT value FROM meta WHERE key = ?"));
  st.Bind(1, kCountriesShaKey);
  VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
  return row ? st.Text(0) : std::string();
}

Status SyncCountries(Db& db, const CountryTable& table) {
  const std::string& sha = table.content_sha256();
  if (sha.empty()) {
    return Status::InvalidArgument("country table has no content identity; cannot sync it");
  }
  VIGIL_ASSIGN_OR_RETURN(std::string stored, StoredCountriesSha(db));
  if (stored == sha) return Status::Ok();

  Transaction tx(db);
  VIGIL_RETURN_IF_ERROR(tx.Begin());
  // Another process may have synced between the check and the lock.
  VIGIL_ASSIGN_OR_RETURN(stored, StoredCountriesSha(db));
  if (stored == sha) return Status::Ok();

  auto fail = [&](const Status& s) { return s.WithContext("updating the country table in " + db.path()); };

  Status s = db.Exec("DELETE FROM country_aliases");
  if (!s.ok()) return fail(s);

  VIGIL_ASSIGN_OR_RETURN(Stmt upsert, db.Prepare(R"sql(
INSERT INTO countries (gw, cow, iso3, name, region, first_year, last_year)
VALUES (?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (gw) DO UPDATE SET cow = excluded.cow, iso3 = excluded.iso3, name = excluded.name,
  region = excluded.region, first_year = excluded.first_year, last_year = excluded.last_year)sql"));
  std::unordered_set<int> keep;
  for (const Country& c : table.all()) {
    keep.insert(c.gw);
    upsert.Bind(1, c.gw);
    if (c.cow > 0) upsert.Bind(2, c.cow); else upsert.BindNull(2);
    if (!c.iso3.empty()) upsert.Bind(3, c.iso3); else upsert.BindNull(3);
    upsert.Bind(4, c.name).Bind(5, c.region).Bind(6, c.first_year);
    if (c.last_year > 0) upsert.Bind(7, c.last_year); else upsert.BindNull(7);
    s = upsert.Run();
    if (!s.ok()) return fail(s);
  }

  std::vector<std::pair<int, std::string>> gone;
  {
    VIGIL_ASSIGN_OR_RETURN(Stmt all, db.Prepare("SELECT gw, name FROM countries ORDER BY gw"));
    while (true) {
      VIGIL_ASSIGN_OR_RETURN(bool row, all.Step());
      if (!row) break;
      int gw = static_cast<int>(all.Int(0));
      if (!keep.count(gw)) gone.emplace_back(gw, all.Text(1));
    }
  }
  VIGIL_ASSIGN_OR_RETURN(Stmt del, db.Prepare("DELETE FROM countries WHERE gw = ?"));
  for (const auto& [gw, name] : gone) {
    s = del.Bind(1, gw).Run();
    if (!s.ok()) {
      return Status::FailedPrecondition(
          "country gw " + std::to_string(gw) + " (" + name +
          ") is no longer in vigil's country table but data in " + db.path() +
          " still refers to it; nothing was changed (" + s.message() + ")");
    }
  }

  VIGIL_ASSIGN_OR_RETURN(Stmt alias,
                         db.Prepare("INSERT INTO country_aliases (alias_norm, gw) VALUES (?, ?)"));
  for (const auto& [key, gw] : table.NameKeys()) {
    s = alias.Bind(1, key).Bind(2, gw).Run();
    if (!s.ok()) return fail(s);
  }

  VIGIL_ASSIGN_OR_RETURN(Stmt meta, db.Prepare(
      "INSERT INTO meta (key, value) VALUES (?, ?) "
      "ON CONFLICT (key) DO UPDATE SET value = excluded.value"));
  s = meta.Bind(1, kCountriesShaKey).Bind(2, sha).Run();
  if (!s.ok()) return fail(s);
  return tx.Commit();
}

Result<std::vector<Country>> LoadCountries(Db& db) {
  VIGIL_ASSIGN_OR_RETURN(Stmt st, db.Prepare(
      "SELECT gw, cow, iso3, name, region, first_year, last_year FROM countries ORDER BY gw"));
  std::vector<Country> out;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    Country c;
    c.gw = static_cast<int>(st.Int(0));
    c.cow = st.IsNull(1) ? 0 : static_cast<int>(st.Int(1));
    c.iso3 = st.Text(2);
    c.name = st.Text(3);
    c.region = st.Text(4);
    c.first_year = static_cast<int>(st.Int(5));
    c.last_year = st.IsNull(6) ? 0 : static_cast<int>(st.Int(6));
    out.push_back(std::move(c));
  }
  return out;
}

Result<std::optional<int>> FindGwByName(Db& db, std::string_view name) {
  std::string key = CountryTable::NormalizeName(name);
  if (key.empty()) return std::optional<int>();
  VIGIL_ASSIGN_OR_RETURN(Stmt st, db.Prepare("SELECT gw FROM country_aliases WHERE alias_norm = ?"));
  st.Bind(1, key);
  VIGIL_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<int>();
  return std::optional<int>(static_cast<int>(st.Int(0)));
}

}  // namespace vigil::store
