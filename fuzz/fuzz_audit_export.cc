// libFuzzer harness of an audit export (vigil audit verify --file): the
// header, every entry line, the hash walk and the header's heads.
#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_util.h"
#include "store/audit.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace vigil;
  auto reports = store::VerifyAuditExport(fuzz::AsFile(data, size));
  if (reports.ok()) {
    // A file that reads names every chain, once, in a report each; a broken
    // chain says where and why.
    VIGIL_FUZZ_CHECK(reports->size() == std::size(store::kAuditChains));
    for (const auto& r : *reports) VIGIL_FUZZ_CHECK(r.ok || !r.problem.empty());
  } else {
    VIGIL_FUZZ_CHECK(!reports.status().message().empty());
  }
  return 0;
}
