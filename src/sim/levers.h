// Response options as simulator levers.
//
// A SimOption is a named set of scenario parameter changes. Options come from
// JSON files ({"type": "sim-option", "name": ..., "levers": {...}}), from the
// built-in names (BuiltinOptionNames), or from an option package of the
// options module (OptionFromPackage), whose DIME tools and military approach
// map to levers by the table in docs/sim.md (also LeverTable()).
//
// Lever keys in "levers": decision_delay, deployment_delay, force_size,
// posture, sanctions, counter_media, no_fly, safe_areas_open, partiality,
// strike_rate; any other scenario parameter by its full path
// ("perpetrators.capacity").
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"
#include "options/option.h"
#include "sim/maro.h"

namespace vigil::sim {

struct SimOption {
  std::string name;
  std::string description;
  // (parameter path, value), applied in order.
  std::vector<std::pair<std::string, nlohmann::json>> settings;
  // Why each setting is there (one line per tool or approach mapped, and
  // the tools that have no lever).
  std::vector<std::string> because;
};

// The full parameter path of a lever key ("deployment_delay" ->
// "intervention.deployment_delay"); a path with a dot is returned as is.
std::string LeverPath(const std::string& key);

// Applies the option's settings; errors name the option and the parameter.
Result<Scenario> ApplyOption(const Scenario& base, const SimOption& option);

// Parses an option JSON object; unknown lever keys are errors.
Result<SimOption> OptionFromJson(const nlohmann::json& j, const std::string& source);
// A built-in option name or a path to an option JSON file.
Result<SimOption> ResolveOption(const std::string& name_or_file, const Scenario& base);
std::vector<std::string> BuiltinOptionNames();

// Maps an option package (its military approach and DIME tool ids) to levers
// relative to `base` (delays are scaled from the base scenario's values).
SimOption OptionFromPackage(const options::OptionPackage& package, const Scenario& base);

// The mapping table: (tool or approach id, effect on the levers).
const std::vector<std::pair<std::string, std::string>>& LeverTable();

}  // namespace vigil::sim
