#include "store/panel_store.h"

#include <bit>
#include <cstring>
#include <nlohmann/json.hpp>
#include <set>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "core/json_field.h"
#include "store/forecast_store.h"  // UtcNow()

namespace vigil::store {

namespace {

using nlohmann::json;

// Appends values as little-endian float64.
void EncodeDoubles(const double* v, std::size_t n, std::string* out) {
  const std::size_t start = out->size();
  out->resize(start + 8 * n);
  char* p = out->data() + start;
  if constexpr (std::endian::native == std::endian::little) {
    std::memcpy(p, v, 8 * n);
  } else {
    for (std::size_t i = 0; i < n; ++i) {
      auto bits = std::bit_cast<std::uint64_t>(v[i]);
      for (int b = 0; b < 8; ++b) p[8 * i + b] = static_cast<char>(bits >> (8 * b));
    }
  }
}

double DecodeDouble(const std::uint8_t* p) {
  if constexpr (std::endian::native == std::endian::little) {
    double v;
    std::memcpy(&v, p, 8);
    return v;
  } else {
    std::uint64_t bits = 0;
    for (int b = 7; b >= 0; --b) bits = (bits << 8) | p[b];
    return std::bit_cast<double>(bits);
  }
}

Status CheckPanel(const Panel& p, const std::string& name, const PanelSource& source) {
  auto bad = [&](const std::string& m) {
    return Status::InvalidArgument("cannot store panel '" + name + "': " + m);
  };
  if (name.empty()) return bad("the dataset needs a name");
  const std::size_t n = p.rows();
  if (n == 0) return bad("it has no rows");
  if (p.country_name.size() != n || p.country_code.size() != n) {
    return bad("country names, codes and years differ in length");
  }
  if (p.predictors.size() != n * p.num_predictors() || p.outcomes.size() != n * p.num_outcomes()) {
    return bad("value arrays do not match rows x columns");
  }
  if (!source.gw.empty() && source.gw.size() != n) return bad("gw codes do not match the rows");
  std::set<std::string> names;
  for (const auto* cols : {&p.predictor_names, &p.outcome_names}) {
    for (const auto& c : *cols) {
      if (!names.insert(c).second) return bad("column '" + c + "' appears twice");
    }
  }
  std::unordered_set<std::uint64_t> seen;
  seen.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    std::uint64_t k = (static_cast<std::uint64_t>(static_cast<std::uint32_t>(p.country_code[i]))
                       << 32) |
                      static_cast<std::uint32_t>(p.year[i]);
    if (!seen.insert(k).second) {
      return bad("two rows for country code " + std::to_string(p.country_code[i]) + " and year " +
                 std::to_string(p.year[i]));
    }
  }
  return Status::Ok();
}

struct Stats {
  std::vector<std::int64_t> predictor_na, outcome_na, complete_by_outcome;
  std::int64_t complete = 0;
  std::int64_t countries = 0;
};

Stats ComputeStats(const Panel& p) {
  Stats s;
  const std::size_t n = p.rows();
  s.predictor_na.assign(p.num_predictors(), 0);
  s.outcome_na.assign(p.num_outcomes(), 0);
  s.complete_by_outcome.assign(p.num_outcomes(), 0);
  std::vector<char> complete(n, 1);
  for (std::size_t j = 0; j < p.num_predictors(); ++j) {
    for (std::size_t i = 0; i < n; ++i) {
      if (IsNA(p.x(i, j))) {
        ++s.predictor_na[j];
        complete[i] = 0;
      }
    }
  }
  for (std::size_t i = 0; i < n; ++i) s.complete += complete[i];
  for (std::size_t k = 0; k < p.num_outcomes(); ++k) {
    for (std::size_t i = 0; i < n; ++i) {
      bool na = IsNA(p.y(i, k));
      s.outcome_na[k] += na;
      s.complete_by_outcome[k] += complete[i] && !na;
    }
  }
  s.countries = static_cast<std::int64_t>(
      std::unordered_set<int>(p.country_code.begin(), p.country_code.end()).size());
  return s;
}

// Finds the datasets.id of `name` at `version` (0: current), with messages
// that say what exists instead.
Result<std::int64_t> FindVersion(Db& db, const std::string& name, std::int64_t version) {
  VIGIL_ASSIGN_OR_RETURN(
      Stmt q, db.Prepare("SELECT id FROM datasets WHERE kind = 'panel' AND name = ? AND "
                         "(CASE WHEN ?2 = 0 THEN is_current = 1 ELSE version = ?2 END)"));
  q.Bind(1, name).Bind(2, version);
  VIGIL_ASSIGN_OR_RETURN(bool found, q.Step());
  if (found) return q.Int(0);

  VIGIL_ASSIGN_OR_RETURN(
      Stmt v, db.Prepare("SELECT count(*), min(version), max(version) FROM datasets "
                         "WHERE kind = 'panel' AND name = ?"));
  v.Bind(1, name);
  VIGIL_RETURN_IF_ERROR(v.Step().status());
  if (v.Int(0) == 0) {
    return Status::NotFound("no panel dataset named '" + name +
                            "'; import one with `vigil import panel FILE --name " + name +
                            "` (list them with `vigil datasets`)");
  }
  if (version == 0) {
    return Status::Corruption(db.path() + ": panel dataset '" + name +
                              "' has no current version");
  }
  return Status::NotFound("panel dataset '" + name + "' has no version " +
                          std::to_string(version) + " (it has versions " +
                          std::to_string(v.Int(1)) + ".." + std::to_string(v.Int(2)) + ")");
}

// Reads datasets rows (optionally only `id`) with their columns.
Result<std::vector<DatasetInfo>> ReadInfos(Db& db, std::int64_t only_id) {
  VIGIL_ASSIGN_OR_RETURN(
      Stmt q, db.Prepare("SELECT id, name, version, is_current, sha256, source_path, imported_at, "
                         "row_count, meta FROM datasets WHERE kind = 'panel' AND "
                         "(?1 = 0 OR id = ?1) ORDER BY name, version"));
  q.Bind(1, only_id);
  std::vector<DatasetInfo> out;
  std::unordered_map<std::int64_t, std::size_t> index;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    DatasetInfo d;
    d.id = q.Int(0);
    d.name = q.Text(1);
    d.version = q.Int(2);
    d.current = q.Int(3) != 0;
    d.sha256 = q.Text(4);
    d.source_path = q.Text(5);
    d.imported_at = q.Text(6);
    d.rows = q.Int(7);
    d.meta_json = q.Text(8);
    json meta = json::parse(d.meta_json, nullptr, /*allow_exceptions=*/false);
    if (!meta.is_object()) {
      return Status::Corruption(db.path() + ": dataset " + d.name + " v" +
                                std::to_string(d.version) + " has unreadable meta JSON");
    }
    const std::string where = db.path() + ": dataset " + d.name + " v" + std::to_string(d.version) + " meta";
    auto corrupt = [](const Status& st) { return Status::Corruption(st.message()); };
    auto year_min = JsonField<int>(meta, "year_min", 0, where);
    auto year_max = JsonField<int>(meta, "year_max", 0, where);
    auto countries = JsonField<std::int64_t>(meta, "countries", 0, where, 0);
    auto complete = JsonField<std::int64_t>(meta, "complete_rows", 0, where, 0);
    for (const Status* st : {&year_min.status(), &year_max.status(), &countries.status(), &complete.status()}) {
      if (!st->ok()) return corrupt(*st);
    }
    d.year_min = *year_min;
    d.year_max = *year_max;
    d.countries = *countries;
    d.complete_rows = *complete;
    index[d.id] = out.size();
    out.push_back(std::move(d));
  }
  VIGIL_ASSIGN_OR_RETURN(
      Stmt c, db.Prepare("SELECT dataset_id, role, name, na_count FROM panel_columns "
                         "WHERE (?1 = 0 OR dataset_id = ?1) ORDER BY dataset_id, role, position"));
  c.Bind(1, only_id);
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool row, c.Step());
    if (!row) break;
    auto it = index.find(c.Int(0));
    if (it == index.end()) continue;
    DatasetInfo& d = out[it->second];
    (c.Text(1) == "outcome" ? d.outcomes : d.predictors).push_back({c.Text(2), c.Int(3)});
  }
  for (auto& d : out) {
    json meta = json::parse(d.meta_json, nullptr, false);
    const json& by = meta.contains("complete_rows_by_outcome") ? meta["complete_rows_by_outcome"]
                                                               : json::object();
    for (const auto& o : d.outcomes) {
      std::int64_t n = 0;
      if (by.is_object()) {
        auto v = JsonField<std::int64_t>(by, o.name, 0, db.path() + ": dataset " + d.name + " complete_rows_by_outcome", 0);
        if (!v.ok()) return Status::Corruption(v.status().message());
        n = *v;
      }
      d.complete_rows_by_outcome.push_back(n);
    }
  }
  return out;
}

