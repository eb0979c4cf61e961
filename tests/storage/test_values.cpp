// Values in and out of the database: every Value type, RETURNING, query_one, change counts.
#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <string>

#include "support/storage_helpers.hpp"
#include "support/test_db.hpp"

using namespace tt;
using namespace tt::test;
using storage::Row;
using storage::Rows;
using storage::Value;

namespace {

asio::awaitable<void> create_probe_table(Tx& tx) {
  if (tx.dialect() == storage::Dialect::postgres) {
    co_await tx.exec_script("CREATE TABLE value_probe (id BIGINT PRIMARY KEY, i BIGINT, r DOUBLE PRECISION, t TEXT)");
  } else {
    co_await tx.exec_script("CREATE TABLE value_probe (id INTEGER PRIMARY KEY, i INTEGER, r REAL, t TEXT)");
  }
}

struct Probe {
  std::int64_t id;
  Value i, r, t;
};

// The probe table, holding `probes`.
asio::awaitable<void> insert_probes(Tx& tx, std::vector<Probe> probes) {
  co_await create_probe_table(tx);
  for (const auto& p : probes) {
    co_await tx.exec("INSERT INTO value_probe (id, i, r, t) VALUES ($1, $2, $3, $4)", params(p.id, p.i, p.r, p.t));
  }
}

// The probe table with the largest integer and `code` in row 1, and another row.
asio::awaitable<void> insert_code_probe(Tx& tx, std::string code) {
  co_await create_probe_table(tx);
  co_await tx.exec("INSERT INTO value_probe (id, i, t) VALUES (1, $1, $2)", params(std::numeric_limits<std::int64_t>::max(), code));
  co_await tx.exec("INSERT INTO value_probe (id, i, t) VALUES (2, 7, 'other')");
}

}  // namespace

TEST_CASE("values: every type round-trips exactly, NULL included") {
  auto db = open_test_database();
  const std::vector<Probe> probes = {
      {1, std::int64_t{0}, 0.0, std::string()},
      {2, std::numeric_limits<std::int64_t>::max(), 0.1, std::string("SB12345")},
      {3, std::numeric_limits<std::int64_t>::min(), -1.5e300, std::string("Lucknow — लखनऊ ✓ 🚚")},
      {4, std::int64_t{-9007199254740993}, 2.5, std::string("it's \"quoted\"; DROP TABLE bags; --")},
      {5, storage::null(), storage::null(), storage::null()},
  };
  run_sync(db->write(storage::job(insert_probes, probes)));
  Rows rows = run_sync(db->read([](Tx& tx) -> asio::awaitable<Rows> {
    co_return co_await tx.query("SELECT id, i, r, t FROM value_probe ORDER BY id");
  }));
  REQUIRE(rows.size() == probes.size());
  for (std::size_t k = 0; k < probes.size(); ++k) {
    INFO("probe " << probes[k].id);
    CHECK(rows[k].i64(0) == probes[k].id);
    CHECK(rows[k].at(1) == probes[k].i);
    CHECK(rows[k].at(2) == probes[k].r);
    CHECK(rows[k].at(3) == probes[k].t);
  }
  CHECK(rows[4].is_null(1));
  CHECK_FALSE(rows[4].opt_i64(1).has_value());
  CHECK_FALSE(rows[4].opt_text(3).has_value());
}

TEST_CASE("values: parameters select rows exactly (text with multi-byte characters, large integers)") {
  auto db = open_test_database();
  const std::string code = "ÄRGER-✓-01";
  run_sync(db->write(storage::job(insert_code_probe, code)));
  auto found = run_sync(db->read(storage::job(storage::query_rows,
                                              std::string("SELECT id FROM value_probe WHERE t = $1 AND i = $2"),
                                              params(code, std::numeric_limits<std::int64_t>::max()))));
  REQUIRE(found.size() == 1);
  CHECK(found[0].i64(0) == 1);
}

TEST_CASE("values: INSERT … RETURNING gives the new row") {
  auto db = open_test_database();
  const std::string uid = util::uuid_v7();
  Rows returned = run_sync(db->write(storage::job(
      storage::query_rows,
      std::string("INSERT INTO areas (uid, name, created_at) VALUES ($1, $2, $3) RETURNING id, uid, name, created_at"),
      params(uid, "Lucknow", some_time))));
  REQUIRE(returned.size() == 1);
  const Row row = returned[0];
  CHECK(row.i64(0) > 0);
  CHECK(row.text(1) == uid);
  CHECK(row.text(2) == "Lucknow");
  CHECK(row.i64(3) == some_time);

  // Two rows get two distinct ids, in order.
  auto ids = run_sync(db->write([](Tx& tx) -> asio::awaitable<std::vector<std::int64_t>> {
    std::vector<std::int64_t> out;
    out.push_back(co_await add_area(tx, "Kanpur"));
    out.push_back(co_await add_area(tx, "Agra"));
    co_return out;
  }));
  CHECK(ids[0] > row.i64(0));
  CHECK(ids[1] > ids[0]);
}

TEST_CASE("values: query_one gives the first row or nothing") {
  auto db = open_test_database();
  run_sync(db->write([](Tx& tx) -> asio::awaitable<void> {
    co_await add_area(tx, "B");
    co_await add_area(tx, "A");
  }));
  auto first = run_sync(db->read([](Tx& tx) -> asio::awaitable<std::optional<Row>> {
    co_return co_await tx.query_one("SELECT name FROM areas ORDER BY name");
  }));
  REQUIRE(first.has_value());
  CHECK(first->text(0) == "A");
  auto none = run_sync(db->read([](Tx& tx) -> asio::awaitable<std::optional<Row>> {
    co_return co_await tx.query_one("SELECT name FROM areas WHERE name = $1", params("nowhere"));
  }));
  CHECK_FALSE(none.has_value());
}

TEST_CASE("values: exec counts the rows a statement changed") {
  auto db = open_test_database();
  auto counts = run_sync(db->write([](Tx& tx) -> asio::awaitable<std::vector<std::int64_t>> {
    std::vector<std::int64_t> out;
    for (const char* name : {"A", "B", "C"}) co_await add_area(tx, name);
    out.push_back(co_await tx.exec("UPDATE areas SET created_at = created_at + 1"));
    out.push_back(co_await tx.exec("UPDATE areas SET created_at = 0 WHERE name = $1", params("nowhere")));
    out.push_back(co_await tx.exec("DELETE FROM areas WHERE name IN ($1, $2)", params("A", "B")));
    co_return out;
  }));
  CHECK(counts == std::vector<std::int64_t>{3, 0, 2});
}

TEST_CASE("values: a statement given the wrong number of parameters fails") {
  auto db = open_test_database();
  CHECK_THROWS_AS(run_sync(db->write([](Tx& tx) -> asio::awaitable<void> {
                    co_await tx.exec("UPDATE areas SET name = $1 WHERE id = $2", params("x"));
                  })),
                  storage::DbError);
}
