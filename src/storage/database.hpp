// The one storage interface that handlers and services use. Two backends implement it:
// storage/sqlite (embedded, depots) and storage/postgres (head office, pooled libpq).
//
// Services express every operation once, as a coroutine over a Tx, with one SQL text that uses
// $1..$N placeholders (rewritten for SQLite). Domain rules live in src/domain and are called from
// those coroutines, so neither backend carries rules of its own.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "storage/job.hpp"
#include "storage/value.hpp"

namespace tt::storage {

namespace asio = boost::asio;

// One statement of Tx::query_all: its text, parameters, and whether the rows it reads stay locked
// until the transaction ends (FOR UPDATE on PostgreSQL, as Tx::query_locked). Built by a plain
// function, never braced inside a co_await (the coroutine rule: storage/job.hpp).
struct Query {
  std::string_view sql;
  Params params;
  bool locked = false;
};
using Queries = std::vector<Query>;

// One transaction on one connection. Only valid inside the function given to Database::write or
// Database::read, and only from the coroutine that received it.
//
// Rule for writers: never catch a database error inside a transaction and carry on. PostgreSQL
// aborts the whole transaction on any error; express "insert unless present" with ON CONFLICT.
class Tx {
 public:
  virtual ~Tx() = default;
  virtual Dialect dialect() const noexcept = 0;
  // Whether the services write each change of this transaction to the synchronisation outbox
  // (services/sync_capture.hpp): a depot's SQLite database with an upstream (SPEC §8). Never on
  // PostgreSQL: a depot's outbox sequence is its commit order, which only SQLite's single writer
  // gives without a lock per change.
  virtual bool captures_changes() const noexcept { return false; }

  // Runs one statement and returns all its rows (RETURNING rows for writes).
  virtual asio::awaitable<Rows> query(std::string_view sql, Params params = {}) = 0;

  // Runs one statement and returns the number of rows it changed.
  virtual asio::awaitable<std::int64_t> exec(std::string_view sql, Params params = {}) = 0;

  // Runs the statements in order and returns each one's rows, in one round trip on PostgreSQL
  // (pipeline mode) where each call of query() would cost one. Each statement sees what the
  // statements before it changed, and (READ COMMITTED) what other transactions committed before
  // it started, as if each had been sent on its own: a count read after a row lock sees every
  // change the lock waited for. The first error is thrown; the statements after it did not run.
  virtual asio::awaitable<std::vector<Rows>> query_all(Queries statements);

  // Runs several statements without parameters (schema migrations).
  virtual asio::awaitable<void> exec_script(std::string_view sql) = 0;

  // Runs a statement whose outcome the caller does not need (log and audit inserts) at the latest
  // when the transaction commits: on PostgreSQL in the round trip of the next statement or of
  // the COMMIT, on SQLite at once. An error it raises fails the transaction from that later
  // point, as any error would.
  virtual asio::awaitable<void> exec_deferred(std::string_view sql, Params params = {});

  // Appends one row to an append-only log table (scan_events, audit_log): `insert_columns` is
  // "INSERT INTO table (column, ...)" without VALUES, `values` one value per column. No statement
  // of a write transaction reads those tables, so the row may be written at any point before the
  // commit: a PostgreSQL group writer inserts every row its group appended to one table in one
  // statement, in the round trip of the COMMIT; elsewhere it is exec_deferred. An error it raises
  // fails the transaction.
  virtual asio::awaitable<void> append_row(std::string_view insert_columns, Params values);

  // First row, if any.
  asio::awaitable<std::optional<Row>> query_one(std::string_view sql, Params params = {});

  // Row locks: the only way services order changes that must not interleave (SPEC §3: capacity
  // of a parent or bill under concurrent scans, one bill per parent). On PostgreSQL the rows a
  // SELECT reads stay locked (FOR UPDATE) until the transaction ends; SQLite runs one write
  // transaction at a time, which already orders them, so there the SELECT only reads.
  asio::awaitable<Rows> query_locked(std::string_view select_sql, Params params = {});
  asio::awaitable<std::optional<Row>> query_one_locked(std::string_view select_sql, Params params = {});
  // Locks the rows a SELECT reads without returning them: nothing at all on SQLite.
  virtual asio::awaitable<void> lock_rows(std::string_view select_sql, Params params = {});
  // A lock on a number until the transaction ends (PostgreSQL advisory lock), for work with no
  // row to lock; nothing on SQLite.
  virtual asio::awaitable<void> lock_key(std::int64_t key);

