// The scan log (SPEC §1): one append-only scan_events row per scan attempt, whatever its outcome,
// written in the transaction of the scan. It is the bag's history and feeds the dashboard.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "services/caller.hpp"
#include "services/sync_capture.hpp"
#include "storage/database.hpp"

namespace tt::services {

namespace asio = boost::asio;

struct ScanRecord {
  std::int64_t at = 0;
  std::string action;                      // scan_parent | scan_child | bill_add
  std::string code;                        // normalised, or the raw input made printable when invalid
  std::optional<std::string> parent_code;
  std::optional<std::string> bill_code;
  std::string result;                      // created | found | linked | already_linked | rejected
  std::optional<std::string> reason;       // the error code when rejected
  std::optional<std::int64_t> area_id;     // the caller's area, else the bag's
};

// client_scan_id: the client's id of the physical scan (SPEC §4), when it gave one.
// `sync_effect`: the change the scan made (a child scan's link, sync_capture's scan_effect); head
// office receives it inside the scan event's operation, one outbox row per scan instead of two
// (SPEC §8). None elsewhere, and where changes are not captured.
asio::awaitable<void> record_scan(storage::Tx& tx, const Caller& caller, ScanRecord record,
                                  std::optional<std::string> client_scan_id = std::nullopt,
                                  std::optional<ScanEffect> sync_effect = std::nullopt);

}  // namespace tt::services
