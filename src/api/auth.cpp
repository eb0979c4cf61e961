// POST /api/v1/auth/login, POST /api/v1/auth/logout, GET /api/v1/auth/me, POST /api/v1/auth/password,
// GET /api/v1/auth/sessions (the caller's own), DELETE /api/v1/auth/sessions (all but this one).
//
// Two-factor sign-in (SPEC §3.9, RFC 6238):
//   POST /api/v1/auth/login                  with a second factor: {second_factor: "totp", challenge,
//                                            expires_in} and no cookie yet
//   POST /api/v1/auth/login/second-factor    {challenge, code | recovery_code}: the session
//   GET  /api/v1/auth/second-factor          {enabled, since, recovery_codes_left, required}
//   POST /api/v1/auth/second-factor/setup    a new secret: {secret, otpauth_uri, qr: {size, path}}
//   POST /api/v1/auth/second-factor/enable   {code}: on; {recovery_codes: [10]} shown this once
//   POST /api/v1/auth/second-factor/recovery-codes  {password}: new recovery codes
//   POST /api/v1/auth/second-factor/disable  {password}: off
#include <nlohmann/json.hpp>

#include "api/deps.hpp"
#include "api/json_shapes.hpp"
#include "api/request_fields.hpp"
#include "api/routes.hpp"
#include "domain/permissions.hpp"
#include "accounts/credentials.hpp"
#include "accounts/login.hpp"
#include "accounts/password_hasher.hpp"
#include "accounts/second_factor.hpp"
#include "accounts/sessions.hpp"
#include "util/qr_code.hpp"
#include "domain/errors.hpp"
#include "services/users.hpp"
#include "storage/database.hpp"
#include "util/time.hpp"

namespace tt::api {

namespace asio = boost::asio;
using http::Access;
using http::RequestContext;
using http::Response;

namespace {

// An answer that carries a credential, a secret or the caller's own state: never stored by a cache.
Response uncached_json(int status, const nlohmann::json& body) {
  Response r = http::json_response(status, body);
  r.header("Cache-Control", "no-store");
  return r;
}

// What a scan screen needs to know before asking the server (SPEC §4): which codes are parents
// (each kind with its rule as a regular expression over the trimmed, upper-cased code), a parent's
// capacity, a child's weight, and the depot's time zone (whose days the dashboard shows).
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
          {"child_weight_kg", s.child_weight_kg},
          {"time_zone", s.time_zone}};
}

std::optional<std::string> user_agent_of(const RequestContext& ctx) {
  if (auto ua = ctx.req.header("user-agent")) return std::string(ua->substr(0, 256));
  return std::nullopt;
}

// The answer of a sign-in: the session cookie, or the challenge of the second step.
Response signed_in(const accounts::LoginResult& result, const Deps& d) {
  if (result.challenge_token) {
    return uncached_json(200, {{"second_factor", "totp"},
                               {"challenge", *result.challenge_token},
                               {"expires_in", result.challenge_seconds}});
  }
  Response r = uncached_json(200, {{"user", user_json(result.user)}, {"csrf_token", result.csrf_token}});
  r.header("Set-Cookie", accounts::session_cookie(result.session_token, result.max_age_seconds, d.cookie_secure));
  return r;
}

asio::awaitable<Response> login(RequestContext& ctx, Deps& d) {
  auto body = ctx.req.json_body();
  accounts::LoginRequest request;
  request.username = required_string(body, "username");
  request.password = required_string(body, "password");
  request.client_addr = ctx.req.remote_addr;
  request.user_agent = user_agent_of(ctx);
  auto result = co_await accounts::login(d.db, d.passwords, std::move(request));
  co_return signed_in(result, d);
}

asio::awaitable<Response> login_second_factor(RequestContext& ctx, Deps& d) {
  auto body = ctx.req.json_body();
  reject_unknown_fields(body, {"challenge", "code", "recovery_code"});
  accounts::SecondFactorRequest request;
  request.challenge_token = required_string(body, "challenge");
  request.code = optional_string(body, "code");
  request.recovery_code = optional_string(body, "recovery_code");
  if (request.code.has_value() == request.recovery_code.has_value()) {
    throw domain::Failure(domain::Error::invalid_request, "Send either the code from the app or a recovery code.");
  }
  request.client_addr = ctx.req.remote_addr;
  request.user_agent = user_agent_of(ctx);
  auto result = co_await accounts::login_second_factor(d.db, std::move(request));
  co_return signed_in(result, d);
}

