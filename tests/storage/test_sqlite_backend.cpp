// Behaviour particular to the SQLite backend: group commit, the writer thread and the readers,
// connection settings, online backup, opening by URL. Runs under TT_BACKEND=sqlite only.
#include <doctest/doctest.h>

#include <filesystem>
#include <future>
#include <thread>

#include "storage/migrations.hpp"
#include "storage/sqlite/sqlite_database.hpp"
#include "support/storage_helpers.hpp"
#include "support/test_db.hpp"

using namespace tt;
using namespace tt::test;
using storage::ConstraintViolation;
using storage::DbError;
using storage::DbOptions;
using storage::Rows;
using storage::Unavailable;
using storage::sqlite::SqliteDatabase;

namespace {

namespace fs = std::filesystem;

SqliteDatabase& sqlite_of(Database& db) { return dynamic_cast<SqliteDatabase&>(backend_of(db)); }

// Jobs of a batch: job 1 fails (by throwing; by breaking a deferred foreign key), the others
// each add an area.
asio::awaitable<void> area_or_throw(Tx& tx, int n) {
  co_await add_area(tx, "batch-" + std::to_string(n));
  if (n == 1) throw std::runtime_error("job 1 fails");
}

asio::awaitable<void> area_or_bad_reference(Tx& tx, int n) {
  if (n == 1) {
    co_await tx.exec("INSERT INTO deferred_refs (area_id) VALUES (424242)");
  } else {
    co_await add_area(tx, "batch-" + std::to_string(n));
  }
}

struct TempDir {
  fs::path path = fs::temp_directory_path() / ("tracetrack-sqlite-test-" + util::uuid_v7());
  TempDir() { fs::create_directories(path); }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

asio::awaitable<std::int64_t> pragma(Database& db, std::string name, bool on_writer) {
  auto job = storage::job(storage::query_int, "PRAGMA " + name, storage::Params{});
  if (on_writer) co_return co_await db.write(job);
  co_return co_await db.read(job);
}

}  // namespace

TEST_SUITE("sqlite" * doctest::skip(!testing_sqlite())) {

TEST_CASE("sqlite: queued writes are committed together, and a failing one alone is undone") {
  auto db = open_test_database();
  SqliteDatabase& sqlite = sqlite_of(*db);
  WriterGate gate;
  std::vector<std::exception_ptr> outcomes;
  storage::sqlite::WriteStats before{}, after{};
  run_sync([&]() -> asio::awaitable<void> {
    auto ex = co_await asio::this_coro::executor;
    auto held = start(ex, gate.hold(*db));
    co_await wait_until([&] { return gate.entered.load(); });
    before = sqlite.write_stats();
    std::vector<std::shared_ptr<Started>> batch;
    for (int i = 0; i < 3; ++i) {
      batch.push_back(start(ex, [](Database& d, int n) -> asio::awaitable<void> {
        co_await d.write(storage::job(area_or_throw, n));
      }(*db, i)));
      // One at a time, so that the batch's order is known.
      co_await wait_until([&] { return sqlite.pending_writes() == batch.size(); });
    }
    gate.open.set_value();
    co_await finished(held);
    for (auto& s : batch) {
      co_await finished(s);
      outcomes.push_back(s->error);
    }
    after = sqlite.write_stats();
  }());
  CHECK_FALSE(outcomes[0]);
  REQUIRE(outcomes[1]);
  CHECK(what(outcomes[1]) == "job 1 fails");
  CHECK_FALSE(outcomes[2]);
  // The gate's transaction, then one transaction for the three queued jobs.
  CHECK(after.batches - before.batches == 2);
  CHECK(after.jobs - before.jobs == 4);
  Rows names = run_sync(db->read([](Tx& tx) { return tx.query("SELECT name FROM areas ORDER BY name"); }));
  REQUIRE(names.size() == 3);
  CHECK(names[0].text(0) == "batch-0");
  CHECK(names[1].text(0) == "batch-2");
  CHECK(names[2].text(0) == "gate");
}

TEST_CASE("sqlite: when COMMIT fails, every job of the batch gets the error and nothing is kept") {
  auto db = open_test_database();
  SqliteDatabase& sqlite = sqlite_of(*db);
  // A deferred foreign key is only checked at COMMIT: one job can make the whole batch fail there.
  run_sync(db->write([](Tx& tx) -> asio::awaitable<void> {
    co_await tx.exec_script(
        "CREATE TABLE deferred_refs (id INTEGER PRIMARY KEY,"
        " area_id INTEGER REFERENCES areas (id) DEFERRABLE INITIALLY DEFERRED)");
  }));
  WriterGate gate;
  std::vector<std::exception_ptr> outcomes;
  run_sync([&]() -> asio::awaitable<void> {
    auto ex = co_await asio::this_coro::executor;
    auto held = start(ex, gate.hold(*db));
    co_await wait_until([&] { return gate.entered.load(); });
    std::vector<std::shared_ptr<Started>> batch;
    for (int i = 0; i < 3; ++i) {
      batch.push_back(start(ex, [](Database& d, int n) -> asio::awaitable<void> {
        co_await d.write(storage::job(area_or_bad_reference, n));
      }(*db, i)));
      co_await wait_until([&] { return sqlite.pending_writes() == batch.size(); });
    }
    gate.open.set_value();
    co_await finished(held);
    for (auto& s : batch) {
      co_await finished(s);
      outcomes.push_back(s->error);
    }
  }());
  for (auto& e : outcomes) {
    REQUIRE(e);
    CHECK_THROWS_AS(std::rethrow_exception(e), ConstraintViolation);
  }
  CHECK(run_sync(count_rows(*db, "areas")) == 1);  // the gate's own row
  CHECK(run_sync(count_rows(*db, "deferred_refs")) == 0);
}

TEST_CASE("sqlite: reads go on while the writer is busy") {
  auto db = open_test_database();
  WriterGate gate;
  run_sync([&]() -> asio::awaitable<void> {
    auto ex = co_await asio::this_coro::executor;
    co_await db->write(storage::job(add_area, "committed"));
    auto held = start(ex, gate.hold(*db));
    co_await wait_until([&] { return gate.entered.load(); });
    // Would never finish if reads needed the writer thread or its lock.
    CHECK(co_await count_rows(*db, "areas") == 1);
    gate.open.set_value();
    co_await finished(held);
  }());
  CHECK(run_sync(count_rows(*db, "areas")) == 2);
}

TEST_CASE("sqlite: close fails queued writes, lets the running one finish, then refuses work") {
  auto db = open_test_database();
  SqliteDatabase& sqlite = sqlite_of(*db);
  WriterGate gate;
  std::exception_ptr held_error, queued_error;
  run_sync([&]() -> asio::awaitable<void> {
    auto ex = co_await asio::this_coro::executor;
    auto held = start(ex, gate.hold(*db));
    co_await wait_until([&] { return gate.entered.load(); });
    auto queued = start(ex, [](Database& d) -> asio::awaitable<void> {
      co_await d.write(storage::job(add_area, "queued"));
    }(*db));
    co_await wait_until([&] { return sqlite.pending_writes() == 1; });
    std::thread closer([&] { sqlite.close(); });  // blocks until the writer thread ends
    co_await finished(queued);
    gate.open.set_value();
    co_await finished(held);
    closer.join();
    held_error = held->error;
    queued_error = queued->error;
  }());
  CHECK_FALSE(held_error);
  REQUIRE(queued_error);
  CHECK_THROWS_AS(std::rethrow_exception(queued_error), Unavailable);
  CHECK_THROWS_AS(run_sync(db->write(storage::job(add_area, "late"))), Unavailable);
  CHECK_THROWS_AS(run_sync(db->ping()), Unavailable);
}

TEST_CASE("sqlite: every connection has WAL, foreign keys, busy timeout and the chosen sync level") {
  for (const bool full : {true, false}) {
    DbOptions options;
    options.sqlite_sync_full = full;
    auto db = open_test_database(Schema::migrated, options);
    for (const bool writer : {true, false}) {
      INFO("sync full " << full << ", writer " << writer);
      // The writer always commits with NORMAL: with full durability its commits are synced by
      // the WAL syncer before anyone is answered (wal_syncer.hpp).
      CHECK(run_sync(pragma(*db, "synchronous", writer)) == (full && !writer ? 2 : 1));
      CHECK(run_sync(pragma(*db, "foreign_keys", writer)) == 1);
      CHECK(run_sync(pragma(*db, "busy_timeout", writer)) == 5000);
    }
    Rows mode = run_sync(db->read([](Tx& tx) { return tx.query("PRAGMA journal_mode"); }));
    CHECK(mode.at(0).text(0) == "wal");
  }
}

TEST_CASE("sqlite: the number of reader connections follows the options") {
  DbOptions o;
  o.threads = 1;
  CHECK(storage::sqlite::reader_count(o) == 2);
  o.threads = 16;
  CHECK(storage::sqlite::reader_count(o) == 4);
  o.pool_size = 7;
  CHECK(storage::sqlite::reader_count(o) == 7);
}

TEST_CASE("sqlite: backup writes a consistent copy while the database is in use") {
  TempDir dir;
  auto db = open_test_database();
  SqliteDatabase& sqlite = sqlite_of(*db);
  const std::string copy = (dir.path / "copy.db").string();
  run_sync([&]() -> asio::awaitable<void> {
    co_await db->write(storage::job(add_area, "before"));
    // Writes keep coming while the copy is taken.
    auto ex = co_await asio::this_coro::executor;
    std::vector<asio::awaitable<void>> writes;
    for (int i = 0; i < 50; ++i) {
      writes.push_back([](Database& d, int n) -> asio::awaitable<void> {
        co_await d.write(storage::job(add_area, "during-" + std::to_string(n)));
      }(*db, i));
    }
    auto writers = start(ex, [](std::vector<asio::awaitable<void>> w) -> asio::awaitable<void> {
      co_await run_all(std::move(w));
    }(std::move(writes)));
    co_await sqlite.backup(copy);
    co_await finished(writers);
  }());
  REQUIRE(fs::exists(copy));

  SqliteDatabase restored(copy, DbOptions{});
  const auto report = run_sync(storage::migrate(restored));
  CHECK(report.applied.empty());  // the copy carries the schema and its version
  const std::int64_t areas = run_sync(count_rows(restored, "areas"));
  CHECK(areas >= 1);
  CHECK(areas <= 51);
  Rows first = run_sync(restored.read([](Tx& tx) { return tx.query("SELECT name FROM areas WHERE name = 'before'"); }));
  CHECK(first.size() == 1);

  // An existing file is never overwritten.
  CHECK_THROWS_AS(run_sync(sqlite.backup(copy)), DbError);
}

TEST_CASE("sqlite: databases open by URL or path, not in memory") {
  TempDir dir;
  const std::string path = (dir.path / "by-url.db").string();
  {
    auto db = storage::open_database("sqlite:" + path, DbOptions{});
    CHECK(db->dialect() == storage::Dialect::sqlite);
    CHECK(db->describe() == "sqlite:" + path);
    CHECK_NOTHROW(run_sync(db->ping()));
  }
  {
    auto db = storage::open_database(path, DbOptions{});
    CHECK(db->describe() == "sqlite:" + path);
  }
  {
    auto db = storage::open_database("sqlite://" + path, DbOptions{});  // sqlite:///abs/path
    CHECK(db->describe() == "sqlite:" + path);
  }
  CHECK_THROWS_AS(storage::open_database("sqlite:", DbOptions{}), DbError);
  CHECK_THROWS_AS(storage::open_database("sqlite::memory:", DbOptions{}), DbError);
  CHECK_THROWS_AS(storage::open_database((dir.path / "missing-dir" / "x.db").string(), DbOptions{}), DbError);
}

}  // TEST_SUITE
