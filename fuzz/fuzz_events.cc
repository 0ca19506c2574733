// libFuzzer harness of one event file format (VIGIL_FUZZ_FORMAT: ged, acled,
// gdelt or jsonl): the reader over the whole input, the conflict pre-pass,
// and the JSON record of every accepted event, which must read back.
#include <cstddef>
#include <cstdint>

#include "data/countries.h"
#include "data/event_conflicts.h"
#include "data/event_formats.h"
#include "fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace vigil;
  const auto format = data::ParseEventFormat(VIGIL_FUZZ_FORMAT);
  VIGIL_FUZZ_CHECK(format.ok());
  const CountryTable& countries = data::Countries();
  const std::string path = fuzz::AsFile(data, size);
  auto reader = data::EventFileReader::Open(path, *format, countries);
  if (!reader.ok()) return 0;  // not this format: one clear error
  Event e;
  std::size_t line = 0;
  data::RejectedRow rejected;
  std::size_t records = 0;
  while (true) {
    auto kind = (*reader)->Next(&e, &line, &rejected);
    if (!kind.ok() || *kind == data::EventFileReader::Kind::kEnd) break;
    ++records;
    if (*kind == data::EventFileReader::Kind::kRejected) {
      VIGIL_FUZZ_CHECK(!rejected.reason.empty());
      continue;
    }
    // An accepted event's record (the event_history format) reads back as
    // the same event.
    const std::string record = data::EventToJson(e);
    auto back = data::EventFromJson(record, countries);
    VIGIL_FUZZ_CHECK(back.ok());
    VIGIL_FUZZ_CHECK(data::EventFingerprint(*back) == data::EventFingerprint(e));
  }
  auto conflicts = data::FindIdConflicts(path, *format, countries);
  (void)conflicts;
  return 0;
}
