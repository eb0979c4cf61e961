// GET /api/v1/audit (admin): the audit log, newest first, filtered by entity, key (bag code,
// username, bill code...), user (who acted), action, and time (from inclusive, to exclusive,
// ISO 8601), paginated with page (from 1) and per_page (1-500, default 100).
#include <nlohmann/json.hpp>

#include <charconv>

#include "api/deps.hpp"
#include "api/json_shapes.hpp"
#include "api/routes.hpp"
#include "domain/errors.hpp"
#include "domain/role.hpp"
#include "domain/user_rules.hpp"
#include "services/audit.hpp"
#include "storage/database.hpp"
#include "util/time.hpp"

namespace tt::api {

namespace asio = boost::asio;
using http::Access;
using http::RequestContext;
using http::Response;

namespace {

constexpr std::int64_t kMaxPerPage = 500;

std::int64_t whole_number(const http::Request& req, const char* name, std::int64_t fallback, std::int64_t min,
                          std::int64_t max) {
  auto text = req.query_param(name);
  if (!text) return fallback;
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  if (ec != std::errc() || end != text->data() + text->size() || v < min || v > max) {
    throw domain::Failure(domain::Error::invalid_request, std::string("The parameter '") + name + "' must be a whole number from " +
                             std::to_string(min) + " to " + std::to_string(max) + ".");
  }
  return v;
}

std::optional<std::int64_t> time_param(const http::Request& req, const char* name) {
  auto text = req.query_param(name);
  if (!text || text->empty()) return std::nullopt;
  auto t = util::parse_iso8601(*text);
  if (!t) {
    throw domain::Failure(domain::Error::invalid_request, std::string("The parameter '") + name + "' must be a date or time like 2025-11-25T10:15:30Z.");
  }
  return t;
}

std::optional<std::string> text_param(const http::Request& req, const char* name) {
  auto v = req.query_param(name);
  if (!v || v->empty()) return std::nullopt;
  return v;
}

asio::awaitable<Response> list(RequestContext& ctx, Deps& d) {
  const auto& req = ctx.req;
  services::AuditFilter f;
  f.entity = text_param(req, "entity");
  f.entity_key = text_param(req, "key");
  if (auto user = text_param(req, "user")) f.username = domain::normalise_username(*user);
  f.action = text_param(req, "action");
  f.from = time_param(req, "from");
  f.to = time_param(req, "to");
  const auto page = whole_number(req, "page", 1, 1, 1000000);
  f.limit = whole_number(req, "per_page", 100, 1, kMaxPerPage);
  f.offset = (page - 1) * f.limit;
  auto query = [f](storage::Tx& tx) { return services::list_audit(tx, f); };
  auto rows = co_await d.db.read(std::move(query));
  nlohmann::json entries = nlohmann::json::array();
  for (const auto& r : rows) entries.push_back(audit_json(r));
  co_return http::json_response(200, {{"entries", std::move(entries)}, {"page", page}, {"per_page", f.limit}});
}

}  // namespace

std::span<const RouteRow> audit_routes() {
  static const RouteRow rows[] = {
      {"GET", "/api/v1/audit", Access::roles({domain::Role::admin}), list},
  };
  return rows;
}

}  // namespace tt::api
