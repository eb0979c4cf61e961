// What a request carries, read and checked for the endpoints: JSON body fields and query
// parameters. Every reader throws domain::Failure invalid_request (invalid_json for a body that is
// no JSON object) naming the field or parameter, so that a client's mistake always reads the same.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/date_filter.hpp"
#include "http/message.hpp"

namespace tt::api {

// Body fields: required_string when absent or not a string; the others when of another JSON type.
std::string required_string(const nlohmann::json& body, const char* field);
std::optional<std::string> optional_string(const nlohmann::json& body, const char* field);  // absent or null: none
// An array of strings; absent or null: empty.
std::vector<std::string> string_list(const nlohmann::json& body, const char* field);
// Absent: nothing; null: an empty inner optional (clear the value); a string: that string.
std::optional<std::optional<std::string>> nullable_string(const nlohmann::json& body, const char* field);
std::optional<bool> optional_bool(const nlohmann::json& body, const char* field);
std::int64_t required_int(const nlohmann::json& body, const char* field);
std::optional<std::int64_t> optional_int(const nlohmann::json& body, const char* field);  // a fraction is refused
// A field not in `allowed`: a typo must not pass silently.
void reject_unknown_fields(const nlohmann::json& body, std::initializer_list<const char*> allowed);

// Reads the string members of a small JSON object body into `fields` (name, destination), each
// required, and `optional_fields`, left empty when absent (or null); any other member is refused.
// Takes an allocation-free path for plain bodies (the scan hot path) and falls back to the full
// parser otherwise.
void read_string_fields(const http::Request& req, std::initializer_list<std::pair<const char*, std::string*>> fields);
void read_string_fields(const http::Request& req, std::initializer_list<std::pair<const char*, std::string*>> fields,
                        std::initializer_list<std::pair<const char*, std::optional<std::string>*>> optional_fields);

// Query parameters (absent or empty: none).
std::optional<std::int64_t> query_int(const http::Request& req, const char* name, std::int64_t min, std::int64_t max);
// `from` and `to` as a range of instants (SPEC §3.5: domain/date_filter.hpp), dates being whole
// days in `zone`. Throws invalid_request naming the parameter.
domain::TimeRange query_range(const http::Request& req, const util::TimeZone& zone);
std::optional<std::string> query_text(const http::Request& req, const char* name);
// A yes/no parameter: "1", "true" or "yes" is yes; anything else, or absent, is no.
bool truthy(std::string_view value);

}  // namespace tt::api
