// The feed of reference data head office sends depots (SPEC §8 "Down"; domain/sync_feed.hpp):
// sync_feed and its counter at head office, and at a depot the feed cursor kept in sync_depot.
// Schema: migrations/*/0011_sync_feed.sql.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.hpp"

namespace tt::storage {

struct FeedRow {
  std::int64_t seq = 0;
  std::string uid;
  std::string kind;  // domain::FeedKind's name
  std::string key;
  std::int64_t at = 0;  // microseconds since the epoch
};

// Where a depot is in head office's feed.
struct FeedCursor {
  std::int64_t seq = 0;            // the last row applied (0: none yet)
  std::optional<std::string> uid;  // its uid
  std::optional<std::int64_t> last_pull_at;
};

namespace sync_feed {

// Appends a row in this transaction and returns its seq. The counter row is updated first and
// stays locked until the transaction ends: rows commit in the order of their seqs, whatever
// number of head-office instances write them (migrations/*/0011_sync_feed.sql).
asio::awaitable<std::int64_t> append(Tx& tx, const std::string& kind, const std::string& key, std::int64_t at);
// Up to `limit` rows with seq > `after`, in order.
asio::awaitable<std::vector<FeedRow>> after(Tx& tx, std::int64_t after, std::int64_t limit);
// The uid of the row `seq`; none when there is no such row.
asio::awaitable<std::optional<std::string>> uid_of(Tx& tx, std::int64_t seq);
// The newest row; none when the feed is empty.
asio::awaitable<std::optional<FeedRow>> last(Tx& tx);

}  // namespace sync_feed

namespace feed_cursor {

// A depot's cursor (zero when synchronisation is not enabled on this database).
asio::awaitable<FeedCursor> read(Tx& tx);
// Head office answered a pull at `at`, applied through `seq` (its row `uid`).
asio::awaitable<void> store(Tx& tx, std::int64_t seq, const std::optional<std::string>& uid, std::int64_t at);

}  // namespace feed_cursor
}  // namespace tt::storage
