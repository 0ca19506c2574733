// Panel datasets in the store: named, versioned by content.
//
// A dataset is a name (e.g. "ewp") with versions 1, 2, ...; each version is
// one imported file, identified by the SHA-256 of the file's bytes, and
// exactly one version per name is current. Saving content that a version
// already has writes nothing; new content becomes the next version and the
// current one. A save is one transaction: it stores everything or nothing.
//
// Rows are stored one per country-year with their values as little-endian
// float64 arrays in column order (NA as NaN), so a panel loads in a few
// milliseconds.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/panel.h"
#include "core/status.h"
#include "store/db.h"

namespace vigil::store {

struct PanelColumnInfo {
  std::string name;
  std::int64_t na_count = 0;  // rows where the value is missing
};

// One stored version of a dataset.
struct DatasetInfo {
  std::int64_t id = 0;        // datasets.id (what forecast and backtest runs refer to)
  std::string name;
  std::int64_t version = 0;
  bool current = false;
  std::string sha256;         // hex SHA-256 of the imported file
  std::string source_path;    // the file as given on import
  std::string imported_at;    // UTC, "YYYY-MM-DDTHH:MM:SSZ"
  std::int64_t rows = 0;
  std::vector<PanelColumnInfo> predictors;  // in panel order
  std::vector<PanelColumnInfo> outcomes;
  int year_min = 0, year_max = 0;
  std::int64_t countries = 0;      // distinct country codes
  std::int64_t complete_rows = 0;  // rows with every predictor present
  // Per outcome (same order as `outcomes`): rows with every predictor and
  // that outcome present.
  std::vector<std::int64_t> complete_rows_by_outcome;
  std::string meta_json = "{}";    // how the file was read (see PanelSource::read_options_json)
};

// Where a panel came from.
struct PanelSource {
  std::string path;    // the imported file as given
  std::string sha256;  // hex SHA-256 of its bytes: the identity of the version
  // Per row of the panel: the Gleditsch-Ward code from the country table, or
  // 0 if the row has none (stored as NULL). Empty means none for every row.
  // Codes must be in the database's countries table (store::SyncCountries).
  std::vector<int> gw;
  // JSON object describing how the file was read (id columns, delimiter ...);
  // stored in the version's meta under "read".
  std::string read_options_json = "{}";
};

enum class SaveStatus {
  kNew,         // first version of a new dataset name
  kNewVersion,  // new content for an existing name: version N+1, now current
  kUnchanged,   // the current version has this content: nothing written
  kRestored,    // an older version has this content: it is current again, no rows written
};
const char* SaveStatusName(SaveStatus s);  // "new", "new-version", "unchanged", "restored"

struct SaveResult {
  DatasetInfo dataset;
  SaveStatus status = SaveStatus::kNew;
};

// Stores `panel` as dataset `name` (non-empty), in one transaction.
// InvalidArgument if the panel is inconsistent (column sizes, duplicate
// (code, year), gw size) or if a version with the same content was stored
// with a different layout (other predictor or outcome columns): the same
// file read another way needs another dataset name.
Result<SaveResult> SavePanel(Db& db, const Panel& panel, const std::string& name,
                             const PanelSource& source);

// Loads a version of dataset `name`; version 0 means the current one.
// NotFound if there is no such dataset or version; Corruption if the stored
// rows do not match the stored columns. The returned panel's dataset_name and
// dataset_version are set. If gw is given it receives the per-row GW codes
// (0 where none).
Result<Panel> LoadPanel(Db& db, const std::string& name, std::int64_t version = 0,
                        std::vector<int>* gw = nullptr);

// Describes a version (0: the current one); NotFound as LoadPanel.
Result<DatasetInfo> GetDataset(Db& db, const std::string& name, std::int64_t version = 0);

// Every stored version of every dataset, by name then version.
Result<std::vector<DatasetInfo>> ListDatasets(Db& db);

// A version as JSON (what `vigil datasets --json` prints): id, name, version,
// current, sha256, source, imported_at, rows, countries, year_min, year_max,
// predictors and outcomes (names), complete_rows, complete_rows_by_outcome,
// na_counts (every column with a missing value, by name).
nlohmann::json DatasetJson(const DatasetInfo& d);

}  // namespace vigil::store
