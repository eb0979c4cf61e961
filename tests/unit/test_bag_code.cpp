// Bag codes (SPEC §1): trimmed, upper-cased, 1-64 printable ASCII characters, no whitespace.
#include <doctest/doctest.h>

#include <string>

#include "domain/bag_code.hpp"

using namespace tt::domain;

TEST_CASE("bag code: trimmed and upper-cased") {
  CHECK(normalise_code("sb12345").code == "SB12345");
  CHECK(normalise_code("  Ch-0001\r\n").code == "CH-0001");
  CHECK(normalise_code("\tm444-00123 ").code == "M444-00123");
  CHECK(normalise_code("a").ok());
  CHECK(normalise_code("!#$%&'()*+,-./:;<=>?@[\\]^_`{|}~").ok());
}

TEST_CASE("bag code: 64 characters is the limit") {
  const std::string max(64, 'a');
  auto ok = normalise_code(max);
  CHECK(ok.ok());
  CHECK(ok.code == std::string(64, 'A'));
  // Surrounding whitespace does not count.
  CHECK(normalise_code("  " + max + "\n").ok());
  auto too_long = normalise_code(std::string(65, 'a'));
  CHECK_FALSE(too_long.ok());
  CHECK(too_long.error == "The bag code is too long: at most 64 characters, this one has 65.");
}

TEST_CASE("bag code: empty or only whitespace is refused") {
  CHECK(normalise_code("").error == "The bag code is empty: scan or type a code.");
  CHECK_FALSE(normalise_code(" \t\r\n").ok());
  CHECK(normalise_code("", "parent code").error == "The parent code is empty: scan or type a code.");
}

TEST_CASE("bag code: inner whitespace, control characters and non-ASCII bytes are refused") {
  CHECK(normalise_code("SB 12345").error == "The bag code contains whitespace; a code is a single word.");
  CHECK_FALSE(normalise_code("SB\t12345").ok());
  CHECK(normalise_code(std::string("SB\0" "12", 5)).error == "The bag code contains a control character.");
  CHECK_FALSE(normalise_code("SB\x1b[0m").ok());
  CHECK_FALSE(normalise_code("SB\x7f").ok());
  auto accented = normalise_code("CAF\xc3\x89");
  CHECK_FALSE(accented.ok());
  CHECK(accented.error.find("not plain ASCII") != std::string::npos);
  CHECK_FALSE(normalise_code("\xff\xfe").ok());
}

TEST_CASE("bag code: invalid input is rendered printable for the scan log") {
  CHECK(printable_for_log("SB1") == "SB1");
  CHECK(printable_for_log("A\nB\xc3\x89") == "A\\x0AB\\xC3\\x89");
  CHECK(printable_for_log("a\\b") == "a\\x5Cb");
  CHECK(printable_for_log(std::string(300, 'x'), 100) == std::string(100, 'x') + "...");
}

TEST_CASE("bag code: prefix upper bound for range search") {
  CHECK(prefix_upper_bound("SB1") == "SB2");
  CHECK(prefix_upper_bound("SB~") == "SB\x7f");
  CHECK(prefix_upper_bound("") == "");
  // Every code starting with the prefix lies in [prefix, upper).
  for (std::string code : {"SB1", "SB10000", "SB1~~~", "SB1!"}) {
    CHECK(code >= std::string("SB1"));
    CHECK(code < prefix_upper_bound("SB1"));
  }
  CHECK_FALSE(std::string("SB2") < prefix_upper_bound("SB1"));
}

TEST_CASE("bag code: JSON string writer escapes what JSON requires") {
  std::string out;
  append_json_string(out, "SB\"1\\2\n\x01");
  CHECK(out == "\"SB\\\"1\\\\2\\n\\u0001\"");
}
