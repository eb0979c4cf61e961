#include "accounts/second_factor.hpp"

#include <nlohmann/json.hpp>

#include "accounts/auth_settings.hpp"
#include "accounts/login.hpp"
#include "accounts/totp.hpp"
#include "domain/audit_actions.hpp"
#include "domain/errors.hpp"
#include "domain/user_rules.hpp"
#include "storage/tables/recovery_codes.hpp"
#include "util/time.hpp"

namespace tt::accounts {

namespace {

std::vector<std::string> hashes_of(const std::vector<std::string>& codes) {
  std::vector<std::string> out;
  out.reserve(codes.size());
  for (const auto& c : codes) out.push_back(*recovery_code_hash(c));
  return out;
}

domain::Failure already_enabled() {
  return domain::Failure(domain::Error::second_factor_enabled,
                         "Two-factor sign-in is already on; turn it off first to set up another phone.");
}

asio::awaitable<OwnSecondFactor> read_own(storage::Tx& tx, std::int64_t user_id, domain::Role role) {
  OwnSecondFactor out;
  out.state = co_await read_second_factor(tx, user_id);
  const auto settings = co_await load_auth_settings(tx);
  out.required = domain::second_factor_required(role, settings.admins_need_second_factor);
  co_return out;
}

}  // namespace

// --- one's own second factor, over the database ---

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
  auto store = storage::job(begin_enrolment, user_id, out.secret);
  co_await db.write(std::move(store));
  co_return out;
}

asio::awaitable<CheckedEnrolment> check_enrolment_code(storage::Database& db, Principal who, std::string code) {
  const std::int64_t user_id = who.user_id;
  auto read = storage::job(read_second_factor, user_id);
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
  CheckedEnrolment out;
  out.secret = *state.pending_secret;
  out.step = *step;
  out.recovery_codes = new_recovery_codes();
  out.recovery_hashes = hashes_of(out.recovery_codes);
  co_return out;
}

asio::awaitable<std::vector<std::string>> renew_recovery_codes(storage::Database& db, PasswordHasher& hasher,
                                                               Principal who, std::string password) {
  const auto client = who.client;
  co_await verify_own_password(db, hasher, who, std::move(password), client,
                               domain::AuditAction::recovery_codes_renew_failed);
  auto codes = new_recovery_codes();
  auto hashes = hashes_of(codes);
  services::Actor actor = who;
  auto renew = storage::job(replace_recovery_codes, actor, hashes);
  co_await db.write(std::move(renew));
  co_return codes;
}

asio::awaitable<void> check_turn_off(storage::Database& db, PasswordHasher& hasher, Principal who,
                                     std::string password) {
  const OwnSecondFactor own = co_await own_second_factor(db, who);
  if (own.required) {
    throw domain::Failure(domain::Error::second_factor_required,
                          "Administrators must sign in with a one-time code (a setting): it cannot be turned off. "
                          "Set up a new phone by asking another administrator to reset it.");
  }
  const auto client = who.client;
  co_await verify_own_password(db, hasher, who, std::move(password), client,
                               domain::AuditAction::second_factor_disable_failed);
}

// --- the transactions ---

asio::awaitable<SecondFactorState> read_second_factor(storage::Tx& tx, std::int64_t user_id) {
  auto state = co_await storage::users::second_factor(tx, user_id);
  if (!state) throw domain::Failure(domain::Error::user_not_found, "There is no such user.");
  co_return std::move(*state);
}

asio::awaitable<void> begin_enrolment(storage::Tx& tx, std::int64_t user_id, std::string secret) {
  const bool stored = co_await storage::users::set_pending_secret(tx, user_id, secret);
  if (!stored) {
    co_await read_second_factor(tx, user_id);  // throws user_not_found when the user is gone
    throw already_enabled();
  }
}

asio::awaitable<services::CredentialChange<void>> confirm_enrolment(storage::Tx& tx, services::Actor actor,
                                                                    std::string secret, std::int64_t step,
                                                                    std::vector<std::string> recovery_hashes) {
  const std::int64_t now = util::now_us();
  const std::int64_t user_id = actor.user_id;
  const bool enabled = co_await storage::users::enable_pending_secret(tx, user_id, secret, step, now);
  if (!enabled) {
    auto state = co_await read_second_factor(tx, user_id);
    if (state.secret) throw already_enabled();
    throw domain::Failure(domain::Error::conflict,
                          "Another set-up of two-factor sign-in was started meanwhile; use the code shown there.");
  }
  const auto count = static_cast<int>(recovery_hashes.size());
  co_await storage::recovery_codes::replace(tx, user_id, recovery_hashes, now);
  const std::string name = actor.username;
  const nlohmann::json after{{"method", "totp"}, {"recovery_codes", count}};
  const services::AuditEntry entry{services::AuditAction::second_factor_enabled, "user", name, std::nullopt, after};
  co_await services::record_audit(tx, actor, entry);
  co_return services::credential_change();
}

