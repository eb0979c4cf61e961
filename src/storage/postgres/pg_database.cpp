#include "storage/postgres/pg_database.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <set>

#include "storage/job_queue.hpp"
#include "storage/postgres/pg_errors.hpp"
#include "storage/postgres/pg_group_writer.hpp"
#include "storage/postgres/pg_pool.hpp"
#include "storage/postgres/pg_tx.hpp"
#include "storage/postgres/pg_url.hpp"

namespace tt::storage {

std::unique_ptr<Database> open_postgres(const std::string& url, const DbOptions& options) {
  pg::Target target = pg::parse_target(url);
  return std::make_unique<pg::PgDatabase>(std::move(target.conninfo), std::move(target.description), options,
                                          target.prepared_statements);
}

}  // namespace tt::storage

namespace tt::storage::pg {

namespace {

// Transactions that lose a deadlock or serialization race are run again this many times in all.
constexpr unsigned kConflictAttempts = 4;
constexpr auto kListenRetryPause = std::chrono::seconds(1);

constexpr std::string_view kBeginWrite = "BEGIN";
// One snapshot for every statement of a read job; read-only repeatable read never fails to
// serialize.
constexpr std::string_view kBeginRead = "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY";

unsigned pool_size(const DbOptions& o) {
  if (o.pool_size != 0) return o.pool_size;
  return std::max(4u, 2 * o.threads);
}

bool valid_channel(const std::string& name) {
  if (name.empty() || name.size() > 63) return false;
  if (std::isdigit(static_cast<unsigned char>(name[0]))) return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

// Takes a connection and runs `first` (BEGIN, or the whole statement for ping) on it. A connection
// that sat in the pool may have died in a way the pool's cheap check could not see yet (the server
// closed it a moment ago); its first statement then fails before anything happened, so the job
// moves to another connection. Every idle connection may be dead after a server restart: hence
// one attempt more than the pool holds.
asio::awaitable<Lease> acquire_and_run(Pool& pool, std::string_view first) {
  const unsigned attempts = pool.options().size + 1;
  for (unsigned attempt = 1;; ++attempt) {
    Lease lease = co_await pool.acquire();
    try {
      co_await lease->execute_script(first);
      co_return std::move(lease);
    } catch (const Unavailable&) {
      if (!lease.reused() || attempt >= attempts) throw;
    }
    // The dead connection is closed when `lease` goes out of scope.
  }
}

// Ends the transaction left open by a failed job so the connection can be reused. When that
// fails too the connection is marked broken and the pool closes it.
asio::awaitable<void> roll_back(Connection& conn) {
  if (!conn.in_transaction()) co_return;
  try {
    co_await conn.execute_script("ROLLBACK");
  } catch (const DbError&) {
    // Nothing more to do: a connection that cannot roll back is not idle and will be closed.
  }
}

}  // namespace

// Sockets of listening connections, so that close() can end their waits from any thread.
struct PgDatabase::Listeners {
  std::mutex mutex;
  bool closed = false;
  std::set<int> sockets;
};

PgDatabase::PgDatabase(std::string conninfo, std::string description, const DbOptions& options,
                       bool prepared_statements)
    : conninfo_(std::move(conninfo)), description_(std::move(description)),
      listeners_(std::make_shared<Listeners>()) {
  PoolOptions po;
  po.connection.conninfo = conninfo_;
  po.connection.prepared_statements = prepared_statements;
  po.size = pool_size(options);
  po.acquire_timeout = options.acquire_timeout;
  // The wait limit is what keeps requests from piling up; the queue bound only caps memory when
  // far more requests arrive at once than could ever be served in time.
  po.max_waiters = std::max(1024u, 64 * po.size);
  GroupWriterOptions wo;
  wo.connection = po.connection;
  wo.connection.application_name = "tracetrack writer";
  wo.writers = options.pg_writers != 0 ? options.pg_writers : 1;
  wo.queue_capacity = options.write_queue_capacity;
  pool_ = Pool::create(std::move(po));
  writers_ = std::make_unique<GroupWriters>(std::move(wo));
}

PgDatabase::~PgDatabase() { close(); }

std::string PgDatabase::describe() const { return description_; }

DbStats PgDatabase::stats() const {
  const auto p = pool_->stats();
  DbStats out;
  out.pool_open = p.open;
  out.pool_idle = p.idle;
  out.pool_waiting = p.waiting;
  out.pool_waits_total = p.waits_total;
  const GroupWriterStats w = writers_->stats();
  out.write_queue = w.waiting;
  out.write_groups_total = w.groups;
  out.write_jobs_total = w.jobs;
  out.commit_seconds_total = static_cast<double>(w.commit_us) / 1e6;
  out.write_refused_total = w.refused;
  return out;
}

void PgDatabase::close() {
  // The writers first: a group they are running may finish; queued writes fail.
  writers_->close();
  pool_->close();
  std::lock_guard lock(listeners_->mutex);
  listeners_->closed = true;
  // Ends each listener's wait with an end of stream; the listener then sees `closed` and returns.
  for (int fd : listeners_->sockets) ::shutdown(fd, SHUT_RDWR);
}

asio::awaitable<void> PgDatabase::ping() {
  Lease lease = co_await acquire_and_run(*pool_, "SELECT 1");
}

asio::awaitable<void> PgDatabase::run_transaction(Job job, std::string_view begin) {
  // After a server restart every idle connection may be dead: one attempt more than the pool holds.
  const unsigned stale_attempts = pool_->options().size + 1;
  unsigned conflicts = 0, stale = 0;
  for (;;) {
    Lease lease = co_await pool_->acquire();
    PgTx tx(*lease, std::string(begin), lease.reused());
    std::exception_ptr failure;
    try {
      co_await job(tx);
      co_await tx.commit();
      co_return;
    } catch (...) {
      failure = std::current_exception();
    }
    // The guard: whatever failed, the transaction does not stay open (and if this coroutine is
    // destroyed instead, the lease closes the connection, which rolls back on the server).
    co_await roll_back(*lease);
    try {
      std::rethrow_exception(failure);
    } catch (const StaleConnection& e) {
      if (++stale >= stale_attempts) throw Unavailable(e.what());
    } catch (const RetryableConflict& e) {
      if (++conflicts >= kConflictAttempts) throw Unavailable(std::string("database busy: ") + e.what());
    }
  }
}

asio::awaitable<void> PgDatabase::run_write(Job job, WriteOptions options) {
  if (options.alone) {
    co_await run_transaction(std::move(job), kBeginWrite);
    co_return;
  }
  // The lambda holds references only (nothing to destroy: the coroutine rule, storage/job.hpp);
  // `options` lives in this frame until the job is answered.
  GroupWriters& writers = *writers_;
  const WriteOptions& o = options;
  co_await asio::async_initiate<const asio::use_awaitable_t<>&, void(std::exception_ptr)>(
      [&writers, &o](auto handler, Job job) {
        PendingJob pending(std::move(job), PendingJob::Scope::transaction, std::move(handler));
        pending.affinity = o.affinity;
        pending.concurrent = o.concurrent;
        writers.submit(std::move(pending));
      },
      asio::use_awaitable, std::move(job));
}

asio::awaitable<void> PgDatabase::run_read(Job job) { co_await run_transaction(std::move(job), kBeginRead); }

asio::awaitable<void> PgDatabase::listen(std::vector<std::string> channels, NotificationHandler handler,
                                         std::function<void()> on_connected) {
  for (const auto& c : channels) {
    if (!valid_channel(c)) throw DbError("invalid notification channel name: " + c);
  }
  auto ex = co_await asio::this_coro::executor;
  const std::shared_ptr<Listeners> listeners = listeners_;
  auto is_closed = [&listeners] {
    std::lock_guard lock(listeners->mutex);
    return listeners->closed;
  };

  ConnectionOptions co;
  co.conninfo = conninfo_;
  co.prepared_statements = false;

  while (!is_closed()) {
    try {
      std::unique_ptr<Connection> conn = co_await Connection::open(co);
      const int fd = conn->socket();
      {
        std::lock_guard lock(listeners->mutex);
        if (listeners->closed) co_return;
        listeners->sockets.insert(fd);
      }
      // Unregistered before the connection (and its descriptor) is closed, so close() never
      // shuts down a descriptor number that was reused for something else.
      struct Unregister {
        std::shared_ptr<Listeners> l;
        int fd;
        ~Unregister() {
          std::lock_guard lock(l->mutex);
          l->sockets.erase(fd);
        }
      } unregister{listeners, fd};

      for (const auto& c : channels) co_await conn->execute("LISTEN \"" + c + "\"");
      if (on_connected) on_connected();
      for (;;) {
        while (auto n = conn->next_notification()) handler(*n);
        if (is_closed()) co_return;
        co_await conn->wait_for_input();
      }
    } catch (const Unavailable&) {
      // Lost or could not connect: try again after a pause (below), unless closing.
    } catch (const boost::system::system_error& e) {
      if (e.code() == asio::error::operation_aborted) co_return;  // the caller cancelled us
      throw;
    }
    if (is_closed()) co_return;
    asio::steady_timer pause(ex, kListenRetryPause);
    auto [ec] = co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
    if (ec) co_return;  // cancelled
  }
}

asio::awaitable<void> notify(Tx& tx, std::string channel, std::string payload) {
  Params params{Value(std::move(channel)), Value(std::move(payload))};
  co_await tx.query("SELECT pg_notify($1, $2)", std::move(params));
}

}  // namespace tt::storage::pg
