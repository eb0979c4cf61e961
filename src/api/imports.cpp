// Import of parent,child pairs (SPEC §3.7, admin):
//   POST /api/v1/import/links?mode=check|all|valid[&area=NAME][&name=FILE]   body: the CSV file
// mode check only reports; all applies every row or, when a row is refused, nothing (422
// rows_rejected, with the report); valid applies the rows that pass. The answer is the report
// (api/json_shapes import_report_json). The body may be up to the server's import size
// (--max-import), larger than other requests' (http::ServerOptions::body_limit_for).
#include <memory>
#include <string>

#include "api/deps.hpp"
#include "api/json_shapes.hpp"
#include "api/routes.hpp"
#include "domain/errors.hpp"
#include "domain/role.hpp"
#include "services/imports.hpp"

namespace tt::api {

namespace {

using http::Access;
using http::RequestContext;
using http::Response;

services::ImportRequest import_request(RequestContext& ctx) {
  services::ImportRequest r;
  const auto mode = ctx.req.query_param("mode");
  if (!mode) {
    throw domain::Failure(domain::Error::invalid_request, "Say what to do with the file: mode=check, all or valid.");
  }
  auto parsed = services::parse_import_mode(*mode);
  if (!parsed) {
    throw domain::Failure(domain::Error::invalid_request,
                          "The mode is check (report only), all (every row or none) or valid (the rows that pass).");
  }
  r.mode = *parsed;
  if (auto area = ctx.req.query_param("area"); area && !area->empty()) r.area = *area;
  if (auto name = ctx.req.query_param("name")) r.file_name = name->substr(0, 200);
  // The file is not copied: the request is done with its body.
  r.file = std::make_shared<const std::string>(std::move(ctx.req.body));
  return r;
}

asio::awaitable<Response> import_links(RequestContext& ctx, Deps& d) {
  services::ImportRequest request = import_request(ctx);
  const bool check = request.mode == services::ImportMode::check;
  services::ImportReport report;
  // if/else, not `?:` (the coroutine rule: storage/job.hpp).
  if (check) {
    report = co_await call_read(ctx, d, services::import_links, std::move(request));
  } else {
    report = co_await call_write_alone(ctx, d, services::import_links, std::move(request));
  }
  nlohmann::json body = import_report_json(report);
  if (!check && !report.applied) {
    nlohmann::json error;
    error["code"] = domain::to_string(domain::Error::rows_rejected);
    error["message"] = std::to_string(report.rejected) + " of " + std::to_string(report.rows) +
                       " rows were refused, so nothing was applied.";
    nlohmann::json refused;
    refused["error"] = std::move(error);
    refused["report"] = std::move(body);
    co_return http::json_response(422, refused);
  }
  if (report.applied && report.changed > 0) {
    nlohmann::json event;
    event["import"] = report.import_id;
    event["changed"] = report.changed;
    publish(d, "import", event, std::nullopt);
  }
  co_return http::json_response(200, body);
}

}  // namespace

std::span<const RouteRow> imports_routes() {
  static const RouteRow rows[] = {
      {"POST", "/api/v1/import/links", Access::to(domain::Permission::import_links), import_links},
  };
  return rows;
}

}  // namespace tt::api
