// Browser sessions (SPEC §3.9, §4): rows keyed by the SHA-256 of the cookie's token, with an
// absolute end (expires_at) and an idle limit checked against last_seen_at.
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

struct NewSession {
  std::string token_hash;
  std::string csrf_token;
  std::int64_t user_id = 0;
  std::int64_t created_at = 0;
  std::int64_t expires_at = 0;
  std::string client_addr;
  std::optional<std::string> user_agent;
};

asio::awaitable<std::int64_t> create_session(storage::Tx& tx, NewSession s);

// What one indexed read returns for a request carrying a session cookie: whose session it is, its
// id and CSRF token; the caller decides validity from the other fields.
struct SessionLookup {
  domain::Identity who;
  std::int64_t session_id = 0;
  std::string csrf_token;
  bool user_active = false;
  std::int64_t last_seen_at = 0;
  std::int64_t expires_at = 0;
  std::optional<std::string> idle_minutes_setting;  // JSON text of session_idle_minutes, if set
  // An administrator without a second factor while admins_need_second_factor is on: the session
  // may only set one up (SPEC §3.9).
  bool second_factor_setup_required = false;
};

asio::awaitable<std::optional<SessionLookup>> find_session(storage::Tx& tx, std::string token_hash);

// Records activity; the caller throttles it (at most once a minute per session).
asio::awaitable<void> touch_session(storage::Tx& tx, std::int64_t session_id, std::int64_t now);

// Logout. Returns whether a session was removed.
asio::awaitable<bool> end_session(storage::Tx& tx, std::int64_t session_id);

// One of a user's own sessions, as the account page lists them.
struct SessionInfo {
  std::int64_t id = 0;
  std::int64_t created_at = 0;
  std::int64_t last_seen_at = 0;
  std::int64_t expires_at = 0;  // the absolute end; the idle end is last_seen_at + the idle limit
  std::optional<std::string> client_addr;
  std::optional<std::string> user_agent;
};

// The user's sessions that are still valid at `now` (neither past their end nor idle longer than
// the session_idle_minutes setting), most recently used first.
asio::awaitable<std::vector<SessionInfo>> list_user_sessions(storage::Tx& tx, std::int64_t user_id, std::int64_t now);

// Ends every session of the actor but `keep` (signing out every other device; 0 keeps none), with
// an audit entry "sessions_end" naming how many. Returns how many.
asio::awaitable<std::int64_t> end_other_sessions(storage::Tx& tx, Actor actor, std::int64_t keep);

// Removes sessions past their absolute end or idle for longer than idle_us.
asio::awaitable<std::int64_t> purge_expired_sessions(storage::Tx& tx, std::int64_t now, std::int64_t idle_us);

}  // namespace tt::services
