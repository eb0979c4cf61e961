#include "services/sync_depot.hpp"

#include "domain/errors.hpp"
#include "services/sync_capture.hpp"
#include "storage/tables/sites.hpp"
#include "storage/tables/sync_rows.hpp"
#include "util/time.hpp"

namespace tt::services {

asio::awaitable<SyncEnabled> enable_sync(storage::Tx& tx, std::string site_uid) {
  SyncEnabled out;
  auto depot = co_await storage::sync_depot::read(tx);
  if (depot) {
    if (depot->site_uid != site_uid) {
      throw domain::Failure(domain::Error::invalid_request,
                            "This database pushes to head office as site " + depot->site_uid + ", not " + site_uid +
                                ": one database is one site. Start it with --site-id " + depot->site_uid + ".");
    }
    co_return out;
  }
  co_await storage::sync_depot::enable(tx, site_uid, util::now_us());
  out.first_time = true;
  out.snapshot_ops = co_await storage::sync_outbox::snapshot(tx);
  co_return out;
}

asio::awaitable<OutboxBatch> next_batch(storage::Tx& tx, std::int64_t limit) {
  OutboxBatch out;
  auto depot = co_await storage::sync_depot::read(tx);
  if (!depot) throw domain::Failure(domain::Error::invalid_request, "Synchronisation is not enabled on this database.");
  out.depot = std::move(*depot);
  // References become operations here, on the pusher's read, off the path of the scans that wrote them.
  const std::vector<storage::OutboxRow> rows = co_await storage::sync_outbox::after(tx, out.depot.acked_seq, limit);
  out.ops.reserve(rows.size());
  for (const storage::OutboxRow& row : rows) {
    out.ops.push_back(storage::OutboxOp{row.seq, operation_text(row), row.area});
  }
  // Not the backlog's count: a pusher asks before every batch, and a day's backlog is 400,000 rows.
  out.last_seq = co_await storage::sync_outbox::last_seq(tx);
  co_return out;
}

asio::awaitable<bool> outbox_waiting(storage::Tx& tx) { co_return co_await storage::sync_outbox::any_unsent(tx); }

asio::awaitable<void> record_push_success(storage::Tx& tx, std::int64_t acked_seq) {
  co_await storage::sync_depot::record_success(tx, acked_seq, util::now_us());
}

asio::awaitable<void> record_push_error(storage::Tx& tx, std::string error, std::optional<std::string> blocked) {
  co_await storage::sync_depot::record_error(tx, std::move(error), std::move(blocked), util::now_us());
}

asio::awaitable<void> rewind_push(storage::Tx& tx, std::int64_t acked_seq) {
  co_await storage::sync_depot::rewind(tx, acked_seq);
}

asio::awaitable<DepotSyncStatus> depot_sync_status(storage::Tx& tx) {
  DepotSyncStatus out;
  out.depot = co_await storage::sync_depot::read(tx);
  out.backlog = co_await storage::sync_outbox::backlog(tx, out.depot ? out.depot->acked_seq : 0);
  out.feed = co_await storage::feed_cursor::read(tx);
  co_return out;
}

asio::awaitable<SyncFigures> sync_figures(storage::Tx& tx) {
  SyncFigures out;
  out.depot = co_await depot_sync_status(tx);
  out.conflicts_open = co_await storage::sync_conflicts::count_open(tx);
  for (const auto& site : co_await storage::sites::list(tx)) {
    out.site_lag.emplace_back(site.name, site.reported_seq - site.acked_seq);
  }
  co_return out;
}

}  // namespace tt::services
