#include "core/json_limits.h"

#include <string>

namespace vigil {

Status CheckJsonDepth(std::string_view text, std::string_view source, std::size_t max_depth) {
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;  // the escaped character
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) {
        return Status::InvalidArgument(std::string(source) + ": JSON nested deeper than " +
                                       std::to_string(max_depth) + " levels (at byte " +
                                       std::to_string(i) + "); refused");
      }
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return Status::Ok();
}

}  // namespace vigil
