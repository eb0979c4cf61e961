// The session and sign-in settings (domain/auth_settings.hpp: keys, parsing, defaults) as stored,
// and the administrator's settings change reported as a credential change: the session limits and
// the second-factor rule are part of what a resolved credential says (accounts/credential_cache.hpp).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>

#include "domain/auth_settings.hpp"
#include "services/caller.hpp"
#include "services/credential_change.hpp"
#include "storage/database.hpp"

namespace tt::accounts {

namespace asio = boost::asio;

using domain::AuthSettings;

asio::awaitable<AuthSettings> load_auth_settings(storage::Tx& tx);

// services::update_settings (PATCH /api/v1/settings), whose change may concern sessions.
asio::awaitable<services::CredentialChange<nlohmann::json>> update_settings(storage::Tx& tx, services::Caller caller,
                                                                            nlohmann::json changes);

}  // namespace tt::accounts
