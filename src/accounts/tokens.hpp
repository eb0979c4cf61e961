// API tokens for scripts and integrations (SPEC §4): created and revoked by an administrator,
// acting as a named user, shown once and stored only as a SHA-256 hash (storage/tables/api_tokens).
// A request presenting one is resolved by the authenticator (accounts/db_authenticator).
#pragma once

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "services/audit.hpp"
#include "services/credential_change.hpp"
#include "storage/database.hpp"
#include "storage/tables/api_tokens.hpp"

namespace tt::accounts {

namespace asio = boost::asio;

using TokenInfo = storage::TokenRow;
using services::Actor;

// Creates a token acting as `username` (user_not_found; user_inactive, invalid_token_name).
asio::awaitable<TokenInfo> create_token(storage::Tx& tx, Actor actor, std::string name, std::string username,
                                        std::string token_hash);
asio::awaitable<std::vector<TokenInfo>> list_tokens(storage::Tx& tx);
// Revokes the token with public id `uid` (token_not_found). Revoking twice keeps the first time.
asio::awaitable<services::CredentialChange<TokenInfo>> revoke_token(storage::Tx& tx, Actor actor, std::string uid);

}  // namespace tt::accounts
