// Shared by the libFuzzer harnesses: the fuzz input as a file (a memfd, so
// parsers that open paths read it without touching the disk).
#pragma once

#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

namespace vigil::fuzz {

// "/proc/self/fd/N" holding exactly `data` (rewritten on every call).
inline std::string AsFile(const std::uint8_t* data, std::size_t size) {
  static int fd = memfd_create("vigil-fuzz", 0);
  if (fd < 0) std::abort();
  if (ftruncate(fd, 0) != 0) std::abort();
  std::size_t done = 0;
  while (done < size) {
    ssize_t n = pwrite(fd, data + done, size - done, static_cast<off_t>(done));
    if (n <= 0) std::abort();
    done += static_cast<std::size_t>(n);
  }
  return "/proc/self/fd/" + std::to_string(fd);
}

// A property a parser promised did not hold: a crash libFuzzer reports.
#define VIGIL_FUZZ_CHECK(cond) \
  do {                         \
    if (!(cond)) __builtin_trap(); \
  } while (0)

}  // namespace vigil::fuzz
