#include "api/health.hpp"

#include <nlohmann/json.hpp>

#include <exception>
#include <string>

#include "app/app.hpp"
#include "storage/database.hpp"
#include "util/log.hpp"

namespace tt::api {

namespace {

http::asio::awaitable<http::Response> healthz(http::RequestContext&) {
  co_return http::json_response(200, {{"status", "ok"}});
}

http::asio::awaitable<http::Response> readyz(http::RequestContext& ctx) {
  bool reachable = true;
  std::string failure;
  try {
    co_await ctx.app.db.ping();
  } catch (const std::exception& e) {
    reachable = false;
    failure = e.what();
  }
  if (!reachable) {
    util::log_warn("readiness probe: database not reachable: " + failure);
    http::Response r = http::error_response(503, "unavailable", "The database cannot be reached.");
    r.header("Retry-After", "1");
    co_return r;
  }
  co_return http::json_response(200, {{"status", "ready"}});
}

}  // namespace

void register_health_routes(http::Router& router) {
  router.add("GET", "/healthz", http::Access::public_route(), healthz);
  router.add("GET", "/readyz", http::Access::public_route(), readyz);
}

}  // namespace tt::api