bool SameLayout(const DatasetInfo& d, const Panel& p) {
  if (d.predictors.size() != p.num_predictors() || d.outcomes.size() != p.num_outcomes()) {
    return false;
  }
  for (std::size_t j = 0; j < p.num_predictors(); ++j) {
    if (d.predictors[j].name != p.predictor_names[j]) return false;
  }
  for (std::size_t k = 0; k < p.num_outcomes(); ++k) {
    if (d.outcomes[k].name != p.outcome_names[k]) return false;
  }
  return true;
}

std::string Names(const std::vector<PanelColumnInfo>& cols) {
  std::string s;
  for (const auto& c : cols) s += (s.empty() ? "" : ", ") + c.name;
  return s.empty() ? "none" : s;
}

}  // namespace

const char* SaveStatusName(SaveStatus s) {
  switch (s) {
    case SaveStatus::kNew: return "new";
    case SaveStatus::kNewVersion: return "new-version";
    case SaveStatus::kUnchanged: return "unchanged";
    case SaveStatus::kRestored: return "restored";
  }
  return "?";
}

Result<SaveResult> SavePanel(Db& db, const Panel& panel, const std::string& name,
                             const PanelSource& source) {
  VIGIL_RETURN_IF_ERROR(CheckPanel(panel, name, source));
  json read = json::parse(source.read_options_json, nullptr, false);
  if (!read.is_object()) {
    return Status::InvalidArgument("cannot store panel '" + name +
                                   "': read options are not a JSON object");
  }

  Transaction tx(db);
  VIGIL_RETURN_IF_ERROR(tx.Begin());
  SaveResult result;

  // Same content already stored under this name?
  VIGIL_ASSIGN_OR_RETURN(
      Stmt same, db.Prepare("SELECT id, version, is_current FROM datasets "
                            "WHERE kind = 'panel' AND name = ? AND sha256 = ?"));
  same.Bind(1, name).Bind(2, source.sha256);
  VIGIL_ASSIGN_OR_RETURN(bool exists, same.Step());
  if (exists) {
    const std::int64_t id = same.Int(0);
    const bool current = same.Int(2) != 0;
    VIGIL_ASSIGN_OR_RETURN(auto infos, ReadInfos(db, id));
    if (infos.size() != 1) return Status::Corruption(db.path() + ": dataset id vanished");
    const DatasetInfo& old = infos[0];
    if (!SameLayout(old, panel)) {
      return Status::InvalidArgument(
          "this file is already stored as '" + name + "' version " +
          std::to_string(old.version) + " with other columns (outcomes: " + Names(old.outcomes) +
          "; " + std::to_string(old.predictors.size()) +
          " predictors); to keep it read another way, import it under another --name");
    }
    if (!current) {
      VIGIL_ASSIGN_OR_RETURN(
          Stmt upd, db.Prepare("UPDATE datasets SET is_current = (id = ?) "
                               "WHERE kind = 'panel' AND name = ?"));
      VIGIL_RETURN_IF_ERROR(upd.Bind(1, id).Bind(2, name).Run());
    }
    VIGIL_RETURN_IF_ERROR(tx.Commit());
    result.status = current ? SaveStatus::kUnchanged : SaveStatus::kRestored;
    result.dataset = old;
    result.dataset.current = true;
    return result;
  }

  VIGIL_ASSIGN_OR_RETURN(
      Stmt maxv, db.Prepare("SELECT coalesce(max(version), 0) FROM datasets "
                            "WHERE kind = 'panel' AND name = ?"));
  maxv.Bind(1, name);
  VIGIL_RETURN_IF_ERROR(maxv.Step().status());
  const std::int64_t version = maxv.Int(0) + 1;
  result.status = version == 1 ? SaveStatus::kNew : SaveStatus::kNewVersion;

  const Stats stats = ComputeStats(panel);
  json meta = json::object();
  meta["read"] = read;
  meta["year_min"] = panel.MinYear();
  meta["year_max"] = panel.MaxYear();
  meta["countries"] = stats.countries;
  meta["complete_rows"] = stats.complete;
  json by = json::object();
  for (std::size_t k = 0; k < panel.num_outcomes(); ++k) {
    by[panel.outcome_names[k]] = stats.complete_by_outcome[k];
  }
  meta["complete_rows_by_outcome"] = by;

  VIGIL_ASSIGN_OR_RETURN(
      Stmt clear, db.Prepare("UPDATE datasets SET is_current = 0 WHERE kind = 'panel' AND name = ?"));
  VIGIL_RETURN_IF_ERROR(clear.Bind(1, name).Run());
  VIGIL_ASSIGN_OR_RETURN(
      Stmt ins, db.Prepare("INSERT INTO datasets (name, version, kind, source_path, sha256, "
                           "imported_at, row_count, is_current, meta) "
                           "VALUES (?, ?, 'panel', ?, ?, ?, ?, 1, ?)"));
  ins.Bind(1, name).Bind(2, version).Bind(3, source.path).Bind(4, source.sha256);
  ins.Bind(5, UtcNow()).Bind(6, static_cast<std::int64_t>(panel.rows())).Bind(7, meta.dump());
  VIGIL_RETURN_IF_ERROR(ins.Run());
  const std::int64_t id = db.LastInsertRowId();

  VIGIL_ASSIGN_OR_RETURN(
      Stmt col, db.Prepare("INSERT INTO panel_columns (dataset_id, position, name, role, na_count) "
                           "VALUES (?, ?, ?, ?, ?)"));
  for (std::size_t j = 0; j < panel.num_predictors(); ++j) {
    col.Bind(1, id).Bind(2, static_cast<std::int64_t>(j)).Bind(3, panel.predictor_names[j]);
    col.Bind(4, "predictor").Bind(5, stats.predictor_na[j]);
    VIGIL_RETURN_IF_ERROR(col.Run());
  }
  for (std::size_t k = 0; k < panel.num_outcomes(); ++k) {
    col.Bind(1, id).Bind(2, static_cast<std::int64_t>(k)).Bind(3, panel.outcome_names[k]);
    col.Bind(4, "outcome").Bind(5, stats.outcome_na[k]);
    VIGIL_RETURN_IF_ERROR(col.Run());
  }

  VIGIL_ASSIGN_OR_RETURN(
      Stmt row, db.Prepare("INSERT INTO panel_rows (dataset_id, row, country_code, country_name, "
                           "gw, year, predictors, outcomes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
  const std::size_t n = panel.rows();
  std::vector<double> xs(panel.num_predictors()), ys(panel.num_outcomes());
  std::string xblob, yblob;
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < xs.size(); ++j) xs[j] = panel.x(i, j);
    for (std::size_t k = 0; k < ys.size(); ++k) ys[k] = panel.y(i, k);
    xblob.clear();
    yblob.clear();
    EncodeDoubles(xs.data(), xs.size(), &xblob);
    EncodeDoubles(ys.data(), ys.size(), &yblob);
    row.Bind(1, id).Bind(2, static_cast<std::int64_t>(i)).Bind(3, panel.country_code[i]);
    row.Bind(4, panel.country_name[i]);
    if (!source.gw.empty() && source.gw[i] != 0) {
      row.Bind(5, source.gw[i]);
    } else {
      row.BindNull(5);
    }
    row.Bind(6, panel.year[i]);
    row.BindBlob(7, xblob.data(), xblob.size()).BindBlob(8, yblob.data(), yblob.size());
    Status s = row.Run();
    if (!s.ok()) {
      return s.WithContext("storing row " + std::to_string(i + 1) + " of panel '" + name + "' (" +
                           panel.country_name[i] + " " + std::to_string(panel.year[i]) + ")");
    }
  }

  VIGIL_ASSIGN_OR_RETURN(auto infos, ReadInfos(db, id));
  VIGIL_RETURN_IF_ERROR(tx.Commit());
  if (infos.size() != 1) return Status::Internal(db.path() + ": stored dataset not found");
  result.dataset = std::move(infos[0]);
  return result;
}

