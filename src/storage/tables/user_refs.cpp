#include "storage/tables/user_refs.hpp"

namespace tt::storage::user_refs {

asio::awaitable<std::vector<std::pair<std::int64_t, std::string>>> names(Tx& tx) {
  const Rows rows = co_await tx.query("SELECT id, username FROM users");
  std::vector<std::pair<std::int64_t, std::string>> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.emplace_back(r.i64(0), r.text(1));
  co_return out;
}

asio::awaitable<std::optional<SecondFactor>> second_factor(Tx& tx, std::int64_t user_id) {
  auto row = co_await tx.query_one("SELECT totp_enabled_at FROM users WHERE id = $1", params(user_id));
  if (!row) co_return std::nullopt;
  co_return SecondFactor{row->opt_i64(0)};
}

}  // namespace tt::storage::user_refs
