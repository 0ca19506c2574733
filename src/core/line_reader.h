// Reads a text stream line by line with a bound on the length of one line,
// so that a hostile file (a 1 GB line) gets a clear error instead of a
// string that grows until the process is killed. CSV and JSONL event files
// have their own reader (data/csv.h); this is for the other line-oriented
// inputs (audit exports).
#pragma once

#include <cstddef>
#include <istream>
#include <string>

#include "core/status.h"

namespace vigil {

// One record of a line-oriented file: 64 MiB, as for CSV (docs/fuzzing.md).
inline constexpr std::size_t kMaxLineBytes = std::size_t{64} << 20;

class LineReader {
 public:
  // `source` names the stream in messages ("export.jsonl"). The stream must
  // outlive the reader.
  LineReader(std::istream& in, std::string source, std::size_t max_line_bytes = kMaxLineBytes);

  // Reads the next line without its '\n' (and without a '\r' before it) into
  // *line. Returns true for a line, false at the end of the stream, and
  // InvalidArgument "SOURCE:N: line longer than M MiB, the limit for one
  // line" when line N is longer than the limit; reading stops there.
  Result<bool> Next(std::string* line);

  // The number of the line Next() read last (1-based; 0 before the first).
  std::size_t line_number() const { return line_number_; }

 private:
  std::istream& in_;
  std::string source_;
  std::size_t max_;
  std::size_t line_number_ = 0;
};

}  // namespace vigil
