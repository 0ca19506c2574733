#include "sim/levers.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace vigil::sim {

namespace {

using nlohmann::json;

const std::map<std::string, std::string>& LeverKeys() {
  static const std::map<std::string, std::string> k = {
      {"decision_delay", "intervention.decision_delay"},
      {"deployment_delay", "intervention.deployment_delay"},
      {"force_size", "intervention.force_size"},
      {"posture", "intervention.posture"},
      {"partiality", "intervention.partiality"},
      {"strike_rate", "intervention.strike_rate"},
      {"sanctions", "levers.sanctions"},
      {"counter_media", "levers.counter_media"},
      {"no_fly", "levers.no_fly"},
      {"safe_areas_open", "levers.safe_areas_open"},
  };
  return k;
}

// Military approach -> (posture, force size).
struct Approach {
  const char* id;
  const char* posture;
  int force;
  const char* text;
};
constexpr Approach kApproaches[] = {
    {"area-security", "area-security", 60, "posture area-security, force_size 60"},
    {"clear-hold-build", "area-security", 40, "posture area-security, force_size 40"},
    {"separation", "separation", 40, "posture separation, force_size 40"},
    {"safe-areas", "safe-areas", 30, "posture safe-areas, force_size 30, safe areas open"},
    {"partner-enabling", "area-security", 20, "posture area-security, force_size 20 (partner forces)"},
    {"containment", "containment", 20, "posture containment, force_size 20 (strike units)"},
    {"defeat-adversaries", "containment", 60, "posture containment, force_size 60, strike_rate 0.1"},
};

// Tools -> additive effects.
struct Tool {
  const char* id;
  double sanctions, counter_media, no_fly;
  double deployment_factor, decision_factor;
  double partiality_delta;
  int min_force;
  const char* text;
};
constexpr Tool kTools[] = {
    {"international-sanctions", 0.2, 0, 0, 1, 1, 0, 0, "sanctions +0.2"},
    {"embargoes", 0.2, 0, 0, 1, 1, 0, 0, "sanctions +0.2 (arms and goods)"},
    {"freeze-assets", 0.1, 0, 0, 1, 1, 0, 0, "sanctions +0.1"},
    {"enabler-sanctions", 0.1, 0, 0, 1, 1, 0, 0, "sanctions +0.1 (third-party suppliers)"},
    {"travel-bans", 0.05, 0, 0, 1, 1, 0, 0, "sanctions +0.05"},
    {"technology-controls", 0.05, 0, 0, 1, 1, 0, 0, "sanctions +0.05"},
    {"blockade-quarantine", 0.2, 0, 0, 1, 1, 0, 0, "sanctions +0.2"},
    {"counter-hate-media", 0, 0.4, 0, 1, 1, 0, 0, "counter_media +0.4"},
    {"electronic-countermeasures", 0, 0.2, 0, 1, 1, 0, 0, "counter_media +0.2 (jamming)"},
    {"electronic-warfare", 0, 0.2, 0, 1, 1, 0, 0, "counter_media +0.2 (jamming)"},
    {"miso-informational", 0, 0.1, 0, 1, 1, 0, 0, "counter_media +0.1"},
    {"miso-military", 0, 0.1, 0, 1, 1, 0, 0, "counter_media +0.1"},
    {"expanded-miso", 0, 0.1, 0, 1, 1, 0, 0, "counter_media +0.1"},
    {"no-fly-zone", 0, 0, 0.5, 1, 1, 0, 0, "no_fly +0.5"},
    {"deployment-preparations", 0, 0, 0, 0.7, 1, 0, 0, "deployment_delay x0.7"},
    {"hq-deployment", 0, 0, 0, 0.8, 1, 0, 0, "deployment_delay x0.8"},
    {"increased-alert", 0, 0, 0, 0.9, 1, 0, 0, "deployment_delay x0.9"},
    {"access-basing", 0, 0, 0, 0.9, 1, 0, 0, "deployment_delay x0.9"},
    {"stationing-overflight", 0, 0, 0, 0.9, 1, 0, 0, "deployment_delay x0.9"},
    {"logistics-third-party", 0, 0, 0, 0.9, 1, 0, 0, "deployment_delay x0.9"},
    {"coalition-building", 0, 0, 0, 1, 0.8, -0.1, 0, "decision_delay x0.8, partiality -0.1 (multilateral)"},
    {"un-resolutions", 0, 0, 0, 1, 0.9, -0.1, 0, "decision_delay x0.9, partiality -0.1 (mandate)"},
    {"full-intervention", 0, 0, 0, 1, 1, 0, 80, "force_size at least 80"},
    {"limited-intervention", 0, 0, 0, 1, 1, 0, 40, "force_size at least 40"},
    {"peace-operations", 0, 0, 0, 1, 1, 0, 40, "force_size at least 40"},
    {"strikes-raids", 0, 0, 0, 1, 1, 0, 20, "force_size at least 20 (containment without another approach)"},
    {"sof-operations", 0, 0, 0, 1, 1, 0, 20, "force_size at least 20 (containment without another approach)"},
};

const Tool* FindTool(const std::string& id) {
  for (const auto& t : kTools) {
    if (id == t.id) return &t;
  }
  return nullptr;
}

}  // namespace

