#include "services/second_factor.hpp"

#include <nlohmann/json.hpp>

#include "domain/errors.hpp"
#include "domain/user_rules.hpp"
#include "util/time.hpp"

namespace tt::services {

namespace {

domain::Failure already_enabled() {
  return domain::Failure(domain::Error::second_factor_enabled,
                         "Two-factor sign-in is already on; turn it off first to set up another phone.");
}

// Each code in its own row: a code is then used (and found) by one indexed update.
asio::awaitable<void> store_recovery_codes(storage::Tx& tx, std::int64_t user_id, std::vector<std::string> hashes,
                                           std::int64_t now) {
  co_await tx.exec("DELETE FROM user_recovery_codes WHERE user_id = $1", storage::params(user_id));
  for (const auto& h : hashes) {
    co_await tx.exec("INSERT INTO user_recovery_codes (user_id, code_hash, created_at) VALUES ($1, $2, $3)",
                     storage::params(user_id, h, now));
  }
}

}  // namespace

asio::awaitable<SecondFactorState> read_second_factor(storage::Tx& tx, std::int64_t user_id) {
  auto row = co_await tx.query_one(
      "SELECT totp_secret, totp_pending_secret, totp_enabled_at, totp_last_step,"
      " (SELECT count(*) FROM user_recovery_codes c WHERE c.user_id = users.id AND c.used_at IS NULL)"
      " FROM users WHERE id = $1",
      storage::params(user_id));
  if (!row) throw domain::Failure(domain::Error::user_not_found, "There is no such user.");
  SecondFactorState out;
  out.secret = row->opt_text(0);
  out.pending_secret = row->opt_text(1);
  out.enabled_at = row->opt_i64(2);
  out.last_step = row->i64(3);
  out.recovery_codes_left = static_cast<int>(row->i64(4));
  co_return out;
}

asio::awaitable<void> begin_enrolment(storage::Tx& tx, std::int64_t user_id, std::string secret) {
  const auto changed = co_await tx.exec(
      "UPDATE users SET totp_pending_secret = $2 WHERE id = $1 AND totp_secret IS NULL",
      storage::params(user_id, secret));
  if (changed == 0) {
    co_await read_second_factor(tx, user_id);  // throws user_not_found when the user is gone
    throw already_enabled();
  }
}

asio::awaitable<void> confirm_enrolment(storage::Tx& tx, Actor actor, std::string secret, std::int64_t step,
                                        std::vector<std::string> recovery_hashes) {
  const std::int64_t now = util::now_us();
  const std::int64_t user_id = actor.user_id;
  const auto changed = co_await tx.exec(
      "UPDATE users SET totp_secret = totp_pending_secret, totp_pending_secret = NULL, totp_enabled_at = $3,"
      " totp_last_step = $4, updated_at = $3 WHERE id = $1 AND totp_secret IS NULL AND totp_pending_secret = $2",
      storage::params(user_id, secret, now, step));
  if (changed == 0) {
    auto state = co_await read_second_factor(tx, user_id);
    if (state.secret) throw already_enabled();
    throw domain::Failure(domain::Error::conflict,
                          "Another set-up of two-factor sign-in was started meanwhile; use the code shown there.");
  }
  const auto count = static_cast<int>(recovery_hashes.size());
  co_await store_recovery_codes(tx, user_id, std::move(recovery_hashes), now);
  const std::string name = actor.username;
  const nlohmann::json after{{"method", "totp"}, {"recovery_codes", count}};
  const AuditEntry entry{AuditAction::second_factor_enabled, "user", name, std::nullopt, after};
  co_await record_audit(tx, actor, entry);
}

asio::awaitable<void> renew_recovery_codes(storage::Tx& tx, Actor actor, std::vector<std::string> recovery_hashes) {
  const std::int64_t now = util::now_us();
  const std::int64_t user_id = actor.user_id;
  auto state = co_await read_second_factor(tx, user_id);
  if (!state.secret) {
    throw domain::Failure(domain::Error::second_factor_not_enabled, "Two-factor sign-in is not on.");
  }
  const auto count = static_cast<int>(recovery_hashes.size());
  co_await store_recovery_codes(tx, user_id, std::move(recovery_hashes), now);
  const std::string name = actor.username;
  const nlohmann::json before{{"unused", state.recovery_codes_left}};
  const nlohmann::json after{{"unused", count}};
  const AuditEntry entry{AuditAction::recovery_codes_renewed, "user", name, before, after};
  co_await record_audit(tx, actor, entry);
}

asio::awaitable<User> remove_second_factor(storage::Tx& tx, Actor actor, std::string username, AuditAction action) {
  const std::string wanted = domain::normalise_username(username);
  auto row = co_await tx.query_one_locked("SELECT id, username, totp_secret FROM users WHERE lower(username) = $1",
                                          storage::params(wanted));
  if (!row) throw domain::Failure(domain::Error::user_not_found, "There is no user named '" + wanted + "'.");
  const std::int64_t user_id = row->i64(0);
  const std::string name = row->text(1);
  if (!row->opt_text(2)) {
    throw domain::Failure(domain::Error::second_factor_not_enabled,
                          "Two-factor sign-in is not on for '" + name + "'.");
  }
  const std::int64_t now = util::now_us();
  co_await tx.exec(
      "UPDATE users SET totp_secret = NULL, totp_pending_secret = NULL, totp_enabled_at = NULL, updated_at = $2"
      " WHERE id = $1",
      storage::params(user_id, now));
  co_await tx.exec("DELETE FROM user_recovery_codes WHERE user_id = $1", storage::params(user_id));
  co_await tx.exec("DELETE FROM login_challenges WHERE user_id = $1", storage::params(user_id));
  const nlohmann::json before{{"method", "totp"}};
  const AuditEntry entry{action, "user", name, before, std::nullopt};
  co_await record_audit(tx, actor, entry);
  auto user = co_await find_user(tx, name);
  co_return *user;
}

asio::awaitable<bool> accept_totp_step(storage::Tx& tx, std::int64_t user_id, std::int64_t step) {
  // Conditional: of two requests carrying the same code at the same moment, one changes the row.
  const auto changed = co_await tx.exec(
      "UPDATE users SET totp_last_step = $2 WHERE id = $1 AND totp_secret IS NOT NULL AND totp_last_step < $2",
      storage::params(user_id, step));
  co_return changed == 1;
}

asio::awaitable<bool> use_recovery_code(storage::Tx& tx, std::int64_t user_id, std::string code_hash,
                                        std::int64_t now) {
  const auto changed = co_await tx.exec(
      "UPDATE user_recovery_codes SET used_at = $3 WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL",
      storage::params(user_id, code_hash, now));
  co_return changed == 1;
}

asio::awaitable<void> open_login_challenge(storage::Tx& tx, std::string token_hash, std::int64_t user_id,
                                           std::string client_addr, std::optional<std::string> user_agent,
                                           std::int64_t now) {
  co_await tx.exec("DELETE FROM login_challenges WHERE expires_at <= $1", storage::params(now));
  co_await tx.exec(
      "INSERT INTO login_challenges (token_hash, user_id, client_addr, user_agent, created_at, expires_at)"
      " VALUES ($1, $2, $3, $4, $5, $6)",
      storage::params(token_hash, user_id, client_addr, user_agent, now, now + kLoginChallengeUs));
}

asio::awaitable<std::optional<LoginChallenge>> find_login_challenge(storage::Tx& tx, std::string token_hash,
                                                                    std::int64_t now) {
  auto row = co_await tx.query_one(
      "SELECT c.id, c.user_id, u.username, c.failures FROM login_challenges c JOIN users u ON u.id = c.user_id"
      " WHERE c.token_hash = $1 AND c.expires_at > $2 AND c.failures < $3",
      storage::params(token_hash, now, kLoginChallengeMaxFailures));
  if (!row) co_return std::nullopt;
  co_return LoginChallenge{row->i64(0), row->i64(1), row->text(2), static_cast<int>(row->i64(3))};
}

asio::awaitable<void> count_challenge_failure(storage::Tx& tx, std::int64_t challenge_id) {
  co_await tx.exec("UPDATE login_challenges SET failures = failures + 1 WHERE id = $1", storage::params(challenge_id));
}

asio::awaitable<void> close_login_challenge(storage::Tx& tx, std::int64_t challenge_id) {
  co_await tx.exec("DELETE FROM login_challenges WHERE id = $1", storage::params(challenge_id));
}

}  // namespace tt::services
