// A depot's side of synchronisation that touches its database (SPEC §8 "Up"): turning it on, the
// batches the pusher sends, what head office answered, and the status an administrator reads.
// The pusher itself (sync/pusher.hpp) does the talking.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.hpp"
#include "storage/tables/sync_feed.hpp"
#include "storage/tables/sync_outbox.hpp"

namespace tt::services {

namespace asio = boost::asio;

// What enable_sync did.
struct SyncEnabled {
  bool first_time = false;   // the outbox was started now
  std::int64_t snapshot_ops = 0;  // operations written for what the database already held
};

// Turns synchronisation on for this database as site `site_uid`. The first time, writes the
// snapshot of everything the database holds into the outbox (same pipe, same order as later
// changes), in this transaction. Refuses (Failure invalid_request) a database that pushes as
// another site: one database is one site, or head office would merge two depots' histories.
asio::awaitable<SyncEnabled> enable_sync(storage::Tx& tx, std::string site_uid);

// The next operations after the acknowledged one (at most `limit`), and the depot's state.
struct OutboxBatch {
  storage::SyncDepotRow depot;
  std::vector<storage::OutboxOp> ops;
  std::int64_t last_seq = 0;  // the newest operation written (kept, or acknowledged and pruned)
  std::optional<std::int64_t> first_kept;  // the oldest operation kept (older ones were pruned)
};
asio::awaitable<OutboxBatch> next_batch(storage::Tx& tx, std::int64_t limit);

// Removes the operations head office acknowledged more than sync_retention_days ago (the setting,
// default 30): a head office restored from a backup at most that old asks for the rest again and
// gets them. Returns how many were removed.
asio::awaitable<std::int64_t> prune_outbox(storage::Tx& tx);

// Whether the outbox holds operations head office has not acknowledged.
asio::awaitable<bool> outbox_waiting(storage::Tx& tx);

asio::awaitable<void> record_push_success(storage::Tx& tx, std::int64_t acked_seq);
asio::awaitable<void> record_push_error(storage::Tx& tx, std::string error, std::optional<std::string> blocked);
// Head office holds less than acknowledged (it was restored, or asked for an earlier sequence):
// send again from after `acked_seq`. Acknowledged operations are kept sync_retention_days, so
// nothing is lost (the pusher stops, saying so, when head office asks for older ones).
asio::awaitable<void> rewind_push(storage::Tx& tx, std::int64_t acked_seq);

// GET /api/v1/sync/status, the part the database knows.
struct DepotSyncStatus {
  std::optional<storage::SyncDepotRow> depot;  // none: synchronisation never enabled
  storage::OutboxBacklog backlog;
  storage::FeedCursor feed;  // where the depot is in head office's feed (SPEC §8 "Down")
};
asio::awaitable<DepotSyncStatus> depot_sync_status(storage::Tx& tx);

// What GET /metrics shows of synchronisation, in one read: the depot's status when it pushes, the
// open conflicts, and each registered site's lag (head office).
struct SyncFigures {
  DepotSyncStatus depot;
  std::int64_t conflicts_open = 0;
  std::vector<std::pair<std::string, std::int64_t>> site_lag;  // site name, operations
};
asio::awaitable<SyncFigures> sync_figures(storage::Tx& tx);

}  // namespace tt::services
