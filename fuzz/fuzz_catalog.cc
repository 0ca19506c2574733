// libFuzzer harness of every catalog parser: the first byte picks one, the
// rest is the catalog text (assessment frameworks, reference catalogs,
// option rules, plan stages, decision points, alert detectors, risk model).
#include <cstddef>
#include <cstdint>
#include <string>

#include "assess/frameworks.h"
#include "monitor/events/detect.h"
#include "monitor/risk/design.h"
#include "options/generator.h"
#include "plan/plan_catalog.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace vigil;
  if (size == 0) return 0;
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  const std::string source = "fuzz.json";
  switch (data[0] % 7) {
    case 0: (void)assess::ParseFramework(text, source); break;
    case 1: (void)assess::ParseReferenceCatalog(text, source); break;
    case 2: (void)options::ParseRules(text, source); break;
    case 3: (void)plan::ParsePlanStages(text, source); break;
    case 4: (void)plan::ParseDecisionPoints(text, source); break;
    case 5: (void)events::ParseDetectorConfig(text, source); break;
    default: (void)risk::ParseModelSpec(text, source); break;
  }
  return 0;
}
