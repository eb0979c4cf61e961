#include "storage/sqlite/connection.hpp"

#include <sqlite3.h>

#include <type_traits>
#include <variant>

#include "storage/sqlite/errors.hpp"
#include "storage/sqlite/placeholders.hpp"

namespace tt::storage::sqlite {

namespace {

// Statements are few and fixed in the code, but a query built from optional filters has one text
// per combination: the cap only guards against an unbounded number of distinct texts.
constexpr std::size_t max_cached_statements = 512;

int open_flags(Access access) {
  // NOMUTEX: a connection is only ever used by the one thread that owns it.
  return access == Access::read_write ? (SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX)
                                      : (SQLite::OPEN_READONLY | SQLite::OPEN_NOMUTEX);
}

SQLite::Database open_file(const std::string& path, Access access, const ConnectionSettings& settings) {
  try {
    return SQLite::Database(path, open_flags(access), static_cast<int>(settings.busy_timeout.count()));
  } catch (...) {
    rethrow_translated("cannot open " + path);
  }
}

void bind_all(SQLite::Statement& stmt, const Params& params) {
  const int expected = stmt.getBindParameterCount();
  if (static_cast<std::size_t>(expected) != params.size()) {
    throw DbError("statement expects " + std::to_string(expected) + " parameters, got " +
                  std::to_string(params.size()) + ": " + stmt.getQuery());
  }
  for (std::size_t i = 0; i < params.size(); ++i) {
    const int index = static_cast<int>(i) + 1;
    std::visit(
        [&](const auto& v) {
          using V = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<V, std::monostate>) {
            stmt.bind(index);
          } else if constexpr (std::is_same_v<V, std::string>) {
            stmt.bindNoCopy(index, v);  // params outlive the statement's execution
          } else {
            stmt.bind(index, v);
          }
        },
        params[i]);
  }
}

Row current_row(const SQLite::Statement& stmt) {
  std::vector<Value> cols;
  cols.reserve(static_cast<std::size_t>(stmt.getColumnCount()));
  for (int i = 0; i < stmt.getColumnCount(); ++i) {
    const SQLite::Column col = stmt.getColumn(i);
    switch (col.getType()) {
      case SQLITE_INTEGER:
        cols.emplace_back(static_cast<std::int64_t>(col.getInt64()));
        break;
      case SQLITE_FLOAT:
        cols.emplace_back(col.getDouble());
        break;
      case SQLITE_TEXT:
      case SQLITE_BLOB:
        cols.emplace_back(col.getString());
        break;
      default:
        cols.emplace_back(std::monostate{});
        break;
    }
  }
  return Row(std::move(cols));
}

// Leaves a cached statement ready for its next use whatever happened during this one.
class ResetGuard {
 public:
  explicit ResetGuard(SQLite::Statement& stmt) : stmt_(stmt) {}
  ~ResetGuard() {
    stmt_.tryReset();
    sqlite3_clear_bindings_noexcept();
  }
  ResetGuard(const ResetGuard&) = delete;
  ResetGuard& operator=(const ResetGuard&) = delete;

 private:
  void sqlite3_clear_bindings_noexcept() noexcept {
    try {
      stmt_.clearBindings();
    } catch (...) {
      // Clearing bindings cannot fail on a reset statement; nothing to recover if it did.
    }
  }
  SQLite::Statement& stmt_;
};

// Whether this database pushes to head office (a row in sync_depot, written when a server first
// started on it with --upstream). A database older than the table has none.
bool holds_sync_depot(SQLite::Database& db) {
  if (!db.tableExists("sync_depot")) return false;
  SQLite::Statement any(db, "SELECT 1 FROM sync_depot LIMIT 1");
  return any.executeStep();
}

}  // namespace

