// Option packages: vocabularies, validation against the embedded catalogs,
// the comparison table and JSON conversion (option.h).
#include "options/option.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "core/vocab.h"
#include "assess/frameworks.h"

namespace vigil::options {

using nlohmann::json;

namespace {

std::string Join(const std::vector<std::string>& v, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) out += (i ? std::string(sep) : "") + v[i];
  return out;
}

const assess::ReferenceCatalog& Catalog(std::string_view id) {
  const assess::ReferenceCatalog* c = assess::FindReferenceCatalog(id);
  assert(c && "embedded reference catalog missing");
  return *c;
}

// ---- JSON readers: a missing key keeps the default, a wrong type is an error
// naming the path.

Status WrongType(const std::string& path, std::string_view want, const json& v) {
  return Status::InvalidArgument(fmt::format("{}: must be {}, not {}", path, want, v.type_name()));
}

Status ReadString(const json& j, const std::string& path, const char* key, std::string* out) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return Status::Ok();
  if (!it->is_string()) return WrongType(path + key, "a string", *it);
  *out = it->get<std::string>();
  return Status::Ok();
}

Status ReadInt(const json& j, const std::string& path, const char* key, std::int64_t* out) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return Status::Ok();
  if (!it->is_number_integer()) return WrongType(path + key, "an integer", *it);
  *out = it->get<std::int64_t>();
  return Status::Ok();
}

Status ReadStrings(const json& j, const std::string& path, const char* key, std::vector<std::string>* out) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return Status::Ok();
  if (!it->is_array()) return WrongType(path + key, "an array of strings", *it);
  out->clear();
  for (std::size_t i = 0; i < it->size(); ++i) {
    const json& v = (*it)[i];
    if (!v.is_string()) return WrongType(fmt::format("{}{}[{}]", path, key, i), "a string", v);
    out->push_back(v.get<std::string>());
  }
  return Status::Ok();
}

Status ReadObject(const json& j, const std::string& path, std::string_view what) {
  if (!j.is_object()) {
    return Status::InvalidArgument(
        fmt::format("{}: must be an object ({}), not {}", path.empty() ? "option" : path, what, j.type_name()));
  }
  return Status::Ok();
}

Result<ToolChoice> ToolFromJson(const json& j, const std::string& path) {
  VIGIL_RETURN_IF_ERROR(ReadObject(j, path, "a tool"));
  const std::string p = path + ".";
  ToolChoice t;
  VIGIL_RETURN_IF_ERROR(ReadString(j, p, "id", &t.id));
  VIGIL_RETURN_IF_ERROR(ReadString(j, p, "title", &t.title));
  VIGIL_RETURN_IF_ERROR(ReadString(j, p, "instrument", &t.instrument));
  VIGIL_RETURN_IF_ERROR(ReadString(j, p, "approach", &t.approach));
  VIGIL_RETURN_IF_ERROR(ReadString(j, p, "lead_agency", &t.lead_agency));
  VIGIL_RETURN_IF_ERROR(ReadStrings(j, p, "target_categories", &t.target_categories));
  VIGIL_RETURN_IF_ERROR(ReadStrings(j, p, "target_actors", &t.target_actors));
  VIGIL_RETURN_IF_ERROR(ReadStrings(j, p, "stages", &t.stages));
  VIGIL_RETURN_IF_ERROR(ReadString(j, p, "because", &t.because));
  VIGIL_RETURN_IF_ERROR(ReadString(j, p, "origin", &t.origin));
  return t;
}

Result<OptionRisk> RiskFromJson(const json& j, const std::string& path) {
  VIGIL_RETURN_IF_ERROR(ReadObject(j, path, "a risk"));
  const std::string p = path + ".";
  OptionRisk r;
  VIGIL_RETURN_IF_ERROR(ReadString(j, p, "id", &r.id));
  VIGIL_RETURN_IF_ERROR(ReadString(j, p, "title", &r.title));
  VIGIL_RETURN_IF_ERROR(ReadString(j, p, "likelihood", &r.likelihood));
  VIGIL_RETURN_IF_ERROR(ReadString(j, p, "impact", &r.impact));
  VIGIL_RETURN_IF_ERROR(ReadStrings(j, p, "mitigations", &r.mitigations));
  VIGIL_RETURN_IF_ERROR(ReadString(j, p, "because", &r.because));
  VIGIL_RETURN_IF_ERROR(ReadString(j, p, "origin", &r.origin));
  return r;
}

