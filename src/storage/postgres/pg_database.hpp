// PostgreSQL backend of storage::Database: libpq driven asynchronously on Asio, with a bounded
// connection pool.
//
// Every wait (connect, send, receive) happens on the connection's socket inside the calling
// coroutine, so a slow query never blocks an io_context thread and the caller always resumes on
// its own executor. Connections are not tied to one io_context: each operation wraps the socket
// with the caller's executor for as long as it runs.
//
// Transactions: write() runs READ COMMITTED (rows are locked with Tx::query_locked and lock_rows)
// in a group writer (pg_group_writer.hpp): many requests' jobs in one transaction, each in its own
// savepoint, committed together. write(job, write_alone()) runs a transaction of its own on a
// pooled connection instead (long jobs). read() runs REPEATABLE READ, READ ONLY on a pooled
// connection, so all its statements see one snapshot, and never waits for a write. BEGIN travels
// with the first statement and a job that runs none opens no transaction. A job may run more than
// once: after a deadlock or serialization failure (up to 4 runs, then Unavailable), when the
// connection it got turns out to have died while idle, or when a cached statement was invalidated
// by a schema change. Jobs must therefore not act outside the transaction (publish after write()).
// A request whose connection is lost while the server is working on it fails with Unavailable.
//
// Parameters: int64 values are sent as bigint, doubles as double precision, strings untyped (the
// server infers their type from the statement). A function taking an integer needs
// CAST($1 AS INTEGER).
//
// URL: anything libpq accepts ("postgresql://user:pass@host:port/db?sslmode=...", "postgres://…"
// or "host=… dbname=…"), plus one parameter of our own that is removed before libpq sees it:
//   prepared_statements=off   send every statement unnamed (for transaction-pooling proxies such
//                             as pgbouncer, where a named statement may live on another backend).
#pragma once

#include <boost/asio/awaitable.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "storage/database.hpp"
#include "storage/postgres/pg_notification.hpp"

namespace tt::storage {

// Opens a pooled PostgreSQL database. Connections are made on first use, so this only checks the
// URL (throws DbError when libpq cannot parse it) and never blocks on the network.
std::unique_ptr<Database> open_postgres(const std::string& url, const DbOptions& options);

}  // namespace tt::storage

namespace tt::storage::pg {

class Pool;
class GroupWriters;

class PgDatabase final : public Database {
 public:
  using NotificationHandler = std::function<void(const Notification&)>;

  PgDatabase(std::string conninfo, std::string description, const DbOptions& options,
             bool prepared_statements);
  ~PgDatabase() override;

  Dialect dialect() const noexcept override { return Dialect::postgres; }
  asio::awaitable<void> ping() override;
  void close() override;
  std::string describe() const override;
  DbStats stats() const override;

  // Receives the notifications sent to `channels` (LISTEN) on a dedicated connection outside the
  // pool and calls `handler` for each, on the awaiting coroutine's executor, until that coroutine
  // is cancelled or close() is called (then it returns normally). A lost connection is re-opened
  // after a short pause and the channels listened to again; `on_connected` runs after every
  // successful LISTEN (also the first), so the caller can resynchronise whatever it may have
  // missed while disconnected. Channel names are identifiers: [A-Za-z_][A-Za-z0-9_]* only.
  asio::awaitable<void> listen(std::vector<std::string> channels, NotificationHandler handler,
                               std::function<void()> on_connected = {});

 protected:
  asio::awaitable<void> run_write(Job job, WriteOptions options) override;
  asio::awaitable<void> run_read(Job job) override;

 private:
  struct Listeners;
  asio::awaitable<void> run_transaction(Job job, std::string_view begin);

  std::string conninfo_;
  std::string description_;
  std::shared_ptr<Pool> pool_;
  std::unique_ptr<GroupWriters> writers_;
  std::shared_ptr<Listeners> listeners_;
};

// Sends a notification from inside a write transaction; PostgreSQL delivers it to listeners of
// every instance when (and only if) the transaction commits. Payloads are limited to ~8000 bytes.
asio::awaitable<void> notify(Tx& tx, std::string channel, std::string payload);

}  // namespace tt::storage::pg
