#include "storage/database.hpp"

#include "storage/postgres/pg_database.hpp"
#include "storage/sqlite/sqlite_database.hpp"

namespace tt::storage {

asio::awaitable<void> Tx::exec_deferred(std::string_view sql, Params params) {
  co_await exec(sql, std::move(params));
}

asio::awaitable<std::optional<Row>> Tx::query_one(std::string_view sql, Params params) {
  Rows rows = co_await query(sql, std::move(params));
  if (rows.empty()) co_return std::nullopt;
  co_return std::move(rows.front());
}

std::unique_ptr<Database> open_database(const std::string& url, const DbOptions& options) {
  if (auto path = sqlite::sqlite_path_of(url)) return sqlite::open_sqlite(*path, options);
  return open_postgres(url, options);
}

}  // namespace tt::storage
