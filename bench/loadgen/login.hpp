// Signing in before the run: POST /api/v1/auth/login {username, password}; the session cookie comes
// from Set-Cookie and the CSRF token from the answer's csrf_token. Each account logs in once and
// its connections share the session, as several scanners on one account would.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <variant>

#include "http_client.hpp"
#include "options.hpp"

namespace tt::bench {

struct LoginFailure {
  std::string message;
};

asio::awaitable<std::variant<Credentials, LoginFailure>> login(tcp::endpoint endpoint, Account account,
                                                               Clock::duration timeout);

}  // namespace tt::bench
