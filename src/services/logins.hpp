// The database side of a login (SPEC §3.9): lockout accounting, sessions and audit entries. The
// password check itself happens between begin_login and finish_login, off the io_context threads.
//
// Every attempt is recorded as a failure BEFORE the password is checked, in the same transaction
// as the lockout check, and the record is removed if the password turns out right. So N parallel
// guesses cannot all slip past the check before the first is counted: on SQLite the single writer
// serialises those transactions, on PostgreSQL a transaction-scoped advisory lock does.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>

#include "services/auth_settings.hpp"
#include "services/users.hpp"
#include "storage/database.hpp"

namespace tt::services {

namespace asio = boost::asio;

struct LoginAttempt {
  std::string username;  // normalised (lower-case, trimmed), possibly not an existing user
  std::string client_addr;
  std::optional<std::string> user_agent;
  std::int64_t now = 0;
};

struct LoginStart {
  AuthSettings settings;
  std::optional<std::int64_t> locked_until;  // set: refused, nothing else happened
  std::optional<UserCredentials> user;       // the account, when it exists
};

// Refuses (and audits) an attempt while the user name or the address is locked; otherwise counts
// the attempt as a failure and returns the account to check the password against.
asio::awaitable<LoginStart> begin_login(storage::Tx& tx, LoginAttempt attempt);

struct LoginSession {
  std::int64_t session_id = 0;
  std::int64_t expires_at = 0;
};

// The password was right and the account active: forgets the user name's failures, opens a
// session, stores `rehashed` when the stored hash used outdated parameters, audits the login (with
// the second factor used, "totp" or "recovery_code", when there was one).
asio::awaitable<LoginSession> finish_login(storage::Tx& tx, LoginAttempt attempt, UserCredentials user,
                                           std::string session_token_hash, std::string csrf_token,
                                           std::int64_t absolute_us, std::int64_t idle_us,
                                           std::optional<std::string> rehashed,
                                           std::optional<std::string> second_factor);

// The password was wrong, the account unknown or inactive: the failure stays counted; audited with
// the reason (only known accounts are named: a mistyped user name is often someone's password).
asio::awaitable<void> record_failed_login(storage::Tx& tx, LoginAttempt attempt, std::optional<UserCredentials> user,
                                          std::string reason);

// Takes back the failure counted for this one attempt (a right password that still needs a code:
// not a failure, but no reason to forget the wrong codes counted before it either).
asio::awaitable<void> uncount_login_attempt(storage::Tx& tx, LoginAttempt attempt);

// Stores the hash of the right password under current parameters (the stored one used outdated ones).
asio::awaitable<void> store_rehashed_password(storage::Tx& tx, UserCredentials user, std::string rehashed);

// Forgets the failures counted against a user name (after a right password).
asio::awaitable<void> forget_login_failures(storage::Tx& tx, std::string username);

}  // namespace tt::services
