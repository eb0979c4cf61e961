// Group commit for PostgreSQL: write transactions of many requests committed together, as the
// SQLite writer does, so that one WAL flush makes many scans durable.
//
// A few writer threads (DbOptions::pg_writers), each with a connection of its own outside the
// read pool and a bounded queue. A writer takes every job waiting in its queue (up to max_group),
// runs them one after the other in one transaction, each inside its own savepoint (GroupTx), and
// commits; only then does it answer them. So:
//   * a job that throws is undone alone and gets its own error; the others of its group commit;
//   * a job that loses a deadlock or a serialization race is undone alone and run again in a
//     later group (4 runs in all, then Unavailable);
//   * when the transaction as a whole fails before COMMIT was sent (connection lost, a control
//     statement refused), nothing of it was committed and its jobs run again in the next group;
//     when the connection is lost after COMMIT was sent, the outcome is unknown and its jobs get
//     Unavailable (503: the client may try again; scans with a client_scan_id are replayed, not
//     repeated);
//   * a job that waits for a row lock makes its whole group wait: jobs given the same affinity
//     (the parent bag of a scan) go to the same writer, so scans of one parent never wait for
//     another writer's group, and never deadlock with it;
//   * a full queue refuses a job at once with Unavailable (503 with Retry-After).
// A group holds at most 48 jobs: each savepoint that writes takes a subtransaction id, and beyond
// 64 of them in one transaction PostgreSQL's snapshots of every other session overflow into
// pg_subtrans, a known cliff of its performance.
//
// Jobs run on the writer's thread (its own io_context, where the connection's socket waits too)
// and must not act outside the transaction: one may run more than once.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string_view>
#include <thread>
#include <vector>

#include "storage/job_queue.hpp"
#include "storage/postgres/pg_connection.hpp"

namespace tt::storage::pg {

class GroupRun;

struct GroupWriterOptions {
  ConnectionOptions connection;
  unsigned writers = 2;
  unsigned max_group = 48;
  // Jobs waiting per writer before new ones are refused.
  std::size_t queue_capacity = 1024;
};

struct GroupWriterStats {
  std::uint64_t groups = 0;      // transactions committed
  std::uint64_t jobs = 0;        // jobs answered from them (successful or not)
  std::uint64_t commit_us = 0;   // time spent in COMMIT round trips (the WAL flush), microseconds
  std::uint64_t refused = 0;     // jobs refused because a queue was full
  std::uint64_t rerun = 0;       // jobs run again (a lock conflict, or a lost transaction)
  std::size_t waiting = 0;       // jobs queued now
};

class GroupWriters {
 public:
  explicit GroupWriters(GroupWriterOptions options);
  ~GroupWriters();  // close()
  GroupWriters(const GroupWriters&) = delete;
  GroupWriters& operator=(const GroupWriters&) = delete;

  // Queues a write job. Jobs of the same non-empty affinity (PendingJob::affinity) go to the same
  // writer, in order; others go to the writer with the fewest jobs waiting.
  void submit(PendingJob job);

  // Fails the jobs still queued with Unavailable, lets running groups finish, stops the threads.
  void close();

  GroupWriterStats stats() const;

 private:
  struct Writer;
  void loop(Writer& w);
  // Answers a finished group's jobs, or puts them back at the front of the queue to run again.
  void settle(Writer& w, GroupRun& group);

  const GroupWriterOptions options_;
  std::vector<std::unique_ptr<Writer>> writers_;
  std::atomic<bool> closed_{false};
};

}  // namespace tt::storage::pg
