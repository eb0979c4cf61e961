
#include <nlohmann/json.hpp>

#include <exception>
#include <string>

#include "api/deps.hpp"
#include "api/routes.hpp"
#include "storage/database.hpp"
#include "util/log.hpp"

namespace tt::api {

namespace {

http::asio::awaitable<http::Response> healthz(http::RequestContext&, Deps&) {
  co_return http::json_response(200, {{"status", "ok"}});
}

http::asio::awaitable<http::Response> readyz(http::RequestContext&, Deps& d) {
  bool reachable = true;
  std::string failure;
  try {
    co_await d.db.ping();
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

std::span<const RouteRow> health_routes() {
  static const RouteRow rows[] = {
      {"GET", "/healthz", http::Access::public_route(), healthz},
      {"GET", "/readyz", http::Access::public_route(), readyz},
  };
  return rows;
}

}  // namespace tt::api
