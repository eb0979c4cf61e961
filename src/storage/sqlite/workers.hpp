// What the SQLite worker threads do with the jobs they take: the writer commits a batch of write
// jobs in one transaction (group commit), a reader runs one read job in its own snapshot.
#pragma once

#include <boost/asio/io_context.hpp>

#include <atomic>
#include <cstdint>
#include <vector>

#include "storage/sqlite/connection.hpp"
#include "storage/job_queue.hpp"
#include "storage/sqlite/wal_syncer.hpp"

namespace tt::storage::sqlite {

struct WriteCounters {
  std::atomic<std::uint64_t> batches{0};  // committed transactions
  std::atomic<std::uint64_t> jobs{0};     // write jobs completed in them (successful or not)
};

// Runs every job of the batch inside one BEGIN IMMEDIATE … COMMIT, each job inside its own
// savepoint so that a job that throws is rolled back alone. Jobs are completed only once COMMIT
// has succeeded, and when there is a syncer only once it has put the log on disk; when the
// transaction itself fails, every job that ran gets that error and those that had not run yet go
// back to the front of the queue. ctx drives the jobs' coroutines on the calling thread.
void run_write_batch(Connection& conn, asio::io_context& ctx, std::vector<PendingJob>& batch, JobQueue& queue,
                     WriteCounters& counters, WalSyncer* syncer);

// Runs one read job inside BEGIN … COMMIT (a consistent snapshot), or without a transaction
// when its scope says so (VACUUM INTO), and completes it.
void run_read_job(Connection& conn, asio::io_context& ctx, PendingJob& job);

}  // namespace tt::storage::sqlite
