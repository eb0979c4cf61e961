// User names, passwords, e-mail addresses and area names (SPEC §3.9).
#include <doctest/doctest.h>

#include <string>

#include "domain/user_rules.hpp"

using namespace tt::domain;

TEST_CASE("user rules: user names are trimmed and lower-cased, so comparisons ignore case") {
  CHECK(normalise_username("  Asha.K ") == "asha.k");
  CHECK(normalise_username("ADMIN") == "admin");
  CHECK(normalise_username("") == "");
}

TEST_CASE("user rules: a user name has 3 to 32 characters of [a-z0-9._-]") {
  CHECK_FALSE(validate_username("abc"));
  CHECK_FALSE(validate_username("dispatcher_01.lko-2"));
  CHECK_FALSE(validate_username(std::string(32, 'a')));
  CHECK(validate_username("ab"));
  CHECK(validate_username(std::string(33, 'a')));
  CHECK(validate_username(""));
  CHECK(validate_username("with space"));
  CHECK(validate_username("Upper"));  // expects the normalised form
  CHECK(validate_username("a@b.c"));
  CHECK(validate_username("r\xc3\xa4m"));  // non-ASCII
  CHECK(validate_username(std::string("ab\0c", 4)));
}

TEST_CASE("user rules: a password has 10 to 256 characters and no NUL") {
  CHECK(validate_password("123456789"));
  CHECK_FALSE(validate_password("1234567890"));
  CHECK_FALSE(validate_password(std::string(256, 'x')));
  CHECK(validate_password(std::string(257, 'x')));
  CHECK(validate_password(std::string("abcdefghij\0k", 12)));
  CHECK_FALSE(validate_password("pässwörd with spaces"));
  REQUIRE(validate_password("short"));
  CHECK(*validate_password("short") == "A password must be at least 10 characters long.");
}

TEST_CASE("user rules: e-mail addresses") {
  CHECK_FALSE(validate_email("asha@depot.example"));
  CHECK(validate_email(""));
  CHECK(validate_email("no-at-sign"));
  CHECK(validate_email("@depot.example"));
  CHECK(validate_email("asha@"));
  CHECK(validate_email("a@b@c"));
  CHECK(validate_email("asha @depot.example"));
  CHECK(validate_email(std::string(250, 'a') + "@b.cd"));
}

TEST_CASE("user rules: area and token names are 1 to 64 printable characters") {
  CHECK_FALSE(validate_area_name("Lucknow"));
  CHECK_FALSE(validate_area_name(std::string(64, 'L')));
  CHECK(validate_area_name(""));
  CHECK(validate_area_name(std::string(65, 'L')));
  CHECK(validate_area_name("Luck\nnow"));
  CHECK_FALSE(validate_token_name("scanner gateway"));
  CHECK(validate_token_name("tab\there"));
  CHECK(trim("  Lucknow \t") == "Lucknow");
}
