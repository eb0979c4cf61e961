#include "auth/second_factor.hpp"

#include "auth/credential_cache.hpp"
#include "auth/login.hpp"
#include "auth/totp.hpp"
#include "domain/audit_actions.hpp"
#include "domain/errors.hpp"
#include "services/auth_settings.hpp"
#include "storage/database.hpp"
#include "util/time.hpp"

namespace tt::auth {

namespace asio = boost::asio;

namespace {

std::vector<std::string> hashes_of(const std::vector<std::string>& codes) {
  std::vector<std::string> out;
  out.reserve(codes.size());
  for (const auto& c : codes) out.push_back(*recovery_code_hash(c));
  return out;
}

asio::awaitable<OwnSecondFactor> read_own(storage::Tx& tx, std::int64_t user_id, domain::Role role) {
  OwnSecondFactor out;
  out.state = co_await services::read_second_factor(tx, user_id);
  const auto settings = co_await services::load_auth_settings(tx);
  out.required = services::second_factor_required(role, settings.admins_need_second_factor);
  co_return out;
}

}  // namespace

asio::awaitable<OwnSecondFactor> own_second_factor(storage::Database& db, Principal who) {
  const std::int64_t user_id = who.user_id;
  const domain::Role role = who.role;
  auto read = storage::job(read_own, user_id, role);
  co_return co_await db.read(std::move(read));
}

asio::awaitable<Enrolment> start_enrolment(storage::Database& db, Principal who) {
  Enrolment out;
  out.secret = new_totp_secret();
  out.otpauth_uri = otpauth_uri(kTotpIssuer, who.username, out.secret);
  const std::int64_t user_id = who.user_id;
  auto store = storage::job(services::begin_enrolment, user_id, out.secret);
  co_await db.write(std::move(store));
  co_return out;
}

asio::awaitable<std::vector<std::string>> confirm_enrolment(storage::Database& db, Principal who, std::string code) {
  const std::int64_t user_id = who.user_id;
  auto read = storage::job(services::read_second_factor, user_id);
  const auto state = co_await db.read(std::move(read));
  if (state.secret) {
    throw domain::Failure(domain::Error::second_factor_enabled, "Two-factor sign-in is already on.");
  }
  if (!state.pending_secret) {
    throw domain::Failure(domain::Error::conflict, "Start the set-up first: no secret is waiting for a code.");
  }
  const auto step = totp_matching_step(*state.pending_secret, code, util::now_us() / 1000000, -1);
  if (!step) {
    throw domain::Failure(domain::Error::wrong_one_time_code,
                          "That code does not match: check the phone's clock and type the code the app shows now.");
  }
  auto codes = new_recovery_codes();
  auto hashes = hashes_of(codes);
  services::Actor actor = who;
  auto secret = *state.pending_secret;
  const std::int64_t used_step = *step;
  auto confirm = storage::job(services::confirm_enrolment, actor, secret, used_step, hashes);
  co_await db.write(std::move(confirm));
  credentials_changed();  // a session that had to set one up is free now
  co_return codes;
}

asio::awaitable<std::vector<std::string>> renew_recovery_codes(storage::Database& db, PasswordHasher& hasher,
                                                               Principal who, std::string password) {
  const auto client = who.client;
  co_await verify_own_password(db, hasher, who, std::move(password), client,
                               domain::AuditAction::recovery_codes_renew_failed);
  auto codes = new_recovery_codes();
  auto hashes = hashes_of(codes);
  services::Actor actor = who;
  auto renew = storage::job(services::renew_recovery_codes, actor, hashes);
  co_await db.write(std::move(renew));
  co_return codes;
}

asio::awaitable<void> turn_off(storage::Database& db, PasswordHasher& hasher, Principal who, std::string password) {
  const OwnSecondFactor own = co_await own_second_factor(db, who);
  if (own.required) {
    throw domain::Failure(domain::Error::second_factor_required,
                          "Administrators must sign in with a one-time code (a setting): it cannot be turned off. "
                          "Set up a new phone by asking another administrator to reset it.");
  }
  const auto client = who.client;
  co_await verify_own_password(db, hasher, who, std::move(password), client,
                               domain::AuditAction::second_factor_disable_failed);
  services::Actor actor = who;
  auto name = who.username;
  const domain::AuditAction action = domain::AuditAction::second_factor_disabled;
  auto remove = storage::job(services::remove_second_factor, actor, name, action);
  co_await db.write(std::move(remove));
  credentials_changed();
}

}  // namespace tt::auth
