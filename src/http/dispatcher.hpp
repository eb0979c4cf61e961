// The request pipeline every route goes through, in this order: match the route (404/405),
// authenticate (401), check the role (403), check CSRF on cookie-authenticated writes (403),
// run the handler, and map failures to JSON errors: ApiError -> its status, storage::Unavailable
// -> 503 with Retry-After, anything else -> 500 with no details (logged).
#pragma once

#include <boost/asio/awaitable.hpp>

#include "http/message.hpp"
#include "http/router.hpp"

namespace tt::http {

class Dispatcher {
 public:
  Dispatcher(const Router& router, app::App& app) : router_(router), app_(app) {}
  asio::awaitable<Response> handle(Request& req) const;

 private:
  const Router& router_;
  app::App& app_;
};

}  // namespace tt::http
