// The users table (SPEC §2, §3.9): accounts with their password hash, role, area, state and
// second factor (totp_* columns). Named statements and row mapping for every operation that reads
// or changes a user, so each statement is written once.
//
// All functions are coroutines over the caller's transaction; string arguments are the caller's
// own lvalues, which outlive the co_await.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/role.hpp"
#include "storage/database.hpp"

namespace tt::storage {

struct UserRow {
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

// A user with what only the sign-in checks read.
struct UserCredentialsRow {
  UserRow user;
  std::string password_hash;
  std::optional<std::string> totp_secret;  // base32
  std::int64_t totp_last_step = 0;          // the last time step accepted (a code is used once)
};

struct NewUserRow {
  std::string username;  // normalised
  std::optional<std::string> email;
  std::string password_hash;
  domain::Role role = domain::Role::dispatcher;
  std::optional<std::int64_t> area_id;
  std::int64_t at = 0;
};

// The fields an administrator changes in one statement.
struct UserChangeRow {
  domain::Role role = domain::Role::dispatcher;
  std::optional<std::int64_t> area_id;
  std::optional<std::string> email;
  bool active = true;
  std::int64_t at = 0;
};

// A user as head office sends it to a depot (SPEC §8 "Down"), with what signing in there needs
// while head office cannot be reached: the password hash and the second factor's secret.
struct ReceivedUserRow {
  std::string uid;       // head office's; kept by a user the depot did not have
  std::string username;  // normalised
  std::optional<std::string> email;
  std::string password_hash;
  domain::Role role = domain::Role::dispatcher;
  std::optional<std::int64_t> area_id;  // the depot's area of that name
  bool active = true;
  std::optional<std::string> totp_secret;  // base32; none: no second factor
  std::optional<std::int64_t> totp_enabled_at;
  std::int64_t password_changed_at = 0;
  std::int64_t at = 0;  // when the depot applied it
};

// The second factor of a user, secrets included (for the accounts layer only).
struct SecondFactorRow {
  std::optional<std::string> secret;          // enrolled (base32)
  std::optional<std::string> pending_secret;  // being enrolled, not yet confirmed
  std::optional<std::int64_t> enabled_at;
  std::int64_t last_step = 0;
  int recovery_codes_left = 0;
};

namespace users {

// The new user's id, or none when the user name is taken (ON CONFLICT: a name taken concurrently
// is a refusal, not a failed transaction).
asio::awaitable<std::optional<std::int64_t>> insert(Tx& tx, const NewUserRow& user);
// The first administrator, only into an empty table: false when any user exists (or another
// process inserted one at this moment).
asio::awaitable<bool> insert_first_admin(Tx& tx, const std::string& username, const std::string& password_hash,
                                         std::int64_t at);
// By normalised (lower-case) user name, or by id.
asio::awaitable<std::optional<UserCredentialsRow>> find(Tx& tx, const std::string& normalised_name);
asio::awaitable<std::optional<UserCredentialsRow>> find_by_id(Tx& tx, std::int64_t id);
// Every user, by name.
asio::awaitable<std::vector<UserRow>> list(Tx& tx);
// Every user with what signing in needs, by name (head office's whole state for a depot, SPEC §8).
asio::awaitable<std::vector<UserCredentialsRow>> list_credentials(Tx& tx);
asio::awaitable<std::int64_t> count(Tx& tx);
// The id of the user, whose row stays locked until the transaction ends (Tx::query_locked).
asio::awaitable<std::optional<std::int64_t>> lock(Tx& tx, const std::string& normalised_name);
// The number of active administrators other than `id`, their rows locked.
asio::awaitable<std::size_t> lock_other_active_admins(Tx& tx, std::int64_t id);
asio::awaitable<void> update(Tx& tx, std::int64_t id, const UserChangeRow& change);
// An administrator's password reset.
asio::awaitable<void> set_password(Tx& tx, std::int64_t id, const std::string& password_hash, std::int64_t at);
// The user's own change, only over `expected_hash` and while active: false otherwise.
asio::awaitable<bool> change_password(Tx& tx, std::int64_t id, const std::string& expected_hash,
                                      const std::string& new_hash, std::int64_t at);
// A rehash of the verified password, only over the hash that was verified.
asio::awaitable<void> store_rehashed_password(Tx& tx, std::int64_t id, const std::string& verified_hash,
                                              const std::string& rehashed);

// Replaces the fields of the user with head office's uid, or creates it (the caller has checked
// that no other user holds the name); returns its id. Sessions and history stay.
asio::awaitable<std::int64_t> put_received(Tx& tx, const ReceivedUserRow& user);

// --- second factor ---
asio::awaitable<std::optional<SecondFactorRow>> second_factor(Tx& tx, std::int64_t id);
// Stores a pending secret unless one is enrolled: false when none was stored.
asio::awaitable<bool> set_pending_secret(Tx& tx, std::int64_t id, const std::string& secret);
// Turns the pending secret `secret` on with `step` used: false when it is no longer the pending one.
asio::awaitable<bool> enable_pending_secret(Tx& tx, std::int64_t id, const std::string& secret, std::int64_t step,
                                            std::int64_t at);
// The id and user name of the user, row locked, and whether a second factor is on.
struct SecondFactorOwner {
  std::int64_t id = 0;
  std::string username;
  bool enabled = false;
};
asio::awaitable<std::optional<SecondFactorOwner>> lock_second_factor(Tx& tx, const std::string& normalised_name);
asio::awaitable<void> clear_second_factor(Tx& tx, std::int64_t id, std::int64_t at);
// Records `step` as used only if later than the stored one: false when another request used it.
asio::awaitable<bool> accept_totp_step(Tx& tx, std::int64_t id, std::int64_t step);

}  // namespace users
}  // namespace tt::storage
