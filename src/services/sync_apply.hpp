// Head office's half of "every change reaches head office exactly once" (SPEC §8 "Up"): one
// pushed batch applied in one transaction.
//
// The cursor is head office's: the site's row is locked first, so that one site's batches apply
// one at a time across every instance on the database while other sites apply beside them. A
// batch seen before gets its first answer again; operations at or below the cursor are
// duplicates (their uids must match what was applied: otherwise the depot is not the database
// head office heard from, 409 sync_divergent_op); a batch that starts after more than head office
// applied (its `after` is past the cursor) is refused (409 sync_gap: the depot sends again from
// expected_seq). Each operation is then
// applied by its kind's rule (domain/sync_ops.hpp). What clashes with what head office holds is
// recorded as a conflict with both sides and answered like the rest: the depot's facts happened.
// A row outside the site's areas refuses the whole batch (403), and nothing is stored.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/settings.hpp"
#include "domain/sync_ops.hpp"
#include "storage/database.hpp"
#include "storage/tables/sync_rows.hpp"

namespace tt::services {

namespace asio = boost::asio;

struct PushOp {
  std::int64_t seq = 0;
  std::string uid;
  domain::SyncOpKind kind = domain::SyncOpKind::audit;
  std::int64_t at = 0;  // microseconds since the epoch, the depot's clock
  std::optional<std::string> user;
  nlohmann::json data;
  // A scan's data.effects: the changes the scan made (a child scan's link), applied after its
  // scan event as operations of their own under the scan's seq. Never scans themselves.
  std::vector<PushOp> effects;
};

struct PushBatch {
  std::string batch;  // the batch's uid: a batch sent again is answered from the first answer
  // The sequence the depot believes head office applied last: the batch holds every operation
  // of the depot after it, in increasing seq (numbers a rolled-back change took are skipped).
  std::int64_t after = 0;
  std::int64_t last_seq = 0;  // the newest operation the depot has written (its lag, for people)
  std::vector<PushOp> ops;
};

// The pushing site, from its token (never from the body).
struct PushingSite {
  std::int64_t id = 0;
  std::string uid;
  std::string name;
};

// What the push answers: 200 with `answer` ({applied_through, applied, duplicates, conflicts:
// [{uid, kind, entity, key}], server_time}), or 409 when `gap` (expected_seq) or `divergent`.
struct PushOutcome {
  nlohmann::json answer;
  std::optional<std::int64_t> expected_seq;
  std::optional<std::int64_t> divergent_seq;
};

asio::awaitable<PushOutcome> apply_push(storage::Tx& tx, PushingSite site, PushBatch batch,
                                        std::shared_ptr<const domain::Settings> settings);

// Conflicts, newest first (GET /api/v1/sync/conflicts; `site` a site's uid).
struct ConflictQuery {
  std::optional<std::string> status, site, kind, entity, key;
  std::optional<std::int64_t> older_than_days;  // recorded more than this many days ago
  std::int64_t limit = 200;
};
asio::awaitable<std::vector<storage::ConflictRow>> list_sync_conflicts(storage::Tx& tx, ConflictQuery q);

// Reads a push body ({site, batch, after, ops: [{seq, uid, kind, at, user, area, data}]}) and checks its
// shape: throws Failure invalid_request (a field missing or of the wrong type), sync_unsupported
// (an operation kind this build does not know) or forbidden (the body names another site).
PushBatch parse_push(const nlohmann::json& body, const std::string& site_uid);

}  // namespace tt::services
