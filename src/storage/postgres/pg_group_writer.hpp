// Group commit for PostgreSQL: the write transactions of many requests committed together, as the
// SQLite writer does, so that one WAL flush makes many scans durable and their statements share
// round trips.
//
// A writer thread (DbOptions::pg_writers, one by default) with a connection of its own outside the
// read pool and a bounded queue. It takes every job waiting (up to max_group) and runs them as one
// group in one transaction (pg_group_run.hpp: scans of different parents side by side, their
// statements sent together; pg_group_tx.hpp: no savepoints), commits, and only then answers them:
//   * a job that fails is answered with its error; when it had sent anything, the group rolls back
//     and the others run again in the next group, so one failing job never fails another;
//   * a job that loses a deadlock or a serialization race runs again (4 runs in all, then
//     Unavailable);
//   * when the transaction as a whole fails before COMMIT was sent (connection lost), nothing of
//     it was committed and its jobs run again; when the connection is lost after COMMIT was sent,
//     the outcome is unknown and its jobs get Unavailable (503: the client may try again; scans
//     with a client_scan_id are replayed, not repeated);
//   * with several writers, jobs of the same affinity (a scan's parent bag) go to the same writer,
//     so scans of one parent never wait for another writer's group, nor deadlock with it;
//   * a full queue refuses a job at once with Unavailable (503 with Retry-After).
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
  unsigned writers = 1;
  // Jobs per group: enough for a commit to serve a crowd of scanners, few enough that a group's
  // jobs do not wait long for the slowest of them.
  unsigned max_group = 64;
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
