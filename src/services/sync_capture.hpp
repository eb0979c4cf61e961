// The depot's half of "every change reaches head office" (SPEC §8 "Up"): the outbox operation of
// a change, written in the change's own transaction, so that the change and its operation commit
// or vanish together. Only where the database captures changes (storage::Tx::captures_changes:
// a depot's SQLite with an upstream); elsewhere each call returns at once.
//
// Every change of state is audited, so record_audit is the one place that captures changes: the
// kind of the operation follows from the audit action (domain::sync_op_of), and the operation
// carries the audit row whole (head office stores it with the same uid). Scan events are the
// other rows the depot sends (record_scan); the link a child scan makes travels inside its scan
// event's operation, so that the scan costs the depot one outbox row.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>

#include "domain/audit_actions.hpp"
#include "domain/sync_ops.hpp"
#include "storage/database.hpp"
#include "storage/tables/audit_log.hpp"
#include "storage/tables/bags.hpp"
#include "storage/tables/scan_events.hpp"

namespace tt::services {

namespace asio = boost::asio;

// The operation of an audited change. `extra` is merged into the operation's data (the rows the
// change created, by uid); `area_id` names the area of such a row (data.area).
asio::awaitable<void> capture_audit(storage::Tx& tx, domain::AuditAction action, const storage::NewAuditRow& row,
                                    const nlohmann::json& extra, std::optional<std::int64_t> area_id);

// The operation of an audited change as JSON text ({uid, kind, at, user, data}), to travel inside
// the scan event's operation that made it (capture_scan's `effect`) rather than as a row of its
// own: a child scan writes one outbox row, not two.
std::string audit_operation(domain::AuditAction action, const storage::NewAuditRow& row, const nlohmann::json& extra);

// The operation of a scan event; `username` the scanning user's; `effect`, the change the scan
// made (audit_operation), sent in its data as "effects": [effect] and applied after it.
asio::awaitable<void> capture_scan(storage::Tx& tx, const storage::ScanEventRow& row, const std::string& username,
                                   std::optional<std::string> effect = std::nullopt);

// An operation that no audit entry carries (a bulk import's rows: one audit entry for the file):
// `data` in the shape of domain/sync_ops.hpp for `kind`.
asio::awaitable<void> capture_change(storage::Tx& tx, domain::SyncOpKind kind, const std::string& uid, std::int64_t at,
                                     const std::string& username, const nlohmann::json& data,
                                     std::optional<std::int64_t> area_id);

// The "bag" object of an operation that created `bag` (type child when it has no kind).
nlohmann::json created_bag_json(const storage::NewBag& bag);

}  // namespace tt::services