Result<DatasetInfo> GetDataset(Db& db, const std::string& name, std::int64_t version) {
  VIGIL_ASSIGN_OR_RETURN(std::int64_t id, FindVersion(db, name, version));
  VIGIL_ASSIGN_OR_RETURN(auto infos, ReadInfos(db, id));
  if (infos.size() != 1) return Status::Internal(db.path() + ": dataset id vanished");
  return std::move(infos[0]);
}

Result<std::vector<DatasetInfo>> ListDatasets(Db& db) { return ReadInfos(db, 0); }

json DatasetJson(const DatasetInfo& d) {
  json j;
  j["id"] = d.id;
  j["name"] = d.name;
  j["version"] = d.version;
  j["current"] = d.current;
  j["sha256"] = d.sha256;
  j["source"] = d.source_path;
  j["imported_at"] = d.imported_at;
  j["rows"] = d.rows;
  j["countries"] = d.countries;
  j["year_min"] = d.year_min;
  j["year_max"] = d.year_max;
  json preds = json::array(), outs = json::array(), na = json::object(), by = json::object();
  for (const auto& c : d.predictors) preds.push_back(c.name);
  for (const auto& c : d.outcomes) outs.push_back(c.name);
  for (const auto* cols : {&d.predictors, &d.outcomes}) {
    for (const auto& c : *cols) {
      if (c.na_count > 0) na[c.name] = c.na_count;
    }
  }
  for (std::size_t k = 0; k < d.outcomes.size() && k < d.complete_rows_by_outcome.size(); ++k) {
    by[d.outcomes[k].name] = d.complete_rows_by_outcome[k];
  }
  j["predictors"] = preds;
  j["outcomes"] = outs;
  j["complete_rows"] = d.complete_rows;
  j["complete_rows_by_outcome"] = by;
  j["na_counts"] = na;
  return j;
}

