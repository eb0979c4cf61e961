// GET /api/v1/stats?site=ID: dashboard figures (SPEC §3.6). Any signed-in user; a dispatcher's figures
// cover their own area; `site` (head office) counts only the rows that came from that site (SPEC §8). Served from services::StatsCache (see services/stats.hpp for its policy).
#include <nlohmann/json.hpp>


#include "api/deps.hpp"
#include "api/json_shapes.hpp"
#include "api/request_fields.hpp"
#include "api/routes.hpp"
#include "services/sites.hpp"
namespace tt::api {

namespace {

asio::awaitable<http::Response> stats(http::RequestContext& ctx, Deps& d) {
  const accounts::Principal& p = ctx.principal();
  services::StatsScope scope;
  if (!p.sees_all_areas()) scope.area = p.area_id.value_or(-1);
  // Head office: the rows that came from one site (SPEC §8 "One company view").
  scope.site = query_text(ctx.req, "site");
  // A known site only (404 otherwise): the figures are kept per scope, and scopes stay few.
  std::string site_name;
  if (scope.site) {
    const services::Site site = co_await call_read(ctx, d, services::get_site, *scope.site);
    site_name = site.name;
  }
  auto figures = co_await d.stats.get(d.db, scope);
  nlohmann::json body = stats_json(*figures);
  // Not a conditional expression (the coroutine rule: storage/job.hpp).
  if (scope.area) {
    body["scope"] = p.area_name;
  } else {
    body["scope"] = "all";
  }
  if (scope.site) {
    body["site"] = *scope.site;
    body["site_name"] = site_name;
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
