#include "storage/tables/sessions.hpp"

#include "domain/auth_settings.hpp"

namespace tt::storage::sessions {

namespace {

constexpr std::string_view kInsert =
    "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at, client_addr,"
    " user_agent) VALUES ($1, $2, $3, $4, $4, $5, $6, $7) RETURNING id";
// The idle-limit setting rides along through the settings primary key so the check needs no
// second round trip.
constexpr std::string_view kFind =
    "SELECT s.id, s.csrf_token, s.last_seen_at, s.expires_at, u.id, u.username, u.role, u.area_id, a.name,"
    " u.active, st.value, u.totp_enabled_at, sf.value"
    " FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN areas a ON a.id = u.area_id"
    " LEFT JOIN settings st ON st.key = $2"
    " LEFT JOIN settings sf ON sf.key = $3"
    " WHERE s.token_hash = $1";

}  // namespace

asio::awaitable<std::int64_t> insert(Tx& tx, const NewSessionRow& s) {
  auto row = co_await tx.query_one(kInsert, params(s.token_hash, s.user_id, s.csrf_token, s.created_at, s.expires_at,
                                                   s.client_addr, s.user_agent));
  if (!row) throw DbError("session insert returned no id");
  co_return row->i64(0);
}

asio::awaitable<std::optional<SessionLookup>> find(Tx& tx, const std::string& token_hash) {
  auto row = co_await tx.query_one(kFind, params(token_hash, domain::kSessionIdleMinutes,
                                                 domain::kAdminsNeedSecondFactor));
  if (!row) co_return std::nullopt;
  auto role = domain::parse_role(row->text(6));
  if (!role) co_return std::nullopt;  // unreachable: the schema checks the role
  SessionLookup out;
  domain::Identity& p = out.who;
  out.session_id = row->i64(0);
  out.csrf_token = row->text(1);
  out.last_seen_at = row->i64(2);
  out.expires_at = row->i64(3);
  p.user_id = row->i64(4);
  p.username = row->text(5);
  p.role = *role;
  p.area_id = row->opt_i64(7);
  p.area_name = row->opt_text(8).value_or("");
  out.user_active = row->i64(9) != 0;
  out.idle_minutes_setting = row->opt_text(10);
  out.second_factor_setup_required =
      !row->opt_i64(11) && domain::second_factor_required(p.role, domain::flag_setting(row->opt_text(12), false));
  co_return out;
}

asio::awaitable<void> touch(Tx& tx, std::int64_t id, std::int64_t now) {
  co_await tx.exec("UPDATE sessions SET last_seen_at = $2 WHERE id = $1 AND last_seen_at < $2", params(id, now));
}

asio::awaitable<bool> remove(Tx& tx, std::int64_t id) {
  const auto removed = co_await tx.exec("DELETE FROM sessions WHERE id = $1", params(id));
  co_return removed > 0;
}

asio::awaitable<std::int64_t> remove_of_user(Tx& tx, std::int64_t user_id, std::optional<std::int64_t> keep) {
  if (keep) {
    co_return co_await tx.exec("DELETE FROM sessions WHERE user_id = $1 AND id <> $2", params(user_id, *keep));
  }
  co_return co_await tx.exec("DELETE FROM sessions WHERE user_id = $1", params(user_id));
}

asio::awaitable<std::int64_t> purge(Tx& tx, std::int64_t now, std::int64_t seen_before) {
  co_return co_await tx.exec("DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at < $2",
                             params(now, seen_before));
}

asio::awaitable<std::vector<SessionInfo>> of_user(Tx& tx, std::int64_t user_id, std::int64_t now,
                                                  std::int64_t seen_since) {
  auto rows = co_await tx.query(
      "SELECT id, created_at, last_seen_at, expires_at, client_addr, user_agent FROM sessions"
      " WHERE user_id = $1 AND expires_at > $2 AND last_seen_at >= $3 ORDER BY last_seen_at DESC, id DESC",
      params(user_id, now, seen_since));
  std::vector<SessionInfo> out;
  out.reserve(rows.size());
  for (const auto& r : rows) {
    out.push_back(SessionInfo{r.i64(0), r.i64(1), r.i64(2), r.i64(3), r.opt_text(4), r.opt_text(5)});
  }
  co_return out;
}

}  // namespace tt::storage::sessions
