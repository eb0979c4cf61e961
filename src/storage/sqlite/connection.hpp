// One SQLite connection with its prepared-statement cache. Used by exactly one thread (the
// writer thread or one reader thread) for its whole life: SQLiteCpp objects are never shared.
#pragma once

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "storage/value.hpp"

struct sqlite3;

namespace tt::storage::sqlite {

enum class Access { read_write, read_only };

// Log pages after which a writer checkpoints (see the PRAGMA in connection.cpp for why 10,000).
inline constexpr int kCheckpointPages = 10000;

// Checkpoints a writer connection ran (Connection::checkpoint_after_commits), for the metrics.
struct CheckpointStats {
  std::atomic<std::uint64_t> count{0};
  std::atomic<std::uint64_t> us{0};         // time spent in them, microseconds
  std::atomic<std::uint64_t> log_pages{0};  // pages the commits appended to the log, since start
};

struct ConnectionSettings {
  // FULL: every committed transaction survives power loss; NORMAL: survives a process crash.
  bool sync_full = true;
  // How long a statement waits for a lock held by another process before failing with BUSY.
  std::chrono::milliseconds busy_timeout{5000};
  // Page cache of this connection. SQLite's default (2 MiB) is far below the indexes a scan
  // touches in a database of millions of bags: every miss is a read from the file.
  unsigned cache_kib = 2048;
  // Transactions on this connection write every change to the synchronisation outbox (a depot
  // with an upstream, SPEC §8): Tx::captures_changes. A writable connection to a database that
  // already pushes to head office (a row in sync_depot) captures whatever this says.
  bool capture_changes = false;
};

class Connection {
 public:
  // Opens (read_write also creates) the file and applies the settings every connection needs:
  // WAL journal, busy timeout, foreign keys, synchronous level. Throws DbError.
  Connection(const std::string& path, Access access, const ConnectionSettings& settings);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // One statement with $N placeholders; all result rows.
  Rows query(std::string_view sql, const Params& params);
  // One statement with $N placeholders, stepped to completion; the number of rows it changed.
  std::int64_t exec(std::string_view sql, const Params& params);
  // Several statements without parameters (migrations); not cached.
  void exec_script(std::string_view sql);

  // Replaces SQLite's automatic checkpoint by the same policy, measured: after a commit that leaves
  // at least `pages` pages in the log, a PASSIVE checkpoint runs (on this connection's thread, as
  // SQLite's own would) and is counted in `stats`, which must outlive the connection.
  //
  // Why on the writer's thread, stopping it 15 to 20 ms several times a second under load: every
  // way tried of taking checkpoints off it made the scans' p99 worse, not better (bench/PROFILE.md).
  // A checkpoint running beside the writer never catches up with it, so the log is never emptied
  // and restarted: it grows, each commit then allocates new blocks, and every five seconds the
  // file system's journal commit holds the writer back for hundreds of milliseconds.
  void checkpoint_after_commits(int pages, CheckpointStats& stats);

  // True while a transaction is open (SQLite rolls a transaction back by itself after some
  // errors, such as a full disk: callers check this before carrying on with the transaction).
  bool in_transaction() const noexcept;
  bool captures_changes() const noexcept { return capture_changes_; }

 private:
  struct TextHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  using Cache = std::unordered_map<std::string, std::unique_ptr<SQLite::Statement>, TextHash, std::equal_to<>>;

  SQLite::Statement& prepared(std::string_view sql);

  SQLite::Database db_;
  Cache cache_;
  bool capture_changes_ = false;
  // For the commit hook of checkpoint_after_commits.
  int checkpoint_pages_ = 0;
  int log_pages_ = 0;  // at the last commit
  CheckpointStats* checkpoint_stats_ = nullptr;
};

}  // namespace tt::storage::sqlite
