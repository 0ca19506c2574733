#include "store/migrations.h"

namespace vigil::store {

const std::vector<std::string>& Migrations() {
  static const std::vector<std::string> kMigrations = {
      // 1: reference countries, panel datasets, forecast registry, backtests.
      R"sql(
CREATE TABLE countries (
  gw          INTEGER PRIMARY KEY,
  cow         INTEGER,
  iso3        TEXT,
  name        TEXT NOT NULL,
  region      TEXT NOT NULL,
  first_year  INTEGER NOT NULL,
  last_year   INTEGER
);
CREATE TABLE country_aliases (
  alias_norm  TEXT PRIMARY KEY,          -- CountryTable::NormalizeName of the alias
  gw          INTEGER NOT NULL REFERENCES countries(gw)
);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

-- A dataset is a named family of versions; a version is identified by the
-- SHA-256 of its content, so re-importing the same file never duplicates.
CREATE TABLE datasets (
  id           INTEGER PRIMARY KEY,
  name         TEXT NOT NULL,
  version      INTEGER NOT NULL,
  kind         TEXT NOT NULL CHECK (kind IN ('panel')),
  source_path  TEXT NOT NULL,
  sha256       TEXT NOT NULL,
  imported_at  TEXT NOT NULL,
  row_count    INTEGER NOT NULL,
  is_current   INTEGER NOT NULL DEFAULT 0,
  meta         TEXT NOT NULL DEFAULT '{}',   -- JSON: id columns, outcome columns, NA counts
  UNIQUE (name, version),
  UNIQUE (name, sha256)
);
CREATE TABLE panel_columns (
  dataset_id  INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  position    INTEGER NOT NULL,
  name        TEXT NOT NULL,
  role        TEXT NOT NULL CHECK (role IN ('predictor', 'outcome')),
  na_count    INTEGER NOT NULL,
  PRIMARY KEY (dataset_id, role, position)
);
-- Values of a row are little-endian float64 arrays in column order; NA is NaN.
-- gw is the row's state in vigil's country table, resolved at import.
CREATE TABLE panel_rows (
  dataset_id    INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  row           INTEGER NOT NULL,
  country_code  INTEGER NOT NULL,
  country_name  TEXT NOT NULL,
  gw            INTEGER REFERENCES countries(gw),
  year          INTEGER NOT NULL,
  predictors    BLOB NOT NULL,
  outcomes      BLOB NOT NULL,
  PRIMARY KEY (dataset_id, row),
  UNIQUE (dataset_id, country_code, year)
) WITHOUT ROWID;  -- rows of a dataset are stored together, in order: a load is one scan

-- Forecast registry: every forecast run, so later runs can be scored.
CREATE TABLE forecast_runs (
  id             INTEGER PRIMARY KEY,
  created_at     TEXT NOT NULL,
  model          TEXT NOT NULL,
  dataset_id     INTEGER NOT NULL REFERENCES datasets(id),
  base_year      INTEGER NOT NULL,        -- data year the forecast is made from
  target_first   INTEGER NOT NULL,        -- onset window first year (base_year + 1)
  target_last    INTEGER NOT NULL,        -- onset window last year (base_year + 2)
  params         TEXT NOT NULL,           -- JSON: model options and chosen hyper-parameters
  vigil_version  TEXT NOT NULL,
  seconds        REAL NOT NULL
);
CREATE TABLE forecasts (
  run_id         INTEGER NOT NULL REFERENCES forecast_runs(id) ON DELETE CASCADE,
  country_code   INTEGER NOT NULL,
  country_name   TEXT NOT NULL,
  gw             INTEGER REFERENCES countries(gw),
  risk           REAL NOT NULL,
  risk_lo        REAL,
  risk_hi        REAL,
  rank           INTEGER NOT NULL,
  triage         TEXT NOT NULL DEFAULT '[]',  -- JSON array of triage group names
  contributions  TEXT NOT NULL DEFAULT '[]',  -- JSON array of {factor, value, effect}
  PRIMARY KEY (run_id, country_code)
);
CREATE INDEX forecasts_by_gw ON forecasts(gw);

CREATE TABLE backtest_runs (
  id          INTEGER PRIMARY KEY,
  created_at  TEXT NOT NULL,
  model       TEXT NOT NULL,
  dataset_id  INTEGER NOT NULL REFERENCES datasets(id),
  params      TEXT NOT NULL,
  summary     TEXT NOT NULL,   -- JSON summary (recall, AUC, Brier ...)
  per_year    TEXT NOT NULL    -- JSON array of per-year rows
);
)sql",
  };
  return kMigrations;
}

}  // namespace vigil::store
