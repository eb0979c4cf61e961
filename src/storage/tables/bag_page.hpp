// What a bag's page shows (SPEC §3.5), read by code in one round trip (Tx::query_all): the bag
// with its area and creator, a parent's children or a child's parent, the bill of the parent (a
// child's parent's), and when asked its history: scans of the code and of children into it, and
// its audit entries. A read model over bags, links, bills, bill_parents, scan_events, audit_log,
// users and areas; who may see the bag and what it weighs are the service's (services/bags.hpp).
#pragma once

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/bill_rules.hpp"
#include "storage/database.hpp"
#include "storage/tables/bags.hpp"

namespace tt::storage {

struct LinkedBag {
  std::string code;
  std::int64_t linked_at = 0;  // microseconds since the epoch
  std::optional<std::string> linked_by;  // username
};

struct BillRef {
  std::string code;
  domain::BillStatus status = domain::BillStatus::open;
};

// One line of a bag's history: a scan attempt or an audit entry.
struct HistoryEntry {
  std::string source;  // scan | audit
  std::int64_t at = 0;  // microseconds since the epoch
  std::optional<std::string> user;
  std::string action;                      // scan_child, link, unlink, relink, ...
  std::optional<std::string> code;         // scans: the scanned code
  std::optional<std::string> parent_code;  // scans
  std::optional<std::string> bill_code;    // scans
  std::optional<std::string> result;       // scans
  std::optional<std::string> reason;       // scans
  std::optional<std::string> before_json;  // audit
  std::optional<std::string> after_json;   // audit
  std::optional<std::string> client;
  std::optional<std::string> site;  // head office: the site that sent it (SPEC §8); none when done here
};

struct BagPageRow {
  std::int64_t id = 0;
  std::string uid;
  std::string code;
  std::string type;  // parent | child
  std::optional<std::string> kind;
  std::optional<std::int64_t> area_id;
  std::optional<std::string> area;        // its name
  std::int64_t created_at = 0;            // microseconds since the epoch
  std::optional<std::string> created_by;  // username
  std::optional<LinkedBag> parent;        // a child: the parent it is in
  std::vector<LinkedBag> children;        // a parent: its children, oldest link first
  std::optional<BillRef> bill;            // the bill of the parent (of the child's parent)
  std::vector<HistoryEntry> history;      // newest first, at most the limit asked for
};

namespace bag_page {

// `history_limit`: 0 for no history; else the most recent entries, at most that many.
asio::awaitable<std::optional<BagPageRow>> read(Tx& tx, const std::string& code, std::int64_t history_limit);
// Inserts a bag (storage::bags::insert_query) and reads its page without history in the same
// round trip. `created`: whether this insert made it (false when another transaction created the
// code first, whose bag is then read).
asio::awaitable<std::optional<BagPageRow>> insert_and_read(Tx& tx, const NewBag& bag, bool& created);

}  // namespace bag_page
}  // namespace tt::storage
