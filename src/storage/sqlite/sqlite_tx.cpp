#include "storage/sqlite/sqlite_tx.hpp"

namespace tt::storage::sqlite {

asio::awaitable<Rows> SqliteTx::query(std::string_view sql, Params params) { co_return conn_.query(sql, params); }

asio::awaitable<std::int64_t> SqliteTx::exec(std::string_view sql, Params params) {
  co_return conn_.exec(sql, params);
}

asio::awaitable<void> SqliteTx::exec_script(std::string_view sql) {
  conn_.exec_script(sql);
  co_return;
}

}  // namespace tt::storage::sqlite
