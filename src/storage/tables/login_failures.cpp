#include "storage/tables/login_failures.hpp"

namespace tt::storage::login_failures {

namespace {

asio::awaitable<std::vector<std::int64_t>> times(Tx& tx, std::string_view sql, const std::string& key,
                                                 std::int64_t since, std::int64_t limit) {
  auto rows = co_await tx.query(sql, params(key, since, limit));
  std::vector<std::int64_t> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(r.i64(0));
  co_return out;
}

}  // namespace

asio::awaitable<std::vector<std::int64_t>> of_username(Tx& tx, const std::string& username, std::int64_t since,
                                                       std::int64_t limit) {
  co_return co_await times(tx, "SELECT at FROM login_failures WHERE username = $1 AND at >= $2 ORDER BY at DESC LIMIT $3",
                           username, since, limit);
}

asio::awaitable<std::vector<std::int64_t>> of_address(Tx& tx, const std::string& client_addr, std::int64_t since,
                                                      std::int64_t limit) {
  co_return co_await times(
      tx, "SELECT at FROM login_failures WHERE client_addr = $1 AND at >= $2 ORDER BY at DESC LIMIT $3", client_addr,
      since, limit);
}

asio::awaitable<void> insert(Tx& tx, const std::string& username, const std::string& client_addr, std::int64_t at) {
  co_await tx.exec("INSERT INTO login_failures (username, client_addr, at) VALUES ($1, $2, $3)",
                   params(username, client_addr, at));
}

asio::awaitable<void> remove(Tx& tx, const std::string& username, const std::string& client_addr, std::int64_t at) {
  co_await tx.exec("DELETE FROM login_failures WHERE username = $1 AND client_addr = $2 AND at = $3",
                   params(username, client_addr, at));
}

asio::awaitable<void> forget(Tx& tx, const std::string& username) {
  co_await tx.exec("DELETE FROM login_failures WHERE username = $1", params(username));
}

asio::awaitable<void> forget_with_older(Tx& tx, const std::string& username, std::int64_t before) {
  co_await tx.exec("DELETE FROM login_failures WHERE username = $1 OR at < $2", params(username, before));
}

}  // namespace tt::storage::login_failures
