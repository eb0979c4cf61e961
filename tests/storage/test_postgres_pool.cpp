// PostgreSQL-specific behaviour of the pooled backend: pool limits, lost connections, prepared
// statement reuse, concurrency, LISTEN/NOTIFY. Runs only under TT_BACKEND=postgres with
// TRACETRACK_TEST_PG_URL set; each test case works in a fresh database of its own.
#include <doctest/doctest.h>
#include <libpq-fe.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <mutex>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "storage/database.hpp"
#include "storage/postgres/pg_database.hpp"
#include "support/own_cluster.hpp"
#include "support/test_db.hpp"

namespace asio = boost::asio;
using namespace tt::storage;
using namespace std::chrono_literals;

namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

bool postgres_selected() {
  if (env("TT_BACKEND") != "postgres") {
    MESSAGE("PostgreSQL pool tests skipped: they run with TT_BACKEND=postgres");
    return false;
  }
  if (env("TRACETRACK_TEST_PG_URL").empty()) {
    FAIL("TT_BACKEND=postgres needs TRACETRACK_TEST_PG_URL (scripts/pg-throwaway start)");
  }
  return true;
}

// Runs the coroutine that make() returns on `threads` threads (see tt::test::run_sync, which
// fails the test instead of hanging on a deadlock).
template <class T, class Make>
T run(Make make, unsigned threads = 4) {
  return tt::test::run_sync<T>(make(), 120s, threads);
}

// Blocking administrative connection for set-up and tear-down (never on an io_context thread).
class Admin {
 public:
  explicit Admin(const std::string& conninfo) : conn_(PQconnectdb(conninfo.c_str())) {
    if (PQstatus(conn_) != CONNECTION_OK) {
      std::string msg = PQerrorMessage(conn_);
      PQfinish(conn_);
      throw std::runtime_error("admin connection failed: " + msg);
    }
  }
  ~Admin() { PQfinish(conn_); }
  std::string exec(const std::string& sql) {
    PGresult* r = PQexec(conn_, sql.c_str());
    const auto status = PQresultStatus(r);
    std::string out = status == PGRES_TUPLES_OK && PQntuples(r) > 0 ? PQgetvalue(r, 0, 0) : "";
    std::string err = PQresultErrorMessage(r);
    PQclear(r);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) throw std::runtime_error(sql + ": " + err);
    return out;
  }

 private:
  PGconn* conn_;
};

// The server URL with another database name, as a libpq key=value string.
std::string with_database(const std::string& url, const std::string& dbname) {
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(url.c_str(), &err);
  if (!opts) {
    std::string msg = err ? err : "?";
    PQfreemem(err);
    throw std::runtime_error("bad TRACETRACK_TEST_PG_URL: " + msg);
  }
  std::string out;
  for (PQconninfoOption* o = opts; o->keyword; ++o) {
    std::string key = o->keyword;
    if (key == "dbname" || !o->val) continue;
    std::string val;
    for (const char* c = o->val; *c; ++c) {
      if (*c == '\'' || *c == '\\') val += '\\';
      val += *c;
    }
    out += key + "='" + val + "' ";
  }
  PQconninfoFree(opts);
  return out + "dbname='" + dbname + "'";
}

// A database of its own for one test case, dropped at the end.
struct FreshDatabase {
  std::string server = env("TRACETRACK_TEST_PG_URL");
  std::string name;
  std::string conninfo;

  FreshDatabase() {
    std::mt19937_64 rng(std::random_device{}());
    name = "tt_pool_" + std::to_string(rng() % 1000000000000ULL);
    Admin(server).exec("CREATE DATABASE " + name);
    conninfo = with_database(server, name);
  }
  ~FreshDatabase() {
    try {
      Admin(server).exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    } catch (const std::exception& e) {
      MESSAGE("could not drop " << name << ": " << e.what());
    }
  }
  std::unique_ptr<Database> open(unsigned pool_size, std::chrono::milliseconds acquire_timeout = 2000ms,
                                 const std::string& extra = "") const {
    DbOptions o;
    o.pool_size = pool_size;
    o.acquire_timeout = acquire_timeout;
    return open_postgres(conninfo + (extra.empty() ? "" : " " + extra), o);
  }
};

asio::awaitable<std::int64_t> scalar(Database& db, std::string sql, Params params = {}) {
  co_return co_await db.read(tt::storage::job(tt::storage::query_int, std::move(sql), std::move(params)));
}

