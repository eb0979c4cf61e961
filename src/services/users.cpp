#include "services/users.hpp"

#include "domain/user_rules.hpp"
#include "domain/errors.hpp"
#include "services/areas.hpp"
#include "services/audit_entry.hpp"
#include "storage/tables/sessions.hpp"
#include "util/ids.hpp"
#include "util/time.hpp"

namespace tt::services {

namespace {

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
  storage::NewUserRow row{name, email, std::move(password_hash), role, area_id, util::now_us()};
  const std::optional<std::int64_t> id = co_await storage::users::insert(tx, row);
  if (!id) throw domain::Failure(domain::Error::username_taken, "The username '" + name + "' is already taken.");
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
  const std::string name = domain::normalise_username(username);
  co_return co_await storage::users::find(tx, name);
}

asio::awaitable<std::optional<UserCredentials>> find_credentials_by_id(storage::Tx& tx, std::int64_t user_id) {
  co_return co_await storage::users::find_by_id(tx, user_id);
}

asio::awaitable<std::vector<User>> list_users(storage::Tx& tx) { co_return co_await storage::users::list(tx); }

asio::awaitable<CredentialChange<User>> update_user(storage::Tx& tx, Actor actor, std::string username,
                                                   UserPatch patch) {
  std::string name = domain::normalise_username(username);
  const std::optional<std::int64_t> locked = co_await storage::users::lock(tx, name);
  if (!locked) throw domain::Failure(domain::Error::user_not_found, "There is no user named '" + name + "'.");
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
    const std::size_t others = co_await storage::users::lock_other_active_admins(tx, before.id);
    if (others == 0) {
      throw domain::Failure(domain::Error::last_admin, "The last active admin cannot be demoted or deactivated.");
    }
  }

  const auto now = util::now_us();
  const storage::UserChangeRow change{after.role, after.area_id, after.email, after.active, now};
  co_await storage::users::update(tx, before.id, change);
  if (patch.password_hash) co_await storage::users::set_password(tx, before.id, *patch.password_hash, now);
  // A deactivated user, or one whose password was reset, is signed out everywhere.
  if (!after.active || patch.password_hash) {
    const std::optional<std::int64_t> keep_none;
    co_await storage::sessions::remove_of_user(tx, before.id, keep_none);
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
  co_return credential_change(std::move(*updated));
}

asio::awaitable<std::int64_t> count_users(storage::Tx& tx) {
  co_return co_await storage::users::count(tx);
}

}  // namespace tt::services
