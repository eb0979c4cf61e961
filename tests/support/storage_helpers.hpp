// Small helpers shared by the storage contract tests: rows of the real schema, counting, and
// running coroutines side by side.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <atomic>
#include <chrono>
#include <exception>
#include <future>
#include <type_traits>
#include <memory>
#include <string>
#include <vector>

#include "storage/database.hpp"
#include "util/ids.hpp"

namespace tt::test {

namespace asio = boost::asio;
using storage::Database;
using storage::params;
using storage::Tx;

inline constexpr std::int64_t some_time = 1764000000000000;  // 2025-11-24, in microseconds

inline asio::awaitable<std::int64_t> add_area(Tx& tx, std::string name) {
  auto row = co_await tx.query_one("INSERT INTO areas (uid, name, created_at) VALUES ($1, $2, $3) RETURNING id",
                                   params(util::uuid_v7(), name, some_time));
  co_return row->i64(0);
}

inline asio::awaitable<std::int64_t> add_bag(Tx& tx, std::string code, bool parent = false) {
  // Decided before the co_await (the coroutine rule: storage/job.hpp).
  storage::Params values = params(util::uuid_v7(), code, parent ? "parent" : "child",
                                  parent ? storage::Value(std::string("SB")) : storage::null(), some_time);
  auto row = co_await tx.query_one(
      "INSERT INTO bags (uid, code, type, kind, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
      std::move(values));
  co_return row->i64(0);
}

inline asio::awaitable<std::int64_t> add_bill(Tx& tx, std::string code) {
  auto row = co_await tx.query_one(
      "INSERT INTO bills (uid, code, capacity, created_at, updated_at) VALUES ($1, $2, 10, $3, $3) RETURNING id",
      params(util::uuid_v7(), code, some_time));
  co_return row->i64(0);
}

// Holds the database's writer (SQLite's writer thread, a PostgreSQL group writer) inside a write
// job until released: the job adds the area "gate" and blocks its thread on purpose, so that the
// jobs submitted meanwhile wait in the queue and form the next batch or group together, in a
// known order.
struct WriterGate {
  std::atomic<bool> entered{false};
  std::promise<void> open;
  std::shared_future<void> opened = open.get_future().share();

  asio::awaitable<void> hold(Database& db) { co_await db.write(storage::job(gate_job, this)); }

  static asio::awaitable<void> gate_job(Tx& tx, WriterGate* gate) {
    co_await add_area(tx, "gate");
    gate->entered = true;
    gate->opened.wait();
  }
};

// Rows in a table of the test's choosing (a constant, never input).
inline asio::awaitable<std::int64_t> count_rows(Database& db, std::string table) {
  co_return co_await db.read(storage::job(storage::query_int, "SELECT COUNT(*) FROM " + table, storage::Params{}));
}

inline asio::awaitable<void> pause(std::chrono::milliseconds d) {
  asio::steady_timer timer(co_await asio::this_coro::executor, d);
  co_await timer.async_wait(asio::use_awaitable);
}

// Waits, without blocking a thread, until cond() holds. Callers pass a lambda capturing by
// reference only: a lambda written inside a co_await expression is destroyed twice (the coroutine
// rule: storage/job.hpp), which is harmless only when its captures need no destruction.
template <class Cond>
asio::awaitable<void> wait_until(Cond cond) {
  static_assert(std::is_trivially_destructible_v<Cond>, "capture by reference");
  while (!cond()) co_await pause(std::chrono::milliseconds(1));
}

// A coroutine running in the background.
struct Started {
  std::atomic<bool> done{false};
  std::exception_ptr error;  // written before done is set
};

// Spawns the coroutine on exactly this executor.
inline std::shared_ptr<Started> start_on(asio::any_io_executor ex, asio::awaitable<void> coroutine) {
  auto state = std::make_shared<Started>();
  asio::co_spawn(ex, std::move(coroutine), [state](std::exception_ptr e) {
    state->error = e;
    state->done.store(true, std::memory_order_release);
  });
  return state;
}

// Spawns the coroutine on a new strand of ex, so that it runs in parallel with others.
inline std::shared_ptr<Started> start(asio::any_io_executor ex, asio::awaitable<void> coroutine) {
  return start_on(asio::make_strand(ex), std::move(coroutine));
}

inline asio::awaitable<void> finished(std::shared_ptr<Started> s) {
  co_await wait_until([&s] { return s->done.load(std::memory_order_acquire); });
}

// Runs every coroutine concurrently and returns how each ended (null: success), in order.
inline asio::awaitable<std::vector<std::exception_ptr>> run_all(std::vector<asio::awaitable<void>> coroutines) {
  auto ex = co_await asio::this_coro::executor;
  std::vector<std::shared_ptr<Started>> started;
  for (auto& c : coroutines) started.push_back(start(ex, std::move(c)));
  std::vector<std::exception_ptr> out;
  for (auto& s : started) {
    co_await finished(s);
    out.push_back(s->error);
  }
  co_return out;
}

inline std::string what(const std::exception_ptr& e) {
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& x) {
    return x.what();
  } catch (...) {
    return "unknown exception";
  }
}

}  // namespace tt::test
