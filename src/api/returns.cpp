// Return tickets (SPEC §3.8), billers and admins; a biller's tickets are of their area:
//   POST   /api/v1/returns {code, note?, area?}          open a ticket (area: admins only)
//   GET    /api/v1/returns?status=open|committed|cancelled
//   GET    /api/v1/returns/{code}                        the ticket and its bags
//   POST   /api/v1/returns/{code}/bags {code, client_scan_id?}   scan a parent bag onto it
//   DELETE /api/v1/returns/{code}/bags/{parent}          take a mistaken one off
//   POST   /api/v1/returns/{code}/commit                 every bag comes off its bill
//   POST   /api/v1/returns/{code}/cancel                 nothing changes but the ticket
#include <nlohmann/json.hpp>

#include "api/deps.hpp"
#include "api/json_shapes.hpp"
#include "api/replayable_scan.hpp"
#include "api/request_fields.hpp"
#include "api/routes.hpp"
#include "domain/role.hpp"
#include "services/input_codes.hpp"
#include "services/returns.hpp"

namespace tt::api {

namespace {

using http::Access;
using http::RequestContext;
using http::Response;

const Access kReturns = Access::to(domain::Permission::handle_returns);

void publish_return(Deps& d, const services::ReturnDetail& r, const char* change) {
  if (!has_listeners(d)) return;
  nlohmann::json data;
  data["change"] = change;
  data["code"] = r.ticket.code;
  data["status"] = domain::to_string(r.ticket.status);
  publish(d, "return", data, r.ticket.area_id);
}

asio::awaitable<Response> create(RequestContext& ctx, Deps& d) {
  const nlohmann::json body = ctx.req.json_body();
  reject_unknown_fields(body, {"code", "note", "area"});
  services::NewReturn ticket;
  ticket.code = required_string(body, "code");
  ticket.note = optional_string(body, "note").value_or("");
  ticket.area = optional_string(body, "area");
  const services::ReturnDetail r = co_await call_write(ctx, d, services::create_return, ticket);
  publish_return(d, r, "create");
  co_return http::json_response(201, return_json(r));
}

asio::awaitable<Response> list(RequestContext& ctx, Deps& d) {
  auto status = query_text(ctx.req, "status");
  const auto tickets = co_await call_read(ctx, d, services::list_returns, status);
  nlohmann::json out = nlohmann::json::array();
  for (const auto& t : tickets) out.push_back(return_ticket_json(t));
  co_return http::json_response(200, {{"returns", out}});
}

asio::awaitable<Response> show(RequestContext& ctx, Deps& d) {
  auto code = ctx.req.param("code");
  const services::ReturnDetail r = co_await call_read(ctx, d, services::find_return, code);
  co_return http::json_response(200, return_json(r));
}

services::ScanAnswer add_answer(const services::ReturnAdd& add) {
  if (add.refusal) return refusal_answer(*add.refusal);
  const nlohmann::json body{{"result", domain::to_string(add.result)}, {"bag", add.bag}};
  const int status = add.result == domain::ReturnAddResult::added ? 201 : 200;
  return services::ScanAnswer{status, http::json_response(status, body).body};
}

asio::awaitable<Response> add_bag(RequestContext& ctx, Deps& d) {
  std::string bag;
  std::optional<std::string> client_scan_id;
  read_string_fields(ctx.req, {{"code", &bag}}, {{"client_scan_id", &client_scan_id}});
  const storage::WriteOptions order = storage::write_affinity(services::code_or_raw(ctx.req.param("code")));
  const services::ScanCall<services::ReturnAdd> call =
      co_await call_scan<services::ReturnAdd>(ctx, d, services::add_to_return, add_answer,
                                              client_scan_id_of(client_scan_id), order, ctx.req.param("code"),
                                              std::move(bag));
  if (!call.replay && call.outcome.result == domain::ReturnAddResult::added && has_listeners(d)) {
    nlohmann::json data;
    data["change"] = "add_bag";
    data["code"] = ctx.req.param("code");
    publish(d, "return", data, call.outcome.area_id);
  }
  co_return answer_response(call.answer);
}

asio::awaitable<Response> remove_bag(RequestContext& ctx, Deps& d) {
  auto code = ctx.req.param("code");
  auto bag = ctx.req.param("parent");
  const services::ReturnDetail r = co_await call_write(ctx, d, services::remove_from_return, code, bag);
  publish_return(d, r, "remove_bag");
  co_return http::json_response(200, return_json(r));
}

asio::awaitable<Response> commit(RequestContext& ctx, Deps& d) {
  auto code = ctx.req.param("code");
  const services::ReturnDetail r = co_await call_write(ctx, d, services::commit_return, code);
  publish_return(d, r, "commit");
  // Bills lost parents: their pages and the dashboard read their figures again.
  for (const auto& b : r.bags) {
    if (!b.bill || !has_listeners(d)) continue;
    nlohmann::json data;
    data["change"] = "return";
    data["code"] = *b.bill;
    publish(d, "bill", data, r.ticket.area_id);
  }
  co_return http::json_response(200, return_json(r));
}

asio::awaitable<Response> cancel(RequestContext& ctx, Deps& d) {
  auto code = ctx.req.param("code");
  const services::ReturnDetail r = co_await call_write(ctx, d, services::cancel_return, code);
  publish_return(d, r, "cancel");
  co_return http::json_response(200, return_json(r));
}

}  // namespace

std::span<const RouteRow> returns_routes() {
  static const RouteRow rows[] = {
      {"POST", "/api/v1/returns", kReturns, create},
      {"GET", "/api/v1/returns", kReturns, list},
      {"GET", "/api/v1/returns/{code}", kReturns, show},
      {"POST", "/api/v1/returns/{code}/bags", kReturns, add_bag},
      {"DELETE", "/api/v1/returns/{code}/bags/{parent}", kReturns, remove_bag},
      {"POST", "/api/v1/returns/{code}/commit", kReturns, commit},
      {"POST", "/api/v1/returns/{code}/cancel", kReturns, cancel},
  };
  return rows;
}

}  // namespace tt::api
