// The links table (SPEC §1): which parent bag holds each child bag, one row per linked child
// (UNIQUE child_id). Named statements and row mapping for scans, relinks, unlinks, undo and bag
// deletion, so each statement is written once.
//
// A change of a parent's links locks the parent row first (storage::bags::lock), which is what
// keeps its capacity under concurrent scans (SPEC §3.2).
#pragma once

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.hpp"
#include "storage/tables/bags.hpp"

namespace tt::storage {

// A child's link and the parent it points to.
struct LinkRef {
  std::int64_t link_id = 0;
  std::int64_t parent_id = 0;
  std::string parent_code;
  std::optional<std::int64_t> parent_area;
};

// A link a user made, with both codes (undo).
struct MadeLink {
  std::int64_t link_id = 0;
  std::int64_t parent_id = 0;
  std::string child_code;
  std::string parent_code;
  std::optional<std::int64_t> parent_area;
};

// What a child scan decides on about its parent, read in a statement of its own after the parent
// row is locked: on PostgreSQL a new statement sees every link committed before the lock.
struct ParentState {
  std::int64_t child_count = 0;
  std::optional<std::string> completed_bill;  // the completed bill the parent is on
};

// What a child scan decides on about the child code: the bag, if any, and its link.
struct ChildState {
  std::int64_t id = 0;
  std::string type;
  std::optional<std::int64_t> parent_id;
  std::optional<std::string> parent_code;
  std::optional<std::int64_t> parent_area;
};

// Everything a child scan decides on (SPEC §3.2), read in one round trip (Tx::query_all): the
// parent bag, its row locked until the transaction ends, then in statements of their own (so on
// PostgreSQL they see every link committed before the lock was granted) its state and the child's.
struct ChildScanFacts {
  std::optional<BagRef> parent;
  ParentState parent_state;  // of the parent bag; zero and none when there is none
  std::optional<ChildState> child;
};

namespace links {

asio::awaitable<ChildScanFacts> child_scan_facts(Tx& tx, const std::string& parent_code, const std::string& child_code);

asio::awaitable<std::optional<LinkRef>> of_child(Tx& tx, std::int64_t child_id);
asio::awaitable<std::int64_t> child_count(Tx& tx, std::int64_t parent_id);
asio::awaitable<ParentState> parent_state(Tx& tx, std::int64_t parent_id);
asio::awaitable<std::optional<ChildState>> child_state(Tx& tx, const std::string& child_code);
// Codes of a parent's children, oldest link first.
asio::awaitable<std::vector<std::string>> child_codes(Tx& tx, std::int64_t parent_id);
// The newest link `user_id` made at or after `since` (microseconds).
asio::awaitable<std::optional<MadeLink>> last_made_by(Tx& tx, std::int64_t user_id, std::int64_t since);
// The parent a link points to now; none when it is gone.
asio::awaitable<std::optional<std::int64_t>> parent_of_link(Tx& tx, std::int64_t link_id);

// A new link of uid `uid` (made by the service, so that the change's outbox entry names it); its
// id, or none when the child is linked already (by someone else at this moment: UNIQUE child_id).
asio::awaitable<std::optional<std::int64_t>> insert(Tx& tx, const std::string& uid, std::int64_t parent_id,
                                                    std::int64_t child_id, std::optional<std::int64_t> user_id,
                                                    std::int64_t at);
// A new child bag and its link into `parent_id`, in one statement on PostgreSQL (one round trip),
// two on SQLite. The child's id, or none when a bag of that code was created by another
// transaction at this moment (nothing was written: read the state again).
asio::awaitable<std::optional<std::int64_t>> insert_linked_child(Tx& tx, const NewBag& child, std::int64_t parent_id,
                                                                 const std::string& link_uid);
// Points a link at another parent, as made by `user_id` at `at`.
asio::awaitable<void> move(Tx& tx, std::int64_t link_id, std::int64_t parent_id, std::optional<std::int64_t> user_id,
                           std::int64_t at);
asio::awaitable<void> remove(Tx& tx, std::int64_t link_id);
// Removes every link into a parent, or the child's own; returns how many were removed.
asio::awaitable<std::int64_t> remove_children_of(Tx& tx, std::int64_t parent_id);
asio::awaitable<std::int64_t> remove_of_child(Tx& tx, std::int64_t child_id);

}  // namespace links
}  // namespace tt::storage
