// Group commit as both backends do it (storage/database.hpp: Database::write, WriteOptions): many
// callers' write transactions committed together, one caller's failure never failing another,
// jobs of one affinity never interleaved, and a full write queue refusing at once. On PostgreSQL
// the jobs of a group run side by side on one connection (storage/postgres/pg_group_run.hpp); on
// SQLite one after the other, each in its savepoint.
#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

#include "support/storage_helpers.hpp"
#include "support/test_db.hpp"

using namespace tt;
using namespace tt::test;
using storage::ConstraintViolation;
using storage::Rows;
using storage::Unavailable;

namespace {

struct Boom : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A scan-like job: it writes, then every eighth gives up (n % 8 == 3, by throwing after its
// statements ran) or breaks a unique constraint (n % 8 == 5, the code "TAKEN" exists).
asio::awaitable<void> area_then_maybe_fail(Tx& tx, int n) {
  co_await add_area(tx, "group-" + std::to_string(n));
  co_await add_bag(tx, "BAG" + std::to_string(n));
  if (n % 8 == 3) throw Boom("job " + std::to_string(n) + " gives up");
  if (n % 8 == 5) co_await add_bag(tx, "TAKEN");
}

// Read, decide, write: the capacity of a bill goes up by one. Two such jobs interleaved inside
// one transaction would both read the same value and lose an increment.
asio::awaitable<void> bump_capacity(Tx& tx, std::string bill) {
  auto row = co_await tx.query_one_locked("SELECT capacity FROM bills WHERE code = $1", params(bill));
  const std::int64_t next = row->i64(0) + 1;
  co_await tx.exec("UPDATE bills SET capacity = $1 WHERE code = $2", params(next, bill));
}

asio::awaitable<void> concurrent_write(Database& db, int n) {
  auto options = storage::write_concurrent("parent-" + std::to_string(n));
  co_await db.write(storage::job(area_then_maybe_fail, n), options);
}

asio::awaitable<void> bump_write(Database& db, std::string bill) {
  auto options = storage::write_concurrent(bill);
  co_await db.write(storage::job(bump_capacity, bill), options);
}

asio::awaitable<void> plain_write(Database& db, int n) {
  co_await db.write(storage::job(add_area, "queued-" + std::to_string(n)));
}

// Starts `count` coroutines made by make(i) while the gate holds the writer, waits until
// `queued` of them wait in the write queue and `refused` more were refused, opens the gate, and
// returns how each ended.
template <class Make>
asio::awaitable<std::vector<std::exception_ptr>> behind_gate(Database& db, WriterGate& gate, int count,
                                                             std::size_t queued, std::uint64_t refused,
                                                             Make make) {
  const std::uint64_t refused_before = db.stats().write_refused_total;
  auto ex = co_await asio::this_coro::executor;
  auto held = start(ex, gate.hold(db));
  co_await wait_until([&gate] { return gate.entered.load(); });
  std::vector<std::shared_ptr<Started>> started;
  for (int i = 0; i < count; ++i) started.push_back(start(ex, make(i)));
  co_await wait_until([&db, &queued, &refused, &refused_before] {
    const auto s = db.stats();
    return s.write_queue.value_or(0) == queued && s.write_refused_total - refused_before == refused;
  });
  gate.open.set_value();
  co_await finished(held);
  std::vector<std::exception_ptr> out;
  for (auto& s : started) {
    co_await finished(s);
    out.push_back(s->error);
  }
  co_return out;
}

}  // namespace

TEST_CASE("write groups: 64 concurrent writes commit together; the ones that fail, and only they, leave nothing") {
  auto db = open_test_database();
  run_sync(db->write(storage::job(add_bag, std::string("TAKEN"), false)));
  const auto before = db->stats();
  WriterGate gate;
  constexpr int writers = 64;
  Database& d = *db;
  const auto outcomes = run_sync(behind_gate(d, gate, writers, writers, 0, [&d](int n) { return concurrent_write(d, n); }));
  const auto after = db->stats();

  int failed = 0;
  for (int n = 0; n < writers; ++n) {
    INFO("job " << n);
    const auto& e = outcomes[static_cast<std::size_t>(n)];
    if (n % 8 == 3) {
      REQUIRE(e);
      CHECK(what(e) == "job " + std::to_string(n) + " gives up");
      ++failed;
    } else if (n % 8 == 5) {
      REQUIRE(e);
      CHECK_THROWS_AS(std::rethrow_exception(e), ConstraintViolation);
      ++failed;
    } else {
      CHECK_FALSE(e);
    }
  }
  CHECK(run_sync(count_rows(*db, "areas WHERE name LIKE 'group-%'")) == writers - failed);
  CHECK(run_sync(count_rows(*db, "bags")) == 1 + writers - failed);
  const Rows leftovers = run_sync(db->read(storage::job(
      storage::query_rows,
      std::string("SELECT name FROM areas WHERE name IN ('group-3', 'group-5', 'group-59', 'group-61')"),
      storage::Params{})));
  CHECK(leftovers.empty());
  // Committed together: the gate's transaction and one for the 64 on SQLite; on PostgreSQL a
  // failure inside the shared transaction rolls it back and the others run again, so at most one
  // more transaction per failing job, still far fewer than one per write.
  const auto groups = after.write_groups_total - before.write_groups_total;
  CHECK(groups >= 2);
  CHECK(groups <= static_cast<std::uint64_t>(2 + failed));
}

TEST_CASE("write groups: writes of one affinity never interleave (64 read-decide-write jobs on 4 rows)") {
  auto db = open_test_database();
  for (const char* bill : {"B1", "B2", "B3", "B4"}) run_sync(db->write(storage::job(add_bill, std::string(bill))));
  WriterGate gate;
  constexpr int writers = 64;
  Database& d = *db;
  const auto outcomes = run_sync(behind_gate(d, gate, writers, writers, 0, [&d](int n) {
    return bump_write(d, "B" + std::to_string(1 + n % 4));
  }));
  for (const auto& e : outcomes) CHECK_FALSE(e);
  const Rows capacities = run_sync(db->read(storage::job(
      storage::query_rows, std::string("SELECT code, capacity FROM bills ORDER BY code"), storage::Params{})));
  REQUIRE(capacities.size() == 4);
  for (const auto& row : capacities) {
    INFO(row.text(0));
    CHECK(row.i64(1) == 10 + writers / 4);
  }
}

TEST_CASE("write groups: a full write queue refuses a write at once with Unavailable, and takes it again once drained") {
  storage::DbOptions options;
  options.write_queue_capacity = 8;
  auto db = open_test_database(Schema::migrated, options);
  const auto before = db->stats();
  WriterGate gate;
  Database& d = *db;
  // 20 writes behind the gate: 8 wait, 12 are refused before the gate opens.
  const auto outcomes = run_sync(behind_gate(d, gate, 20, 8, 12, [&d](int n) { return plain_write(d, n); }));
  int refused = 0, written = 0;
  for (const auto& e : outcomes) {
    if (!e) {
      ++written;
      continue;
    }
    CHECK_THROWS_AS(std::rethrow_exception(e), Unavailable);
    ++refused;
  }
  CHECK(written == 8);
  CHECK(refused == 12);
  CHECK(db->stats().write_refused_total - before.write_refused_total == 12);
  CHECK(run_sync(count_rows(*db, "areas WHERE name LIKE 'queued-%'")) == 8);
  CHECK_NOTHROW(run_sync(plain_write(*db, 100)));
}

namespace {

// Appends an audit entry; entry 3 (n == 3) lacks its action, which the table refuses (NOT NULL).
// On PostgreSQL log rows are inserted with the COMMIT, all of a group's in one statement, so the
// error comes from the group's last round trip and must be pinned on the job that appended it.
asio::awaitable<void> area_and_audit_entry(Tx& tx, int n) {
  co_await add_area(tx, "audited-" + std::to_string(n));
  storage::Value action = storage::null();  // if/else, never ?: on values in a coroutine (storage/job.hpp)
  if (n != 3) action = storage::Value(std::string("area_create"));
  co_await tx.append_row("INSERT INTO audit_log (uid, at, action, entity, entity_key)",
                         params(util::uuid_v7(), some_time, std::move(action), "area", std::to_string(n)));
}

asio::awaitable<void> audited_write(Database& db, int n) {
  auto options = storage::write_concurrent("audited-" + std::to_string(n));
  co_await db.write(storage::job(area_and_audit_entry, n), options);
}

}  // namespace

TEST_CASE("write groups: a log row refused at commit fails its own write only, alone or in a group") {
  auto db = open_test_database();
  // Alone: the job's answer is the database's refusal.
  CHECK_THROWS_AS(run_sync(audited_write(*db, 3)), storage::DbError);
  CHECK(run_sync(count_rows(*db, "areas WHERE name = 'audited-3'")) == 0);
  // Among 8 writes committed together: the other 7 are kept, each with its entry.
  WriterGate gate;
  Database& d = *db;
  const auto outcomes = run_sync(behind_gate(d, gate, 8, 8, 0, [&d](int n) { return audited_write(d, n); }));
  for (int n = 0; n < 8; ++n) {
    INFO("job " << n);
    if (n == 3) {
      REQUIRE(outcomes[3]);
      CHECK_THROWS_AS(std::rethrow_exception(outcomes[3]), storage::DbError);
    } else {
      CHECK_FALSE(outcomes[static_cast<std::size_t>(n)]);
    }
  }
  CHECK(run_sync(count_rows(*db, "areas WHERE name LIKE 'audited-%'")) == 7);
  CHECK(run_sync(count_rows(*db, "audit_log WHERE entity = 'area'")) == 7);
}
