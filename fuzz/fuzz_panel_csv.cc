// libFuzzer harness of the country-year panel CSV (vigil import panel), the
// UCDP country-month file and the EWP episode list.
#include <cstddef>
#include <cstdint>
#include <string>

#include "data/countries.h"
#include "data/country_month.h"
#include "data/panel_csv.h"
#include "fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace vigil;
  if (size == 0) return 0;
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 3) {
    case 0: {
      auto panel = data::ParsePanelCsv(text, "fuzz.csv");
      (void)panel;
      break;
    }
    case 1: {
      auto f = data::ReadCountryMonthFile(fuzz::AsFile(data + 1, size - 1), data::Countries());
      (void)f;
      break;
    }
    default: {
      auto episodes = data::ReadEpisodeList(fuzz::AsFile(data + 1, size - 1), data::Countries());
      (void)episodes;
      break;
    }
  }
  return 0;
}
