// The request pipeline every route goes through, in this order: match the route (404/405),
// authenticate (401), check the role (403), check CSRF on cookie-authenticated writes (403),
// run the handler, and map failures to JSON errors: domain::Failure -> the status of its code (the
// function given at construction, api::http_status in the server), storage::Unavailable -> 503
// unavailable with Retry-After, anything else -> 500 internal with no details (logged).
#pragma once

#include <boost/asio/awaitable.hpp>

#include "accounts/authenticator.hpp"
#include "domain/errors.hpp"
#include "http/message.hpp"
#include "http/router.hpp"

namespace tt::http {

// The HTTP status of an error code (SPEC §4).
using ErrorStatus = int (*)(domain::Error) noexcept;

class Dispatcher {
 public:
  // authenticator: null only where every route is public (tests).
  Dispatcher(const Router& router, accounts::Authenticator* authenticator, ErrorStatus status_of)
      : router_(router), authenticator_(authenticator), status_of_(status_of) {}
  asio::awaitable<Response> handle(Request& req) const;

  // A refusal as the API answers it: the SPEC §4 error body with the status of its code (and
  // Retry-After when the failure says when to try again). The server's own refusals use it too.
  Response failure(const domain::Failure& f) const;
  Response failure(domain::Error code, std::string_view message) const;

 private:
  // The answer, with `route` set to the pattern of the route that matched.
  asio::awaitable<Response> answer(Request& req, std::string_view& route) const;

  const Router& router_;
  accounts::Authenticator* authenticator_;
  ErrorStatus status_of_;
};

}  // namespace tt::http
