// Durability of the SQLite writer's commits, made on a thread of its own so that the writer can
// run the next batch of transactions while the last one reaches the disk.
//
// With synchronous=FULL, SQLite calls fsync on the write-ahead log inside every COMMIT, and the
// single writer thread sits idle for that time: with a few hundred scanners a third of its time.
// Instead the writer connection runs with synchronous=NORMAL (COMMIT writes the log, a checkpoint
// syncs it first) and hands each committed batch to this syncer, which calls fdatasync on the
// log and only then completes the batch's jobs, so no request is answered before its
// transaction is on disk. One fdatasync covers every batch committed before it started.
// Transactions reach the disk in commit order (the log is appended to), so a crash can only lose
// a suffix of unanswered ones.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "storage/job_queue.hpp"

namespace tt::storage::sqlite {

class WalSyncer {
 public:
  explicit WalSyncer(std::string wal_path);
  ~WalSyncer();  // close()
  WalSyncer(const WalSyncer&) = delete;
  WalSyncer& operator=(const WalSyncer&) = delete;

  // The jobs of a committed transaction, with each one's own outcome: completed once the log is
  // on disk (with the sync's error instead of success if it fails).
  void submit(std::vector<PendingJob> jobs, std::vector<std::exception_ptr> outcomes);

  // Syncs and completes everything submitted, then stops the thread. Idempotent.
  void close();

  // Time spent in fdatasync since start, in microseconds (metrics).
  std::uint64_t sync_us() const noexcept { return sync_us_.load(std::memory_order_relaxed); }

 private:
  struct Committed {
    std::vector<PendingJob> jobs;
    std::vector<std::exception_ptr> outcomes;
  };

  void loop();
  // fdatasync of the log; an error to give the jobs, or null.
  std::exception_ptr sync_log();

  std::string wal_path_;
  int fd_ = -1;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<Committed> pending_;
  bool closing_ = false;
  std::thread thread_;
  std::atomic<std::uint64_t> sync_us_{0};
};

}  // namespace tt::storage::sqlite
