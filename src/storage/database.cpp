#include "storage/database.hpp"

#include "storage/postgres/pg_database.hpp"
#include "storage/sqlite/sqlite_database.hpp"

namespace tt::storage {

WriteOptions write_affinity(std::string key) {
  WriteOptions o;
  o.affinity = std::move(key);
  return o;
}

WriteOptions write_concurrent(std::string key) {
  WriteOptions o;
  o.affinity = std::move(key);
  o.concurrent = true;
  return o;
}

WriteOptions write_alone() {
  WriteOptions o;
  o.alone = true;
  return o;
}

asio::awaitable<void> Tx::exec_deferred(std::string_view sql, Params params) {
  co_await exec(sql, std::move(params));
}

asio::awaitable<void> Tx::append_row(std::string_view insert_columns, Params values) {
  std::string sql(insert_columns);
  sql += " VALUES (";
  for (std::size_t i = 1; i <= values.size(); ++i) {
    if (i > 1) sql += ", ";
    sql += '$';
    sql += std::to_string(i);
  }
  sql += ')';
  co_await exec_deferred(sql, std::move(values));
}

asio::awaitable<std::vector<Rows>> Tx::query_all(Queries statements) {
  std::vector<Rows> out;
  out.reserve(statements.size());
  for (Query& q : statements) {
    if (q.locked) {
      out.push_back(co_await query_locked(q.sql, std::move(q.params)));
    } else {
      out.push_back(co_await query(q.sql, std::move(q.params)));
    }
  }
  co_return out;
}

asio::awaitable<std::optional<Row>> Tx::query_one(std::string_view sql, Params params) {
  Rows rows = co_await query(sql, std::move(params));
  if (rows.empty()) co_return std::nullopt;
  co_return std::move(rows.front());
}

asio::awaitable<Rows> Tx::query_locked(std::string_view select_sql, Params params) {
  std::string sql(select_sql);
  sql += for_update();
  co_return co_await query(sql, std::move(params));
}

asio::awaitable<std::optional<Row>> Tx::query_one_locked(std::string_view select_sql, Params params) {
  Rows rows = co_await query_locked(select_sql, std::move(params));
  if (rows.empty()) co_return std::nullopt;
  co_return std::move(rows.front());
}

asio::awaitable<void> Tx::lock_rows(std::string_view, Params) { co_return; }

asio::awaitable<void> Tx::lock_key(std::int64_t) { co_return; }

std::unique_ptr<Database> open_database(const std::string& url, const DbOptions& options) {
  if (auto path = sqlite::sqlite_path_of(url)) return sqlite::open_sqlite(*path, options);
  return open_postgres(url, options);
}

asio::awaitable<void> run_statement(Tx& tx, std::string sql, Params params) {
  co_await tx.query(sql, std::move(params));
}

asio::awaitable<void> run_script(Tx& tx, std::string sql) { co_await tx.exec_script(sql); }

asio::awaitable<Rows> query_rows(Tx& tx, std::string sql, Params params) { co_return co_await tx.query(sql, std::move(params)); }

asio::awaitable<std::int64_t> query_int(Tx& tx, std::string sql, Params params) {
  auto row = co_await tx.query_one(sql, std::move(params));
  if (!row) throw DbError("no row from: " + sql);
  co_return row->i64(0);
}

}  // namespace tt::storage
