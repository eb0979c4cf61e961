// Dispatch areas (SPEC §4): POST /api/v1/areas {name} (admin), GET /api/v1/areas (any user: the
// user forms and filters need the list).
#include <nlohmann/json.hpp>

#include "api/deps.hpp"
#include "api/json_shapes.hpp"
#include "api/request_fields.hpp"
#include "api/routes.hpp"
#include "domain/role.hpp"
#include "services/areas.hpp"
#include "storage/database.hpp"

namespace tt::api {

namespace asio = boost::asio;
using http::Access;
using http::RequestContext;
using http::Response;

namespace {

asio::awaitable<Response> create(RequestContext& ctx, Deps& d) {
  auto body = ctx.req.json_body();
  reject_unknown_fields(body, {"name"});
  auto name = required_string(body, "name");
  auto area = co_await call_write(ctx, d, services::create_area, name);
  co_return http::json_response(201, {{"area", area_json(area)}});
}

asio::awaitable<Response> list(RequestContext& ctx, Deps& d) {
  auto areas = co_await call_read(ctx, d, services::list_areas);
  nlohmann::json out = nlohmann::json::array();
  for (const auto& a : areas) out.push_back(area_json(a));
  co_return http::json_response(200, {{"areas", std::move(out)}});
}

}  // namespace

std::span<const RouteRow> areas_routes() {
  static const RouteRow rows[] = {
      {"POST", "/api/v1/areas", Access::to(domain::Permission::administer), create},
      {"GET", "/api/v1/areas", Access::any_user(), list},
  };
  return rows;
}

}  // namespace tt::api
