// The scan log, table scan_events (SPEC §1): one append-only row per scan attempt whatever its
// outcome, and one per bag an import created or linked (action "import"). Named statements and
// row mapping for writing a scan's row and for the reports read from the log (the dashboard's
// figures: storage/tables/dashboard.hpp; a bag's history: storage/tables/bag_page.hpp).
#pragma once

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.hpp"
#include "util/ids.hpp"

namespace tt::storage {

struct ScanEventRow {
  std::int64_t at = 0;                     // microseconds since the epoch
  std::optional<std::int64_t> user_id;
  std::optional<std::int64_t> area_id;
  std::optional<std::string> client;       // the client's name, when it gave one
  std::string action;                      // scan_parent | scan_child | bill_add | import
  std::string code;
  std::optional<std::string> parent_code;
  std::optional<std::string> bill_code;
  std::string result;                      // created | found | linked | already_linked | rejected
  std::optional<std::string> reason;       // the error code when rejected
  std::optional<std::string> client_scan_id;
  std::string uid = util::uuid_v7();  // made here, so that its outbox entry names it
};

// Scans of one hour of a day, user, area, outcome and reason (a line of the daily report).
struct ScanDayGroup {
  std::int64_t hour = 0;  // whole hours since the day's first instant (may run past the last hour)
  std::optional<std::string> user;  // username
  std::optional<std::string> area;  // area name
  std::string result;
  std::optional<std::string> reason;
  std::int64_t scans = 0;
};

// Which rows of a day a report reads.
struct ScanDayFilter {
  std::int64_t start = 0;  // the day's first microsecond
  std::int64_t end = 0;    // the next day's first microsecond
  std::optional<std::int64_t> visible_area;  // a caller who sees one area only: that one (-1: none)
  std::optional<std::int64_t> area;          // the area asked for
  std::optional<std::string> site;           // the public id of the site the scans came from (SPEC §8)
};

namespace scan_events {

// Appends the row with a new uid in the transaction of the scan (Tx::append_row: on PostgreSQL
// a group's scan log rows go in one statement with the commit).
asio::awaitable<void> append(Tx& tx, ScanEventRow row);
// The day's groups, import rows left out (nobody scanned those bags).
asio::awaitable<std::vector<ScanDayGroup>> day_groups(Tx& tx, const ScanDayFilter& filter);

}  // namespace scan_events
}  // namespace tt::storage
