// The Authenticator of the running server: resolves `Authorization: Bearer tt_…` API tokens and
// `tt_session` cookies against the database, one indexed read per credential (or none while a
// result is in the short-lived cache, see credential_cache.hpp), and records activity at most once
// a minute per session or token instead of one write per request.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <optional>
#include <string>

#include "app/config.hpp"
#include "auth/authenticator.hpp"
#include "auth/credential_cache.hpp"

namespace tt::storage {
class Database;
}

namespace tt::auth {

// How long a resolved credential is trusted without a database read: TRACETRACK_AUTH_CACHE_MS
// (0 disables the cache; clamped to 2000), 1000 by default.
std::chrono::milliseconds auth_cache_ttl(const app::EnvLookup& env);

class DbAuthenticator final : public Authenticator {
 public:
  DbAuthenticator(storage::Database& db, std::chrono::milliseconds cache_ttl);

  boost::asio::awaitable<std::optional<Principal>> authenticate(const http::Request& req) override;

 private:
  boost::asio::awaitable<std::optional<Principal>> from_session(std::string token);
  boost::asio::awaitable<std::optional<Principal>> from_api_token(std::string token);

  storage::Database& db_;
  CredentialCache cache_;  // keyed by token hash; session and API token hashes never collide
  TouchThrottle session_touch_;
  TouchThrottle token_touch_;
};

}  // namespace tt::auth