// A new strand on the io_context that `run` drives, so that spawned coroutines run in parallel.
asio::any_io_executor another_strand(const asio::any_io_executor& ex) {
  auto& io = static_cast<asio::io_context&>(asio::query(ex, asio::execution::context));
  return asio::make_strand(io);
}

asio::awaitable<void> sleep_for(std::chrono::milliseconds d) {
  asio::steady_timer t(co_await asio::this_coro::executor, d);
  co_await t.async_wait(asio::use_awaitable);
}

// Holds its connection in a transaction until *release is set; sets *holding once it has it.
asio::awaitable<void> hold_connection(Tx& tx, std::atomic<bool>* holding, std::atomic<bool>* release) {
  co_await tx.query("SELECT 1");
  *holding = true;
  while (!*release) co_await sleep_for(5ms);
}

// Read-modify-write under a row lock: without FOR UPDATE increments would be lost.
asio::awaitable<void> increment_counter(Tx& tx, int who) {
  Rows rows = co_await tx.query_locked("SELECT n FROM counter WHERE id = 1");
  Params set{Value(rows.at(0).i64(0) + 1)};
  co_await tx.exec("UPDATE counter SET n = $1 WHERE id = 1", std::move(set));
  Params log{Value(std::int64_t{who})};
  co_await tx.exec("INSERT INTO log (who) VALUES ($1)", std::move(log));
}

}  // namespace

TEST_CASE("postgres: values round-trip in both directions") {
  if (!postgres_selected()) return;
  FreshDatabase fresh;
  auto db = fresh.open(2);
  Rows rows = run<Rows>([&]() -> asio::awaitable<Rows> {
    co_return co_await db->read([](Tx& tx) -> asio::awaitable<Rows> {
      Params p{Value(std::int64_t{-9007199254740993}), Value(0.1), Value(std::string("Lucknow ✓")), null()};
      co_return co_await tx.query(
          "SELECT $1::bigint, $2::float8, $3::text, $4::text, 7::int2, 8::int4, 1.5::float4, 2.25::numeric, "
          "true, false, 'SB12345'::varchar",
          std::move(p));
    });
  });
  REQUIRE(rows.size() == 1);
  const Row& r = rows[0];
  CHECK(r.i64(0) == -9007199254740993);
  CHECK(r.f64(1) == 0.1);
  CHECK(r.text(2) == "Lucknow ✓");
  CHECK(r.is_null(3));
  CHECK(r.i64(4) == 7);
  CHECK(r.i64(5) == 8);
  CHECK(r.f64(6) == 1.5);
  CHECK(r.f64(7) == 2.25);
  CHECK(r.i64(8) == 1);
  CHECK(r.i64(9) == 0);
  CHECK(r.text(10) == "SB12345");
  db->close();
}

TEST_CASE("postgres: errors map to storage errors and roll the transaction back") {
  if (!postgres_selected()) return;
  FreshDatabase fresh;
  auto db = fresh.open(1);
  run<void>([&]() -> asio::awaitable<void> {
    co_await db->write([](Tx& tx) -> asio::awaitable<void> {
      co_await tx.exec_script("CREATE TABLE t (code TEXT PRIMARY KEY); INSERT INTO t VALUES ('A');");
    });

    bool constraint = false;
    try {
      co_await db->write([](Tx& tx) -> asio::awaitable<void> {
        Params first{Value(std::string("B"))};
        co_await tx.exec("INSERT INTO t VALUES ($1)", std::move(first));
        Params dup{Value(std::string("A"))};
        co_await tx.exec("INSERT INTO t VALUES ($1)", std::move(dup));
      });
    } catch (const ConstraintViolation&) {
      constraint = true;
    }
    CHECK(constraint);
    // B was inserted in the same transaction and must be gone with it.
    CHECK(co_await scalar(*db, "SELECT count(*) FROM t") == 1);

    bool db_error = false, unavailable = false;
    try {
      co_await db->read([](Tx& tx) -> asio::awaitable<void> { co_await tx.query("SELECT no_such_column FROM t"); });
    } catch (const Unavailable&) {
      unavailable = true;
    } catch (const DbError&) {
      db_error = true;
    }
    CHECK(db_error);
    CHECK_FALSE(unavailable);

    // A job's own exception rolls back too and reaches the caller unchanged.
    bool own = false;
    try {
      co_await db->write([](Tx& tx) -> asio::awaitable<void> {
        co_await tx.exec("INSERT INTO t VALUES ('C')");
        throw std::logic_error("rule broken");
      });
    } catch (const std::logic_error&) {
      own = true;
    }
    CHECK(own);
    CHECK(co_await scalar(*db, "SELECT count(*) FROM t") == 1);

    // Append-only triggers of the schema raise a constraint class error (23001).
    co_await db->write([](Tx& tx) -> asio::awaitable<void> {
      co_await tx.exec_script(
          "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
          "RAISE EXCEPTION 'append-only' USING ERRCODE = 'restrict_violation'; END $$;"
          "CREATE TRIGGER t_no_delete BEFORE DELETE ON t FOR EACH ROW EXECUTE FUNCTION refuse();");
    });
    bool refused = false;
    try {
      co_await db->write([](Tx& tx) -> asio::awaitable<void> { co_await tx.exec("DELETE FROM t"); });
    } catch (const ConstraintViolation&) {
      refused = true;
    }
    CHECK(refused);
  });
  db->close();
}

