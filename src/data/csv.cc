#include "data/csv.h"

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace vigil::data {

namespace {
constexpr std::size_t kChunk = 1 << 20;
}

CsvReader::CsvReader(std::FILE* f, std::string data, std::string name, char delim)
    : file_(f), buf_(std::move(data)), name_(std::move(name)), delim_(delim) {
  if (!file_) eof_ = true;
}

CsvReader::~CsvReader() {
  if (file_) std::fclose(file_);
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
  return std::unique_ptr<CsvReader>(new CsvReader(f, "", path, delimiter));
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

bool CsvReader::Fill() {
  if (eof_) return false;
  buf_.erase(0, pos_);
  pos_ = 0;
  std::size_t old = buf_.size();
  buf_.resize(old + kChunk);
  std::size_t n = std::fread(buf_.data() + old, 1, kChunk, file_);
  buf_.resize(old + n);
  if (n == 0) eof_ = true;
  return n > 0;
}

int CsvReader::Peek() {
  if (pos_ >= buf_.size() && !Fill()) return EOF;
  return static_cast<unsigned char>(buf_[pos_]);
}

int CsvReader::Get() {
  int c = Peek();
  if (c != EOF) {
    ++pos_;
    ++consumed_;
  }
  return c;
}

Result<bool> CsvReader::Next(CsvRecord* rec) {
  rec->fields.clear();
  rec->raw.clear();
  if (!started_) {
    started_ = true;
    if (Peek() == 0xEF) {  // UTF-8 BOM
      std::string bom;
      for (int i = 0; i < 3 && Peek() != EOF; ++i) bom.push_back(static_cast<char>(Get()));
      if (bom != "\xEF\xBB\xBF") rec->raw = bom;  // not a BOM: keep the bytes
    }
  }
  if (Peek() == EOF && rec->raw.empty()) return false;

  rec->line = line_;
  std::string field = rec->raw;  // bytes kept from a false BOM start the first field
  std::string error;
  bool in_quotes = false;
  bool was_quoted = false;
  bool after_quote = false;  // a quoted field has closed; only a delimiter or EOL may follow

  auto end_field = [&]() {
    rec->fields.push_back(std::move(field));
    field.clear();
    was_quoted = after_quote = false;
  };

  while (true) {
    int c = Get();
    if (c == EOF) {
      if (in_quotes && error.empty()) error = "unterminated quoted field at end of file";
      break;
    }
    char ch = static_cast<char>(c);
    if (in_quotes) {
      rec->raw.push_back(ch);
      if (ch == '"') {
        if (Peek() == '"') {
          rec->raw.push_back(static_cast<char>(Get()));
          field.push_back('"');
        } else {
          in_quotes = false;
          after_quote = true;
        }
      } else {
        if (ch == '\n') ++line_;
        field.push_back(ch);
      }
      continue;
    }
    if (ch == '\n' || ch == '\r') {
      if (ch == '\r' && Peek() == '\n') Get();
      ++line_;
      break;
    }
    rec->raw.push_back(ch);
    if (ch == delim_) {
      end_field();
    } else if (ch == '"') {
      if (field.empty() && !was_quoted && !after_quote) {
        in_quotes = was_quoted = true;
      } else if (error.empty()) {
        error = "stray quote in field " + std::to_string(rec->fields.size() + 1);
      }
    } else {
      if (after_quote && error.empty()) {
        error = "text after closing quote in field " + std::to_string(rec->fields.size() + 1);
      }
      field.push_back(ch);
    }
  }
  end_field();
  rec->end_line = line_ - 1 >= rec->line ? line_ - 1 : rec->line;
  if (!error.empty()) {
    return Status::InvalidArgument(Where(rec->line) + ": " + error);
  }
  return true;
}

}  // namespace vigil::data
