// Validation of the migration file names of one dialect folder.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "storage/migrations.hpp"
#include "util/embedded.hpp"

using tt::storage::MigrationError;
using tt::storage::parse_migration_names;

TEST_CASE("migration names: versions in order, whatever the listing order") {
  const auto parsed = parse_migration_names({"0003_returns.sql", "0001_initial.sql", "0002_bill_events.sql"});
  REQUIRE(parsed.size() == 3);
  CHECK(parsed[0].version == 1);
  CHECK(parsed[0].file_name == "0001_initial.sql");
  CHECK(parsed[1].version == 2);
  CHECK(parsed[2].version == 3);
  CHECK(parsed[2].file_name == "0003_returns.sql");
}

TEST_CASE("migration names: an empty folder has no versions") { CHECK(parse_migration_names({}).empty()); }

TEST_CASE("migration names: a gap is refused, naming the missing version") {
  CHECK_THROWS_WITH_AS(parse_migration_names({"0001_initial.sql", "0003_returns.sql"}),
                       "migration version 2 is missing (next is 0003_returns.sql)", MigrationError);
  CHECK_THROWS_WITH_AS(parse_migration_names({"0002_bill_events.sql"}),
                       "migration version 1 is missing (next is 0002_bill_events.sql)", MigrationError);
}

TEST_CASE("migration names: two files with one version are refused") {
  CHECK_THROWS_WITH_AS(parse_migration_names({"0001_initial.sql", "0002_a.sql", "0002_b.sql"}),
                       "migrations 0002_a.sql and 0002_b.sql have the same version", MigrationError);
  CHECK_THROWS_AS(parse_migration_names({"0001_initial.sql", "001_initial_again.sql"}), MigrationError);
}

TEST_CASE("migration names: names outside NNNN_description.sql are refused") {
  for (const std::string bad : {"initial.sql", "0001_initial.SQL", "0001_initial.sql.bak", "0001-initial.sql",
                                "0001_.sql", "_initial.sql", "0001_Initial.sql", "0001_in itial.sql",
                                "0000_zero.sql", "12345678_too_long.sql", "00a1_x.sql", "README.md"}) {
    INFO(bad);
    CHECK_THROWS_AS(parse_migration_names({bad}), MigrationError);
  }
}

TEST_CASE("migration names: the files built into this binary are valid for both dialects") {
  for (const std::string dialect : {"sqlite/", "postgres/"}) {
    std::vector<std::string> names;
    for (const auto& f : tt::embedded::migration_files()) {
      if (f.name.starts_with(dialect)) names.emplace_back(f.name.substr(dialect.size()));
    }
    INFO(dialect);
    CHECK_FALSE(names.empty());
    CHECK_NOTHROW(parse_migration_names(names));
  }
}