asio::awaitable<void> replace_recovery_codes(storage::Tx& tx, services::Actor actor,
                                             std::vector<std::string> recovery_hashes) {
  const std::int64_t now = util::now_us();
  const std::int64_t user_id = actor.user_id;
  auto state = co_await read_second_factor(tx, user_id);
  if (!state.secret) {
    throw domain::Failure(domain::Error::second_factor_not_enabled, "Two-factor sign-in is not on.");
  }
  const auto count = static_cast<int>(recovery_hashes.size());
  co_await storage::recovery_codes::replace(tx, user_id, recovery_hashes, now);
  const std::string name = actor.username;
  const nlohmann::json before{{"unused", state.recovery_codes_left}};
  const nlohmann::json after{{"unused", count}};
  const services::AuditEntry entry{services::AuditAction::recovery_codes_renewed, "user", name, before, after};
  co_await services::record_audit(tx, actor, entry);
}

asio::awaitable<services::CredentialChange<services::User>> remove_second_factor(storage::Tx& tx,
                                                                                 services::Actor actor,
                                                                                 std::string username,
                                                                                 services::AuditAction action) {
  const std::string wanted = domain::normalise_username(username);
  auto owner = co_await storage::users::lock_second_factor(tx, wanted);
  if (!owner) throw domain::Failure(domain::Error::user_not_found, "There is no user named '" + wanted + "'.");
  const std::int64_t user_id = owner->id;
  const std::string name = owner->username;
  if (!owner->enabled) {
    throw domain::Failure(domain::Error::second_factor_not_enabled,
                          "Two-factor sign-in is not on for '" + name + "'.");
  }
  const std::int64_t now = util::now_us();
  co_await storage::users::clear_second_factor(tx, user_id, now);
  co_await storage::recovery_codes::remove_of_user(tx, user_id);
  co_await storage::login_challenges::remove_of_user(tx, user_id);
  const nlohmann::json before{{"method", "totp"}};
  const services::AuditEntry entry{action, "user", name, before, std::nullopt};
  co_await services::record_audit(tx, actor, entry);
  auto user = co_await services::find_user(tx, name);
  co_return services::credential_change(std::move(*user));
}

asio::awaitable<bool> accept_totp_step(storage::Tx& tx, std::int64_t user_id, std::int64_t step) {
  co_return co_await storage::users::accept_totp_step(tx, user_id, step);
}

asio::awaitable<bool> use_recovery_code(storage::Tx& tx, std::int64_t user_id, std::string code_hash,
                                        std::int64_t now) {
  co_return co_await storage::recovery_codes::use(tx, user_id, code_hash, now);
}

asio::awaitable<void> open_login_challenge(storage::Tx& tx, std::string token_hash, std::int64_t user_id,
                                           std::string client_addr, std::optional<std::string> user_agent,
                                           std::int64_t now) {
  co_await storage::login_challenges::purge(tx, now);
  const storage::NewChallengeRow challenge{std::move(token_hash), user_id,  std::move(client_addr),
                                           std::move(user_agent), now,      now + kLoginChallengeUs};
  co_await storage::login_challenges::insert(tx, challenge);
}

asio::awaitable<std::optional<LoginChallenge>> find_login_challenge(storage::Tx& tx, std::string token_hash,
                                                                    std::int64_t now) {
  co_return co_await storage::login_challenges::find(tx, token_hash, now, kLoginChallengeMaxFailures);
}

asio::awaitable<void> count_challenge_failure(storage::Tx& tx, std::int64_t challenge_id) {
  co_await storage::login_challenges::count_failure(tx, challenge_id);
}

asio::awaitable<void> close_login_challenge(storage::Tx& tx, std::int64_t challenge_id) {
  co_await storage::login_challenges::remove(tx, challenge_id);
}

}  // namespace tt::accounts
