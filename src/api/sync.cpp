// Synchronisation (SPEC §8), called by depots with their site's sync token (http::Access::sites):
//   GET /api/v1/sync/state   the handshake before a push: {site, name, applied_through, protocol,
//                            server_time}. Head office owns the cursor: applied_through is the
//                            last operation of this site it applied, so the depot resumes after it.
#include <nlohmann/json.hpp>

#include "api/deps.hpp"
#include "api/routes.hpp"
#include "services/sites.hpp"
#include "util/time.hpp"

namespace tt::api {

namespace asio = boost::asio;
using http::Access;
using http::RequestContext;
using http::Response;

namespace {

// The versions of the push protocol this server speaks.
constexpr int kProtocols[] = {1};

asio::awaitable<Response> state(RequestContext& ctx, Deps& d) {
  const std::string uid = ctx.principal().site_uid;
  const services::Site site = co_await call_read(ctx, d, services::get_site, uid);
  co_return http::json_response(200, {{"site", site.uid},
                                      {"name", site.name},
                                      {"applied_through", site.acked_seq},
                                      {"protocol", kProtocols},
                                      {"server_time", util::format_iso8601(util::now_us())}});
}

}  // namespace

std::span<const RouteRow> sync_routes() {
  static const RouteRow rows[] = {
      {"GET", "/api/v1/sync/state", Access::sites(), state},
  };
  return rows;
}

}  // namespace tt::api
