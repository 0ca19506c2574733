// vigil catalog: the assessment framework catalogs compiled into vigil (OSAPG,
// UN Framework of Analysis 2014, Stanton's stages, GPMESII, civilian risks):
// their items, indicators and scoring scales.
#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <memory>
#include <string>

#include "assess/frameworks.h"
#include "cli/cli.h"

namespace vigil::cli {

namespace {

using nlohmann::json;

struct CatalogOptions {
  std::string name;
  std::string item;
};

std::size_t CountChildren(const assess::Framework& fw) {
  return static_cast<std::size_t>(
      std::count_if(fw.items.begin(), fw.items.end(), [](const auto& it) { return it.depth > 0; }));
}

// "indicator" -> "indicators": the key the catalog file uses for children.
std::string Plural(const std::string& kind) { return kind + "s"; }

json ScaleJson(const assess::Scale& s) {
  json levels = json::array();
  for (const auto& l : s.levels) {
    levels.push_back({{"id", l.id}, {"value", l.value}, {"label", l.label}, {"meaning", l.meaning}});
  }
  return {{"question", s.question}, {"levels", levels}};
}

json ItemJson(const assess::Framework& fw, const assess::FrameworkItem& it) {
  json j = {{"id", it.id}, {"kind", it.kind}, {"title", it.title}};
  if (it.number > 0) j["number"] = it.number;
  if (!it.description.empty()) j["description"] = it.description;
  if (!it.parent_id.empty()) j["parent_id"] = it.parent_id;
  if (!it.crime.empty()) j["crime"] = it.crime;
  if (!it.group.empty()) j["group"] = it.group;
  auto children = fw.ChildrenOf(it.id);
  if (!children.empty()) {
    json arr = json::array();
    for (const auto* ch : children) arr.push_back(ItemJson(fw, *ch));
    j[Plural(children.front()->kind)] = std::move(arr);
  }
  return j;
}

json HeaderJson(const assess::Framework& fw) {
  return {{"id", fw.id},
          {"name", fw.id},
          {"version", fw.version},
          {"title", fw.title},
          {"source", fw.source},
          {"license_note", fw.license_note},
          {"item_kind", fw.item_kind},
          {"item_count", fw.TopLevel().size()},
          {"child_count", CountChildren(fw)}};
}

Result<const assess::Framework*> Lookup(const std::string& name) {
  if (const assess::Framework* fw = assess::FindFramework(name)) return fw;
  std::string names;
  for (const auto& fw : assess::Frameworks()) names += (names.empty() ? "" : ", ") + fw.id;
  return Status::NotFound(fmt::format("no catalog '{}'; the catalogs are: {}", name, names));
}

int RunList(Context& ctx) {
  const auto& all = assess::Frameworks();
  if (ctx.json) {
    json arr = json::array();
    for (const auto& fw : all) {
      json j = HeaderJson(fw);
      json levels = json::array();
      for (const auto& l : fw.scale.levels) levels.push_back(l.id);
      j["levels"] = levels;
      arr.push_back(std::move(j));
    }
    PrintJson(arr);
    return kExitOk;
  }
  std::size_t id_w = 2;
  for (const auto& fw : all) id_w = std::max(id_w, fw.id.size());
  std::cout << fmt::format("{:<{}}  {:>7}  {:>5}  {:>8}  {}\n", "ID", id_w, "VERSION", "ITEMS", "CHILDREN",
                           "TITLE");
  for (const auto& fw : all) {
    std::cout << fmt::format("{:<{}}  {:>7}  {:>5}  {:>8}  {}\n", fw.id, id_w, fw.version, fw.TopLevel().size(),
                             CountChildren(fw), fw.title);
  }
  std::cout << fmt::format("{} catalogs; `vigil catalog show ID` lists the items and the scale\n", all.size());
  return kExitOk;
}

void PrintItem(const assess::Framework& fw, const assess::FrameworkItem& it, bool with_description) {
  std::string tags;
  if (!it.crime.empty()) tags += " [" + it.crime + "]";
  if (!it.group.empty()) tags += " [" + it.group + "]";
  if (it.depth == 0) {
    std::cout << fmt::format("{}  {}{}\n", it.id, it.title, tags);
    if (with_description) std::cout << fmt::format("    {}\n", it.description);
  } else {
    std::cout << fmt::format("    {}  {}\n", it.id, it.title);
    if (with_description && !it.description.empty()) std::cout << fmt::format("        {}\n", it.description);
  }
}

void PrintScale(const assess::Scale& s) {
  std::cout << fmt::format("Scale: {}\n", s.question);
  std::size_t id_w = 2;
  for (const auto& l : s.levels) id_w = std::max(id_w, l.id.size());
  for (const auto& l : s.levels) {
    std::cout << fmt::format("  {:>3}  {:<{}}  {}\n", l.value, l.id, id_w, l.meaning);
  }
}

int RunShow(Context& ctx, const CatalogOptions& opt) {
  VIGIL_ASSIGN_OR_RETURN_CLI(const assess::Framework* fw, Lookup(opt.name));
  if (!opt.item.empty()) {
    const assess::FrameworkItem* it = fw->Find(opt.item);
    if (!it) {
      std::string ids;
      for (const auto* top : fw->TopLevel()) ids += (ids.empty() ? "" : ", ") + top->id;
      return Fail(Status::NotFound(fmt::format("no item '{}' in catalog {}; its top-level items are: {}", opt.item,
                                               fw->id, ids)));
    }
    if (ctx.json) {
      PrintJson({{"catalog", fw->id},
                 {"version", fw->version},
                 {"item", ItemJson(*fw, *it)},
                 {"scale", ScaleJson(fw->scale)}});
      return kExitOk;
    }
    std::cout << fmt::format("{} v{}: {}\n", fw->id, fw->version, fw->title);
    if (!it->parent_id.empty()) {
      const assess::FrameworkItem* parent = fw->Find(it->parent_id);
      std::cout << fmt::format("{} of {}  {}\n", it->kind, parent->id, parent->title);
    } else {
      std::cout << it->kind << "\n";
    }
    std::cout << "\n";
    PrintItem(*fw, *it, /*with_description=*/true);
    for (const auto* ch : fw->ChildrenOf(it->id)) PrintItem(*fw, *ch, /*with_description=*/true);
    std::cout << "\n";
    PrintScale(fw->scale);
    return kExitOk;
  }
  if (ctx.json) {
    json j = HeaderJson(*fw);
    j["description"] = fw->description;
    j["scale"] = ScaleJson(fw->scale);
    json items = json::array();
    for (const auto* top : fw->TopLevel()) items.push_back(ItemJson(*fw, *top));
    j["items"] = std::move(items);
    PrintJson(j);
    return kExitOk;
  }
  std::cout << fmt::format("{} v{}: {}\n", fw->id, fw->version, fw->title);
  std::cout << fmt::format("Source: {}\n", fw->source);
  std::cout << fmt::format("Note: {}\n\n", fw->license_note);
  std::cout << fw->description << "\n\n";
  PrintScale(fw->scale);
  std::cout << "\n";
  for (const auto& it : fw->items) PrintItem(*fw, it, /*with_description=*/false);
  std::cout << fmt::format("\n{} {}s, {} {}\n", fw->TopLevel().size(), fw->item_kind, CountChildren(*fw),
                           "issues, indicators or questions; `--item ID` shows one with its description");
  return kExitOk;
}

}  // namespace

void RegisterCatalog(CLI::App& app, Context& ctx) {
  auto opt = std::make_shared<CatalogOptions>();
  CLI::App* cmd = app.add_subcommand(
      "catalog",
      "Assessment framework catalogs compiled into vigil: osapg, un2014, stanton, pmesii, civilian-risks");
  cmd->require_subcommand(1);

  CLI::App* list = cmd->add_subcommand("list", "List the catalogs: id, version, item and indicator counts, title");
  list->callback([&ctx] { SetExit(RunList(ctx)); });

  CLI::App* show = cmd->add_subcommand(
      "show", "Show a catalog: its scoring scale and its items with their issues, indicators or questions");
  show->add_option("name", opt->name, "Catalog id, e.g. un2014 (see `vigil catalog list`)")->required();
  show->add_option("--item", opt->item, "Show only this item (e.g. rf9 or rf9.2), with its description");
  show->callback([&ctx, opt] { SetExit(RunShow(ctx, *opt)); });
}

}  // namespace vigil::cli
