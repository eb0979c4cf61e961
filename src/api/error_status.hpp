// The HTTP status of each error code (SPEC §4): the one place where errors meet HTTP. The request
// pipeline (http::Dispatcher) and the server's own refusals use it through the function given to
// them at start-up.
#pragma once

#include "domain/errors.hpp"

namespace tt::api {

int http_status(domain::Error e) noexcept;

}  // namespace tt::api
