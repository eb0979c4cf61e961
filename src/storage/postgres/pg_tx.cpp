#include "storage/postgres/pg_tx.hpp"

namespace tt::storage::pg {

asio::awaitable<Result> PgTx::run(std::string_view sql, const Params& params, bool cache) {
  // Sent with this statement, whatever happens to it: on an error the transaction is over anyway.
  std::vector<Statement> before;
  before.swap(deferred_);
  if (begun_) co_return co_await conn_.execute(sql, params, {}, before, cache);
  begun_ = true;
  bool stale = false;
  try {
    co_return co_await conn_.execute(sql, params, begin_, before, cache);
  } catch (const Unavailable&) {
    // Stale only if the connection was dead before the request: BEGIN never got an answer. A
    // request the server was already running (and then lost) is in flight: its caller gets 503.
    if (!reused_ || conn_.first_command_answered()) throw;
    stale = true;
  }
  if (stale) throw StaleConnection("database connection lost while idle");
  co_return Result{};
}

asio::awaitable<Rows> PgTx::query(std::string_view sql, Params params) {
  Result r = co_await run(sql, params);
  co_return std::move(r.rows);
}

asio::awaitable<std::int64_t> PgTx::exec(std::string_view sql, Params params) {
  Result r = co_await run(sql, params);
  co_return r.affected;
}

asio::awaitable<void> PgTx::exec_deferred(std::string_view sql, Params params) {
  deferred_.push_back(Statement{std::string(sql), std::move(params)});
  co_return;
}

asio::awaitable<void> PgTx::lock_rows(std::string_view select_sql, Params params) {
  std::string sql(select_sql);
  sql += " FOR UPDATE";
  co_await run(sql, params);
}

asio::awaitable<void> PgTx::lock_key(std::int64_t key) {
  // Selected through a subquery: the function returns void, which is no column type of ours.
  const Params p = params(key);
  co_await run("SELECT 1 FROM (SELECT pg_advisory_xact_lock($1::bigint)) AS l", p);
}

asio::awaitable<void> PgTx::commit() {
  if (!begun_ && deferred_.empty()) co_return;
  // Not prepared: COMMIT has nothing to plan.
  co_await run("COMMIT", {}, false);
}

asio::awaitable<void> PgTx::exec_script(std::string_view sql) {
  if (!deferred_.empty()) {
    // The simple protocol cannot share a round trip: send what waits first.
    co_await run("SELECT 1", {}, true);
  }
  if (begun_) {
    co_await conn_.execute_script(sql);
    co_return;
  }
  // The simple query protocol takes several statements in one message: BEGIN goes first.
  begun_ = true;
  co_await conn_.execute_script(begin_ + ";\n" + std::string(sql));
}

}  // namespace tt::storage::pg
