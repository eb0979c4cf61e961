// A strict RFC 4180 reader for the tests: checks that exported files parse back intact, with
// CRLF line ends and quotes balanced. Throws std::runtime_error on anything else.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace tt::test {

using CsvRows = std::vector<std::vector<std::string>>;

inline CsvRows read_csv(std::string_view text) {
  CsvRows rows;
  std::vector<std::string> row;
  std::string field;
  std::size_t i = 0;
  bool quoted = false, field_started = false;
  while (i < text.size()) {
    const char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        ++i;
        if (i < text.size() && text[i] != ',' && text[i] != '\r') throw std::runtime_error("text after a closing quote");
        continue;
      }
      field += c;
      ++i;
      continue;
    }
    if (c == '"') {
      if (field_started) throw std::runtime_error("a quote inside an unquoted field");
      quoted = field_started = true;
      ++i;
    } else if (c == ',') {
      row.push_back(std::move(field));
      field.clear();
      field_started = false;
      ++i;
    } else if (c == '\r') {
      if (i + 1 >= text.size() || text[i + 1] != '\n') throw std::runtime_error("CR without LF");
      row.push_back(std::move(field));
      field.clear();
      field_started = false;
      rows.push_back(std::move(row));
      row.clear();
      i += 2;
    } else if (c == '\n') {
      throw std::runtime_error("LF without CR");
    } else {
      field += c;
      field_started = true;
      ++i;
    }
  }
  if (quoted) throw std::runtime_error("unbalanced quotes");
  if (field_started || !row.empty()) throw std::runtime_error("the last line has no CRLF");
  return rows;
}

}  // namespace tt::test
