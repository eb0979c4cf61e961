// Transactions: rollback on exception, concurrent writers (group commit on SQLite), isolation of
// a failing writer from the others, read snapshots, and where the caller resumes.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <stdexcept>
#include <string>

#include "support/storage_helpers.hpp"
#include "support/test_db.hpp"

using namespace tt;
using namespace tt::test;
using storage::Row;
using storage::Rows;

namespace {

struct Boom : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace

namespace {

// Adds an area; every tenth writer (n % 10 == 3) then gives up, so its area must not stay.
asio::awaitable<void> area_or_give_up(Tx& tx, int n) {
  co_await add_area(tx, "area-" + std::to_string(n));
  if (n % 10 == 3) throw Boom("writer " + std::to_string(n) + " gives up");
}

// Counts areas, lets another thread commit a new one, and counts again in the same transaction.
asio::awaitable<std::pair<std::int64_t, std::int64_t>> count_around_a_write(Tx& tx, Database* db) {
  auto before = co_await tx.query_one("SELECT COUNT(*) FROM areas");
  std::thread writer([db] { run_sync(db->write(storage::job(add_area, "second"))); });
  writer.join();
  auto after = co_await tx.query_one("SELECT COUNT(*) FROM areas");
  co_return std::make_pair(before->i64(0), after->i64(0));
}

}  // namespace

TEST_CASE("transactions: an exception rolls back everything the transaction did") {
  auto db = open_test_database();
  CHECK_THROWS_WITH_AS(run_sync(db->write([](Tx& tx) -> asio::awaitable<void> {
                         co_await add_area(tx, "Lucknow");
                         co_await add_bag(tx, "SB12345", true);
                         throw Boom("scanner unplugged");
                       })),
                       "scanner unplugged", Boom);
  CHECK(run_sync(count_rows(*db, "areas")) == 0);
  CHECK(run_sync(count_rows(*db, "bags")) == 0);
}

TEST_CASE("transactions: a constraint violation rolls back the whole transaction") {
  auto db = open_test_database();
  run_sync(db->write(storage::job(add_bag, "SB00001", true)));
  CHECK_THROWS_AS(run_sync(db->write([](Tx& tx) -> asio::awaitable<void> {
                    co_await add_area(tx, "Kanpur");
                    co_await add_bag(tx, "SB00001", true);  // duplicate code
                  })),
                  storage::ConstraintViolation);
  CHECK(run_sync(count_rows(*db, "areas")) == 0);
  CHECK(run_sync(count_rows(*db, "bags")) == 1);
}

TEST_CASE("transactions: a write's result is visible to later reads") {
  auto db = open_test_database();
  const std::int64_t id = run_sync(db->write(storage::job(add_area, "Agra")));
  auto rows = run_sync(db->read(storage::job(storage::query_rows, std::string("SELECT name FROM areas WHERE id = $1"), params(id))));
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].text(0) == "Agra");
}

TEST_CASE("transactions: 500 concurrent writers all succeed and are all visible") {
  auto db = open_test_database();
  constexpr int writers = 500;
  std::vector<std::int64_t> ids(writers, 0);
  auto errors = run_sync([&]() -> asio::awaitable<std::vector<std::exception_ptr>> {
    std::vector<asio::awaitable<void>> jobs;
    for (int i = 0; i < writers; ++i) {
      jobs.push_back([](Database& d, int n, std::int64_t& out) -> asio::awaitable<void> {
        out = co_await d.write(storage::job(add_area, "area-" + std::to_string(n)));
      }(*db, i, ids[static_cast<std::size_t>(i)]));
    }
    co_return co_await run_all(std::move(jobs));
  }());
  const auto failed = std::count_if(errors.begin(), errors.end(), [](auto& e) { return e != nullptr; });
  CHECK(failed == 0);
  CHECK(std::set<std::int64_t>(ids.begin(), ids.end()).size() == writers);
  CHECK(std::find(ids.begin(), ids.end(), 0) == ids.end());
  CHECK(run_sync(count_rows(*db, "areas")) == writers);
}

TEST_CASE("transactions: a failing writer among concurrent ones undoes only its own work") {
  auto db = open_test_database();
  constexpr int writers = 200;
  auto errors = run_sync([&]() -> asio::awaitable<std::vector<std::exception_ptr>> {
    std::vector<asio::awaitable<void>> jobs;
    for (int i = 0; i < writers; ++i) {
      jobs.push_back([](Database& d, int n) -> asio::awaitable<void> {
        co_await d.write(storage::job(area_or_give_up, n));
      }(*db, i));
    }
    co_return co_await run_all(std::move(jobs));
  }());
  for (int i = 0; i < writers; ++i) {
    INFO("writer " << i);
    if (i % 10 == 3) {
      REQUIRE(errors[static_cast<std::size_t>(i)]);
      CHECK(what(errors[static_cast<std::size_t>(i)]) == "writer " + std::to_string(i) + " gives up");
    } else {
      CHECK_FALSE(errors[static_cast<std::size_t>(i)]);
    }
  }
  CHECK(run_sync(count_rows(*db, "areas")) == writers - writers / 10);
  auto failed_rows = run_sync(db->read([](Tx& tx) -> asio::awaitable<Rows> {
    co_return co_await tx.query("SELECT name FROM areas WHERE name IN ($1, $2, $3)",
                                params("area-3", "area-13", "area-193"));
  }));
  CHECK(failed_rows.empty());
}

