#include "services/sessions.hpp"

#include <nlohmann/json.hpp>

#include "services/audit_entry.hpp"
#include "services/auth_settings.hpp"

namespace tt::services {

asio::awaitable<std::int64_t> create_session(storage::Tx& tx, NewSession s) {
  auto row = co_await tx.query_one(
      "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at, client_addr,"
      " user_agent) VALUES ($1, $2, $3, $4, $4, $5, $6, $7) RETURNING id",
      storage::params(s.token_hash, s.user_id, s.csrf_token, s.created_at, s.expires_at, s.client_addr,
                      s.user_agent));
  if (!row) throw storage::DbError("session insert returned no id");
  co_return row->i64(0);
}

asio::awaitable<std::optional<SessionLookup>> find_session(storage::Tx& tx, std::string token_hash) {
  // One read through the unique index on token_hash; the idle-limit setting rides along through
  // the settings primary key so the check needs no second round trip.
  auto row = co_await tx.query_one(
      "SELECT s.id, s.csrf_token, s.last_seen_at, s.expires_at, u.id, u.username, u.role, u.area_id, a.name,"
      " u.active, st.value, u.totp_enabled_at, sf.value"
      " FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN areas a ON a.id = u.area_id"
      " LEFT JOIN settings st ON st.key = $2"
      " LEFT JOIN settings sf ON sf.key = $3"
      " WHERE s.token_hash = $1",
      storage::params(token_hash, kSessionIdleMinutes, kAdminsNeedSecondFactor));
  if (!row) co_return std::nullopt;
  SessionLookup out;
  domain::Identity& p = out.who;
  out.session_id = row->i64(0);
  out.csrf_token = row->text(1);
  out.last_seen_at = row->i64(2);
  out.expires_at = row->i64(3);
  p.user_id = row->i64(4);
  p.username = row->text(5);
  auto role = domain::parse_role(row->text(6));
  if (!role) co_return std::nullopt;  // unreachable: the schema checks the role
  p.role = *role;
  p.area_id = row->opt_i64(7);
  p.area_name = row->opt_text(8).value_or("");
  out.user_active = row->i64(9) != 0;
  out.idle_minutes_setting = row->opt_text(10);
  out.second_factor_setup_required =
      !row->opt_i64(11) && second_factor_required(p.role, flag_setting(row->opt_text(12), false));
  co_return out;
}

asio::awaitable<void> touch_session(storage::Tx& tx, std::int64_t session_id, std::int64_t now) {
  co_await tx.exec("UPDATE sessions SET last_seen_at = $2 WHERE id = $1 AND last_seen_at < $2",
                   storage::params(session_id, now));
}

asio::awaitable<bool> end_session(storage::Tx& tx, std::int64_t session_id) {
  co_return co_await tx.exec("DELETE FROM sessions WHERE id = $1", storage::params(session_id)) > 0;
}

asio::awaitable<std::int64_t> purge_expired_sessions(storage::Tx& tx, std::int64_t now, std::int64_t idle_us) {
  co_return co_await tx.exec("DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at < $2",
                             storage::params(now, now - idle_us));
}

asio::awaitable<std::vector<SessionInfo>> list_user_sessions(storage::Tx& tx, std::int64_t user_id, std::int64_t now) {
  const AuthSettings settings = co_await load_auth_settings(tx);
  const std::int64_t idle_us = settings.session_idle_us;
  auto rows = co_await tx.query(
      "SELECT id, created_at, last_seen_at, expires_at, client_addr, user_agent FROM sessions"
      " WHERE user_id = $1 AND expires_at > $2 AND last_seen_at >= $3 ORDER BY last_seen_at DESC, id DESC",
      storage::params(user_id, now, now - idle_us));
  std::vector<SessionInfo> out;
  out.reserve(rows.size());
  for (const auto& r : rows) {
    out.push_back(SessionInfo{r.i64(0), r.i64(1), r.i64(2), r.i64(3), r.opt_text(4), r.opt_text(5)});
  }
  co_return out;
}

asio::awaitable<std::int64_t> end_other_sessions(storage::Tx& tx, Actor actor, std::int64_t keep) {
  const std::int64_t ended =
      co_await tx.exec("DELETE FROM sessions WHERE user_id = $1 AND id <> $2", storage::params(actor.user_id, keep));
  nlohmann::json after;
  after["ended"] = ended;
  co_await record_audit(
      tx, actor,
      make_audit_entry(AuditAction::sessions_end, "session", actor.username, std::nullopt, std::move(after)));
  co_return ended;
}

}  // namespace tt::services
