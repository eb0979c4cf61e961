// GET /metrics: the Prometheus text exposition (util/metrics lists every metric). For any signed-in
// caller: a monitoring system scrapes it with an API token of a user made for it (a dispatcher is
// enough), so nothing about the depot is open to the network without a credential.
#include "api/deps.hpp"
#include "api/routes.hpp"
#include "events/hub.hpp"
#include "services/sync_depot.hpp"
#include "storage/job.hpp"
#include "sync/pusher.hpp"
#include "storage/database.hpp"
#include "util/metrics.hpp"

namespace tt::api {

namespace {

http::asio::awaitable<http::Response> metrics(http::RequestContext&, Deps& d) {
  const storage::DbStats db = d.db.stats();
  util::ScrapeValues v;
  v.backend = d.db.dialect() == storage::Dialect::postgres ? "postgresql" : "sqlite";
  if (db.pool_open && db.pool_idle) {
    v.pool_idle = *db.pool_idle;
    v.pool_busy = *db.pool_open - *db.pool_idle;
  }
  v.pool_waiting = db.pool_waiting;
  v.pool_waits_total = db.pool_waits_total;
  v.write_queue = db.write_queue;
  v.write_groups_total = db.write_groups_total;
  v.write_jobs_total = db.write_jobs_total;
  v.commit_seconds_total = db.commit_seconds_total;
  v.write_refused_total = db.write_refused_total;
  v.checkpoints_total = db.checkpoints_total;
  v.checkpoint_seconds_total = db.checkpoint_seconds_total;
  v.wal_pages_total = db.wal_pages_total;
  v.wal_bytes = db.wal_bytes;
  v.event_stream_clients = d.hub.subscriber_count();
  const services::SyncFigures sync = co_await d.db.read(storage::job(services::sync_figures));
  if (sync.depot.depot) {
    v.sync_backlog_ops = sync.depot.backlog.ops;
    if (sync.depot.depot->last_success_at) v.sync_last_success_seconds = static_cast<double>(*sync.depot.depot->last_success_at) / 1e6;
  }
  if (d.pusher) v.sync_errors = d.pusher->view().errors;
  v.sync_conflicts_open = sync.conflicts_open;
  v.sync_site_lag = sync.site_lag;
  http::Response r;
  r.content_type = "text/plain; version=0.0.4; charset=utf-8";
  r.body = util::metrics().render(v);
  r.header("Cache-Control", "no-store");
  co_return r;
}

}  // namespace

std::span<const RouteRow> metrics_routes() {
  static const RouteRow rows[] = {
      {"GET", "/metrics", http::Access::any_user(), metrics},
  };
  return rows;
}

}  // namespace tt::api
