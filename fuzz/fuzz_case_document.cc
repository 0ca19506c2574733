// libFuzzer harness of the case document (catalog/demo_case.json format)
// loaded through the repositories into an in-memory store.
#include <cstddef>
#include <cstdint>
#include <string>

#include "cli/cli.h"
#include "store/db.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace vigil;
  auto db = store::Db::Open(":memory:");
  if (!db.ok()) __builtin_trap();
  const std::string text(reinterpret_cast<const char*>(data), size);
  (void)cli::LoadCaseDocument(**db, text, "fuzz.json");
  return 0;
}
