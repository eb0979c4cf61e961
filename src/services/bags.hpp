// Bags as people look at them (SPEC §3.5): one bag's page with its parent or children, its bill,
// its weight and its full history; search with filters and pagination; and an administrator's
// delete, which frees children and never deletes another bag.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/bill_rules.hpp"
#include "domain/errors.hpp"
#include "services/settings.hpp"
#include "services/sync_disputes.hpp"
#include "services/caller.hpp"
#include "storage/database.hpp"
#include "storage/tables/bag_page.hpp"
#include "storage/tables/bag_search.hpp"
#include "storage/tables/bags.hpp"

namespace tt::services {

namespace asio = boost::asio;

using LinkedBag = storage::LinkedBag;
using BillRef = storage::BillRef;
// One line of a bag's history: a scan attempt or an audit entry.
using HistoryEntry = storage::HistoryEntry;

// The bag as stored (storage::BagPageRow), and what it weighs by the settings.
struct BagDetail : storage::BagPageRow {
  std::int64_t capacity = 0;        // parents
  double weight_kg = 0;             // a child's weight; a parent's children x child weight
  std::optional<double> expected_weight_kg;  // parents: the kind's weight
  std::vector<Dispute> disputes;    // with the history: open synchronisation conflicts (SPEC §8)
};

inline constexpr std::int64_t kHistoryLimit = 200;

// The bag with that normalised code, if the caller may see it. History only when asked for.
asio::awaitable<std::optional<BagDetail>> find_bag(storage::Tx& tx, Caller caller, std::string code,
                                                   SettingsPtr settings, bool with_history);

// find_bag without history and whoever may see it, for a service that decides itself (one round
// trip).
asio::awaitable<std::optional<BagDetail>> read_bag(storage::Tx& tx, std::string code, SettingsPtr settings);
// Inserts a bag and reads it back as read_bag does, in the same round trip. `created` tells
// whether this insert made it: false when another transaction created the code first, whose bag
// is then returned.
asio::awaitable<std::optional<BagDetail>> create_and_read_bag(storage::Tx& tx, storage::NewBag bag,
                                                              SettingsPtr settings, bool& created);

// GET /bags/{code}: throws domain::Failure invalid_code, not_found (also for a bag in an
// area the caller cannot see).
asio::awaitable<BagDetail> get_bag(storage::Tx& tx, Caller caller, std::string raw_code, SettingsPtr settings);

struct BagSearch {
  std::optional<std::string> code;     // as typed (normalised here); a prefix unless `exact`
  bool exact = false;
  std::optional<std::string> type;     // parent | child
  std::optional<std::string> area;     // area name (case-insensitive)
  std::optional<std::string> bill;     // a bill code as typed: the bill's parents and their children
  std::optional<std::string> site;     // the public id of the site the bag came from (SPEC §8)
  std::optional<std::int64_t> from;    // created_at >= from
  std::optional<std::int64_t> to;      // created_at < to
  std::int64_t page = 1;
  std::int64_t per_page = 50;
};

using BagSummary = storage::BagSearchRow;

struct BagPage {
  std::vector<BagSummary> bags;
  bool has_more = false;
};

inline constexpr std::int64_t kMaxPerPage = 200;

// Ordered by code when searching by code, newest first otherwise. A dispatcher only finds bags of
// their own area. Each query reads at most per_page + 1 rows from an index range, so it stays fast
// however many bags there are (deep pages cost their offset).
asio::awaitable<BagPage> search_bags(storage::Tx& tx, Caller caller, BagSearch search);

struct DeletedBag {
  std::string code;
  std::string type;
  std::optional<std::int64_t> area_id;
  std::optional<std::string> parent;  // a child's former parent
  std::int64_t children_freed = 0;    // a parent's children, now unlinked
  std::optional<std::string> bill;    // a parent's former bill
};

// Admin: deletes the bag, its link and bill membership; a parent's children are freed, not
// deleted. Refused (bill_completed) when a completed bill's links would change. Throws
// not_found, invalid_code.
asio::awaitable<DeletedBag> delete_bag(storage::Tx& tx, Caller caller, std::string raw_code);

struct AreaTransfer {
  std::string code;                       // the parent bag
  std::optional<std::int64_t> from_id;    // the area it was in (none: no area)
  std::string from;                       // its name ("" for none)
  std::int64_t to_id = 0;
  std::string to;
  std::int64_t children = 0;              // children moved with it
  bool moved = false;                     // false: it was in that area already, nothing changed
};

// POST /bags/{code}/area: moves a parent bag and its children to the area named `area_name`
// (case-insensitive), with one audit entry for the parent (before/after area and children) and one
// for each child. Throws domain::Failure invalid_code, not_found (also for a bag the caller
// cannot see), unknown_area, not_a_parent (a child moves with its parent) and conflict (the
// parent is on a bill), each with a message for a person. Nothing changes when the bag is in that
// area already (moved false).
asio::awaitable<AreaTransfer> transfer_bag(storage::Tx& tx, Caller caller, std::string raw_code, std::string area_name);

}  // namespace tt::services
