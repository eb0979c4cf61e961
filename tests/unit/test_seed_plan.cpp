// The generated data set's shape (src/seed/seed_plan) and the seed command's options.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "app/config.hpp"
#include "app/seed_command.hpp"
#include "domain/bag_code.hpp"
#include "domain/parent_kinds.hpp"
#include "seed/seed_plan.hpp"

using namespace tt;
using namespace tt::seed;

TEST_CASE("seed plan: parents alternate kinds and match the default parent patterns") {
  const auto kinds = domain::default_parent_kinds();
  CHECK(parent_code(0) == "SB00000");
  CHECK(parent_code(1) == "M444-00000");
  CHECK(parent_code(59999) == "M444-29999");
  for (int p : {0, 1, 2, 3, 12345, 59998, 59999, 199999}) {
    const auto* kind = domain::match_parent_kind(kinds, parent_code(p));
    REQUIRE(kind != nullptr);
    CHECK(kind->name == parent_kind(p));
  }
}

TEST_CASE("seed plan: child codes are valid, unique, and never parent codes") {
  SeedOptions o;
  o.parents = 40;
  o.children = 30;
  const auto kinds = domain::default_parent_kinds();
  std::set<std::string> seen;
  for (int p = 0; p < o.parents; ++p) {
    for (int c = 0; c < o.children; ++c) {
      const std::string code = child_code(o, p, c);
      CHECK(domain::normalise_code(code, "bag code").code == code);
      CHECK(domain::match_parent_kind(kinds, code) == nullptr);
      seen.insert(code);
    }
  }
  CHECK(seen.size() == 40u * 30u);
  SeedOptions big;  // the default data set: 1.8 million children still fit the seven digits
  CHECK(child_code(big, big.parents - 1, big.children - 1) == "CS1799999");
}

TEST_CASE("seed plan: each area owns one block of parent numbers, of both kinds") {
  SeedOptions o;  // 60,000 parents, 5 areas
  CHECK(parent_numbers_of_area(o, 0) == std::pair{0, 5999});
  CHECK(parent_numbers_of_area(o, 4) == std::pair{24000, 29999});
  for (int area = 0; area < o.areas; ++area) {
    const auto [lo, hi] = parent_numbers_of_area(o, area);
    CHECK(area_of_parent(o, 2 * lo) == area);      // SB<lo>
    CHECK(area_of_parent(o, 2 * lo + 1) == area);  // M444-<lo>
    CHECK(area_of_parent(o, 2 * hi + 1) == area);
  }
  SeedOptions odd;  // blocks that do not divide evenly still cover every number once
  odd.parents = 14;
  odd.areas = 3;
  int covered = 0;
  for (int area = 0; area < odd.areas; ++area) {
    const auto [lo, hi] = parent_numbers_of_area(odd, area);
    for (int n = lo; n <= hi; ++n) CHECK(area_of_parent(odd, 2 * n) == area);
    covered += hi - lo + 1;
  }
  CHECK(covered == 7);
}

TEST_CASE("seed plan: history runs forward in time and ends before its end") {
  SeedOptions o;
  const std::int64_t end = 1800000000000000;
  CHECK(parent_time(o, 0, end) == end - 30LL * 86400 * 1000000);
  for (int p : {0, 1, 500, 59999}) {
    CHECK(parent_time(o, p, end) < child_time(o, p, 0, end));
    CHECK(child_time(o, p, 0, end) < child_time(o, p, 29, end));
    CHECK(child_time(o, p, 29, end) < parent_time(o, p + 1, end));
  }
  CHECK(child_time(o, o.parents - 1, o.children - 1, end) < end);
}

TEST_CASE("seed plan: bills take consecutive parents of one area; the oldest are completed") {
  SeedOptions o;  // 2,000 bills of 20 parents
  CHECK(first_parent_of_bill(o, 0) == 0);
  CHECK(end_parent_of_bill(o, 1999) == 40000);
  for (int b : {0, 599, 600, 1999}) {
    CHECK(area_of_parent(o, first_parent_of_bill(o, b)) == area_of_parent(o, end_parent_of_bill(o, b) - 1));
  }
  CHECK(bill_completed(o, 0));
  CHECK(bill_completed(o, 1799));
  CHECK_FALSE(bill_completed(o, 1800));
  CHECK(bill_code(0) == "BILL-000001");
}

TEST_CASE("seed options: defaults, both option forms, and refusals") {
  const auto d = app::parse_seed_options({});
  CHECK(d.parents == 60000);
  CHECK(d.children == 30);
  CHECK(d.areas == 5);
  CHECK(d.bills == 2000);
  const auto o = app::parse_seed_options({"--parents", "200", "--children=3", "--bills", "4", "--areas=2"});
  CHECK(o.parents == 200);
  CHECK(o.children == 3);
  CHECK(o.bills == 4);
  CHECK(o.areas == 2);
  CHECK_THROWS_AS(app::parse_seed_options({"--parents", "201"}), app::ConfigError);  // odd
  CHECK_THROWS_AS(app::parse_seed_options({"--children", "31"}), app::ConfigError);  // over capacity
  CHECK_THROWS_AS(app::parse_seed_options({"--parents", "12x"}), app::ConfigError);
  CHECK_THROWS_AS(app::parse_seed_options({"--parents"}), app::ConfigError);
  CHECK_THROWS_AS(app::parse_seed_options({"--colour", "red"}), app::ConfigError);
  CHECK_THROWS_AS(app::parse_seed_options({"--parents", "100", "--bills", "6"}), app::ConfigError);  // 120 > 100
}

TEST_CASE("seed plan: a bill belongs to its parents' area and is made after they were filled") {
  SeedOptions o;
  const std::int64_t end = 1800000000000000;
  CHECK(area_of_bill(o, 599) == 0);
  CHECK(area_of_bill(o, 600) == 1);
  const int last = end_parent_of_bill(o, 7) - 1;
  CHECK(bill_created_at(o, 7, end) > child_time(o, last, o.children - 1, end));
  CHECK(bill_created_at(o, 1999, end) <= end);
}
