#include "services/tokens.hpp"

#include "domain/user_rules.hpp"
#include "domain/errors.hpp"
#include "services/audit_entry.hpp"
#include "services/users.hpp"
#include "util/ids.hpp"
#include "util/time.hpp"

namespace tt::services {

namespace {

constexpr const char* kTokenColumns =
    "SELECT t.id, t.uid, t.name, u.username, c.username, t.created_at, t.last_used_at, t.revoked_at"
    " FROM api_tokens t JOIN users u ON u.id = t.user_id LEFT JOIN users c ON c.id = t.created_by";

TokenInfo token_from(const storage::Row& r) {
  return TokenInfo{r.i64(0),     r.text(1),    r.text(2),    r.text(3), r.opt_text(4),
                   r.i64(5),     r.opt_i64(6), r.opt_i64(7)};
}

nlohmann::json audit_view(const TokenInfo& t) {
  return nlohmann::json{{"name", t.name}, {"user", t.username}, {"revoked", t.revoked_at.has_value()}};
}

asio::awaitable<std::optional<TokenInfo>> token_by_uid(storage::Tx& tx, const std::string& uid) {
  auto row = co_await tx.query_one(std::string(kTokenColumns) + " WHERE t.uid = $1", storage::params(uid));
  if (!row) co_return std::nullopt;
  co_return token_from(*row);
}

}  // namespace

asio::awaitable<TokenInfo> create_token(storage::Tx& tx, Actor actor, std::string raw_name, std::string username,
                                        std::string token_hash) {
  std::string name = domain::trim(raw_name);
  if (auto err = domain::validate_token_name(name)) throw domain::Failure(domain::Error::invalid_token_name, *err);
  auto user = co_await find_user(tx, username);
  if (!user) {
    throw domain::Failure(domain::Error::user_not_found, "There is no user named '" + domain::normalise_username(username) + "'.");
  }
  if (!user->active) throw domain::Failure(domain::Error::user_inactive, "The user '" + user->username + "' is deactivated.");
  const std::string uid = util::uuid_v7();
  co_await tx.exec(
      "INSERT INTO api_tokens (uid, name, token_hash, user_id, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
      storage::params(uid, name, token_hash, user->id, actor.user_id, util::now_us()));
  auto created = co_await token_by_uid(tx, uid);
  if (!created) throw storage::DbError("token vanished after insert");
  co_await record_audit(tx, std::move(actor),
                        make_audit_entry(AuditAction::token_create, "token", uid, std::nullopt, audit_view(*created)));
  co_return *created;
}

asio::awaitable<std::vector<TokenInfo>> list_tokens(storage::Tx& tx) {
  auto rows = co_await tx.query(std::string(kTokenColumns) + " ORDER BY t.created_at DESC, t.id DESC");
  std::vector<TokenInfo> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(token_from(r));
  co_return out;
}

asio::awaitable<TokenInfo> revoke_token(storage::Tx& tx, Actor actor, std::string uid) {
  auto before = co_await token_by_uid(tx, uid);
  if (!before) throw domain::Failure(domain::Error::token_not_found, "There is no API token with this id.");
  if (before->revoked_at) co_return *before;
  co_await tx.exec("UPDATE api_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL",
                   storage::params(before->id, util::now_us()));
  auto after = co_await token_by_uid(tx, uid);
  if (!after) throw storage::DbError("token vanished during revocation");
  co_await record_audit(
      tx, std::move(actor),
      make_audit_entry(AuditAction::token_revoke, "token", uid, audit_view(*before), audit_view(*after)));
  co_return *after;
}

asio::awaitable<std::optional<TokenLookup>> find_token(storage::Tx& tx, std::string token_hash) {
  auto row = co_await tx.query_one(
      "SELECT t.id, t.name, t.last_used_at, t.revoked_at, u.id, u.username, u.role, u.area_id, a.name, u.active"
      " FROM api_tokens t JOIN users u ON u.id = t.user_id LEFT JOIN areas a ON a.id = u.area_id"
      " WHERE t.token_hash = $1",
      storage::params(token_hash));
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

asio::awaitable<void> touch_token(storage::Tx& tx, std::int64_t token_id, std::int64_t now) {
  co_await tx.exec("UPDATE api_tokens SET last_used_at = $2 WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $2)",
                   storage::params(token_id, now));
}

}  // namespace tt::services