TEST_CASE("postgres: an exhausted pool answers Unavailable within the wait limit, never hangs") {
  if (!postgres_selected()) return;
  FreshDatabase fresh;
  auto db = fresh.open(1, 200ms);
  run<void>([&]() -> asio::awaitable<void> {
    auto ex = co_await asio::this_coro::executor;
    // The only connection is held by a transaction until `release` is set (a write of its own:
    // grouped writes have connections of their own, outside the pool).
    std::atomic<bool> holding = false, release = false;
    std::promise<void> held_done;
    auto held_future = held_done.get_future();
    asio::co_spawn(
        ex,
        [&]() -> asio::awaitable<void> {
          co_await db->write(tt::storage::job(hold_connection, &holding, &release), tt::storage::write_alone());
        },
        [&](std::exception_ptr e) {
          if (e) held_done.set_exception(e);
          else held_done.set_value();
        });
    while (!holding) co_await sleep_for(5ms);

    bool busy = false;
    try {
      co_await scalar(*db, "SELECT 1");
    } catch (const Unavailable& e) {
      busy = std::string(e.what()).find("busy") != std::string::npos;
    }
    CHECK(busy);

    release = true;
    // Once the holder commits, the connection serves the next request.
    CHECK(co_await scalar(*db, "SELECT 2") == 2);
    CHECK_NOTHROW(held_future.get());
  });
  db->close();
}

TEST_CASE("postgres: waiters get connections in turn as they are released") {
  if (!postgres_selected()) return;
  FreshDatabase fresh;
  auto db = fresh.open(2, 10000ms);
  const int jobs = 24;
  int sum = run<int>([&]() -> asio::awaitable<int> {
    auto ex = co_await asio::this_coro::executor;
    std::atomic<int> total = 0, finished = 0;
    for (int i = 0; i < jobs; ++i) {
      asio::co_spawn(
          another_strand(ex),
          [&, i]() -> asio::awaitable<void> {
            Params p{Value(std::int64_t{i})};
            total += static_cast<int>(co_await scalar(*db, "SELECT $1 + 0 FROM pg_sleep(0.01)", std::move(p)));
          },
          [&](std::exception_ptr e) {
            if (e) {
              try {
                std::rethrow_exception(e);
              } catch (const std::exception& ex) {
                MESSAGE("job failed: " << ex.what());
              }
            }
            ++finished;
          });
    }
    while (finished < jobs) co_await sleep_for(5ms);
    co_return total.load();
  });
  CHECK(sum == jobs * (jobs - 1) / 2);
  db->close();
}

