// Who is calling: resolved once per request by the Authenticator, before the handler runs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "domain/role.hpp"

namespace tt::auth {

struct Principal {
  std::int64_t user_id = 0;
  std::string username;
  domain::Role role = domain::Role::dispatcher;
  std::optional<std::int64_t> area_id;  // empty only for admins
  std::string area_name;
  enum class Via { session_cookie, api_token } via = Via::session_cookie;
  std::optional<std::int64_t> session_id;  // when via session cookie
  std::string csrf_token;                  // when via session cookie

  // Dispatchers see only their own area; billers and admins see every area.
  bool sees_all_areas() const noexcept { return role != domain::Role::dispatcher; }
};

}  // namespace tt::auth