int LevelRank(std::string_view level) {
  if (level == "low") return 0;
  if (level == "medium") return 1;
  if (level == "high") return 2;
  return -1;
}

}  // namespace

// ---- vocabularies ----

bool IsOptionStatus(std::string_view s) { return In(kOptionStatuses, s); }
bool IsRole(std::string_view s) { return In(kRoles, s); }
bool IsApproach(std::string_view s) { return In(assess::kApproaches, s); }
bool IsLevel(std::string_view s) { return In(assess::kLevels, s); }

int ApproachRank(std::string_view approach) {
  if (approach == "suasion") return 0;
  if (approach == "compellence") return 1;
  if (approach == "intervention") return 2;
  return -1;
}

// ---- Situation ----

const std::string& Situation::Get(std::string_view variable) const {
  static const std::string kEmpty;
  if (variable == "host-nation-role") return host_nation_role;
  if (variable == "us-interests") return us_interests;
  if (variable == "international-support") return international_support;
  if (variable == "volatility") return volatility;
  return kEmpty;
}

std::string Situation::Basis(std::string_view variable) const {
  for (const auto& [var, text] : basis) {
    if (var == variable) return text;
  }
  return "";
}

// ---- OptionPackage ----

std::vector<std::string> OptionPackage::Instruments() const {
  std::vector<std::string> out;
  for (const char* inst : assess::kInstruments) {
    if (std::any_of(tools.begin(), tools.end(), [&](const ToolChoice& t) { return t.instrument == inst; })) {
      out.push_back(inst);
    }
  }
  return out;
}

const ToolChoice* OptionPackage::FindTool(std::string_view tool_id) const {
  for (const auto& t : tools) {
    if (t.id == tool_id) return &t;
  }
  return nullptr;
}

// ---- validation ----

