// PLACEHOLDER: being written this session.
#include "cli/cli.h"

namespace vigil::cli {

void RegisterImportEvents(CLI::App& import_cmd, Context& ctx) {}

}  // namespace vigil::cli
