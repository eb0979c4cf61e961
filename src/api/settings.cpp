// Administrator settings (SPEC §4), admin only:
//   GET /api/v1/settings                  every known setting with its current value
//   PATCH /api/v1/settings {key: value}   changes some; each value is validated first, all or none
//                                         (?dry_run=1: validates only)
//   GET /api/v1/settings/catalog          each setting with value, default, unit and description
// See services/settings.hpp for the keys.
#include <nlohmann/json.hpp>

#include "api/deps.hpp"
#include "api/routes.hpp"
#include "accounts/auth_settings.hpp"
#include "services/settings.hpp"
#include "storage/database.hpp"

namespace tt::api {

namespace {

const http::Access kAdmin = http::Access::to(domain::Permission::administer);

asio::awaitable<http::Response> show(http::RequestContext& ctx, Deps& d) {
  auto all = co_await call_read(ctx, d, services::read_all_settings);
  co_return http::json_response(200, {{"settings", std::move(all)}});
}

// Every setting described for the settings page: value, default, unit and what it governs.
asio::awaitable<http::Response> catalog(http::RequestContext& ctx, Deps& d) {
  auto described = co_await call_read(ctx, d, services::describe_settings);
  co_return http::json_response(200, {{"settings", std::move(described)}});
}

asio::awaitable<http::Response> update(http::RequestContext& ctx, Deps& d) {
  auto changes = ctx.req.json_body();
  // ?dry_run=1: the same checks, nothing stored (the settings page checks values before saving).
  if (const auto dry = ctx.req.query_param("dry_run"); dry && (*dry == "1" || *dry == "true")) {
    co_await call_read(ctx, d, services::check_setting_changes_for, changes);
    co_return http::json_response(200, {{"valid", true}});
  }
  // Reported as a credential change: sessions are resolved with the new values from now on.
  auto all = co_await call_write(ctx, d, accounts::update_settings, changes);
  // Committed: scans of this process use the new values from now on.
  d.settings.invalidate();
  co_return http::json_response(200, {{"settings", std::move(all)}});
}

}  // namespace

std::span<const RouteRow> settings_routes() {
  static const RouteRow rows[] = {
      {"GET", "/api/v1/settings", kAdmin, show},
      {"PATCH", "/api/v1/settings", kAdmin, update},
      {"GET", "/api/v1/settings/catalog", kAdmin, catalog},
  };
  return rows;
}

}  // namespace tt::api
