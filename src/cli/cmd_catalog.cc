// vigil catalog: the catalogs compiled into vigil. Assessment frameworks
// (OSAPG, UN Framework of Analysis 2014, Stanton's stages, GPMESII, civilian
// risks): their items, indicators and scoring scales. Reference catalogs (the
// DIME toolbox, policy risks, cross-cutting considerations, military
// approaches, the policy frame): their entries with typed attributes.
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
          {"type", "assessment-framework"},
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
  std::string refs;
  for (const auto& rc : assess::ReferenceCatalogs()) refs += (refs.empty() ? "" : ", ") + rc.id;
  return Status::NotFound(
      fmt::format("no catalog '{}'; the catalogs are: {}; reference catalogs: {}", name, names, refs));
}

// "tool" -> "tools", "approach" -> "approaches".
std::string PluralOf(const std::string& kind) {
  bool es = kind.ends_with("ch") || kind.ends_with("sh") || kind.ends_with("s") || kind.ends_with("x");
  return kind + (es ? "es" : "s");
}

json RefHeaderJson(const assess::ReferenceCatalog& rc) {
  return {{"id", rc.id},
          {"name", rc.id},
          {"type", "reference-catalog"},
          {"version", rc.version},
          {"title", rc.title},
          {"source", rc.source},
          {"license_note", rc.license_note},
          {"item_kind", rc.entry_kind},
          {"item_count", rc.entries.size()},
          {"child_count", 0}};
}

// An entry with its attributes as top-level fields, e.g. {"id": "travel-bans",
// "title": ..., "instrument": "diplomatic", "approach": "compellence", ...}.
json EntryJson(const assess::ReferenceEntry& e) {
  json j = {{"id", e.id}, {"title", e.title}, {"description", e.description}};
  if (!e.group.empty()) j["group"] = e.group;
  for (const auto& [k, v] : e.fields) j[k] = v;
  for (const auto& [k, v] : e.lists) j[k] = v;
  for (const auto& [k, v] : e.flags) j[k] = v;
  return j;
}

// One line of attributes for the text output, e.g. "compellence; cost low, ...".
std::string EntrySummary(const assess::ReferenceCatalog& rc, const assess::ReferenceEntry& e) {
  if (rc.id == "dime") {
    return fmt::format("{}; {}; cost {}, risk {}, sovereignty {}; {}; lead {}{}", e.Field("approach"),
                       e.Field("effect"), e.Field("cost"), e.Field("risk"), e.Field("sovereignty_intrusion"),
                       e.Field("lead_time"), e.Field("lead_agency"),
                       e.Flag("requires_host_consent") ? "; needs host consent" : "");
  }
  if (rc.id == "military-approaches") {
    return fmt::format("force {}, risk {}", e.Field("force_level"), e.Field("risk"));
  }
  std::string out = e.group;
  if (!e.List("values").empty()) {
    std::string vals;
    for (const auto& v : e.List("values")) vals += (vals.empty() ? "" : "/") + v;
    out += ": " + vals;
  }
  return out;
}

void PrintEntryDetail(const assess::ReferenceEntry& e) {
  std::cout << fmt::format("{}  {}\n", e.id, e.title);
  std::cout << fmt::format("    {}\n", e.description);
  if (!e.group.empty()) std::cout << fmt::format("    group: {}\n", e.group);
  for (const auto& [k, v] : e.fields) std::cout << fmt::format("    {}: {}\n", k, v);
  for (const auto& [k, v] : e.lists) {
    std::string joined;
    // Lists of phrases are separated by "; ", lists of ids by ", ".
    const char* sep = (k == "questions" || k == "mitigations" || k == "suited_when") ? "; " : ", ";
    for (const auto& x : v) joined += (joined.empty() ? "" : sep) + x;
    std::cout << fmt::format("    {}: {}\n", k, joined);
  }
  for (const auto& [k, v] : e.flags) std::cout << fmt::format("    {}: {}\n", k, v ? "yes" : "no");
}