Status ValidateOption(OptionPackage& o) {
  if (o.title.empty()) return Status::InvalidArgument("title: empty");
  if (o.policy_goal.empty()) return Status::InvalidArgument("policy_goal: empty");
  if (!IsApproach(o.approach)) {
    return Status::InvalidArgument(
        fmt::format("approach: '{}' is not one of {}", o.approach, ListOf(assess::kApproaches)));
  }
  if (!IsRole(o.role)) {
    return Status::InvalidArgument(fmt::format("role: '{}' is not one of {}", o.role, ListOf(kRoles)));
  }
  if (!o.military_approach.empty() && !Catalog("military-approaches").Find(o.military_approach)) {
    std::vector<std::string> ids;
    for (const auto& e : Catalog("military-approaches").entries) ids.push_back(e.id);
    return Status::InvalidArgument(fmt::format("military_approach: unknown '{}' (one of {}, or empty)",
                                               o.military_approach, Join(ids, ", ")));
  }
  if (o.objectives.empty()) return Status::InvalidArgument("objectives: at least one strategic objective is needed");
  for (std::size_t i = 0; i < o.objectives.size(); ++i) {
    if (o.objectives[i].empty()) return Status::InvalidArgument(fmt::format("objectives[{}]: empty", i));
  }
  const assess::ReferenceCatalog& dime = Catalog("dime");
  std::set<std::string> seen;
  for (std::size_t i = 0; i < o.tools.size(); ++i) {
    ToolChoice& t = o.tools[i];
    const std::string p = fmt::format("tools[{}]", i);
    const assess::ReferenceEntry* e = dime.Find(t.id);
    if (!e) return Status::InvalidArgument(fmt::format("{}.id: unknown tool '{}' (see vigil catalog show dime)", p, t.id));
    if (!seen.insert(t.id).second) {
      return Status::InvalidArgument(fmt::format("{}.id: tool '{}' appears twice in the option", p, t.id));
    }
    t.title = e->title;
    t.instrument = e->Field("instrument");
    t.approach = e->Field("approach");
    if (t.lead_agency.empty()) t.lead_agency = e->Field("lead_agency");
    if (ApproachRank(t.approach) > ApproachRank(o.approach)) {
      return Status::InvalidArgument(fmt::format(
          "{}.id: tool '{}' is a {} tool, stronger than the option's approach '{}' (raise the approach or drop the "
          "tool)",
          p, t.id, t.approach, o.approach));
    }
    for (std::size_t k = 0; k < t.target_categories.size(); ++k) {
      if (!In(assess::kActorCategories, t.target_categories[k])) {
        return Status::InvalidArgument(fmt::format("{}.target_categories[{}]: '{}' is not one of {}", p, k,
                                                   t.target_categories[k], ListOf(assess::kActorCategories)));
      }
    }
    for (std::size_t k = 0; k < t.stages.size(); ++k) {
      if (!In(assess::kPlanStages, t.stages[k])) {
        return Status::InvalidArgument(fmt::format("{}.stages[{}]: '{}' is not one of {}", p, k, t.stages[k],
                                                   ListOf(assess::kPlanStages)));
      }
    }
    if (!In(kOrigins, t.origin)) {
      return Status::InvalidArgument(fmt::format("{}.origin: '{}' is not one of {}", p, t.origin, ListOf(kOrigins)));
    }
  }
  // Keep the tools grouped by instrument (stable within an instrument).
  std::stable_sort(o.tools.begin(), o.tools.end(), [](const ToolChoice& a, const ToolChoice& b) {
    auto rank = [](const std::string& inst) {
      for (std::size_t i = 0; i < std::size(assess::kInstruments); ++i) {
        if (inst == assess::kInstruments[i]) return static_cast<int>(i);
      }
      return 99;
    };
    return rank(a.instrument) < rank(b.instrument);
  });
  const assess::ReferenceCatalog& risks = Catalog("dime-risks");
  for (std::size_t i = 0; i < o.risks.size(); ++i) {
    OptionRisk& r = o.risks[i];
    const std::string p = fmt::format("risks[{}]", i);
    const assess::ReferenceEntry* e = risks.Find(r.id);
    if (!e) {
      return Status::InvalidArgument(fmt::format("{}.id: unknown risk '{}' (see vigil catalog show dime-risks)", p, r.id));
    }
    r.title = e->title;
    if (!IsLevel(r.likelihood)) {
      return Status::InvalidArgument(
          fmt::format("{}.likelihood: '{}' is not one of {}", p, r.likelihood, ListOf(assess::kLevels)));
    }
    if (!IsLevel(r.impact)) {
      return Status::InvalidArgument(
          fmt::format("{}.impact: '{}' is not one of {}", p, r.impact, ListOf(assess::kLevels)));
    }
    if (r.mitigations.empty()) return Status::InvalidArgument(fmt::format("{}.mitigations: at least one is needed", p));
    for (std::size_t k = 0; k < r.mitigations.size(); ++k) {
      if (r.mitigations[k].empty()) return Status::InvalidArgument(fmt::format("{}.mitigations[{}]: empty", p, k));
    }
    if (!In(kOrigins, r.origin)) {
      return Status::InvalidArgument(fmt::format("{}.origin: '{}' is not one of {}", p, r.origin, ListOf(kOrigins)));
    }
  }
  if (!o.resources.cost.empty() && !IsLevel(o.resources.cost)) {
    return Status::InvalidArgument(
        fmt::format("resources.cost: '{}' is not one of {} (or empty)", o.resources.cost, ListOf(assess::kLevels)));
  }
  if (!IsOptionStatus(o.status)) {
    return Status::InvalidArgument(fmt::format("status: '{}' is not one of {}", o.status, ListOf(kOptionStatuses)));
  }
  if (!In(kOrigins, o.origin)) {
    return Status::InvalidArgument(fmt::format("origin: '{}' is not one of {}", o.origin, ListOf(kOrigins)));
  }
  return Status::Ok();
}

