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
// Memory use is bounded by the longest record, not the file size.
#pragma once

#include <cstddef>
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

class CsvReader {
 public:
  // Opens `path` for reading; NotFound / IoError with the path in the message.
  static Result<std::unique_ptr<CsvReader>> Open(const std::string& path, char delimiter = ',');
  // Reads from an in-memory buffer; `name` is used in messages in place of a path.
  static std::unique_ptr<CsvReader> FromString(std::string data, std::string name,
                                               char delimiter = ',');
  ~CsvReader();

  // Reads the next record into *rec. Returns true if a record was read, false at
  // end of input, or an InvalidArgument error naming file and line for a
  // malformed record (rec->raw then holds its text; the next call continues).
  Result<bool> Next(CsvRecord* rec);

  const std::string& name() const { return name_; }
  std::size_t bytes_read() const { return consumed_; }

  // "<name>:<line>" or "<name>:<line>: column '<col>'" for messages.
  std::string Where(std::size_t line, std::string_view column = {}) const;

 private:
  CsvReader(std::FILE* f, std::string data, std::string name, char delim);
  bool Fill();  // refills buf_; false at end of input
  int Peek();
  int Get();

  std::FILE* file_;
  std::string buf_;
  std::size_t pos_ = 0;
  std::size_t consumed_ = 0;
  bool eof_ = false;
  std::string name_;
  char delim_;
  std::size_t line_ = 1;
  bool started_ = false;
};

}  // namespace vigil::data
