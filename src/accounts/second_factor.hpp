// Two-factor sign-in (SPEC §3.9, RFC 6238): turning it on and off for one's own account, an
// administrator's reset, recovery codes, and the challenge between a right password and the code
// (the sign-in itself is in accounts/login). The codes are computed and checked in accounts/totp
// (no I/O); the steps here combine them with passwords and the stored state (storage/tables/users,
// recovery_codes, login_challenges).
//
// Enrolment is two calls: start_enrolment stores a new pending secret and returns it (the only
// time a secret leaves the server); check_enrolment_code then checks that the caller holds it with
// a valid code, and confirm_enrolment turns it on, with recovery codes shown once.
//
// Secrets never leave this layer after enrolment: no function returns an enrolled secret except
// read_second_factor, which only this layer reads; no audit entry holds one.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "accounts/password_hasher.hpp"
#include "accounts/principal.hpp"
#include "services/audit.hpp"
#include "services/credential_change.hpp"
#include "services/users.hpp"
#include "storage/database.hpp"
#include "storage/tables/login_challenges.hpp"
#include "storage/tables/users.hpp"

namespace tt::accounts {

namespace asio = boost::asio;

// A challenge lasts this long: enough to open the phone's app, short enough not to linger.
inline constexpr std::int64_t kLoginChallengeUs = 5LL * 60 * 1000000;
// Wrong codes one challenge takes before it ends (the lockout counts them too).
inline constexpr int kLoginChallengeMaxFailures = 5;

// The issuer an authenticator app shows next to the account name.
inline constexpr const char* kTotpIssuer = "TraceTrack";

using SecondFactorState = storage::SecondFactorRow;
using storage::LoginChallenge;

// --- one's own second factor, over the database ---

struct Enrolment {
  std::string secret;       // base32, for typing into an app by hand
  std::string otpauth_uri;  // what the QR code holds
};

struct OwnSecondFactor {
  SecondFactorState state;  // its secrets are for this layer only, never for an answer
  bool required = false;    // the caller's role must keep one (domain::second_factor_required)
};

// The caller's second factor and whether their role must keep one, in one read.
asio::awaitable<OwnSecondFactor> own_second_factor(storage::Database& db, Principal who);

// Throws second_factor_enabled when the caller already has one.
asio::awaitable<Enrolment> start_enrolment(storage::Database& db, Principal who);

// A code checked against the pending secret, with new recovery codes: what confirm_enrolment stores.
struct CheckedEnrolment {
  std::string secret;
  std::int64_t step = 0;
  std::vector<std::string> recovery_codes;   // shown once
  std::vector<std::string> recovery_hashes;  // stored
};

// Throws wrong_one_time_code when `code` is not a current code of the pending secret, conflict when
// no enrolment was started, second_factor_enabled when already on.
asio::awaitable<CheckedEnrolment> check_enrolment_code(storage::Database& db, Principal who, std::string code);

// New recovery codes in place of the old ones; the current password is asked (verify_own_password).
asio::awaitable<std::vector<std::string>> renew_recovery_codes(storage::Database& db, PasswordHasher& hasher,
                                                               Principal who, std::string password);

// The checks before turning the caller's own second factor off (remove_second_factor does):
// second_factor_required for an administrator while the setting requires one, then the password
// (verify_own_password).
asio::awaitable<void> check_turn_off(storage::Database& db, PasswordHasher& hasher, Principal who,
                                     std::string password);

// --- the transactions ---

// Throws user_not_found.
asio::awaitable<SecondFactorState> read_second_factor(storage::Tx& tx, std::int64_t user_id);

// Stores a new pending secret for the user (replacing any earlier pending one). Throws
// second_factor_enabled when the user already has one (turn it off first).
asio::awaitable<void> begin_enrolment(storage::Tx& tx, std::int64_t user_id, std::string secret);

// Turns the pending secret `secret` on, records `step` as used, replaces the recovery codes by
// `recovery_hashes`, audits "second_factor_enabled". Throws conflict when the pending secret
// changed meanwhile (another enrolment started in another tab), second_factor_enabled when on.
// A session that had to set one up is free now: a credential change.
asio::awaitable<services::CredentialChange<void>> confirm_enrolment(storage::Tx& tx, services::Actor actor,
                                                                    std::string secret, std::int64_t step,
                                                                    std::vector<std::string> recovery_hashes);

// Replaces the user's recovery codes (audited "recovery_codes_renewed").
asio::awaitable<void> replace_recovery_codes(storage::Tx& tx, services::Actor actor,
                                             std::vector<std::string> recovery_hashes);

// Turns the user's second factor off and deletes the recovery codes. `action` is the audit action:
// "second_factor_disabled" (the user) or "second_factor_reset" (an administrator, for a lost phone).
// Returns the user; throws user_not_found, second_factor_not_enabled when there is none.
asio::awaitable<services::CredentialChange<services::User>> remove_second_factor(storage::Tx& tx,
                                                                                 services::Actor actor,
                                                                                 std::string username,
                                                                                 services::AuditAction action);

// Records `step` as the user's last accepted step, only if it is later than the one stored: false
// when another request used that code (or a later one) first.
asio::awaitable<bool> accept_totp_step(storage::Tx& tx, std::int64_t user_id, std::int64_t step);

// Marks the recovery code with this hash used: false when it is not one of the user's unused codes.
asio::awaitable<bool> use_recovery_code(storage::Tx& tx, std::int64_t user_id, std::string code_hash,
                                        std::int64_t now);

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

}  // namespace tt::accounts
