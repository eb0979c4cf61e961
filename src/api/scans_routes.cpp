// Scanning (SPEC §3.1-§3.3, §4):
//   POST /api/v1/scans/parent {code}          the parent's detail; 201 when it was created
//   POST /api/v1/scans/child {parent, code}   {result: linked | already_linked, child_count, capacity}
//   POST /api/v1/scans/undo                   removes the caller's most recent link (last hour)
// Any signed-in user may scan; a dispatcher only into parents of their own area.
//
// The child scan is the hot path of the benchmark: its body is read without a JSON document and
// its answer written directly.
#include <nlohmann/json.hpp>

#include "api/domain_context.hpp"
#include "api/domain_json.hpp"
#include "api/domain_routes.hpp"
#include "app/app.hpp"
#include "domain/bag_code.hpp"
#include "services/links.hpp"
#include "services/scans.hpp"
#include "storage/database.hpp"
#include "util/time.hpp"

namespace tt::api {

namespace {

using http::Access;
using http::RequestContext;
using http::Response;

void publish_child_scan(const RequestContext& ctx, const services::ChildScan& scan) {
  if (!has_listeners(ctx)) return;
  nlohmann::json data{{"action", "scan_child"},
                      {"result", domain::to_string(scan.result)},
                      {"reason", scan.reason == domain::Rejection::none
                                     ? nlohmann::json(nullptr)
                                     : nlohmann::json(domain::rejection_code(scan.reason))},
                      {"parent", scan.parent_code},
                      {"code", scan.child_code},
                      {"child_count", scan.child_count},
                      {"capacity", scan.capacity},
                      {"user", ctx.principal().username},
                      {"at", util::format_iso8601(util::now_us())}};
  publish(ctx, "scan", data, scan.area_id);
}

asio::awaitable<Response> scan_child(RequestContext& ctx) {
  std::string parent, code;
  read_string_fields(ctx.req, {{"parent", &parent}, {"code", &code}});
  auto settings = co_await current_settings(ctx);
  auto caller = caller_of(ctx);
  auto job = [caller, parent, code, settings](storage::Tx& tx) { return services::scan_child(tx, caller, parent, code, settings); };
  const services::ChildScan scan = co_await ctx.app.db.write(std::move(job));
  // Committed: tell the live views, then answer.
  if (scan.reason != domain::Rejection::invalid_code) publish_child_scan(ctx, scan);
  if (scan.result == domain::ScanResult::rejected) throw api_error(services::refusal_of(scan));
  Response r;
  r.body.reserve(64 + scan.parent_code.size() + scan.child_code.size());
  r.body += "{\"result\":\"";
  r.body += domain::to_string(scan.result);
  r.body += "\",\"parent\":";
  domain::append_json_string(r.body, scan.parent_code);
  r.body += ",\"code\":";
  domain::append_json_string(r.body, scan.child_code);
  r.body += ",\"child_count\":";
  r.body += std::to_string(scan.child_count);
  r.body += ",\"capacity\":";
  r.body += std::to_string(scan.capacity);
  r.body += '}';
  co_return r;
}

asio::awaitable<Response> scan_parent(RequestContext& ctx) {
  std::string code;
  read_string_fields(ctx.req, {{"code", &code}});
  auto settings = co_await current_settings(ctx);
  auto caller = caller_of(ctx);
  auto job = [caller, code, settings](storage::Tx& tx) { return services::scan_parent(tx, caller, code, settings); };
  const services::ParentScan scan = co_await ctx.app.db.write(std::move(job));
  if (scan.refusal) throw api_error(*scan.refusal);
  nlohmann::json body = bag_json(*scan.parent, false);
  body["created"] = scan.created;
  if (has_listeners(ctx)) {
    nlohmann::json data{{"action", "scan_parent"},
                        {"result", scan.created ? "created" : "found"},
                        {"code", scan.code},
                        {"child_count", body["child_count"]},
                        {"user", ctx.principal().username},
                        {"at", util::format_iso8601(util::now_us())}};
    publish(ctx, "scan", data, scan.area_id);
  }
  co_return http::json_response(scan.created ? 201 : 200, body);
}

asio::awaitable<Response> undo(RequestContext& ctx) {
  auto settings = co_await current_settings(ctx);
  auto caller = caller_of(ctx);
  auto job = [caller, settings](storage::Tx& tx) { return services::undo_last_link(tx, caller, settings); };
  const services::LinkChange change = co_await ctx.app.db.write(std::move(job));
  nlohmann::json body = link_change_json(change);
  nlohmann::json data = body;
  data["action"] = "undo";
  data["user"] = ctx.principal().username;
  publish(ctx, "link", data, change.area_id);
  co_return http::json_response(200, body);
}

}  // namespace

void register_scans_routes(http::Router& router) {
  router.add("POST", "/api/v1/scans/parent", Access::any_user(), scan_parent);
  router.add("POST", "/api/v1/scans/child", Access::any_user(), scan_child);
  router.add("POST", "/api/v1/scans/undo", Access::any_user(), undo);
}

}  // namespace tt::api
