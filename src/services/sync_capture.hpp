// The depot's half of "every change reaches head office" (SPEC §8 "Up"): the outbox operation of
// a change, written in the change's own transaction, so that the change and its operation commit
// or vanish together. Only where the database captures changes (storage::Tx::captures_changes:
// a depot's SQLite with an upstream); elsewhere each call returns at once.
//
// Every change of state is audited, so record_audit is the one place that captures changes: the
// kind of the operation follows from the audit action (domain::sync_op_of), and the operation
// carries the audit row whole (head office stores it with the same uid). Scan events are the
// other rows the depot sends (record_scan); the link a child scan makes travels inside its scan
// event's operation, so that the scan costs the depot one outbox row. That row is a reference to
// the scan event and audit entry, which hold every field of the operation already: the operation
// is built from them when it is pushed (operation_text), off the scan's path.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>

#include "domain/audit_actions.hpp"
#include "domain/sync_ops.hpp"
#include "storage/database.hpp"
#include "storage/tables/audit_log.hpp"
#include "storage/tables/bags.hpp"
#include "storage/tables/scan_events.hpp"
#include "storage/tables/sync_outbox.hpp"

namespace tt::services {

namespace asio = boost::asio;

// The operation of an audited change: a reference to the audit entry (storage::NewOutboxOp), built
// when pushed. `extra` is merged into the operation's data (the rows the change created, by uid);
// `area_id` names the area of such a row (sent beside the operation as its area).
asio::awaitable<void> capture_audit(storage::Tx& tx, domain::AuditAction action, const storage::NewAuditRow& row,
                                    const nlohmann::json& extra, std::optional<std::int64_t> area_id);

// The change a scan made (its link), to travel inside the scan event's operation rather than as a
// row of its own: a child scan writes one outbox row, not two.
struct ScanEffect {
  std::string audit_uid;             // the audit entry of the change
  std::optional<std::string> extra;  // members merged into the effect's data, as JSON object text
};
ScanEffect scan_effect(const storage::NewAuditRow& row, const nlohmann::json& extra);

// The operation of a scan event: a reference to it, built when pushed; `effect`, the change the
// scan made, sent in its data as "effects": [operation] and applied after it.
asio::awaitable<void> capture_scan(storage::Tx& tx, const storage::ScanEventRow& row,
                                   std::optional<ScanEffect> effect = std::nullopt);

// The operation of an outbox row as it is sent ({uid, kind, at, user, data}, JSON text): its
// payload, or the operation built from the rows its reference names, in the same shape.
// Throws std::logic_error for a row it cannot build (an audit action this binary does not know);
// the pusher records it as its last error and tries again later.
std::string operation_text(const storage::OutboxRow& row);

// An operation that no audit entry carries (a bulk import's rows: one audit entry for the file):
// `data` in the shape of domain/sync_ops.hpp for `kind`.
asio::awaitable<void> capture_change(storage::Tx& tx, domain::SyncOpKind kind, const std::string& uid, std::int64_t at,
                                     const std::string& username, const nlohmann::json& data,
                                     std::optional<std::int64_t> area_id);

// The "bag" object of an operation that created `bag` (type child when it has no kind).
nlohmann::json created_bag_json(const storage::NewBag& bag);

}  // namespace tt::services
