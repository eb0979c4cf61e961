// Signing in and changing one's own password (SPEC §3.9): the password checks run on the hashing
// pool, the accounting and the session in database transactions, in this order:
//   1. lockout check and failure pre-count (one write transaction, begin_login in login.cpp);
//   2. password verification off the io_context threads (an unknown user costs the same time);
//   3. session creation or failure audit (one write transaction).
// A user with a second factor gets no session from the password: step 3 opens a challenge instead,
// and login_second_factor finishes the sign-in with a one-time code (RFC 6238) or a recovery code.
// Its attempts go through the same steps 1 and 3, so the lockout counts wrong passwords and wrong
// codes together. A right password takes back only its own count: the wrong codes before it stay
// counted until a code is right (else a thief with the password could guess codes forever).
// A wrong password, an unknown user and an inactive account all get the same invalid_credentials,
// so the answer never tells which user names exist.
//
// Lockout accounting: every attempt is recorded as a failure BEFORE the password is checked, in the
// same transaction as the lockout check, and the record is removed if the password turns out
// right. So N parallel guesses cannot all slip past the check before the first is counted: on
// SQLite the single writer serialises those transactions, on PostgreSQL a transaction-scoped
// advisory lock does.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>

#include "accounts/password_hasher.hpp"
#include "accounts/principal.hpp"
#include "domain/audit_actions.hpp"
#include "domain/errors.hpp"
#include "services/audit.hpp"
#include "services/credential_change.hpp"
#include "services/users.hpp"

namespace tt::storage {
class Database;
}

namespace tt::accounts {

struct LoginRequest {
  std::string username;
  std::string password;
  std::string client_addr;
  std::optional<std::string> user_agent;
};

struct LoginResult {
  // Set when the user has a second factor: no session yet, the client sends this token back with
  // the code within `challenge_seconds` (never logged; only its hash is stored).
  std::optional<std::string> challenge_token;
  std::int64_t challenge_seconds = 0;
  services::User user;
  std::string session_token;  // for the cookie only: never logged, never in a body
  std::string csrf_token;
  std::int64_t session_id = 0;
  std::int64_t max_age_seconds = 0;
};

// Throws domain::Failure invalid_credentials, or too_many_attempts with Retry-After.
boost::asio::awaitable<LoginResult> login(storage::Database& db, PasswordHasher& hasher, LoginRequest request);

struct SecondFactorRequest {
  std::string challenge_token;
  std::optional<std::string> code;           // 6 digits from the phone's app ...
  std::optional<std::string> recovery_code;  // ... or one of the user's recovery codes
  std::string client_addr;
  std::optional<std::string> user_agent;
};

// The second step of a sign-in. Throws challenge_expired (no such challenge, over, or too many
// wrong codes: sign in again), invalid_credentials for a wrong, malformed or already used code
// (counted towards the lockout), too_many_attempts while locked.
boost::asio::awaitable<LoginResult> login_second_factor(storage::Database& db, SecondFactorRequest request);

// Checks the caller's own password before a sensitive change of their account, counted towards the
// lockout like a sign-in: wrong_password (audited as `failed_action`), too_many_attempts while locked.
// Returns the account as read (its password hash for a conditional update).
boost::asio::awaitable<services::UserCredentials> verify_own_password(storage::Database& db, PasswordHasher& hasher,
                                                                      Principal who, std::string password,
                                                                      std::string client_addr,
                                                                      domain::AuditAction failed_action);

// A checked change of the caller's own password, ready to be stored by change_own_password.
struct PasswordChange {
  std::int64_t user_id = 0;
  std::string expected_hash;                 // the hash the old password was verified against
  std::string new_hash;
  std::optional<std::int64_t> keep_session;  // the session of the request (none with a token)
};

// The checks of the caller's own password change: the old password must be right (wrong_password;
// the attempt counts towards the lockout like a failed login, too_many_attempts while locked), the
// new one valid (invalid_password). Hashes the new one; stores nothing.
boost::asio::awaitable<PasswordChange> check_password_change(storage::Database& db, PasswordHasher& hasher,
                                                             Principal who, std::string old_password,
                                                             std::string new_password, std::string client_addr);

// Stores a checked change, audited, and ends the user's other sessions (all of them when changed
// with a token). Throws password_changed when the password changed since it was checked.
boost::asio::awaitable<services::CredentialChange<void>> change_own_password(storage::Tx& tx, services::Actor actor,
                                                                             PasswordChange change);

}  // namespace tt::accounts