std::string LeverPath(const std::string& key) {
  if (key.find('.') != std::string::npos) return key;
  auto it = LeverKeys().find(key);
  return it == LeverKeys().end() ? key : it->second;
}

Result<Scenario> ApplyOption(const Scenario& base, const SimOption& option) {
  Scenario s = base;
  for (const auto& [path, value] : option.settings) {
    auto next = WithParam(s, path, value);
    if (!next.ok()) {
      return Status::InvalidArgument(fmt::format("option '{}': {}", option.name, next.status().message()));
    }
    s = std::move(next).value();
  }
  return s;
}

Result<SimOption> OptionFromJson(const json& j, const std::string& source) {
  if (!j.is_object()) return Status::InvalidArgument(source + ": an option must be a JSON object");
  SimOption o;
  for (const auto& [k, v] : j.items()) {
    if (k == "type") {
      if (v != "sim-option") return Status::InvalidArgument(source + ": type: must be \"sim-option\"");
    } else if (k == "name" || k == "description") {
      if (!v.is_string()) return Status::InvalidArgument(fmt::format("{}: {}: must be a string", source, k));
      (k == "name" ? o.name : o.description) = v.get<std::string>();
    } else if (k == "levers") {
      if (!v.is_object()) return Status::InvalidArgument(source + ": levers: must be an object");
      for (const auto& [lk, lv] : v.items()) {
        if (lk.find('.') == std::string::npos && !LeverKeys().count(lk)) {
          std::string allowed;
          for (const auto& [name, path] : LeverKeys()) allowed += (allowed.empty() ? "" : ", ") + name;
          return Status::InvalidArgument(fmt::format(
              "{}: levers.{}: unknown lever (allowed: {}, or a scenario parameter path such as "
              "perpetrators.capacity)",
              source, lk, allowed));
        }
        o.settings.emplace_back(LeverPath(lk), lv);
      }
    } else {
      return Status::InvalidArgument(
          fmt::format("{}: {}: unknown key (allowed: type, name, description, levers)", source, k));
    }
  }
  if (o.name.empty()) o.name = std::filesystem::path(source).stem().string();
  return o;
}

std::vector<std::string> BuiltinOptionNames() {
  return {"baseline", "no-intervention", "rapid-deployment", "large-force", "safe-areas",
          "separation", "containment",   "sanctions",        "counter-media", "no-fly"};
}

Result<SimOption> ResolveOption(const std::string& name, const Scenario& base) {
  SimOption o;
  o.name = name;
  auto set = [&](const std::string& key, json v) { o.settings.emplace_back(LeverPath(key), std::move(v)); };
  if (name == "baseline") {
    o.description = "the scenario as it is";
  } else if (name == "no-intervention") {
    o.description = "no intervener force";
    set("force_size", 0);
  } else if (name == "rapid-deployment") {
    o.description = "decision and deployment in a third of the scenario's time";
    set("decision_delay", base.decision_delay / 3);
    set("deployment_delay", base.deployment_delay / 3);
  } else if (name == "large-force") {
    o.description = "twice the scenario's force";
    set("force_size", std::max(1, base.force_size * 2));
  } else if (name == "safe-areas") {
    o.description = "the force protects the scenario's safe areas, which are open to the displaced";
    if (base.safe_areas.empty()) {
      return Status::InvalidArgument("option 'safe-areas': the scenario defines no safe_areas");
    }
    set("posture", "safe-areas");
    set("safe_areas_open", true);
    if (base.force_size == 0) set("force_size", 30);
  } else if (name == "separation") {
    o.description = "the force holds a buffer band between the parties";
    set("posture", "separation");
    if (base.force_size == 0) set("force_size", 40);
  } else if (name == "containment") {
    o.description = "strikes and raids against active perpetrators, no ground presence";
    set("posture", "containment");
    if (base.force_size == 0) set("force_size", 20);
  } else if (name == "sanctions") {
    o.description = "sanctions remove 40% of perpetrator capacity";
    set("sanctions", 0.4);
  } else if (name == "counter-media") {
    o.description = "counter hate media removes 60% of its effect";
    set("counter_media", 0.6);
  } else if (name == "no-fly") {
    o.description = "a no-fly zone halves perpetrator mobility";
    set("no_fly", 0.5);
  } else {
    std::ifstream in(name, std::ios::binary);
    if (!in) {
      std::string names;
      for (const auto& n : BuiltinOptionNames()) names += (names.empty() ? "" : ", ") + n;
      return Status::NotFound(fmt::format("option '{}': neither a built-in option ({}) nor a readable file", name,
                                          names));
    }
    in.close();
    VIGIL_ASSIGN_OR_RETURN(json j, ReadJsonFile(name, "option"));
    return OptionFromJson(j, name);
  }
  return o;
}

