// Finding bags (SPEC §3.5 search): bags by code (exact or prefix), type, area, bill and time of
// creation, a page at a time, with each one's area, parent or child count. A read model over bags,
// links, areas, bills and bill_parents; the page size bounds and who may search which area are
// the service's (services/bags.hpp).
#pragma once

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.hpp"

namespace tt::storage {

struct BagSearchFilter {
  std::optional<std::string> code;   // normalised; a prefix unless `exact`
  bool exact = false;
  std::optional<std::string> type;   // parent | child
  std::optional<std::string> area;   // area name, any case
  std::optional<std::int64_t> visible_area;  // a caller who sees one area only: that one
  std::optional<std::string> site;   // public id of the site the bag came from (SPEC §8)
  std::optional<std::string> bill;   // normalised bill code: the bill's parents and their children
  std::optional<std::int64_t> from;  // created_at >= from, microseconds since the epoch
  std::optional<std::int64_t> to;    // created_at < to
  std::int64_t limit = 50;
  std::int64_t offset = 0;
};

struct BagSearchRow {
  std::string code;
  std::string type;
  std::optional<std::string> kind;
  std::optional<std::string> area;
  std::int64_t created_at = 0;
  std::optional<std::string> parent;        // children
  std::optional<std::int64_t> child_count;  // parents
};

namespace bag_search {

// Ordered by code when searching by code (from the unique index on code: a range, not LIKE),
// newest first otherwise; `limit` rows from `offset`.
asio::awaitable<std::vector<BagSearchRow>> find(Tx& tx, const BagSearchFilter& filter);

}  // namespace bag_search
}  // namespace tt::storage
