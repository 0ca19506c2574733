// vigil countries: the reference table of states, and resolving the names and
// codes that data files use to it.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <iostream>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "cli/cli.h"
#include "data/countries.h"

namespace vigil::cli {

namespace {

struct CountriesOptions {
  std::string region;
  std::vector<std::string> queries;
};

nlohmann::json CountryJson(const Country& c) {
  nlohmann::json j = {{"gw", c.gw},
                      {"cow", c.cow > 0 ? nlohmann::json(c.cow) : nlohmann::json()},
                      {"iso3", c.iso3.empty() ? nlohmann::json() : nlohmann::json(c.iso3)},
                      {"name", c.name},
                      {"region", c.region},
                      {"first_year", c.first_year},
                      {"last_year", c.last_year > 0 ? nlohmann::json(c.last_year) : nlohmann::json()},
                      {"aliases", c.aliases}};
  return j;
}

std::string Years(const Country& c) {
  return c.last_year > 0 ? fmt::format("{}-{}", c.first_year, c.last_year)
                         : fmt::format("{}-", c.first_year);
}

std::string Lower(std::string s) {
  for (char& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}

int RunList(Context& ctx, const CountriesOptions& opt) {
  const CountryTable& table = data::Countries();
  std::vector<const Country*> rows;
  for (const Country& c : table.all()) {
    if (opt.region.empty() || Lower(c.region) == Lower(opt.region)) rows.push_back(&c);
  }
  if (rows.empty()) {
    std::set<std::string> regions;
    for (const Country& c : table.all()) regions.insert(c.region);
    std::string list;
    for (const auto& r : regions) list += (list.empty() ? "" : ", ") + r;
    return Fail(Status::NotFound("no region '" + opt.region + "'; the regions are: " + list));
  }
  if (ctx.json) {
    nlohmann::json j = nlohmann::json::array();
    for (const Country* c : rows) j.push_back(CountryJson(*c));
    PrintJson(j);
    return kExitOk;
  }
  std::size_t name_w = 4, region_w = 6;
  for (const Country* c : rows) {
    name_w = std::max(name_w, c->name.size());
    region_w = std::max(region_w, c->region.size());
  }
  std::cout << fmt::format("{:>3}  {:>3}  {:<4}  {:<{}}  {:<{}}  {}\n", "GW", "COW", "ISO3", "NAME",
                           name_w, "REGION", region_w, "YEARS");
  for (const Country* c : rows) {
    std::cout << fmt::format("{:>3}  {:>3}  {:<4}  {:<{}}  {:<{}}  {}\n", c->gw,
                             c->cow > 0 ? std::to_string(c->cow) : "-",
                             c->iso3.empty() ? "-" : c->iso3, c->name, name_w, c->region, region_w,
                             Years(*c));
  }
  std::cout << fmt::format("{} states\n", rows.size());
  return kExitOk;
}

int RunResolve(Context& ctx, const CountriesOptions& opt) {
  nlohmann::json j = nlohmann::json::array();
  std::vector<std::string> unresolved;
  for (const std::string& q : opt.queries) {
    std::string how;
    const Country* c = data::ResolveCountry(q, &how);
    if (!c) unresolved.push_back(q);
    if (ctx.json) {
      nlohmann::json r = {{"query", q}};
      if (c) {
        r["matched_by"] = how;
        r["country"] = CountryJson(*c);
      } else {
        r["matched_by"] = nullptr;
        r["country"] = nullptr;
      }
      j.push_back(std::move(r));
    } else if (c) {
      std::cout << fmt::format("{}\tgw {}\tcow {}\t{}\t{}\t{}\t{}\t(by {})\n", q, c->gw,
                               c->cow > 0 ? std::to_string(c->cow) : "-",
                               c->iso3.empty() ? "-" : c->iso3, c->name, c->region, Years(*c), how);
    } else {
      std::cout << fmt::format("{}\t-\n", q);
    }
  }
  if (ctx.json) PrintJson(j);
  if (unresolved.empty()) return kExitOk;
  std::string list;
  for (const auto& q : unresolved) list += (list.empty() ? "'" : ", '") + q + "'";
  return Fail(Status::NotFound(fmt::format(
      "cannot resolve {} of {}: {} (not a GW or COW code, ISO3 code, name or known alias)",
      unresolved.size(), opt.queries.size(), list)));
}

}  // namespace

void RegisterCountries(CLI::App& app, Context& ctx) {
  auto opt = std::make_shared<CountriesOptions>();
  CLI::App* cmd = app.add_subcommand(
      "countries",
      "List the reference table of states (Gleditsch-Ward and COW codes, ISO3, region, years)");
  cmd->add_option("--region", opt->region,
                  "Only states in this UN M49 region, e.g. \"Eastern Africa\" (any case)");
  cmd->require_subcommand(0, 1);

  CLI::App* resolve = cmd->add_subcommand(
      "resolve",
      "Resolve country names, GW or COW codes and ISO3 codes to states; exit 1 naming the ones "
      "that cannot be resolved");
  resolve->add_option("query", opt->queries, "Names, codes or ISO3 codes (quote names with spaces)")
      ->required();
  resolve->callback([&ctx, opt] { SetExit(RunResolve(ctx, *opt)); });
  cmd->callback([&ctx, opt, resolve] {
    if (!resolve->parsed()) SetExit(RunList(ctx, *opt));
  });
}

}  // namespace vigil::cli
