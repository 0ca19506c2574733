// vigil datasets: the stored panel datasets and their versions.
#include <fmt/format.h>

#include <iostream>

#include "cli/cli.h"
#include "store/panel_store.h"

namespace vigil::cli {

namespace {

int RunDatasets(Context& ctx) {
  auto db = ctx.Db();
  if (!db.ok()) return Fail(db.status());
  auto list = store::ListDatasets(**db);
  if (!list.ok()) return Fail(list.status());

  if (ctx.json) {
    nlohmann::json j = nlohmann::json::array();
    for (const auto& d : *list) j.push_back(store::DatasetJson(d));
    PrintJson(j);
    return kExitOk;
  }
  if (list->empty()) {
    std::cout << "No datasets in " << ctx.db_path
              << ". Import one with: vigil import panel FILE [--name NAME]\n";
    return kExitOk;
  }
  std::size_t name_w = 4;
  for (const auto& d : *list) name_w = std::max(name_w, d.name.size());
  std::cout << fmt::format("{:<{}}  {:>7}  {:>7}  {:>6}  {:>10}  {:>8}  {:>9}  {:>9}  {:<12}  {:<20}  {}\n",
                           "NAME", name_w, "VERSION", "CURRENT", "ROWS", "PREDICTORS", "OUTCOMES",
                           "YEARS", "COUNTRIES", "SHA256", "IMPORTED", "SOURCE");
  for (const auto& d : *list) {
    std::cout << fmt::format(
        "{:<{}}  {:>7}  {:>7}  {:>6}  {:>10}  {:>8}  {:>9}  {:>9}  {:<12}  {:<20}  {}\n", d.name,
        name_w, d.version, d.current ? "*" : "", d.rows, d.predictors.size(), d.outcomes.size(),
        fmt::format("{}-{}", d.year_min, d.year_max), d.countries, d.sha256.substr(0, 12),
        d.imported_at, d.source_path);
  }
  return kExitOk;
}

}  // namespace

void RegisterDatasets(CLI::App& app, Context& ctx) {
  CLI::App* cmd = app.add_subcommand(
      "datasets", "List the stored panel datasets and their versions (* marks the current one)");
  cmd->callback([&ctx] { SetExit(RunDatasets(ctx)); });
}

}  // namespace vigil::cli
