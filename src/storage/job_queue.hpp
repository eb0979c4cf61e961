// Transaction jobs waiting for a database thread (the SQLite writer and readers, the PostgreSQL
// group writers), and the hand-back of their outcome to the coroutine that submitted them.
#pragma once

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/prefer.hpp>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <cstddef>
#include <deque>
#include <exception>
#include <mutex>
#include <string>
#include <vector>

#include "storage/database.hpp"

namespace tt::storage {

using Completion = asio::any_completion_handler<void(std::exception_ptr)>;

// One submitted job: what to run, and whom to tell.
class PendingJob {
 public:
  enum class Scope { transaction, none };

  template <class Handler>
  PendingJob(Database::Job job, Scope scope, Handler&& handler)
      : job_(std::move(job)),
        scope_(scope),
        // Tracked work keeps the caller's io_context running while its coroutine waits here, and
        // it is where the caller resumes: never on the database thread.
        caller_(asio::prefer(asio::get_associated_executor(handler), asio::execution::outstanding_work.tracked)),
        handler_(std::forward<Handler>(handler)) {}

  PendingJob(PendingJob&&) noexcept = default;
  PendingJob& operator=(PendingJob&&) noexcept = default;

  const Database::Job& job() const noexcept { return job_; }
  Scope scope() const noexcept { return scope_; }
  // Times this job was started and then put back because its transaction lost a lock conflict.
  unsigned conflicts = 0;
  // Run in a transaction of its own (a group writer found a failure it could not pin on one job).
  bool alone = false;
  // How a PostgreSQL group writer schedules it (storage::WriteOptions).
  std::string affinity;
  bool concurrent = false;

  // Posts the outcome (null for success) to the caller's executor. Call exactly once.
  void complete(std::exception_ptr error);

 private:
  Database::Job job_;
  Scope scope_;
  asio::any_io_executor caller_;
  Completion handler_;
};

// A blocking multi-producer queue drained by dedicated worker threads.
//
// Bounded: a job that finds `capacity` jobs already waiting fails at once with Unavailable (503
// with Retry-After), so that a flood of requests meets a quick refusal instead of a wait that
// ends in a time-out. 0 means no bound.
class JobQueue {
 public:
  explicit JobQueue(std::size_t capacity = 0) : capacity_(capacity) {}

  // Queues a job; once the queue is closed or full the job fails at once with Unavailable.
  void push(PendingJob job);
  // Puts jobs back at the front, in order (a batch that could not run them).
  void push_front(std::vector<PendingJob> jobs);
  // Waits for at least one job (unless `wait` is false) and takes up to max; empty once the queue
  // is closed and drained (or, without waiting, while it is empty). A job marked `alone` is taken
  // by itself.
  std::vector<PendingJob> take(std::size_t max, bool wait = true);
  // Refuses further jobs and fails those still waiting with Unavailable. Jobs already taken by a
  // worker finish normally.
  void close();
  std::size_t size() const;
  // Jobs refused because the queue was full, since it was made.
  std::uint64_t refused() const noexcept { return refused_.load(std::memory_order_relaxed); }

 private:
  const std::size_t capacity_;
  std::atomic<std::uint64_t> refused_{0};
  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<PendingJob> jobs_;
  bool closed_ = false;
};

}  // namespace tt::storage
