// Moving and freeing children (SPEC §3.3): relink to another parent, unlink, and undo of the
// caller's most recent link. Each change writes its audit entry in its transaction. The parents
// whose links change are locked first (storage::bags::lock, in id order when there are two), like
// scanning does, so the capacity rule holds against concurrent scans.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "domain/errors.hpp"
#include "services/settings.hpp"
#include "services/caller.hpp"
#include "storage/database.hpp"

namespace tt::services {

namespace asio = boost::asio;

enum class LinkResult { linked, relinked, already_linked, unlinked, undone };
// The result field of SPEC §4 answers: "linked", "relinked", ...
std::string_view to_string(LinkResult r) noexcept;

struct LinkChange {
  LinkResult result = LinkResult::linked;
  std::string child;
  std::optional<std::string> parent;       // the parent the child is in now
  std::optional<std::string> previous_parent;
  std::int64_t child_count = 0;            // children of the parent that changed (new, else former)
  std::int64_t capacity = 0;
  std::optional<std::int64_t> area_id;     // that parent's area, for live events
};

// Moves the child into `raw_parent` (or links it there if it is in no parent). Throws
// domain::Failure: invalid_code, not_a_child, not_a_parent, not_found, parent_full, bill_completed
// (either parent on a completed bill), linked_elsewhere (the current parent is in an area the
// caller cannot see), conflict.
asio::awaitable<LinkChange> relink(storage::Tx& tx, Caller caller, std::string raw_child, std::string raw_parent,
                                   SettingsPtr settings);

// Frees the child. Throws invalid_code, not_a_child, not_found, not_linked, bill_completed.
asio::awaitable<LinkChange> unlink(storage::Tx& tx, Caller caller, std::string raw_child, SettingsPtr settings);

inline constexpr std::int64_t kUndoWindowUs = 3600LL * 1000000;

// Removes the most recent link the caller made within the last hour that still stands. Throws
// nothing_to_undo, bill_completed, conflict.
asio::awaitable<LinkChange> undo_last_link(storage::Tx& tx, Caller caller, SettingsPtr settings);

}  // namespace tt::services
