#include "core/line_reader.h"

#include <streambuf>
#include <utility>

namespace vigil {

LineReader::LineReader(std::istream& in, std::string source, std::size_t max_line_bytes)
    : in_(in), source_(std::move(source)), max_(max_line_bytes) {}

Result<bool> LineReader::Next(std::string* line) {
  line->clear();
  std::streambuf* sb = in_.rdbuf();
  if (sb == nullptr || !in_.good()) return false;
  using Traits = std::streambuf::traits_type;
  bool any = false;
  while (true) {
    const auto c = sb->sbumpc();
    if (Traits::eq_int_type(c, Traits::eof())) {
      in_.setstate(std::ios::eofbit);
      break;
    }
    any = true;
    if (Traits::to_char_type(c) == '\n') break;
    if (line->size() == max_) {
      return Status::InvalidArgument(source_ + ":" + std::to_string(line_number_ + 1) + ": line longer than " +
                                     std::to_string(max_ >> 20) + " MiB, the limit for one line");
    }
    line->push_back(Traits::to_char_type(c));
  }
  if (!any) return false;
  ++line_number_;
  if (!line->empty() && line->back() == '\r') line->pop_back();
  return true;
}

}  // namespace vigil
