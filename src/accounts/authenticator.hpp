// Resolves the caller of a request from its session cookie or bearer token.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <optional>
#include <string>

#include "accounts/principal.hpp"

namespace tt::accounts {

// What a request presents, as received: its Authorization header and its tt_session cookie.
struct Presented {
  std::optional<std::string> authorization;
  std::optional<std::string> session_cookie;
};

class Authenticator {
 public:
  virtual ~Authenticator() = default;
  // The caller, or nothing when the request carries no valid (unexpired, unrevoked) credentials.
  // Throws storage errors only for infrastructure failures.
  virtual boost::asio::awaitable<std::optional<Principal>> authenticate(Presented presented) = 0;
};

}  // namespace tt::accounts
