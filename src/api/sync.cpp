// Synchronisation (SPEC §8).
// Called by depots with their site's sync token (http::Access::sites):
//   GET  /api/v1/sync/state      the handshake before a push: {site, name, applied_through,
//                                protocol, server_time}. Head office owns the cursor:
//                                applied_through is the last operation of this site it applied.
//   POST /api/v1/sync/push       a batch {site, batch, ops: [{seq, uid, kind, at, user, area, data}]}
//                                (services/sync_apply.hpp), applied in one transaction and answered
//                                after it committed: 200 {applied_through, applied, duplicates,
//                                conflicts, server_time}; 409 sync_gap {expected_seq}; 409
//                                sync_divergent_op {seq}; 422 sync_unsupported; 403 (another site,
//                                another site's area); 413 (over 500 operations or the body limit).
//   GET  /api/v1/sync/feed       ?after=SEQ&uid=UID: what head office sends the site (areas,
//                                users of its areas, settings) after the feed row it applied last
//                                (services/sync_feed.hpp): {reset, through, through_uid, more,
//                                items: [{seq, kind, key, data}]}
// Read by administrators:
//   GET  /api/v1/sync/conflicts  ?status=open|resolved|dismissed&site=UID&kind=&entity=&key=
//                                &older_than_days=N -> {conflicts: [{uid, kind, entity, key, site,
//                                op_uid, detail, status, summary, created_at, resolutions,
//                                resolution, resolution_words, resolved_by, resolved_at}]}: every
//                                site's at head office, a depot's own at a depot (from the feed);
//                                resolutions: what a person may choose (none at a depot)
//   POST /api/v1/sync/conflicts/{uid}/resolve {resolution}  head office: 200 {conflict};
//                                404; 409 resolved already, or at a depot; 422 a resolution the
//                                kind does not allow, or the relink's own refusals
//                                (services/sync_resolve.hpp)
//   GET  /api/v1/sync/status     the depot's pusher: {state: off|ok|retrying|blocked|diverged,
//                                reason, backlog_ops, oldest_unsent_at, last_success_at,
//                                last_error, last_error_at, acked_seq, upstream, site,
//                                feed_seq, last_pull_at, items_received}
//   POST /api/v1/sync/retry      the depot's "try again now": reads the sync token file again,
//                                leaves blocked or diverged, ends a backoff; 202 with the status.
//                                409 when the server has no upstream, or its sync token file
//                                cannot be read (the state stays as it was)
#include <nlohmann/json.hpp>

#include <limits>

#include "api/deps.hpp"
#include "api/json_shapes.hpp"
#include "api/request_fields.hpp"
#include "api/routes.hpp"
#include "domain/conflict_resolutions.hpp"
#include "domain/errors.hpp"
#include "domain/sync_ops.hpp"
#include "services/sites.hpp"
#include "services/sync_apply.hpp"
#include "services/sync_depot.hpp"
#include "services/sync_feed.hpp"
#include "services/sync_resolve.hpp"
#include "services/sync_disputes.hpp"
#include "sync/pusher.hpp"
#include "util/time.hpp"

