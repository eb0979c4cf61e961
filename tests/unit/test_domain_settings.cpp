// Bag settings (SPEC "(setting)" values): defaults, loading from stored JSON, validation.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "domain/settings.hpp"

using namespace tt::domain;
using nlohmann::json;

TEST_CASE("settings: defaults") {
  Settings s;
  CHECK(s.parent_capacity == 30);
  CHECK(s.child_weight_kg == 1.0);
  REQUIRE(s.parent_kinds.size() == 2);
  CHECK(s.kind_weight("SB") == 30.0);
  CHECK(s.kind_weight("M444") == 15.0);
  CHECK(s.kind_weight("GONE") == 0.0);
}

TEST_CASE("settings: stored values replace the defaults") {
  std::map<std::string, std::string, std::less<>> stored{
      {"parent_capacity", "40"},
      {"child_weight_kg", "1.5"},
      {"parent_kinds", R"([{"name":"big","prefix":"bg","digits":3,"weight_kg":50}])"},
      {"session_idle_minutes", "5"}};
  Settings s = settings_from(stored);
  CHECK(s.parent_capacity == 40);
  CHECK(s.child_weight_kg == 1.5);
  REQUIRE(s.parent_kinds.size() == 1);
  CHECK(s.parent_kinds[0].name == "BIG");
  CHECK(s.parent_kinds[0].prefix == "BG");
  CHECK(match_parent_kind(s.parent_kinds, "BG123") != nullptr);
}

TEST_CASE("settings: unusable stored values fall back to the defaults") {
  std::map<std::string, std::string, std::less<>> stored{
      {"parent_capacity", "\"lots\""}, {"child_weight_kg", "-1"}, {"parent_kinds", "not json"}};
  Settings s = settings_from(stored);
  CHECK(s.parent_capacity == 30);
  CHECK(s.child_weight_kg == 1.0);
  CHECK(s.parent_kinds.size() == 2);
}

TEST_CASE("settings: capacity is a whole number from 1 to 1000") {
  CHECK_FALSE(validate_parent_capacity_json(json(1)));
  CHECK_FALSE(validate_parent_capacity_json(json(1000)));
  CHECK_FALSE(validate_parent_capacity_json(json(30.0)));
  CHECK(validate_parent_capacity_json(json(0)));
  CHECK(validate_parent_capacity_json(json(1001)));
  CHECK(validate_parent_capacity_json(json(2.5)));
  CHECK(validate_parent_capacity_json(json("30")));
  CHECK(validate_parent_capacity_json(json(nullptr)));
  CHECK(validate_parent_capacity_json(json::array()));
}

TEST_CASE("settings: child weight is a positive number") {
  CHECK_FALSE(validate_child_weight_json(json(0.25)));
  CHECK_FALSE(validate_child_weight_json(json(1)));
  CHECK(validate_child_weight_json(json(0)));
  CHECK(validate_child_weight_json(json(-1)));
  CHECK(validate_child_weight_json(json("1")));
  CHECK(validate_child_weight_json(json(true)));
}

TEST_CASE("settings: parent kinds as JSON") {
  CHECK_FALSE(validate_parent_kinds_json(parent_kinds_json(default_parent_kinds())));
  CHECK(validate_parent_kinds_json(json::object()));
  CHECK(validate_parent_kinds_json(json::array()));
  CHECK(validate_parent_kinds_json(json::array({1})));
  CHECK(validate_parent_kinds_json(json::parse(R"([{"name":"SB","prefix":"SB","digits":"5","weight_kg":30}])")));
  CHECK(validate_parent_kinds_json(json::parse(R"([{"name":"SB","prefix":"SB","digits":5}])")));
  CHECK(validate_parent_kinds_json(json::parse(R"([{"name":"SB","prefix":"SB","digits":5.5,"weight_kg":1}])")));
  auto extra = validate_parent_kinds_json(
      json::parse(R"([{"name":"SB","prefix":"SB","digits":5,"weight_kg":30,"colour":"red"}])"));
  REQUIRE(extra);
  CHECK(*extra == "A parent kind has no field 'colour'.");
}
