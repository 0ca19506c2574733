// Catalog files compiled into the binary (see cmake/embed.cmake): the
// versioned domain data under catalog/ (countries, later frameworks and the
// DIME toolbox), available without any file system access.
#pragma once

#include <string_view>
#include <vector>

#include "core/status.h"

namespace vigil::catalog {

struct EmbeddedFile {
  std::string_view name;     // file name under catalog/, e.g. "countries.csv"
  std::string_view content;  // exact bytes of the file
};

const std::vector<EmbeddedFile>& EmbeddedFiles();

// The content of catalog/<name>, or NotFound.
Result<std::string_view> FindEmbedded(std::string_view name);

}  // namespace vigil::catalog
