#include "accounts/tokens.hpp"

#include "domain/user_rules.hpp"
#include "domain/errors.hpp"
#include "services/audit_entry.hpp"
#include "services/users.hpp"
#include "storage/tables/api_tokens.hpp"
#include "util/ids.hpp"
#include "util/time.hpp"

namespace tt::accounts {

using services::AuditAction;

namespace {

nlohmann::json audit_view(const TokenInfo& t) {
  return nlohmann::json{{"name", t.name}, {"user", t.username}, {"revoked", t.revoked_at.has_value()}};
}

}  // namespace

asio::awaitable<TokenInfo> create_token(storage::Tx& tx, Actor actor, std::string raw_name, std::string username,
                                        std::string token_hash) {
  std::string name = domain::trim(raw_name);
  if (auto err = domain::validate_token_name(name)) throw domain::Failure(domain::Error::invalid_token_name, *err);
  auto user = co_await services::find_user(tx, username);
  if (!user) {
    throw domain::Failure(domain::Error::user_not_found, "There is no user named '" + domain::normalise_username(username) + "'.");
  }
  if (!user->active) throw domain::Failure(domain::Error::user_inactive, "The user '" + user->username + "' is deactivated.");
  const std::string uid = util::uuid_v7();
  const storage::NewTokenRow row{uid, name, std::move(token_hash), user->id, actor.user_id, util::now_us()};
  co_await storage::api_tokens::insert(tx, row);
  auto created = co_await storage::api_tokens::by_uid(tx, uid);
  if (!created) throw storage::DbError("token vanished after insert");
  co_await services::record_audit(tx, std::move(actor),
                        services::make_audit_entry(AuditAction::token_create, "token", uid, std::nullopt, audit_view(*created)));
  co_return *created;
}

asio::awaitable<std::vector<TokenInfo>> list_tokens(storage::Tx& tx) {
  co_return co_await storage::api_tokens::list(tx);
}

asio::awaitable<services::CredentialChange<TokenInfo>> revoke_token(storage::Tx& tx, Actor actor, std::string uid) {
  auto before = co_await storage::api_tokens::by_uid(tx, uid);
  if (!before) throw domain::Failure(domain::Error::token_not_found, "There is no API token with this id.");
  if (before->revoked_at) co_return services::credential_change(*before);
  co_await storage::api_tokens::revoke(tx, before->id, util::now_us());
  auto after = co_await storage::api_tokens::by_uid(tx, uid);
  if (!after) throw storage::DbError("token vanished during revocation");
  co_await services::record_audit(
      tx, std::move(actor),
      services::make_audit_entry(AuditAction::token_revoke, "token", uid, audit_view(*before), audit_view(*after)));
  co_return services::credential_change(*after);
}

}  // namespace tt::accounts
