#include "services/audit.hpp"

#include "services/sync_feed.hpp"

#include <stdexcept>

#include "services/sync_capture.hpp"
#include "util/time.hpp"

namespace tt::services {

asio::awaitable<void> record_audit(storage::Tx& tx, const Actor& actor, const AuditEntry& entry) {
  storage::NewAuditRow row;
  row.at = util::now_us();
  row.user_id = actor.user();
  if (!actor.username.empty()) row.username = actor.username;
  row.action = domain::to_string(entry.action);
  // One entity per action (domain::audit_entity): a service naming another would split the log's
  // entity filter, so it is a programming error, caught by the first test that records the action.
  if (entry.entity != domain::audit_entity(entry.action)) {
    throw std::logic_error("audit entry '" + std::string(domain::to_string(entry.action)) + "' names entity '" +
                           entry.entity + "', not '" + std::string(domain::audit_entity(entry.action)) + "'");
  }
  row.entity = entry.entity;
  row.entity_key = entry.entity_key;
  if (entry.before) row.before_json = entry.before->dump();
  if (entry.after) row.after_json = entry.after->dump();
  if (!actor.client.empty()) row.client = actor.client;
  co_await storage::audit_log::insert(tx, row);
  co_await capture_audit(tx, entry.action, row, entry.sync_data, entry.sync_area_id);
  co_await record_feed(tx, entry.action, row);
}

asio::awaitable<std::vector<AuditRecord>> list_audit(storage::Tx& tx, AuditFilter filter) {
  co_return co_await storage::audit_log::select(tx, filter);
}

}  // namespace tt::services