TEST_CASE("transactions: callers resume on their own executor (a strand)") {
  auto db = open_test_database();
  constexpr int callers = 24;
  std::atomic<int> on_strand{0};
  auto errors = run_sync([&]() -> asio::awaitable<std::vector<std::exception_ptr>> {
    auto ex = co_await asio::this_coro::executor;
    std::vector<std::shared_ptr<Started>> started;
    for (int i = 0; i < callers; ++i) {
      auto strand = asio::make_strand(ex);
      started.push_back(start_on(strand, [](Database& d, asio::strand<asio::any_io_executor> s, int n,
                                            std::atomic<int>& ok) -> asio::awaitable<void> {
        co_await d.write(storage::job(add_area, "strand-" + std::to_string(n)));
        const bool after_write = s.running_in_this_thread();
        co_await d.read([](Tx& tx) -> asio::awaitable<void> { co_await tx.query("SELECT COUNT(*) FROM areas"); });
        const bool after_read = s.running_in_this_thread();
        if (after_write && after_read) ++ok;
      }(*db, strand, i, on_strand)));
    }
    std::vector<std::exception_ptr> out;
    for (auto& s : started) {
      co_await finished(s);
      out.push_back(s->error);
    }
    co_return out;
  }());
  for (auto& e : errors) CHECK_FALSE(e);
  CHECK(on_strand.load() == callers);
}

TEST_CASE("transactions: read transactions cannot write") {
  auto db = open_test_database();
  CHECK_THROWS_AS(run_sync(db->read(storage::job(add_area, "sneaky"))), storage::DbError);
  CHECK(run_sync(count_rows(*db, "areas")) == 0);
}

TEST_CASE("transactions: a read sees one snapshot while writes commit") {
  auto db = open_test_database();
  run_sync(db->write(storage::job(add_area, "first")));
  // The read counts, lets a write commit meanwhile, and counts again inside the same transaction.
  auto counts = run_sync(db->read(storage::job(count_around_a_write, db.get())));
  CHECK(counts.first == 1);
  CHECK(counts.second == 1);
  CHECK(run_sync(count_rows(*db, "areas")) == 2);
}

TEST_CASE("transactions: ping makes a round trip") {
  auto db = open_test_database();
  CHECK_NOTHROW(run_sync(db->ping()));
}

TEST_CASE("transactions: a closed database refuses work") {
  auto db = open_test_database();
  db->close();
  CHECK_THROWS_AS(run_sync(db->write(storage::job(add_area, "late"))), storage::DbError);
  CHECK_THROWS_AS(run_sync(db->ping()), storage::DbError);
}

TEST_CASE("transactions: a deferred statement is written in order, by the commit at the latest, and its error fails the transaction") {
  auto db = open_test_database();
  // Seen by the next statement of its transaction.
  const auto seen = run_sync(db->write([](Tx& tx) -> asio::awaitable<std::int64_t> {
    co_await tx.exec_deferred("INSERT INTO areas (uid, name, created_at) VALUES ($1, $2, $3)",
                              params(util::uuid_v7(), "Deferred", some_time));
    auto row = co_await tx.query_one("SELECT COUNT(*) FROM areas WHERE name = $1", params("Deferred"));
    co_return row->i64(0);
  }));
  CHECK(seen == 1);
  // The only statement of its transaction: written by the commit.
  run_sync(db->write([](Tx& tx) -> asio::awaitable<void> {
    co_await tx.exec_deferred("INSERT INTO areas (uid, name, created_at) VALUES ($1, $2, $3)",
                              params(util::uuid_v7(), "Later", some_time));
  }));
  CHECK(run_sync(count_rows(*db, "areas WHERE name = 'Later'")) == 1);
  // Its error (a name taken, whatever the case) fails the whole transaction, earlier work included.
  CHECK_THROWS_AS(run_sync(db->write([](Tx& tx) -> asio::awaitable<void> {
                    co_await tx.exec("INSERT INTO areas (uid, name, created_at) VALUES ($1, $2, $3)",
                                     params(util::uuid_v7(), "Kept", some_time));
                    co_await tx.exec_deferred("INSERT INTO areas (uid, name, created_at) VALUES ($1, $2, $3)",
                                              params(util::uuid_v7(), "LATER", some_time));
                  })),
                  storage::DbError);
  CHECK(run_sync(count_rows(*db, "areas WHERE name = 'Kept'")) == 0);
  CHECK(run_sync(count_rows(*db, "areas")) == 2);
}
