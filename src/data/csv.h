// CsvReader: a streaming RFC 4180 reader that keeps track of where each record
// came from, so that every error can name file, line and column.
//
// - Fields may be quoted with '"'; a quoted field may contain the delimiter,
//   doubled quotes ("") and line breaks (CR, LF or CRLF).
// - A record ends at an unquoted line break; a final record without a trailing
//   line break is accepted. A UTF-8 byte-order mark at the start is skipped.
// - Malformed records (a quote inside an unquoted field, text after a closing
//   quote, an unterminated quote at end of file) are returned as errors that
//   carry the record's raw text, and reading goes on with the next record, so
//   callers can quarantine the record instead of losing it.
// - With quoting off (set_quoting(false), e.g. for GDELT's tab-separated
//   exports, whose fields contain bare quotes) '"' is an ordinary character.
// Memory use is bounded by the longest record, not the file size: the file is
// read in large blocks (1 MiB and up) and scanned with memchr and a byte
// table; fields of NextView() point into that block, so reading a record
// allocates nothing once the buffers have grown to the longest record.
// A record longer than max_record_bytes() (64 MiB by default: a GED row is
// under 10 KiB) stops reading with FailedPrecondition naming file and line,
// so a hostile file (a 1 GB line, a 100 MB field) costs bounded memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace vigil::data {

// Opens `path` for binary reading; the caller fclose()s it. NotFound,
// InvalidArgument (a directory) or IoError, each naming the path.
Result<std::FILE*> OpenInputFile(const std::string& path);

struct CsvRecord {
  std::vector<std::string> fields;
  std::size_t line = 0;      // 1-based line on which the record starts
  std::size_t end_line = 0;  // line on which it ends (differs with embedded newlines)
  std::string raw;           // the record's text as read, without its final line break
};

// A record as views into the reader's buffers: valid until the next call to
// Next() or NextView(). A blank line is one empty field with an empty raw.
struct CsvRow {
  std::vector<std::string_view> fields;
  std::size_t line = 0;
  std::size_t end_line = 0;
  std::string_view raw;
};

class CsvReader {
 public:
  // Opens `path` for reading; NotFound / IoError with the path in the message.
  static Result<std::unique_ptr<CsvReader>> Open(const std::string& path, char delimiter = ',');
  // Reads from an in-memory buffer; `name` is used in messages in place of a path.
  static std::unique_ptr<CsvReader> FromString(std::string data, std::string name,
                                               char delimiter = ',');
  ~CsvReader();
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  // Reads the next record into *rec. Returns true if a record was read, false at
  // end of input, or an InvalidArgument error naming file and line for a
  // malformed record (rec->raw then holds its text; the next call continues).
  // An IoError if the file cannot be read.
  Result<bool> Next(CsvRecord* rec);
  // The same without copying: *row's views stay valid until the next call.
  Result<bool> NextView(CsvRow* row);

  // Quoting on (the default) or off (every '"' is an ordinary character).
  void set_quoting(bool on);

  static constexpr std::size_t kDefaultMaxRecordBytes = std::size_t{64} << 20;
  void set_max_record_bytes(std::size_t n) { max_record_ = n; }
  std::size_t max_record_bytes() const { return max_record_; }

  const std::string& name() const { return name_; }
  std::size_t bytes_read() const { return consumed_; }

  // "<name>:<line>" or "<name>:<line>: column '<col>'" for messages.
  std::string Where(std::size_t line, std::string_view column = {}) const;

 private:
  CsvReader(std::FILE* f, std::string data, std::string name, char delim);
  // Moves the unread bytes to the front and reads more (growing the buffer
  // when a record fills it); false at end of input.
  Result<bool> Fill();
  enum class Scan { kRecord, kNeedMore };
  Scan ScanRecord(CsvRow* row);

  struct Span {
    std::size_t off, len;
    bool scratch;  // in scratch_ (an unescaped quoted field), else in buf_
  };

  std::FILE* file_;
  std::string buf_;
  std::size_t begin_ = 0;  // first unread byte in buf_
  std::size_t end_ = 0;    // end of the data in buf_
  std::size_t consumed_ = 0;
  bool eof_ = false;
  std::string name_;
  char delim_;
  bool quoting_ = true;
  Status TooLong(std::size_t line) const;
  std::size_t line_ = 1;
  std::size_t chunk_ = std::size_t{1} << 20;  // bytes read at a time (smaller for small files)
  std::size_t max_record_ = kDefaultMaxRecordBytes;
  bool started_ = false;
  std::string error_;  // the current record's malformation, "" if none
  std::vector<Span> spans_;
  CsvRow view_;  // Next()'s row before copying
  std::string scratch_;
  unsigned char special_[256] = {};
};

}  // namespace vigil::data
