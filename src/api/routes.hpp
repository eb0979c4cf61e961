// The API (SPEC §4), resource by resource: each resource file lists its routes as rows (method,
// pattern, who may call it, endpoint), and register_all_routes binds them to the endpoints'
// dependencies. Adding a route is one endpoint and one row in its resource's file.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <span>

#include "api/deps.hpp"
#include "http/router.hpp"

namespace tt::api {

// An endpoint: what a route runs, with the request and the dependencies bound at registration.
using Endpoint = asio::awaitable<http::Response> (*)(http::RequestContext& ctx, Deps& deps);

struct RouteRow {
  const char* method;
  const char* pattern;  // e.g. /api/v1/bags/{code}
  http::Access access;  // who may call it; area rules are the services'
  Endpoint endpoint;
};

// The resources (one file each).
std::span<const RouteRow> health_routes();    // /healthz, /readyz
std::span<const RouteRow> auth_routes();      // /api/v1/auth/...: sign-in, sessions, own password
std::span<const RouteRow> users_routes();     // /api/v1/users...
std::span<const RouteRow> areas_routes();     // /api/v1/areas
std::span<const RouteRow> tokens_routes();    // /api/v1/tokens...
std::span<const RouteRow> sites_routes();     // /api/v1/sites... (SPEC §8)
std::span<const RouteRow> sync_routes();      // /api/v1/sync/... (SPEC §8, site tokens only)
std::span<const RouteRow> audit_routes();     // /api/v1/audit
std::span<const RouteRow> scans_routes();     // /api/v1/scans/...
std::span<const RouteRow> bags_routes();      // /api/v1/bags...
std::span<const RouteRow> bills_routes();     // /api/v1/bills...
std::span<const RouteRow> stats_routes();     // /api/v1/stats
std::span<const RouteRow> events_routes();    // /api/v1/events
std::span<const RouteRow> settings_routes();  // /api/v1/settings...
std::span<const RouteRow> exports_routes();   // /api/v1/export/...csv
std::span<const RouteRow> imports_routes();   // /api/v1/import/links
std::span<const RouteRow> returns_routes();   // /api/v1/returns...
std::span<const RouteRow> metrics_routes();   // /metrics
std::span<const RouteRow> reports_routes();   // /api/v1/reports/...

// Every route of the server bound to `deps`, and the web interface (its files and pages).
void register_all_routes(http::Router& router, Deps& deps);

// The same routes with nothing bound, for listing them (tracetrack routes): running one throws.
http::Router route_list();

}  // namespace tt::api
