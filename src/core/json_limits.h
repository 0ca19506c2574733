// Limits on JSON text that comes from outside vigil (catalog, scenario,
// case and event files, exports, later request bodies). A JSON library
// builds, walks and frees nested values recursively, so text nested a
// hundred thousand levels deep would overflow the stack; vigil refuses it
// before parsing, with a message naming the source and the limit.
#pragma once

#include <cstddef>
#include <string_view>

#include "core/status.h"

namespace vigil {

// No vigil document nests deeper than a dozen levels; 64 leaves room.
inline constexpr std::size_t kMaxJsonDepth = 64;

// InvalidArgument naming `source` when `text` opens more than `max_depth`
// arrays/objects inside each other (brackets inside strings do not count).
// One pass, no allocation.
Status CheckJsonDepth(std::string_view text, std::string_view source,
                      std::size_t max_depth = kMaxJsonDepth);

}  // namespace vigil
