// Signing in and changing one's own password (SPEC §3.9): the password checks run on the hashing
// pool, the accounting and the session in database transactions, in this order:
//   1. lockout check and failure pre-count (one write transaction, services::begin_login);
//   2. password verification off the io_context threads (an unknown user costs the same time);
//   3. session creation or failure audit (one write transaction).
// A wrong password, an unknown user and an inactive account all get the same invalid_credentials
// invalid_credentials, so the answer never tells which user names exist.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>

#include "auth/password_hasher.hpp"
#include "auth/principal.hpp"
#include "domain/errors.hpp"
#include "services/users.hpp"

namespace tt::storage {
class Database;
}

namespace tt::auth {

struct LoginRequest {
  std::string username;
  std::string password;
  std::string client_addr;
  std::optional<std::string> user_agent;
};

struct LoginResult {
  services::User user;
  std::string session_token;  // for the cookie only: never logged, never in a body
  std::string csrf_token;
  std::int64_t session_id = 0;
  std::int64_t max_age_seconds = 0;
};

// Throws domain::Failure invalid_credentials, or too_many_attempts with Retry-After.
boost::asio::awaitable<LoginResult> login(storage::Database& db, PasswordHasher& hasher, LoginRequest request);

// The caller's own password change: the old password must be right (wrong_password; the
// attempt counts towards the lockout like a failed login, too_many_attempts while locked), the new one valid
// (invalid_password). Ends the user's other sessions (all of them when called with a token).
boost::asio::awaitable<void> change_password(storage::Database& db, PasswordHasher& hasher, Principal who,
                                             std::string old_password, std::string new_password,
                                             std::string client_addr);

}  // namespace tt::auth
