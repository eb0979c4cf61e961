// The sessions table (SPEC §3.9, §4): browser sessions keyed by the SHA-256 of the cookie's token,
// with an absolute end (expires_at) and an idle limit checked against last_seen_at. Named
// statements and row mapping, each written once.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/identity.hpp"
#include "storage/database.hpp"

namespace tt::storage {

struct NewSessionRow {
  std::string token_hash;
  std::string csrf_token;
  std::int64_t user_id = 0;
  std::int64_t created_at = 0;
  std::int64_t expires_at = 0;
  std::string client_addr;
  std::optional<std::string> user_agent;
};

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

// One of a user's own sessions, as the account page lists them.
struct SessionInfo {
  std::int64_t id = 0;
  std::int64_t created_at = 0;
  std::int64_t last_seen_at = 0;
  std::int64_t expires_at = 0;  // the absolute end; the idle end is last_seen_at + the idle limit
  std::optional<std::string> client_addr;
  std::optional<std::string> user_agent;
};

namespace sessions {

asio::awaitable<std::int64_t> insert(Tx& tx, const NewSessionRow& session);
// One read through the unique index on token_hash; the settings the check needs ride along.
asio::awaitable<std::optional<SessionLookup>> find(Tx& tx, const std::string& token_hash);
asio::awaitable<void> touch(Tx& tx, std::int64_t id, std::int64_t now);
// Whether a session was removed.
asio::awaitable<bool> remove(Tx& tx, std::int64_t id);
// Every session of the user but `keep` (none kept when empty); how many.
asio::awaitable<std::int64_t> remove_of_user(Tx& tx, std::int64_t user_id, std::optional<std::int64_t> keep);
// Sessions past their absolute end or unused since `seen_before`; how many.
asio::awaitable<std::int64_t> purge(Tx& tx, std::int64_t now, std::int64_t seen_before);
// The user's sessions not past their end and used since `seen_since`, most recently used first.
asio::awaitable<std::vector<SessionInfo>> of_user(Tx& tx, std::int64_t user_id, std::int64_t now,
                                                  std::int64_t seen_since);

}  // namespace sessions
}  // namespace tt::storage
