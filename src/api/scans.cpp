// Scanning (SPEC §3.1-§3.3, §4):
//   POST /api/v1/scans/parent {code}          the parent's detail; 201 when it was created
//   POST /api/v1/scans/child {parent, code}   {result: linked | already_linked, child_count, capacity}
//   POST /api/v1/scans/undo                   removes the caller's most recent link (last hour)
// Any signed-in user may scan; a dispatcher only into parents of their own area. The two scans take
// an optional client_scan_id: a repeated id gets the first answer again (api/replayable_scan.hpp).
//
// The child scan is the hot path of the benchmark: its body is read without a JSON document and
// its answer written directly.
#include <nlohmann/json.hpp>

#include "api/deps.hpp"
#include "api/json_shapes.hpp"
#include "api/request_fields.hpp"
#include "api/routes.hpp"
#include "api/replayable_scan.hpp"
#include "domain/bag_code.hpp"
#include "services/input_codes.hpp"
#include "services/links.hpp"
#include "services/scans.hpp"
#include "storage/database.hpp"
#include "util/time.hpp"

namespace tt::api {

namespace {

using http::Access;
using http::RequestContext;
using http::Response;

void publish_child_scan(const RequestContext& ctx, Deps& d, const services::ChildScan& scan) {
  if (!has_listeners(d)) return;
  nlohmann::json data{{"action", "scan_child"},
                      {"result", domain::to_string(scan.result)},
                      {"reason", scan.reason == domain::Rejection::none
                                     ? nlohmann::json(nullptr)
                                     : nlohmann::json(domain::to_string(domain::error_of(scan.reason)))},
                      {"parent", scan.parent_code},
                      {"code", scan.child_code},
                      {"child_count", scan.child_count},
                      {"capacity", scan.capacity},
                      {"user", ctx.principal().username},
                      {"at", util::format_iso8601(util::now_us())}};
  publish(d, "scan", data, scan.area_id);
}

// The answer to a child scan: {result, parent, code, child_count, capacity}, written without a
// JSON document (hot path), or the refusal's error.
services::ScanAnswer child_answer(const services::ChildScan& scan) {
  if (scan.refused()) return refusal_answer(*scan.refusal);
  services::ScanAnswer a;
  std::string& body = a.body;
  body.reserve(64 + scan.parent_code.size() + scan.child_code.size());
  body += "{\"result\":\"";
  body += domain::to_string(scan.result);
  body += "\",\"parent\":";
  domain::append_json_string(body, scan.parent_code);
  body += ",\"code\":";
  domain::append_json_string(body, scan.child_code);
  body += ",\"child_count\":";
  body += std::to_string(scan.child_count);
  body += ",\"capacity\":";
  body += std::to_string(scan.capacity);
  body += '}';
  return a;
}

services::ScanAnswer parent_answer(const services::ParentScan& scan) {
  if (scan.refusal) return refusal_answer(*scan.refusal);
  nlohmann::json body = bag_json(*scan.parent, false);
  body["created"] = scan.created;
  const int status = scan.created ? 201 : 200;
  return services::ScanAnswer{status, http::json_response(status, body).body};
}

asio::awaitable<Response> scan_child(RequestContext& ctx, Deps& d) {
  std::string parent, code;
  std::optional<std::string> client_scan_id;
  read_string_fields(ctx.req, {{"parent", &parent}, {"code", &code}}, {{"client_scan_id", &client_scan_id}});
  // Scans run side by side with other parents' scans (storage::WriteOptions::concurrent).
  const storage::WriteOptions order = storage::write_concurrent(services::code_or_raw(parent));
  const services::ScanCall<services::ChildScan> call =
      co_await call_scan<services::ChildScan>(ctx, d, services::scan_child, child_answer,
                                              client_scan_id_of(client_scan_id), order, std::move(parent),
                                              std::move(code));
  // Committed: tell the live views, then answer. A replay changed nothing and tells nobody.
  if (!call.replay && call.outcome.reason != domain::Rejection::invalid_code) publish_child_scan(ctx, d, call.outcome);
  co_return answer_response(call.answer);
}

asio::awaitable<Response> scan_parent(RequestContext& ctx, Deps& d) {
  std::string code;
  std::optional<std::string> client_scan_id;
  read_string_fields(ctx.req, {{"code", &code}}, {{"client_scan_id", &client_scan_id}});
  const storage::WriteOptions order = storage::write_concurrent(services::code_or_raw(code));
  const services::ScanCall<services::ParentScan> call = co_await call_scan<services::ParentScan>(
      ctx, d, services::scan_parent, parent_answer, client_scan_id_of(client_scan_id), order, std::move(code));
  const services::ParentScan& scan = call.outcome;
  if (!call.replay && scan.parent && has_listeners(d)) {
    nlohmann::json data{{"action", "scan_parent"},
                        {"result", scan.created ? "created" : "found"},
                        {"code", scan.code},
                        {"child_count", scan.parent->children.size()},
                        {"user", ctx.principal().username},
                        {"at", util::format_iso8601(util::now_us())}};
    publish(d, "scan", data, scan.area_id);
  }
  co_return answer_response(call.answer);
}

asio::awaitable<Response> undo(RequestContext& ctx, Deps& d) {
  const services::LinkChange change = co_await call_write(ctx, d, services::undo_last_link);
  nlohmann::json body = link_change_json(change);
  nlohmann::json data = body;
  data["action"] = "undo";
  data["user"] = ctx.principal().username;
  publish(d, "link", data, change.area_id);
  co_return http::json_response(200, body);
}

}  // namespace

std::span<const RouteRow> scans_routes() {
  static const RouteRow rows[] = {
      {"POST", "/api/v1/scans/parent", Access::any_user(), scan_parent},
      {"POST", "/api/v1/scans/child", Access::any_user(), scan_child},
      {"POST", "/api/v1/scans/undo", Access::any_user(), undo},
  };
  return rows;
}

}  // namespace tt::api
