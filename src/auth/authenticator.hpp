// Resolves the caller of a request from its session cookie or bearer token.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <optional>

#include "auth/principal.hpp"
#include "http/message.hpp"

namespace tt::auth {

class Authenticator {
 public:
  virtual ~Authenticator() = default;
  // The caller, or nothing when the request carries no valid (unexpired, unrevoked) credentials.
  // Throws storage errors only for infrastructure failures.
  virtual boost::asio::awaitable<std::optional<Principal>> authenticate(const http::Request& req) = 0;
};

}  // namespace tt::auth
