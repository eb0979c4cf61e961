// Transaction jobs waiting for a SQLite worker thread, and the hand-back of their outcome to the
// coroutine that submitted them.
#pragma once

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/prefer.hpp>

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <mutex>
#include <vector>

#include "storage/database.hpp"

namespace tt::storage::sqlite {

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
        // it is where the caller resumes: never on the SQLite thread.
        caller_(asio::prefer(asio::get_associated_executor(handler), asio::execution::outstanding_work.tracked)),
        handler_(std::forward<Handler>(handler)) {}

  PendingJob(PendingJob&&) noexcept = default;
  PendingJob& operator=(PendingJob&&) noexcept = default;

  const Database::Job& job() const noexcept { return job_; }
  Scope scope() const noexcept { return scope_; }

  // Posts the outcome (null for success) to the caller's executor. Call exactly once.
  void complete(std::exception_ptr error);

 private:
  Database::Job job_;
  Scope scope_;
  asio::any_io_executor caller_;
  Completion handler_;
};

// A blocking multi-producer queue drained by dedicated worker threads.
class JobQueue {
 public:
  // Queues a job; once the queue is closed the job fails at once with Unavailable.
  void push(PendingJob job);
  // Puts jobs back at the front, in order (a batch that could not run them).
  void push_front(std::vector<PendingJob> jobs);
  // Waits for at least one job and takes up to max; empty once the queue is closed and drained.
  std::vector<PendingJob> take(std::size_t max);
  // Refuses further jobs and fails those still waiting with Unavailable. Jobs already taken by a
  // worker finish normally.
  void close();
  std::size_t size() const;

 private:
  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<PendingJob> jobs_;
  bool closed_ = false;
};

}  // namespace tt::storage::sqlite
