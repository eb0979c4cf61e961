// Who is calling: resolved once per request by the Authenticator, before the handler runs. The
// identity (domain::Identity: user, role, area, client address) plus how the request proved it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "domain/identity.hpp"

namespace tt::accounts {

struct Principal : domain::Identity {
  // site_token: a depot pushing to head office (SPEC §8); it may call /api/v1/sync/* only
  // (http::Access::sites), and nothing else may.
  enum class Via { session_cookie, api_token, site_token } via = Via::session_cookie;
  std::optional<std::int64_t> site_id;     // when via site token
  std::string site_uid;                    // when via site token: the site's public id
  std::optional<std::int64_t> session_id;  // when via session cookie
  std::string csrf_token;                  // when via session cookie
  // A session of an administrator who must set up a second factor first: only the routes open
  // before a second factor answer (http::Access::before_second_factor).
  bool second_factor_setup_required = false;
};

}  // namespace tt::accounts
