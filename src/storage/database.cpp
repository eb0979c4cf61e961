#include "storage/database.hpp"

#include "storage/postgres/pg_database.hpp"
#include "storage/sqlite/sqlite_database.hpp"

namespace tt::storage {

asio::awaitable<std::optional<Row>> Tx::query_one(std::string_view sql, Params params) {
  Rows rows = co_await query(sql, std::move(params));
  if (rows.empty()) co_return std::nullopt;
  co_return std::move(rows.front());
}

std::unique_ptr<Database> open_database(const std::string& url, const DbOptions& options) {
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) return open_postgres(url, options);
  std::string path = url;
  if (path.starts_with("sqlite:")) {
    path.erase(0, 7);
    // "sqlite:///var/lib/x.db" names the absolute path /var/lib/x.db, as in other tools' URLs.
    if (path.starts_with("//")) path.erase(0, 2);
  }
  if (path.empty()) throw DbError("no SQLite database path in \"" + url + "\"");
  return sqlite::open_sqlite(path, options);
}

}  // namespace tt::storage
