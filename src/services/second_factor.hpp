// The database side of two-factor sign-in (SPEC §3.9, RFC 6238): enrolment, recovery codes, the
// challenge between a right password and the code, and turning the second factor off. The codes
// themselves are computed and checked in auth/totp (no I/O); these functions store and consume.
//
// Secrets never leave this layer after enrolment: no function returns an enrolled secret except
// read_second_factor, which only the sign-in check calls; no audit entry holds one.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "services/audit.hpp"
#include "services/users.hpp"
#include "storage/database.hpp"

namespace tt::services {

namespace asio = boost::asio;

// A challenge lasts this long: enough to open the phone's app, short enough not to linger.
inline constexpr std::int64_t kLoginChallengeUs = 5LL * 60 * 1000000;
// Wrong codes one challenge takes before it ends (the lockout counts them too).
inline constexpr int kLoginChallengeMaxFailures = 5;

struct SecondFactorState {
  std::optional<std::string> secret;          // enrolled (base32)
  std::optional<std::string> pending_secret;  // being enrolled, not yet confirmed
  std::optional<std::int64_t> enabled_at;
  std::int64_t last_step = 0;                 // the last time step accepted
  int recovery_codes_left = 0;
};

// Throws user_not_found.
asio::awaitable<SecondFactorState> read_second_factor(storage::Tx& tx, std::int64_t user_id);

// Stores a new pending secret for the user (replacing any earlier pending one). Throws
// second_factor_enabled when the user already has one (turn it off first).
asio::awaitable<void> begin_enrolment(storage::Tx& tx, std::int64_t user_id, std::string secret);

// Turns the pending secret `secret` on, records `step` as used, replaces the recovery codes by
// `recovery_hashes`, audits "second_factor_enabled". Throws conflict when the pending secret
// changed meanwhile (another enrolment started in another tab), second_factor_enabled when on.
asio::awaitable<void> confirm_enrolment(storage::Tx& tx, Actor actor, std::string secret, std::int64_t step,
                                        std::vector<std::string> recovery_hashes);

// Replaces the user's recovery codes (audited "recovery_codes_renewed").
asio::awaitable<void> renew_recovery_codes(storage::Tx& tx, Actor actor, std::vector<std::string> recovery_hashes);

// Turns the user's second factor off and deletes the recovery codes. `action` is the audit action:
// "second_factor_disabled" (the user) or "second_factor_reset" (an administrator, for a lost phone).
// Returns the user; throws user_not_found, second_factor_not_enabled when there is none.
asio::awaitable<User> remove_second_factor(storage::Tx& tx, Actor actor, std::string username, AuditAction action);

// Records `step` as the user's last accepted step, only if it is later than the one stored: false
// when another request used that code (or a later one) first.
asio::awaitable<bool> accept_totp_step(storage::Tx& tx, std::int64_t user_id, std::int64_t step);

// Marks the recovery code with this hash used: false when it is not one of the user's unused codes.
asio::awaitable<bool> use_recovery_code(storage::Tx& tx, std::int64_t user_id, std::string code_hash,
                                        std::int64_t now);

struct LoginChallenge {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string username;
  int failures = 0;
};

// Opens the challenge of a right password (and purges expired ones).
asio::awaitable<void> open_login_challenge(storage::Tx& tx, std::string token_hash, std::int64_t user_id,
                                           std::string client_addr, std::optional<std::string> user_agent,
                                           std::int64_t now);
// The challenge with this token hash, while it lasts and has failures left.
asio::awaitable<std::optional<LoginChallenge>> find_login_challenge(storage::Tx& tx, std::string token_hash,
                                                                    std::int64_t now);
// A wrong code: counted on the challenge, which ends at kLoginChallengeMaxFailures.
asio::awaitable<void> count_challenge_failure(storage::Tx& tx, std::int64_t challenge_id);
asio::awaitable<void> close_login_challenge(storage::Tx& tx, std::int64_t challenge_id);


}  // namespace tt::services
