#include "auth/login.hpp"

#include "auth/credential_cache.hpp"
#include "auth/credentials.hpp"
#include "domain/lockout.hpp"
#include "domain/user_rules.hpp"
#include "domain/errors.hpp"
#include "services/audit.hpp"
#include "services/logins.hpp"
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

// One transaction: the failures counted for this attempt go, the new hash is stored.
asio::awaitable<void> store_new_password(storage::Tx& tx, std::string username, services::Actor actor,
                                         std::string expected_hash, std::string new_hash,
                                         std::optional<std::int64_t> keep_session) {
  co_await services::forget_login_failures(tx, username);
  const auto user_id = actor.user_id;
  co_await services::change_own_password(tx, std::move(actor), user_id, std::move(expected_hash), std::move(new_hash),
                                         keep_session);
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
  out.session_token = new_session_token();
  out.csrf_token = new_csrf_token();
  const auto absolute_us = start.settings.session_absolute_us;
  const auto idle_us = start.settings.session_idle_us;
  auto user = *start.user;
  auto hash = token_hash(out.session_token);
  auto csrf = out.csrf_token;
  auto finish = storage::job(services::finish_login, attempt, user, hash, csrf, absolute_us, idle_us, rehashed);
  auto session = co_await db.write(std::move(finish));
  out.session_id = session.session_id;
  out.max_age_seconds = absolute_us / 1000000;
  co_return out;
}

asio::awaitable<void> change_password(storage::Database& db, PasswordHasher& hasher, Principal who,
                                      std::string old_password, std::string new_password, std::string client_addr) {
  if (auto err = domain::validate_password(new_password)) throw domain::Failure(domain::Error::invalid_password, *err);
  if (new_password == old_password) {
    throw domain::Failure(domain::Error::invalid_password, "The new password must differ from the current one.");
  }
  // The old password is a credential like any other: guesses through this route are counted and
  // locked out exactly like failed logins, so a stolen session cannot be used to find it.
  services::LoginAttempt attempt{failure_key(who.username), client_addr, std::nullopt, util::now_us()};
  auto begin = storage::job(services::begin_login, attempt);
  auto start = co_await db.write(std::move(begin));
  if (start.locked_until) throw too_many_attempts(*start.locked_until, util::now_us());
  if (!start.user || start.user->user.id != who.user_id) throw invalid_credentials();

  services::Actor actor = who;
  actor.client = client_addr;
  if (!co_await check_password(hasher, start.user, std::move(old_password))) {
    auto audit_failure = storage::job(services::record_audit, actor, services::AuditEntry{"password_change_failed", "user", actor.username, std::nullopt, nlohmann::json{{"reason", "wrong_password"}}});
    co_await db.write(std::move(audit_failure));
    throw domain::Failure(domain::Error::wrong_password, "The current password is not correct.");
  }

  auto new_hash = co_await hasher.hash(std::move(new_password));
  auto expected = start.user->password_hash;
  auto keep = who.via == Principal::Via::session_cookie ? who.session_id : std::nullopt;
  auto username = attempt.username;
  auto store = storage::job(store_new_password, username, actor, expected, new_hash, keep);
  co_await db.write(std::move(store));
  credentials_changed();
}

}  // namespace tt::auth
