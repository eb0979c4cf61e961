#include "services/scan_log.hpp"

#include "services/sync_capture.hpp"
#include "storage/tables/scan_events.hpp"

namespace tt::services {

asio::awaitable<void> record_scan(storage::Tx& tx, const Caller& caller, ScanRecord r,
                                  std::optional<std::string> client_scan_id, std::optional<ScanEffect> sync_effect) {
  storage::ScanEventRow row;
  row.at = r.at;
  row.user_id = caller.user_id;
  row.area_id = caller.area_id ? caller.area_id : r.area_id;
  if (!caller.client.empty()) row.client = caller.client;
  row.action = std::move(r.action);
  row.code = std::move(r.code);
  row.parent_code = std::move(r.parent_code);
  row.bill_code = std::move(r.bill_code);
  row.result = std::move(r.result);
  row.reason = std::move(r.reason);
  row.client_scan_id = std::move(client_scan_id);
  co_await capture_scan(tx, row, std::move(sync_effect));
  co_await storage::scan_events::append(tx, std::move(row));
}

}  // namespace tt::services
