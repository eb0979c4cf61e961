// storage::Tx over one pooled PostgreSQL connection.
//
// The transaction's BEGIN is not sent on its own: it travels with the job's first statement in one
// round trip (pipeline mode), and a job that runs no statement opens no transaction at all.
// Likewise deferred statements travel with the next statement or with COMMIT (a child scan takes
// 6 round trips instead of 8), and rows appended to log tables with COMMIT, many rows a statement.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "storage/database.hpp"
#include "storage/postgres/pg_appended_rows.hpp"
#include "storage/postgres/pg_connection.hpp"

namespace tt::storage::pg {

// The first statement on a connection that had been waiting in the pool failed because the
// connection was dead: nothing reached the server, so PgDatabase runs the job again on another
// connection. Derives from Unavailable so that it still means 503 if it ever got further.
struct StaleConnection : Unavailable {
  using Unavailable::Unavailable;
};

// Selected through a subquery: the function returns void, which is no column type of ours.
inline constexpr std::string_view kLockKeySql = "SELECT 1 FROM (SELECT pg_advisory_xact_lock($1::bigint)) AS l";

// The commands of Tx::query_all: each statement's text, with FOR UPDATE when its rows stay locked.
// Refers to the statements' parameters: keep `statements` alive while the commands are used.
class LockedTexts {
 public:
  explicit LockedTexts(const Queries& statements);
  std::span<const Command> commands() const noexcept { return commands_; }

 private:
  std::vector<std::string> texts_;
  std::vector<Command> commands_;
};

class PgTx final : public Tx {
 public:
  // `begin`: the statement opening the transaction. `reused`: the connection sat idle in the pool.
  PgTx(Connection& conn, std::string begin, bool reused) noexcept
      : conn_(conn), begin_(std::move(begin)), reused_(reused) {}

  Dialect dialect() const noexcept override { return Dialect::postgres; }
  asio::awaitable<Rows> query(std::string_view sql, Params params = {}) override;
  asio::awaitable<std::int64_t> exec(std::string_view sql, Params params = {}) override;
  // One round trip for all of them (with BEGIN and the deferred statements, as any statement).
  asio::awaitable<std::vector<Rows>> query_all(Queries statements) override;
  asio::awaitable<void> exec_script(std::string_view sql) override;
  // Kept until the next statement or the commit, and sent in that round trip.
  asio::awaitable<void> exec_deferred(std::string_view sql, Params params) override;
  // Kept until the commit, and sent with it as a few multi-row INSERTs per table.
  asio::awaitable<void> append_row(std::string_view insert_columns, Params values) override;
  asio::awaitable<void> lock_rows(std::string_view select_sql, Params params) override;
  asio::awaitable<void> lock_key(std::int64_t key) override;

  // Sends the deferred statements, the appended rows and COMMIT in one round trip; nothing when no
  // statement was run at all (no transaction was opened).
  asio::awaitable<void> commit();

 private:
  asio::awaitable<Result> run(std::string_view sql, const Params& params, bool cache = true);
  // Sends `own` with BEGIN (first time) and the deferred statements in one round trip; returns
  // the results of `own`.
  asio::awaitable<std::vector<Result>> send(std::span<const Command> own);

  Connection& conn_;
  std::string begin_;
  bool reused_;
  bool begun_ = false;
  std::vector<Statement> deferred_;
  AppendedRows appended_;
};

}  // namespace tt::storage::pg
