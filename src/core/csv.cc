#include "core/csv.h"

namespace vigil {

bool LooksLikeFormula(std::string_view s) {
  if (s.empty()) return false;
  switch (s.front()) {
    case '=':
    case '+':
    case '-':
    case '@':
    case '\t':
    case '\r':
      return true;
    default:
      return false;
  }
}

std::string SpreadsheetText(std::string_view s) {
  if (!LooksLikeFormula(s)) return std::string(s);
  std::string out = "'";
  out.append(s);
  return out;
}

std::string CsvField(std::string_view text) {
  const std::string s = SpreadsheetText(text);
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace vigil
