// Reading CSV files that people bring (SPEC §3.7 import): RFC 4180 cells, with what spreadsheets
// and other systems actually write accepted too — a UTF-8 byte order mark, LF or CRLF line ends,
// blank lines, a last line without its line end. Anything else is refused with the line it is on,
// so that a bad file changes nothing and the person knows where to look: an unclosed quote, text
// after a closing quote, a line longer than the limit, bytes that are not UTF-8 text (binary
// junk, NUL, other control characters).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace tt::util {

// A file that is not CSV text; what() names the line ("Line 7: a quoted cell is not closed.").
class CsvError : public std::runtime_error {
 public:
  CsvError(std::int64_t line, const std::string& message);
  std::int64_t line() const noexcept { return line_; }

 private:
  std::int64_t line_;
};

struct CsvRecord {
  std::int64_t line = 0;            // 1-based line of the file where the record starts
  std::vector<std::string> cells;
};

// Reads the records of `text` one at a time; blank lines are skipped. `max_line_bytes` bounds a
// record (a quoted cell may span lines): a file with longer records is not what the reader was
// given to read, and refusing it early bounds memory.
class CsvReader {
 public:
  CsvReader(std::string_view text, std::size_t max_line_bytes);

  // The next record, or nothing at the end of the file. Throws CsvError.
  std::optional<CsvRecord> next();

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
  std::int64_t line_ = 1;
  std::size_t max_line_;
};

// Throws CsvError naming the first line that holds bytes that are not UTF-8 text: invalid UTF-8,
// NUL or a control character other than tab, CR and LF.
void require_utf8_text(std::string_view text);

// A cell as written by a CsvLine that guards formulas: "'=1+2" reads back as "=1+2". A cell that
// does not start with ' followed by a formula's first character is returned as it is, so raw
// and guarded files read the same.
std::string_view unguard_formula(std::string_view cell) noexcept;

}  // namespace tt::util
