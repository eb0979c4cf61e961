#include "services/sync_depot.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

#include "domain/errors.hpp"
#include "domain/sync_ops.hpp"
#include "services/sync_capture.hpp"
#include "storage/tables/settings.hpp"
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
  // The newest kept, or what head office acknowledged when the outbox was pruned empty.
  out.last_seq = std::max(co_await storage::sync_outbox::last_seq(tx), out.depot.acked_seq);
  out.first_kept = co_await storage::sync_outbox::first_seq(tx);
  co_return out;
}

namespace {

// The setting's value: the stored one when it is a whole number in bounds, else the default.
int retention_days(const storage::StoredSettings& stored) {
  auto it = stored.find(domain::kSyncRetentionDaysKey);
  if (it == stored.end()) return domain::kDefaultSyncRetentionDays;
  const nlohmann::json v = nlohmann::json::parse(it->second, nullptr, false);
  // As the setting's check accepts it: a whole number, written 60 or 60.0.
  if (!v.is_number() || v.get<double>() != std::floor(v.get<double>())) return domain::kDefaultSyncRetentionDays;
  const auto days = static_cast<std::int64_t>(v.get<double>());
  if (days < 1 || days > domain::kMaxSyncRetentionDays) return domain::kDefaultSyncRetentionDays;
  return static_cast<int>(days);
}

}  // namespace

asio::awaitable<std::int64_t> prune_outbox(storage::Tx& tx) {
  const auto depot = co_await storage::sync_depot::read(tx);
  if (!depot) co_return 0;
  std::vector<std::string> keys{domain::kSyncRetentionDaysKey};
  const storage::StoredSettings stored = co_await storage::settings::read_keys(tx, std::move(keys));
  const std::int64_t before = util::now_us() - static_cast<std::int64_t>(retention_days(stored)) * 86400LL * 1000000LL;
  co_return co_await storage::sync_outbox::prune(tx, depot->acked_seq, before);
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
