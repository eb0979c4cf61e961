// What the bag, scan and bill routes share: the caller as the services see it, the cached
// settings and dashboard figures, live event publishing, and request-body helpers.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <utility>

#include "domain/errors.hpp"
#include "http/router.hpp"
#include "services/bag_settings.hpp"
#include "services/caller.hpp"
#include "services/refusal.hpp"
#include "services/stats.hpp"

namespace tt::api {

namespace asio = boost::asio;

services::Caller caller_of(const http::RequestContext& ctx);

// The caches belong to the database they read: one per database the process serves (the server
// serves one; tests may open several).
services::SettingsCache& settings_cache(storage::Database& db);
services::StatsCache& stats_cache(storage::Database& db);
asio::awaitable<services::SettingsPtr> current_settings(const http::RequestContext& ctx);

domain::Failure api_error(const services::Refusal& r);

// Publishes a live event after the change committed; builds nothing when nobody listens.
bool has_listeners(const http::RequestContext& ctx);
void publish(const http::RequestContext& ctx, std::string type, const nlohmann::json& data,
             std::optional<std::int64_t> area_id);

// Reads the string members of a small JSON object body into `fields` (name, destination), each
// required; any other member is refused. Takes an allocation-free path for plain bodies and falls
// back to the full parser otherwise. Throws domain::Failure 400 invalid_json / invalid_request.
void read_string_fields(const http::Request& req, std::initializer_list<std::pair<const char*, std::string*>> fields);
// The same with optional members too: each left empty when absent (or null, through the full parser).
void read_string_fields(const http::Request& req, std::initializer_list<std::pair<const char*, std::string*>> fields,
                        std::initializer_list<std::pair<const char*, std::optional<std::string>*>> optional_fields);

// Integer body fields: 400 invalid_request when present with another JSON type (or a fraction).
std::int64_t required_int(const nlohmann::json& body, const char* field);
std::optional<std::int64_t> optional_int(const nlohmann::json& body, const char* field);

// Query parameters: 400 invalid_request naming the parameter when malformed.
std::optional<std::int64_t> query_int(const http::Request& req, const char* name, std::int64_t min, std::int64_t max);
std::optional<std::int64_t> query_time(const http::Request& req, const char* name);  // ISO 8601
std::optional<std::string> query_text(const http::Request& req, const char* name);   // absent or empty: none

}  // namespace tt::api
