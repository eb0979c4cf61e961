#include "accounts/login.hpp"

#include <algorithm>
#include <vector>

#include "accounts/auth_settings.hpp"
#include "accounts/credentials.hpp"
#include "accounts/second_factor.hpp"
#include "accounts/totp.hpp"
#include "domain/errors.hpp"
#include "domain/lockout.hpp"
#include "domain/user_rules.hpp"
#include "services/audit.hpp"
#include "services/audit_entry.hpp"
#include "storage/database.hpp"
#include "storage/tables/login_failures.hpp"
#include "storage/tables/sessions.hpp"
#include "storage/tables/users.hpp"
#include "util/time.hpp"

namespace tt::accounts {

namespace asio = boost::asio;

namespace {

// --- the transactions of a sign-in: lockout accounting, sessions and audit entries ---

// How long failure records are kept at most: far beyond any window + lockout the settings allow.
constexpr std::int64_t kFailureRetentionUs = 2LL * 24 * 3600 * 1000000;
// An arbitrary constant naming the PostgreSQL advisory lock that serialises login accounting.
constexpr std::int64_t kLoginLockKey = 7283517001;
// Bounds a single read however many failures a flood left behind; far above any sane limit.
constexpr std::int64_t kMaxFailuresRead = 5000;

struct LoginAttempt {
  std::string username;  // normalised (lower-case, trimmed), possibly not an existing user
  std::string client_addr;
  std::optional<std::string> user_agent;
  std::int64_t now = 0;
};

struct LoginStart {
  AuthSettings settings;
  std::optional<std::int64_t> locked_until;      // set: refused, nothing else happened
  std::optional<services::UserCredentials> user;  // the account, when it exists
};

struct LoginSession {
  std::int64_t session_id = 0;
  std::int64_t expires_at = 0;
};

services::Actor actor_for(const LoginAttempt& a, const std::optional<services::UserCredentials>& user) {
  services::Actor actor;
  if (user) {
    actor.user_id = user->user.id;
    actor.username = user->user.username;
  }
  actor.client = a.client_addr;
  return actor;
}

// Refuses (and audits) an attempt while the user name or the address is locked; otherwise counts
// the attempt as a failure and returns the account to check the password against.
asio::awaitable<LoginStart> begin_login(storage::Tx& tx, LoginAttempt a) {
  // Login accounting of concurrent sign-ins is serialised: a burst of wrong passwords cannot slip
  // past the lockout between the count and the insert.
  co_await tx.lock_key(kLoginLockKey);
  LoginStart out;
  out.settings = co_await load_auth_settings(tx);
  const auto& us = out.settings.user_lockout;
  const auto& as = out.settings.address_lockout;
  const std::int64_t user_since = a.now - us.horizon_us();
  const std::int64_t addr_since = a.now - as.horizon_us();
  auto by_user = co_await storage::login_failures::of_username(tx, a.username, user_since, kMaxFailuresRead);
  auto by_addr = co_await storage::login_failures::of_address(tx, a.client_addr, addr_since, kMaxFailuresRead);
  auto user_lock = domain::locked_until(us, std::move(by_user), a.now);
  auto addr_lock = domain::locked_until(as, std::move(by_addr), a.now);
  out.user = co_await storage::users::find(tx, a.username);

  if (user_lock || addr_lock) {
    out.locked_until = std::max(user_lock.value_or(0), addr_lock.value_or(0));
    std::optional<std::string> key;
    if (out.user) key = out.user->user.username;
    services::AuditEntry entry{services::AuditAction::login_failed, "session", key, std::nullopt,
                               nlohmann::json{{"reason", user_lock ? "user_locked" : "address_locked"}}};
    co_await services::record_audit(tx, actor_for(a, out.user), std::move(entry));
    co_return out;
  }
  co_await storage::login_failures::insert(tx, a.username, a.client_addr, a.now);
  co_return out;
}

// The password was right and the account active: forgets the user name's failures, opens a
// session, stores `rehashed` when the stored hash used outdated parameters, audits the login (with
// the second factor used, "totp" or "recovery_code", when there was one).
asio::awaitable<LoginSession> finish_login(storage::Tx& tx, LoginAttempt a, services::UserCredentials user,
                                           std::string session_token_hash, std::string csrf_token,
                                           std::int64_t absolute_us, std::int64_t idle_us,
                                           std::optional<std::string> rehashed,
                                           std::optional<std::string> second_factor) {
  co_await storage::login_failures::forget_with_older(tx, a.username, a.now - kFailureRetentionUs);
  co_await storage::sessions::purge(tx, a.now, a.now - idle_us);
  if (rehashed) co_await storage::users::store_rehashed_password(tx, user.user.id, user.password_hash, *rehashed);
  LoginSession out;
  out.expires_at = a.now + absolute_us;
  // Arguments built before each co_await (the coroutine rule: storage/job.hpp).
  const storage::NewSessionRow session{std::move(session_token_hash), std::move(csrf_token), user.user.id, a.now,
                                       out.expires_at, a.client_addr, a.user_agent};
  out.session_id = co_await storage::sessions::insert(tx, session);
  std::optional<services::UserCredentials> who = user;
  nlohmann::json details{{"session", out.session_id}};
  if (second_factor) details["second_factor"] = *second_factor;
  services::AuditEntry entry{services::AuditAction::login, "session", user.user.username, std::nullopt, details};
  co_await services::record_audit(tx, actor_for(a, who), std::move(entry));
  co_return out;
}

// The password was wrong, the account unknown or inactive: the failure stays counted; audited with
// the reason (only known accounts are named: a mistyped user name is often someone's password).
asio::awaitable<void> record_failed_login(storage::Tx& tx, LoginAttempt a,
                                          std::optional<services::UserCredentials> user, std::string reason) {
  std::optional<std::string> key;
  if (user) key = user->user.username;
  services::AuditEntry entry{services::AuditAction::login_failed, "session", key, std::nullopt,
                             nlohmann::json{{"reason", reason}}};
  co_await services::record_audit(tx, actor_for(a, user), std::move(entry));
}

// Forgets the failures counted against a user name (after a right password).
asio::awaitable<void> forget_login_failures(storage::Tx& tx, std::string username) {
  co_await storage::login_failures::forget(tx, username);
}

// --- the steps between them ---

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
asio::awaitable<void> open_challenge(storage::Tx& tx, LoginAttempt attempt, std::string challenge_hash,
                                     services::UserCredentials user, std::optional<std::string> rehashed) {
  const std::int64_t user_id = user.user.id;
  // Takes back the failure counted for this one attempt (a right password that still needs a code:
  // not a failure, but no reason to forget the wrong codes counted before it either).
  co_await storage::login_failures::remove(tx, attempt.username, attempt.client_addr, attempt.now);
  if (rehashed) co_await storage::users::store_rehashed_password(tx, user_id, user.password_hash, *rehashed);
  co_await open_login_challenge(tx, std::move(challenge_hash), user_id, attempt.client_addr, attempt.user_agent,
                                attempt.now);
}

// What the second step reads in one transaction: the challenge, then the lockout accounting of
// its user (counting this attempt), which reads the account with its second factor too.
struct SecondFactorStart {
  std::optional<storage::LoginChallenge> challenge;
  LoginStart login;
};

asio::awaitable<SecondFactorStart> begin_second_factor(storage::Tx& tx, std::string challenge_hash,
                                                       LoginAttempt attempt) {
  SecondFactorStart out;
  out.challenge = co_await find_login_challenge(tx, std::move(challenge_hash), attempt.now);
  if (!out.challenge) co_return out;
  attempt.username = failure_key(out.challenge->username);
  out.login = co_await begin_login(tx, attempt);
  co_return out;
}

// The proof of the second step: the time step of a right code, or the hash of a recovery code.
struct SecondFactorProof {
  std::optional<std::int64_t> step;
  std::optional<std::string> recovery_hash;
};

// Consumes the proof (the step or the recovery code can be used once: conditional updates), ends
// the challenge and opens the session; nothing when another request used the proof first.
asio::awaitable<std::optional<LoginSession>> finish_second_factor(
    storage::Tx& tx, LoginAttempt attempt, std::int64_t challenge_id, services::UserCredentials user,
    SecondFactorProof proof, std::string session_hash, std::string csrf, std::int64_t absolute_us,
    std::int64_t idle_us) {
  const std::int64_t user_id = user.user.id;
  bool accepted = false;
  if (proof.step) {
    accepted = co_await accept_totp_step(tx, user_id, *proof.step);
  } else {
    accepted = co_await use_recovery_code(tx, user_id, *proof.recovery_hash, attempt.now);
  }
  if (!accepted) co_return std::nullopt;
  co_await close_login_challenge(tx, challenge_id);
  const std::optional<std::string> method = proof.step ? "totp" : "recovery_code";
  const std::optional<std::string> no_rehash;
  co_return co_await finish_login(tx, attempt, user, std::move(session_hash), std::move(csrf), absolute_us,
                                            idle_us, no_rehash, method);
}

// A wrong code: the failure counted at the start stays; the challenge counts it too.
asio::awaitable<void> fail_second_factor(storage::Tx& tx, LoginAttempt attempt, std::int64_t challenge_id,
                                         std::optional<services::UserCredentials> user, std::string reason) {
  co_await count_challenge_failure(tx, challenge_id);
  co_await record_failed_login(tx, attempt, user, reason);
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
  LoginAttempt attempt{failure_key(r.username), r.client_addr, r.user_agent, util::now_us()};
  auto begin = storage::job(begin_login, attempt);
  auto start = co_await db.write(std::move(begin));
  if (start.locked_until) throw too_many_attempts(*start.locked_until, util::now_us());

  bool right = co_await check_password(hasher, start.user, r.password);
  if (!right || !start.user || !start.user->user.active) {
    std::string reason = !start.user ? "unknown_user" : !right ? "wrong_password" : "inactive_user";
    auto user = start.user;
    auto record_failure = storage::job(record_failed_login, attempt, user, reason);
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
    out.challenge_seconds = kLoginChallengeUs / 1000000;
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
  auto finish = storage::job(finish_login, attempt, user, hash, csrf, absolute_us, idle_us, rehashed,
                             no_second_factor);
  auto session = co_await db.write(std::move(finish));
  out.session_id = session.session_id;
  out.max_age_seconds = absolute_us / 1000000;
  co_return out;
}

asio::awaitable<LoginResult> login_second_factor(storage::Database& db, SecondFactorRequest r) {
  const auto challenge_hash = token_hash(r.challenge_token);
  LoginAttempt attempt{"", r.client_addr, r.user_agent, util::now_us()};
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
  std::optional<LoginSession> session;
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
  LoginAttempt attempt{failure_key(who.username), client_addr, std::nullopt, util::now_us()};
  auto begin = storage::job(begin_login, attempt);
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
  auto forget = storage::job(forget_login_failures, username);
  co_await db.write(std::move(forget));
  co_return *start.user;
}

asio::awaitable<PasswordChange> check_password_change(storage::Database& db, PasswordHasher& hasher, Principal who,
                                                    std::string old_password, std::string new_password,
                                                    std::string client_addr) {
  if (auto err = domain::validate_password(new_password)) throw domain::Failure(domain::Error::invalid_password, *err);
  if (new_password == old_password) {
    throw domain::Failure(domain::Error::invalid_password, "The new password must differ from the current one.");
  }
  auto account = co_await verify_own_password(db, hasher, who, std::move(old_password), client_addr,
                                              domain::AuditAction::password_change_failed);
  PasswordChange out;
  out.user_id = who.user_id;
  out.expected_hash = account.password_hash;
  out.new_hash = co_await hasher.hash(std::move(new_password));
  if (who.via == Principal::Via::session_cookie) out.keep_session = who.session_id;
  co_return out;
}

asio::awaitable<services::CredentialChange<void>> change_own_password(storage::Tx& tx, services::Actor actor,
                                                                      PasswordChange change) {
  const auto now = util::now_us();
  const bool changed =
      co_await storage::users::change_password(tx, change.user_id, change.expected_hash, change.new_hash, now);
  if (!changed) {
    throw domain::Failure(domain::Error::password_changed, "The password was changed meanwhile; sign in again.");
  }
  co_await storage::sessions::remove_of_user(tx, change.user_id, change.keep_session);
  const std::string key = actor.username;
  co_await services::record_audit(
      tx, actor, services::make_audit_entry(services::AuditAction::password_change, "user", key, std::nullopt, std::nullopt));
  co_return services::credential_change();
}

}  // namespace tt::accounts
