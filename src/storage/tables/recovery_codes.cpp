#include "storage/tables/recovery_codes.hpp"

namespace tt::storage::recovery_codes {

asio::awaitable<void> replace(Tx& tx, std::int64_t user_id, const std::vector<std::string>& hashes,
                              std::int64_t now) {
  // Each code in its own row: a code is then used (and found) by one indexed update.
  co_await remove_of_user(tx, user_id);
  for (const auto& h : hashes) {
    co_await tx.exec("INSERT INTO user_recovery_codes (user_id, code_hash, created_at) VALUES ($1, $2, $3)",
                     params(user_id, h, now));
  }
}

asio::awaitable<bool> use(Tx& tx, std::int64_t user_id, const std::string& code_hash, std::int64_t now) {
  const auto changed = co_await tx.exec(
      "UPDATE user_recovery_codes SET used_at = $3 WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL",
      params(user_id, code_hash, now));
  co_return changed == 1;
}

asio::awaitable<void> remove_of_user(Tx& tx, std::int64_t user_id) {
  co_await tx.exec("DELETE FROM user_recovery_codes WHERE user_id = $1", params(user_id));
}

}  // namespace tt::storage::recovery_codes
