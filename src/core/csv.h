#pragma once

#include <string>
#include <string_view>

namespace vigil {

// One CSV field as RFC 4180 writes it: as is, unless it holds a comma,
// double quote, CR or LF; then in double quotes, with quotes doubled.
std::string CsvField(std::string_view s);

}  // namespace vigil
