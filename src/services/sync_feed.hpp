// Synchronisation down, head office -> depot (SPEC §8 "Down"): areas, users with what signing in
// needs, and settings, sent as a feed of changes the depot pulls on its site token.
//
// Head office writes a feed row (storage/tables/sync_feed.hpp) in the transaction of each audited
// change of that data (record_feed, called by record_audit: one code path, no service writes its
// own). A pull names the last row the depot applied, by seq and uid; the answer holds the rows
// after it, each with the entity as it is now:
//   {reset, through, through_uid, more, items: [{seq, kind, key, data}]}
//     area     data {name}
//     user     data {username, uid, email, role, area, active, password_hash, totp_secret,
//              totp_enabled_at, password_changed_at}, or {username, uid, gone: true} for a user
//              outside the site's areas (the depot stops letting them sign in)
// A depot applies a user over its user of the same uid; a user it created itself under the same
// name keeps the name (SPEC §8: the first keeps a name), and head office's is skipped and logged.
//     setting  data {key, value}
// When the depot names no row, or a row head office does not hold as named (head office restored
// from an older dump, or another database), the answer is the whole state with reset: true and
// through = the newest row (through_uid "empty" while the feed has none), read before the state: what the state holds newer than that is sent
// again later, and applying an entity twice changes nothing.
//
// A depot applies a page in one transaction with its cursor (apply_feed), through storage
// directly and never through record_audit: nothing received is captured for head office, so
// nothing echoes back up.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>

#include "domain/audit_actions.hpp"
#include "storage/database.hpp"
#include "storage/tables/audit_log.hpp"
#include "storage/tables/sync_feed.hpp"

namespace tt::services {

namespace asio = boost::asio;

// The feed row of an audited change, when it is one depots receive (domain::feed_kind_of).
asio::awaitable<void> record_feed(storage::Tx& tx, domain::AuditAction action, const storage::NewAuditRow& row);

// What site `site_uid` (not_found) receives after its row (after, after_uid): the answer above.
// At most domain::kFeedPage rows; `more` when more follow.
asio::awaitable<nlohmann::json> feed_for_site(storage::Tx& tx, std::string site_uid, std::int64_t after,
                                              std::optional<std::string> after_uid);

struct FeedApplied {
  std::int64_t items = 0;
  std::int64_t skipped = 0;  // users whose name the depot holds for a user of its own
  std::int64_t through = 0;
  bool reset = false;
  bool more = false;
};

// A depot: applies a page of head office's answer, and stores its cursor, in this transaction.
// Throws domain::Failure (invalid_request) for an answer not of that shape: nothing is applied.
asio::awaitable<FeedApplied> apply_feed(storage::Tx& tx, std::string answer_text);

// A depot: where it is in head office's feed.
asio::awaitable<storage::FeedCursor> read_feed_cursor(storage::Tx& tx);

}  // namespace tt::services
