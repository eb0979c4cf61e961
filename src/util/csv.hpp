// CSV as SPEC §3.7 writes it: RFC 4180 (UTF-8, CRLF line ends, a field quoted when it holds a
// comma, a quote, CR or LF, quotes doubled inside). For people opening the file in a spreadsheet, a
// text cell that would run as a formula (first character =, +, -, @, tab or CR) is written with a
// leading ' unless raw output is asked for (a machine round trip; the importer accepts both).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tt::util {

class CsvLine {
 public:
  // `protect_formulas`: false for raw output.
  CsvLine(std::string& out, bool protect_formulas) : out_(out), protect_(protect_formulas) {}

  CsvLine& text(std::string_view value);
  CsvLine& text(const std::string& value) { return text(std::string_view(value)); }
  CsvLine& text(const char* value) { return text(std::string_view(value)); }
  CsvLine& text(const std::optional<std::string>& value);  // none: an empty cell
  CsvLine& number(std::int64_t value);
  CsvLine& number(std::optional<std::int64_t> value);
  CsvLine& number(double value);  // up to 3 decimals, no trailing zeros ("12.5")
  // Ends the line with CRLF.
  void end();

 private:
  void separator();
  std::string& out_;
  bool protect_;
  bool first_ = true;
};

// True when a spreadsheet would read the text as a formula.
bool looks_like_formula(std::string_view value) noexcept;

}  // namespace tt::util
