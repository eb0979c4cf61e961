#include "util/csv_reader.hpp"

#include "util/csv.hpp"

namespace tt::util {

namespace {

std::string where(std::int64_t line) { return "Line " + std::to_string(line) + ": "; }

// The length of the UTF-8 sequence starting at s[i], or 0 when it is not valid UTF-8 (overlong
// forms, surrogates and code points above U+10FFFF included).
std::size_t utf8_length(std::string_view s, std::size_t i) noexcept {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const unsigned char c = b(0);
  if (c < 0x80) return 1;
  std::size_t n = 0;
  unsigned lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) n = 2;
  else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  if (b(1) < lo || b(1) > hi) return 0;
  for (std::size_t k = 2; k < n; ++k) {
    if (b(k) < 0x80 || b(k) > 0xBF) return 0;
  }
  return n;
}

}  // namespace

CsvError::CsvError(std::int64_t line, const std::string& message) : std::runtime_error(where(line) + message), line_(line) {}

void require_utf8_text(std::string_view text) {
  std::int64_t line = 1;
  for (std::size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\n') ++line;
    if (c < 0x20 && c != '\n' && c != '\r' && c != '\t') {
      throw CsvError(line, c == 0 ? "the file holds a NUL byte: it is not a text file."
                                  : "the file holds a control character: it is not a text file.");
    }
    const std::size_t n = utf8_length(text, i);
    if (n == 0) throw CsvError(line, "the file is not UTF-8 text (save it from the spreadsheet as \"CSV UTF-8\").");
    i += n;
  }
}

std::string_view unguard_formula(std::string_view cell) noexcept {
  if (cell.size() >= 2 && cell[0] == '\'' && looks_like_formula(cell.substr(1))) return cell.substr(1);
  return cell;
}

CsvReader::CsvReader(std::string_view text, std::size_t max_line_bytes) : text_(text), max_line_(max_line_bytes) {
  if (text_.starts_with("\xEF\xBB\xBF")) pos_ = 3;
}

std::optional<CsvRecord> CsvReader::next() {
  // Blank lines (nothing but a line end) are not records.
  while (pos_ < text_.size() && (text_[pos_] == '\n' || text_.substr(pos_).starts_with("\r\n"))) {
    pos_ += text_[pos_] == '\n' ? 1 : 2;
    ++line_;
  }
  if (pos_ >= text_.size()) return std::nullopt;
  CsvRecord rec;
  rec.line = line_;
  const std::size_t start = pos_;
  std::string cell;
  bool quoted = false;      // inside quotes
  bool was_quoted = false;  // the cell had quotes, which have closed
  for (;;) {
    if (pos_ - start > max_line_) {
      throw CsvError(rec.line, "the line is longer than " + std::to_string(max_line_) +
                                   " bytes: this is not a list of bag codes.");
    }
    if (pos_ >= text_.size()) {
      if (quoted) throw CsvError(rec.line, "a quoted cell is not closed (a \" is missing).");
      rec.cells.push_back(std::move(cell));
      return rec;
    }
    const char c = text_[pos_];
    if (quoted) {
      ++pos_;
      if (c == '"') {
        if (pos_ < text_.size() && text_[pos_] == '"') {
          cell += '"';
          ++pos_;
        } else {
          quoted = false;
          was_quoted = true;
        }
      } else {
        if (c == '\n') ++line_;
        cell += c;
      }
      continue;
    }
    if (c == ',') {
      rec.cells.push_back(std::move(cell));
      cell.clear();
      was_quoted = false;
      ++pos_;
      continue;
    }
    if (c == '\n' || (c == '\r' && text_.substr(pos_).starts_with("\r\n"))) {
      pos_ += c == '\n' ? 1 : 2;
      ++line_;
      rec.cells.push_back(std::move(cell));
      return rec;
    }
    if (was_quoted) throw CsvError(rec.line, "there is text after the closing quote of a cell.");
    if (c == '"') {
      if (!cell.empty()) throw CsvError(rec.line, "a quote stands inside an unquoted cell (quote the whole cell).");
      quoted = true;
      ++pos_;
      continue;
    }
    if (c == '\r') throw CsvError(rec.line, "a CR stands alone inside the line.");
    cell += c;
    ++pos_;
  }
}

}  // namespace tt::util
