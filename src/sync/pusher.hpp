// The depot's pusher (SPEC §8 "Up"): one per depot, on a thread of its own, sending the outbox to
// head office in order until head office has applied all of it.
//
// Each round asks head office where its cursor for this site is (GET /api/v1/sync/state: the
// cursor is head office's, never the depot's guess), pulls what head office changed of the
// areas, users and settings it sends down (GET /api/v1/sync/feed), then sends batches of at most 500
// operations and 1 MiB from there (POST /api/v1/sync/push). A batch's id is derived from the
// site and its sequence range, so a batch sent again after a lost answer gets the first answer.
// Head office's answers decide what follows:
//   200            acknowledged: the depot stores the cursor and sends the next batch;
//   409 sync_gap   head office expects another sequence: send from there;
//   413            the batch halves, down to one operation;
//   401, 403, 409 sync_divergent_op, 422
//                  retrying cannot help: state "blocked" with head office's reason, until an
//                  administrator has it try again (retry(): after the token file is replaced,
//                  head office upgraded, ...) or the server is restarted;
//   other, or no answer
//                  state "retrying": again after a backoff of 1 s doubling to 5 min, with jitter,
//                  or Retry-After when head office names one. Never given up, nothing dropped.
// A round starts when the outbox holds operations not yet acknowledged (the pusher looks every
// second: the database is the one signal that sees every writer, `tracetrack import` in another
// process included), every 30 s whatever it holds, and when a backoff ends. When head office has applied more of this site than this database ever
// wrote, the database is older than what head office saw (restored from a backup, or a copy):
// state "diverged", and nothing is pushed.
#pragma once

#include <boost/asio/io_context.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "storage/database.hpp"

namespace tt::sync {

// What an operator can do about a depot whose database is older than what head office has seen
// (state "diverged"): said by the pusher's error and by `tracetrack sync status` alike.
inline constexpr const char* kDivergedAdvice =
    "Nothing is pushed from this database. Start the depot on its newest backup if head office saw that one, "
    "or on a new database registered at head office as a new site (tracetrack site add); keep this file aside.";

struct PusherOptions {
  std::string upstream;   // head office's base URL, without a trailing slash
  std::string site_uid;   // --site-id
  std::string token;      // read from --sync-token-file
  std::chrono::seconds interval{30};
  std::chrono::milliseconds poll{1000};
  std::chrono::seconds request_timeout{60};
  // Reads the token again when an administrator has the pusher try again (the file may hold a
  // renewed token by then); throws an exception saying why it cannot. None: the token stays.
  std::function<std::string()> read_token;
};

// What GET /api/v1/sync/status and /metrics show of the pusher.
struct PusherView {
  std::string state = "ok";  // ok | retrying | blocked | diverged
  std::optional<std::string> reason;  // blocked or diverged: why, in words
  std::uint64_t ops_pushed = 0;       // since start
  std::uint64_t batches_pushed = 0;
  std::uint64_t items_received = 0;   // feed items applied since start (SPEC §8 "Down")
  std::map<std::string, std::uint64_t> errors;  // by reason: network, http_5xx, gap, too_large, ...
};

class Pusher {
 public:
  // `ioc` runs the database jobs' coroutines (the server's io_context, served by its threads).
  Pusher(storage::Database& db, boost::asio::io_context& ioc, PusherOptions options);
  ~Pusher();  // stop()
  Pusher(const Pusher&) = delete;
  Pusher& operator=(const Pusher&) = delete;

  void start();
  void stop();
  PusherView view() const;
  // An administrator's "try again now": reads the token again, leaves "blocked" or "diverged",
  // ends a backoff, and starts a round at once (its outcome shows in view() moments later).
  // Throws std::runtime_error, and changes nothing, when the token cannot be read.
  void retry();

 private:
  void run();
  // One round; returns how long to wait before the next one (none: until woken or the timer).
  std::optional<std::chrono::milliseconds> round();
  // Asks head office for what changed of the data it manages since the feed row this database
  // applied last, and applies it, page by page (services/sync_feed.hpp). False when it failed:
  // fail() said why, and the round still pushes.
  bool pull();
  // Removes acknowledged operations older than sync_retention_days, at most once per kPruneEvery
  // (services::prune_outbox), after a round that left nothing waiting.
  void prune_now();
  void fail(const std::string& reason, const std::string& message);
  void block(std::string state, std::string message);
  std::string token() const;
  std::chrono::milliseconds backoff();

  storage::Database& db_;
  boost::asio::io_context& ioc_;
  PusherOptions options_;
  std::thread thread_;
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  bool stopping_ = false;
  bool retry_ = false;  // retry() asked for a round now
  std::string token_;   // options_.token, renewed by retry()
  PusherView view_;
  int failures_ = 0;           // consecutive
  std::size_t batch_ops_;      // halves on 413
  std::optional<std::chrono::steady_clock::time_point> last_prune_;
  static constexpr std::chrono::minutes kPruneEvery{60};
};

}  // namespace tt::sync
