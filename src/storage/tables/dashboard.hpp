// What the dashboard's figures are counted from (SPEC §3.6): totals of bags, links and bills, and
// the scan log of the last hours grouped finely, over every area or one. A read model: the
// statements over bags, links, bills and scan_events it needs, with their row mapping (the names
// of areas and users: storage/tables/areas.hpp, storage/tables/user_refs.hpp); the summing and ranking are the service's (services/stats.hpp).
#pragma once

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.hpp"

namespace tt::storage {

struct DashboardTotals {
  std::int64_t parents = 0;
  std::int64_t children = 0;
  std::int64_t linked_children = 0;
  std::int64_t bills_open = 0;
  std::int64_t bills_completed = 0;
};

// Scans of one UTC hour, area, user and result; import rows left out (nobody scanned them).
struct ScanHourGroup {
  std::int64_t hour = 0;  // whole hours since the epoch (at / 3600000000)
  std::optional<std::int64_t> area_id;
  std::optional<std::int64_t> user_id;
  std::string result;
  bool recent = false;    // at >= `since`
  std::int64_t scans = 0;
};

namespace dashboard {

// `area`: only that area's bags (a link counts by its parent's area) and bills; none: all.
// `site`: only the rows that came from the site with that public id (SPEC §8); none: all.
asio::awaitable<DashboardTotals> totals(Tx& tx, std::optional<std::int64_t> area, std::optional<std::string> site);
// The groups of scans at or after `first_hour` (microseconds), told apart by whether they are at
// or after `since` (microseconds); only `area`'s, and `site`'s, when set.
asio::awaitable<std::vector<ScanHourGroup>> scan_groups(Tx& tx, std::int64_t first_hour, std::int64_t since,
                                                        std::optional<std::int64_t> area,
                                                        std::optional<std::string> site);

}  // namespace dashboard
}  // namespace tt::storage
