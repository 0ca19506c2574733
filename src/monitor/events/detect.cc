#include "monitor/events/detect.h"

#include <fmt/format.h>

#include <algorithm>
#include <cassert>
#include <cmath>
#include <fstream>
#include <sstream>
#include <unordered_map>

#include "core/embedded.h"
#include "core/json_limits.h"
#include "monitor/events/series.h"

namespace vigil::events {

using nlohmann::json;

const char* SeverityName(Severity s) {
  switch (s) {
    case Severity::kLow: return "low";
    case Severity::kMedium: return "medium";
    case Severity::kHigh: return "high";
    case Severity::kCritical: return "critical";
  }
  return "low";
}

Result<Severity> ParseSeverity(std::string_view s) {
  for (Severity v : {Severity::kLow, Severity::kMedium, Severity::kHigh, Severity::kCritical}) {
    if (s == SeverityName(v)) return v;
  }
  return Status::InvalidArgument("unknown severity '" + std::string(s) +
                                 "' (low, medium, high, critical)");
}

std::string Detection::Key() const { return fmt::format("{}|{}|{}|{}", detector, gw, unit, month); }

Severity SeverityCuts::Of(double score) const {
  if (score >= critical) return Severity::kCritical;
  if (score >= high) return Severity::kHigh;
  if (score >= medium) return Severity::kMedium;
  return Severity::kLow;
}

// ---- Configuration ---------------------------------------------------------

namespace {

// Reads typed fields of one JSON object, remembering the first error with
// its field path.
class Fields {
 public:
  Fields(const json& obj, std::string path, Status* err) : obj_(obj), path_(std::move(path)), err_(err) {}

  const json* Get(const char* name, bool required = true) {
    if (!err_->ok()) return nullptr;
    if (!obj_.is_object()) {
      Fail(path_, "must be an object");
      return nullptr;
    }
    auto it = obj_.find(name);
    if (it == obj_.end()) {
      if (required) Fail(Path(name), "is missing");
      return nullptr;
    }
    return &*it;
  }
  void Number(const char* name, double* out, double lo, double hi) {
    const json* v = Get(name);
    if (!v) return;
    if (!v->is_number()) return Fail(Path(name), "must be a number");
    double d = v->get<double>();
    if (!(d >= lo && d <= hi)) return Fail(Path(name), fmt::format("must be in [{}, {}], is {}", lo, hi, d));
    *out = d;
  }
  void Int(const char* name, int* out, int lo, int hi) {
    const json* v = Get(name);
    if (!v) return;
    if (!v->is_number_integer()) return Fail(Path(name), "must be an integer");
    auto d = v->get<std::int64_t>();
    if (d < lo || d > hi) return Fail(Path(name), fmt::format("must be in [{}, {}], is {}", lo, hi, d));
    *out = static_cast<int>(d);
  }
  void Bool(const char* name, bool* out) {
    const json* v = Get(name);
    if (!v) return;
    if (!v->is_boolean()) return Fail(Path(name), "must be true or false");
    *out = v->get<bool>();
  }
  void Cuts(SeverityCuts* out) {
    const json* v = Get("severity");
    if (!v) return;
    Fields f(*v, Path("severity"), err_);
    f.Number("medium", &out->medium, 0, 1e12);
    f.Number("high", &out->high, 0, 1e12);
    f.Number("critical", &out->critical, 0, 1e12);
    if (err_->ok() && !(out->medium <= out->high && out->high <= out->critical)) {
      Fail(Path("severity"), "needs medium <= high <= critical");
    }
  }
  std::string Path(const char* name) const { return path_.empty() ? name : path_ + "." + name; }
  void Fail(const std::string& field, const std::string& what) {
    if (err_->ok()) *err_ = Status::InvalidArgument("field '" + field + "' " + what);
  }

