// The audit_log table (SPEC §1): append-only, one row per change of state, with a globally unique
// uid so that depots can later push their rows to head office exactly once. Named statements and
// row mapping; services/audit.hpp builds the entries.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.hpp"
#include "util/ids.hpp"

namespace tt::storage {

// One entry to write; before_json/after_json are JSON documents as text.
struct NewAuditRow {
  std::int64_t at = 0;  // microseconds since the epoch
  std::optional<std::int64_t> user_id;
  std::optional<std::string> username;
  std::string action;
  std::string entity;
  std::optional<std::string> entity_key;
  std::optional<std::string> before_json;
  std::optional<std::string> after_json;
  std::optional<std::string> client;  // client address
  std::string uid = util::uuid_v7();  // made here, so that its change's outbox entry names it
};

struct AuditRecord {
  std::int64_t id = 0;
  std::string uid;
  std::int64_t at = 0;
  std::optional<std::string> username;
  std::string action;
  std::string entity;
  std::optional<std::string> entity_key;
  std::optional<std::string> before_json;
  std::optional<std::string> after_json;
  std::optional<std::string> client;
};

struct AuditFilter {
  std::optional<std::string> entity;
  std::optional<std::string> entity_key;
  std::optional<std::string> username;  // who acted, lower-case
  std::optional<std::string> action;
  std::optional<std::int64_t> from;     // at >= from
  std::optional<std::int64_t> to;       // at < to
  std::int64_t limit = 100;
  std::int64_t offset = 0;
};

namespace audit_log {

// Deferred (Tx::exec_deferred): on PostgreSQL it travels with the next statement or the commit.
// Not a coroutine: the row becomes statement parameters before it returns.
asio::awaitable<void> insert(Tx& tx, const NewAuditRow& row);
// Newest first.
asio::awaitable<std::vector<AuditRecord>> select(Tx& tx, const AuditFilter& filter);

}  // namespace audit_log
}  // namespace tt::storage