 private:
  // " FOR UPDATE" on PostgreSQL, nothing on SQLite.
  std::string_view for_update() const noexcept {
    return dialect() == Dialect::postgres ? " FOR UPDATE" : "";
  }
};

// How a write job is scheduled. Only PostgreSQL's group writers (storage/postgres/
// pg_group_writer.hpp) look at it; SQLite's one writer runs every job in turn. Made by
// write_affinity() or write_alone(), never braced inside a co_await (storage/job.hpp).
struct WriteOptions {
  // Jobs of the same affinity run on the same group writer, one after the other: the code of the
  // row a job locks first (a scan's parent bag), so that two groups never wait for each other on
  // it, nor deadlock.
  std::string affinity;
  // The job may run side by side with the other concurrent jobs of its group whose affinity
  // differs, their statements sharing round trips: it decides on no row that such a job may change,
  // but through unique constraints it handles (an insert ON CONFLICT DO NOTHING, then a fresh read).
  // Scans are such jobs: a scan decides on its parent bag (the affinity) and meets another scan's
  // child only through UNIQUE code and UNIQUE child_id. Other jobs run one at a time.
  bool concurrent = false;
  // A transaction of its own on a pooled connection instead of a place in a group: for long jobs
  // (imports, migrations) that would hold a whole group of scans up.
  bool alone = false;
};
WriteOptions write_affinity(std::string key);
WriteOptions write_concurrent(std::string key);
WriteOptions write_alone();

struct DbOptions {
  // Reader connections (SQLite) or pooled connections (PostgreSQL); 0 = derived from threads.
  unsigned pool_size = 0;
  unsigned threads = 2;
  // SQLite: FULL makes every acknowledged write survive power loss; NORMAL only process crashes.
  bool sqlite_sync_full = true;
  // SQLite: write every change to the synchronisation outbox (a depot with --upstream, SPEC §8).
  // A database that already pushes to head office captures its changes whoever opens it.
  bool capture_changes = false;
  // Longest wait for a free pooled connection before the request gets 503.
  std::chrono::milliseconds acquire_timeout{2000};
  // Largest number of write transactions the SQLite writer commits together.
  unsigned max_batch = 256;
  // PostgreSQL group writers: threads, each with a connection of its own, committing queued write
  // transactions together (0 = 1: on a machine of a few cores one writer commits the most; more
  // writers compete for the same pages and cores).
  unsigned pg_writers = 0;
  // Write transactions waiting (per PostgreSQL group writer, or for the SQLite writer) before new
  // ones are refused at once with Unavailable.
  std::size_t write_queue_capacity = 1024;
};

// The result type of a job. A job is storage::job(fn, args...), or a callable that holds nothing (a
// lambda without captures: nothing of it can be destroyed twice); anything else, a lambda with
// captures above all, is refused at compile time (see storage/job.hpp).
template <class J>
struct job_result {
  static_assert(std::is_empty_v<J>,
                "Database::write and read take storage::job(fn, args...), not a lambda with captures: "
                "see storage/job.hpp (GCC 12)");
  using type = typename std::invoke_result_t<J&, Tx&>::value_type;
};
template <class Fn, class... Args>
struct job_result<TxJob<Fn, Args...>> {
  using type = typename TxJob<Fn, Args...>::result_type;
};

// What GET /metrics shows of a database; each backend fills what it has.
struct DbStats {
  // PostgreSQL: this instance's pool.
  std::optional<unsigned> pool_open, pool_idle, pool_waiting;
  std::optional<std::uint64_t> pool_waits_total;  // acquisitions that had to queue, since start
  // Write transactions queued for the writer(s) (SQLite's one, PostgreSQL's group writers).
  std::optional<std::size_t> write_queue;
  // SQLite: the size of the -wal file.
  std::optional<std::uint64_t> wal_bytes;
  // Group commit, since start: transactions committed by the writer(s), the write jobs answered
  // from them, the time spent making them durable (SQLite: the syncer's fdatasync; PostgreSQL:
  // the COMMIT round trip), and jobs refused because the queue was full.
  std::uint64_t write_groups_total = 0;
  std::uint64_t write_jobs_total = 0;
  double commit_seconds_total = 0;
  std::uint64_t write_refused_total = 0;
  // SQLite: checkpoints of the write-ahead log into the database file, and their time.
  std::optional<std::uint64_t> checkpoints_total;
  std::optional<double> checkpoint_seconds_total;
  // SQLite: pages appended to the write-ahead log (each commit writes every page it changed).
  std::optional<std::uint64_t> wal_pages_total;
};

class Database {
 public:
  using Job = std::function<asio::awaitable<void>(Tx&)>;

