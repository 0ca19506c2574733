// vigil import panel FILE: validates a country-year panel in the Early
// Warning Project's format and stores it as a dataset version.
#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <memory>

#include "cli/cli.h"
#include "data/panel_csv.h"
#include "store/panel_store.h"

namespace vigil::cli {

namespace {

struct ImportPanelArgs {
  std::string file;
  std::string name = "ewp";
  std::vector<std::string> outcomes;  // empty: EWP's four
  std::vector<std::string> ignore;
  data::PanelCsvOptions options;
  bool no_year_predictor = false;
};

double MsSince(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

std::string DelimiterName(char d) {
  return d == ',' ? "comma" : d == ';' ? "semicolon" : d == '\t' ? "tab" : std::string(1, d);
}

void PrintSummary(const store::SaveResult& r, double read_ms, double store_ms) {
  const store::DatasetInfo& d = r.dataset;
  switch (r.status) {
    case store::SaveStatus::kNew:
      std::cout << fmt::format("Imported panel '{}' version {} (new dataset)\n", d.name, d.version);
      break;
    case store::SaveStatus::kNewVersion:
      std::cout << fmt::format("Imported panel '{}' version {} (new version, now current)\n",
                               d.name, d.version);
      break;
    case store::SaveStatus::kUnchanged:
      std::cout << fmt::format(
          "Panel '{}' unchanged: version {} already has this content; nothing written\n", d.name,
          d.version);
      break;
    case store::SaveStatus::kRestored:
      std::cout << fmt::format(
          "Panel '{}': version {} has this content and is current again; no rows written\n",
          d.name, d.version);
      break;
  }
  std::cout << fmt::format("  source       {}\n", d.source_path);
  std::cout << fmt::format("  sha256       {}\n", d.sha256);
  std::cout << fmt::format("  rows         {} country-years, {} countries, years {}-{}\n", d.rows,
                           d.countries, d.year_min, d.year_max);
  std::cout << fmt::format("  predictors   {}\n", d.predictors.size());
  std::string outs;
  for (const auto& o : d.outcomes) outs += (outs.empty() ? "" : ", ") + o.name;
  std::cout << fmt::format("  outcomes     {}\n", outs.empty() ? "none" : outs);
  std::string by;
  for (std::size_t k = 0; k < d.outcomes.size() && k < d.complete_rows_by_outcome.size(); ++k) {
    by += fmt::format("{}{} {}", by.empty() ? "" : ", ", d.outcomes[k].name,
                      d.complete_rows_by_outcome[k]);
  }
  std::cout << fmt::format("  complete     {} rows have every predictor{}\n", d.complete_rows,
                           by.empty() ? "" : "; with the outcome too: " + by);
  std::size_t width = 0, with_na = 0;
  for (const auto* cols : {&d.predictors, &d.outcomes}) {
    for (const auto& c : *cols) {
      if (c.na_count > 0) {
        width = std::max(width, c.name.size());
        ++with_na;
      }
    }
  }
  if (with_na == 0) {
    std::cout << "  missing      none\n";
  } else {
    std::cout << fmt::format("  missing      NA counts in {} columns:\n", with_na);
    for (const auto* cols : {&d.predictors, &d.outcomes}) {
      for (const auto& c : *cols) {
        if (c.na_count > 0) {
          std::cout << fmt::format("    {:<{}}  {:>6}  ({:.1f}%)\n", c.name, width, c.na_count,
                                   100.0 * static_cast<double>(c.na_count) /
                                       static_cast<double>(std::max<std::int64_t>(d.rows, 1)));
        }
      }
    }
  }
  std::cout << fmt::format("  time         read and checked in {:.0f} ms, stored in {:.0f} ms\n",
                           read_ms, store_ms);
}

int RunImportPanel(Context& ctx, ImportPanelArgs& a) {
  data::PanelCsvOptions& o = a.options;
  if (!a.outcomes.empty()) o.outcome_columns = a.outcomes;
  o.ignore_columns = a.ignore;
  o.year_is_predictor = !a.no_year_predictor;

  auto t0 = std::chrono::steady_clock::now();
  data::PanelCsvInfo info;
  auto panel = data::ReadPanelCsv(a.file, o, &info);
  if (!panel.ok()) return Fail(panel.status());
  const double read_ms = MsSince(t0);

  auto db = ctx.Db();
  if (!db.ok()) return Fail(db.status());

  std::error_code ec;
  auto abs = std::filesystem::absolute(a.file, ec);
  store::PanelSource source;
  source.path = ec ? a.file : abs.lexically_normal().string();
  source.sha256 = info.sha256;
  source.gw = info.gw;
  nlohmann::json read = {
      {"id_columns", {{"name", o.name_column}, {"code", o.code_column}, {"year", o.year_column}}},
      {"outcome_columns", o.outcome_columns},
      {"ignored_columns", o.ignore_columns},
      {"year_is_predictor", o.year_is_predictor},
      {"year_range", {o.min_year, o.max_year}},
      {"delimiter", DelimiterName(info.delimiter)},
      {"bytes", info.bytes},
  };
  source.read_options_json = read.dump();

  auto t1 = std::chrono::steady_clock::now();
  auto saved = store::SavePanel(**db, *panel, a.name, source);
  if (!saved.ok()) return Fail(saved.status());
  const double store_ms = MsSince(t1);

  if (ctx.json) {
    nlohmann::json j = store::DatasetJson(saved->dataset);
    j["status"] = store::SaveStatusName(saved->status);
    j["database"] = ctx.db_path;
    j["read"] = read;
    j["milliseconds"] = {{"read", read_ms}, {"store", store_ms}};
    PrintJson(j);
  } else {
    PrintSummary(*saved, read_ms, store_ms);
  }
  return kExitOk;
}

}  // namespace

void RegisterImport(CLI::App& app, Context& ctx) {
  CLI::App* imp = app.add_subcommand("import", "Import data into vigil's store");
  imp->require_subcommand(1);

  auto args = std::make_shared<ImportPanelArgs>();
  CLI::App* panel = imp->add_subcommand(
      "panel",
      "Import a country-year panel (Early Warning Project format: country name, code and year "
      "columns, 0/1 outcome columns, numeric predictors, NA or empty for missing) as a dataset "
      "version. The whole file is checked first; any error imports nothing. Re-importing the "
      "same content writes nothing.");
  panel->add_option("file", args->file, "Panel CSV file (delimiter , ; or tab, detected)")
      ->required();
  panel->add_option("--name", args->name, "Dataset name")->capture_default_str();
  panel
      ->add_option("--outcome", args->outcomes,
                   "Outcome column (repeat for several; default: mk_onset, mk_onset_1, "
                   "mk_onset_2, mk_onset_1or2)")
      ->expected(1)
      ->take_all();
  panel
      ->add_option("--ignore", args->ignore,
                   "Column to skip, neither predictor nor outcome (repeatable)")
      ->expected(1)
      ->take_all();
  panel->add_option("--id-name", args->options.name_column, "Country name column")
      ->capture_default_str();
  panel->add_option("--id-code", args->options.code_column, "Numeric country code column")
      ->capture_default_str();
  panel->add_option("--id-year", args->options.year_column, "Year column")->capture_default_str();
  panel->add_option("--min-year", args->options.min_year, "Earliest valid year")
      ->capture_default_str();
  panel->add_option("--max-year", args->options.max_year, "Latest valid year")
      ->capture_default_str();
  panel->add_flag("--no-year-predictor", args->no_year_predictor,
                  "Do not use the year column as a predictor (EWP's model does)");
  panel->callback([&ctx, args] { SetExit(RunImportPanel(ctx, *args)); });
  RegisterImportEvents(*imp, ctx);
}

}  // namespace vigil::cli
