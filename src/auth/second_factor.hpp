// Turning two-factor sign-in on and off for one's own account (SPEC §3.9, RFC 6238): the steps that
// combine secrets, codes and passwords with the stored state (services/second_factor). Sign-in
// with a second factor is in auth/login.
//
// Enrolment is two calls: start_enrolment stores a new pending secret and returns it (the only
// time a secret leaves the server), confirm_enrolment turns it on when the caller proves they
// hold it with a valid code, and returns the recovery codes, once.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <string>
#include <vector>

#include "auth/password_hasher.hpp"
#include "auth/principal.hpp"
#include "services/second_factor.hpp"

namespace tt::storage {
class Database;
}

namespace tt::auth {

struct Enrolment {
  std::string secret;       // base32, for typing into an app by hand
  std::string otpauth_uri;  // what the QR code holds
};

// The issuer an authenticator app shows next to the account name.
inline constexpr const char* kTotpIssuer = "TraceTrack";

struct OwnSecondFactor {
  services::SecondFactorState state;  // its secrets are for this layer only, never for an answer
  bool required = false;              // the caller's role must keep one (services::second_factor_required)
};

// The caller's second factor and whether their role must keep one, in one read.
boost::asio::awaitable<OwnSecondFactor> own_second_factor(storage::Database& db, Principal who);

// Throws second_factor_enabled when the caller already has one.
boost::asio::awaitable<Enrolment> start_enrolment(storage::Database& db, Principal who);

// Throws wrong_one_time_code when `code` is not a current code of the pending secret, conflict when
// no enrolment was started (or another replaced it), second_factor_enabled when already on.
boost::asio::awaitable<std::vector<std::string>> confirm_enrolment(storage::Database& db, Principal who,
                                                                   std::string code);

// New recovery codes in place of the old ones; the current password is asked (verify_own_password).
boost::asio::awaitable<std::vector<std::string>> renew_recovery_codes(storage::Database& db, PasswordHasher& hasher,
                                                                      Principal who, std::string password);

// Turns the caller's second factor off after checking their password. Throws second_factor_required
// for an administrator while the setting requires one, second_factor_not_enabled when off.
boost::asio::awaitable<void> turn_off(storage::Database& db, PasswordHasher& hasher, Principal who,
                                      std::string password);

}  // namespace tt::auth
