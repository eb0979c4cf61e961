#include "services/scan_log.hpp"

#include "util/ids.hpp"

namespace tt::services {

asio::awaitable<void> record_scan(storage::Tx& tx, const Caller& caller, ScanRecord r,
                                  std::optional<std::string> client_scan_id) {
  const std::optional<std::int64_t> area = caller.area_id ? caller.area_id : r.area_id;
  std::optional<std::string> client;
  if (!caller.client.empty()) client = caller.client;
  // An appended row: on PostgreSQL the group's scan log rows go in one statement with the commit.
  co_await tx.append_row(
      "INSERT INTO scan_events (uid, at, user_id, area_id, client, action, code, parent_code, bill_code, result, reason,"
      " client_scan_id)",
      storage::params(util::uuid_v7(), r.at, caller.user_id, area, client, r.action, r.code, r.parent_code,
                      r.bill_code, r.result, r.reason, std::move(client_scan_id)));
}

}  // namespace tt::services
