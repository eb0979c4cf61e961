#include "api/request_fields.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>

#include "api/flat_json.hpp"
#include "domain/errors.hpp"
#include "util/time.hpp"

namespace tt::api {

namespace {

domain::Failure bad_request(std::string message) { return domain::Failure(domain::Error::invalid_request, message); }

domain::Failure bad_field(const char* field, const char* expected) {
  return bad_request(std::string("The field '") + field + "' must be " + expected + ".");
}

}  // namespace

std::string required_string(const nlohmann::json& body, const char* field) {
  auto it = body.find(field);
  if (it == body.end() || !it->is_string()) throw bad_field(field, "given as a string");
  return it->get<std::string>();
}

std::optional<std::string> optional_string(const nlohmann::json& body, const char* field) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) throw bad_field(field, "a string");
  return it->get<std::string>();
}

std::vector<std::string> string_list(const nlohmann::json& body, const char* field) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return {};
  if (!it->is_array()) throw bad_field(field, "an array of strings");
  std::vector<std::string> out;
  out.reserve(it->size());
  for (const auto& v : *it) {
    if (!v.is_string()) throw bad_field(field, "an array of strings");
    out.push_back(v.get<std::string>());
  }
  return out;
}

std::optional<std::optional<std::string>> nullable_string(const nlohmann::json& body, const char* field) {
  auto it = body.find(field);
  if (it == body.end()) return std::nullopt;
  if (it->is_null()) return std::optional<std::string>();
  if (!it->is_string()) throw bad_field(field, "a string or null");
  return std::optional<std::string>(it->get<std::string>());
}

std::optional<bool> optional_bool(const nlohmann::json& body, const char* field) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_boolean()) throw bad_field(field, "true or false");
  return it->get<bool>();
}

void reject_unknown_fields(const nlohmann::json& body, std::initializer_list<const char*> allowed) {
  for (const auto& item : body.items()) {
    bool known = std::any_of(allowed.begin(), allowed.end(), [&](const char* a) { return item.key() == a; });
    if (!known) {
      throw domain::Failure(domain::Error::invalid_request, "The field '" + item.key() + "' is not known here.");
    }
  }
}

void read_string_fields(const http::Request& req, std::initializer_list<std::pair<const char*, std::string*>> fields) {
  read_string_fields(req, fields, {});
}

void read_string_fields(const http::Request& req, std::initializer_list<std::pair<const char*, std::string*>> fields,
                        std::initializer_list<std::pair<const char*, std::optional<std::string>*>> optional_fields) {
  auto is_known = [&](std::string_view name) {
    for (const auto& f : fields) {
      if (name == f.first) return true;
    }
    for (const auto& f : optional_fields) {
      if (name == f.first) return true;
    }
    return false;
  };
  constexpr std::size_t kMax = 8;
  FlatField flat[kMax];
  std::size_t count = 0;
  if (fields.size() + optional_fields.size() <= kMax && parse_flat_string_object(req.body, flat, kMax, count)) {
    for (std::size_t i = 0; i < count; ++i) {
      if (!is_known(flat[i].name)) throw bad_request("The field '" + std::string(flat[i].name) + "' is not known here.");
      for (const auto& [name, dest] : fields) {
        if (flat[i].name == name) dest->assign(flat[i].value);
      }
      for (const auto& [name, dest] : optional_fields) {
        if (flat[i].name == name) *dest = std::string(flat[i].value);
      }
    }
    for (const auto& [name, dest] : fields) {
      bool present = false;
      for (std::size_t i = 0; i < count; ++i) present = present || flat[i].name == name;
      if (!present) throw bad_request(std::string("The field '") + name + "' must be given as a string.");
    }
    return;
  }
  const nlohmann::json body = req.json_body();
  for (const auto& item : body.items()) {
    if (!is_known(item.key())) throw bad_request("The field '" + item.key() + "' is not known here.");
  }
  for (const auto& [name, dest] : fields) *dest = required_string(body, name);
  for (const auto& [name, dest] : optional_fields) *dest = optional_string(body, name);
}

std::int64_t required_int(const nlohmann::json& body, const char* field) {
  auto v = optional_int(body, field);
  if (!v) throw bad_request(std::string("The field '") + field + "' must be given as a whole number.");
  return *v;
}

std::optional<std::int64_t> optional_int(const nlohmann::json& body, const char* field) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (it->is_number_integer()) return it->get<std::int64_t>();
  if (it->is_number_float()) {
    const double d = it->get<double>();
    if (d > -9e15 && d < 9e15 && d == static_cast<double>(static_cast<std::int64_t>(d))) {
      return static_cast<std::int64_t>(d);
    }
  }
  throw bad_request(std::string("The field '") + field + "' must be a whole number.");
}

std::optional<std::int64_t> query_int(const http::Request& req, const char* name, std::int64_t min, std::int64_t max) {
  auto v = req.query_param(name);
  if (!v || v->empty()) return std::nullopt;
  std::int64_t n = 0;
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec != std::errc() || end != v->data() + v->size() || n < min || n > max) {
    throw bad_request(std::string("The parameter '") + name + "' must be a whole number from " + std::to_string(min) +
                      " to " + std::to_string(max) + ".");
  }
  return n;
}

domain::TimeRange query_range(const http::Request& req, const util::TimeZone& zone) {
  domain::TimeRange range;
  if (auto v = req.query_param("from"); v && !v->empty()) {
    range.from = domain::parse_range_bound(*v, domain::RangeEnd::from, zone);
    if (!range.from) throw bad_request(domain::range_bound_error("from"));
  }
  if (auto v = req.query_param("to"); v && !v->empty()) {
    range.until = domain::parse_range_bound(*v, domain::RangeEnd::to, zone);
    if (!range.until) throw bad_request(domain::range_bound_error("to"));
  }
  return range;
}

bool truthy(std::string_view v) { return v == "1" || v == "true" || v == "yes"; }

std::optional<std::string> query_text(const http::Request& req, const char* name) {
  auto v = req.query_param(name);
  if (!v || v->empty()) return std::nullopt;
  return v;
}

}  // namespace tt::api