int RunShowReference(Context& ctx, const assess::ReferenceCatalog& rc, const std::string& item) {
  if (!item.empty()) {
    const assess::ReferenceEntry* e = rc.Find(item);
    if (!e) {
      std::string ids;
      for (const auto& x : rc.entries) ids += (ids.empty() ? "" : ", ") + x.id;
      return Fail(
          Status::NotFound(fmt::format("no item '{}' in catalog {}; its entries are: {}", item, rc.id, ids)));
    }
    if (ctx.json) {
      PrintJson({{"catalog", rc.id}, {"version", rc.version}, {"item", EntryJson(*e)}});
      return kExitOk;
    }
    std::cout << fmt::format("{} v{}: {}\n{}\n\n", rc.id, rc.version, rc.title, rc.entry_kind);
    PrintEntryDetail(*e);
    return kExitOk;
  }
  if (ctx.json) {
    json j = RefHeaderJson(rc);
    j["description"] = rc.description;
    json items = json::array();
    for (const auto& e : rc.entries) items.push_back(EntryJson(e));
    j[PluralOf(rc.entry_kind)] = items;
    j["items"] = std::move(items);
    PrintJson(j);
    return kExitOk;
  }
  std::cout << fmt::format("{} v{}: {}\n", rc.id, rc.version, rc.title);
  std::cout << fmt::format("Source: {}\n", rc.source);
  std::cout << fmt::format("Note: {}\n\n", rc.license_note);
  std::cout << rc.description << "\n";
  std::size_t id_w = 2;
  for (const auto& e : rc.entries) id_w = std::max(id_w, e.id.size());
  std::string section;
  for (const auto& e : rc.entries) {
    std::string sec = rc.id == "dime" ? e.Field("instrument") : "";
    if (sec != section || &e == &rc.entries.front()) {
      std::cout << "\n";
      if (!sec.empty()) std::cout << fmt::format("{}\n", sec);
      section = sec;
    }
    std::cout << fmt::format("  {:<{}}  {}  ({})\n", e.id, id_w, e.title, EntrySummary(rc, e));
  }
  std::cout << fmt::format("\n{} {}; `--item ID` shows one with its description and attributes\n",
                           rc.entries.size(), PluralOf(rc.entry_kind));
  return kExitOk;
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
    for (const auto& rc : assess::ReferenceCatalogs()) arr.push_back(RefHeaderJson(rc));
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
  const auto& refs = assess::ReferenceCatalogs();
  id_w = 2;
  for (const auto& rc : refs) id_w = std::max(id_w, rc.id.size());
  std::cout << fmt::format("\n{:<{}}  {:>7}  {:>7}  {}\n", "REFERENCE", id_w, "VERSION", "ENTRIES", "TITLE");
  for (const auto& rc : refs) {
    std::cout << fmt::format("{:<{}}  {:>7}  {:>7}  {}\n", rc.id, id_w, rc.version, rc.entries.size(), rc.title);
  }
  std::cout << fmt::format("{} reference catalogs (policy toolbox); `vigil catalog show ID` lists the entries\n",
                           refs.size());
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
  if (const assess::ReferenceCatalog* rc = assess::FindReferenceCatalog(opt.name)) {
    return RunShowReference(ctx, *rc, opt.item);
  }
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
      "Catalogs compiled into vigil: assessment frameworks (osapg, un2014, stanton, pmesii, civilian-risks) and "
      "reference catalogs (dime, dime-risks, cross-cutting, military-approaches, policy-frame)");
  cmd->require_subcommand(1);

  CLI::App* list = cmd->add_subcommand("list", "List the catalogs: id, version, item and indicator (or entry) counts, title");
  list->callback([&ctx] { SetExit(RunList(ctx)); });

  CLI::App* show = cmd->add_subcommand(
      "show", "Show a catalog: a framework's scoring scale and items with their issues, indicators or questions, or a "
      "reference catalog's entries with their attributes");
  show->add_option("name", opt->name, "Catalog id, e.g. un2014 or dime (see `vigil catalog list`)")->required();
  show->add_option("--item", opt->item, "Show only this item (e.g. rf9, rf9.2 or travel-bans), with its description");
  show->callback([&ctx, opt] { SetExit(RunShow(ctx, *opt)); });
}

}  // namespace vigil::cli
