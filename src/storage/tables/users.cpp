#include "storage/tables/users.hpp"

#include "util/ids.hpp"

namespace tt::storage::users {

namespace {

constexpr std::string_view kColumns =
    "SELECT u.id, u.uid, u.username, u.email, u.role, u.area_id, a.name, u.active, u.created_at, u.updated_at,"
    " u.password_changed_at, u.password_hash, u.totp_enabled_at, u.totp_secret, u.totp_last_step"
    " FROM users u LEFT JOIN areas a ON a.id = u.area_id";
constexpr std::string_view kInsert =
    "INSERT INTO users (uid, username, email, password_hash, role, area_id, active, created_at, updated_at,"
    " password_changed_at) VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7, $7) ON CONFLICT DO NOTHING RETURNING id";
// WHERE NOT EXISTS keeps a second process from adding an admin to a populated table; ON CONFLICT
// keeps two concurrent first starts from failing on the unique user name.
constexpr std::string_view kInsertFirstAdmin =
    "INSERT INTO users (uid, username, email, password_hash, role, area_id, active, created_at, updated_at,"
    " password_changed_at) SELECT $1, $2, NULL, $3, 'admin', NULL, 1, $4, $4, $4"
    " WHERE NOT EXISTS (SELECT 1 FROM users) ON CONFLICT DO NOTHING RETURNING id";

UserRow user_from(const Row& r) {
  UserRow u;
  u.id = r.i64(0);
  u.uid = r.text(1);
  u.username = r.text(2);
  u.email = r.opt_text(3);
  u.role = domain::parse_role(r.text(4)).value_or(domain::Role::dispatcher);
  u.area_id = r.opt_i64(5);
  u.area = r.opt_text(6);
  u.active = r.i64(7) != 0;
  u.created_at = r.i64(8);
  u.updated_at = r.i64(9);
  u.password_changed_at = r.i64(10);
  u.second_factor_since = r.opt_i64(12);
  return u;
}

std::optional<UserCredentialsRow> credentials_from(const std::optional<Row>& r) {
  if (!r) return std::nullopt;
  return UserCredentialsRow{user_from(*r), r->text(11), r->opt_text(13), r->i64(14)};
}

}  // namespace

asio::awaitable<std::optional<std::int64_t>> insert(Tx& tx, const NewUserRow& u) {
  auto row = co_await tx.query_one(kInsert, params(util::uuid_v7(), u.username, u.email, u.password_hash,
                                                   domain::to_string(u.role), u.area_id, u.at));
  if (!row) co_return std::nullopt;
  co_return row->i64(0);
}

asio::awaitable<bool> insert_first_admin(Tx& tx, const std::string& username, const std::string& password_hash,
                                         std::int64_t at) {
  auto row = co_await tx.query_one(kInsertFirstAdmin, params(util::uuid_v7(), username, password_hash, at));
  co_return row.has_value();
}

asio::awaitable<std::optional<UserCredentialsRow>> find(Tx& tx, const std::string& normalised_name) {
  const std::string sql = std::string(kColumns) + " WHERE lower(u.username) = $1";
  auto row = co_await tx.query_one(sql, params(normalised_name));
  co_return credentials_from(row);
}

asio::awaitable<std::optional<UserCredentialsRow>> find_by_id(Tx& tx, std::int64_t id) {
  const std::string sql = std::string(kColumns) + " WHERE u.id = $1";
  auto row = co_await tx.query_one(sql, params(id));
  co_return credentials_from(row);
}

asio::awaitable<std::vector<UserRow>> list(Tx& tx) {
  const std::string sql = std::string(kColumns) + " ORDER BY u.username";
  auto rows = co_await tx.query(sql);
  std::vector<UserRow> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(user_from(r));
  co_return out;
}

asio::awaitable<std::vector<UserCredentialsRow>> list_credentials(Tx& tx) {
  const std::string sql = std::string(kColumns) + " ORDER BY u.username";
  auto rows = co_await tx.query(sql);
  std::vector<UserCredentialsRow> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(*credentials_from(r));
  co_return out;
}

asio::awaitable<std::int64_t> count(Tx& tx) {
  auto row = co_await tx.query_one("SELECT count(*) FROM users");
  co_return row ? row->i64(0) : 0;
}

asio::awaitable<std::optional<std::int64_t>> lock(Tx& tx, const std::string& normalised_name) {
  auto row = co_await tx.query_one_locked("SELECT id FROM users WHERE lower(username) = $1", params(normalised_name));
  if (!row) co_return std::nullopt;
  co_return row->i64(0);
}

asio::awaitable<std::size_t> lock_other_active_admins(Tx& tx, std::int64_t id) {
  auto rows =
      co_await tx.query_locked("SELECT id FROM users WHERE role = 'admin' AND active = 1 AND id <> $1", params(id));
  co_return rows.size();
}

asio::awaitable<void> update(Tx& tx, std::int64_t id, const UserChangeRow& c) {
  co_await tx.exec("UPDATE users SET role = $2, area_id = $3, email = $4, active = $5, updated_at = $6 WHERE id = $1",
                   params(id, domain::to_string(c.role), c.area_id, c.email, c.active, c.at));
}

asio::awaitable<std::int64_t> put_received(Tx& tx, const ReceivedUserRow& u) {
  auto updated = co_await tx.query_one(
      "UPDATE users SET email = $2, password_hash = $3, role = $4, area_id = $5, active = $6, totp_secret = $7,"
      " totp_enabled_at = $8, totp_pending_secret = NULL, password_changed_at = $9, updated_at = $10"
      " WHERE uid = $1 RETURNING id",
      params(u.uid, u.email, u.password_hash, domain::to_string(u.role), u.area_id, u.active, u.totp_secret,
             u.totp_enabled_at, u.password_changed_at, u.at));
  if (updated) co_return updated->i64(0);
  auto inserted = co_await tx.query_one(
      "INSERT INTO users (uid, username, email, password_hash, role, area_id, active, totp_secret, totp_enabled_at,"
      " created_at, updated_at, password_changed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11)"
      " RETURNING id",
      params(u.uid, u.username, u.email, u.password_hash, domain::to_string(u.role), u.area_id, u.active,
             u.totp_secret, u.totp_enabled_at, u.at, u.password_changed_at));
  if (!inserted) throw DbError("the user " + u.username + " from head office was not stored");
  co_return inserted->i64(0);
}

asio::awaitable<void> set_password(Tx& tx, std::int64_t id, const std::string& password_hash, std::int64_t at) {
  co_await tx.exec("UPDATE users SET password_hash = $2, password_changed_at = $3 WHERE id = $1",
                   params(id, password_hash, at));
}

asio::awaitable<bool> change_password(Tx& tx, std::int64_t id, const std::string& expected_hash,
                                      const std::string& new_hash, std::int64_t at) {
  const auto changed = co_await tx.exec(
      "UPDATE users SET password_hash = $2, password_changed_at = $3, updated_at = $3"
      " WHERE id = $1 AND password_hash = $4 AND active = 1",
      params(id, new_hash, at, expected_hash));
  co_return changed > 0;
}

asio::awaitable<void> store_rehashed_password(Tx& tx, std::int64_t id, const std::string& verified_hash,
                                              const std::string& rehashed) {
  co_await tx.exec("UPDATE users SET password_hash = $2 WHERE id = $1 AND password_hash = $3",
                   params(id, rehashed, verified_hash));
}

asio::awaitable<std::optional<SecondFactorRow>> second_factor(Tx& tx, std::int64_t id) {
  auto row = co_await tx.query_one(
      "SELECT totp_secret, totp_pending_secret, totp_enabled_at, totp_last_step,"
      " (SELECT count(*) FROM user_recovery_codes c WHERE c.user_id = users.id AND c.used_at IS NULL)"
      " FROM users WHERE id = $1",
      params(id));
  if (!row) co_return std::nullopt;
  SecondFactorRow out;
  out.secret = row->opt_text(0);
  out.pending_secret = row->opt_text(1);
  out.enabled_at = row->opt_i64(2);
  out.last_step = row->i64(3);
  out.recovery_codes_left = static_cast<int>(row->i64(4));
  co_return out;
}

asio::awaitable<bool> set_pending_secret(Tx& tx, std::int64_t id, const std::string& secret) {
  const auto changed = co_await tx.exec(
      "UPDATE users SET totp_pending_secret = $2 WHERE id = $1 AND totp_secret IS NULL", params(id, secret));
  co_return changed > 0;
}

asio::awaitable<bool> enable_pending_secret(Tx& tx, std::int64_t id, const std::string& secret, std::int64_t step,
                                            std::int64_t at) {
  const auto changed = co_await tx.exec(
      "UPDATE users SET totp_secret = totp_pending_secret, totp_pending_secret = NULL, totp_enabled_at = $3,"
      " totp_last_step = $4, updated_at = $3 WHERE id = $1 AND totp_secret IS NULL AND totp_pending_secret = $2",
      params(id, secret, at, step));
  co_return changed > 0;
}

asio::awaitable<std::optional<SecondFactorOwner>> lock_second_factor(Tx& tx, const std::string& normalised_name) {
  auto row = co_await tx.query_one_locked("SELECT id, username, totp_secret FROM users WHERE lower(username) = $1",
                                          params(normalised_name));
  if (!row) co_return std::nullopt;
  co_return SecondFactorOwner{row->i64(0), row->text(1), !row->is_null(2)};
}

asio::awaitable<void> clear_second_factor(Tx& tx, std::int64_t id, std::int64_t at) {
  co_await tx.exec(
      "UPDATE users SET totp_secret = NULL, totp_pending_secret = NULL, totp_enabled_at = NULL, updated_at = $2"
      " WHERE id = $1",
      params(id, at));
}

asio::awaitable<bool> accept_totp_step(Tx& tx, std::int64_t id, std::int64_t step) {
  // Conditional: of two requests carrying the same code at the same moment, one changes the row.
  const auto changed = co_await tx.exec(
      "UPDATE users SET totp_last_step = $2 WHERE id = $1 AND totp_secret IS NOT NULL AND totp_last_step < $2",
      params(id, step));
  co_return changed == 1;
}

}  // namespace tt::storage::users
