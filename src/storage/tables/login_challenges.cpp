#include "storage/tables/login_challenges.hpp"

namespace tt::storage::login_challenges {

asio::awaitable<void> purge(Tx& tx, std::int64_t now) {
  co_await tx.exec("DELETE FROM login_challenges WHERE expires_at <= $1", params(now));
}

asio::awaitable<void> insert(Tx& tx, const NewChallengeRow& c) {
  co_await tx.exec(
      "INSERT INTO login_challenges (token_hash, user_id, client_addr, user_agent, created_at, expires_at)"
      " VALUES ($1, $2, $3, $4, $5, $6)",
      params(c.token_hash, c.user_id, c.client_addr, c.user_agent, c.created_at, c.expires_at));
}

asio::awaitable<std::optional<LoginChallenge>> find(Tx& tx, const std::string& token_hash, std::int64_t now,
                                                    int max_failures) {
  auto row = co_await tx.query_one(
      "SELECT c.id, c.user_id, u.username, c.failures FROM login_challenges c JOIN users u ON u.id = c.user_id"
      " WHERE c.token_hash = $1 AND c.expires_at > $2 AND c.failures < $3",
      params(token_hash, now, max_failures));
  if (!row) co_return std::nullopt;
  co_return LoginChallenge{row->i64(0), row->i64(1), row->text(2), static_cast<int>(row->i64(3))};
}

asio::awaitable<void> count_failure(Tx& tx, std::int64_t id) {
  co_await tx.exec("UPDATE login_challenges SET failures = failures + 1 WHERE id = $1", params(id));
}

asio::awaitable<void> remove(Tx& tx, std::int64_t id) {
  co_await tx.exec("DELETE FROM login_challenges WHERE id = $1", params(id));
}

asio::awaitable<void> remove_of_user(Tx& tx, std::int64_t user_id) {
  co_await tx.exec("DELETE FROM login_challenges WHERE user_id = $1", params(user_id));
}

}  // namespace tt::storage::login_challenges
