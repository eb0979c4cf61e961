// Sites (SPEC §8), head office, admin only:
//   POST /api/v1/sites {name, areas: [..]}   registers a depot; the answer is the only time its
//        sync token is shown: {site, token}
//   GET /api/v1/sites                        every site, with its areas, last push and cursor
//   POST /api/v1/sites/{id}/token            a new token (shown once); the old one stops working
//   DELETE /api/v1/sites/{id}/token          revokes the token: the depot can no longer push
#include <nlohmann/json.hpp>

#include "accounts/credentials.hpp"
#include "api/deps.hpp"
#include "api/json_shapes.hpp"
#include "api/request_fields.hpp"
#include "api/routes.hpp"
#include "services/sites.hpp"

namespace tt::api {

namespace asio = boost::asio;
using http::Access;
using http::RequestContext;
using http::Response;

namespace {

const Access kAdmin = Access::to(domain::Permission::administer);

// A site and the token shown this once; never stored by a cache on the way.
Response with_token(int status, const services::Site& site, const std::string& token) {
  Response r = http::json_response(status, {{"site", site_json(site)}, {"token", token}});
  r.header("Cache-Control", "no-store");
  return r;
}

asio::awaitable<Response> create(RequestContext& ctx, Deps& d) {
  auto body = ctx.req.json_body();
  reject_unknown_fields(body, {"name", "areas"});
  auto name = required_string(body, "name");
  auto areas = string_list(body, "areas");
  const std::string token = accounts::new_site_token();
  const services::Site site =
      co_await call_write(ctx, d, services::register_site, name, areas, accounts::token_hash(token));
  co_return with_token(201, site, token);
}

asio::awaitable<Response> list(RequestContext& ctx, Deps& d) {
  auto sites = co_await call_read(ctx, d, services::list_sites);
  nlohmann::json out = nlohmann::json::array();
  for (const auto& s : sites) out.push_back(site_json(s));
  co_return http::json_response(200, {{"sites", std::move(out)}});
}

asio::awaitable<Response> rotate(RequestContext& ctx, Deps& d) {
  auto id = ctx.req.param("id");
  const std::string token = accounts::new_site_token();
  const services::Site site =
      co_await call_write(ctx, d, services::rotate_site_token, id, accounts::token_hash(token));
  co_return with_token(200, site, token);
}

asio::awaitable<Response> revoke(RequestContext& ctx, Deps& d) {
  auto id = ctx.req.param("id");
  const services::Site site = co_await call_write(ctx, d, services::revoke_site_token, id);
  co_return http::json_response(200, {{"site", site_json(site)}});
}

}  // namespace

std::span<const RouteRow> sites_routes() {
  static const RouteRow rows[] = {
      {"POST", "/api/v1/sites", kAdmin, create},
      {"GET", "/api/v1/sites", kAdmin, list},
      {"POST", "/api/v1/sites/{id}/token", kAdmin, rotate},
      {"DELETE", "/api/v1/sites/{id}/token", kAdmin, revoke},
  };
  return rows;
}

}  // namespace tt::api
