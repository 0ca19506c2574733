// PLACEHOLDER: being written this session.
#include "cli/cli.h"

namespace vigil::cli {

void RegisterEvents(CLI::App& app, Context& ctx) {}

}  // namespace vigil::cli
