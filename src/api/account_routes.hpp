// Registration of the account routes: sign-in, users, areas, API tokens and the audit log.
#pragma once

#include "http/router.hpp"

namespace tt::api {

void register_auth_routes(http::Router& router);    // /api/v1/auth/...
void register_users_routes(http::Router& router);   // /api/v1/users...
void register_areas_routes(http::Router& router);   // /api/v1/areas
void register_tokens_routes(http::Router& router);  // /api/v1/tokens...
void register_audit_routes(http::Router& router);   // /api/v1/audit

}  // namespace tt::api
