// The web interface, compiled into the binary, served as GET routes: one route per embedded file
// (and / for index.html). Only embedded names are routes, so no request can reach another file.
#pragma once

#include <span>
#include <string_view>

#include "http/router.hpp"
#include "util/embedded.hpp"

namespace tt::http {

void add_static_routes(Router& router, std::span<const embedded::File> files);

// The Content-Type of a file, from its extension.
std::string_view content_type_for(std::string_view file_name);

}  // namespace tt::http
