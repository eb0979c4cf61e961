#include "domain/role.hpp"

namespace tt::domain {

std::string_view to_string(Role r) noexcept {
  switch (r) {
    case Role::dispatcher: return "dispatcher";
    case Role::biller: return "biller";
    case Role::admin: return "admin";
  }
  return "dispatcher";
}

std::optional<Role> parse_role(std::string_view s) noexcept {
  if (s == "dispatcher") return Role::dispatcher;
  if (s == "biller") return Role::biller;
  if (s == "admin") return Role::admin;
  return std::nullopt;
}

}  // namespace tt::domain
