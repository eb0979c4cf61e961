// User accounts (SPEC §2, §3.9): creation, changes, deactivation and password changes, each with
// its audit entry in the same transaction. Passwords arrive here already hashed: hashing is slow
// and happens on the hashing pool before the transaction starts, never inside it.
//
// Callers must call auth::credentials_changed() after a transaction that changed a user's role,
// area, state or password has committed, so cached credentials are dropped.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/errors.hpp"
#include "domain/role.hpp"
#include "services/audit.hpp"
#include "storage/database.hpp"

namespace tt::services {

namespace asio = boost::asio;

struct User {
  std::int64_t id = 0;
  std::string uid;
  std::string username;
  std::optional<std::string> email;
  domain::Role role = domain::Role::dispatcher;
  std::optional<std::int64_t> area_id;
  std::optional<std::string> area;  // area name
  bool active = true;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  std::int64_t password_changed_at = 0;
  std::optional<std::int64_t> second_factor_since;  // when two-factor sign-in was turned on
};

struct UserCredentials {
  User user;
  std::string password_hash;
  std::optional<std::string> totp_secret;  // base32; only the sign-in check reads it
  std::int64_t totp_last_step = 0;          // the last time step accepted (a code is used once)
};

struct NewUser {
  std::string username;  // as typed: normalised and validated here
  std::string role;
  std::optional<std::string> area;  // area name
  std::optional<std::string> email;
};

// Checks what can be checked without the database (user name, role, e-mail, area presence for
// non-admins). Throws domain::Failure naming the field. Called before hashing the password so
// that a bad request costs nothing, and again by create_user.
void check_new_user(const NewUser& u);

// Throws invalid_username, invalid_role, invalid_email, area_required, unknown_area, username_taken.
asio::awaitable<User> create_user(storage::Tx& tx, Actor actor, NewUser u, std::string password_hash);

asio::awaitable<std::optional<User>> find_user(storage::Tx& tx, std::string username);
asio::awaitable<std::optional<UserCredentials>> find_credentials(storage::Tx& tx, std::string username);
asio::awaitable<std::optional<UserCredentials>> find_credentials_by_id(storage::Tx& tx, std::int64_t user_id);
asio::awaitable<std::vector<User>> list_users(storage::Tx& tx);

// An empty outer optional leaves the field as it is; for area and email an empty inner optional
// clears it.
struct UserPatch {
  std::optional<std::string> role;
  std::optional<std::optional<std::string>> area;
  std::optional<std::optional<std::string>> email;
  std::optional<bool> active;
  std::optional<std::string> password_hash;  // an administrator's password reset
};

// Throws user_not_found, invalid_role, invalid_email, area_required, unknown_area, last_admin
// when the change would leave no active administrator. Deactivation and password reset end the user's sessions.
asio::awaitable<User> update_user(storage::Tx& tx, Actor actor, std::string username, UserPatch patch);

// The user's own password change. `expected_hash` is the hash the old password was verified
// against: if it changed meanwhile the change is refused (password_changed). Ends the user's
// other sessions (all of them when `keep_session` is empty).
asio::awaitable<void> change_own_password(storage::Tx& tx, Actor actor, std::int64_t user_id,
                                          std::string expected_hash, std::string new_hash,
                                          std::optional<std::int64_t> keep_session);

// The number of users (first start: zero).
asio::awaitable<std::int64_t> count_users(storage::Tx& tx);

}  // namespace tt::services
