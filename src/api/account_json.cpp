#include "api/account_json.hpp"

#include <algorithm>

#include "domain/errors.hpp"
#include "domain/role.hpp"
#include "util/time.hpp"

namespace tt::api {

namespace {

nlohmann::json opt_json(const std::optional<std::string>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

nlohmann::json opt_time(const std::optional<std::int64_t>& us) {
  return us ? nlohmann::json(util::format_iso8601(*us)) : nlohmann::json(nullptr);
}

domain::Failure bad_field(const char* field, const char* expected) {
  return domain::Failure(domain::Error::invalid_request, std::string("The field '") + field + "' must be " + expected + ".");
}

// Stored JSON text back to JSON; text that is not JSON (never written by us) stays a string.
nlohmann::json stored_json(const std::optional<std::string>& text) {
  if (!text) return nullptr;
  auto j = nlohmann::json::parse(*text, nullptr, false);
  return j.is_discarded() ? nlohmann::json(*text) : j;
}

}  // namespace

nlohmann::json user_json(const services::User& u) {
  return nlohmann::json{{"id", u.uid},
                        {"username", u.username},
                        {"email", opt_json(u.email)},
                        {"role", domain::to_string(u.role)},
                        {"area", opt_json(u.area)},
                        {"active", u.active},
                        {"created_at", util::format_iso8601(u.created_at)},
                        {"updated_at", util::format_iso8601(u.updated_at)},
                        {"password_changed_at", util::format_iso8601(u.password_changed_at)}};
}

nlohmann::json area_json(const services::Area& a) {
  return nlohmann::json{{"id", a.uid}, {"name", a.name}, {"created_at", util::format_iso8601(a.created_at)}};
}

nlohmann::json token_json(const services::TokenInfo& t) {
  return nlohmann::json{{"id", t.uid},
                        {"name", t.name},
                        {"user", t.username},
                        {"created_by", opt_json(t.created_by)},
                        {"created_at", util::format_iso8601(t.created_at)},
                        {"last_used_at", opt_time(t.last_used_at)},
                        {"revoked_at", opt_time(t.revoked_at)},
                        {"active", !t.revoked_at.has_value()}};
}

nlohmann::json audit_json(const services::AuditRecord& r) {
  return nlohmann::json{{"id", r.uid},
                        {"at", util::format_iso8601(r.at)},
                        {"user", opt_json(r.username)},
                        {"action", r.action},
                        {"entity", r.entity},
                        {"key", opt_json(r.entity_key)},
                        {"before", stored_json(r.before_json)},
                        {"after", stored_json(r.after_json)},
                        {"client", opt_json(r.client)}};
}

services::Actor actor_of(const http::RequestContext& ctx) {
  services::Actor a;
  if (ctx.user) a = *ctx.user;  // the principal's identity
  a.client = ctx.req.remote_addr;
  return a;
}

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

}  // namespace tt::api