// ---- comparison ----

std::vector<ComparisonRow> CompareOptions(const std::vector<OptionPackage>& options,
                                          const std::vector<Opinion>& opinions) {
  const assess::ReferenceCatalog& dime = Catalog("dime");
  const assess::ReferenceCatalog& mil = Catalog("military-approaches");
  std::vector<ComparisonRow> rows;
  auto row = [&](std::string label, auto fn) {
    ComparisonRow r;
    r.label = std::move(label);
    for (const auto& o : options) r.values.push_back(fn(o));
    rows.push_back(std::move(r));
  };
  row("Approach", [](const OptionPackage& o) { return o.approach; });
  row("Role", [](const OptionPackage& o) { return o.role; });
  row("Military approach", [&](const OptionPackage& o) -> std::string {
    if (o.military_approach.empty()) return "none";
    const assess::ReferenceEntry* e = mil.Find(o.military_approach);
    return e ? e->title : o.military_approach;
  });
  row("Tools (D/I/M/E)", [](const OptionPackage& o) {
    std::vector<std::string> counts;
    for (const char* inst : assess::kInstruments) {
      counts.push_back(std::to_string(
          std::count_if(o.tools.begin(), o.tools.end(), [&](const ToolChoice& t) { return t.instrument == inst; })));
    }
    return Join(counts, "/");
  });
  row("Tools needing host consent", [&](const OptionPackage& o) {
    std::vector<std::string> ids;
    for (const auto& t : o.tools) {
      const assess::ReferenceEntry* e = dime.Find(t.id);
      if (e && e->Flag("requires_host_consent")) ids.push_back(t.id);
    }
    return ids.empty() ? std::string("none") : Join(ids, ", ");
  });
  row("Cost", [](const OptionPackage& o) { return o.resources.cost; });
  row("Funding", [](const OptionPackage& o) { return o.resources.funding; });
  row("Personnel", [](const OptionPackage& o) { return o.resources.personnel; });
  row("Lead time", [](const OptionPackage& o) { return o.resources.lead_time; });
  row("Risks rated high", [](const OptionPackage& o) {
    std::vector<std::string> ids;
    for (const auto& r : o.risks) {
      if (r.likelihood == "high" || r.impact == "high") {
        ids.push_back(fmt::format("{} ({}/{})", r.title.empty() ? r.id : r.title, r.likelihood, r.impact));
      }
    }
    return ids.empty() ? std::string("none") : Join(ids, "; ");
  });
  row("Highest risk", [](const OptionPackage& o) -> std::string {
    const OptionRisk* best = nullptr;
    int best_score = -1;
    for (const auto& r : o.risks) {
      int s = LevelRank(r.likelihood) + LevelRank(r.impact);
      if (s > best_score) best = &r, best_score = s;
    }
    if (!best) return "none";
    return fmt::format("{} ({}/{})", best->title.empty() ? best->id : best->title, best->likelihood, best->impact);
  });
  row("Escalation triggers", [](const OptionPackage& o) { return std::to_string(o.escalation_triggers.size()); });
  row("Status", [](const OptionPackage& o) { return o.status; });
  auto opinion_row = [&](const char* label, std::string_view position) {
    row(label, [&](const OptionPackage& o) {
      std::vector<std::string> who;
      for (const auto& op : opinions) {
        if (op.option_id == o.id && op.position == position) who.push_back(op.author);
      }
      return who.empty() ? std::string("none") : Join(who, ", ");
    });
  };
  opinion_row("Recommended by", "recommend");
  opinion_row("Dissents", "dissent");
  return rows;
}

// ---- JSON ----

json ToJson(const Situation& s) {
  json vars = json::object();
  json basis = json::object();
  for (const char* v : kSituationVariables) {
    vars[v] = s.Get(v);
    basis[v] = s.Basis(v);
  }
  return {{"variables", vars}, {"basis", basis}, {"updated_at", s.updated_at}, {"updated_by", s.updated_by}};
}