nlohmann::json codes_json(const std::vector<std::string>& codes) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& c : codes) out.push_back(c);
  return out;
}

// The caller's own second factor, without its secret.
asio::awaitable<Response> second_factor(RequestContext& ctx, Deps& d) {
  const accounts::OwnSecondFactor own = co_await accounts::own_second_factor(d.db, ctx.principal());
  nlohmann::json since = nullptr;
  if (own.state.enabled_at) since = util::format_iso8601(*own.state.enabled_at);
  co_return uncached_json(200, {{"enabled", own.state.secret.has_value()},
                                {"since", since},
                                {"recovery_codes_left", own.state.recovery_codes_left},
                                {"required", own.required}});
}

asio::awaitable<Response> setup_second_factor(RequestContext& ctx, Deps& d) {
  auto enrolment = co_await accounts::start_enrolment(d.db, ctx.principal());
  const util::QrCode qr = util::encode_qr(enrolment.otpauth_uri);
  co_return uncached_json(200, {{"secret", enrolment.secret},
                                         {"otpauth_uri", enrolment.otpauth_uri},
                                         {"qr", {{"size", qr.size}, {"path", qr.path}}}});
}

asio::awaitable<Response> enable_second_factor(RequestContext& ctx, Deps& d) {
  auto body = ctx.req.json_body();
  reject_unknown_fields(body, {"code"});
  auto code = required_string(body, "code");
  const accounts::CheckedEnrolment checked = co_await accounts::check_enrolment_code(d.db, ctx.principal(), code);
  auto secret = checked.secret;
  const std::int64_t step = checked.step;
  auto hashes = checked.recovery_hashes;
  co_await call_write(ctx, d, accounts::confirm_enrolment, secret, step, hashes);
  co_return uncached_json(200, {{"enabled", true}, {"recovery_codes", codes_json(checked.recovery_codes)}});
}

asio::awaitable<Response> renew_recovery_codes(RequestContext& ctx, Deps& d) {
  auto body = ctx.req.json_body();
  reject_unknown_fields(body, {"password"});
  auto password = required_string(body, "password");
  auto codes = co_await accounts::renew_recovery_codes(d.db, d.passwords, ctx.principal(), std::move(password));
  co_return uncached_json(200, {{"recovery_codes", codes_json(codes)}});
}

asio::awaitable<Response> disable_second_factor(RequestContext& ctx, Deps& d) {
  auto body = ctx.req.json_body();
  reject_unknown_fields(body, {"password"});
  auto password = required_string(body, "password");
  co_await accounts::check_turn_off(d.db, d.passwords, ctx.principal(), std::move(password));
  auto name = ctx.principal().username;
  const domain::AuditAction action = domain::AuditAction::second_factor_disabled;
  co_await call_write(ctx, d, accounts::remove_second_factor, name, action);
  co_return http::json_response(200, {{"enabled", false}});
}

asio::awaitable<Response> logout(RequestContext& ctx, Deps& d) {
  const accounts::Principal& me = ctx.principal();
  if (me.via == accounts::Principal::Via::session_cookie && me.session_id) {
    const auto id = *me.session_id;
    co_await call_write(ctx, d, accounts::end_session, id);
  }
  // An API token is not ended by logging out: an administrator revokes it.
  Response r = http::json_response(200, {{"logged_out", true}});
  r.header("Set-Cookie", accounts::expired_session_cookie(d.cookie_secure));
  co_return r;
}

// The permission table (domain/permissions.hpp) as {"bags.transfer": ["biller", "admin"], ...}: the
// web shows a page or a control only to the roles that may use it, and names them when refusing.
// The table is fixed at build time: built once, on the first GET /auth/me.
const nlohmann::json& permissions_json() {
  static const nlohmann::json table = [] {
    nlohmann::json out = nlohmann::json::object();
    for (const domain::PermissionRow& row : domain::permission_table()) {
      nlohmann::json roles = nlohmann::json::array();
      for (const domain::Role r : row.roles) roles.push_back(domain::to_string(r));
      out[std::string(row.name)] = std::move(roles);
    }
    return out;
  }();
  return table;
}

