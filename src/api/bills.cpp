// Bills (SPEC §3.4, §4):
//   POST /api/v1/bills {code, description, destination?, vehicle?, capacity}   biller, admin
//   GET /api/v1/bills?status=&q=&page=&per_page=     list with figures (dispatchers: own area)
//   GET /api/v1/bills/{code}                         detail with figures and parents
//   GET /api/v1/bills/{code}/report.csv?raw=         the bill report as CSV: one line per parent
//   PATCH /api/v1/bills/{code} {description?, destination?, vehicle?, capacity?}   biller, admin
//   DELETE /api/v1/bills/{code}                      admin
//   POST /api/v1/bills/{code}/parents {code}         add a scanned parent; biller, admin
//   DELETE /api/v1/bills/{code}/parents/{parent}     biller, admin
//   POST /api/v1/bills/{code}/complete               biller, admin
//   POST /api/v1/bills/{code}/reopen                 admin
#include <nlohmann/json.hpp>

#include "api/deps.hpp"
#include "api/json_shapes.hpp"
#include "api/request_fields.hpp"
#include "api/routes.hpp"
#include "api/replayable_scan.hpp"
#include "domain/bill_rules.hpp"
#include "domain/errors.hpp"
#include "services/input_codes.hpp"
#include "services/bills.hpp"
#include "storage/database.hpp"
#include "util/csv.hpp"
#include "util/time.hpp"

