// Who acts (SPEC §2): the one description of a caller that the rules, the services, the logs and
// the request pipeline share, with the area rule written once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "domain/permissions.hpp"
#include "domain/role.hpp"

namespace tt::domain {

struct Identity {
  std::int64_t user_id = 0;             // 0: no user (the console, a first start)
  std::string username;                 // kept as text in the logs: an entry outlives its user
  Role role = Role::dispatcher;
  std::optional<std::int64_t> area_id;  // empty only for admins and the console
  std::string area_name;
  std::string client;                   // client address, or "console", "first start", ...

  // Dispatchers see only their own area's bags and bills; billers, admins and the console see every
  // area (SPEC §2). Anything else behaves as if it did not exist.
  bool sees_all_areas() const noexcept { return may(role, Permission::see_all_areas); }
  // Whether a row of `area` is visible.
  bool may_see(std::optional<std::int64_t> area) const noexcept {
    return sees_all_areas() || (area && area_id && *area == *area_id);
  }
  // The user id for the logs: nothing when no user acts.
  std::optional<std::int64_t> user() const noexcept {
    return user_id != 0 ? std::optional<std::int64_t>(user_id) : std::nullopt;
  }
};

// An action no user makes (operator commands, a first start): every area, logged under `client`.
inline Identity system_identity(std::string client) {
  Identity who;
  who.role = Role::admin;
  who.client = std::move(client);
  return who;
}

}  // namespace tt::domain
