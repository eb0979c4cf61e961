// Fixtures shared by the storage, service and integration tests: a fresh database of the backend
// under test, and a runner for coroutines with a deadlock limit.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "storage/database.hpp"

namespace tt::test {

namespace asio = boost::asio;

// The backend under test, from TT_BACKEND: "sqlite" (default) or "postgres".
std::string backend_name();
bool testing_sqlite();
bool testing_postgres();

enum class Schema { migrated, empty };

// A new database of the backend under test, used by this fixture alone: a file in a fresh
// temporary folder (SQLite) or a freshly created database on the server of TRACETRACK_TEST_PG_URL
// (PostgreSQL). Migrated to the current schema unless `schema` is empty. Destroying the returned
// object closes the database and deletes it. Throws when the backend cannot be reached (for
// PostgreSQL, when TRACETRACK_TEST_PG_URL is not set).
std::unique_ptr<storage::Database> open_test_database(Schema schema = Schema::migrated,
                                                      storage::DbOptions options = {});

// The backend object behind a database returned by open_test_database (for backend-specific
// checks such as SqliteDatabase::pending_writes); any other database is returned as it is.
storage::Database& backend_of(storage::Database& db);

// Wraps db so that destroying the result closes db and then calls remove (which deletes the
// database's files or drops it on its server).
std::unique_ptr<storage::Database> with_cleanup(std::unique_ptr<storage::Database> db, std::function<void()> remove);

// The PostgreSQL half of open_test_database: a database of its own, created on the server of
// TRACETRACK_TEST_PG_URL, dropped when the returned object is destroyed. Not migrated.
std::unique_ptr<storage::Database> open_postgres_test_database(const storage::DbOptions& options);

// Runs a coroutine to completion on an io_context served by `threads` threads and returns its
// result (or rethrows its exception). A coroutine still running after `timeout` is taken for a
// deadlock: the test fails with an exception instead of hanging the whole suite.
template <class T>
T run_sync(asio::awaitable<T> coroutine, std::chrono::seconds timeout = std::chrono::seconds(60),
           unsigned threads = 4) {
  // Left allocated if the coroutine hangs: its threads are stopped, but a database thread may
  // still hold a completion bound to this context and post to it later.
  auto* ctx = new asio::io_context(static_cast<int>(threads));
  auto work = asio::make_work_guard(*ctx);
  std::future<T> result = asio::co_spawn(*ctx, std::move(coroutine), asio::use_future);
  std::vector<std::thread> pool;
  for (unsigned i = 0; i < threads; ++i) pool.emplace_back([ctx] { ctx->run(); });
  const bool finished = result.wait_for(timeout) == std::future_status::ready;
  if (!finished) ctx->stop();
  work.reset();
  for (auto& t : pool) t.join();
  if (!finished) {
    throw std::runtime_error("coroutine still running after " + std::to_string(timeout.count()) +
                             " s: deadlock or lost completion");
  }
  delete ctx;
  return result.get();
}

}  // namespace tt::test