namespace tt::api {

namespace {

using http::Access;
using http::RequestContext;
using http::Response;

const Access kEdit = Access::to(domain::Permission::edit_bills);

void publish_bill(const RequestContext& ctx, Deps& d, const services::Bill& bill, const char* action) {
  if (!has_listeners(d)) return;
  nlohmann::json data = bill_json(bill);
  data["action"] = action;
  data["user"] = ctx.principal().username;
  data["at"] = util::format_iso8601(util::now_us());
  publish(d, "bill", data, bill.area_id);
}

asio::awaitable<Response> create(RequestContext& ctx, Deps& d) {
  auto body = ctx.req.json_body();
  reject_unknown_fields(body, {"code", "description", "destination", "vehicle", "capacity"});
  services::NewBill nb;
  nb.code = required_string(body, "code");
  nb.description = required_string(body, "description");
  nb.destination = optional_string(body, "destination");
  nb.vehicle = optional_string(body, "vehicle");
  nb.capacity = required_int(body, "capacity");
  services::check_new_bill(nb);
  const services::Bill bill = co_await call_write(ctx, d, services::create_bill, nb);
  publish_bill(ctx, d, bill, "create");
  co_return http::json_response(201, bill_json(bill));
}

asio::awaitable<Response> list(RequestContext& ctx, Deps& d) {
  services::BillFilter f;
  if (auto status = query_text(ctx.req, "status")) {
    if (!domain::parse_bill_status(*status)) {
      throw domain::Failure(domain::Error::invalid_request, "The parameter 'status' must be open or completed.");
    }
    f.status = *status;
  }
  f.code = query_text(ctx.req, "q");
  f.page = query_int(ctx.req, "page", 1, 1000000).value_or(1);
  f.per_page = query_int(ctx.req, "per_page", 1, 200).value_or(50);
  const services::BillPage page = co_await call_read(ctx, d, services::list_bills, f);
  nlohmann::json bills = nlohmann::json::array();
  for (const auto& b : page.bills) bills.push_back(bill_json(b));
  co_return http::json_response(
      200, {{"bills", std::move(bills)}, {"page", f.page}, {"per_page", f.per_page}, {"has_more", page.has_more}});
}

asio::awaitable<Response> show(RequestContext& ctx, Deps& d) {
  auto code = ctx.req.param("code");
  const services::BillDetail detail = co_await call_read(ctx, d, services::get_bill, code);
  co_return http::json_response(200, bill_detail_json(detail));
}

// The bill report as a spreadsheet reads it (SPEC §3.7): one line per parent with the bill's own
// columns repeated, formulas guarded unless raw. A bill holds at most its capacity of parents, so
// the file is built whole rather than streamed.
std::string bill_report_csv(const services::BillDetail& detail, bool raw) {
  std::string out =
      "bill,description,destination,vehicle,status,parent,kind,children,weight_kg,expected_weight_kg,added_at,"
      "added_by\r\n";
  const services::Bill& b = detail.bill;
  for (const auto& p : detail.parents) {
    util::CsvLine line(out, !raw);
    line.text(b.code).text(b.description).text(b.destination).text(b.vehicle).text(domain::to_string(b.status));
    line.text(p.code).text(p.kind).number(p.child_count).number(p.weight_kg).number(p.expected_weight_kg);
    line.text(util::format_iso8601(p.added_at)).text(p.added_by);
    line.end();
  }
  return out;
}

// A bill code may hold any printable character: only letters, digits, '-', '_' and '.' go into a
// file name, the others become '_'.
std::string file_name_part(std::string code) {
  for (char& c : code) {
    const bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                       c == '_' || c == '.';
    if (!plain) c = '_';
  }
  return code;
}

asio::awaitable<Response> report(RequestContext& ctx, Deps& d) {
  auto code = ctx.req.param("code");
  const bool raw = truthy(query_text(ctx.req, "raw").value_or(""));
  const services::BillDetail detail = co_await call_read(ctx, d, services::get_bill, code);
  Response r = http::csv_attachment("bill-" + file_name_part(detail.bill.code) + ".csv");
  r.body = bill_report_csv(detail, raw);
  co_return r;
}

asio::awaitable<Response> update(RequestContext& ctx, Deps& d) {
  auto body = ctx.req.json_body();
  reject_unknown_fields(body, {"description", "destination", "vehicle", "capacity"});
  if (body.empty()) {
    throw domain::Failure(domain::Error::invalid_request, "Nothing to change: send description, destination, vehicle or capacity.");
  }
  services::BillPatch patch;
  patch.description = optional_string(body, "description");
  patch.destination = nullable_string(body, "destination");
  patch.vehicle = nullable_string(body, "vehicle");
  patch.capacity = optional_int(body, "capacity");
  auto code = ctx.req.param("code");
  const services::Bill bill = co_await call_write(ctx, d, services::update_bill, code, patch);
  publish_bill(ctx, d, bill, "update");
  co_return http::json_response(200, bill_json(bill));
}

asio::awaitable<Response> remove(RequestContext& ctx, Deps& d) {
  auto code = ctx.req.param("code");
  const services::Bill bill = co_await call_write(ctx, d, services::delete_bill, code);
  publish_bill(ctx, d, bill, "delete");
  co_return http::json_response(200, {{"deleted", bill_json(bill)}});
}

services::ScanAnswer fill_answer(const services::BillFill& fill) {
  if (fill.refusal) return refusal_answer(*fill.refusal);
  const nlohmann::json body{{"result", domain::to_string(fill.result)}, {"parent", fill.parent}, {"bill", bill_json(*fill.bill)}};
  const int status = fill.result == domain::BillAddResult::added ? 201 : 200;
  return services::ScanAnswer{status, http::json_response(status, body).body};
}

// Scanning a parent onto a bill, with an optional client_scan_id like the other scans.
asio::awaitable<Response> add_parent(RequestContext& ctx, Deps& d) {
  std::string parent;
  std::optional<std::string> client_scan_id;
  read_string_fields(ctx.req, {{"code", &parent}}, {{"client_scan_id", &client_scan_id}});
  // One bill's fills in order, each alone in its group: a fill decides on the bill and on the parent.
  const storage::WriteOptions order = storage::write_affinity(services::code_or_raw(ctx.req.param("code")));
  const services::ScanCall<services::BillFill> call =
      co_await call_scan<services::BillFill>(ctx, d, services::add_parent_to_bill, fill_answer,
                                             client_scan_id_of(client_scan_id), order, ctx.req.param("code"),
                                             std::move(parent));
  if (!call.replay && call.outcome.result == domain::BillAddResult::added) publish_bill(ctx, d, *call.outcome.bill, "add_parent");
  co_return answer_response(call.answer);
}

asio::awaitable<Response> remove_parent(RequestContext& ctx, Deps& d) {
  auto code = ctx.req.param("code");
  auto parent = ctx.req.param("parent");
  const services::Bill bill = co_await call_write(ctx, d, services::remove_parent_from_bill, code, parent);
  publish_bill(ctx, d, bill, "remove_parent");
  co_return http::json_response(200, bill_json(bill));
}

asio::awaitable<Response> complete(RequestContext& ctx, Deps& d) {
  auto code = ctx.req.param("code");
  const services::Bill bill = co_await call_write(ctx, d, services::complete_bill, code);
  publish_bill(ctx, d, bill, "complete");
  co_return http::json_response(200, bill_json(bill));
}

asio::awaitable<Response> reopen(RequestContext& ctx, Deps& d) {
  auto code = ctx.req.param("code");
  const services::Bill bill = co_await call_write(ctx, d, services::reopen_bill, code);
  publish_bill(ctx, d, bill, "reopen");
  co_return http::json_response(200, bill_json(bill));
}

}  // namespace

std::span<const RouteRow> bills_routes() {
  static const RouteRow rows[] = {
      {"POST", "/api/v1/bills", kEdit, create},
      {"GET", "/api/v1/bills", Access::any_user(), list},
      {"GET", "/api/v1/bills/{code}", Access::any_user(), show},
      {"GET", "/api/v1/bills/{code}/report.csv", Access::any_user(), report},
      {"PATCH", "/api/v1/bills/{code}", kEdit, update},
      {"DELETE", "/api/v1/bills/{code}", Access::to(domain::Permission::delete_bills), remove},
      {"POST", "/api/v1/bills/{code}/parents", kEdit, add_parent},
      {"DELETE", "/api/v1/bills/{code}/parents/{parent}", kEdit, remove_parent},
      {"POST", "/api/v1/bills/{code}/complete", kEdit, complete},
      {"POST", "/api/v1/bills/{code}/reopen", Access::to(domain::Permission::reopen_bills), reopen},
  };
  return rows;
}

}  // namespace tt::api
