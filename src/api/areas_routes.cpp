// Dispatch areas (SPEC §4): POST /api/v1/areas {name} (admin), GET /api/v1/areas (any user: the
// user forms and filters need the list).
#include <nlohmann/json.hpp>

#include "api/account_json.hpp"
#include "api/account_routes.hpp"
#include "app/app.hpp"
#include "domain/role.hpp"
#include "services/areas.hpp"
#include "storage/database.hpp"

namespace tt::api {

namespace asio = boost::asio;
using http::Access;
using http::RequestContext;
using http::Response;

namespace {

asio::awaitable<Response> create(RequestContext& ctx) {
  auto body = ctx.req.json_body();
  reject_unknown_fields(body, {"name"});
  auto name = required_string(body, "name");
  auto actor = actor_of(ctx);
  auto insert = [actor, name](storage::Tx& tx) { return services::create_area(tx, actor, name); };
  auto area = co_await ctx.app.db.write(std::move(insert));
  co_return http::json_response(201, {{"area", area_json(area)}});
}

asio::awaitable<Response> list(RequestContext& ctx) {
  auto areas = co_await ctx.app.db.read([](storage::Tx& tx) { return services::list_areas(tx); });
  nlohmann::json out = nlohmann::json::array();
  for (const auto& a : areas) out.push_back(area_json(a));
  co_return http::json_response(200, {{"areas", std::move(out)}});
}

}  // namespace

void register_areas_routes(http::Router& router) {
  router.add("POST", "/api/v1/areas", Access::roles({domain::Role::admin}), create);
  router.add("GET", "/api/v1/areas", Access::any_user(), list);
}

}  // namespace tt::api
