#include "services/logins.hpp"

#include <algorithm>
#include <vector>

#include "services/audit.hpp"
#include "services/sessions.hpp"

namespace tt::services {

namespace {

// How long failure records are kept at most: far beyond any window + lockout the settings allow.
constexpr std::int64_t kFailureRetentionUs = 2LL * 24 * 3600 * 1000000;
// An arbitrary constant naming the PostgreSQL advisory lock that serialises login accounting.
constexpr std::int64_t kLoginLockKey = 7283517001;
// Bounds a single read however many failures a flood left behind; far above any sane limit.
constexpr std::int64_t kMaxFailuresRead = 5000;

asio::awaitable<std::vector<std::int64_t>> failure_times(storage::Tx& tx, const char* column, std::string key,
                                                         std::int64_t since) {
  auto rows = co_await tx.query(std::string("SELECT at FROM login_failures WHERE ") + column +
                                    " = $1 AND at >= $2 ORDER BY at DESC LIMIT $3",
                                storage::params(key, since, kMaxFailuresRead));
  std::vector<std::int64_t> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(r.i64(0));
  co_return out;
}

Actor actor_for(const LoginAttempt& a, const std::optional<UserCredentials>& user) {
  Actor actor;
  if (user) {
    actor.user_id = user->user.id;
    actor.username = user->user.username;
  }
  actor.client = a.client_addr;
  return actor;
}

}  // namespace

asio::awaitable<LoginStart> begin_login(storage::Tx& tx, LoginAttempt a) {
  // Login accounting of concurrent sign-ins is serialised: a burst of wrong passwords cannot slip
  // past the lockout between the count and the insert.
  co_await tx.lock_key(kLoginLockKey);
  LoginStart out;
  out.settings = co_await load_auth_settings(tx);
  const auto& us = out.settings.user_lockout;
  const auto& as = out.settings.address_lockout;
  auto by_user = co_await failure_times(tx, "username", a.username, a.now - us.horizon_us());
  auto by_addr = co_await failure_times(tx, "client_addr", a.client_addr, a.now - as.horizon_us());
  auto user_lock = domain::locked_until(us, std::move(by_user), a.now);
  auto addr_lock = domain::locked_until(as, std::move(by_addr), a.now);
  out.user = co_await find_credentials(tx, a.username);

  if (user_lock || addr_lock) {
    out.locked_until = std::max(user_lock.value_or(0), addr_lock.value_or(0));
    std::optional<std::string> key;
    if (out.user) key = out.user->user.username;
    AuditEntry entry{AuditAction::login_failed, "session", key, std::nullopt,
                     nlohmann::json{{"reason", user_lock ? "user_locked" : "address_locked"}}};
    co_await record_audit(tx, actor_for(a, out.user), std::move(entry));
    co_return out;
  }
  co_await tx.exec("INSERT INTO login_failures (username, client_addr, at) VALUES ($1, $2, $3)",
                   storage::params(a.username, a.client_addr, a.now));
  co_return out;
}

asio::awaitable<LoginSession> finish_login(storage::Tx& tx, LoginAttempt a, UserCredentials user,
                                           std::string session_token_hash, std::string csrf_token,
                                           std::int64_t absolute_us, std::int64_t idle_us,
                                           std::optional<std::string> rehashed,
                                           std::optional<std::string> second_factor) {
  co_await tx.exec("DELETE FROM login_failures WHERE username = $1 OR at < $2",
                   storage::params(a.username, a.now - kFailureRetentionUs));
  co_await purge_expired_sessions(tx, a.now, idle_us);
  if (rehashed) co_await store_rehashed_password(tx, user, *rehashed);
  LoginSession out;
  out.expires_at = a.now + absolute_us;
  // Arguments built before each co_await (the coroutine rule: storage/job.hpp).
  NewSession session{std::move(session_token_hash), std::move(csrf_token), user.user.id, a.now, out.expires_at,
                     a.client_addr, a.user_agent};
  out.session_id = co_await create_session(tx, std::move(session));
  std::optional<UserCredentials> who = user;
  nlohmann::json details{{"session", out.session_id}};
  if (second_factor) details["second_factor"] = *second_factor;
  AuditEntry entry{AuditAction::login, "session", user.user.username, std::nullopt, details};
  co_await record_audit(tx, actor_for(a, who), std::move(entry));
  co_return out;
}

asio::awaitable<void> record_failed_login(storage::Tx& tx, LoginAttempt a, std::optional<UserCredentials> user,
                                          std::string reason) {
  std::optional<std::string> key;
  if (user) key = user->user.username;
  AuditEntry entry{AuditAction::login_failed, "session", key, std::nullopt, nlohmann::json{{"reason", reason}}};
  co_await record_audit(tx, actor_for(a, user), std::move(entry));
}

asio::awaitable<void> uncount_login_attempt(storage::Tx& tx, LoginAttempt a) {
  co_await tx.exec("DELETE FROM login_failures WHERE username = $1 AND client_addr = $2 AND at = $3",
                   storage::params(a.username, a.client_addr, a.now));
}

asio::awaitable<void> store_rehashed_password(storage::Tx& tx, UserCredentials user, std::string rehashed) {
  // Only over the hash that was verified: a password changed meanwhile is not overwritten.
  co_await tx.exec("UPDATE users SET password_hash = $2 WHERE id = $1 AND password_hash = $3",
                   storage::params(user.user.id, rehashed, user.password_hash));
}

asio::awaitable<void> forget_login_failures(storage::Tx& tx, std::string username) {
  co_await tx.exec("DELETE FROM login_failures WHERE username = $1", storage::params(username));
}

}  // namespace tt::services
