// PLACEHOLDER: being written this session.
#include "cli/cli.h"

namespace vigil::cli {

void RegisterAlerts(CLI::App& app, Context& ctx) {}

}  // namespace vigil::cli
