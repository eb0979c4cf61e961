// Migrations on a fresh database, on an up-to-date one, concurrently, refusal of a database
// written by a newer release, and the rows a rebuilt table keeps.
#include <doctest/doctest.h>

#include <algorithm>
#include <numeric>
#include <string>

#include "storage/migrations.hpp"
#include "support/storage_helpers.hpp"
#include "support/test_db.hpp"
#include "util/embedded.hpp"

using namespace tt;
using namespace tt::test;
using storage::MigrationError;
using storage::MigrationReport;
using storage::Rows;

namespace {

// Newest schema version compiled into this binary for the dialect under test.
int newest_version(storage::Dialect dialect) {
  const std::string prefix = dialect == storage::Dialect::sqlite ? "sqlite/" : "postgres/";
  std::vector<std::string> names;
  for (const auto& f : embedded::migration_files()) {
    if (f.name.starts_with(prefix)) names.emplace_back(f.name.substr(prefix.size()));
  }
  return storage::parse_migration_names(names).back().version;
}

std::vector<int> one_to(int n) {
  std::vector<int> v(static_cast<std::size_t>(n));
  std::iota(v.begin(), v.end(), 1);
  return v;
}

asio::awaitable<std::string> site_uid(Database& db) {
  co_return co_await db.read([](Tx& tx) -> asio::awaitable<std::string> {
    Rows rows = co_await tx.query("SELECT uid FROM site");
    REQUIRE(rows.size() == 1);
    co_return rows[0].text(0);
  });
}

}  // namespace

TEST_CASE("migrations: a fresh database is brought to the newest schema") {
  auto db = open_test_database(Schema::empty);
  const int newest = newest_version(db->dialect());
  REQUIRE(newest >= 1);

  const MigrationReport report = run_sync(storage::migrate(*db));
  CHECK(report.from_version == 0);
  CHECK(report.to_version == newest);
  CHECK(report.applied == one_to(newest));

  Rows recorded = run_sync(db->read([](Tx& tx) -> asio::awaitable<Rows> {
    co_return co_await tx.query("SELECT version, name, applied_at FROM schema_migrations ORDER BY version");
  }));
  REQUIRE(recorded.size() == static_cast<std::size_t>(newest));
  CHECK(recorded[0].i64(0) == 1);
  CHECK(recorded[0].text(1) == "0001_initial.sql");
  CHECK(recorded[0].i64(2) > some_time);

  // The schema is really there, and this installation has an identity.
  CHECK(run_sync(count_rows(*db, "bags")) == 0);
  CHECK(run_sync(site_uid(*db)).size() == 36);
}

TEST_CASE("migrations: an up-to-date database is left as it is") {
  auto db = open_test_database();  // migrated once already
  const int newest = newest_version(db->dialect());
  const std::string site = run_sync(site_uid(*db));

  const MigrationReport again = run_sync(storage::migrate(*db));
  CHECK(again.from_version == newest);
  CHECK(again.to_version == newest);
  CHECK(again.applied.empty());
  CHECK(run_sync(count_rows(*db, "schema_migrations")) == newest);
  CHECK(run_sync(site_uid(*db)) == site);
}

TEST_CASE("migrations: concurrent runs apply each version exactly once") {
  auto db = open_test_database(Schema::empty);
  const int newest = newest_version(db->dialect());
  std::vector<MigrationReport> reports(4);
  auto errors = run_sync([&]() -> asio::awaitable<std::vector<std::exception_ptr>> {
    std::vector<asio::awaitable<void>> runs;
    for (auto& r : reports) runs.push_back([](Database& d, MigrationReport& out) -> asio::awaitable<void> {
      out = co_await storage::migrate(d);
    }(*db, r));
    co_return co_await run_all(std::move(runs));
  }());
  std::vector<int> applied;
  for (std::size_t i = 0; i < reports.size(); ++i) {
    INFO("run " << i << ": " << (errors[i] ? what(errors[i]) : "ok"));
    CHECK_FALSE(errors[i]);
    CHECK(reports[i].to_version == newest);
    applied.insert(applied.end(), reports[i].applied.begin(), reports[i].applied.end());
  }
  std::sort(applied.begin(), applied.end());
  CHECK(applied == one_to(newest));
  CHECK(run_sync(count_rows(*db, "schema_migrations")) == newest);
  CHECK(run_sync(count_rows(*db, "site")) == 1);
}

TEST_CASE("migrations: a database from a newer release is refused") {
  auto db = open_test_database();
  const int newest = newest_version(db->dialect());
  const int future = newest + 4;
  run_sync(db->write(storage::job(storage::run_statement,
                                  std::string("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)"),
                                  params(future, "9999_from_the_future.sql", some_time))));

  const std::string expected = "database schema version " + std::to_string(future) +
                               " is newer than this tracetrack (knows up to " + std::to_string(newest) +
                               "): upgrade tracetrack";
  CHECK_THROWS_WITH_AS(run_sync(storage::migrate(*db)), expected.c_str(), MigrationError);
  // Nothing was touched.
  CHECK(run_sync(count_rows(*db, "schema_migrations")) == newest + 1);
}

TEST_CASE("migrations: version 10 keeps the outbox's rows and never reuses a sequence number") {
  auto db = open_test_database(Schema::empty);
  if (newest_version(db->dialect()) < 10) return;
  REQUIRE(run_sync(storage::migrate(*db, 9)).to_version == 9);
  // Three operations written by version 9, the last acknowledged and pruned: the counter is past
  // the rows left.
  auto write = [&](std::string sql) { run_sync(db->write(storage::job(storage::run_statement, std::move(sql), params()))); };
  for (int i = 1; i <= 3; ++i) {
    write("INSERT INTO sync_outbox (uid, kind, at, payload, area_id) VALUES ('op-" + std::to_string(i) +
          "', 'scan', 1, '{\"uid\":\"op-" + std::to_string(i) + "\"}', NULL)");
  }
  write("DELETE FROM sync_outbox WHERE uid = 'op-3'");

  REQUIRE(run_sync(storage::migrate(*db)).applied.front() == 10);
  write("INSERT INTO sync_outbox (uid, kind, at, payload, effect_uid) VALUES ('op-4', 'scan', 2, NULL, 'audit-4')");
  Rows rows = run_sync(db->read([](Tx& tx) -> asio::awaitable<Rows> {
    co_return co_await tx.query("SELECT seq, uid, payload, effect_uid FROM sync_outbox ORDER BY seq");
  }));
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].i64(0) == 1);
  CHECK(rows[0].text(2) == "{\"uid\":\"op-1\"}");
  CHECK(rows[1].i64(0) == 2);
  CHECK(rows[2].i64(0) == 4);  // not 3: that number went to an operation head office has
  CHECK(rows[2].is_null(2));
  CHECK(rows[2].text(3) == "audit-4");
}
