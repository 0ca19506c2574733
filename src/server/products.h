// The main job's products (./out of `make run`: watchlist, backtests, the
// demo case's briefings, sync matrix, wargame chart) served to logged-in
// users by `vigil serve --products DIR`. Only regular files directly in DIR
// whose names are plain (letters, digits, '.', '-', '_'; no leading dot) and
// whose extension is a known product type are listed or served; symbolic
// links and anything else are refused as if absent.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"

namespace vigil::server {

struct ProductFile {
  std::string name;
  std::string content_type;
  bool attachment = false;  // downloaded (CSV, XLSX, ...) rather than shown
  std::int64_t bytes = 0;
  std::string modified;  // UTC, ISO 8601
};

// The product type of a file name, or nullptr content type when unknown.
// Returns false for a name that is not plain or not of a product type.
bool ProductType(const std::string& name, ProductFile* out);

// Every product in `dir`, by name. FailedPrecondition when dir is empty
// (serving without --products); NotFound when it cannot be read.
Result<std::vector<ProductFile>> ListProducts(const std::string& dir);

// One product and its content (at most 64 MiB). NotFound naming only
// `name` for anything that is not a product of `dir`.
Result<std::pair<ProductFile, std::string>> ReadProduct(const std::string& dir, const std::string& name);

}  // namespace vigil::server
