// libFuzzer harness of the JSON documents vigil reads from users: option
// packages, situations, policy statements, plans, simulator scenarios and
// levers (vigil sim --scenario/--option files) and evidence links.
#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <string>

#include "assess/case.h"
#include "core/json_limits.h"
#include "options/option.h"
#include "plan/plan.h"
#include "sim/levers.h"
#include "sim/maro.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace vigil;
  if (size == 0) return 0;
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  const int which = data[0] % 7;
  if (which == 6) {
    (void)assess::ParseEvidenceLink(text);
    return 0;
  }
  if (!CheckJsonDepth(text, "fuzz").ok()) return 0;
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return 0;
  switch (which) {
    case 0: (void)options::OptionFromJson(j); break;
    case 1: (void)options::SituationFromJson(j); break;
    case 2: (void)plan::PolicyFromJson(j); break;
    case 3: (void)plan::PlanFromJson(j); break;
    case 4: (void)sim::ScenarioFromJson(j, "fuzz"); break;
    default: (void)sim::OptionFromJson(j, "fuzz"); break;
  }
  return 0;
}
