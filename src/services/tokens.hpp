// API tokens for scripts and integrations (SPEC §4): created and revoked by an administrator,
// acting as a named user, shown once and stored only as a SHA-256 hash.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/identity.hpp"
#include "services/audit.hpp"
#include "storage/database.hpp"

namespace tt::services {

namespace asio = boost::asio;

struct TokenInfo {
  std::int64_t id = 0;
  std::string uid;  // the token's public id (never the secret)
  std::string name;
  std::string username;  // the user the token acts as
  std::optional<std::string> created_by;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> last_used_at;
  std::optional<std::int64_t> revoked_at;
};

// Creates a token acting as `username` (user_not_found; user_inactive, invalid_token_name).
asio::awaitable<TokenInfo> create_token(storage::Tx& tx, Actor actor, std::string name, std::string username,
                                        std::string token_hash);
asio::awaitable<std::vector<TokenInfo>> list_tokens(storage::Tx& tx);
// Revokes the token with public id `uid` (token_not_found). Revoking twice keeps the first time.
asio::awaitable<TokenInfo> revoke_token(storage::Tx& tx, Actor actor, std::string uid);

struct TokenLookup {
  domain::Identity who;  // the user the token acts as
  bool usable = false;  // not revoked and its user active
  std::optional<std::int64_t> last_used_at;
  std::int64_t token_id = 0;
};

asio::awaitable<std::optional<TokenLookup>> find_token(storage::Tx& tx, std::string token_hash);
// Records use; the caller throttles it (at most once a minute per token).
asio::awaitable<void> touch_token(storage::Tx& tx, std::int64_t token_id, std::int64_t now);

}  // namespace tt::services
