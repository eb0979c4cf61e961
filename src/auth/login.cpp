#include "auth/login.hpp"

#include "auth/credential_cache.hpp"
#include "auth/credentials.hpp"
#include "domain/lockout.hpp"
#include "domain/user_rules.hpp"
#include "domain/errors.hpp"
#include "services/audit.hpp"
#include "services/logins.hpp"
#include "services/second_factor.hpp"
#include "auth/totp.hpp"
#include "storage/database.hpp"
#include "util/time.hpp"

namespace tt::auth {

namespace asio = boost::asio;

namespace {

// Failure records are keyed by the name as typed; the cap keeps a flood of huge names small.
constexpr std::size_t kMaxUsernameKey = 64;

domain::Failure invalid_credentials() {
  return domain::Failure(domain::Error::invalid_credentials, "The username or password is not correct.");
}

domain::Failure too_many_attempts(std::int64_t until, std::int64_t now) {
  const auto seconds = domain::retry_after_seconds(until, now);
  return domain::Failure(domain::Error::too_many_attempts,
                         "Too many failed sign-in attempts; try again in " + std::to_string(seconds) + " seconds.",
                         static_cast<int>(seconds));
}

std::string failure_key(std::string_view typed) {
  std::string key = domain::normalise_username(typed);
  if (key.size() > kMaxUsernameKey) key.resize(kMaxUsernameKey);
  return key;
}

// Verifies against the account's hash, or spends the same time when there is no account or the
// password is too long to be one of ours.
asio::awaitable<bool> check_password(PasswordHasher& hasher, std::optional<services::UserCredentials> user,
                                     std::string password) {
  if (password.size() > domain::kPasswordMax) {
    co_await hasher.verify_nobody(password.substr(0, domain::kPasswordMax));
    co_return false;
  }
  if (!user) co_return co_await hasher.verify_nobody(std::move(password));
  co_return co_await hasher.verify(user->password_hash, std::move(password));
}

// A right password of a user with a second factor: this attempt is not a failure, the password's
// hash is brought up to date if needed, and the challenge opens.
asio::awaitable<void> open_challenge(storage::Tx& tx, services::LoginAttempt attempt, std::string challenge_hash,
                                     services::UserCredentials user, std::optional<std::string> rehashed) {
  const std::int64_t user_id = user.user.id;
  co_await services::uncount_login_attempt(tx, attempt);
  if (rehashed) co_await services::store_rehashed_password(tx, user, *rehashed);
  co_await services::open_login_challenge(tx, std::move(challenge_hash), user_id, attempt.client_addr,
                                          attempt.user_agent, attempt.now);
}

// What the second step reads in one transaction: the challenge, then the lockout accounting of
// its user (counting this attempt), which reads the account with its second factor too.
struct SecondFactorStart {
  std::optional<services::LoginChallenge> challenge;
  services::LoginStart login;
};

asio::awaitable<SecondFactorStart> begin_second_factor(storage::Tx& tx, std::string challenge_hash,
                                                       services::LoginAttempt attempt) {
  SecondFactorStart out;
  out.challenge = co_await services::find_login_challenge(tx, std::move(challenge_hash), attempt.now);
  if (!out.challenge) co_return out;
  attempt.username = failure_key(out.challenge->username);
  out.login = co_await services::begin_login(tx, attempt);
  co_return out;
}

// The proof of the second step: the time step of a right code, or the hash of a recovery code.
struct SecondFactorProof {
  std::optional<std::int64_t> step;
  std::optional<std::string> recovery_hash;
};

// Consumes the proof (the step or the recovery code can be used once: conditional updates), ends
// the challenge and opens the session; nothing when another request used the proof first.
asio::awaitable<std::optional<services::LoginSession>> finish_second_factor(
    storage::Tx& tx, services::LoginAttempt attempt, std::int64_t challenge_id, services::UserCredentials user,
    SecondFactorProof proof, std::string session_hash, std::string csrf, std::int64_t absolute_us,
    std::int64_t idle_us) {
  const std::int64_t user_id = user.user.id;
  bool accepted = false;
  if (proof.step) {
    accepted = co_await services::accept_totp_step(tx, user_id, *proof.step);
  } else {
    accepted = co_await services::use_recovery_code(tx, user_id, *proof.recovery_hash, attempt.now);
  }
  if (!accepted) co_return std::nullopt;
  co_await services::close_login_challenge(tx, challenge_id);
  const std::optional<std::string> method = proof.step ? "totp" : "recovery_code";
  const std::optional<std::string> no_rehash;
  co_return co_await services::finish_login(tx, attempt, user, std::move(session_hash), std::move(csrf), absolute_us,
                                            idle_us, no_rehash, method);
}

// A wrong code: the failure counted at the start stays; the challenge counts it too.
asio::awaitable<void> fail_second_factor(storage::Tx& tx, services::LoginAttempt attempt, std::int64_t challenge_id,
                                         std::optional<services::UserCredentials> user, std::string reason) {
  co_await services::count_challenge_failure(tx, challenge_id);
  co_await services::record_failed_login(tx, attempt, user, reason);
}

domain::Failure challenge_expired() {
  return domain::Failure(domain::Error::challenge_expired,
                         "This sign-in has expired or had too many wrong codes: enter your password again.");
}

// The parts of a new session every successful sign-in shares.
void give_session(LoginResult& out, const services::UserCredentials& user) {
  out.user = user.user;
  out.session_token = new_session_token();
  out.csrf_token = new_csrf_token();
}

}  // namespace

asio::awaitable<LoginResult> login(storage::Database& db, PasswordHasher& hasher, LoginRequest r) {
  // Refused before anything is counted: a busy server must not cost anyone a lockout step.
  hasher.ensure_capacity();
  services::LoginAttempt attempt{failure_key(r.username), r.client_addr, r.user_agent, util::now_us()};
  auto begin = storage::job(services::begin_login, attempt);
  auto start = co_await db.write(std::move(begin));
  if (start.locked_until) throw too_many_attempts(*start.locked_until, util::now_us());

  bool right = co_await check_password(hasher, start.user, r.password);
  if (!right || !start.user || !start.user->user.active) {
    std::string reason = !start.user ? "unknown_user" : !right ? "wrong_password" : "inactive_user";
    auto user = start.user;
    auto record_failure = storage::job(services::record_failed_login, attempt, user, reason);
    co_await db.write(std::move(record_failure));
    throw invalid_credentials();
  }

  std::optional<std::string> rehashed;
  if (hasher.needs_rehash(start.user->password_hash)) rehashed = co_await hasher.hash(r.password);

  LoginResult out;
  out.user = start.user->user;
  if (start.user->totp_secret) {
    // The password is right but is not enough: a challenge waits for the code.
    out.challenge_token = new_session_token();
    out.challenge_seconds = services::kLoginChallengeUs / 1000000;
    const auto challenge_hash = token_hash(*out.challenge_token);
    auto account = *start.user;
    auto open = storage::job(open_challenge, attempt, challenge_hash, account, rehashed);
    co_await db.write(std::move(open));
    co_return out;
  }
  give_session(out, *start.user);
  const auto absolute_us = start.settings.session_absolute_us;
  const auto idle_us = start.settings.session_idle_us;
  auto user = *start.user;
  auto hash = token_hash(out.session_token);
  auto csrf = out.csrf_token;
  const std::optional<std::string> no_second_factor;
  auto finish = storage::job(services::finish_login, attempt, user, hash, csrf, absolute_us, idle_us, rehashed,
                             no_second_factor);
  auto session = co_await db.write(std::move(finish));
  out.session_id = session.session_id;
  out.max_age_seconds = absolute_us / 1000000;
  co_return out;
}

asio::awaitable<LoginResult> login_second_factor(storage::Database& db, SecondFactorRequest r) {
  const auto challenge_hash = token_hash(r.challenge_token);
  services::LoginAttempt attempt{"", r.client_addr, r.user_agent, util::now_us()};
  auto begin = storage::job(begin_second_factor, challenge_hash, attempt);
  auto start = co_await db.write(std::move(begin));
  if (!start.challenge) throw challenge_expired();
  if (start.login.locked_until) throw too_many_attempts(*start.login.locked_until, util::now_us());
  attempt.username = failure_key(start.challenge->username);
  const std::int64_t challenge_id = start.challenge->id;
  auto user = start.login.user;
  // Turned off, reset or deactivated since the password step: start again.
  if (!user || user->user.id != start.challenge->user_id || !user->user.active || !user->totp_secret) {
    throw challenge_expired();
  }

  SecondFactorProof proof;
  if (r.code) {
    proof.step = totp_matching_step(*user->totp_secret, *r.code, attempt.now / 1000000, user->totp_last_step);
  } else if (r.recovery_code) {
    proof.recovery_hash = recovery_code_hash(*r.recovery_code);
  }
  std::optional<services::LoginSession> session;
  LoginResult out;
  if (proof.step || proof.recovery_hash) {
    give_session(out, *user);
    const auto absolute_us = start.login.settings.session_absolute_us;
    const auto idle_us = start.login.settings.session_idle_us;
    auto hash = token_hash(out.session_token);
    auto csrf = out.csrf_token;
    auto account = *user;
    auto finish = storage::job(finish_second_factor, attempt, challenge_id, account, proof, hash, csrf, absolute_us,
                               idle_us);
    session = co_await db.write(std::move(finish));
    out.max_age_seconds = absolute_us / 1000000;
  }
  if (!session) {
    std::string reason = r.recovery_code ? "wrong_recovery_code" : "wrong_code";
    auto fail = storage::job(fail_second_factor, attempt, challenge_id, user, reason);
    co_await db.write(std::move(fail));
    throw domain::Failure(domain::Error::invalid_credentials,
                          r.recovery_code ? "That recovery code is not one of yours, or was used already."
                                          : "The code is not correct, or was used already: type the code your app "
                                            "shows now.");
  }
  out.session_id = session->session_id;
  co_return out;
}

asio::awaitable<services::UserCredentials> verify_own_password(storage::Database& db, PasswordHasher& hasher,
                                                               Principal who, std::string password,
                                                               std::string client_addr,
                                                               domain::AuditAction failed_action) {
  // The password is a credential like any other: guesses through these routes are counted and
  // locked out exactly like failed logins, so a stolen session cannot be used to find it.
  services::LoginAttempt attempt{failure_key(who.username), client_addr, std::nullopt, util::now_us()};
  auto begin = storage::job(services::begin_login, attempt);
  auto start = co_await db.write(std::move(begin));
  if (start.locked_until) throw too_many_attempts(*start.locked_until, util::now_us());
  if (!start.user || start.user->user.id != who.user_id) throw invalid_credentials();

  services::Actor actor = who;
  actor.client = client_addr;
  const bool right = co_await check_password(hasher, start.user, std::move(password));
  if (!right) {
    const nlohmann::json reason{{"reason", "wrong_password"}};
    const services::AuditEntry entry{failed_action, "user", actor.username, std::nullopt, reason};
    auto audit_failure = storage::job(services::record_audit, actor, entry);
    co_await db.write(std::move(audit_failure));
    throw domain::Failure(domain::Error::wrong_password, "The current password is not correct.");
  }
  auto username = attempt.username;
  auto forget = storage::job(services::forget_login_failures, username);
  co_await db.write(std::move(forget));
  co_return *start.user;
}

asio::awaitable<void> change_password(storage::Database& db, PasswordHasher& hasher, Principal who,
                                      std::string old_password, std::string new_password, std::string client_addr) {
  if (auto err = domain::validate_password(new_password)) throw domain::Failure(domain::Error::invalid_password, *err);
  if (new_password == old_password) {
    throw domain::Failure(domain::Error::invalid_password, "The new password must differ from the current one.");
  }
  auto account = co_await verify_own_password(db, hasher, who, std::move(old_password), client_addr,
                                              domain::AuditAction::password_change_failed);
  auto new_hash = co_await hasher.hash(std::move(new_password));
  services::Actor actor = who;
  actor.client = client_addr;
  const auto user_id = actor.user_id;
  auto keep = who.via == Principal::Via::session_cookie ? who.session_id : std::nullopt;
  auto store = storage::job(services::change_own_password, actor, user_id, account.password_hash, new_hash, keep);
  co_await db.write(std::move(store));
  credentials_changed();
}

}  // namespace tt::auth
