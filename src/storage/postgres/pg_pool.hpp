// A bounded pool of PostgreSQL connections shared by every io_context thread.
//
// * At most `size` connections exist; they are opened on demand and kept for reuse.
// * A request that finds none free waits in a bounded FIFO queue for at most `acquire_timeout`,
//   then fails with Unavailable("database busy") (503 + Retry-After), never hangs; when the queue
//   is full it fails at once.
// * A connection that sat idle is checked without a round trip before reuse (a server restart or
//   a terminated backend leaves a readable end of stream on its socket) and replaced if dead.
// * A connection returned while a statement was in flight or a transaction open (the request was
//   cancelled or failed half-way) is closed, never reused: the server rolls its transaction back.
// Pool state is guarded by a mutex; a waiter is woken through a channel bound to its own executor,
// so it resumes where it started.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <deque>
#include <memory>
#include <mutex>
#include <vector>

#include "storage/postgres/pg_connection.hpp"

namespace tt::storage::pg {

struct PoolOptions {
  ConnectionOptions connection;
  unsigned size = 4;
  std::chrono::milliseconds acquire_timeout{2000};
  unsigned max_waiters = 64;
};

class Pool;

// A connection on loan to one coroutine; goes back to the pool (or is closed) when destroyed.
class Lease {
 public:
  Lease(std::shared_ptr<Pool> pool, std::unique_ptr<Connection> conn, bool reused) noexcept;
  Lease(Lease&& other) noexcept = default;
  Lease& operator=(Lease&&) = delete;
  Lease(const Lease&) = delete;
  ~Lease();

  Connection& operator*() const noexcept { return *conn_; }
  Connection* operator->() const noexcept { return conn_.get(); }
  // True when the connection was opened earlier and sat idle, so it may have died meanwhile.
  bool reused() const noexcept { return reused_; }

 private:
  std::shared_ptr<Pool> pool_;
  std::unique_ptr<Connection> conn_;
  bool reused_;
};

class Pool : public std::enable_shared_from_this<Pool> {
 public:
  static std::shared_ptr<Pool> create(PoolOptions options);

  // A connection for the calling coroutine. Throws Unavailable when none frees up in time, the
  // server cannot be reached, or the pool is closed.
  asio::awaitable<Lease> acquire();

  // Closes idle connections and fails waiters; leased connections close when returned.
  void close();

  struct Stats {
    unsigned open = 0;     // connections existing or being opened
    unsigned idle = 0;     // of which free
    unsigned waiting = 0;  // coroutines queued for one
    std::uint64_t waits_total = 0;  // acquisitions that queued, since the pool was made
  };
  Stats stats() const;
  const PoolOptions& options() const noexcept { return options_; }

 private:
  struct Waiter;
  friend class Lease;

  explicit Pool(PoolOptions options);
  void give_back(std::unique_ptr<Connection> conn);
  // A connection slot is free again (a connection was closed or never opened).
  void release_slot();
  // A waiter's coroutine is gone or gave up: remove it and return whatever it was handed.
  void abandon(const std::shared_ptr<Waiter>& waiter);

  const PoolOptions options_;
  mutable std::mutex mutex_;
  bool closed_ = false;
  unsigned open_ = 0;
  std::uint64_t waits_total_ = 0;
  std::vector<std::unique_ptr<Connection>> idle_;
  std::deque<std::shared_ptr<Waiter>> waiters_;
};

}  // namespace tt::storage::pg
