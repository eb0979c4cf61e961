#include "storage/tables/api_tokens.hpp"

namespace tt::storage::api_tokens {

namespace {

constexpr std::string_view kColumns =
    "SELECT t.id, t.uid, t.name, u.username, c.username, t.created_at, t.last_used_at, t.revoked_at"
    " FROM api_tokens t JOIN users u ON u.id = t.user_id LEFT JOIN users c ON c.id = t.created_by";

TokenRow token_from(const Row& r) {
  return TokenRow{r.i64(0), r.text(1), r.text(2), r.text(3), r.opt_text(4), r.i64(5), r.opt_i64(6), r.opt_i64(7)};
}

}  // namespace

asio::awaitable<void> insert(Tx& tx, const NewTokenRow& t) {
  co_await tx.exec(
      "INSERT INTO api_tokens (uid, name, token_hash, user_id, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
      params(t.uid, t.name, t.token_hash, t.user_id, t.created_by, t.at));
}

asio::awaitable<std::optional<TokenRow>> by_uid(Tx& tx, const std::string& uid) {
  const std::string sql = std::string(kColumns) + " WHERE t.uid = $1";
  auto row = co_await tx.query_one(sql, params(uid));
  if (!row) co_return std::nullopt;
  co_return token_from(*row);
}

asio::awaitable<std::vector<TokenRow>> list(Tx& tx) {
  const std::string sql = std::string(kColumns) + " ORDER BY t.created_at DESC, t.id DESC";
  auto rows = co_await tx.query(sql);
  std::vector<TokenRow> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(token_from(r));
  co_return out;
}

asio::awaitable<void> revoke(Tx& tx, std::int64_t id, std::int64_t at) {
  co_await tx.exec("UPDATE api_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL", params(id, at));
}

asio::awaitable<std::optional<TokenLookup>> find(Tx& tx, const std::string& token_hash) {
  auto row = co_await tx.query_one(
      "SELECT t.id, t.name, t.last_used_at, t.revoked_at, u.id, u.username, u.role, u.area_id, a.name, u.active"
      " FROM api_tokens t JOIN users u ON u.id = t.user_id LEFT JOIN areas a ON a.id = u.area_id"
      " WHERE t.token_hash = $1",
      params(token_hash));
  if (!row) co_return std::nullopt;
  auto role = domain::parse_role(row->text(6));
  if (!role) co_return std::nullopt;  // unreachable: the schema checks the role
  TokenLookup out;
  out.token_id = row->i64(0);
  out.last_used_at = row->opt_i64(2);
  out.usable = row->is_null(3) && row->i64(9) != 0;
  domain::Identity& p = out.who;
  p.user_id = row->i64(4);
  p.username = row->text(5);
  p.role = *role;
  p.area_id = row->opt_i64(7);
  p.area_name = row->opt_text(8).value_or("");
  co_return out;
}

asio::awaitable<void> touch(Tx& tx, std::int64_t id, std::int64_t now) {
  co_await tx.exec(
      "UPDATE api_tokens SET last_used_at = $2 WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $2)",
      params(id, now));
}

}  // namespace tt::storage::api_tokens