namespace tt::api {

namespace asio = boost::asio;
using http::Access;
using http::RequestContext;
using http::Response;

namespace {

const Access kAdmin = Access::to(domain::Permission::administer);

asio::awaitable<Response> state(RequestContext& ctx, Deps& d) {
  const std::string uid = ctx.principal().site_uid;
  const services::Site site = co_await call_read(ctx, d, services::get_site, uid);
  co_return http::json_response(200, {{"site", site.uid},
                                      {"name", site.name},
                                      {"applied_through", site.acked_seq},
                                      {"protocol", {domain::kOldestSyncProtocol, domain::kSyncProtocol}},
                                      {"server_time", util::format_iso8601(util::now_us())}});
}

asio::awaitable<Response> push(RequestContext& ctx, Deps& d) {
  const auto& principal = ctx.principal();
  if (auto version = ctx.req.header("tracetrack-sync")) {
    const std::string v(*version);
    bool known = false;
    for (int p = domain::kOldestSyncProtocol; p <= domain::kSyncProtocol; ++p) known = known || v == std::to_string(p);
    if (!known) {
      throw domain::Failure(domain::Error::sync_unsupported,
                            "This head office speaks synchronisation protocols " + std::to_string(domain::kOldestSyncProtocol) +
                                " to " + std::to_string(domain::kSyncProtocol) + ", not " + v + ": upgrade head office first.");
    }
  }
  services::PushBatch batch = services::parse_push(ctx.req.json_body(), principal.site_uid);
  const services::Site site = co_await call_read(ctx, d, services::get_site, principal.site_uid);
  const services::PushingSite pushing{site.id, site.uid, site.name};
  services::SettingsPtr settings = co_await current_settings(d);
  const services::PushOutcome out = co_await call_write_alone(ctx, d, services::apply_push, pushing, std::move(batch), settings);
  if (out.expected_seq) {
    co_return http::json_response(
        409, {{"error", {{"code", "sync_gap"},
                         {"message", "Head office expects operation " + std::to_string(*out.expected_seq) + " next."}}},
              {"expected_seq", *out.expected_seq}});
  }
  if (out.divergent_seq) {
    co_return http::json_response(
        409, {{"error", {{"code", "sync_divergent_op"},
                         {"message", "Operation " + std::to_string(*out.divergent_seq) +
                                         " differs from the one head office applied: this is not the database head "
                                         "office heard from as this site."}}},
              {"seq", *out.divergent_seq}});
  }
  co_return http::json_response(200, out.answer);
}

asio::awaitable<Response> feed(RequestContext& ctx, Deps& d) {
  const std::int64_t after = query_int(ctx.req, "after", 0, std::numeric_limits<std::int64_t>::max()).value_or(0);
  std::optional<std::string> after_uid = query_text(ctx.req, "uid");
  const nlohmann::json out =
      co_await call_read(ctx, d, services::feed_for_site, ctx.principal().site_uid, after, std::move(after_uid));
  co_return http::json_response(200, out);
}

// `resolvable`: this server resolves conflicts (head office; a depot shows its own, resolved there).
nlohmann::json conflict_json(const storage::ConflictRow& c, bool resolvable) {
  nlohmann::json detail = nlohmann::json::parse(c.detail, nullptr, false);
  nlohmann::json resolutions = nlohmann::json::array();
  if (resolvable && c.status == "open") {
    for (const auto r : domain::conflict_resolutions(c.kind)) resolutions.push_back(std::string(r));
  }
  // At a depot the conflict's site is the depot itself: its name is in the detail.
  nlohmann::json site = nullptr;
  if (c.site) site = *c.site;
  else if (detail.is_object() && detail.contains("site")) site = detail["site"];
  nlohmann::json out = {{"uid", c.uid},       {"kind", c.kind},   {"entity", c.entity},
                        {"key", c.entity_key}, {"site", site},
                        {"op_uid", c.op_uid}, {"detail", detail}, {"status", c.status}, {"summary", services::describe_conflict(c)},
                        {"created_at", util::format_iso8601(c.created_at)}, {"resolutions", resolutions}};
  out["resolution"] = c.resolution ? nlohmann::json(*c.resolution) : nlohmann::json(nullptr);
  out["resolution_words"] = c.resolution ? nlohmann::json(std::string(domain::resolution_words(*c.resolution)))
                                         : nlohmann::json(nullptr);
  out["resolved_by"] = c.resolved_by ? nlohmann::json(*c.resolved_by) : nlohmann::json(nullptr);
  out["resolved_at"] = opt_time(c.resolved_at);
  return out;
}

asio::awaitable<Response> resolve(RequestContext& ctx, Deps& d) {
  if (d.pusher) {
    throw domain::Failure(domain::Error::conflict,
                          "Conflicts are resolved at head office: this depot shows its own, and applies what head office decides.");
  }
  auto uid = ctx.req.param("uid");
  const nlohmann::json body = ctx.req.json_body();
  reject_unknown_fields(body, {"resolution"});
  std::string resolution = required_string(body, "resolution");
  const storage::ConflictRow c = co_await call_write(ctx, d, services::resolve_conflict, uid, std::move(resolution));
  co_return http::json_response(200, {{"conflict", conflict_json(c, true)}});
}

asio::awaitable<Response> conflicts(RequestContext& ctx, Deps& d) {
  const auto& req = ctx.req;
  services::ConflictQuery q;
  q.status = query_text(req, "status");
  if (q.status && *q.status != "open" && *q.status != "resolved" && *q.status != "dismissed") {
    throw domain::Failure(domain::Error::invalid_request, "status is open, resolved or dismissed.");
  }
  q.site = query_text(req, "site");
  q.kind = query_text(req, "kind");
  q.entity = query_text(req, "entity");
  q.key = query_text(req, "key");
  q.older_than_days = query_int(req, "older_than_days", 0, 3650);
  q.limit = query_int(req, "limit", 1, 1000).value_or(200);
  const auto rows = co_await call_read(ctx, d, services::list_sync_conflicts, std::move(q));
  nlohmann::json list = nlohmann::json::array();
  const bool resolvable = d.pusher == nullptr;
  for (const auto& c : rows) list.push_back(conflict_json(c, resolvable));
  co_return http::json_response(200, {{"conflicts", std::move(list)}});
}

asio::awaitable<Response> status_response(RequestContext& ctx, Deps& d, int http_status);

asio::awaitable<Response> status(RequestContext& ctx, Deps& d) { co_return co_await status_response(ctx, d, 200); }

asio::awaitable<Response> retry(RequestContext& ctx, Deps& d) {
  if (!d.pusher) {
    throw domain::Failure(domain::Error::conflict, "This server sends nothing to head office: it was started without --upstream.");
  }
  try {
    d.pusher->retry();
  } catch (const std::runtime_error& e) {
    throw domain::Failure(domain::Error::conflict, std::string("Cannot try again: ") + e.what());
  }
  co_return co_await status_response(ctx, d, 202);
}

asio::awaitable<Response> status_response(RequestContext& ctx, Deps& d, int http_status) {
  const services::DepotSyncStatus s = co_await call_read(ctx, d, services::depot_sync_status);
  nlohmann::json out;
  if (!d.pusher) {
    out["state"] = "off";
  } else {
    const sync::PusherView v = d.pusher->view();
    out["state"] = v.state;
    out["reason"] = v.reason ? nlohmann::json(*v.reason) : nlohmann::json(nullptr);
    out["ops_pushed"] = v.ops_pushed;
    out["items_received"] = v.items_received;
    out["upstream"] = d.upstream;
  }
  out["site"] = s.depot ? nlohmann::json(s.depot->site_uid) : nlohmann::json(nullptr);
  out["backlog_ops"] = s.backlog.ops;
  out["oldest_unsent_at"] = opt_time(s.backlog.oldest_at);
  out["acked_seq"] = s.depot ? s.depot->acked_seq : 0;
  out["last_success_at"] = opt_time(s.depot ? s.depot->last_success_at : std::nullopt);
  out["last_error"] = s.depot && s.depot->last_error ? nlohmann::json(*s.depot->last_error) : nlohmann::json(nullptr);
  out["last_error_at"] = opt_time(s.depot ? s.depot->last_error_at : std::nullopt);
  out["feed_seq"] = s.feed.seq;
  out["last_pull_at"] = opt_time(s.feed.last_pull_at);
  co_return http::json_response(http_status, out);
}

}  // namespace

std::span<const RouteRow> sync_routes() {
  static const RouteRow rows[] = {
      {"GET", "/api/v1/sync/state", Access::sites(), state},
      {"POST", "/api/v1/sync/push", Access::sites(), push},
      {"GET", "/api/v1/sync/feed", Access::sites(), feed},
      {"GET", "/api/v1/sync/conflicts", kAdmin, conflicts},
      {"POST", "/api/v1/sync/conflicts/{uid}/resolve", kAdmin, resolve},
      {"GET", "/api/v1/sync/status", kAdmin, status},
      {"POST", "/api/v1/sync/retry", kAdmin, retry},
  };
  return rows;
}

}  // namespace tt::api
