// The api_tokens table (SPEC §4): tokens for scripts, stored only as the SHA-256 of the secret and
// acting as a named user. Named statements and row mapping, each written once.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/identity.hpp"
#include "storage/database.hpp"

namespace tt::storage {

struct TokenRow {
  std::int64_t id = 0;
  std::string uid;  // the token's public id (never the secret)
  std::string name;
  std::string username;  // the user the token acts as
  std::optional<std::string> created_by;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> last_used_at;
  std::optional<std::int64_t> revoked_at;
};

struct NewTokenRow {
  std::string uid;
  std::string name;
  std::string token_hash;
  std::int64_t user_id = 0;
  std::int64_t created_by = 0;
  std::int64_t at = 0;
};

// What one indexed read returns for a request carrying a bearer token.
struct TokenLookup {
  domain::Identity who;  // the user the token acts as
  bool usable = false;   // not revoked and its user active
  std::optional<std::int64_t> last_used_at;
  std::int64_t token_id = 0;
};

namespace api_tokens {

asio::awaitable<void> insert(Tx& tx, const NewTokenRow& token);
asio::awaitable<std::optional<TokenRow>> by_uid(Tx& tx, const std::string& uid);
// Newest first.
asio::awaitable<std::vector<TokenRow>> list(Tx& tx);
// Sets revoked_at unless already set.
asio::awaitable<void> revoke(Tx& tx, std::int64_t id, std::int64_t at);
asio::awaitable<std::optional<TokenLookup>> find(Tx& tx, const std::string& token_hash);
asio::awaitable<void> touch(Tx& tx, std::int64_t id, std::int64_t now);

}  // namespace api_tokens
}  // namespace tt::storage
