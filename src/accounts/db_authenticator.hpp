// The Authenticator of the running server: resolves `Authorization: Bearer tt_…` API tokens and
// `tt_session` cookies against the database, one indexed read per credential (or none while a
// result is in the short-lived cache, see credential_cache.hpp), and records activity at most once
// a minute per session or token instead of one write per request.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <optional>
#include <string>

#include "accounts/authenticator.hpp"
#include "accounts/credential_cache.hpp"

namespace tt::storage {
class Database;
}

namespace tt::accounts {

class DbAuthenticator final : public Authenticator {
 public:
  // `cache`: the server's credential cache (owned by its dependencies, api/deps.hpp), which the
  // api call helper invalidates after a credential change; it outlives the authenticator.
  DbAuthenticator(storage::Database& db, CredentialCache& cache);

  boost::asio::awaitable<std::optional<Principal>> authenticate(Presented presented) override;

 private:
  boost::asio::awaitable<std::optional<Principal>> from_session(std::string token);
  boost::asio::awaitable<std::optional<Principal>> from_api_token(std::string token);
  // A depot's sync token (SPEC §8): the site whose current token it is.
  boost::asio::awaitable<std::optional<Principal>> from_site_token(std::string token);

  storage::Database& db_;
  CredentialCache& cache_;  // keyed by token hash; session and API token hashes never collide
  TouchThrottle session_touch_;
  TouchThrottle token_touch_;
};

}  // namespace tt::accounts