json ToJson(const ToolChoice& t) {
  return {{"id", t.id},
          {"title", t.title},
          {"instrument", t.instrument},
          {"approach", t.approach},
          {"lead_agency", t.lead_agency},
          {"target_categories", t.target_categories},
          {"target_actors", t.target_actors},
          {"stages", t.stages},
          {"because", t.because},
          {"origin", t.origin}};
}

json ToJson(const OptionRisk& r) {
  return {{"id", r.id},         {"title", r.title},     {"likelihood", r.likelihood}, {"impact", r.impact},
          {"mitigations", r.mitigations}, {"because", r.because}, {"origin", r.origin}};
}

json ToJson(const Resources& r) {
  return {{"cost", r.cost}, {"funding", r.funding}, {"personnel", r.personnel}, {"lead_time", r.lead_time},
          {"note", r.note}};
}

json ToJson(const OptionPackage& o) {
  json tools = json::array(), risks = json::array();
  for (const auto& t : o.tools) tools.push_back(ToJson(t));
  for (const auto& r : o.risks) risks.push_back(ToJson(r));
  return {{"id", o.id},
          {"case_id", o.case_id},
          {"number", o.number},
          {"title", o.title},
          {"summary", o.summary},
          {"approach", o.approach},
          {"role", o.role},
          {"military_approach", o.military_approach},
          {"policy_goal", o.policy_goal},
          {"objectives", o.objectives},
          {"rationale", o.rationale},
          {"instruments", o.Instruments()},
          {"tools", tools},
          {"resources", ToJson(o.resources)},
          {"risks", risks},
          {"escalation_triggers", o.escalation_triggers},
          {"advantages", o.advantages},
          {"disadvantages", o.disadvantages},
          {"status", o.status},
          {"origin", o.origin},
          {"version", o.version},
          {"created_at", o.created_at},
          {"created_by", o.created_by},
          {"updated_at", o.updated_at}};
}

json ToJson(const Opinion& o) {
  return {{"id", o.id},         {"option_id", o.option_id}, {"position", o.position},
          {"author", o.author}, {"text", o.text},           {"created_at", o.created_at}};
}

json ToJson(const std::vector<ComparisonRow>& rows) {
  json out = json::array();
  for (const auto& r : rows) out.push_back({{"label", r.label}, {"values", r.values}});
  return out;
}

