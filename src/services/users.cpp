#include "services/users.hpp"

#include "domain/user_rules.hpp"
#include "domain/errors.hpp"
#include "services/areas.hpp"
#include "services/audit_entry.hpp"
#include "util/ids.hpp"
#include "util/time.hpp"

namespace tt::services {

namespace {

constexpr const char* kUserColumns =
    "SELECT u.id, u.uid, u.username, u.email, u.role, u.area_id, a.name, u.active, u.created_at, u.updated_at,"
    " u.password_changed_at, u.password_hash, u.totp_enabled_at, u.totp_secret, u.totp_last_step FROM users u LEFT JOIN areas a ON a.id = u.area_id";

User user_from(const storage::Row& r) {
  User u;
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

// What the audit log keeps of a user: never the password hash.
nlohmann::json audit_view(const User& u) {
  nlohmann::json j{{"username", u.username},
                   {"role", domain::to_string(u.role)},
                   {"area", u.area ? nlohmann::json(*u.area) : nlohmann::json(nullptr)},
                   {"email", u.email ? nlohmann::json(*u.email) : nlohmann::json(nullptr)},
                   {"active", u.active}};
  return j;
}

domain::Role checked_role(const std::string& role) {
  auto r = domain::parse_role(role);
  if (!r) throw domain::Failure(domain::Error::invalid_role, "The role must be dispatcher, biller or admin.");
  return *r;
}

std::optional<std::string> checked_email(const std::optional<std::string>& email) {
  if (!email) return std::nullopt;
  std::string e = domain::trim(*email);
  if (e.empty()) return std::nullopt;
  if (auto err = domain::validate_email(e)) throw domain::Failure(domain::Error::invalid_email, *err);
  return e;
}

// The area's id, or 422 unknown_area.
asio::awaitable<std::optional<Area>> checked_area(storage::Tx& tx, std::optional<std::string> name) {
  if (!name || domain::trim(*name).empty()) co_return std::nullopt;
  co_return co_await require_area(tx, *name);
}

UserCredentials credentials_from(const storage::Row& r) {
  return UserCredentials{user_from(r), r.text(11), r.opt_text(13), r.i64(14)};
}

}  // namespace

void check_new_user(const NewUser& u) {
  std::string name = domain::normalise_username(u.username);
  if (auto err = domain::validate_username(name)) throw domain::Failure(domain::Error::invalid_username, *err);
  domain::Role role = checked_role(u.role);
  checked_email(u.email);
  if (role != domain::Role::admin && (!u.area || domain::trim(*u.area).empty())) {
    throw domain::Failure(domain::Error::area_required, "A " + std::string(domain::to_string(role)) + " must belong to an area.");
  }
}

asio::awaitable<User> create_user(storage::Tx& tx, Actor actor, NewUser u, std::string password_hash) {
  check_new_user(u);
  std::string name = domain::normalise_username(u.username);
  domain::Role role = checked_role(u.role);
  auto email = checked_email(u.email);
  auto area = co_await checked_area(tx, u.area);
  std::optional<std::int64_t> area_id;
  if (area) area_id = area->id;
  const auto now = util::now_us();
  // ON CONFLICT: a user name taken concurrently must give 409, not a failed transaction.
  auto row = co_await tx.query_one(
      "INSERT INTO users (uid, username, email, password_hash, role, area_id, active, created_at, updated_at,"
      " password_changed_at) VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7, $7) ON CONFLICT DO NOTHING RETURNING id",
      storage::params(util::uuid_v7(), name, email, password_hash, domain::to_string(role), area_id, now));
  if (!row) throw domain::Failure(domain::Error::username_taken, "The username '" + name + "' is already taken.");
  auto created = co_await find_user(tx, name);
  if (!created) throw storage::DbError("user vanished after insert");
  co_await record_audit(tx, std::move(actor),
                        make_audit_entry(AuditAction::user_create, "user", created->username, std::nullopt,
                                         audit_view(*created)));
  co_return *created;
}

asio::awaitable<std::optional<User>> find_user(storage::Tx& tx, std::string username) {
  auto c = co_await find_credentials(tx, std::move(username));
  if (!c) co_return std::nullopt;
  co_return c->user;
}

asio::awaitable<std::optional<UserCredentials>> find_credentials(storage::Tx& tx, std::string username) {
  auto row = co_await tx.query_one(std::string(kUserColumns) + " WHERE lower(u.username) = $1",
                                   storage::params(domain::normalise_username(username)));
  if (!row) co_return std::nullopt;
  co_return credentials_from(*row);
}

asio::awaitable<std::optional<UserCredentials>> find_credentials_by_id(storage::Tx& tx, std::int64_t user_id) {
  auto row = co_await tx.query_one(std::string(kUserColumns) + " WHERE u.id = $1", storage::params(user_id));
  if (!row) co_return std::nullopt;
  co_return credentials_from(*row);
}

asio::awaitable<std::vector<User>> list_users(storage::Tx& tx) {
  auto rows = co_await tx.query(std::string(kUserColumns) + " ORDER BY u.username");
  std::vector<User> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(user_from(r));
  co_return out;
}

asio::awaitable<User> update_user(storage::Tx& tx, Actor actor, std::string username, UserPatch patch) {
  std::string name = domain::normalise_username(username);
  auto row = co_await tx.query_one_locked("SELECT id FROM users WHERE lower(username) = $1", storage::params(name));
  if (!row) throw domain::Failure(domain::Error::user_not_found, "There is no user named '" + name + "'.");
  auto current = co_await find_user(tx, name);
  if (!current) throw domain::Failure(domain::Error::user_not_found, "There is no user named '" + name + "'.");
  const User before = *current;
  User after = before;

  if (patch.role) after.role = checked_role(*patch.role);
  if (patch.email) after.email = checked_email(*patch.email);
  if (patch.active) after.active = *patch.active;
  if (patch.area) {
    auto area = co_await checked_area(tx, *patch.area);
    // if/else, not `?:` (the coroutine rule: storage/job.hpp).
    after.area_id.reset();
    after.area.reset();
    if (area) {
      after.area_id = area->id;
      after.area = area->name;
    }
  }
  if (after.role != domain::Role::admin && !after.area_id) {
    throw domain::Failure(domain::Error::area_required,
                        "A " + std::string(domain::to_string(after.role)) + " must belong to an area.");
  }

  const bool was_active_admin = before.role == domain::Role::admin && before.active;
  const bool stays_active_admin = after.role == domain::Role::admin && after.active;
  if (was_active_admin && !stays_active_admin) {
    // Locks the other administrators' rows, so two administrators demoting each other at the
    // same moment cannot both succeed.
    auto others = co_await tx.query_locked("SELECT id FROM users WHERE role = 'admin' AND active = 1 AND id <> $1",
                                           storage::params(before.id));
    if (others.empty()) {
      throw domain::Failure(domain::Error::last_admin, "The last active admin cannot be demoted or deactivated.");
    }
  }

  const auto now = util::now_us();
  co_await tx.exec(
      "UPDATE users SET role = $2, area_id = $3, email = $4, active = $5, updated_at = $6 WHERE id = $1",
      storage::params(before.id, domain::to_string(after.role), after.area_id, after.email, after.active, now));
  if (patch.password_hash) {
    co_await tx.exec("UPDATE users SET password_hash = $2, password_changed_at = $3 WHERE id = $1",
                     storage::params(before.id, *patch.password_hash, now));
  }
  // A deactivated user, or one whose password was reset, is signed out everywhere.
  if (!after.active || patch.password_hash) {
    co_await tx.exec("DELETE FROM sessions WHERE user_id = $1", storage::params(before.id));
  }

  AuditAction action = AuditAction::user_update;
  if (before.active && !after.active) action = AuditAction::user_deactivate;
  else if (!before.active && after.active) action = AuditAction::user_reactivate;
  nlohmann::json after_view = audit_view(after);
  if (patch.password_hash) {
    after_view["password_reset"] = true;
    if (action == AuditAction::user_update && audit_view(before) == audit_view(after)) {
      action = AuditAction::password_reset;
    }
  }
  co_await record_audit(tx, std::move(actor),
                        make_audit_entry(action, "user", before.username, audit_view(before), after_view));

  auto updated = co_await find_user(tx, name);
  if (!updated) throw storage::DbError("user vanished during update");
  co_return *updated;
}

asio::awaitable<void> change_own_password(storage::Tx& tx, Actor actor, std::int64_t user_id,
                                          std::string expected_hash, std::string new_hash,
                                          std::optional<std::int64_t> keep_session) {
  const auto now = util::now_us();
  auto changed = co_await tx.exec(
      "UPDATE users SET password_hash = $2, password_changed_at = $3, updated_at = $3"
      " WHERE id = $1 AND password_hash = $4 AND active = 1",
      storage::params(user_id, new_hash, now, expected_hash));
  if (changed == 0) {
    throw domain::Failure(domain::Error::password_changed, "The password was changed meanwhile; sign in again.");
  }
  if (keep_session) {
    co_await tx.exec("DELETE FROM sessions WHERE user_id = $1 AND id <> $2", storage::params(user_id, *keep_session));
  } else {
    co_await tx.exec("DELETE FROM sessions WHERE user_id = $1", storage::params(user_id));
  }
  std::string key = actor.username;
  co_await record_audit(tx, std::move(actor),
                        make_audit_entry(AuditAction::password_change, "user", key, std::nullopt, std::nullopt));
}

asio::awaitable<std::int64_t> count_users(storage::Tx& tx) {
  auto row = co_await tx.query_one("SELECT count(*) FROM users");
  co_return row ? row->i64(0) : 0;
}

}  // namespace tt::services