 private:
  const json& obj_;
  std::string path_;
  Status* err_;
};

json CutsJson(const SeverityCuts& c, const char* score) {
  return {{"score", score}, {"medium", c.medium}, {"high", c.high}, {"critical", c.critical}};
}

}  // namespace

Result<DetectorConfig> ParseDetectorConfig(std::string_view text, const std::string& source) {
  VIGIL_RETURN_IF_ERROR(CheckJsonDepth(text, source));
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return Status::InvalidArgument(source + ": not a JSON object");
  }
  DetectorConfig c;
  c.source = source;
  Status err;
  Fields top(j, "", &err);
  top.Int("version", &c.version, 1, 1000000);
  if (const json* v = top.Get("threshold")) {
    Fields f(*v, "threshold", &err);
    f.Bool("enabled", &c.threshold.enabled);
    f.Number("min_deaths", &c.threshold.min_deaths, 0, 1e9);
    f.Number("ratio", &c.threshold.ratio, 0, 1e6);
    f.Int("baseline_months", &c.threshold.baseline_months, 1, 600);
    f.Int("min_baseline_months", &c.threshold.min_baseline_months, 1, 600);
    f.Cuts(&c.threshold.severity);
  }
  if (const json* v = top.Get("cusum")) {
    Fields f(*v, "cusum", &err);
    f.Bool("enabled", &c.cusum.enabled);
    f.Int("baseline_months", &c.cusum.baseline_months, 1, 600);
    f.Int("guard_months", &c.cusum.guard_months, 0, 600);
    f.Int("min_baseline_months", &c.cusum.min_baseline_months, 1, 600);
    f.Number("shift", &c.cusum.shift, 1.000001, 1e6);
    f.Number("h", &c.cusum.h, 1e-9, 1e9);
    f.Number("min_rate", &c.cusum.min_rate, 1e-6, 1e9);
    f.Number("min_deaths", &c.cusum.min_deaths, 0, 1e9);
    f.Bool("overdispersion", &c.cusum.overdispersion);
    f.Cuts(&c.cusum.severity);
  }
  if (const json* v = top.Get("new_pair")) {
    Fields f(*v, "new_pair", &err);
    f.Bool("enabled", &c.new_pair.enabled);
    f.Int("lookback_months", &c.new_pair.lookback_months, 1, 600);
    f.Number("min_deaths", &c.new_pair.min_deaths, 1, 1e9);
    f.Cuts(&c.new_pair.severity);
  }
  if (const json* v = top.Get("spread")) {
    Fields f(*v, "spread", &err);
    f.Bool("enabled", &c.spread.enabled);
    f.Int("lookback_months", &c.spread.lookback_months, 1, 600);
    f.Int("min_new_cells", &c.spread.min_new_cells, 1, 1000000);
    f.Number("min_deaths", &c.spread.min_deaths, 0, 1e9);
    f.Cuts(&c.spread.severity);
  }
  if (const json* v = top.Get("backtest")) {
    Fields f(*v, "backtest", &err);
    f.Int("merge_gap_months", &c.backtest.merge_gap_months, 1, 120);
  }
  if (!err.ok()) return Status::InvalidArgument(source + ": " + err.message());
  return c;
}

json DetectorConfig::ToJson() const {
  return {
      {"version", version},
      {"source", source},
      {"threshold",
       {{"enabled", threshold.enabled},
        {"min_deaths", threshold.min_deaths},
        {"ratio", threshold.ratio},
        {"baseline_months", threshold.baseline_months},
        {"min_baseline_months", threshold.min_baseline_months},
        {"severity", CutsJson(threshold.severity, "deaths in the month")}}},
      {"cusum",
       {{"enabled", cusum.enabled},
        {"baseline_months", cusum.baseline_months},
        {"guard_months", cusum.guard_months},
        {"min_baseline_months", cusum.min_baseline_months},
        {"shift", cusum.shift},
        {"h", cusum.h},
        {"min_rate", cusum.min_rate},
        {"min_deaths", cusum.min_deaths},
        {"overdispersion", cusum.overdispersion},
        {"severity", CutsJson(cusum.severity, "S / h")}}},
      {"new_pair",
       {{"enabled", new_pair.enabled},
        {"lookback_months", new_pair.lookback_months},
        {"min_deaths", new_pair.min_deaths},
        {"severity", CutsJson(new_pair.severity, "deaths of the pair in the month")}}},
      {"spread",
       {{"enabled", spread.enabled},
        {"lookback_months", spread.lookback_months},
        {"min_new_cells", spread.min_new_cells},
        {"min_deaths", spread.min_deaths},
        {"severity", CutsJson(spread.severity, "new cells")}}},
      {"backtest", {{"merge_gap_months", backtest.merge_gap_months}}},
  };
}

