#include "api/deps.hpp"

#include <nlohmann/json.hpp>

#include "events/hub.hpp"

namespace tt::api {

services::Caller caller_of(const http::RequestContext& ctx) {
  services::Caller who;
  if (ctx.user) who = *ctx.user;  // the principal's identity
  who.client = ctx.req.remote_addr;
  return who;
}

asio::awaitable<services::SettingsPtr> current_settings(Deps& d) { co_return co_await d.settings.get(d.db); }

asio::awaitable<util::TimeZone> depot_time_zone(Deps& d) {
  const services::SettingsPtr settings = co_await current_settings(d);
  co_return domain::time_zone_of(*settings);
}

bool has_listeners(const Deps& d) { return d.hub.subscriber_count() > 0 || d.hub.forwarding(); }

void publish(Deps& d, std::string type, const nlohmann::json& data, std::optional<std::int64_t> area_id,
             std::optional<std::int64_t> other_area_id) {
  if (!has_listeners(d)) return;
  d.hub.publish(events::Event{std::move(type), data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                              area_id, other_area_id});
}

}  // namespace tt::api
