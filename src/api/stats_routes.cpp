// GET /api/v1/stats: dashboard figures (SPEC §3.6). Any signed-in user; a dispatcher's figures
// cover their own area. Served from services::StatsCache (see services/stats.hpp for its policy).
#include <nlohmann/json.hpp>

#include "api/domain_context.hpp"
#include "api/domain_json.hpp"
#include "api/domain_routes.hpp"
#include "app/app.hpp"

namespace tt::api {

namespace {

asio::awaitable<http::Response> stats(http::RequestContext& ctx) {
  const auth::Principal& p = ctx.principal();
  std::optional<std::int64_t> area;
  if (!p.sees_all_areas()) area = p.area_id.value_or(-1);
  auto figures = co_await stats_cache(ctx.app.db).get(ctx.app.db, area);
  nlohmann::json body = stats_json(*figures);
  // Not a conditional expression: GCC 12 mishandles class-type conditionals in coroutines.
  if (area) {
    body["scope"] = p.area_name;
  } else {
    body["scope"] = "all";
  }
  co_return http::json_response(200, body);
}

}  // namespace

void register_stats_routes(http::Router& router) {
  router.add("GET", "/api/v1/stats", http::Access::any_user(), stats);
}

}  // namespace tt::api
