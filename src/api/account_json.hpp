// JSON shapes of users, areas, API tokens and audit entries, and the request-body helpers their
// routes share. Times are ISO 8601 UTC; ids are the rows' public uids, never internal row numbers.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

#include "domain/errors.hpp"
#include "http/router.hpp"
#include "services/areas.hpp"
#include "services/audit.hpp"
#include "services/tokens.hpp"
#include "services/users.hpp"

namespace tt::api {

nlohmann::json user_json(const services::User& u);
nlohmann::json area_json(const services::Area& a);
nlohmann::json token_json(const services::TokenInfo& t);  // never contains the secret
nlohmann::json audit_json(const services::AuditRecord& r);

// Who is acting, for the audit log: the caller and where the request came from.
services::Actor actor_of(const http::RequestContext& ctx);

// Body fields. Each throws domain::Failure 400 invalid_request naming the field when it has the
// wrong JSON type (or, for required_string, is absent).
std::string required_string(const nlohmann::json& body, const char* field);
std::optional<std::string> optional_string(const nlohmann::json& body, const char* field);  // absent or null: none
// Absent: nothing; null: an empty inner optional (clear the value); a string: that string.
std::optional<std::optional<std::string>> nullable_string(const nlohmann::json& body, const char* field);
std::optional<bool> optional_bool(const nlohmann::json& body, const char* field);
// 400 invalid_request when the body has a field not in `allowed`: a typo must not pass silently.
void reject_unknown_fields(const nlohmann::json& body, std::initializer_list<const char*> allowed);

}  // namespace tt::api
