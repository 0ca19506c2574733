// PLACEHOLDER: being written this session.
#include "cli/cli.h"

namespace vigil::cli {

void RegisterImportEvents(CLI::App& import_cmd, Context& ctx) {}
void RegisterEvents(CLI::App& app, Context& ctx) {}

}  // namespace vigil::cli
