// Who calls a bag, scan or bill operation, as the services need it: identity for the logs, and
// the area a dispatcher is restricted to (SPEC §2: a dispatcher sees only their own area's bags
// and bills; anything else behaves as if it did not exist).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "domain/role.hpp"
#include "services/audit.hpp"

namespace tt::services {

struct Caller {
  std::int64_t user_id = 0;
  std::string username;
  domain::Role role = domain::Role::dispatcher;
  std::optional<std::int64_t> area_id;  // empty only for admins
  std::string client;                    // client address, for the logs
  std::optional<std::string> client_scan_id;  // the client's id of this physical scan (SPEC §4), logged with it

  bool sees_all_areas() const noexcept { return role != domain::Role::dispatcher; }
  // Whether a row of `area` is visible to this caller.
  bool may_see(std::optional<std::int64_t> area) const noexcept {
    return sees_all_areas() || (area && area_id && *area == *area_id);
  }
  Actor actor() const { return Actor{user_id, username, client}; }
};

}  // namespace tt::services
