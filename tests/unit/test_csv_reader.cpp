// The import file reader (util/csv_reader, SPEC §3.7): what spreadsheets write is read; what is not
// CSV text is refused with its line.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "util/csv_reader.hpp"

using namespace tt::util;

namespace {

std::vector<std::vector<std::string>> read_all(std::string_view text, std::size_t max_line = 4096) {
  CsvReader reader(text, max_line);
  std::vector<std::vector<std::string>> out;
  while (auto r = reader.next()) out.push_back(r->cells);
  return out;
}

std::string error_of(std::string_view text, std::size_t max_line = 4096) {
  try {
    require_utf8_text(text);
    read_all(text, max_line);
  } catch (const CsvError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("csv reader: quoted cells, doubled quotes, line ends inside quotes, BOM, LF and CRLF") {
  const auto rows = read_all("\xEF\xBB\xBF" "a,\"b,c\",\"say \"\"hi\"\"\"\r\n\"two\r\nlines\",,x\nlast,line");
  REQUIRE(rows.size() == 3);
  CHECK(rows[0] == std::vector<std::string>{"a", "b,c", "say \"hi\""});
  CHECK(rows[1] == std::vector<std::string>{"two\r\nlines", "", "x"});
  CHECK(rows[2] == std::vector<std::string>{"last", "line"});
}

TEST_CASE("csv reader: blank lines are skipped and line numbers stay those of the file") {
  CsvReader reader("h\r\n\r\n\n\"a\nb\"\n\nc\n", 100);
  CHECK(reader.next()->line == 1);
  CHECK(reader.next()->line == 4);
  CHECK(reader.next()->line == 7);
  CHECK_FALSE(reader.next());
}

TEST_CASE("csv reader: faults name their line") {
  CHECK(error_of("a\r\n\"b\r\n") == "Line 2: a quoted cell is not closed (a \" is missing).");
  CHECK(error_of("a\r\nb\"c\r\n") == "Line 2: a quote stands inside an unquoted cell (quote the whole cell).");
  CHECK(error_of("a\r\n\"b\"c\r\n") == "Line 2: there is text after the closing quote of a cell.");
  CHECK(error_of("a\rb\n") == "Line 1: a CR stands alone inside the line.");
  CHECK(error_of("ok\r\n" + std::string(50, 'x') + "\r\n", 20) ==
        "Line 2: the line is longer than 20 bytes: this is not a list of bag codes.");
  CHECK(error_of(std::string("a\nb\n\0c", 6)) == "Line 3: the file holds a NUL byte: it is not a text file.");
  CHECK(error_of("a\n\x07\n") == "Line 2: the file holds a control character: it is not a text file.");
  CHECK(error_of("a\nb\xC3\x28\n").starts_with("Line 2: the file is not UTF-8 text"));
  CHECK(error_of("\xED\xA0\x80").starts_with("Line 1: the file is not UTF-8 text"));  // a surrogate
  CHECK(error_of("\xC0\xAF").starts_with("Line 1: the file is not UTF-8 text"));      // overlong
  CHECK(error_of("caf\xC3\xA9, \xE2\x82\xAC, \xF0\x9F\x93\xA6\n").empty());           // é, €, a package
}

TEST_CASE("csv reader: a guarded formula reads back as its raw value") {
  CHECK(unguard_formula("'=1+2") == "=1+2");
  CHECK(unguard_formula("'@SUM(1)") == "@SUM(1)");
  CHECK(unguard_formula("'-5") == "-5");
  CHECK(unguard_formula("'plain") == "'plain");
  CHECK(unguard_formula("'") == "'");
  CHECK(unguard_formula("=1+2") == "=1+2");
}