Connection::Connection(const std::string& path, Access access, const ConnectionSettings& settings)
    : db_(open_file(path, access, settings)), capture_changes_(settings.capture_changes && access == Access::read_write) {
  try {
    sqlite3_extended_result_codes(db_.getHandle(), 1);
    if (access == Access::read_write) {
      // WAL is a property of the file: the writer sets it once and readers inherit it. Readers
      // then never block the writer and always see a consistent snapshot.
      // Everything else relies on it (readers beside the writer, the syncer's durability), so a
      // file system where it cannot work is refused rather than served slowly or unsafely.
      const std::string mode = db_.execAndGet("PRAGMA journal_mode=WAL").getString();
      if (mode != "wal") throw DbError("cannot use " + path + " in WAL mode (journal mode stays " + mode + ")");
    }
    db_.exec("PRAGMA foreign_keys=ON");
    db_.exec(settings.sync_full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
    db_.exec("PRAGMA cache_size=-" + std::to_string(settings.cache_kib));
    // The writer runs each request in a savepoint of the group's transaction, and SQLite keeps
    // the pages a savepoint changes in a statement journal: in memory, not in a temporary file
    // written page by page (which cost ~25 write calls per scan).
    db_.exec("PRAGMA temp_store=MEMORY");
    if (access == Access::read_write) {
      // Checkpoints run on the writer's thread, each copying the pages the log holds into the
      // database file with two fsyncs. Every 10,000 pages (40 MB of log) instead of SQLite's
      // 1,000, most hot pages (index roots, the ends of time-ordered indexes) are copied once
      // for many commits: 6,300 to 8,000 child scans/s with 1,000 scanners. The log file is cut
      // back to 64 MB after a checkpoint so a burst does not keep its size.
      db_.exec("PRAGMA wal_autocheckpoint=" + std::to_string(kCheckpointPages));
      db_.exec("PRAGMA journal_size_limit=67108864");
      // A depot's database captures every change, whoever opens it: the server started without
      // --upstream for a day, `tracetrack import`, `tracetrack user`. What they change reaches
      // head office with the rest instead of never (SPEC §8: every event, exactly once).
      if (!capture_changes_) capture_changes_ = holds_sync_depot(db_);
    }
  } catch (...) {
    rethrow_translated("cannot configure " + path);
  }
}

Connection::~Connection() {
  // Statements must be finalised before the connection closes.
  cache_.clear();
}

SQLite::Statement& Connection::prepared(std::string_view sql) {
  if (auto it = cache_.find(sql); it != cache_.end()) return *it->second;
  if (cache_.size() >= max_cached_statements) cache_.clear();
  auto stmt = std::make_unique<SQLite::Statement>(db_, rewrite_placeholders(sql));
  return *cache_.emplace(std::string(sql), std::move(stmt)).first->second;
}

Rows Connection::query(std::string_view sql, const Params& params) {
  try {
    SQLite::Statement& stmt = prepared(sql);
    ResetGuard guard(stmt);
    bind_all(stmt, params);
    Rows rows;
    while (stmt.executeStep()) rows.push_back(current_row(stmt));
    return rows;
  } catch (...) {
    rethrow_translated();
  }
}

std::int64_t Connection::exec(std::string_view sql, const Params& params) {
  try {
    SQLite::Statement& stmt = prepared(sql);
    ResetGuard guard(stmt);
    bind_all(stmt, params);
    sqlite3* handle = db_.getHandle();
    const sqlite3_int64 total_before = sqlite3_total_changes64(handle);
    // Stepping to the end also completes an INSERT … RETURNING whose rows nobody reads.
    while (stmt.executeStep()) {
    }
    // sqlite3_changes64 keeps the count of the last INSERT/UPDATE/DELETE, so a statement that
    // changed nothing (a SELECT, or a write that matched no row) must not report that count.
    if (sqlite3_total_changes64(handle) == total_before) return 0;
    return sqlite3_changes64(handle);
  } catch (...) {
    rethrow_translated();
  }
}

void Connection::exec_script(std::string_view sql) {
  try {
    db_.exec(std::string(sql));
  } catch (...) {
    rethrow_translated();
  }
}

void Connection::checkpoint_after_commits(int pages, CheckpointStats& stats) {
  checkpoint_pages_ = pages;
  checkpoint_stats_ = &stats;
  // Called by SQLite after every commit with the pages now in the log. Installing it turns off
  // SQLite's own automatic checkpoint, which is this same hook with the same PASSIVE checkpoint.
  const auto hook = [](void* self, sqlite3* db, const char* schema, int frames) -> int {
    auto* conn = static_cast<Connection*>(self);
    // A log shorter than at the last commit has restarted from its beginning.
    const int appended = frames >= conn->log_pages_ ? frames - conn->log_pages_ : frames;
    conn->log_pages_ = frames;
    conn->checkpoint_stats_->log_pages.fetch_add(static_cast<std::uint64_t>(appended), std::memory_order_relaxed);
    if (frames < conn->checkpoint_pages_) return SQLITE_OK;
    const auto started = std::chrono::steady_clock::now();
    sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    conn->checkpoint_stats_->us.fetch_add(static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                                                        std::chrono::steady_clock::now() - started)
                                                                        .count()),
                                          std::memory_order_relaxed);
    conn->checkpoint_stats_->count.fetch_add(1, std::memory_order_relaxed);
    // The commit itself succeeded whatever the checkpoint did (a later one copies what is left).
    return SQLITE_OK;
  };
  sqlite3_wal_hook(db_.getHandle(), hook, this);
}

bool Connection::in_transaction() const noexcept { return sqlite3_get_autocommit(db_.getHandle()) == 0; }

}  // namespace tt::storage::sqlite
