#include "storage/tables/sync_feed.hpp"

#include "util/ids.hpp"

namespace tt::storage {

namespace {

FeedRow feed_row_from(const Row& r) {
  FeedRow f;
  f.seq = r.i64(0);
  f.uid = r.text(1);
  f.kind = r.text(2);
  f.key = r.text(3);
  f.at = r.i64(4);
  return f;
}

}  // namespace

namespace sync_feed {

asio::awaitable<std::int64_t> append(Tx& tx, const std::string& kind, const std::string& key, std::int64_t at) {
  // The lock that orders the feed: a second writer waits here until this transaction ends.
  auto counter = co_await tx.query_one("UPDATE sync_feed_counter SET seq = seq + 1 WHERE id = 1 RETURNING seq");
  if (!counter) throw DbError("the feed counter row is missing (schema version 11)");
  const std::int64_t seq = counter->i64(0);
  co_await tx.exec("INSERT INTO sync_feed (seq, uid, kind, key, at) VALUES ($1, $2, $3, $4, $5)",
                   params(seq, util::uuid_v7(), kind, key, at));
  co_return seq;
}

asio::awaitable<std::vector<FeedRow>> after(Tx& tx, std::int64_t after, std::int64_t limit) {
  auto rows = co_await tx.query("SELECT seq, uid, kind, key, at FROM sync_feed WHERE seq > $1 ORDER BY seq LIMIT $2",
                                params(after, limit));
  std::vector<FeedRow> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(feed_row_from(r));
  co_return out;
}

asio::awaitable<std::optional<std::string>> uid_of(Tx& tx, std::int64_t seq) {
  auto row = co_await tx.query_one("SELECT uid FROM sync_feed WHERE seq = $1", params(seq));
  if (!row) co_return std::nullopt;
  co_return row->text(0);
}

asio::awaitable<std::optional<FeedRow>> last(Tx& tx) {
  auto row = co_await tx.query_one("SELECT seq, uid, kind, key, at FROM sync_feed ORDER BY seq DESC LIMIT 1");
  if (!row) co_return std::nullopt;
  co_return feed_row_from(*row);
}

}  // namespace sync_feed

namespace feed_cursor {

asio::awaitable<FeedCursor> read(Tx& tx) {
  auto row = co_await tx.query_one("SELECT feed_seq, feed_uid, last_pull_at FROM sync_depot WHERE id = 1");
  FeedCursor out;
  if (!row) co_return out;
  out.seq = row->i64(0);
  out.uid = row->opt_text(1);
  out.last_pull_at = row->opt_i64(2);
  co_return out;
}

asio::awaitable<void> store(Tx& tx, std::int64_t seq, const std::optional<std::string>& uid, std::int64_t at) {
  co_await tx.exec("UPDATE sync_depot SET feed_seq = $1, feed_uid = $2, last_pull_at = $3 WHERE id = 1",
                   params(seq, uid, at));
}

}  // namespace feed_cursor
}  // namespace tt::storage
