// The route table of the server: every resource adds its routes here.
#pragma once

#include "http/router.hpp"

namespace tt::api {

void register_all_routes(http::Router& router);

}  // namespace tt::api
