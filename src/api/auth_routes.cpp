// POST /api/v1/auth/login, POST /api/v1/auth/logout, GET /api/v1/auth/me, POST /api/v1/auth/password.
#include <nlohmann/json.hpp>

#include "api/account_json.hpp"
#include "api/account_routes.hpp"
#include "api/domain_context.hpp"
#include "app/app.hpp"
#include "auth/credential_cache.hpp"
#include "auth/credentials.hpp"
#include "auth/login.hpp"
#include "auth/password_hasher.hpp"
#include "services/sessions.hpp"
#include "services/users.hpp"
#include "storage/database.hpp"

namespace tt::api {

namespace asio = boost::asio;
using http::Access;
using http::RequestContext;
using http::Response;

namespace {

// What a scan screen needs to know before asking the server (SPEC §4): which codes are parents
// (each kind with its rule as a regular expression over the trimmed, upper-cased code), a parent's
// capacity and a child's weight.
nlohmann::json scan_settings_json(const domain::Settings& s) {
  nlohmann::json kinds = nlohmann::json::array();
  for (const auto& k : s.parent_kinds) {
    kinds.push_back({{"name", k.name},
                     {"prefix", k.prefix},
                     {"digits", k.digits},
                     {"weight_kg", k.weight_kg},
                     {"pattern", k.pattern()}});
  }
  return {{"parent_kinds", std::move(kinds)},
          {"parent_capacity", s.parent_capacity},
          {"child_weight_kg", s.child_weight_kg}};
}

auth::PasswordHasher& hasher_of(const RequestContext& ctx) {
  if (ctx.app.passwords == nullptr) throw std::logic_error("no password hasher wired into the application");
  return *ctx.app.passwords;
}

asio::awaitable<Response> login(RequestContext& ctx) {
  auto body = ctx.req.json_body();
  auth::LoginRequest request;
  request.username = required_string(body, "username");
  request.password = required_string(body, "password");
  request.client_addr = ctx.req.remote_addr;
  if (auto ua = ctx.req.header("user-agent")) request.user_agent = std::string(ua->substr(0, 256));
  auto result = co_await auth::login(ctx.app.db, hasher_of(ctx), std::move(request));
  Response r = http::json_response(200, {{"user", user_json(result.user)}, {"csrf_token", result.csrf_token}});
  r.header("Set-Cookie",
           auth::session_cookie(result.session_token, result.max_age_seconds, ctx.app.config.cookie_secure));
  r.header("Cache-Control", "no-store");
  co_return r;
}

asio::awaitable<Response> logout(RequestContext& ctx) {
  const auth::Principal& me = ctx.principal();
  if (me.via == auth::Principal::Via::session_cookie && me.session_id) {
    const auto id = *me.session_id;
    co_await ctx.app.db.write([id](storage::Tx& tx) { return services::end_session(tx, id); });
    auth::credentials_changed();
  }
  // An API token is not ended by logging out: an administrator revokes it.
  Response r = http::json_response(200, {{"logged_out", true}});
  r.header("Set-Cookie", auth::expired_session_cookie(ctx.app.config.cookie_secure));
  co_return r;
}

asio::awaitable<Response> me(RequestContext& ctx) {
  const auth::Principal& p = ctx.principal();
  const auto id = p.user_id;
  auto found = co_await ctx.app.db.read([id](storage::Tx& tx) { return services::find_credentials_by_id(tx, id); });
  if (!found) throw http::ApiError(401, "unauthenticated", "Sign in to continue.");
  nlohmann::json body{{"user", user_json(found->user)},
                      {"via", p.via == auth::Principal::Via::session_cookie ? "session" : "api_token"}};
  // The page needs the CSRF token again after a reload; only a same-origin script can read this
  // answer (no CORS, SameSite=Strict cookie).
  if (p.via == auth::Principal::Via::session_cookie) body["csrf_token"] = p.csrf_token;
  const services::SettingsPtr settings = co_await current_settings(ctx);
  body["scan"] = scan_settings_json(*settings);
  Response r = http::json_response(200, body);
  r.header("Cache-Control", "no-store");
  co_return r;
}

asio::awaitable<Response> change_password(RequestContext& ctx) {
  auto body = ctx.req.json_body();
  auto old_password = required_string(body, "old_password");
  auto new_password = required_string(body, "new_password");
  co_await auth::change_password(ctx.app.db, hasher_of(ctx), ctx.principal(), std::move(old_password),
                                 std::move(new_password), ctx.req.remote_addr);
  co_return http::json_response(200, {{"password_changed", true}});
}

}  // namespace

void register_auth_routes(http::Router& router) {
  router.add("POST", "/api/v1/auth/login", Access::public_route(), login);
  router.add("POST", "/api/v1/auth/logout", Access::any_user(), logout);
  router.add("GET", "/api/v1/auth/me", Access::any_user(), me);
  router.add("POST", "/api/v1/auth/password", Access::any_user(), change_password);
}

}  // namespace tt::api
