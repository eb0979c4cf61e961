// The bills and bill_parents tables (SPEC §1, §3.4): a bill's row, and which parent bags it
// carries (UNIQUE parent_id: one bill per parent). Named statements, row mapping and the steps
// several operations share (lock a bill, attach or detach a parent), each written once.
//
// A change of a bill locks its row first (lock_bill), which keeps its capacity under concurrent
// fills.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/bill_rules.hpp"
#include "storage/database.hpp"
#include "util/ids.hpp"

namespace tt::storage {

struct BillRow {
  std::int64_t id = 0;
  std::string uid;
  std::string code;
  std::string description;
  std::optional<std::string> destination;
  std::optional<std::string> vehicle;
  std::int64_t capacity = 0;
  domain::BillStatus status = domain::BillStatus::open;
  std::optional<std::int64_t> area_id;
  std::optional<std::string> area;        // the area's name
  std::optional<std::string> created_by;  // username
  std::int64_t created_at = 0;            // microseconds since the epoch
  std::int64_t updated_at = 0;
  std::optional<std::int64_t> completed_at;
};

struct NewBillRow {
  std::string code;  // normalised
  std::string description;
  std::optional<std::string> destination;
  std::optional<std::string> vehicle;
  std::int64_t capacity = 0;
  std::optional<std::int64_t> area_id;
  std::int64_t created_by = 0;  // user id
  std::int64_t at = 0;
  std::string uid = util::uuid_v7();  // made here, so that its change's outbox entry names it
};

// Bills matching a filter, newest first; `limit` rows from `offset`.
struct BillQuery {
  std::optional<std::string> status;
  std::optional<std::string> code_from;   // code >= code_from
  std::optional<std::string> code_below;  // code < code_below
  std::optional<std::int64_t> area_id;    // only this area's bills, when set
  std::int64_t limit = 50;
  std::int64_t offset = 0;
};

// A parent on a bill, with its child count.
struct BillParentRow {
  std::string code;
  std::string kind;
  std::int64_t added_at = 0;
  std::optional<std::string> added_by;  // username
  std::int64_t child_count = 0;
};

// A parent's kind and child count, by bill (the figures of a page of bills).
struct BillParentCount {
  std::int64_t bill_id = 0;
  std::string kind;
  std::int64_t child_count = 0;
};

// A parent bag as a bill fill sees it: the bag and the bill it is on now.
struct ParentForBill {
  std::int64_t id = 0;
  std::string type;
  std::optional<std::int64_t> area_id;
  std::optional<std::int64_t> bill_id;
  std::optional<std::string> bill_code;
};

// The bill a parent is on.
struct BillOfParent {
  std::int64_t bill_id = 0;
  std::string code;
  domain::BillStatus status = domain::BillStatus::open;
};

namespace bills {

asio::awaitable<std::optional<BillRow>> find(Tx& tx, const std::string& code);
// The bill's row locked until the transaction ends, then read (Tx::lock_rows); none when absent.
asio::awaitable<std::optional<BillRow>> lock_bill(Tx& tx, const std::string& code);
asio::awaitable<std::vector<BillRow>> select(Tx& tx, const BillQuery& query);
// False when a bill with that code exists already.
asio::awaitable<bool> insert(Tx& tx, const NewBillRow& bill);
// Writes description, destination, vehicle, capacity and updated_at.
asio::awaitable<void> update_fields(Tx& tx, const BillRow& bill);
// Writes status, completed_at and updated_at.
asio::awaitable<void> update_status(Tx& tx, const BillRow& bill);
asio::awaitable<void> touch(Tx& tx, std::int64_t bill_id, std::int64_t at);
// Deletes the bill and its bill_parents rows; the parents stay, on no bill.
asio::awaitable<void> remove(Tx& tx, std::int64_t bill_id);
// Bills created or completed at an instant of [from, until), of one area when set, and from the
// site with that public id when set (SPEC §8), oldest first (the bills summary; a full read of
// the bills table, which holds thousands of rows a year).
asio::awaitable<std::vector<BillRow>> select_active(Tx& tx, std::int64_t from, std::int64_t until,
                                                    std::optional<std::int64_t> area_id,
                                                    std::optional<std::string> site = std::nullopt);

}  // namespace bills

namespace bill_parents {

asio::awaitable<std::int64_t> count(Tx& tx, std::int64_t bill_id);
// In the order they were added.
asio::awaitable<std::vector<BillParentRow>> of_bill(Tx& tx, std::int64_t bill_id);
asio::awaitable<std::vector<BillParentCount>> counts_of_bills(Tx& tx, const std::vector<std::int64_t>& bill_ids);
asio::awaitable<std::optional<ParentForBill>> find_parent(Tx& tx, const std::string& parent_code);
asio::awaitable<std::optional<BillOfParent>> bill_of(Tx& tx, std::int64_t parent_id);
// Locks the rows of the bill's parents in id order: scans into those parents lock them too.
asio::awaitable<void> lock_parents(Tx& tx, std::int64_t bill_id);

// Puts a parent on a bill as row `uid` (made by the service, for the change's outbox entry); false
// when the parent is on a bill already (put there by someone else at this moment: UNIQUE parent_id).
asio::awaitable<bool> attach_parent(Tx& tx, const std::string& uid, std::int64_t bill_id, std::int64_t parent_id,
                                    std::optional<std::int64_t> user_id, std::int64_t at);
// Takes a parent off a bill; false when it was not on that bill.
asio::awaitable<bool> detach_parent(Tx& tx, std::int64_t bill_id, const std::string& parent_code);
// Takes a parent off whatever bill it is on (the parent is being deleted).
asio::awaitable<void> detach_from_any(Tx& tx, std::int64_t parent_id);

}  // namespace bill_parents
}  // namespace tt::storage
