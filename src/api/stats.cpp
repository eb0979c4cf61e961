// GET /api/v1/stats: dashboard figures (SPEC §3.6). Any signed-in user; a dispatcher's figures
// cover their own area. Served from services::StatsCache (see services/stats.hpp for its policy).
#include <nlohmann/json.hpp>


#include "api/deps.hpp"
#include "api/json_shapes.hpp"
#include "api/routes.hpp"
namespace tt::api {

namespace {

asio::awaitable<http::Response> stats(http::RequestContext& ctx, Deps& d) {
  const accounts::Principal& p = ctx.principal();
  std::optional<std::int64_t> area;
  if (!p.sees_all_areas()) area = p.area_id.value_or(-1);
  auto figures = co_await d.stats.get(d.db, area);
  nlohmann::json body = stats_json(*figures);
  // Not a conditional expression (the coroutine rule: storage/job.hpp).
  if (area) {
    body["scope"] = p.area_name;
  } else {
    body["scope"] = "all";
  }
  co_return http::json_response(200, body);
}

}  // namespace

std::span<const RouteRow> stats_routes() {
  static const RouteRow rows[] = {
      {"GET", "/api/v1/stats", http::Access::any_user(), stats},
  };
  return rows;
}

}  // namespace tt::api
