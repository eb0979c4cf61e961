// Bags (SPEC §3.3, §3.5, §4):
//   GET /api/v1/bags/{code}                 detail with parent or children, bill, weight, history
//   GET /api/v1/bags?q=&exact=&type=&area=&bill=&from=&to=&page=&per_page=   search
//   POST /api/v1/bags/{code}/relink {parent}   move a child to another parent
//   DELETE /api/v1/bags/{code}/link            free a child
//   POST /api/v1/bags/{code}/area {area}       billers, admins: move a parent and its children to another area
//   DELETE /api/v1/bags/{code}                 admin: delete a bag (children are freed)
// A dispatcher sees and changes only bags of their own area; others answer 404.
#include <nlohmann/json.hpp>

#include "api/deps.hpp"
#include "api/json_shapes.hpp"
#include "api/request_fields.hpp"
#include "api/routes.hpp"
#include "domain/bill_rules.hpp"
#include "domain/errors.hpp"
#include "services/bags.hpp"
#include "services/links.hpp"
#include "storage/database.hpp"
#include "util/time.hpp"

namespace tt::api {

namespace {

using http::Access;
using http::RequestContext;
using http::Response;

asio::awaitable<Response> show(RequestContext& ctx, Deps& d) {
  auto code = ctx.req.param("code");
  const services::BagDetail bag = co_await call_read(ctx, d, services::get_bag, code);
  co_return http::json_response(200, bag_json(bag, true));
}

nlohmann::json deleted_json(const services::DeletedBag& d) {
  return nlohmann::json{{"code", d.code},
                        {"type", d.type},
                        {"parent", d.parent ? nlohmann::json(*d.parent) : nlohmann::json(nullptr)},
                        {"bill", d.bill ? nlohmann::json(*d.bill) : nlohmann::json(nullptr)},
                        {"children_freed", d.children_freed}};
}


asio::awaitable<Response> search(RequestContext& ctx, Deps& d) {
  services::BagSearch s;
  s.code = query_text(ctx.req, "q");
  if (auto exact = query_text(ctx.req, "exact")) s.exact = truthy(*exact);
  if (auto type = query_text(ctx.req, "type")) {
    if (*type != "parent" && *type != "child") {
      throw domain::Failure(domain::Error::invalid_request, "The parameter 'type' must be parent or child.");
    }
    s.type = *type;
  }
  s.area = query_text(ctx.req, "area");
  s.bill = query_text(ctx.req, "bill");
  s.site = query_text(ctx.req, "site");
  const util::TimeZone zone = co_await depot_time_zone(d);
  const domain::TimeRange created = query_range(ctx.req, zone);
  s.from = created.from;
  s.to = created.until;
  s.page = query_int(ctx.req, "page", 1, 1000000).value_or(1);
  s.per_page = query_int(ctx.req, "per_page", 1, services::kMaxPerPage).value_or(50);
  const services::BagPage page = co_await call_read(ctx, d, services::search_bags, s);
  nlohmann::json bags = nlohmann::json::array();
  for (const auto& b : page.bags) bags.push_back(bag_summary_json(b));
  co_return http::json_response(
      200, {{"bags", std::move(bags)}, {"page", s.page}, {"per_page", s.per_page}, {"has_more", page.has_more}});
}

void publish_link_change(const RequestContext& ctx, Deps& d, const services::LinkChange& change, const char* action) {
  if (!has_listeners(d)) return;
  nlohmann::json data = link_change_json(change);
  data["action"] = action;
  data["user"] = ctx.principal().username;
  data["at"] = util::format_iso8601(util::now_us());
  publish(d, "link", data, change.area_id);
}

asio::awaitable<Response> relink(RequestContext& ctx, Deps& d) {
  std::string parent;
  read_string_fields(ctx.req, {{"parent", &parent}});
  auto code = ctx.req.param("code");
  const services::LinkChange change = co_await call_write(ctx, d, services::relink, code, parent);
  if (change.result != services::LinkResult::already_linked) publish_link_change(ctx, d, change, "relink");
  co_return http::json_response(200, link_change_json(change));
}

asio::awaitable<Response> unlink(RequestContext& ctx, Deps& d) {
  auto code = ctx.req.param("code");
  const services::LinkChange change = co_await call_write(ctx, d, services::unlink, code);
  publish_link_change(ctx, d, change, "unlink");
  co_return http::json_response(200, link_change_json(change));
}

nlohmann::json transfer_json(const services::AreaTransfer& t) {
  return nlohmann::json{{"code", t.code},
                        {"from", t.from.empty() ? nlohmann::json(nullptr) : nlohmann::json(t.from)},
                        {"to", t.to},
                        {"children", t.children},
                        {"moved", t.moved}};
}

asio::awaitable<Response> transfer(RequestContext& ctx, Deps& d) {
  std::string area;
  read_string_fields(ctx.req, {{"area", &area}});
  auto code = ctx.req.param("code");
  const services::AreaTransfer moved = co_await call_write(ctx, d, services::transfer_bag, code, area);
  nlohmann::json body = transfer_json(moved);
  if (moved.moved && has_listeners(d)) {
    // The area it joined and the one it left both hear of it, once (a dispatcher only hears of
    // their own).
    nlohmann::json data = body;
    data["user"] = ctx.principal().username;
    data["at"] = util::format_iso8601(util::now_us());
    publish(d, "area_transfer", data, moved.to_id, moved.from_id);
  }
  co_return http::json_response(200, body);
}

asio::awaitable<Response> remove(RequestContext& ctx, Deps& d) {
  const services::DeletedBag deleted = co_await call_write(ctx, d, services::delete_bag, ctx.req.param("code"));
  const nlohmann::json body = deleted_json(deleted);
  publish(d, "bag_delete", body, deleted.area_id);
  co_return http::json_response(200, {{"deleted", body}});
}

}  // namespace

std::span<const RouteRow> bags_routes() {
  static const RouteRow rows[] = {
      {"GET", "/api/v1/bags", Access::any_user(), search},
      {"GET", "/api/v1/bags/{code}", Access::any_user(), show},
      {"POST", "/api/v1/bags/{code}/relink", Access::any_user(), relink},
      {"DELETE", "/api/v1/bags/{code}/link", Access::any_user(), unlink},
      {"POST", "/api/v1/bags/{code}/area", Access::to(domain::Permission::transfer_bags), transfer},
      {"DELETE", "/api/v1/bags/{code}", Access::to(domain::Permission::delete_bags), remove},
  };
  return rows;
}

}  // namespace tt::api
