// The web interface, compiled into the binary, served as GET routes: one route per embedded file,
// and the single-page application's HTML at each page address the application names. Only
// embedded names and named pages are routes, so no request can reach another file.
//
// Every file carries an ETag and `Cache-Control: no-cache`: a browser revalidates each file on each
// load (a cheap 304), so a depot box upgraded in place never runs yesterday's scripts. Browsers that
// accept gzip get the copy compressed at build time. HTML pages carry the strict
// Content-Security-Policy of kPageSecurityPolicy.
#pragma once

#include <initializer_list>
#include <span>
#include <string_view>

#include "http/router.hpp"
#include "util/embedded.hpp"

namespace tt::http {

// Scripts, styles, images, media and connections from this origin only; no inline script or style
// attribute, no plugin, no framing, no <base>; forms post only here. WebAssembly may be compiled
// (the camera's barcode decoder), which allows no string to be run as script.
inline constexpr std::string_view kPageSecurityPolicy =
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:; "
    "media-src 'self' blob: mediastream:; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

// GET /NAME for each embedded file (and / for index.html).
void add_static_routes(Router& router, std::span<const embedded::File> files);

// GET PAGE for each page address (patterns such as /bags/{code}), all answered with the embedded
// file `html` (the application, which reads the address itself). The same file answers, with 404,
// a browser asking for HTML at an address that is no route (Router::set_not_found_page).
void add_page_routes(Router& router, std::span<const embedded::File> files, std::string_view html,
                     std::span<const std::string_view> pages);

// The Content-Type of a file, from its extension.
std::string_view content_type_for(std::string_view file_name);

// Whether an Accept-Encoding header accepts gzip (a "gzip" or "*" coding not refused with q=0).
bool accepts_gzip(std::string_view accept_encoding);

}  // namespace tt::http
