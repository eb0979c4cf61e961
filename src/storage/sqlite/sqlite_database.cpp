#include "storage/sqlite/sqlite_database.hpp"

#include <filesystem>

#include <boost/asio/async_result.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <future>

#include "storage/sqlite/backup.hpp"

namespace tt::storage::sqlite {

namespace {

// Page caches: the writer's holds the upper levels of every index a scan inserts into, the
// readers' what a lookup walks. Together they stay well inside the server's memory budget.
constexpr unsigned kWriterCacheKib = 32 * 1024;
constexpr unsigned kReaderCacheKib = 8 * 1024;

}  // namespace

unsigned reader_count(const DbOptions& options) {
  if (options.pool_size > 0) return options.pool_size;
  // Reads are short and the writer does not block them: a few connections serve many threads.
  return std::clamp(options.threads, 2u, 4u);
}

SqliteDatabase::SqliteDatabase(std::string path, const DbOptions& options)
    : path_(std::move(path)), options_(options), writes_(options.write_queue_capacity) {
  if (path_.empty()) throw DbError("empty SQLite database path");
  if (path_ == ":memory:" || path_.starts_with("file::memory:")) {
    // Each connection would see its own empty database: readers need a file shared with the writer.
    throw DbError("an in-memory SQLite database cannot be shared by the writer and readers: give a file path");
  }
  settings_.sync_full = options.sqlite_sync_full;
  settings_.capture_changes = options.capture_changes;
  if (options_.max_batch == 0) options_.max_batch = 1;
  // Full durability without the writer waiting for the disk: its connection commits with
  // synchronous=NORMAL and the syncer makes each commit durable before anyone is answered.
  if (settings_.sync_full) syncer_ = std::make_unique<WalSyncer>(path_ + "-wal");
  // The writer first: it creates the file and switches it to WAL, which the readers rely on.
  start_worker(true);
  try {
    for (unsigned i = 0; i < reader_count(options_); ++i) start_worker(false);
  } catch (...) {
    close();
    throw;
  }
}

SqliteDatabase::~SqliteDatabase() { close(); }

void SqliteDatabase::start_worker(bool writer) {
  std::promise<void> opened;
  std::future<void> ready = opened.get_future();
  std::thread thread([this, writer, opened = std::move(opened)]() mutable {
    // The connection is opened, used and closed on this thread only.
    std::unique_ptr<Connection> conn;
    try {
      ConnectionSettings settings = settings_;
      settings.cache_kib = writer ? kWriterCacheKib : kReaderCacheKib;
      if (writer && syncer_) settings.sync_full = false;
      conn = std::make_unique<Connection>(path_, writer ? Access::read_write : Access::read_only, settings);
    } catch (...) {
      opened.set_exception(std::current_exception());
      return;
    }
    opened.set_value();
    if (writer) {
      conn->checkpoint_after_commits(kCheckpointPages, checkpoints_);
      writer_loop(*conn);
    } else {
      reader_loop(*conn);
    }
  });
  try {
    ready.get();
  } catch (...) {
    thread.join();
    throw;
  }
  if (writer) {
    writer_ = std::move(thread);
  } else {
    readers_.push_back(std::move(thread));
  }
}

void SqliteDatabase::writer_loop(Connection& conn) {
  asio::io_context ctx;  // drives the jobs' coroutines on this thread
  for (;;) {
    // Everything queued while the previous batch was committing goes into the next one.
    std::vector<PendingJob> batch = writes_.take(options_.max_batch);
    if (batch.empty()) return;
    run_write_batch(conn, ctx, batch, writes_, counters_, syncer_.get());
  }
}

void SqliteDatabase::reader_loop(Connection& conn) {
  asio::io_context ctx;
  for (;;) {
    std::vector<PendingJob> jobs = reads_.take(1);
    if (jobs.empty()) return;
    run_read_job(conn, ctx, jobs.front());
  }
}

void SqliteDatabase::close() {
  if (closed_.exchange(true)) return;
  // Readers first, so that the writer's connection is the last one and can checkpoint the WAL
  // into the main file as it closes.
  reads_.close();
  for (auto& t : readers_) {
    if (t.joinable()) t.join();
  }
  writes_.close();
  if (writer_.joinable()) writer_.join();
  // After the writer: its last batches are made durable and answered.
  if (syncer_) syncer_->close();
}

std::string SqliteDatabase::describe() const { return "sqlite:" + path_; }

DbStats SqliteDatabase::stats() const {
  DbStats out;
  out.write_queue = writes_.size();
  out.write_groups_total = counters_.batches.load(std::memory_order_relaxed);
  out.write_jobs_total = counters_.jobs.load(std::memory_order_relaxed);
  out.write_refused_total = writes_.refused();
  if (syncer_) out.commit_seconds_total = static_cast<double>(syncer_->sync_us()) / 1e6;
  out.checkpoints_total = checkpoints_.count.load(std::memory_order_relaxed);
  out.checkpoint_seconds_total = static_cast<double>(checkpoints_.us.load(std::memory_order_relaxed)) / 1e6;
  out.wal_pages_total = checkpoints_.log_pages.load(std::memory_order_relaxed);
  std::error_code ec;
  const auto wal = std::filesystem::file_size(path_ + "-wal", ec);
  out.wal_bytes = ec ? 0 : wal;
  return out;
}

WriteStats SqliteDatabase::write_stats() const {
  return WriteStats{counters_.batches.load(std::memory_order_relaxed), counters_.jobs.load(std::memory_order_relaxed)};
}

asio::awaitable<void> SqliteDatabase::submit(JobQueue& queue, Job job, PendingJob::Scope scope) {
  co_await asio::async_initiate<const asio::use_awaitable_t<>&, void(std::exception_ptr)>(
      [&queue, scope](auto handler, Job job) { queue.push(PendingJob(std::move(job), scope, std::move(handler))); },
      asio::use_awaitable, std::move(job));
}

asio::awaitable<void> SqliteDatabase::run_write(Job job, WriteOptions) {
  co_await submit(writes_, std::move(job), PendingJob::Scope::transaction);
}

asio::awaitable<void> SqliteDatabase::run_read(Job job) {
  co_await submit(reads_, std::move(job), PendingJob::Scope::transaction);
}

asio::awaitable<void> SqliteDatabase::ping() {
  co_await read(storage::job(run_statement, std::string("SELECT 1"), Params{}));
}

asio::awaitable<void> SqliteDatabase::backup(std::string dest_path) {
  // VACUUM cannot run inside a transaction; it reads one consistent snapshot by itself.
  Job job = storage::job(copy_database, std::move(dest_path));
  co_await submit(reads_, std::move(job), PendingJob::Scope::none);
}

std::optional<std::string> sqlite_path_of(const std::string& url) {
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) return std::nullopt;
  std::string path = url;
  if (path.starts_with("sqlite:")) {
    path.erase(0, 7);
    // "sqlite:///var/lib/x.db" names the absolute path /var/lib/x.db, as in other tools' URLs.
    if (path.starts_with("//")) path.erase(0, 2);
  }
  if (path.empty()) throw DbError("no SQLite database path in \"" + url + "\"");
  return path;
}

std::unique_ptr<Database> open_sqlite(const std::string& path, const DbOptions& options) {
  return std::make_unique<SqliteDatabase>(path, options);
}

}  // namespace tt::storage::sqlite