asio::awaitable<Response> me(RequestContext& ctx, Deps& d) {
  const accounts::Principal& p = ctx.principal();
  const auto id = p.user_id;
  auto found = co_await call_read(ctx, d, services::find_credentials_by_id, id);
  if (!found) throw domain::Failure(domain::Error::unauthenticated, "Sign in to continue.");
  nlohmann::json body{{"user", user_json(found->user)},
                      {"via", p.via == accounts::Principal::Via::session_cookie ? "session" : "api_token"},
                      {"second_factor_setup_required", p.second_factor_setup_required}};
  // The page needs the CSRF token again after a reload; only a same-origin script can read this
  // answer (no CORS, SameSite=Strict cookie).
  if (p.via == accounts::Principal::Via::session_cookie) body["csrf_token"] = p.csrf_token;
  const services::SettingsPtr settings = co_await current_settings(d);
  body["scan"] = scan_settings_json(*settings);
  body["permissions"] = permissions_json();
  co_return uncached_json(200, body);
}

asio::awaitable<Response> change_password(RequestContext& ctx, Deps& d) {
  auto body = ctx.req.json_body();
  auto old_password = required_string(body, "old_password");
  auto new_password = required_string(body, "new_password");
  const accounts::PasswordChange change =
      co_await accounts::check_password_change(d.db, d.passwords, ctx.principal(), std::move(old_password),
                                               std::move(new_password), ctx.req.remote_addr);
  co_await call_write(ctx, d, accounts::change_own_password, change);
  co_return http::json_response(200, {{"password_changed", true}});
}

// The caller's own sessions, most recently used first; "current" marks the one of this request.
asio::awaitable<Response> sessions(RequestContext& ctx, Deps& d) {
  const accounts::Principal& p = ctx.principal();
  const std::int64_t user = p.user_id;
  const std::int64_t now = util::now_us();
  const std::vector<accounts::SessionInfo> list = co_await call_read(ctx, d, accounts::list_user_sessions, user, now);
  nlohmann::json out = nlohmann::json::array();
  for (const auto& s : list) {
    out.push_back({{"current", p.session_id == s.id},
                   {"created_at", util::format_iso8601(s.created_at)},
                   {"last_seen_at", util::format_iso8601(s.last_seen_at)},
                   {"expires_at", util::format_iso8601(s.expires_at)},
                   {"client", s.client_addr ? nlohmann::json(*s.client_addr) : nlohmann::json(nullptr)},
                   {"user_agent", s.user_agent ? nlohmann::json(*s.user_agent) : nlohmann::json(nullptr)}});
  }
  co_return http::json_response(200, {{"sessions", std::move(out)}});
}

// Signs out every other device: ends the caller's sessions but this one. A browser's request only:
// an API token is not a device that signed in (an administrator revokes tokens).
asio::awaitable<Response> end_other_sessions(RequestContext& ctx, Deps& d) {
  const accounts::Principal& p = ctx.principal();
  if (p.via != accounts::Principal::Via::session_cookie || !p.session_id) {
    throw domain::Failure(domain::Error::invalid_request, "Signing out other devices needs a browser session; API tokens are revoked by an administrator.");
  }
  const std::int64_t keep = *p.session_id;
  const std::int64_t ended = co_await call_write(ctx, d, accounts::end_other_sessions, keep);
  co_return http::json_response(200, {{"ended", ended}});
}

}  // namespace

std::span<const RouteRow> auth_routes() {
  static const RouteRow rows[] = {
      {"POST", "/api/v1/auth/login", Access::public_route(), login},
      {"POST", "/api/v1/auth/login/second-factor", Access::public_route(), login_second_factor},
      {"POST", "/api/v1/auth/logout", Access::any_user().before_second_factor(), logout},
      {"GET", "/api/v1/auth/me", Access::any_user().before_second_factor(), me},
      {"GET", "/api/v1/auth/second-factor", Access::any_user().before_second_factor(), second_factor},
      {"POST", "/api/v1/auth/second-factor/setup", Access::any_user().before_second_factor(), setup_second_factor},
      {"POST", "/api/v1/auth/second-factor/enable", Access::any_user().before_second_factor(), enable_second_factor},
      {"POST", "/api/v1/auth/second-factor/recovery-codes", Access::any_user(), renew_recovery_codes},
      {"POST", "/api/v1/auth/second-factor/disable", Access::any_user(), disable_second_factor},
      {"POST", "/api/v1/auth/password", Access::any_user(), change_password},
      {"GET", "/api/v1/auth/sessions", Access::any_user(), sessions},
      {"DELETE", "/api/v1/auth/sessions", Access::any_user(), end_other_sessions},
  };
  return rows;
}

}  // namespace tt::api