Result<Panel> LoadPanel(Db& db, const std::string& name, std::int64_t version,
                        std::vector<int>* gw) {
  VIGIL_ASSIGN_OR_RETURN(DatasetInfo info, GetDataset(db, name, version));
  auto corrupt = [&](const std::string& m) {
    return Status::Corruption(db.path() + ": panel dataset '" + name + "' version " +
                              std::to_string(info.version) + ": " + m);
  };
  Panel p;
  p.dataset_name = info.name;
  p.dataset_version = info.version;
  for (const auto& c : info.predictors) p.predictor_names.push_back(c.name);
  for (const auto& c : info.outcomes) p.outcome_names.push_back(c.name);
  const std::size_t n = static_cast<std::size_t>(info.rows);
  const std::size_t np = p.num_predictors(), no = p.num_outcomes();
  p.country_name.reserve(n);
  p.country_code.reserve(n);
  p.year.reserve(n);
  p.predictors.resize(n * np);
  p.outcomes.resize(n * no);
  if (gw) {
    gw->clear();
    gw->reserve(n);
  }

  VIGIL_ASSIGN_OR_RETURN(
      Stmt q, db.Prepare("SELECT row, country_code, country_name, gw, year, predictors, outcomes "
                         "FROM panel_rows WHERE dataset_id = ? ORDER BY row"));
  q.Bind(1, info.id);
  std::size_t i = 0;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool has, q.Step());
    if (!has) break;
    if (i >= n || q.Int(0) != static_cast<std::int64_t>(i)) {
      return corrupt("row " + std::to_string(q.Int(0)) + " is out of sequence (expected " +
                     std::to_string(i) + " of " + std::to_string(n) + ")");
    }
    p.country_code.push_back(static_cast<int>(q.Int(1)));
    p.country_name.push_back(q.Text(2));
    if (gw) gw->push_back(q.IsNull(3) ? 0 : static_cast<int>(q.Int(3)));
    p.year.push_back(static_cast<int>(q.Int(4)));
    const auto xs = q.Blob(5);
    const auto ys = q.Blob(6);
    if (xs.size() != 8 * np || ys.size() != 8 * no) {
      return corrupt("row " + std::to_string(i) + " has " + std::to_string(xs.size() / 8) +
                     " predictor and " + std::to_string(ys.size() / 8) + " outcome values, " +
                     "expected " + std::to_string(np) + " and " + std::to_string(no));
    }
    for (std::size_t j = 0; j < np; ++j) p.predictors[j * n + i] = DecodeDouble(&xs[8 * j]);
    for (std::size_t k = 0; k < no; ++k) p.outcomes[k * n + i] = DecodeDouble(&ys[8 * k]);
    ++i;
  }
  if (i != n) {
    return corrupt("has " + std::to_string(i) + " rows, expected " + std::to_string(n));
  }
  return p;
}

}  // namespace vigil::store