TEST_CASE("postgres: a terminated backend fails the query in flight with Unavailable, the next succeeds") {
  if (!postgres_selected()) return;
  FreshDatabase fresh;
  auto db = fresh.open(1);
  auto admin_db = fresh.open(1);
  run<void>([&]() -> asio::awaitable<void> {
    auto ex = co_await asio::this_coro::executor;
    const std::int64_t pid = co_await scalar(*db, "SELECT pg_backend_pid()");

    // Terminates the backend once it is busy with the long query below.
    asio::co_spawn(
        ex,
        [&]() -> asio::awaitable<void> {
          Params p{Value(pid)};
          while (co_await scalar(*admin_db,
                                 "SELECT count(*) FROM pg_stat_activity WHERE pid = $1 AND state = 'active' "
                                 "AND query LIKE 'SELECT pg_sleep%'",
                                 p) == 0) {
            co_await sleep_for(10ms);
          }
          // int64 parameters are bigint; the function takes an integer.
          co_await scalar(*admin_db, "SELECT pg_terminate_backend(CAST($1 AS INTEGER))::int", p);
        },
        [](std::exception_ptr e) {
          if (e) {
            try {
              std::rethrow_exception(e);
            } catch (const std::exception& ex) {
              FAIL_CHECK("terminating the backend failed: " << ex.what());
            }
          }
        });

    bool unavailable = false;
    try {
      co_await scalar(*db, "SELECT pg_sleep(60)::text IS NULL");
    } catch (const Unavailable&) {
      unavailable = true;
    }
    CHECK(unavailable);

    const std::int64_t next_pid = co_await scalar(*db, "SELECT pg_backend_pid()");
    CHECK(next_pid != pid);
  });
  db->close();
  admin_db->close();
}

TEST_CASE("postgres: idle connections killed behind the pool's back are replaced without errors") {
  if (!postgres_selected()) return;
  FreshDatabase fresh;
  auto db = fresh.open(4);
  auto admin_db = fresh.open(1);
  run<void>([&]() -> asio::awaitable<void> {
    auto ex = co_await asio::this_coro::executor;
    // Open all four connections at once so the pool holds four idle ones.
    std::atomic<int> done = 0;
    for (int i = 0; i < 4; ++i) {
      asio::co_spawn(
          ex, [&]() -> asio::awaitable<void> { co_await scalar(*db, "SELECT 1 FROM pg_sleep(0.05)"); },
          [&](std::exception_ptr) { ++done; });
    }
    while (done < 4) co_await sleep_for(5ms);

    // What a server restart does to them: every backend of this database but the admin's dies.
    co_await admin_db->read([](Tx& tx) -> asio::awaitable<void> {
      co_await tx.query(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
          "WHERE datname = current_database() AND pid <> pg_backend_pid()");
    });
    // Wait until they are gone, so the pool's sockets have seen the end of stream.
    while (co_await scalar(*admin_db,
                           "SELECT count(*) FROM pg_stat_activity "
                           "WHERE datname = current_database() AND pid <> pg_backend_pid()") > 0) {
      co_await sleep_for(10ms);
    }
    for (int i = 0; i < 8; ++i) CHECK(co_await scalar(*db, "SELECT 5") == 5);
  });
  db->close();
  admin_db->close();
}

TEST_CASE("postgres: concurrent writes through the pool keep every increment") {
  if (!postgres_selected()) return;
  FreshDatabase fresh;
  auto db = fresh.open(4, 10000ms);
  const int writers = 40;
  run<void>([&]() -> asio::awaitable<void> {
    auto ex = co_await asio::this_coro::executor;
    co_await db->write([](Tx& tx) -> asio::awaitable<void> {
      co_await tx.exec_script(
          "CREATE TABLE counter (id BIGINT PRIMARY KEY, n BIGINT NOT NULL);"
          "INSERT INTO counter VALUES (1, 0);"
          "CREATE TABLE log (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, who BIGINT NOT NULL);");
    });
    std::atomic<int> finished = 0, failed = 0;
    for (int i = 0; i < writers; ++i) {
      asio::co_spawn(
          another_strand(ex),
          [&, i]() -> asio::awaitable<void> {
            co_await db->write(tt::storage::job(increment_counter, i));
          },
          [&](std::exception_ptr e) {
            if (e) ++failed;
            ++finished;
          });
    }
    while (finished < writers) co_await sleep_for(5ms);
    CHECK(failed == 0);
    CHECK(co_await scalar(*db, "SELECT n FROM counter") == writers);
    CHECK(co_await scalar(*db, "SELECT count(DISTINCT who) FROM log") == writers);
  });
  db->close();
}

