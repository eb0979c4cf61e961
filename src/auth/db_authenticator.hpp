// The Authenticator of the running server: resolves `Authorization: Bearer tt_…` API tokens and
// `tt_session` cookies against the database, one indexed read per credential (or none while a
// result is in the short-lived cache, see credential_cache.hpp), and records activity at most once
// a minute per session or token instead of one write per request.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <optional>
#include <string>

#include "auth/authenticator.hpp"
#include "auth/credential_cache.hpp"

namespace tt::storage {
class Database;
}

namespace tt::auth {

class DbAuthenticator final : public Authenticator {
 public:
  DbAuthenticator(storage::Database& db, std::chrono::milliseconds cache_ttl);

  // cache_ttl: how long a resolved credential is trusted without a database read (0: never),
  // at most 2 s.
  boost::asio::awaitable<std::optional<Principal>> authenticate(Presented presented) override;

 private:
  boost::asio::awaitable<std::optional<Principal>> from_session(std::string token);
  boost::asio::awaitable<std::optional<Principal>> from_api_token(std::string token);

  storage::Database& db_;
  CredentialCache cache_;  // keyed by token hash; session and API token hashes never collide
  TouchThrottle session_touch_;
  TouchThrottle token_touch_;
};

}  // namespace tt::auth
