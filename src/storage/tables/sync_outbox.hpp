// A depot's synchronisation tables (SPEC §8 "Up"): sync_outbox, the operations waiting for head
// office in commit order, and sync_depot, the pusher's state. SQLite only (a depot's database):
// the outbox is written by services/sync_capture in each change's transaction, read and
// acknowledged by the pusher (sync/pusher.hpp).
#pragma once

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.hpp"
#include "storage/tables/audit_log.hpp"
#include "storage/tables/scan_events.hpp"

namespace tt::storage {

// An operation to append (SPEC §8 "Up"), in one of two shapes:
//   * with `payload`: the operation's whole JSON as it is sent ({uid, kind, at, user, data});
//   * without: a reference. The operation is built when pushed from the scan event (kind "scan")
//     or the audit entry (any other kind) whose uid is `uid`: both tables are append-only, so
//     what is pushed is what was written, and a child scan writes a few dozen bytes here, not its
//     operation's 800 (bench/outbox-cost). `extra` is the text of a JSON object whose members go
//     into the operation's data (the uids of the rows the change created); for a scan, into the
//     data of its effect, the audit entry `effect_uid` (the link the scan made).
// `area_id` is the area of the operation's row; the pusher sends its name beside the operation.
struct NewOutboxOp {
  std::string uid;
  std::string kind;
  std::int64_t at = 0;
  std::optional<std::string> payload;
  std::optional<std::int64_t> area_id;
  std::optional<std::string> extra;
  std::optional<std::string> effect_uid;
};

// An operation as the pusher sends it.
struct OutboxOp {
  std::int64_t seq = 0;
  std::string payload;              // JSON {uid, kind, at, user, data}
  std::optional<std::string> area;  // the name of the operation's area, sent beside it
};

// An outbox row as stored, with the history rows a reference names (services/sync_capture
// builds the operation of it).
struct OutboxRow {
  std::int64_t seq = 0;
  std::string uid;
  std::string kind;
  std::int64_t at = 0;
  std::optional<std::string> payload;  // set: the whole operation
  std::optional<std::string> area;     // the name of area_id
  std::optional<std::string> extra;
  std::optional<ScanEventRow> scan;      // kind "scan" without payload: the scan event
  std::optional<std::string> scan_user;  // its user's name
  std::optional<NewAuditRow> audit;      // any other kind without payload: the audit entry; for a scan, its effect's
};

// What waits: operations after the acknowledged one, and the time of the oldest.
struct OutboxBacklog {
  std::int64_t ops = 0;
  std::optional<std::int64_t> oldest_at;  // microseconds since the epoch
  std::int64_t last_seq = 0;              // the newest operation written (0: none)
};

// The pusher's state (one row once synchronisation is enabled).
struct SyncDepotRow {
  std::string site_uid;
  std::int64_t enabled_at = 0;
  std::int64_t acked_seq = 0;
  std::optional<std::int64_t> last_success_at;
  std::optional<std::string> last_error;
  std::optional<std::int64_t> last_error_at;
  std::optional<std::string> blocked;  // why pushing stopped until an operator acts
};

namespace sync_outbox {

asio::awaitable<void> append(Tx& tx, const NewOutboxOp& op);
// Up to `limit` rows with seq > `after`, in order, with the rows their references name (one
// statement; each reference an index probe by uid). Throws DbError when a reference names no row.
asio::awaitable<std::vector<OutboxRow>> after(Tx& tx, std::int64_t after, std::int64_t limit);
asio::awaitable<OutboxBacklog> backlog(Tx& tx, std::int64_t acked_seq);
// The newest operation written (0: none): one probe of the primary key's end.
asio::awaitable<std::int64_t> last_seq(Tx& tx);
// Removes the operations head office acknowledged (seq <= acked_seq) written before `before`
// (microseconds), from the oldest kept up to the first that is not (so what is kept has no hole);
// returns how many.
asio::awaitable<std::int64_t> prune(Tx& tx, std::int64_t acked_seq, std::int64_t before);
// The oldest operation kept (none: the outbox is empty).
asio::awaitable<std::optional<std::int64_t>> first_seq(Tx& tx);
// Whether an operation waits (one index probe: the pusher asks every second).
asio::awaitable<bool> any_unsent(Tx& tx);
// Writes, as operations in this transaction, everything the database holds that head office must
// receive (first enablement on a depot with data): bags, links, bills and their parents, then the
// scan and audit history, each row with its uid. Returns the number of operations written.
asio::awaitable<std::int64_t> snapshot(Tx& tx);

}  // namespace sync_outbox

namespace sync_depot {

asio::awaitable<std::optional<SyncDepotRow>> read(Tx& tx);
asio::awaitable<void> enable(Tx& tx, const std::string& site_uid, std::int64_t at);
// Head office applied everything through `acked_seq`; clears the error.
asio::awaitable<void> record_success(Tx& tx, std::int64_t acked_seq, std::int64_t at);
// The last attempt failed; `blocked` when retrying cannot help (the operator must act).
asio::awaitable<void> record_error(Tx& tx, std::string error, std::optional<std::string> blocked, std::int64_t at);
// Head office holds less than the depot thought (its restore, or a gap): send again from there.
asio::awaitable<void> rewind(Tx& tx, std::int64_t acked_seq);

}  // namespace sync_depot
}  // namespace tt::storage
