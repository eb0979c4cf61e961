// The audit log (SPEC §1): one append-only row per change of state, written in the same
// transaction as the change, with who, when, what, and the values before and after.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/audit_actions.hpp"
#include "domain/identity.hpp"
#include "storage/database.hpp"
#include "storage/tables/audit_log.hpp"

namespace tt::services {

namespace asio = boost::asio;

// Who makes a change: a user, or the system itself (first start, command line) with no user.
using Actor = domain::Identity;

// What an entry records: one of a closed list (domain/audit_actions.hpp), never a free string.
using AuditAction = domain::AuditAction;

struct AuditEntry {
  // A constructor rather than aggregate initialisation, for `AuditEntry(...)` inside a co_await
  // expression (the coroutine rule: storage/job.hpp).
  AuditEntry(AuditAction action, std::string entity, std::optional<std::string> entity_key = std::nullopt,
             std::optional<nlohmann::json> before = std::nullopt, std::optional<nlohmann::json> after = std::nullopt)
      : action(action),
        entity(std::move(entity)),
        entity_key(std::move(entity_key)),
        before(std::move(before)),
        after(std::move(after)) {}

  AuditAction action;                    // stored as to_string(action)
  std::string entity;                    // user, session, token, area, bag, bill, setting
  std::optional<std::string> entity_key;  // username, token id, area name, bag code, ...
  std::optional<nlohmann::json> before;
  std::optional<nlohmann::json> after;
  // What head office needs beyond the entry to apply the change (SPEC §8 "Up"): the row the change
  // created ({"bill": {"uid": ...}}), merged into the outbox operation's data, and the area of that
  // row (written as data.area). Ignored where changes are not captured.
  nlohmann::json sync_data;
  std::optional<std::int64_t> sync_area_id;
};

// Not a coroutine itself: it turns `actor` and `entry` into statement parameters before returning,
// so nothing of the caller's arguments is kept in a coroutine frame.
asio::awaitable<void> record_audit(storage::Tx& tx, const Actor& actor, const AuditEntry& entry);

using AuditRecord = storage::AuditRecord;
using AuditFilter = storage::AuditFilter;

// Newest first.
asio::awaitable<std::vector<AuditRecord>> list_audit(storage::Tx& tx, AuditFilter filter);

}  // namespace tt::services
