// Closed vocabularies kept as arrays of C strings (statuses, roles, stages):
// membership tests and the "a, b, c" lists that error messages show.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace vigil {

// True when s is one of the list's words.
template <std::size_t N>
bool In(const char* const (&list)[N], std::string_view s) {
  for (const char* v : list) {
    if (s == v) return true;
  }
  return false;
}

// "a, b, c": the list's words for error messages.
template <std::size_t N>
std::string ListOf(const char* const (&list)[N]) {
  std::string out;
  for (std::size_t i = 0; i < N; ++i) out += (i ? ", " : "") + std::string(list[i]);
  return out;
}

}  // namespace vigil