TEST_CASE("postgres: statements are prepared once per connection and reused") {
  if (!postgres_selected()) return;
  FreshDatabase fresh;
  const std::string sql = "SELECT $1 * 2";
  auto count_prepared = [&](Database& db) {
    return run<std::int64_t>([&]() -> asio::awaitable<std::int64_t> {
      for (std::int64_t i = 0; i < 5; ++i) {
        Params p{Value(i)};
        CHECK(co_await scalar(db, sql, std::move(p)) == 2 * i);
      }
      Params q{Value(sql)};
      co_return co_await scalar(db, "SELECT count(*) FROM pg_prepared_statements WHERE statement = $1", q);
    });
  };

  auto db = fresh.open(1);  // one connection: every statement runs on it
  CHECK(count_prepared(*db) == 1);
  db->close();

  auto unnamed = fresh.open(1, 2000ms, "prepared_statements=off");
  CHECK(count_prepared(*unnamed) == 0);
  unnamed->close();
}

TEST_CASE("postgres: a statement cached before its table changed is prepared again, without an error") {
  if (!postgres_selected()) return;
  FreshDatabase fresh;
  auto db = fresh.open(1);  // one connection: the cached statement is the one used again
  run<void>([&]() -> asio::awaitable<void> {
    auto select_all = [&]() -> asio::awaitable<Rows> {
      co_return co_await db->read([](Tx& tx) -> asio::awaitable<Rows> { co_return co_await tx.query("SELECT * FROM t"); });
    };
    co_await db->write([](Tx& tx) -> asio::awaitable<void> {
      co_await tx.exec_script("CREATE TABLE t (a BIGINT); INSERT INTO t VALUES (1);");
    });
    CHECK((co_await select_all()).at(0).size() == 1);
    // What a migration applied by another instance does.
    co_await db->write([](Tx& tx) -> asio::awaitable<void> {
      co_await tx.exec_script("ALTER TABLE t ADD COLUMN b BIGINT NOT NULL DEFAULT 2");
    });
    Rows rows = co_await select_all();
    REQUIRE(rows.at(0).size() == 2);
    CHECK(rows[0].i64(1) == 2);
  });
  db->close();
}

TEST_CASE("postgres: a query cancelled by its caller does not leave a busy connection behind") {
  if (!postgres_selected()) return;
  FreshDatabase fresh;
  auto db = fresh.open(1);
  run<void>([&]() -> asio::awaitable<void> {
    using namespace asio::experimental::awaitable_operators;
    auto slow = [&]() -> asio::awaitable<void> { co_await scalar(*db, "SELECT pg_sleep(60)::text IS NULL"); };
    // The timer wins and cancels the query coroutine (what a request timeout does).
    auto outcome = co_await (slow() || sleep_for(100ms));
    CHECK(outcome.index() == 1);
    // The pool's only connection was abandoned mid-query: it must not be handed out busy.
    CHECK(co_await scalar(*db, "SELECT 3") == 3);
  });
  db->close();
}

TEST_CASE("postgres: notifications reach listeners when the transaction commits") {
  if (!postgres_selected()) return;
  FreshDatabase fresh;
  auto db = fresh.open(2);
  auto* pg = dynamic_cast<pg::PgDatabase*>(db.get());
  REQUIRE(pg != nullptr);
  std::vector<std::string> received = run<std::vector<std::string>>([&]() -> asio::awaitable<std::vector<std::string>> {
    auto ex = co_await asio::this_coro::executor;
    std::vector<std::string> got;
    std::atomic<bool> listening = false;
    std::atomic<bool> ended = false;
    asio::co_spawn(
        ex,
        pg->listen({"tt_test"}, [&](const pg::Notification& n) { got.push_back(n.channel + ":" + n.payload); },
                   [&] { listening = true; }),
        [&](std::exception_ptr) { ended = true; });
    while (!listening) co_await sleep_for(5ms);

    // Rolled back: never delivered. Then committed: delivered, in commit order.
    try {
      co_await db->write([](Tx& tx) -> asio::awaitable<void> {
        co_await pg::notify(tx, "tt_test", "rolled back");
        throw std::runtime_error("abort");
      });
    } catch (const std::runtime_error&) {
    }
    co_await db->write([](Tx& tx) -> asio::awaitable<void> { co_await pg::notify(tx, "tt_test", "first"); });
    co_await db->write([](Tx& tx) -> asio::awaitable<void> { co_await pg::notify(tx, "tt_test", "second"); });
    while (got.size() < 2) co_await sleep_for(5ms);

    db->close();  // ends the listener
    while (!ended) co_await sleep_for(5ms);
    co_return got;
  }, 1);  // one thread: the handler and this coroutine share `got`
  CHECK(received == std::vector<std::string>{"tt_test:first", "tt_test:second"});
}

