// Writing CSV and spreadsheet cells that are safe to open.
//
// A spreadsheet (Excel, LibreOffice, Google Sheets) runs a cell whose text
// begins with '=', '+', '-' or '@' as a formula, and tab or carriage return
// before them are skipped; a field of an event file or a case written by
// someone else could then run commands or leak data when a colleague opens
// an export (OWASP "CSV Injection"). Every *text* cell vigil exports goes
// through SpreadsheetText, which prefixes such text with a single quote
// (shown as text, not run). Numbers are written as numbers, never through
// these functions, so they stay numbers.
#pragma once

#include <string>
#include <string_view>

namespace vigil {

// True when a spreadsheet would evaluate `s` as a formula: it begins with
// '=', '+', '-', '@', tab or carriage return.
bool LooksLikeFormula(std::string_view s);

// `s`, with a leading "'" when LooksLikeFormula(s): for text cells of CSV
// and XLSX exports.
std::string SpreadsheetText(std::string_view s);

// One CSV text field: SpreadsheetText, then as RFC 4180 writes it: as is,
// unless it holds a comma, double quote, CR or LF; then in double quotes,
// with quotes doubled.
std::string CsvField(std::string_view s);

}  // namespace vigil
