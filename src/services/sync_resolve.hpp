// A person resolves a conflict at head office (SPEC §8 "Conflicts are facts"): POST
// /api/v1/sync/conflicts/{uid}/resolve, the conflicts page. The resolutions a conflict allows are
// domain/conflict_resolutions.hpp's; keep_site moves the child at head office through the relink
// rules (a full parent or a completed bill refuses it, with the rule's own message). Resolving is
// audited (conflict_resolve), and so reaches the depots through the feed (services/sync_feed.hpp):
// the conflict's own depot learns its new state, and a resolution that places a bag is applied at
// every depot holding the bag.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <string>

#include "services/caller.hpp"
#include "services/settings.hpp"
#include "storage/database.hpp"
#include "storage/tables/sync_rows.hpp"

namespace tt::services {

namespace asio = boost::asio;

// Resolves the open conflict `uid` by `resolution`; returns it as it is now. Throws
// domain::Failure: not_found (no such conflict), invalid_request (a resolution its kind does not
// allow: the message names those it does), conflict (resolved already, by another resolution),
// and the relink's refusals for keep_site. The same resolution asked again returns the conflict
// unchanged (a retried request).
asio::awaitable<storage::ConflictRow> resolve_conflict(storage::Tx& tx, Caller caller, std::string uid,
                                                       std::string resolution, SettingsPtr settings);

}  // namespace tt::services
