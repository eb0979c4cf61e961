// Administrator settings (SPEC §4), admin only:
//   GET /api/v1/settings                  every known setting with its current value
//   PATCH /api/v1/settings {key: value}   changes some; each value is validated first, all or none
// See services/bag_settings.hpp for the keys.
#include <nlohmann/json.hpp>

#include "api/domain_context.hpp"
#include "api/domain_routes.hpp"
#include "app/app.hpp"
#include "auth/credential_cache.hpp"
#include "services/bag_settings.hpp"
#include "storage/database.hpp"

namespace tt::api {

namespace {

const http::Access kAdmin = http::Access::roles({domain::Role::admin});

asio::awaitable<http::Response> show(http::RequestContext& ctx) {
  auto job = [](storage::Tx& tx) { return services::read_all_settings(tx); };
  auto all = co_await ctx.app.db.read(std::move(job));
  co_return http::json_response(200, {{"settings", std::move(all)}});
}

asio::awaitable<http::Response> update(http::RequestContext& ctx) {
  auto changes = ctx.req.json_body();
  auto caller = caller_of(ctx);
  auto job = [caller, changes](storage::Tx& tx) { return services::update_settings(tx, caller, changes); };
  auto all = co_await ctx.app.db.write(std::move(job));
  // Committed: scans and sign-ins of this process use the new values from now on.
  settings_cache(ctx.app.db).invalidate();
  auth::credentials_changed();
  co_return http::json_response(200, {{"settings", std::move(all)}});
}

}  // namespace

void register_settings_routes(http::Router& router) {
  router.add("GET", "/api/v1/settings", kAdmin, show);
  router.add("PATCH", "/api/v1/settings", kAdmin, update);
}

}  // namespace tt::api
