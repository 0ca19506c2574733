#include "core/embedded.h"

#include <string>

namespace vigil::catalog {

Result<std::string_view> FindEmbedded(std::string_view name) {
  for (const auto& f : EmbeddedFiles()) {
    if (f.name == name) return f.content;
  }
  return Status::NotFound("no embedded catalog file '" + std::string(name) + "'");
}

}  // namespace vigil::catalog
