// Parent kinds (SPEC §1): prefix + an exact number of digits; defaults SB (30 kg) and M444- (15 kg).
#include <doctest/doctest.h>

#include "domain/parent_kinds.hpp"

using namespace tt::domain;

TEST_CASE("parent kinds: the defaults match SB + 5 digits and M444- + 5 digits") {
  const auto kinds = default_parent_kinds();
  const ParentKind* sb = match_parent_kind(kinds, "SB12345");
  REQUIRE(sb != nullptr);
  CHECK(sb->name == "SB");
  CHECK(sb->weight_kg == 30.0);
  const ParentKind* m = match_parent_kind(kinds, "M444-00123");
  REQUIRE(m != nullptr);
  CHECK(m->name == "M444");
  CHECK(m->weight_kg == 15.0);
}

TEST_CASE("parent kinds: anything else is a child code") {
  const auto kinds = default_parent_kinds();
  CHECK(match_parent_kind(kinds, "SB1234") == nullptr);     // 4 digits
  CHECK(match_parent_kind(kinds, "SB123456") == nullptr);   // 6 digits
  CHECK(match_parent_kind(kinds, "SB1234A") == nullptr);
  CHECK(match_parent_kind(kinds, "XSB12345") == nullptr);
  CHECK(match_parent_kind(kinds, "M44400123") == nullptr);  // no dash
  CHECK(match_parent_kind(kinds, "M444-0012") == nullptr);
  CHECK(match_parent_kind(kinds, "sb12345") == nullptr);    // expects the normalised form
  CHECK(match_parent_kind(kinds, "") == nullptr);
  CHECK(match_parent_kind(kinds, "CHILD-0001") == nullptr);
}

TEST_CASE("parent kinds: described for messages") {
  CHECK(describe_parent_kinds(default_parent_kinds()) == "SB + 5 digits or M444- + 5 digits");
  CHECK(find_parent_kind(default_parent_kinds(), "M444") != nullptr);
  CHECK(find_parent_kind(default_parent_kinds(), "XX") == nullptr);
}

TEST_CASE("parent kinds: validation") {
  CHECK_FALSE(validate_parent_kinds(default_parent_kinds()));
  CHECK(validate_parent_kinds({}));
  CHECK(validate_parent_kinds({ParentKind{"", "SB", 5, 30}}));
  CHECK(validate_parent_kinds({ParentKind{"S B", "SB", 5, 30}}));
  CHECK(validate_parent_kinds({ParentKind{"SB", "", 5, 30}}));
  CHECK(validate_parent_kinds({ParentKind{"SB", "S B", 5, 30}}));
  CHECK(validate_parent_kinds({ParentKind{"SB", "sb", 5, 30}}));
  CHECK(validate_parent_kinds({ParentKind{"SB", "SB", 0, 30}}));
  CHECK(validate_parent_kinds({ParentKind{"SB", "SB", 21, 30}}));
  CHECK(validate_parent_kinds({ParentKind{"SB", "SB", 5, -1}}));
  CHECK(validate_parent_kinds({ParentKind{"SB", "SB", 5, 30}, ParentKind{"SB", "XB", 5, 30}}));
  CHECK_FALSE(validate_parent_kinds({ParentKind{"SB", "SB", 5, 30}, ParentKind{"SB6", "SB", 6, 30}}));
}

TEST_CASE("parent kinds: two kinds that could match one code are refused") {
  auto err = validate_parent_kinds({ParentKind{"SB", "SB", 5, 30}, ParentKind{"SB1", "SB1", 4, 10}});
  REQUIRE(err);
  CHECK(*err == "Parent kinds 'SB' and 'SB1' could both match the same code.");
  CHECK(validate_parent_kinds({ParentKind{"A", "SB", 5, 30}, ParentKind{"B", "SB", 5, 10}}));
  // Same length, but the longer prefix differs by a non-digit: never ambiguous.
  CHECK_FALSE(validate_parent_kinds({ParentKind{"SB", "SB", 5, 30}, ParentKind{"SBX", "SBX", 4, 10}}));
}