SimOption OptionFromPackage(const options::OptionPackage& package, const Scenario& base) {
  SimOption o;
  o.name = package.title.empty() ? fmt::format("option {}", package.number) : package.title;
  o.description = package.summary;
  std::string posture;
  int force = 0;
  double strike_rate = -1;
  if (!package.military_approach.empty()) {
    bool found = false;
    for (const auto& a : kApproaches) {
      if (package.military_approach == a.id) {
        posture = a.posture;
        force = a.force;
        found = true;
        if (package.military_approach == "defeat-adversaries") strike_rate = 0.1;
        o.because.push_back(fmt::format("military approach {}: {}", a.id, a.text));
      }
    }
    if (!found) o.because.push_back("military approach " + package.military_approach + ": no simulator lever");
  }
  double sanctions = base.sanctions, counter = base.counter_media, no_fly = base.no_fly;
  double deploy = base.deployment_delay, decide = base.decision_delay, partiality = base.partiality;
  int min_force = 0;
  bool strikes = false;
  for (const auto& t : package.tools) {
    const Tool* m = FindTool(t.id);
    if (!m) {
      o.because.push_back(fmt::format("tool {}: no simulator lever", t.id));
      continue;
    }
    sanctions += m->sanctions;
    counter += m->counter_media;
    no_fly += m->no_fly;
    deploy *= m->deployment_factor;
    decide *= m->decision_factor;
    partiality += m->partiality_delta;
    min_force = std::max(min_force, m->min_force);
    strikes = strikes || t.id == "strikes-raids" || t.id == "sof-operations";
    o.because.push_back(fmt::format("tool {}: {}", t.id, m->text));
  }
  if (posture.empty() && min_force > 0) posture = strikes && min_force <= 20 ? "containment" : "area-security";
  force = std::max(force, min_force);
  if (posture == "safe-areas" && base.safe_areas.empty()) {
    o.because.push_back("safe areas: the scenario defines none, so the force uses area security");
    posture = "area-security";
  }
  auto set = [&](const std::string& key, json v) { o.settings.emplace_back(LeverPath(key), std::move(v)); };
  if (force > 0) {
    set("posture", posture);
    set("force_size", force);
    if (posture == "safe-areas") set("safe_areas_open", true);
    if (strike_rate > 0) set("strike_rate", strike_rate);
  } else {
    set("force_size", 0);
    o.because.push_back("no military intervention tool or approach: no intervener force");
  }
  set("sanctions", std::min(0.8, sanctions));
  set("counter_media", std::min(0.9, counter));
  set("no_fly", std::min(0.9, no_fly));
  set("deployment_delay", static_cast<int>(std::lround(deploy)));
  set("decision_delay", static_cast<int>(std::lround(decide)));
  set("partiality", std::clamp(partiality, 0.0, 1.0));
  return o;
}

const std::vector<std::pair<std::string, std::string>>& LeverTable() {
  static const std::vector<std::pair<std::string, std::string>> table = [] {
    std::vector<std::pair<std::string, std::string>> t;
    for (const auto& a : kApproaches) t.emplace_back(std::string("approach ") + a.id, a.text);
    for (const auto& x : kTools) t.emplace_back(std::string("tool ") + x.id, x.text);
    return t;
  }();
  return table;
}

}  // namespace vigil::sim