  virtual ~Database() = default;
  virtual Dialect dialect() const noexcept = 0;

  // Runs a job (storage::job(fn, args...), see storage/job.hpp) inside one write transaction and
  // returns its result once the transaction is durable. The transaction rolls back if the job
  // throws; the exception then reaches the caller. Both backends commit several callers'
  // transactions together (group commit), and one caller's failure never undoes another's work:
  // SQLite runs each job in its own savepoint; PostgreSQL rolls the group back and runs the other
  // jobs again (so a job may run more than once: storage/job.hpp). Resumes on the caller's
  // executor. Throws Unavailable at once when too many write transactions are waiting already
  // (DbOptions::write_queue_capacity).
  template <class J>
  auto write(J job) -> asio::awaitable<typename job_result<J>::type>;
  template <class J>
  auto write(J job, WriteOptions options) -> asio::awaitable<typename job_result<J>::type>;

  // Runs a job on a read connection (a consistent snapshot). Resumes on the caller's executor.
  template <class J>
  auto read(J job) -> asio::awaitable<typename job_result<J>::type>;

  // A real round trip to the database (readiness probe).
  virtual asio::awaitable<void> ping() = 0;

  // Stops background threads and closes connections; later calls fail.
  virtual void close() = 0;

  // Human-readable target without secrets, for logs ("sqlite:tracetrack.db").
  virtual std::string describe() const = 0;

  // Cheap to call (no database round trip): for the metrics.
  virtual DbStats stats() const { return {}; }

 protected:
  virtual asio::awaitable<void> run_write(Job job, WriteOptions options) = 0;
  virtual asio::awaitable<void> run_read(Job job) = 0;

 private:
  // A write when `write` holds options, a read otherwise.
  template <class F>
  auto run(F fn, std::optional<WriteOptions> write)
      -> asio::awaitable<typename std::invoke_result_t<F&, Tx&>::value_type>;
};

// Jobs of a single statement, for storage::job: run_statement runs one statement and drops its
// rows; run_script runs statements without parameters; query_rows returns the rows; query_int the
// first column of the first row as a number (a count), throwing DbError when there is no row.
asio::awaitable<void> run_statement(Tx& tx, std::string sql, Params params);
asio::awaitable<void> run_script(Tx& tx, std::string sql);
asio::awaitable<Rows> query_rows(Tx& tx, std::string sql, Params params);
asio::awaitable<std::int64_t> query_int(Tx& tx, std::string sql, Params params);

// Opens "sqlite:PATH", a bare path, or "postgresql://..." / "postgres://...". Throws DbError.
std::unique_ptr<Database> open_database(const std::string& url, const DbOptions& options);

// --- template implementation -----------------------------------------------------------------

template <class F>
auto Database::run(F fn, std::optional<WriteOptions> write)
    -> asio::awaitable<typename std::invoke_result_t<F&, Tx&>::value_type> {
  using R = typename std::invoke_result_t<F&, Tx&>::value_type;
  // fn lives in this coroutine frame, which stays suspended until the backend has finished the
  // job, and the Job lambda lives inside the backend's job record until then: the references the
  // lambda holds stay valid for as long as it can run.
  if constexpr (std::is_void_v<R>) {
    Job job([&fn](Tx& tx) -> asio::awaitable<void> { co_await fn(tx); });
    // Not `co_await (c ? a() : b())` (the coroutine rule: storage/job.hpp).
    if (write) co_await run_write(std::move(job), std::move(*write));
    else co_await run_read(std::move(job));
  } else {
    std::optional<R> out;
    Job job([&fn, &out](Tx& tx) -> asio::awaitable<void> { out.emplace(co_await fn(tx)); });
    // Not `co_await (c ? a() : b())` (the coroutine rule: storage/job.hpp).
    if (write) co_await run_write(std::move(job), std::move(*write));
    else co_await run_read(std::move(job));
    co_return std::move(*out);
  }
}

template <class J>
auto Database::write(J job) -> asio::awaitable<typename job_result<J>::type> {
  return run(std::move(job), std::optional<WriteOptions>(std::in_place));
}

template <class J>
auto Database::write(J job, WriteOptions options) -> asio::awaitable<typename job_result<J>::type> {
  return run(std::move(job), std::optional<WriteOptions>(std::move(options)));
}

template <class J>
auto Database::read(J job) -> asio::awaitable<typename job_result<J>::type> {
  return run(std::move(job), std::nullopt);
}

}  // namespace tt::storage
