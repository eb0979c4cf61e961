#include "api/routes.hpp"

#include <stdexcept>

#include "http/static_files.hpp"
#include "util/embedded.hpp"

namespace tt::api {

namespace {

using Resource = std::span<const RouteRow> (*)();

constexpr Resource kResources[] = {
    health_routes, auth_routes,  users_routes, areas_routes,  tokens_routes,  audit_routes,
    scans_routes,  bags_routes,  bills_routes, stats_routes,  events_routes,  settings_routes,
    exports_routes, imports_routes, returns_routes, reports_routes, metrics_routes,
    sites_routes, sync_routes,
};

// A bound endpoint: a plain (non-coroutine) lambda that hands the request and the dependencies to
// the endpoint coroutine, which keeps them as references (both outlive the request).
http::Handler bind(Endpoint endpoint, Deps& deps) {
  return [endpoint, &deps](http::RequestContext& ctx) { return endpoint(ctx, deps); };
}

asio::awaitable<http::Response> not_bound(http::RequestContext&) {
  throw std::logic_error("a route of the route list was run");
  co_return http::Response{};
}

// The web interface (SPEC §7): its files, and its pages, each address serving the application.
void add_web_interface(http::Router& router) {
  http::add_static_routes(router, embedded::web_files());
  http::add_page_routes(router, embedded::web_files(), "index.html", embedded::page_addresses());
}

}  // namespace

void register_all_routes(http::Router& router, Deps& deps) {
  for (Resource resource : kResources) {
    for (const RouteRow& row : resource()) router.add(row.method, row.pattern, row.access, bind(row.endpoint, deps));
  }
  add_web_interface(router);
}

http::Router route_list() {
  http::Router router;
  for (Resource resource : kResources) {
    for (const RouteRow& row : resource()) router.add(row.method, row.pattern, row.access, not_bound);
  }
  add_web_interface(router);
  return router;
}

}  // namespace tt::api
