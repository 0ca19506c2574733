#include "data/event_conflicts.h"

#include <sodium.h>

#include <algorithm>
#include <tuple>

namespace vigil::data {

std::uint64_t IdConflicts::Key(std::string_view source, std::string_view event_id) {
  // SipHash-2-4 (libsodium's shorthash) with a fixed key: stable across runs
  // and platforms, and well mixed for ids that differ in one digit.
  static const unsigned char kKey[crypto_shorthash_KEYBYTES] = {'v', 'i', 'g', 'i', 'l', '-', 'e', 'v',
                                                                'e', 'n', 't', '-', 'i', 'd', 's', '1'};
  std::string buf;
  buf.reserve(source.size() + 1 + event_id.size());
  buf.append(source).push_back('\x1f');
  buf.append(event_id);
  unsigned char out[crypto_shorthash_BYTES];
  crypto_shorthash(out, reinterpret_cast<const unsigned char*>(buf.data()), buf.size(), kKey);
  std::uint64_t k = 0;
  for (int i = 0; i < 8; ++i) k = (k << 8) | out[i];
  return k;
}

const std::vector<std::size_t>* IdConflicts::Find(std::string_view source,
                                                  std::string_view event_id) const {
  if (lines_.empty()) return nullptr;
  auto it = lines_.find(Key(source, event_id));
  return it == lines_.end() ? nullptr : &it->second;
}

std::string IdConflicts::Reason(std::string_view event_id, const std::vector<std::size_t>& lines) {
  std::string s = "conflicting rows for id " + std::string(event_id) + " (lines ";
  for (std::size_t i = 0; i < lines.size() && i < 10; ++i) {
    if (i > 0) s += ", ";
    s += std::to_string(lines[i]);
  }
  if (lines.size() > 10) s += ", ... " + std::to_string(lines.size()) + " rows in all";
  return s + "): same id, different content in one file; none stored";
}

Result<IdConflicts> FindIdConflicts(const std::string& path, EventFormat format,
                                    const CountryTable& countries, const ProgressFn& progress) {
  VIGIL_ASSIGN_OR_RETURN(auto reader, EventFileReader::Open(path, format, countries));
  struct Seen {
    std::uint64_t key;
    std::uint64_t fingerprint;
    std::uint64_t line;
  };
  std::vector<Seen> seen;
  Event e;
  std::size_t line = 0;
  RejectedRow rejected;
  constexpr std::size_t kReportEvery = 8u << 20;  // bytes
  std::size_t next_report = kReportEvery;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(EventFileReader::Kind kind, reader->Next(&e, &line, &rejected));
    if (kind == EventFileReader::Kind::kEnd) break;
    if (reader->bytes_read() >= next_report) {
      Report(progress, reader->bytes_read(), reader->file_size(), "bytes");
      next_report = reader->bytes_read() + kReportEvery;
    }
    if (kind != EventFileReader::Kind::kEvent) continue;
    seen.push_back({IdConflicts::Key(e.source, e.event_id), EventFingerprint(e), line});
  }
  Report(progress, reader->file_size(), reader->file_size(), "bytes");
  std::sort(seen.begin(), seen.end(), [](const Seen& a, const Seen& b) {
    return std::tie(a.key, a.line) < std::tie(b.key, b.line);
  });
  IdConflicts out;
  for (std::size_t i = 0; i < seen.size();) {
    std::size_t j = i + 1;
    bool differs = false;
    while (j < seen.size() && seen[j].key == seen[i].key) {
      differs = differs || seen[j].fingerprint != seen[i].fingerprint;
      ++j;
    }
    if (differs) {
      std::vector<std::size_t> lines;
      for (std::size_t k = i; k < j; ++k) lines.push_back(seen[k].line);
      out.Add(seen[i].key, std::move(lines));
    }
    i = j;
  }
  return out;
}

}  // namespace vigil::data
