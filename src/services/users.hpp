// User accounts (SPEC §2, §3.9): creation, changes, deactivation and password resets, each with
// its audit entry in the same transaction. Passwords arrive here already hashed: hashing is slow
// and happens on the hashing pool before the transaction starts, never inside it. The statements
// are in storage/tables/users; an update reports a credential change (services/credential_change.hpp).
#pragma once

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/errors.hpp"
#include "domain/role.hpp"
#include "services/audit.hpp"
#include "services/credential_change.hpp"
#include "storage/database.hpp"
#include "storage/tables/users.hpp"

namespace tt::services {

namespace asio = boost::asio;

using User = storage::UserRow;
// A user with what only the sign-in checks read (the password hash, the second factor's secret).
using UserCredentials = storage::UserCredentialsRow;

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
asio::awaitable<CredentialChange<User>> update_user(storage::Tx& tx, Actor actor, std::string username,
                                                   UserPatch patch);

// The number of users (first start: zero).
asio::awaitable<std::int64_t> count_users(storage::Tx& tx);

}  // namespace tt::services
