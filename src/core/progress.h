// Progress reporting for long work. Core and model code report through a
// ProgressFn; the CLI decides how to show it (a bar on a TTY, plain lines
// otherwise). A null ProgressFn means "report nothing".
#pragma once

#include <cstddef>
#include <functional>
#include <string_view>

namespace vigil {

// done <= total; `what` names the step just finished (e.g. "fold 1997").
using ProgressFn = std::function<void(std::size_t done, std::size_t total, std::string_view what)>;

inline void Report(const ProgressFn& fn, std::size_t done, std::size_t total, std::string_view what) {
  if (fn) fn(done, total, what);
}

}  // namespace vigil
