// SPEC §3.7 CSV: RFC 4180, and no cell a spreadsheet would run as a formula unless raw.
#include <doctest/doctest.h>

#include <string>

#include "support/csv_reader.hpp"
#include "util/csv.hpp"

using namespace tt;

namespace {

std::string line(std::string_view a, std::string_view b, bool protect) {
  std::string out;
  util::CsvLine(out, protect).text(a).text(b).end();
  return out;
}

}  // namespace

TEST_CASE("fields with commas, quotes and line breaks are quoted and parse back intact") {
  const std::string rice = "Rice, 50 kg \"A\" grade; lot 7, row 3";
  const std::string out = line(rice, "two\r\nlines", false);
  CHECK(out == "\"Rice, 50 kg \"\"A\"\" grade; lot 7, row 3\",\"two\r\nlines\"\r\n");
  const auto rows = test::read_csv(out);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0] == std::vector<std::string>{rice, "two\r\nlines"});
}

TEST_CASE("a cell that would run as a formula gets a leading quote, unless raw") {
  for (const char* formula : {"=1+2", "+1", "-1", "@SUM(1)", "\tx", "\rx", "=HYPERLINK(\"http://x.invalid\",\"x\")"}) {
    const auto guarded = test::read_csv(line(formula, "plain", true));
    CHECK(guarded[0][0] == std::string("'") + formula);
    CHECK(guarded[0][1] == "plain");
    const auto raw = test::read_csv(line(formula, "plain", false));
    CHECK(raw[0][0] == formula);
  }
  CHECK_FALSE(util::looks_like_formula("SB12345"));
  CHECK_FALSE(util::looks_like_formula(""));
  CHECK_FALSE(util::looks_like_formula("a=b"));
}

TEST_CASE("numbers are written plainly and empty optionals as empty cells") {
  std::string out;
  util::CsvLine(out, true)
      .number(std::int64_t{-5})
      .number(std::optional<std::int64_t>{})
      .number(12.5)
      .number(30.0)
      .text(std::optional<std::string>{})
      .end();
  CHECK(out == "-5,,12.5,30,\r\n");
}

TEST_CASE("the test reader refuses what RFC 4180 does not allow") {
  CHECK_THROWS(test::read_csv("a,b\n"));
  CHECK_THROWS(test::read_csv("\"a,b\r\n"));
  CHECK_THROWS(test::read_csv("a\"b\r\n"));
  CHECK_THROWS(test::read_csv("a,b"));
}
