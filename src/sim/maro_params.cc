// Scenario parameters: one table gives each parameter's JSON path, type,
// allowed range, default and meaning; parsing, validation, WithParam (sweeps)
// and docs/sim.md all follow it.
#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "core/json_field.h"
#include "core/json_limits.h"
#include "sim/maro.h"

namespace vigil::sim {

namespace {

using nlohmann::json;

enum class Kind { kInt, kDouble, kBool, kString };

struct Param {
  const char* path;  // "section.key"
  Kind kind;
  double lo, hi;     // numeric range
  const char* choices;  // strings: "a|b|c"
  const char* meaning;
  void* (*ref)(Scenario&);
};

#define P_INT(path, field, lo, hi, meaning) \
  {path, Kind::kInt, lo, hi, "", meaning, [](Scenario& s) -> void* { return &s.field; }}
#define P_DBL(path, field, lo, hi, meaning) \
  {path, Kind::kDouble, lo, hi, "", meaning, [](Scenario& s) -> void* { return &s.field; }}
#define P_BOOL(path, field, meaning) \
  {path, Kind::kBool, 0, 1, "", meaning, [](Scenario& s) -> void* { return &s.field; }}
#define P_STR(path, field, choices, meaning) \
  {path, Kind::kString, 0, 0, choices, meaning, [](Scenario& s) -> void* { return &s.field; }}

const std::vector<Param>& Params() {
  static const std::vector<Param> kParams = {
      P_INT("grid.width", width, 10, 2000, "grid width in sites (bounded: the edges are the border)"),
      P_INT("grid.height", height, 10, 2000, "grid height in sites"),
      P_INT("grid.steps", steps, 1, 3650, "days simulated"),
      P_STR("grid.layout", layout, "mixed|separated",
            "mixed: all parties spread at random; separated: the perpetrators' group in the west half, "
            "victims and self-defence in the east half"),
      P_DBL("population.victim_density", victim_density, 0, 1, "victim civilians per site"),
      P_DBL("population.bystander_density", bystander_density, 0, 1,
            "civilians of the perpetrators' group (recruitable) per site"),
      P_DBL("population.perpetrator_density", perpetrator_density, 0, 1, "rank-and-file perpetrators per site"),
      P_DBL("population.leader_density", leader_density, 0, 1, "perpetrator leaders per site"),
      P_DBL("population.self_defence_density", self_defence_density, 0, 1, "armed victim self-defence per site"),
      P_INT("vision.civilian", civilian_vision, 1, 15, "civilian vision (Moore radius in sites)"),
      P_INT("vision.perpetrator", perpetrator_vision, 1, 15, "perpetrator vision and reach (Moore radius)"),
      P_INT("vision.intervener", intervener_vision, 1, 15, "intervener vision (Moore radius)"),
      P_INT("mobility.perpetrator", perpetrator_mobility, 1, 15,
            "sites a perpetrator can move per day (before the no-fly lever)"),
      P_INT("mobility.civilian", civilian_mobility, 1, 15, "sites a civilian can move per day"),
      P_DBL("perpetrators.k", k, 0, 100, "Epstein's arrest-probability constant k"),
      P_DBL("perpetrators.legitimacy", legitimacy, 0, 1,
            "acceptance of the victim group by the perpetrators' group (Epstein's L in Model II)"),
      P_DBL("perpetrators.leader_threshold", leader_threshold, -1, 1, "activation threshold T of leaders"),
      P_DBL("perpetrators.rank_and_file_threshold", rank_and_file_threshold, -1, 1,
            "activation threshold T of the rank and file"),
      P_INT("perpetrators.command_radius", command_radius, 0, 15, "reach of a leader's command (sites)"),
      P_DBL("perpetrators.command_effect", command_effect, 0, 1,
            "threshold lowering of rank and file within a leader's command radius"),
      P_DBL("perpetrators.kill_probability", kill_probability, 0, 1,
            "chance an active perpetrator kills a victim within reach per day, at full capacity"),
      P_DBL("perpetrators.capacity", capacity, 0, 1, "perpetrator capacity (arms, money, logistics)"),
      P_DBL("perpetrators.desertion_margin", desertion_margin, 0, 2,
            "rank and file desert when grievance minus risk is below -margin"),
      P_DBL("perpetrators.desertion_probability", desertion_probability, 0, 1, "daily chance of deserting then"),
      P_DBL("bystanders.recruit_threshold", recruit_threshold, -1, 2,
            "bystanders join when grievance minus risk exceeds this"),
      P_DBL("bystanders.recruit_probability", recruit_probability, 0, 1, "daily chance of joining then"),
      P_DBL("hate_media.intensity", hate_media, 0, 1, "hate-media intensity at day 0 (lowers L by this share)"),
      P_DBL("hate_media.growth", hate_media_growth, 0, 1, "daily increase of the intensity"),
      P_DBL("hate_media.max", hate_media_max, 0, 1, "ceiling of the intensity"),
      P_DBL("self_defence.threshold", self_defence_threshold, -1, 1, "activation threshold of self-defence"),
      P_DBL("self_defence.lethality", self_defence_lethality, 0, 1,
            "chance an active self-defence member kills an active perpetrator in vision per day"),
      P_DBL("self_defence.revenge_effect", revenge_effect, 0, 1,
            "drop of the perpetrators' L per perpetrator killed by self-defence"),
      P_DBL("victims.flee_probability", flee_probability, 0, 1,
            "daily chance a victim who sees an active perpetrator starts to flee"),
      P_INT("intervention.decision_delay", decision_delay, 0, 3650,
            "days until intervention is decided and announced"),
      P_INT("intervention.deployment_delay", deployment_delay, 0, 3650, "days from the decision to arrival"),
      P_INT("intervention.force_size", force_size, 0, 100000, "intervener units (0: no intervention)"),
      P_STR("intervention.posture", posture, "area-security|safe-areas|separation|containment",
            "how the force is used (military approaches of the handbook)"),
      P_DBL("intervention.partiality", partiality, 0, 1, "how partial the perpetrators perceive the intervener"),
      P_DBL("intervention.resistance", resistance, 0, 1,
            "how strongly perceived partiality turns into grievance and resistance"),
      P_DBL("intervention.acceleration", acceleration, 0, 1,
            "perpetrator speed-up between announcement and arrival (window closing)"),
      P_DBL("intervention.arrest_probability", arrest_probability, 0, 1,
            "chance an intervener detains an active perpetrator in vision per day"),
      P_DBL("intervention.strike_rate", strike_rate, 0, 1,
            "containment: daily chance per unit of striking an active perpetrator"),
      P_INT("intervention.protection_radius", protection_radius, 0, 15,
            "civilians this close to an intervener cannot be attacked"),
      P_INT("intervention.buffer_width", buffer_width, 1, 100, "separation: width of the buffer band (columns)"),
      P_DBL("levers.sanctions", sanctions, 0, 1, "share of perpetrator capacity removed by sanctions"),
      P_DBL("levers.counter_media", counter_media, 0, 1, "share of the hate-media effect countered"),
      P_DBL("levers.no_fly", no_fly, 0, 1, "share of perpetrator mobility removed by a no-fly zone"),
      P_BOOL("levers.safe_areas_open", safe_areas_open,
             "safe areas attract fleeing victims (always true under the safe-areas posture)"),
      P_INT("outcomes.halt_window", halt_window, 1, 365, "days without a killing after which killing has halted"),
      P_INT("outcomes.escalation_kills", escalation_kills, 1, 1000000,
            "a run escalated when this many victims were killed within 7 days"),
  };
  return kParams;
}

std::string FormatValue(const Param& p, Scenario& s) {
  void* r = p.ref(s);
  switch (p.kind) {
    case Kind::kInt: return std::to_string(*static_cast<int*>(r));
    case Kind::kDouble: return fmt::format("{}", *static_cast<double*>(r));
    case Kind::kBool: return *static_cast<bool*>(r) ? "true" : "false";
    case Kind::kString: return *static_cast<std::string*>(r);
  }
  return "";
}

std::string RangeText(const Param& p) {
  switch (p.kind) {
    case Kind::kInt: return fmt::format("integer {}..{}", p.lo, p.hi);
    case Kind::kDouble: return fmt::format("{}..{}", p.lo, p.hi);
    case Kind::kBool: return "true|false";
    case Kind::kString: return p.choices;
  }
  return "";
}

Status SetValue(const Param& p, Scenario& s, const json& v, const std::string& where) {
  const std::string name = where + p.path;
  void* r = p.ref(s);
  switch (p.kind) {
    case Kind::kInt: {
      if (!v.is_number()) return Status::InvalidArgument(fmt::format("{}: must be a number ({})", name, RangeText(p)));
      const double d = v.get<double>();
      if (d != std::floor(d) || d < p.lo || d > p.hi) {
        return Status::InvalidArgument(fmt::format("{} = {}: allowed {}", name, v.dump(), RangeText(p)));
      }
      *static_cast<int*>(r) = static_cast<int>(d);
      return Status::Ok();
    }
    case Kind::kDouble: {
      if (!v.is_number()) return Status::InvalidArgument(fmt::format("{}: must be a number ({})", name, RangeText(p)));
      const double d = v.get<double>();
      if (!(d >= p.lo && d <= p.hi)) {
        return Status::InvalidArgument(fmt::format("{} = {}: allowed range {}", name, v.dump(), RangeText(p)));
      }
      *static_cast<double*>(r) = d;
      return Status::Ok();
    }
    case Kind::kBool:
      if (!v.is_boolean()) return Status::InvalidArgument(fmt::format("{}: must be true or false", name));
      *static_cast<bool*>(r) = v.get<bool>();
      return Status::Ok();
    case Kind::kString: {
      if (!v.is_string()) return Status::InvalidArgument(fmt::format("{}: must be a string ({})", name, p.choices));
      const std::string str = v.get<std::string>();
      std::stringstream ss(p.choices);
      std::string c;
      while (std::getline(ss, c, '|')) {
        if (c == str) {
          *static_cast<std::string*>(r) = str;
          return Status::Ok();
        }
      }
      return Status::InvalidArgument(fmt::format("{} = '{}': allowed {}", name, str, p.choices));
    }
  }
  return Status::Ok();
}

const Param* FindParam(const std::string& path) {
  for (const auto& p : Params()) {
    if (path == p.path) return &p;
  }
  return nullptr;
}

std::string SectionKeys(const std::string& section) {
  std::string out;
  for (const auto& p : Params()) {
    std::string path = p.path;
    if (path.compare(0, section.size() + 1, section + ".") == 0) {
      if (!out.empty()) out += ", ";
      out += path.substr(section.size() + 1);
    }
  }
  return out;
}

}  // namespace

Scenario DefaultScenario() {
  Scenario s;
  s.safe_areas = {{10, 30, 3}, {30, 10, 3}};
  return s;
}

const std::vector<ParamDoc>& ParamDocs() {
  static const std::vector<ParamDoc> kDocs = [] {
    std::vector<ParamDoc> out;
    Scenario def;
    for (const auto& p : Params()) out.push_back({p.path, RangeText(p), FormatValue(p, def), p.meaning});
    out.push_back({"safe_areas", "array of {x, y, radius}", "[]",
                   "squares of side 2*radius+1 centred on (x, y), inside the grid"});
    return out;
  }();
  return kDocs;
}

Result<Scenario> ScenarioFromJson(const json& j, const std::string& source) {
  if (!j.is_object()) return Status::InvalidArgument(source + ": a scenario must be a JSON object");
  Scenario s;
  const std::string where = source + ": ";
  static const char* kSections[] = {"grid",     "population",   "vision",  "mobility",     "perpetrators", "bystanders",
                                    "hate_media", "self_defence", "victims", "intervention", "levers",       "outcomes"};
  for (const auto& [key, value] : j.items()) {
    if (key == "type") {
      if (!value.is_string() || value.get<std::string>() != "sim-scenario") {
        return Status::InvalidArgument(where + "type: must be \"sim-scenario\"");
      }
      continue;
    }
    if (key == "name" || key == "description") {
      if (!value.is_string()) return Status::InvalidArgument(where + key + ": must be a string");
      (key == "name" ? s.name : s.description) = value.get<std::string>();
      continue;
    }
    if (key == "safe_areas") {
      if (!value.is_array()) return Status::InvalidArgument(where + "safe_areas: must be an array of {x, y, radius}");
      for (std::size_t i = 0; i < value.size(); ++i) {
        const json& a = value[i];
        const std::string n = fmt::format("{}safe_areas[{}]", where, i);
        if (!a.is_object()) return Status::InvalidArgument(n + ": must be an object {x, y, radius}");
        SafeArea sa;
        for (const auto& [k, v] : a.items()) {
          if (k != "x" && k != "y" && k != "radius") {
            return Status::InvalidArgument(fmt::format("{}.{}: unknown key (allowed: x, y, radius)", n, k));
          }
          VIGIL_ASSIGN_OR_RETURN((k == "x" ? sa.x : k == "y" ? sa.y : sa.radius), JsonAs<int>(v, n + "." + k));
        }
        if (!a.contains("x") || !a.contains("y")) return Status::InvalidArgument(n + ": x and y are required");
        s.safe_areas.push_back(sa);
      }
      continue;
    }
    bool known = false;
    for (const char* sec : kSections) known = known || key == sec;
    if (!known) {
      std::string allowed = "type, name, description, safe_areas";
      for (const char* sec : kSections) allowed += std::string(", ") + sec;
      return Status::InvalidArgument(fmt::format("{}{}: unknown parameter (allowed: {})", where, key, allowed));
    }
    if (!value.is_object()) return Status::InvalidArgument(where + key + ": must be an object");
    for (const auto& [k, v] : value.items()) {
      const Param* p = FindParam(key + "." + k);
      if (!p) {
        return Status::InvalidArgument(
            fmt::format("{}{}.{}: unknown parameter (allowed in {}: {})", where, key, k, key, SectionKeys(key)));
      }
      VIGIL_RETURN_IF_ERROR(SetValue(*p, s, v, where));
    }
  }
  Status st = ValidateScenario(s);
  if (!st.ok()) return Status::InvalidArgument(where + st.message());
  return s;
}

Result<json> ReadJsonFile(const std::string& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(fmt::format("{}: cannot open the {} file", path, what));
  std::stringstream ss;
  ss << in.rdbuf();
  VIGIL_RETURN_IF_ERROR(CheckJsonDepth(ss.str(), path));
  try {
    return json::parse(ss.str());
  } catch (const json::parse_error& e) {
    return Status::InvalidArgument(fmt::format("{}: not valid JSON (byte {}): {}", path, e.byte, e.what()));
  }
}

Result<Scenario> LoadScenario(const std::string& path) {
  VIGIL_ASSIGN_OR_RETURN(json j, ReadJsonFile(path, "scenario"));
  return ScenarioFromJson(j, path);
}

json ScenarioToJson(const Scenario& s0) {
  Scenario s = s0;
  json j;
  j["type"] = "sim-scenario";
  j["name"] = s.name;
  if (!s.description.empty()) j["description"] = s.description;
  for (const auto& p : Params()) {
    std::string path = p.path;
    const auto dot = path.find('.');
    const std::string sec = path.substr(0, dot), key = path.substr(dot + 1);
    void* r = p.ref(s);
    switch (p.kind) {
      case Kind::kInt: j[sec][key] = *static_cast<int*>(r); break;
      case Kind::kDouble: j[sec][key] = *static_cast<double*>(r); break;
      case Kind::kBool: j[sec][key] = *static_cast<bool*>(r); break;
      case Kind::kString: j[sec][key] = *static_cast<std::string*>(r); break;
    }
  }
  j["safe_areas"] = json::array();
  for (const auto& a : s.safe_areas) j["safe_areas"].push_back({{"x", a.x}, {"y", a.y}, {"radius", a.radius}});
  return j;
}

Status ValidateScenario(const Scenario& s) {
  const double total =
      s.victim_density + s.bystander_density + s.perpetrator_density + s.leader_density + s.self_defence_density;
  if (total > 1.0 + 1e-12) {
    return Status::InvalidArgument(fmt::format(
        "population: densities sum to {} (victim_density + bystander_density + perpetrator_density + "
        "leader_density + self_defence_density): allowed at most 1",
        total));
  }
  const std::int64_t cells = static_cast<std::int64_t>(s.width) * s.height;
  if (static_cast<double>(s.force_size) > 0.5 * static_cast<double>(cells)) {
    return Status::InvalidArgument(
        fmt::format("intervention.force_size = {}: allowed at most half the sites ({})", s.force_size, cells / 2));
  }
  if (total * static_cast<double>(cells) + s.force_size > static_cast<double>(cells)) {
    return Status::InvalidArgument(fmt::format(
        "population + intervention.force_size: {} agents do not fit on {} sites",
        static_cast<std::int64_t>(total * static_cast<double>(cells)) + s.force_size, cells));
  }
  for (std::size_t i = 0; i < s.safe_areas.size(); ++i) {
    const auto& a = s.safe_areas[i];
    if (a.radius < 0 || a.radius > 50) {
      return Status::InvalidArgument(fmt::format("safe_areas[{}].radius = {}: allowed 0..50", i, a.radius));
    }
    if (a.x < 0 || a.x >= s.width || a.y < 0 || a.y >= s.height) {
      return Status::InvalidArgument(fmt::format("safe_areas[{}]: centre ({}, {}) is off the {}x{} grid", i, a.x,
                                                 a.y, s.width, s.height));
    }
  }
  if (s.posture == "safe-areas" && s.safe_areas.empty() && s.force_size > 0) {
    return Status::InvalidArgument("intervention.posture = 'safe-areas' needs at least one entry in safe_areas");
  }
  if (s.safe_areas_open && s.safe_areas.empty()) {
    return Status::InvalidArgument("levers.safe_areas_open = true needs at least one entry in safe_areas");
  }
  if (s.hate_media > s.hate_media_max) {
    return Status::InvalidArgument(fmt::format("hate_media.intensity = {} is above hate_media.max = {}",
                                               s.hate_media, s.hate_media_max));
  }
  if (s.buffer_width >= s.width) {
    return Status::InvalidArgument(
        fmt::format("intervention.buffer_width = {}: allowed below grid.width ({})", s.buffer_width, s.width));
  }
  return Status::Ok();
}

Result<Scenario> WithParam(const Scenario& s, const std::string& path, const json& value) {
  const Param* p = FindParam(path);
  if (!p) {
    std::string all;
    for (const auto& q : Params()) all += std::string(all.empty() ? "" : ", ") + q.path;
    return Status::InvalidArgument(fmt::format("unknown parameter '{}' (allowed: {})", path, all));
  }
  Scenario out = s;
  VIGIL_RETURN_IF_ERROR(SetValue(*p, out, value, ""));
  VIGIL_RETURN_IF_ERROR(ValidateScenario(out));
  return out;
}

}  // namespace vigil::sim