Result<OptionPackage> OptionFromJson(const json& j) {
  VIGIL_RETURN_IF_ERROR(ReadObject(j, "", "an option package"));
  OptionPackage o;
  std::int64_t number = 0, version = 0;
  VIGIL_RETURN_IF_ERROR(ReadInt(j, "", "id", &o.id));
  VIGIL_RETURN_IF_ERROR(ReadInt(j, "", "case_id", &o.case_id));
  VIGIL_RETURN_IF_ERROR(ReadInt(j, "", "number", &number));
  VIGIL_RETURN_IF_ERROR(ReadInt(j, "", "version", &version));
  o.number = static_cast<int>(number);
  o.version = static_cast<int>(version);
  VIGIL_RETURN_IF_ERROR(ReadString(j, "", "title", &o.title));
  VIGIL_RETURN_IF_ERROR(ReadString(j, "", "summary", &o.summary));
  VIGIL_RETURN_IF_ERROR(ReadString(j, "", "approach", &o.approach));
  VIGIL_RETURN_IF_ERROR(ReadString(j, "", "role", &o.role));
  VIGIL_RETURN_IF_ERROR(ReadString(j, "", "military_approach", &o.military_approach));
  VIGIL_RETURN_IF_ERROR(ReadString(j, "", "policy_goal", &o.policy_goal));
  VIGIL_RETURN_IF_ERROR(ReadStrings(j, "", "objectives", &o.objectives));
  VIGIL_RETURN_IF_ERROR(ReadString(j, "", "rationale", &o.rationale));
  if (auto it = j.find("tools"); it != j.end() && !it->is_null()) {
    if (!it->is_array()) return WrongType("tools", "an array of tools", *it);
    for (std::size_t i = 0; i < it->size(); ++i) {
      VIGIL_ASSIGN_OR_RETURN(ToolChoice t, ToolFromJson((*it)[i], fmt::format("tools[{}]", i)));
      o.tools.push_back(std::move(t));
    }
  }
  if (auto it = j.find("resources"); it != j.end() && !it->is_null()) {
    VIGIL_RETURN_IF_ERROR(ReadObject(*it, "resources", "the resources"));
    VIGIL_RETURN_IF_ERROR(ReadString(*it, "resources.", "cost", &o.resources.cost));
    VIGIL_RETURN_IF_ERROR(ReadString(*it, "resources.", "funding", &o.resources.funding));
    VIGIL_RETURN_IF_ERROR(ReadString(*it, "resources.", "personnel", &o.resources.personnel));
    VIGIL_RETURN_IF_ERROR(ReadString(*it, "resources.", "lead_time", &o.resources.lead_time));
    VIGIL_RETURN_IF_ERROR(ReadString(*it, "resources.", "note", &o.resources.note));
  }
  if (auto it = j.find("risks"); it != j.end() && !it->is_null()) {
    if (!it->is_array()) return WrongType("risks", "an array of risks", *it);
    for (std::size_t i = 0; i < it->size(); ++i) {
      VIGIL_ASSIGN_OR_RETURN(OptionRisk r, RiskFromJson((*it)[i], fmt::format("risks[{}]", i)));
      o.risks.push_back(std::move(r));
    }
  }
  VIGIL_RETURN_IF_ERROR(ReadStrings(j, "", "escalation_triggers", &o.escalation_triggers));
  VIGIL_RETURN_IF_ERROR(ReadStrings(j, "", "advantages", &o.advantages));
  VIGIL_RETURN_IF_ERROR(ReadStrings(j, "", "disadvantages", &o.disadvantages));
  VIGIL_RETURN_IF_ERROR(ReadString(j, "", "status", &o.status));
  VIGIL_RETURN_IF_ERROR(ReadString(j, "", "origin", &o.origin));
  VIGIL_RETURN_IF_ERROR(ReadString(j, "", "created_at", &o.created_at));
  VIGIL_RETURN_IF_ERROR(ReadString(j, "", "created_by", &o.created_by));
  VIGIL_RETURN_IF_ERROR(ReadString(j, "", "updated_at", &o.updated_at));
  return o;
}

Result<Situation> SituationFromJson(const json& j) {
  VIGIL_RETURN_IF_ERROR(ReadObject(j, "situation", "the situational variables"));
  Situation s;
  // Either {"variables": {...}, "basis": {...}} (ToJson) or the flat
  // {"host-nation-role": "...", ...} of the case_situation table.
  const json* vars = &j;
  if (auto it = j.find("variables"); it != j.end()) {
    VIGIL_RETURN_IF_ERROR(ReadObject(*it, "variables", "variable id -> value"));
    vars = &*it;
  }
  const std::string vpath = vars == &j ? "" : "variables.";
  VIGIL_RETURN_IF_ERROR(ReadString(*vars, vpath, "host-nation-role", &s.host_nation_role));
  VIGIL_RETURN_IF_ERROR(ReadString(*vars, vpath, "us-interests", &s.us_interests));
  VIGIL_RETURN_IF_ERROR(ReadString(*vars, vpath, "international-support", &s.international_support));
  VIGIL_RETURN_IF_ERROR(ReadString(*vars, vpath, "volatility", &s.volatility));
  if (auto it = j.find("basis"); it != j.end() && !it->is_null()) {
    VIGIL_RETURN_IF_ERROR(ReadObject(*it, "basis", "variable id -> basis text"));
    for (const char* v : kSituationVariables) {
      std::string text;
      VIGIL_RETURN_IF_ERROR(ReadString(*it, "basis.", v, &text));
      if (!text.empty()) s.basis.emplace_back(v, text);
    }
  }
  VIGIL_RETURN_IF_ERROR(ReadString(j, "", "updated_at", &s.updated_at));
  VIGIL_RETURN_IF_ERROR(ReadString(j, "", "updated_by", &s.updated_by));
  return s;
}

}  // namespace vigil::options
