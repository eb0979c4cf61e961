// Browser sessions (SPEC §3.9, §4): rows keyed by the SHA-256 of the cookie's token, with an
// absolute end (expires_at) and an idle limit checked against last_seen_at (storage/tables/
// sessions). A session is opened by a sign-in (accounts/login) and resolved by the authenticator
// (accounts/db_authenticator); these are the operations of its owner.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <vector>

#include "services/audit.hpp"
#include "services/credential_change.hpp"
#include "storage/database.hpp"
#include "storage/tables/sessions.hpp"

namespace tt::accounts {

namespace asio = boost::asio;

using storage::SessionInfo;

// Logout. Returns whether a session was removed.
asio::awaitable<services::CredentialChange<bool>> end_session(storage::Tx& tx, std::int64_t session_id);

// The user's sessions that are still valid at `now` (neither past their end nor idle longer than
// the session_idle_minutes setting), most recently used first.
asio::awaitable<std::vector<SessionInfo>> list_user_sessions(storage::Tx& tx, std::int64_t user_id, std::int64_t now);

// Ends every session of the actor but `keep` (signing out every other device; 0 keeps none), with
// an audit entry "sessions_end" naming how many. Returns how many.
asio::awaitable<services::CredentialChange<std::int64_t>> end_other_sessions(storage::Tx& tx, services::Actor actor,
                                                                             std::int64_t keep);

}  // namespace tt::accounts
