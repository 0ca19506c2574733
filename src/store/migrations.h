// Schema migrations. Migrations()[v] brings a database from schema version v
// to v+1. Never edit a migration that has shipped: append a new one.
#pragma once

#include <string>
#include <vector>

namespace vigil::store {

const std::vector<std::string>& Migrations();

}  // namespace vigil::store
