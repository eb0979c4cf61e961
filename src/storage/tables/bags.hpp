// The bags table (SPEC §1): one row per scanned code, parent or child. Named statements and row
// mapping for every service that reads or changes bags, so each statement is written once.
//
// All functions are coroutines over the caller's transaction; string arguments are read before
// the first suspension or are the caller's own lvalues, which outlive the co_await.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>

#include "storage/database.hpp"
#include "util/ids.hpp"

namespace tt::storage {

// What the rules need of a bag: its id, type ("parent" | "child") and area (none = any area).
struct BagRef {
  std::int64_t id = 0;
  std::string type;
  std::optional<std::int64_t> area_id;
  bool is_parent() const noexcept { return type == "parent"; }
};

struct NewBag {
  std::string code;                   // normalised
  std::optional<std::string> kind;   // parent kind name; none for a child
  std::optional<std::int64_t> area_id;
  std::optional<std::int64_t> created_by;  // user id
  std::int64_t at = 0;                // microseconds since the epoch
  std::string uid = util::uuid_v7();  // made here, so that its change's outbox entry names it
};

// What another database needs to create the same bag (SPEC §8): its uid, kind and area by name.
struct BagIdentity {
  std::string uid;
  std::string type;
  std::optional<std::string> kind;
  std::optional<std::string> area;  // the area's name
};

namespace bags {

asio::awaitable<std::optional<BagRef>> find(Tx& tx, const std::string& code);
asio::awaitable<std::optional<BagIdentity>> identity(Tx& tx, const std::string& code);
// The same row, locked until the transaction ends (Tx::query_locked).
asio::awaitable<std::optional<BagRef>> find_locked(Tx& tx, const std::string& code);
// Locks one bag row, or two in id order so that two changes over the same parents never
// deadlock (a == b locks one).
asio::awaitable<void> lock(Tx& tx, std::int64_t a, std::int64_t b);
// Inserts a parent (kind set) or child bag with a new uid; the new id, or none when the code
// exists already (inserted by someone else at this moment).
asio::awaitable<std::optional<std::int64_t>> insert(Tx& tx, const NewBag& bag);
// The same insert as a statement for Tx::query_all: one row (the id), or none when the code exists.
Query insert_query(const NewBag& bag);
asio::awaitable<void> remove(Tx& tx, std::int64_t id);
// Puts a parent bag and the children linked to it in another area; the number of bags changed
// (1 + children). The caller holds the parent's lock, so no child comes or goes meanwhile.
asio::awaitable<std::int64_t> move_to_area(Tx& tx, std::int64_t parent_id, std::int64_t area_id);

}  // namespace bags
}  // namespace tt::storage