const DetectorConfig& DefaultDetectorConfig() {
  static const DetectorConfig config = [] {
    auto text = catalog::FindEmbedded("alert_detectors.json");
    assert(text.ok() && "catalog/alert_detectors.json is not embedded");
    auto c = ParseDetectorConfig(*text, "catalog/alert_detectors.json");
    assert(c.ok() && "catalog/alert_detectors.json is invalid (see its test)");
    return *c;
  }();
  return config;
}

Result<DetectorConfig> LoadDetectorConfig(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot open detector configuration " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return Status::IoError("cannot read " + path);
  return ParseDetectorConfig(ss.str(), path);
}

// ---- Scan ------------------------------------------------------------------

namespace {

struct Row {
  std::uint64_t key;  // gw << 32 | day + 2^31: sorts by (gw, day)
  std::uint32_t idx;
};

json Recent(const std::vector<double>& series, std::size_t t, MonthIndex first, std::size_t n) {
  std::size_t lo = t + 1 >= n ? t + 1 - n : 0;
  json v = json::array();
  for (std::size_t i = lo; i <= t; ++i) v.push_back(series[i]);
  return {{"from", FormatMonth(first + static_cast<MonthIndex>(lo))}, {"values", v}};
}

std::string Num(double v) {
  if (!std::isfinite(v)) return "inf";
  if (std::fabs(v - std::round(v)) < 1e-9) return fmt::format("{:.0f}", v);
  return fmt::format("{:.1f}", v);
}

}  // namespace

