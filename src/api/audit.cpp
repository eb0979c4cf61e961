// GET /api/v1/audit (admin): the audit log, newest first, filtered by entity, key (bag code,
// username, bill code...), user (who acted), action, and time (from, to: whole days in the
// depot's time zone or instants, both ends included, SPEC §3.5), paginated with page (from 1)
// and per_page (1-500, default 100). Beside the entries it answers `actions`, every action the log
// may hold, and `entities`, every entity an entry can be about (domain/audit_actions.hpp): the
// audit page offers them for its action and "Of" filters, so the web keeps no list of its own.
#include <nlohmann/json.hpp>

#include <charconv>

#include "api/deps.hpp"
#include "api/json_shapes.hpp"
#include "api/request_fields.hpp"
#include "api/routes.hpp"
#include "domain/audit_actions.hpp"
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

// Fixed at build time: built once, on the first GET /audit.
const nlohmann::json& action_names() {
  static const nlohmann::json names = [] {
    nlohmann::json out = nlohmann::json::array();
    for (const auto a : domain::all_audit_actions()) out.push_back(domain::to_string(a));
    return out;
  }();
  return names;
}

const nlohmann::json& entity_names() {
  static const nlohmann::json names = [] {
    nlohmann::json out = nlohmann::json::array();
    for (const auto e : domain::all_audit_entities()) out.push_back(e);
    return out;
  }();
  return names;
}

asio::awaitable<Response> list(RequestContext& ctx, Deps& d) {
  const auto& req = ctx.req;
  services::AuditFilter f;
  f.entity = query_text(req, "entity");
  f.entity_key = query_text(req, "key");
  if (auto user = query_text(req, "user")) f.username = domain::normalise_username(*user);
  f.action = query_text(req, "action");
  const util::TimeZone zone = co_await depot_time_zone(d);
  const domain::TimeRange at = query_range(req, zone);
  f.from = at.from;
  f.to = at.until;
  const auto page = query_int(req, "page", 1, 1000000).value_or(1);
  f.limit = query_int(req, "per_page", 1, kMaxPerPage).value_or(100);
  f.offset = (page - 1) * f.limit;
  auto rows = co_await call_read(ctx, d, services::list_audit, f);
  nlohmann::json entries = nlohmann::json::array();
  for (const auto& r : rows) entries.push_back(audit_json(r));
  co_return http::json_response(
      200, {{"entries", std::move(entries)}, {"page", page}, {"per_page", f.limit}, {"actions", action_names()},
            {"entities", entity_names()}});
}

}  // namespace

std::span<const RouteRow> audit_routes() {
  static const RouteRow rows[] = {
      {"GET", "/api/v1/audit", Access::to(domain::Permission::administer), list},
  };
  return rows;
}

}  // namespace tt::api
