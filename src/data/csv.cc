#include "data/csv.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

namespace vigil::data {

namespace {
constexpr std::size_t kChunk = 1 << 20;  // read size; the buffer grows for longer records

std::size_t CountNewlines(const char* p, const char* e) {
  return static_cast<std::size_t>(std::count(p, e, '\n'));
}
}  // namespace

CsvReader::CsvReader(std::FILE* f, std::string data, std::string name, char delim)
    : file_(f), buf_(std::move(data)), name_(std::move(name)), delim_(delim) {
  end_ = buf_.size();
  if (!file_) eof_ = true;
  set_quoting(true);
}

CsvReader::~CsvReader() {
  if (file_) std::fclose(file_);
}

void CsvReader::set_quoting(bool on) {
  quoting_ = on;
  std::memset(special_, 0, sizeof special_);
  special_[static_cast<unsigned char>(delim_)] = 1;
  special_[static_cast<unsigned char>('\n')] = 1;
  special_[static_cast<unsigned char>('\r')] = 1;
  if (on) special_[static_cast<unsigned char>('"')] = 1;
}

Result<std::FILE*> OpenInputFile(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return Status::NotFound(path + ": no such file");
  if (std::filesystem::is_directory(path, ec)) {
    return Status::InvalidArgument(path + ": is a directory, not a file");
  }
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return Status::IoError(path + ": " + std::strerror(errno));
  return f;
}

Result<std::unique_ptr<CsvReader>> CsvReader::Open(const std::string& path, char delimiter) {
  VIGIL_ASSIGN_OR_RETURN(std::FILE * f, OpenInputFile(path));
  auto r = std::unique_ptr<CsvReader>(new CsvReader(f, "", path, delimiter));
  // A small file gets a buffer its size, not a whole block (many small
  // files, as in tests and fuzzing, would each zero a MiB).
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (!ec) r->chunk_ = std::clamp<std::size_t>(static_cast<std::size_t>(size) + 1, 4096, kChunk);
  return r;
}

std::unique_ptr<CsvReader> CsvReader::FromString(std::string data, std::string name,
                                                 char delimiter) {
  return std::unique_ptr<CsvReader>(new CsvReader(nullptr, std::move(data), std::move(name),
                                                  delimiter));
}

std::string CsvReader::Where(std::size_t line, std::string_view column) const {
  std::string w = name_ + ":" + std::to_string(line);
  if (!column.empty()) w += ": column '" + std::string(column) + "'";
  return w;
}

Result<bool> CsvReader::Fill() {
  if (eof_) return false;
  if (begin_ > 0) {
    std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (buf_.size() - end_ < chunk_ / 2) buf_.resize(std::max(buf_.size() * 2, end_ + chunk_));
  std::size_t n = std::fread(buf_.data() + end_, 1, buf_.size() - end_, file_);
  if (n == 0) {
    if (std::ferror(file_)) return Status::IoError(name_ + ": read failed: " + std::strerror(errno));
    eof_ = true;
    return false;
  }
  end_ += n;
  return true;
}

// Scans one record at begin_. Every exit that needs bytes beyond end_ while
// more input may come returns kNeedMore; the caller refills and the record is
// scanned again from its start (rare: blocks hold thousands of records).
CsvReader::Scan CsvReader::ScanRecord(CsvRow* row) {
  const char* const base = buf_.data();
  const char* p = base + begin_;
  const char* const e = base + end_;
  const char* const start = p;
  spans_.clear();
  scratch_.clear();
  error_.clear();
  std::size_t newlines = 0;  // line breaks inside quoted fields
  const char* rec_end = e;   // end of the record's text
  const char* next = e;      // first byte after its line break
  bool line_break = false;

  auto field_error = [&](const char* what, std::size_t field) {
    if (error_.empty()) error_ = std::string(what) + " in field " + std::to_string(field);
  };

  while (true) {  // one field per iteration
    if (quoting_ && p < e && *p == '"') {
      const char* q = p + 1;
      const char* seg = q;
      const std::size_t scratch_off = scratch_.size();
      bool escaped = false;
      const char* close = nullptr;
      while (true) {
        const char* f = static_cast<const char*>(std::memchr(q, '"', static_cast<std::size_t>(e - q)));
        if (!f) break;
        if (f + 1 == e && !eof_) return Scan::kNeedMore;  // "" may straddle the block end
        if (f + 1 < e && f[1] == '"') {
          scratch_.append(seg, static_cast<std::size_t>(f + 1 - seg));
          escaped = true;
          q = seg = f + 2;
          continue;
        }
        close = f;
        break;
      }
      if (!close) {  // unterminated: at end of input the record runs to the end
        if (!eof_) return Scan::kNeedMore;
        if (error_.empty()) error_ = "unterminated quoted field at end of file";
        close = e;
      }
      newlines += CountNewlines(p + 1, close);
      if (escaped) {
        scratch_.append(seg, static_cast<std::size_t>(close - seg));
        spans_.push_back({scratch_off, scratch_.size() - scratch_off, true});
      } else {
        spans_.push_back({static_cast<std::size_t>(seg - base), static_cast<std::size_t>(close - seg),
                          false});
      }
      p = close == e ? e : close + 1;
      if (p < e && *p != delim_ && *p != '\n' && *p != '\r') {
        field_error("text after closing quote", spans_.size());
        while (p < e && *p != delim_ && *p != '\n' && *p != '\r') ++p;
      }
      if (p == e) {
        if (!eof_) return Scan::kNeedMore;
        break;
      }
      if (*p == delim_) {
        ++p;
        continue;
      }
      rec_end = p;
      line_break = true;
      break;
    }
    const char* q = p;
    while (true) {
      while (q < e && !special_[static_cast<unsigned char>(*q)]) ++q;
      if (q < e && *q == '"') {  // only special while quoting
        field_error("stray quote", spans_.size() + 1);
        ++q;
        continue;
      }
      break;
    }
    spans_.push_back({static_cast<std::size_t>(p - base), static_cast<std::size_t>(q - p), false});
    if (q == e) {
      if (!eof_) return Scan::kNeedMore;
      break;
    }
    if (*q == delim_) {
      p = q + 1;
      continue;
    }
    rec_end = q;
    line_break = true;
    break;
  }
  if (line_break) {
    if (*rec_end == '\r') {
      if (rec_end + 1 == e && !eof_) return Scan::kNeedMore;  // CR LF may straddle
      next = rec_end + 1 < e && rec_end[1] == '\n' ? rec_end + 2 : rec_end + 1;
    } else {
      next = rec_end + 1;
    }
  }

  row->fields.resize(spans_.size());
  for (std::size_t i = 0; i < spans_.size(); ++i) {
    const Span& s = spans_[i];
    row->fields[i] = std::string_view((s.scratch ? scratch_.data() : base) + s.off, s.len);
  }
  row->raw = std::string_view(start, static_cast<std::size_t>(rec_end - start));
  row->line = line_;
  row->end_line = line_ + newlines;
  line_ += newlines + (line_break ? 1 : 0);
  consumed_ += static_cast<std::size_t>(next - start);
  begin_ = static_cast<std::size_t>(next - base);
  return Scan::kRecord;
}

Status CsvReader::TooLong(std::size_t line) const {
  return Status::FailedPrecondition(Where(line) + ": record longer than " +
                                    std::to_string(max_record_ >> 20) +
                                    " MiB, the limit for one record; reading stops here (is "
                                    "this the right file?)");
}

Result<bool> CsvReader::NextView(CsvRow* row) {
  if (!started_) {
    started_ = true;
    while (end_ - begin_ < 3 && !eof_) VIGIL_RETURN_IF_ERROR(Fill().status());
    if (end_ - begin_ >= 3 && std::memcmp(buf_.data() + begin_, "\xEF\xBB\xBF", 3) == 0) {
      begin_ += 3;
      consumed_ += 3;
    }
  }
  while (true) {
    if (begin_ == end_) {
      VIGIL_ASSIGN_OR_RETURN(bool more, Fill());
      if (!more) return false;
    }
    const std::size_t at_line = line_;
    if (ScanRecord(row) == Scan::kRecord) {
      if (row->raw.size() > max_record_) return TooLong(at_line);
      break;
    }
    if (end_ - begin_ > max_record_) return TooLong(line_);
    VIGIL_RETURN_IF_ERROR(Fill().status());  // at end of input the rescan completes the record
  }
  if (!error_.empty()) return Status::InvalidArgument(Where(row->line) + ": " + error_);
  return true;
}

Result<bool> CsvReader::Next(CsvRecord* rec) {
  Result<bool> got = NextView(&view_);
  if (got.ok() && !*got) {
    rec->fields.clear();
    rec->raw.clear();
    return false;
  }
  if (!got.ok() && got.status().code() != Status::Code::kInvalidArgument) return got;
  rec->fields.resize(view_.fields.size());
  for (std::size_t i = 0; i < view_.fields.size(); ++i) rec->fields[i].assign(view_.fields[i]);
  rec->raw.assign(view_.raw);
  rec->line = view_.line;
  rec->end_line = view_.end_line;
  return got;
}

}  // namespace vigil::data
