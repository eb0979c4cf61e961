#include "storage/postgres/pg_tx.hpp"

namespace tt::storage::pg {

asio::awaitable<Result> PgTx::run(std::string_view sql, const Params& params) {
  if (begun_) co_return co_await conn_.execute(sql, params);
  begun_ = true;
  bool stale = false;
  try {
    co_return co_await conn_.execute(sql, params, begin_);
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

asio::awaitable<void> PgTx::exec_script(std::string_view sql) {
  if (begun_) {
    co_await conn_.execute_script(sql);
    co_return;
  }
  // The simple query protocol takes several statements in one message: BEGIN goes first.
  begun_ = true;
  co_await conn_.execute_script(begin_ + ";\n" + std::string(sql));
}

}  // namespace tt::storage::pg