std::vector<Detection> Scan(const EventColumns& ev, Day as_of, MonthIndex from,
                            const DetectorConfig& config) {
  std::vector<Detection> out;
  const MonthIndex last = MonthOf(as_of);
  if (from > last) return out;

  // Rows kept, sorted by (gw, day).
  std::vector<Row> rows;
  rows.reserve(ev.size());
  MonthIndex first = last;
  for (std::size_t i = 0; i < ev.size(); ++i) {
    if (ev.day[i] > as_of) continue;
    first = std::min(first, MonthOf(ev.day[i]));
    const auto gw = static_cast<std::uint64_t>(static_cast<std::uint32_t>(ev.gw[i]));
    const auto d = static_cast<std::uint64_t>(static_cast<std::int64_t>(ev.day[i]) + (1LL << 31));
    rows.push_back({gw << 32 | d, static_cast<std::uint32_t>(i)});
  }
  if (rows.empty()) return out;
  std::sort(rows.begin(), rows.end(),
            [](const Row& a, const Row& b) { return a.key != b.key ? a.key < b.key : a.idx < b.idx; });
  const std::size_t months = static_cast<std::size_t>(last - first + 1);

  std::vector<double> series(months);
  std::vector<std::size_t> month_begin(months + 1);
  std::size_t a = 0;
  while (a < rows.size()) {
    std::size_t b = a;
    const int gw = ev.gw[rows[a].idx];
    while (b < rows.size() && ev.gw[rows[b].idx] == gw) ++b;
    // Rows a..b are this country's, by day: month boundaries and the series.
    std::fill(series.begin(), series.end(), 0.0);
    {
      std::size_t r = a;
      for (std::size_t t = 0; t < months; ++t) {
        month_begin[t] = r;
        while (r < b && MonthOf(ev.day[rows[r].idx]) == first + static_cast<MonthIndex>(t)) {
          const std::uint32_t i = rows[r].idx;
          series[t] += static_cast<double>(
              CivilianDeaths(ev.violence[i], ev.civilian_targeting[i], ev.deaths_best[i], ev.deaths_civilians[i]));
          ++r;
        }
      }
      month_begin[months] = r;
      assert(r == b);
    }
    auto month_rows = [&](std::size_t t) {
      return std::pair<std::size_t, std::size_t>(month_begin[t], month_begin[t + 1]);
    };

    // Count detectors on civilian deaths.
    SeriesMonitor monitor(config.threshold, config.cusum);
    std::vector<SeriesAlarm> alarms;
    for (std::size_t t = 0; t < months; ++t) {
      alarms.clear();
      monitor.Push(series[t], &alarms);
      const MonthIndex m = first + static_cast<MonthIndex>(t);
      if (m < from) continue;
      for (const SeriesAlarm& al : alarms) {
        Detection d;
        d.detector = al.detector;
        d.gw = gw;
        d.month = m;
        d.score = al.score;
        d.severity = al.severity;
        const bool is_cusum = std::string_view(al.detector) == "cusum";
        if (is_cusum) {
          d.summary = fmt::format(
              "civilian deaths {} in {}: CUSUM {:.1f} >= h {} (in-control rate {}/month, "
              "tuned to a {}x rise, dispersion {:.1f})",
              Num(al.value), FormatMonth(m), al.statistic, Num(al.limit), Num(al.baseline),
              Num(config.cusum.shift), al.dispersion);
          d.details = {{"deaths", al.value},         {"cusum", al.statistic},
                       {"h", al.limit},              {"in_control_rate", al.baseline},
                       {"shift", config.cusum.shift}, {"dispersion", al.dispersion},
                       {"recent", Recent(series, t, first, 12)}};
        } else {
          d.summary =
              std::isfinite(al.statistic)
                  ? fmt::format(
                        "civilian deaths {} in {}: {}x the trailing {}-month mean {} (alarm level {})",
                        Num(al.value), FormatMonth(m), Num(al.statistic),
                        config.threshold.baseline_months, Num(al.baseline), Num(al.limit))
                  : fmt::format(
                        "civilian deaths {} in {}: none in the trailing {} months (alarm level {})",
                        Num(al.value), FormatMonth(m), config.threshold.baseline_months,
                        Num(al.limit));
          d.details = {{"deaths", al.value},
                       {"baseline_mean", al.baseline},
                       {"level", al.limit},
                       {"ratio_to_baseline", std::isfinite(al.statistic) ? json(al.statistic) : json()},
                       {"recent", Recent(series, t, first, 12)}};
        }
        auto [lo, hi] = month_rows(t);
        for (std::size_t r = lo; r < hi; ++r) {
          const std::uint32_t i = rows[r].idx;
          if (CivilianDeaths(ev.violence[i], ev.civilian_targeting[i], ev.deaths_best[i],
                             ev.deaths_civilians[i]) > 0) {
            d.evidence.push_back(ev.row_id[i]);
          }
        }
        out.push_back(std::move(d));
      }
    }

    // New perpetrator-target pairs.
    if (config.new_pair.enabled) {
      const NewPairParams& p = config.new_pair;
      std::unordered_map<std::uint64_t, MonthIndex> last_seen;
      struct PairMonth {
        std::int64_t deaths = 0;
        std::vector<std::size_t> rows;
      };
      std::unordered_map<std::uint64_t, PairMonth> now;
      for (std::size_t t = 0; t < months; ++t) {
        const MonthIndex m = first + static_cast<MonthIndex>(t);
        auto [lo, hi] = month_rows(t);
        if (lo == hi) continue;
        now.clear();
        for (std::size_t r = lo; r < hi; ++r) {
          const std::uint32_t i = rows[r].idx;
          const std::uint64_t key = static_cast<std::uint64_t>(ev.actor1_id[i]) << 32 | ev.actor2_id[i];
          PairMonth& pm = now[key];
          pm.rows.push_back(r);
          if (ev.violence[i] == Violence::kOneSided || ev.violence[i] == Violence::kStateBased ||
              ev.civilian_targeting[i]) {
            pm.deaths += ev.deaths_best[i];
          }
        }
        const bool covered = m - first >= p.lookback_months;
        if (covered && m >= from) {
          for (const auto& [key, pm] : now) {
            if (static_cast<double>(pm.deaths) < p.min_deaths || pm.deaths <= 0) continue;
            auto it = last_seen.find(key);
            if (it != last_seen.end() && m - it->second <= p.lookback_months) continue;
            const auto a1 = static_cast<std::uint32_t>(key >> 32);
            const auto a2 = static_cast<std::uint32_t>(key & 0xffffffffu);
            Detection d;
            d.detector = "new-pair";
            d.gw = gw;
            d.unit = ev.strings[a1] + " -> " + ev.strings[a2];
            d.month = m;
            d.score = static_cast<double>(pm.deaths);
            d.severity = p.severity.Of(d.score);
            const std::string before =
                it == last_seen.end() ? fmt::format("no earlier event since {}", FormatMonth(first))
                                      : fmt::format("last event {}", FormatMonth(it->second));
            d.summary = fmt::format("new lethal pair {} -> {}: {} deaths in {} ({} events); {}",
                                    ev.strings[a1].empty() ? "(unknown)" : ev.strings[a1],
                                    ev.strings[a2].empty() ? "(unknown)" : ev.strings[a2], pm.deaths,
                                    FormatMonth(m), pm.rows.size(), before);
            d.details = {{"actor1", ev.strings[a1]},
                         {"actor2", ev.strings[a2]},
                         {"deaths", pm.deaths},
                         {"events", pm.rows.size()},
                         {"lookback_months", p.lookback_months},
                         {"last_event_month",
                          it == last_seen.end() ? json() : json(FormatMonth(it->second))}};
            for (std::size_t r : pm.rows) d.evidence.push_back(ev.row_id[rows[r].idx]);
            out.push_back(std::move(d));
          }
        }
        for (const auto& [key, pm] : now) last_seen[key] = m;
      }
    }

    // Spread into new PRIO-GRID cells.
    if (config.spread.enabled) {
      const SpreadParams& p = config.spread;
      std::unordered_map<int, MonthIndex> last_lethal;
      std::unordered_map<int, std::int64_t> cells_now;  // cell -> deaths this month
      for (std::size_t t = 0; t < months; ++t) {
        const MonthIndex m = first + static_cast<MonthIndex>(t);
        auto [lo, hi] = month_rows(t);
        if (lo == hi) continue;
        cells_now.clear();
        for (std::size_t r = lo; r < hi; ++r) {
          const std::uint32_t i = rows[r].idx;
          if (ev.cell[i] <= 0 || ev.deaths_best[i] <= 0) continue;
          cells_now[ev.cell[i]] += ev.deaths_best[i];
        }
        if (cells_now.empty()) continue;
        const bool covered = m - first >= p.lookback_months;
        if (covered && m >= from) {
          std::vector<int> fresh;
          std::int64_t deaths = 0;
          for (const auto& [cell, dd] : cells_now) {
            auto it = last_lethal.find(cell);
            if (it != last_lethal.end() && m - it->second <= p.lookback_months) continue;
            fresh.push_back(cell);
            deaths += dd;
          }
          if (static_cast<int>(fresh.size()) >= p.min_new_cells &&
              static_cast<double>(deaths) >= p.min_deaths) {
            std::sort(fresh.begin(), fresh.end());
            int active_before = 0;
            for (const auto& [cell, lm] : last_lethal) {
              if (m - lm <= p.lookback_months) ++active_before;
            }
            Detection d;
            d.detector = "spread";
            d.gw = gw;
            d.unit = "";
            d.month = m;
            d.score = static_cast<double>(fresh.size());
            d.severity = p.severity.Of(d.score);
            d.summary = fmt::format(
                "lethal violence in {} new PRIO-GRID cells in {} ({} deaths there); {} cells had "
                "lethal events in the previous {} months",
                fresh.size(), FormatMonth(m), deaths, active_before, p.lookback_months);
            d.details = {{"new_cells", fresh},
                         {"deaths_in_new_cells", deaths},
                         {"cells_active_in_lookback", active_before},
                         {"lookback_months", p.lookback_months}};
            for (std::size_t r = lo; r < hi; ++r) {
              const std::uint32_t i = rows[r].idx;
              if (ev.deaths_best[i] > 0 && std::binary_search(fresh.begin(), fresh.end(), ev.cell[i])) {
                d.evidence.push_back(ev.row_id[i]);
              }
            }
            out.push_back(std::move(d));
          }
        }
        for (const auto& [cell, dd] : cells_now) last_lethal[cell] = m;
      }
    }
    a = b;
  }

  std::sort(out.begin(), out.end(), [](const Detection& x, const Detection& y) {
    if (x.month != y.month) return x.month < y.month;
    if (x.gw != y.gw) return x.gw < y.gw;
    if (x.detector != y.detector) return x.detector < y.detector;
    return x.unit < y.unit;
  });
  return out;
}

}  // namespace vigil::events
