// Rules the schema enforces by itself, whatever the code above it does: append-only history,
// one parent per child, one bill per parent, unique codes, foreign keys.
#include <doctest/doctest.h>

#include <string>

#include "support/storage_helpers.hpp"
#include "support/test_db.hpp"

using namespace tt;
using namespace tt::test;
using storage::ConstraintViolation;
using storage::DbError;
using storage::Rows;

namespace {

asio::awaitable<void> add_scan_event(Tx& tx, std::string code) {
  co_await tx.exec(
      "INSERT INTO scan_events (uid, at, action, code, result) VALUES ($1, $2, 'scan_parent', $3, 'created')",
      params(util::uuid_v7(), some_time, code));
}

asio::awaitable<void> add_audit_entry(Tx& tx, std::string key) {
  co_await tx.exec("INSERT INTO audit_log (uid, at, action, entity, entity_key) VALUES ($1, $2, 'link', 'bag', $3)",
                   params(util::uuid_v7(), some_time, key));
}

asio::awaitable<void> add_link(Tx& tx, std::int64_t parent, std::int64_t child) {
  co_await tx.exec("INSERT INTO links (uid, parent_id, child_id, created_at) VALUES ($1, $2, $3, $4)",
                   params(util::uuid_v7(), parent, child, some_time));
}

asio::awaitable<void> put_on_bill(Tx& tx, std::int64_t bill, std::int64_t parent) {
  co_await tx.exec("INSERT INTO bill_parents (uid, bill_id, parent_id, added_at) VALUES ($1, $2, $3, $4)",
                   params(util::uuid_v7(), bill, parent, some_time));
}

// Runs one statement in its own write transaction.
void write_sql(Database& db, std::string sql) {
  run_sync(db.write(storage::job(storage::run_statement, std::move(sql), storage::Params{})));
}

}  // namespace

TEST_CASE("schema: scan events are append-only") {
  auto db = open_test_database();
  run_sync(db->write(storage::job(add_scan_event, "SB12345")));
  CHECK_THROWS_AS(write_sql(*db, "UPDATE scan_events SET code = 'SB99999'"), DbError);
  CHECK_THROWS_AS(write_sql(*db, "DELETE FROM scan_events"), DbError);
  Rows rows = run_sync(db->read([](Tx& tx) { return tx.query("SELECT code FROM scan_events"); }));
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].text(0) == "SB12345");
}

TEST_CASE("schema: the audit log is append-only") {
  auto db = open_test_database();
  run_sync(db->write(storage::job(add_audit_entry, "SB12345")));
  CHECK_THROWS_AS(write_sql(*db, "UPDATE audit_log SET entity_key = 'forged'"), DbError);
  CHECK_THROWS_AS(write_sql(*db, "DELETE FROM audit_log"), DbError);
  Rows rows = run_sync(db->read([](Tx& tx) { return tx.query("SELECT entity_key FROM audit_log"); }));
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].text(0) == "SB12345");
}

TEST_CASE("schema: a bag code exists once") {
  auto db = open_test_database();
  run_sync(db->write(storage::job(add_bag, "C-0001", false)));
  CHECK_THROWS_AS(run_sync(db->write(storage::job(add_bag, "C-0001", false))), ConstraintViolation);
  CHECK(run_sync(count_rows(*db, "bags")) == 1);
}

TEST_CASE("schema: a child is in at most one parent") {
  auto db = open_test_database();
  struct Ids {
    std::int64_t p1, p2, child;
  };
  const Ids ids = run_sync(db->write([](Tx& tx) -> asio::awaitable<Ids> {
    Ids out{};
    out.p1 = co_await add_bag(tx, "SB00001", true);
    out.p2 = co_await add_bag(tx, "SB00002", true);
    out.child = co_await add_bag(tx, "C-0001");
    co_await add_link(tx, out.p1, out.child);
    co_return out;
  }));
  CHECK_THROWS_AS(run_sync(db->write(storage::job(add_link, ids.p2, ids.child))), ConstraintViolation);
  Rows rows = run_sync(db->read([](Tx& tx) { return tx.query("SELECT parent_id FROM links"); }));
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].i64(0) == ids.p1);
}

TEST_CASE("schema: a parent is on at most one bill") {
  auto db = open_test_database();
  struct Ids {
    std::int64_t bill1, bill2, parent;
  };
  const Ids ids = run_sync(db->write([](Tx& tx) -> asio::awaitable<Ids> {
    Ids out{};
    out.bill1 = co_await add_bill(tx, "LKO-2025-11-25");
    out.bill2 = co_await add_bill(tx, "LKO-2025-11-26");
    out.parent = co_await add_bag(tx, "SB00001", true);
    co_await put_on_bill(tx, out.bill1, out.parent);
    co_return out;
  }));
  CHECK_THROWS_AS(run_sync(db->write(storage::job(put_on_bill, ids.bill2, ids.parent))),
                  ConstraintViolation);
  Rows rows = run_sync(db->read([](Tx& tx) { return tx.query("SELECT bill_id FROM bill_parents"); }));
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].i64(0) == ids.bill1);
}

TEST_CASE("schema: a bill code exists once") {
  auto db = open_test_database();
  run_sync(db->write(storage::job(add_bill, "LKO-2025-11-25")));
  CHECK_THROWS_AS(run_sync(db->write(storage::job(add_bill, "LKO-2025-11-25"))), ConstraintViolation);
}

TEST_CASE("schema: foreign keys are enforced") {
  auto db = open_test_database();
  const std::int64_t parent = run_sync(db->write(storage::job(add_bag, "SB00001", true)));
  CHECK_THROWS_AS(run_sync(db->write(storage::job(add_link, parent, parent + 1000))), ConstraintViolation);
  CHECK(run_sync(count_rows(*db, "links")) == 0);
}
