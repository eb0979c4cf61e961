// API tokens (SPEC §4), admin only:
//   POST /api/v1/tokens {name, username?}  creates a token acting as `username` (default: the
//        caller); the answer is the only time the secret is shown
//   GET /api/v1/tokens                     lists tokens, never their secrets
//   DELETE /api/v1/tokens/{id}             revokes one
#include <nlohmann/json.hpp>

#include "api/deps.hpp"
#include "api/json_shapes.hpp"
#include "api/request_fields.hpp"
#include "api/routes.hpp"
#include "accounts/credentials.hpp"
#include "domain/role.hpp"
#include "accounts/tokens.hpp"
#include "storage/database.hpp"

namespace tt::api {

namespace asio = boost::asio;
using http::Access;
using http::RequestContext;
using http::Response;

namespace {

const Access kAdmin = Access::to(domain::Permission::administer);

asio::awaitable<Response> create(RequestContext& ctx, Deps& d) {
  auto body = ctx.req.json_body();
  reject_unknown_fields(body, {"name", "username"});
  auto name = required_string(body, "name");
  auto username = optional_string(body, "username").value_or(ctx.principal().username);
  const std::string secret = accounts::new_api_token();
  auto hash = accounts::token_hash(secret);
  auto token = co_await call_write(ctx, d, accounts::create_token, name, username, hash);
  nlohmann::json out = token_json(token);
  out["token"] = secret;
  Response r = http::json_response(201, {{"token", std::move(out)}});
  r.header("Cache-Control", "no-store");
  co_return r;
}

asio::awaitable<Response> list(RequestContext& ctx, Deps& d) {
  auto tokens = co_await call_read(ctx, d, accounts::list_tokens);
  nlohmann::json out = nlohmann::json::array();
  for (const auto& t : tokens) out.push_back(token_json(t));
  co_return http::json_response(200, {{"tokens", std::move(out)}});
}

asio::awaitable<Response> revoke(RequestContext& ctx, Deps& d) {
  auto id = ctx.req.param("id");
  auto token = co_await call_write(ctx, d, accounts::revoke_token, id);
  co_return http::json_response(200, {{"token", token_json(token)}});
}

}  // namespace

std::span<const RouteRow> tokens_routes() {
  static const RouteRow rows[] = {
      {"POST", "/api/v1/tokens", kAdmin, create},
      {"GET", "/api/v1/tokens", kAdmin, list},
      {"DELETE", "/api/v1/tokens/{id}", kAdmin, revoke},
  };
  return rows;
}

}  // namespace tt::api
