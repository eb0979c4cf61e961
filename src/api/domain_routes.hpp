// Registration of the bag, scan and bill routes (SPEC §4).
#pragma once

#include "http/router.hpp"

namespace tt::api {

void register_scans_routes(http::Router& router);     // /api/v1/scans/...
void register_bags_routes(http::Router& router);      // /api/v1/bags...
void register_bills_routes(http::Router& router);     // /api/v1/bills...
void register_stats_routes(http::Router& router);     // /api/v1/stats
void register_events_routes(http::Router& router);    // /api/v1/events
void register_settings_routes(http::Router& router);  // /api/v1/settings

}  // namespace tt::api
