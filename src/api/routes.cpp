#include "api/routes.hpp"

#include "api/account_routes.hpp"
#include "api/domain_routes.hpp"
#include "api/health.hpp"
#include "http/static_files.hpp"
#include "util/embedded.hpp"

namespace tt::api {

void register_all_routes(http::Router& router) {
  register_health_routes(router);
  register_auth_routes(router);
  register_users_routes(router);
  register_areas_routes(router);
  register_tokens_routes(router);
  register_audit_routes(router);
  register_scans_routes(router);
  register_bags_routes(router);
  register_bills_routes(router);
  register_stats_routes(router);
  register_events_routes(router);
  register_settings_routes(router);
  http::add_static_routes(router, embedded::web_files());
  // The web interface's pages (SPEC §7): each address serves the application, which shows the page.
  http::add_page_routes(router, embedded::web_files(), "index.html",
                        {"/login", "/scan", "/search", "/bags/{code}", "/bills", "/bills/{code}", "/dashboard",
                         "/account", "/admin/users", "/admin/areas", "/admin/settings", "/admin/tokens",
                         "/admin/audit"});
}

}  // namespace tt::api
