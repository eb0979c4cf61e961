// Who is calling: resolved once per request by the Authenticator, before the handler runs. The
// identity (domain::Identity: user, role, area, client address) plus how the request proved it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "domain/identity.hpp"

namespace tt::auth {

struct Principal : domain::Identity {
  enum class Via { session_cookie, api_token } via = Via::session_cookie;
  std::optional<std::int64_t> session_id;  // when via session cookie
  std::string csrf_token;                  // when via session cookie
};

}  // namespace tt::auth
