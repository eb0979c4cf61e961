// Administration of users (SPEC §3.9, §4), admin only:
//   POST /api/v1/users {username, password, role, area?, email?}
//   GET /api/v1/users, GET /api/v1/users/{username}
//   PATCH /api/v1/users/{username} {role?, area?, email?, active?, password?}  (password: a reset)
//   DELETE /api/v1/users/{username}  deactivates: users appear in the append-only logs, so they are
//   never removed.
//   DELETE /api/v1/users/{username}/second-factor  resets a user's two-factor sign-in (a lost phone;
//   audited): the user signs in with the password alone and may set up a new phone.
#include <nlohmann/json.hpp>

#include "api/deps.hpp"
#include "api/json_shapes.hpp"
#include "api/request_fields.hpp"
#include "api/routes.hpp"
#include "accounts/password_hasher.hpp"
#include "accounts/second_factor.hpp"
#include "domain/audit_actions.hpp"
#include "domain/errors.hpp"
#include "domain/role.hpp"
#include "domain/user_rules.hpp"
#include "services/users.hpp"
#include "storage/database.hpp"

namespace tt::api {

namespace asio = boost::asio;
using http::Access;
using http::RequestContext;
using http::Response;

namespace {

const Access kAdmin = Access::to(domain::Permission::administer);

void check_password(const std::string& password) {
  if (auto err = domain::validate_password(password)) throw domain::Failure(domain::Error::invalid_password, *err);
}

domain::Failure user_not_found(const std::string& name) {
  return domain::Failure(domain::Error::user_not_found, "There is no user named '" + domain::normalise_username(name) + "'.");
}

asio::awaitable<Response> create(RequestContext& ctx, Deps& d) {
  auto body = ctx.req.json_body();
  reject_unknown_fields(body, {"username", "password", "role", "area", "email"});
  services::NewUser u;
  u.username = required_string(body, "username");
  auto password = required_string(body, "password");
  u.role = required_string(body, "role");
  u.area = optional_string(body, "area");
  u.email = optional_string(body, "email");
  // Everything checkable is checked before spending a hash on the request.
  services::check_new_user(u);
  check_password(password);
  auto hash = co_await d.passwords.hash(std::move(password));
  auto user = co_await call_write(ctx, d, services::create_user, u, hash);
  co_return http::json_response(201, {{"user", user_json(user)}});
}

asio::awaitable<Response> list(RequestContext& ctx, Deps& d) {
  auto users = co_await call_read(ctx, d, services::list_users);
  nlohmann::json out = nlohmann::json::array();
  for (const auto& u : users) out.push_back(user_json(u));
  co_return http::json_response(200, {{"users", std::move(out)}});
}

asio::awaitable<Response> show(RequestContext& ctx, Deps& d) {
  auto name = ctx.req.param("username");
  auto user = co_await call_read(ctx, d, services::find_user, name);
  if (!user) throw user_not_found(name);
  co_return http::json_response(200, {{"user", user_json(*user)}});
}

asio::awaitable<Response> update(RequestContext& ctx, Deps& d) {
  auto body = ctx.req.json_body();
  reject_unknown_fields(body, {"role", "area", "email", "active", "password"});
  services::UserPatch patch;
  patch.role = optional_string(body, "role");
  patch.area = nullable_string(body, "area");
  patch.email = nullable_string(body, "email");
  patch.active = optional_bool(body, "active");
  if (auto password = optional_string(body, "password")) {
    check_password(*password);
    patch.password_hash = co_await d.passwords.hash(std::move(*password));
  }
  auto name = ctx.req.param("username");
  auto user = co_await call_write(ctx, d, services::update_user, name, patch);
  co_return http::json_response(200, {{"user", user_json(user)}});
}

asio::awaitable<Response> deactivate(RequestContext& ctx, Deps& d) {
  services::UserPatch patch;
  patch.active = false;
  auto name = ctx.req.param("username");
  auto user = co_await call_write(ctx, d, services::update_user, name, patch);
  co_return http::json_response(200, {{"user", user_json(user)}});
}

asio::awaitable<Response> reset_second_factor(RequestContext& ctx, Deps& d) {
  auto name = ctx.req.param("username");
  const domain::AuditAction action = domain::AuditAction::second_factor_reset;
  auto user = co_await call_write(ctx, d, accounts::remove_second_factor, name, action);
  co_return http::json_response(200, {{"user", user_json(user)}});
}

}  // namespace

std::span<const RouteRow> users_routes() {
  static const RouteRow rows[] = {
      {"POST", "/api/v1/users", kAdmin, create},
      {"GET", "/api/v1/users", kAdmin, list},
      {"GET", "/api/v1/users/{username}", kAdmin, show},
      {"PATCH", "/api/v1/users/{username}", kAdmin, update},
      {"DELETE", "/api/v1/users/{username}", kAdmin, deactivate},
      {"DELETE", "/api/v1/users/{username}/second-factor", kAdmin, reset_second_factor},
  };
  return rows;
}

}  // namespace tt::api
