#include "plan/plan_catalog.h"

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <set>

#include "assess/case.h"
#include "core/embedded.h"
#include "core/json_limits.h"
#include "core/vocab.h"
#include "plan/json_reader.h"
#include "store/alert_store.h"

namespace vigil::plan {

using nlohmann::json;
using Reader = internal::JsonReader;

namespace {

bool Contains(const std::vector<std::string>& v, std::string_view s) {
  for (const auto& x : v)
    if (x == s) return true;
  return false;
}

const assess::ReferenceCatalog& Dime() {
  const assess::ReferenceCatalog* d = assess::FindReferenceCatalog("dime");
  assert(d != nullptr && "the dime catalog is embedded");
  return *d;
}

std::set<std::string> DimePurposes() {
  std::set<std::string> out;
  for (const auto& e : Dime().entries)
    for (const auto& p : e.List("purposes")) out.insert(p);
  return out;
}

// Parses the JSON object of a catalog file; errors start with source_name.
Result<json> ParseObject(std::string_view text, const std::string& source_name) {
  VIGIL_RETURN_IF_ERROR(CheckJsonDepth(text, source_name));
  json j = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Status::InvalidArgument(source_name + ": not valid JSON");
  if (!j.is_object())
    return Status::InvalidArgument(fmt::format("{}: must be a JSON object, not {}", source_name, j.type_name()));
  return j;
}

void Header(Reader& r, const json& j, std::string_view type, int* version, std::string* title, std::string* source,
            std::string* license_note, std::string* description) {
  std::string t;
  r.String(j, "", "type", &t, true);
  if (r.ok() && t != type) r.Fail("type", fmt::format("is '{}', expected '{}'", t, type));
  std::string id;
  r.String(j, "", "id", &id, true);
  if (r.ok() && id != type) r.Fail("id", fmt::format("is '{}', expected '{}'", id, type));
  r.Integer(j, "", "version", version, true);
  if (r.ok() && *version < 1) r.Fail("version", "must be >= 1");
  r.String(j, "", "title", title, true);
  r.String(j, "", "source", source, true);
  r.String(j, "", "license_note", license_note, true);
  r.String(j, "", "description", description, true);
}

void CheckStageList(Reader& r, const std::vector<std::string>& stages, const std::string& path, bool need_one) {
  if (need_one && stages.empty()) r.Fail(path, "needs at least one stage");
  for (std::size_t i = 0; i < stages.size(); ++i)
    if (!In(assess::kPlanStages, stages[i]))
      r.Fail(fmt::format("{}[{}]", path, i),
             fmt::format("unknown stage '{}' (one of {})", stages[i], ListOf(assess::kPlanStages)));
}

void CheckTools(Reader& r, const std::vector<std::string>& tools, const std::string& path) {
  for (std::size_t i = 0; i < tools.size(); ++i)
    if (Dime().Find(tools[i]) == nullptr)
      r.Fail(fmt::format("{}[{}]", path, i), fmt::format("unknown tool '{}' (see vigil catalog show dime)", tools[i]));
}

template <std::size_t N>
void CheckValues(Reader& r, const std::vector<std::string>& values, const std::string& path,
                 const char* const (&allowed)[N]) {
  for (std::size_t i = 0; i < values.size(); ++i)
    if (!In(allowed, values[i]))
      r.Fail(fmt::format("{}[{}]", path, i), fmt::format("'{}' is not one of {}", values[i], ListOf(allowed)));
}

void CheckPurposes(Reader& r, const std::vector<std::string>& values, const std::string& path) {
  static const std::set<std::string> kPurposes = DimePurposes();
  for (std::size_t i = 0; i < values.size(); ++i)
    if (!kPurposes.count(values[i]))
      r.Fail(fmt::format("{}[{}]", path, i), fmt::format("unknown purpose '{}' (the dime catalog's purposes)", values[i]));
}

TaskSelector SelectorFrom(Reader& r, const json& j, const std::string& path, const PlanStagesCatalog& c) {
  TaskSelector s;
  if (!r.Object(j, path)) return s;
  r.OnlyKeys(j, path, {"tools", "loes", "approaches", "instruments", "purposes"});
  r.Strings(j, path, "tools", &s.tools);
  r.Strings(j, path, "loes", &s.loes);
  r.Strings(j, path, "approaches", &s.approaches);
  r.Strings(j, path, "instruments", &s.instruments);
  r.Strings(j, path, "purposes", &s.purposes);
  CheckTools(r, s.tools, path + ".tools");
  for (std::size_t i = 0; i < s.loes.size(); ++i)
    if (c.Template(s.loes[i]) == nullptr)
      r.Fail(fmt::format("{}.loes[{}]", path, i), fmt::format("unknown LOE template '{}'", s.loes[i]));
  CheckValues(r, s.approaches, path + ".approaches", assess::kApproaches);
  CheckValues(r, s.instruments, path + ".instruments", assess::kInstruments);
  CheckPurposes(r, s.purposes, path + ".purposes");
  if (r.ok() && s.Empty()) r.Fail(path, "selects nothing (give tools, loes, approaches, instruments or purposes)");
  return s;
}

}  // namespace

// ---- Queries -------------------------------------------------------------------------

bool IsDetector(std::string_view d) { return In(kDetectors, d); }

bool TaskSelector::Empty() const {
  return tools.empty() && loes.empty() && approaches.empty() && instruments.empty() && purposes.empty();
}

bool TaskSelector::Matches(const assess::ReferenceEntry& tool, std::string_view loe_template) const {
  if (Empty()) return false;
  if (!tools.empty() && !Contains(tools, tool.id)) return false;
  if (!loes.empty() && !Contains(loes, loe_template)) return false;
  if (!approaches.empty() && !Contains(approaches, tool.Field("approach"))) return false;
  if (!instruments.empty() && !Contains(instruments, tool.Field("instrument"))) return false;
  if (!purposes.empty()) {
    bool any = false;
    for (const auto& p : tool.List("purposes")) any = any || Contains(purposes, p);
    if (!any) return false;
  }
  return true;
}

const StageInfo* PlanStagesCatalog::Stage(std::string_view id) const {
  for (const auto& s : stages)
    if (s.id == id) return &s;
  return nullptr;
}

const LoeTemplate* PlanStagesCatalog::Template(std::string_view id) const {
  for (const auto& t : loe_templates)
    if (t.id == id) return &t;
  return nullptr;
}

const LoeTemplate* PlanStagesCatalog::TemplateForTool(const assess::ReferenceEntry& tool) const {
  for (const auto& t : loe_templates)
    if (Contains(t.tools, tool.id)) return &t;
  for (const auto& t : loe_templates) {
    if (!Contains(t.instruments, tool.Field("instrument"))) continue;
    if (t.purposes.empty()) return &t;
    for (const auto& p : tool.List("purposes"))
      if (Contains(t.purposes, p)) return &t;
  }
  return nullptr;
}

bool PlanStagesCatalog::NeedsArrival(const assess::ReferenceEntry& tool) const {
  if (Contains(arrival_except, tool.id)) return false;
  if (Contains(arrival_tools, tool.id)) return true;
  return Contains(arrival_instruments, tool.Field("instrument")) &&
         Contains(arrival_approaches, tool.Field("approach"));
}

const ActorExpectation* PlanStagesCatalog::Expectation(std::string_view role) const {
  for (const auto& e : actor_expectations)
    if (e.role == role) return &e;
  return nullptr;
}

const DecisionPointKind* DecisionPointCatalog::Find(std::string_view id) const {
  for (const auto& e : entries)
    if (e.id == id) return &e;
  return nullptr;
}

// ---- plan-stages.json -------------------------------------------------------------------

Result<PlanStagesCatalog> ParsePlanStages(std::string_view text, const std::string& source_name) {
  VIGIL_ASSIGN_OR_RETURN(json j, ParseObject(text, source_name));
  Reader r;
  PlanStagesCatalog c;
  r.OnlyKeys(j, "", {"type", "id", "version", "title", "source", "license_note", "description", "phases", "stages",
                     "loe_templates", "dependency_rules", "resource_arrivals", "cost_orders", "lead_times",
                     "actor_expectations"});
  Header(r, j, "plan-stages", &c.version, &c.title, &c.source, &c.license_note, &c.description);

  static const char* const kPhases[] = {"I", "II", "III"};
  r.Array(j, "", "phases", [&](const json& e, const std::string& p) {
    r.OnlyKeys(e, p, {"id", "title"});
    std::string id, title;
    r.String(e, p, "id", &id, true);
    r.String(e, p, "title", &title, true);
    c.phases.emplace_back(id, title);
  }, true);
  if (r.ok()) {
    bool good = c.phases.size() == 3;
    for (std::size_t i = 0; good && i < 3; ++i) good = c.phases[i].first == kPhases[i];
    if (!good) r.Fail("phases", "must be I, II, III in that order");
  }

  r.Array(j, "", "stages", [&](const json& e, const std::string& p) {
    r.OnlyKeys(e, p, {"id", "phase", "title", "objective", "transition_conditions"});
    StageInfo s;
    r.String(e, p, "id", &s.id, true);
    r.String(e, p, "phase", &s.phase, true);
    r.String(e, p, "title", &s.title, true);
    r.String(e, p, "objective", &s.objective, true);
    r.Strings(e, p, "transition_conditions", &s.transition_conditions, true);
    if (r.ok() && s.transition_conditions.empty()) r.Fail(p + ".transition_conditions", "needs at least one");
    for (const auto& [id, title] : c.phases)
      if (id == s.phase) s.phase_title = title;
    if (r.ok() && s.phase_title.empty()) r.Fail(p + ".phase", fmt::format("unknown phase '{}' (I, II, III)", s.phase));
    if (r.ok() && s.id.rfind(s.phase, 0) != 0)
      r.Fail(p + ".phase", fmt::format("stage {} is not in phase {}", s.id, s.phase));
    c.stages.push_back(std::move(s));
  }, true);
  if (r.ok()) {
    bool good = c.stages.size() == std::size(assess::kPlanStages);
    for (std::size_t i = 0; good && i < c.stages.size(); ++i) good = c.stages[i].id == assess::kPlanStages[i];
    if (!good) r.Fail("stages", fmt::format("must be {} in that order", ListOf(assess::kPlanStages)));
  }

  r.Array(j, "", "loe_templates", [&](const json& e, const std::string& p) {
    r.OnlyKeys(e, p, {"id", "title", "description", "priority", "always", "lead", "supporting", "tools", "instruments",
                      "purposes"});
    LoeTemplate t;
    r.String(e, p, "id", &t.id, true);
    r.String(e, p, "title", &t.title, true);
    r.String(e, p, "description", &t.description, true);
    r.Integer(e, p, "priority", &t.priority, true);
    r.Bool(e, p, "always", &t.always, true);
    r.String(e, p, "lead", &t.lead, true);
    r.Strings(e, p, "supporting", &t.supporting, true);
    r.Strings(e, p, "tools", &t.tools, true);
    r.Strings(e, p, "instruments", &t.instruments, true);
    r.Strings(e, p, "purposes", &t.purposes, true);
    if (r.ok() && c.Template(t.id) != nullptr) r.Fail(p + ".id", fmt::format("duplicate id '{}'", t.id));
    if (r.ok() && t.priority < 1) r.Fail(p + ".priority", "must be >= 1");
    CheckTools(r, t.tools, p + ".tools");
    CheckValues(r, t.instruments, p + ".instruments", assess::kInstruments);
    CheckPurposes(r, t.purposes, p + ".purposes");
    for (const auto& tool : t.tools)
      for (const auto& other : c.loe_templates)
        if (r.ok() && Contains(other.tools, tool))
          r.Fail(p + ".tools", fmt::format("tool '{}' is already in template '{}'", tool, other.id));
    c.loe_templates.push_back(std::move(t));
  }, true);
  if (r.ok()) {
    std::size_t always = 0;
    for (const auto& t : c.loe_templates) always += t.always ? 1 : 0;
    if (c.loe_templates.size() < 4 || c.loe_templates.size() > 10)
      r.Fail("loe_templates", fmt::format("needs 4 to 10 templates (a policy has 4-10 LOEs), not {}",
                                          c.loe_templates.size()));
    else if (always > 4)
      r.Fail("loe_templates", "at most 4 templates may be 'always'");
    for (const auto& tool : Dime().entries)
      if (r.ok() && c.TemplateForTool(tool) == nullptr)
        r.Fail("loe_templates", fmt::format("tool '{}' belongs to no template", tool.id));
  }

  r.Array(j, "", "dependency_rules", [&](const json& e, const std::string& p) {
    r.OnlyKeys(e, p, {"id", "description", "before", "after"});
    DependencyRule d;
    r.String(e, p, "id", &d.id, true);
    r.String(e, p, "description", &d.description, true);
    if (r.Has(e, p, "before", true)) d.before = SelectorFrom(r, e.at("before"), p + ".before", c);
    if (r.Has(e, p, "after", true)) d.after = SelectorFrom(r, e.at("after"), p + ".after", c);
    for (const auto& other : c.dependency_rules)
      if (r.ok() && other.id == d.id) r.Fail(p + ".id", fmt::format("duplicate id '{}'", d.id));
    c.dependency_rules.push_back(std::move(d));
  }, true);

  if (r.Has(j, "", "resource_arrivals", true) && r.Object(j.at("resource_arrivals"), "resource_arrivals")) {
    const json& a = j.at("resource_arrivals");
    std::string desc;
    r.OnlyKeys(a, "resource_arrivals", {"description", "instruments", "approaches", "tools", "except"});
    r.String(a, "resource_arrivals", "description", &desc, true);
    r.Strings(a, "resource_arrivals", "instruments", &c.arrival_instruments, true);
    r.Strings(a, "resource_arrivals", "approaches", &c.arrival_approaches, true);
    r.Strings(a, "resource_arrivals", "tools", &c.arrival_tools, true);
    r.Strings(a, "resource_arrivals", "except", &c.arrival_except, true);
    CheckValues(r, c.arrival_instruments, "resource_arrivals.instruments", assess::kInstruments);
    CheckValues(r, c.arrival_approaches, "resource_arrivals.approaches", assess::kApproaches);
    CheckTools(r, c.arrival_tools, "resource_arrivals.tools");
    CheckTools(r, c.arrival_except, "resource_arrivals.except");
  }

  r.Array(j, "", "cost_orders", [&](const json& e, const std::string& p) {
    r.OnlyKeys(e, p, {"cost", "order"});
    std::string cost, order;
    r.String(e, p, "cost", &cost, true);
    r.String(e, p, "order", &order, true);
    if (r.ok() && !In(assess::kLevels, cost))
      r.Fail(p + ".cost", fmt::format("'{}' is not one of {}", cost, ListOf(assess::kLevels)));
    c.cost_orders[cost] = order;
  }, true);
  for (const char* level : assess::kLevels)
    if (r.ok() && !c.cost_orders.count(level)) r.Fail("cost_orders", fmt::format("no entry for cost '{}'", level));

  static const char* const kLeadTimes[] = {"days", "weeks", "months"};
  r.Array(j, "", "lead_times", [&](const json& e, const std::string& p) {
    r.OnlyKeys(e, p, {"lead_time", "text"});
    std::string lt, text;
    r.String(e, p, "lead_time", &lt, true);
    r.String(e, p, "text", &text, true);
    if (r.ok() && !In(kLeadTimes, lt))
      r.Fail(p + ".lead_time", fmt::format("'{}' is not one of {}", lt, ListOf(kLeadTimes)));
    c.lead_times[lt] = text;
  }, true);
  for (const char* lt : kLeadTimes)
    if (r.ok() && !c.lead_times.count(lt)) r.Fail("lead_times", fmt::format("no entry for lead time '{}'", lt));

  r.Array(j, "", "actor_expectations", [&](const json& e, const std::string& p) {
    r.OnlyKeys(e, p, {"role", "category", "stages"});
    ActorExpectation x;
    r.String(e, p, "role", &x.role, true);
    r.String(e, p, "category", &x.category, true);
    if (r.ok() && !In(assess::kActorRoles, x.role))
      r.Fail(p + ".role", fmt::format("'{}' is not one of {}", x.role, ListOf(assess::kActorRoles)));
    if (r.ok() && x.category != "perpetrators" && x.category != "other-actors")
      r.Fail(p + ".category", fmt::format("'{}' is not one of perpetrators, other-actors", x.category));
    if (r.ok() && c.Expectation(x.role) != nullptr) r.Fail(p + ".role", fmt::format("role '{}' listed twice", x.role));
    if (r.Has(e, p, "stages", true) && r.Object(e.at("stages"), p + ".stages")) {
      const json& s = e.at("stages");
      for (auto it = s.begin(); it != s.end() && r.ok(); ++it) {
        std::string sp = p + ".stages." + it.key();
        if (!In(assess::kPlanStages, it.key())) r.Fail(sp, "unknown stage");
        else if (!it->is_string() || it->get<std::string>().empty()) r.Fail(sp, "must be a non-empty string");
        else x.by_stage[it.key()] = it->get<std::string>();
      }
      for (const char* st : assess::kPlanStages)
        if (r.ok() && !x.by_stage.count(st)) r.Fail(p + ".stages", fmt::format("no text for stage {}", st));
    }
    c.actor_expectations.push_back(std::move(x));
  }, true);

  if (!r.ok()) return r.status(source_name);
  return c;
}

// ---- decision-points.json -----------------------------------------------------------------

Result<DecisionPointCatalog> ParseDecisionPoints(std::string_view text, const std::string& source_name) {
  VIGIL_ASSIGN_OR_RETURN(json j, ParseObject(text, source_name));
  Reader r;
  DecisionPointCatalog c;
  r.OnlyKeys(j, "", {"type", "id", "version", "title", "source", "license_note", "description", "entries"});
  Header(r, j, "decision-points", &c.version, &c.title, &c.source, &c.license_note, &c.description);
  const PlanStagesCatalog* stages = nullptr;  // for "loe:" conditions; the embedded one
  r.Array(j, "", "entries", [&](const json& e, const std::string& p) {
    r.OnlyKeys(e, p, {"id", "title", "question", "description", "who_decides", "stages", "trigger", "fits_when",
                      "watch_detectors", "min_severity"});
    DecisionPointKind k;
    r.String(e, p, "id", &k.id, true);
    r.String(e, p, "title", &k.title, true);
    r.String(e, p, "question", &k.question, true);
    r.String(e, p, "description", &k.description, true);
    r.String(e, p, "who_decides", &k.who_decides, true);
    r.Strings(e, p, "stages", &k.stages, true);
    r.String(e, p, "trigger", &k.trigger, true);
    r.Strings(e, p, "fits_when", &k.fits_when, true);
    r.Strings(e, p, "watch_detectors", &k.watch_detectors, true);
    r.String(e, p, "min_severity", &k.min_severity, true);
    if (r.ok() && c.Find(k.id) != nullptr) r.Fail(p + ".id", fmt::format("duplicate id '{}'", k.id));
    CheckStageList(r, k.stages, p + ".stages", true);
    for (std::size_t i = 0; i < k.watch_detectors.size(); ++i)
      if (r.ok() && !IsDetector(k.watch_detectors[i]))
        r.Fail(fmt::format("{}.watch_detectors[{}]", p, i),
               fmt::format("unknown detector '{}' (one of {})", k.watch_detectors[i], ListOf(kDetectors)));
    if (r.ok() && !In(store::kAlertSeverities, k.min_severity))
      r.Fail(p + ".min_severity",
             fmt::format("'{}' is not one of {}", k.min_severity, ListOf(store::kAlertSeverities)));
    if (r.ok() && k.fits_when.empty()) r.Fail(p + ".fits_when", "needs at least one condition");
    for (std::size_t i = 0; i < k.fits_when.size() && r.ok(); ++i) {
      const std::string& f = k.fits_when[i];
      std::string fp = fmt::format("{}.fits_when[{}]", p, i);
      auto colon = f.find(':');
      std::string key = f.substr(0, colon), val = colon == std::string::npos ? "" : f.substr(colon + 1);
      bool good = false;
      if (colon == std::string::npos) good = f == "always" || f == "military-approach";
      else if (key == "approach") good = In(assess::kApproaches, val);
      else if (key == "role") good = val == "bystander" || val == "support-others" || val == "lead-multinational" || val == "unilateral";
      else if (key == "tool") good = Dime().Find(val) != nullptr;
      else if (key == "instrument") good = In(assess::kInstruments, val);
      else if (key == "host") good = val == "partner" || val == "adversary";
      else if (key == "loe") {
        if (stages == nullptr) stages = &PlanStages();
        good = stages->Template(val) != nullptr;
      }
      if (!good)
        r.Fail(fp, fmt::format("'{}' is not a known condition (always, military-approach, approach:ID, role:ID, "
                               "tool:ID, instrument:ID, loe:ID, host:partner, host:adversary)",
                               f));
    }
    c.entries.push_back(std::move(k));
  }, true);
  if (r.ok() && c.entries.size() != 13)
    r.Fail("entries", fmt::format("must list the 13 kinds of decision of the handbook, not {}", c.entries.size()));
  if (!r.ok()) return r.status(source_name);
  return c;
}

// ---- Embedded ----------------------------------------------------------------------------------

namespace {
template <typename T>
T LoadEmbedded(std::string_view name, Result<T> (*parse)(std::string_view, const std::string&)) {
  Result<std::string_view> text = catalog::FindEmbedded(name);
  if (!text.ok()) {
    std::fprintf(stderr, "vigil: catalog/%.*s is not embedded\n", static_cast<int>(name.size()), name.data());
    std::abort();
  }
  Result<T> c = parse(*text, "catalog/" + std::string(name));
  if (!c.ok()) {
    std::fprintf(stderr, "vigil: broken embedded catalog: %s\n", c.status().message().c_str());
    std::abort();
  }
  return std::move(c).value();
}
}  // namespace

const PlanStagesCatalog& PlanStages() {
  static const PlanStagesCatalog kCatalog = LoadEmbedded<PlanStagesCatalog>("plan-stages.json", &ParsePlanStages);
  return kCatalog;
}

const DecisionPointCatalog& DecisionPoints() {
  static const DecisionPointCatalog kCatalog =
      LoadEmbedded<DecisionPointCatalog>("decision-points.json", &ParseDecisionPoints);
  return kCatalog;
}

}  // namespace vigil::plan
