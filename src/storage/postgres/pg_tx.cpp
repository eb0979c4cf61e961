#include "storage/postgres/pg_tx.hpp"

namespace tt::storage::pg {

asio::awaitable<Rows> PgTx::query(std::string_view sql, Params params) {
  Result r = co_await conn_.execute(sql, params);
  co_return std::move(r.rows);
}

asio::awaitable<std::int64_t> PgTx::exec(std::string_view sql, Params params) {
  Result r = co_await conn_.execute(sql, params);
  co_return r.affected;
}

asio::awaitable<void> PgTx::exec_script(std::string_view sql) { co_await conn_.execute_script(sql); }

}  // namespace tt::storage::pg
