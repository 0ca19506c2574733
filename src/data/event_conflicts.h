// Conflicting rows within one event file: two or more records that carry the
// same (source, event id) but different content. They are not versions of
// one event (a revision is the same id changed between two imports), so the
// importer quarantines every one of them with the reason
// "conflicting rows for id X (lines a, b)" instead of storing any.
//
// FindIdConflicts reads the file once before the import (a pre-pass that
// parses like the import does) and keeps 24 bytes per valid record while it
// runs; the result holds only the conflicting ids. Ids are compared through
// a 64-bit hash of (source, event id): two distinct ids would have to
// collide in 64 bits to be mistaken for one (for 2 million ids the chance is
// about 1e-7), and such a pair would be quarantined, never merged.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/country.h"
#include "core/event.h"
#include "core/progress.h"
#include "core/status.h"
#include "data/event_formats.h"

namespace vigil::data {

class IdConflicts {
 public:
  // The file lines (ascending) of every record with this key when they do
  // not all have the same content; nullptr otherwise.
  const std::vector<std::size_t>* Find(std::string_view source, std::string_view event_id) const;
  std::size_t size() const { return lines_.size(); }  // number of conflicting ids

  // "conflicting rows for id X (lines a, b, c)" (at most 10 lines, then "...").
  static std::string Reason(std::string_view event_id, const std::vector<std::size_t>& lines);

  static std::uint64_t Key(std::string_view source, std::string_view event_id);
  void Add(std::uint64_t key, std::vector<std::size_t> lines) { lines_[key] = std::move(lines); }

 private:
  std::unordered_map<std::uint64_t, std::vector<std::size_t>> lines_;
};

// Reads `path` in `format` and returns its conflicting ids, reporting bytes
// read to `progress` every few MiB. Errors as EventFileReader::Open / Next
// (I/O, wrong format).
Result<IdConflicts> FindIdConflicts(const std::string& path, EventFormat format,
                                    const CountryTable& countries,
                                    const ProgressFn& progress = nullptr);

}  // namespace vigil::data