TEST_CASE("postgres: the description never shows the password") {
  // Needs no server: connections open on first use.
  auto db = open_postgres("postgresql://tracetrack:s3cret@db.example:5433/depot?sslmode=disable", DbOptions{});
  CHECK(db->describe() == "postgresql://tracetrack@db.example:5433/depot");
  CHECK(db->describe().find("s3cret") == std::string::npos);
  CHECK_THROWS_AS(open_postgres("postgresql://host/db?prepared_statements=maybe", DbOptions{}), DbError);
  CHECK_THROWS_AS(open_postgres("postgresql://host/db?no_such_option=1", DbOptions{}), DbError);
}

TEST_CASE("postgres: writes recover after a server restart and no acknowledged write is lost") {
  if (!postgres_selected()) return;
  const std::string script = env("TT_PG_THROWAWAY");
  if (script.empty()) {
    MESSAGE("restart test skipped: TT_PG_THROWAWAY is not set (scripts/pg-throwaway start prints it)");
    return;
  }
  tt::test::OwnCluster cluster(script);
  auto db = open_postgres(cluster.url(), [] {
    DbOptions o;
    o.pool_size = 4;
    return o;
  }());

  std::vector<std::int64_t> acknowledged;
  std::atomic<int> unavailable = 0, unexpected = 0;
  run<void>([&]() -> asio::awaitable<void> {
    auto ex = co_await asio::this_coro::executor;
    co_await db->write([](Tx& tx) -> asio::awaitable<void> {
      co_await tx.exec_script("CREATE TABLE acked (id BIGINT PRIMARY KEY)");
    });

    std::mutex acked_mutex;
    std::atomic<std::int64_t> next_id = 0;
    std::atomic<int> after_restart = 0, writers_done = 0;
    std::atomic<bool> restarted = false, stop = false;
    const int writers = 4;
    for (int w = 0; w < writers; ++w) {
      asio::co_spawn(
          another_strand(ex),
          [&]() -> asio::awaitable<void> {
            while (!stop) {
              const std::int64_t id = next_id++;
              bool failed = false;
              try {
                Params row{Value(id)};  // not braced inside co_await (storage/job.hpp)
                co_await db->write(
                    tt::storage::job(tt::storage::run_statement, std::string("INSERT INTO acked (id) VALUES ($1)"), std::move(row)));
                std::lock_guard lock(acked_mutex);
                acknowledged.push_back(id);
                if (restarted) ++after_restart;
              } catch (const Unavailable&) {
                ++unavailable;
                failed = true;
              } catch (const std::exception& e) {
                ++unexpected;
                MESSAGE("unexpected failure: " << e.what());
                failed = true;
              }
              if (failed) co_await sleep_for(20ms);  // the server is restarting: as a client would, retry later
            }
          },
          [&](std::exception_ptr) { ++writers_done; });
    }

    auto acked_count = [&] {
      std::lock_guard lock(acked_mutex);
      return acknowledged.size();
    };
    while (acked_count() < 100) co_await sleep_for(5ms);
    // Restart from a plain thread: pg_ctl blocks, io_context threads must not.
    std::atomic<bool> restart_ok = false, restart_done = false;
    std::thread restarter([&] {
      restart_ok = cluster.restart();
      restarted = true;
      restart_done = true;
    });
    while (!restart_done) co_await sleep_for(5ms);
    restarter.join();
    CHECK(restart_ok);
    // The same Database, without reopening it, serves writes again.
    while (after_restart < 100) co_await sleep_for(5ms);
    stop = true;
    while (writers_done < writers) co_await sleep_for(5ms);

    Rows rows = co_await db->read([](Tx& tx) -> asio::awaitable<Rows> { co_return co_await tx.query("SELECT id FROM acked"); });
    std::set<std::int64_t> stored;
    for (const Row& r : rows) stored.insert(r.i64(0));
    std::size_t missing = 0;
    for (std::int64_t id : acknowledged) missing += stored.count(id) == 0;
    CHECK(missing == 0);
  });
  MESSAGE("acknowledged " << acknowledged.size() << " writes; " << unavailable.load()
                          << " answered Unavailable during the restart");
  CHECK(unexpected == 0);
  db->close();
}
