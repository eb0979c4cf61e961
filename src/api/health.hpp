// GET /healthz (the process answers) and GET /readyz (the database answers too): probes for
// service managers and load balancers, public and cheap.
#pragma once

#include "http/router.hpp"

namespace tt::api {

void register_health_routes(http::Router& router);

}  // namespace tt::api
