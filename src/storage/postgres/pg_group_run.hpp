// One group of write jobs of a PostgreSQL group writer (pg_group_writer.hpp), on one connection, in
// one transaction (pg_group_tx.hpp): the jobs run as coroutines on the writer's io_context, as
// many side by side as the scheduling rules allow, and their statements are sent together whenever
// every running job waits for an answer. Then the group commits, or rolls back, and each job's
// fate is decided.
//
// Scheduling, in queue order: a job waits for every earlier job of its affinity; a job that is not
// concurrent (WriteOptions) runs alone; the first job that cannot start holds back those behind it.
//
// Fates: when the group commits, every job is answered with its own outcome (a job that lost a
// lock conflict runs again). When it does not, the job whose failure broke the transaction is
// answered with its error, a job that failed before sending anything keeps its answer, and every
// other job runs again in a later group; when the connection failed after COMMIT was sent, whether
// the group committed is unknown and its jobs get Unavailable.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <exception>
#include <string_view>
#include <vector>

#include "storage/job_queue.hpp"
#include "storage/postgres/pg_connection.hpp"
#include "storage/postgres/pg_group_tx.hpp"

namespace tt::storage::pg {

// What becomes of a job: answered, or run again in a later group (counted as an attempt when the
// job lost a conflict or the transaction as a whole failed, not when another job broke it), or run
// again in a transaction of its own (a failure that could not be pinned on one job).
enum class Fate { done, again, again_innocent, again_alone };

class GroupRun {
 public:
  GroupRun(Connection& conn, asio::any_io_executor ex, std::vector<PendingJob> batch);
  GroupRun(const GroupRun&) = delete;
  GroupRun& operator=(const GroupRun&) = delete;

  // Runs every job until each has ended (or the group is abandoned).
  asio::awaitable<void> execute();
  // Commits when nothing failed, else rolls back, and decides each job's fate. The connection is
  // idle afterwards unless it broke.
  asio::awaitable<void> finish();

  std::vector<PendingJob>& jobs() noexcept { return batch_; }
  const std::vector<std::exception_ptr>& outcomes() const noexcept { return outcome_; }
  const std::vector<Fate>& fates() const noexcept { return fate_; }
  bool committed() const noexcept { return committed_; }
  // Time the COMMIT round trip took (the WAL flush), microseconds; 0 when it was not sent.
  std::uint64_t commit_us() const noexcept { return commit_us_; }

 private:
  void start_eligible();
  asio::awaitable<void> run_job(std::size_t i);
  void on_done(std::size_t i, std::exception_ptr e, bool touched);
  void decide();

  Connection& conn_;
  asio::any_io_executor ex_;
  std::vector<PendingJob> batch_;
  GroupTx tx_;
  std::vector<std::exception_ptr> outcome_;
  std::vector<Fate> fate_;
  std::vector<bool> blamed_;
  std::vector<bool> started_;
  std::size_t next_ = 0;  // the next job to start, in order
  std::size_t running_ = 0;
  bool exclusive_running_ = false;
  std::vector<std::string_view> running_affinities_;
  std::exception_ptr lost_;  // the connection, or the COMMIT, failed
  std::exception_ptr commit_error_;  // what the COMMIT round trip threw, even when pinned on a job
  bool committed_ = false;
  std::uint64_t commit_us_ = 0;
};

}  // namespace tt::storage::pg
