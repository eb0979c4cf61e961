#include "storage/sqlite/wal_syncer.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "storage/value.hpp"

namespace tt::storage::sqlite {

WalSyncer::WalSyncer(std::string wal_path) : wal_path_(std::move(wal_path)) {
  thread_ = std::thread([this] { loop(); });
}

WalSyncer::~WalSyncer() { close(); }

void WalSyncer::submit(std::vector<PendingJob> jobs, std::vector<std::exception_ptr> outcomes) {
  {
    std::lock_guard lock(mutex_);
    pending_.push_back(Committed{std::move(jobs), std::move(outcomes)});
  }
  wake_.notify_one();
}

void WalSyncer::close() {
  {
    std::lock_guard lock(mutex_);
    if (closing_ && !thread_.joinable()) return;
    closing_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

std::exception_ptr WalSyncer::sync_log() {
  // The log can be replaced by a new file only when every connection has closed it; checking
  // the inode keeps this descriptor on the file SQLite writes to in any case.
  struct stat named{}, opened{};
  if (::stat(wal_path_.c_str(), &named) != 0) {
    // No log at all: nothing was written that needs syncing (every change is in the main file,
    // which SQLite synced when it checkpointed).
    return errno == ENOENT ? nullptr
                           : std::make_exception_ptr(DbError("cannot reach the write-ahead log: " +
                                                             std::string(std::strerror(errno))));
  }
  if (fd_ >= 0 && (::fstat(fd_, &opened) != 0 || opened.st_ino != named.st_ino || opened.st_dev != named.st_dev)) {
    ::close(fd_);
    fd_ = -1;
  }
  if (fd_ < 0) fd_ = ::open(wal_path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0 || ::fdatasync(fd_) != 0) {
    return std::make_exception_ptr(
        DbError("the write-ahead log could not be written to disk: " + std::string(std::strerror(errno))));
  }
  return nullptr;
}

void WalSyncer::loop() {
  for (;;) {
    std::vector<Committed> batch;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return closing_ || !pending_.empty(); });
      if (pending_.empty()) return;  // closing, and everything delivered
      batch.swap(pending_);
    }
    const auto started = std::chrono::steady_clock::now();
    const std::exception_ptr failure = sync_log();
    sync_us_.fetch_add(static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                                      std::chrono::steady_clock::now() - started)
                                                      .count()),
                       std::memory_order_relaxed);
    for (auto& c : batch) {
      for (std::size_t i = 0; i < c.jobs.size(); ++i) {
        // A job that failed on its own keeps its error; a successful one fails if its
        // transaction may not be on disk.
        c.jobs[i].complete(c.outcomes[i] ? c.outcomes[i] : failure);
      }
    }
  }
}

}  // namespace tt::storage::sqlite
