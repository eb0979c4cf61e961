// First start on an empty database (SPEC §6): an `admin` account (role admin, no area) is created
// with the password from TRACETRACK_ADMIN_PASSWORD, or a generated one that the serve command
// prints once. Nothing happens when any user exists.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <optional>
#include <string>

#include "accounts/password_hasher.hpp"
#include "domain/errors.hpp"

namespace tt::storage {
class Database;
}

namespace tt::accounts {

struct InitialAdmin {
  bool created = false;
  std::optional<std::string> generated_password;  // only when no password was supplied
};

// An empty supplied password counts as none. Throws domain::Failure invalid_password when the supplied password
// breaks the password rules. Safe when several
// processes start at once on one database: exactly one creates the account.
boost::asio::awaitable<InitialAdmin> ensure_initial_admin(storage::Database& db, PasswordHasher& hasher,
                                                          std::optional<std::string> supplied_password);

}  // namespace tt::accounts
