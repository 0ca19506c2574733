// vigil-events-parse: parse+validate timer for event files. Runs
// data::EventFileReader over FILE (every record becomes an Event or a
// rejected row, exactly as `vigil import events` reads it, without storing)
// and prints JSON {rows, events, rejected, seconds, rows_per_second,
// peak_rss_mib}. rows = events + rejected.
//
// With --fingerprint it also computes each event's EventFingerprint, as the
// import's parser thread does (the time then includes it).
//
// usage: vigil-events-parse FILE [--format ged|acled|gdelt|jsonl] [--fingerprint]
#include <sys/resource.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "data/countries.h"
#include "data/event_formats.h"

int main(int argc, char** argv) {
  std::string path, format = "ged";
  bool fingerprint = false;
  std::uint64_t hash_sum = 0;  // keeps the fingerprints from being optimized away
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--help" || a == "-h") {
      std::printf("usage: vigil-events-parse FILE [--format ged|acled|gdelt|jsonl] [--fingerprint]\n"
                  "Parses and validates every record; prints {rows, events, rejected, seconds,\n"
                  "rows_per_second, peak_rss_mib} as JSON.\n");
      return 0;
    }
    if (a == "--fingerprint") {
      fingerprint = true;
    } else if (a == "--format" && i + 1 < argc) {
      format = argv[++i];
    } else if (!a.empty() && a[0] != '-' && path.empty()) {
      path = argv[i];
    } else {
      std::fprintf(stderr, "usage: vigil-events-parse FILE [--format ged|acled|gdelt|jsonl]\n");
      return 2;
    }
  }
  if (path.empty()) {
    std::fprintf(stderr, "usage: vigil-events-parse FILE [--format ged|acled|gdelt|jsonl]\n");
    return 2;
  }
  auto fmt = vigil::data::ParseEventFormat(format);
  if (!fmt.ok()) {
    std::fprintf(stderr, "vigil-events-parse: %s\n", fmt.status().message().c_str());
    return 2;
  }
  const vigil::CountryTable& countries = vigil::data::Countries();
  auto t0 = std::chrono::steady_clock::now();
  auto reader = vigil::data::EventFileReader::Open(path, *fmt, countries);
  if (!reader.ok()) {
    std::fprintf(stderr, "vigil-events-parse: %s\n", reader.status().message().c_str());
    return 1;
  }
  vigil::Event event;
  vigil::data::RejectedRow rejected;
  std::size_t line = 0, events = 0, bad = 0;
  while (true) {
    auto kind = (*reader)->Next(&event, &line, &rejected);
    if (!kind.ok()) {
      std::fprintf(stderr, "vigil-events-parse: %s\n", kind.status().message().c_str());
      return 1;
    }
    if (*kind == vigil::data::EventFileReader::Kind::kEnd) break;
    if (*kind == vigil::data::EventFileReader::Kind::kEvent) {
      ++events;
      if (fingerprint) hash_sum += vigil::data::EventFingerprint(event);
    } else {
      ++bad;
    }
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  struct rusage ru {};
  getrusage(RUSAGE_SELF, &ru);
  nlohmann::ordered_json j;
  j["rows"] = events + bad;
  j["events"] = events;
  j["rejected"] = bad;
  j["seconds"] = seconds;
  j["rows_per_second"] = seconds > 0 ? static_cast<double>(events + bad) / seconds : 0.0;
  j["peak_rss_mib"] = static_cast<double>(ru.ru_maxrss) / 1024.0;
  if (fingerprint) j["fingerprint_sum"] = hash_sum;
  std::printf("%s\n", j.dump().c_str());
  return 0;
}
