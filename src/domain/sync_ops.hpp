// The operations a depot sends head office (SPEC §8 "Up"): their kinds, and which change of state
// each audit action is. A depot writes one operation per change, in the transaction of the
// change (services/sync_capture.hpp); head office applies each kind by its own rule
// (services/sync_apply.hpp). Both sides read this one list, so a kind one side does not know is
// a protocol error (422 sync_unsupported), never a change silently skipped.
//
// An operation, as sent: {seq, uid, kind, at, user, area, data}; `at` in microseconds since the
// epoch (the depot's clock: kept, never compared across sites), `user` the depot user's name,
// `area` the name of the dispatch area of its row (absent: none, or inside `data` as `area`).
#pragma once

#include <optional>
#include <span>
#include <string_view>

#include "domain/audit_actions.hpp"

namespace tt::domain {

// The protocol versions this build speaks (GET /api/v1/sync/state answers them): a depot sends
// kSyncProtocol; head office takes every version from kOldestSyncProtocol. Version 2 sends an
// operation's area beside it ({seq, uid, kind, at, user, area, data}) and a scan's link inside it
// (data.effects); version 1 had the area in data and the link as an operation of its own. A head
// office older than its depots refuses their pushes (422), and they show "blocked" with why,
// instead of applying them without their areas.
inline constexpr int kSyncProtocol = 2;
inline constexpr int kOldestSyncProtocol = 1;
// Largest batch a depot sends: operations, and bytes of the request body.
inline constexpr std::size_t kSyncBatchOps = 500;
inline constexpr std::size_t kSyncBatchBytes = 1 << 20;
// How long a depot keeps the operations head office acknowledged (setting sync_retention_days):
// a head office restored from a backup of that age or younger asks for them again, and gets them.
inline constexpr const char* kSyncRetentionDaysKey = "sync_retention_days";
inline constexpr int kDefaultSyncRetentionDays = 30;
inline constexpr int kMaxSyncRetentionDays = 3650;

enum class SyncOpKind {
  scan,                // data: a scan event row
  audit,               // data.audit: an audit row that changes nothing head office holds
  bag_create,          // data.bag {uid, code, type, kind, area}
  link_add,            // data.audit (key: child; after.parent), data.bag when the child was new
  link_move,           // data.audit (before.parent -> after.parent)
  link_remove,         // data.audit (before.parent)
  bag_delete,          // data.audit (key: the bag)
  bag_area,            // data.audit (after.area)
  bill_create,         // data.audit (after: the bill), data.bill {uid, area}
  bill_edit,           // data.audit (before, after: the bill's fields)
  bill_parent_add,     // data.audit (key: bill; after.parent)
  bill_parent_remove,  // data.audit (key: bill; before.parent)
  bill_complete,       // data.audit (key: bill)
  bill_reopen,         // data.audit (key: bill)
  bill_delete,         // data.audit (key: bill)
};

// The stored and sent name ("link.add"): never changes once sent by a released build.
std::string_view to_string(SyncOpKind k) noexcept;
std::optional<SyncOpKind> parse_sync_op_kind(std::string_view s) noexcept;
std::span<const SyncOpKind> all_sync_op_kinds() noexcept;

// The operation that carries an audit entry of `action`: its change of state, or `audit` for
// actions that change nothing synchronised (sign-in, settings...). bag_create is the creation of
// a parent on its first scan; a child created by its scan travels inside its link.add.
SyncOpKind sync_op_of(AuditAction action) noexcept;

}  // namespace tt::domain
