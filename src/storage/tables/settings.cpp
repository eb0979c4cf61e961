#include "storage/tables/settings.hpp"

#include "storage/sql_text.hpp"

namespace tt::storage::settings {

namespace {

constexpr std::string_view kAll = "SELECT key, value FROM settings";
constexpr std::string_view kStore =
    "INSERT INTO settings (key, value, updated_at, updated_by) VALUES ($1, $2, $3, $4)"
    " ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at,"
    " updated_by = excluded.updated_by";

StoredSettings stored_from(const Rows& rows) {
  StoredSettings out;
  for (const auto& r : rows) out.emplace(r.text(0), r.text(1));
  return out;
}

}  // namespace

asio::awaitable<StoredSettings> read_all(Tx& tx) {
  const Rows rows = co_await tx.query(kAll);
  co_return stored_from(rows);
}

asio::awaitable<StoredSettings> read_keys(Tx& tx, std::vector<std::string> keys) {
  Params p;
  std::string sql = std::string(kAll) + " WHERE key IN (";
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (i) sql += ", ";
    sql += placeholder(p, std::move(keys[i]));
  }
  sql += ')';
  const Rows rows = co_await tx.query(sql, std::move(p));
  co_return stored_from(rows);
}

asio::awaitable<void> store(Tx& tx, const std::string& key, const std::string& json_text, std::int64_t at,
                            std::optional<std::int64_t> by) {
  co_await tx.exec(kStore, params(key, json_text, at, by));
}

}  // namespace tt::storage::settings
