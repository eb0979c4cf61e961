// SQLite backend of storage::Database.
//
// One writer connection on a dedicated thread and a few read-only connections, each on its own
// thread: SQLite calls never run on the server's io_context threads, and each connection (with
// its prepared statements) stays on the thread that opened it. Writes are queued and committed in
// groups (one BEGIN IMMEDIATE … COMMIT, hence one fsync, for many requests), each request inside
// its own savepoint; reads run in parallel in WAL snapshots and never wait for the writer.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "storage/database.hpp"
#include "storage/sqlite/connection.hpp"
#include "storage/job_queue.hpp"
#include "storage/sqlite/workers.hpp"

namespace tt::storage::sqlite {

struct WriteStats {
  std::uint64_t batches = 0;  // transactions committed
  std::uint64_t jobs = 0;     // write jobs in them
};

class SqliteDatabase final : public Database {
 public:
  // Opens (creating if needed) the file and starts the writer and reader threads. Throws DbError
  // when the file cannot be opened or configured.
  SqliteDatabase(std::string path, const DbOptions& options);
  ~SqliteDatabase() override;
  SqliteDatabase(const SqliteDatabase&) = delete;
  SqliteDatabase& operator=(const SqliteDatabase&) = delete;

  Dialect dialect() const noexcept override { return Dialect::sqlite; }
  asio::awaitable<void> ping() override;
  void close() override;
  std::string describe() const override;
  DbStats stats() const override;

  // Writes a consistent copy of the whole database, as of one moment, to dest_path, while the
  // database stays in use. dest_path must not exist yet. The copy is flushed to disk.
  asio::awaitable<void> backup(std::string dest_path);

  // Write jobs queued and not yet taken by the writer; for metrics.
  std::size_t pending_writes() const { return writes_.size(); }
  WriteStats write_stats() const;

 protected:
  // SQLite's one writer runs every job in turn: the options change nothing.
  asio::awaitable<void> run_write(Job job, WriteOptions options) override;
  asio::awaitable<void> run_read(Job job) override;

 private:
  asio::awaitable<void> submit(JobQueue& queue, Job job, PendingJob::Scope scope);
  void start_worker(bool writer);
  void writer_loop(Connection& conn);
  void reader_loop(Connection& conn);

  std::string path_;
  DbOptions options_;
  ConnectionSettings settings_;
  JobQueue writes_;
  JobQueue reads_;
  WriteCounters counters_;
  CheckpointStats checkpoints_;
  std::unique_ptr<WalSyncer> syncer_;  // null with synchronous=NORMAL: nothing to wait for
  std::thread writer_;
  std::vector<std::thread> readers_;
  std::atomic<bool> closed_{false};
};

// Number of reader connections for the given options (pool_size, or derived from threads).
unsigned reader_count(const DbOptions& options);

// The file named by a database URL ("sqlite:PATH", "sqlite:///abs/path" or a bare path), or
// nothing when the URL names a PostgreSQL server. Throws DbError when the path is empty.
std::optional<std::string> sqlite_path_of(const std::string& url);

std::unique_ptr<Database> open_sqlite(const std::string& path, const DbOptions& options);

}  // namespace tt::storage::sqlite
