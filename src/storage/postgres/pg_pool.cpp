#include "storage/postgres/pg_pool.hpp"

#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <functional>

namespace tt::storage::pg {

// A coroutine queued for a connection. The pool hands it either a connection or the right to
// open one, under the pool's mutex, then wakes it through `wake` (thread-safe, completes on the
// waiter's executor).
struct Pool::Waiter {
  explicit Waiter(const asio::any_io_executor& ex) : wake(ex, 1) {}
  asio::experimental::concurrent_channel<void(boost::system::error_code)> wake;
  std::unique_ptr<Connection> conn;
  bool may_open = false;
};

namespace {

// Gives a connection slot back unless dismissed: covers failures while opening and coroutines
// destroyed while suspended.
class SlotGuard {
 public:
  explicit SlotGuard(std::function<void()> release) : release_(std::move(release)) {}
  ~SlotGuard() {
    if (release_) release_();
  }
  void dismiss() noexcept { release_ = nullptr; }

 private:
  std::function<void()> release_;
};

}  // namespace

Lease::Lease(std::shared_ptr<Pool> pool, std::unique_ptr<Connection> conn, bool reused) noexcept
    : pool_(std::move(pool)), conn_(std::move(conn)), reused_(reused) {}

Lease::~Lease() {
  if (conn_) pool_->give_back(std::move(conn_));
}

std::shared_ptr<Pool> Pool::create(PoolOptions options) {
  return std::shared_ptr<Pool>(new Pool(std::move(options)));
}

Pool::Pool(PoolOptions options) : options_(std::move(options)) {}

Pool::Stats Pool::stats() const {
  std::lock_guard lock(mutex_);
  return Stats{open_, static_cast<unsigned>(idle_.size()), static_cast<unsigned>(waiters_.size()), waits_total_};
}

asio::awaitable<Lease> Pool::acquire() {
  auto ex = co_await asio::this_coro::executor;
  for (;;) {
    std::unique_ptr<Connection> conn;
    std::shared_ptr<Waiter> waiter;
    bool may_open = false;
    {
      std::lock_guard lock(mutex_);
      if (closed_) throw Unavailable("database is closed");
      if (!idle_.empty()) {
        conn = std::move(idle_.back());  // the most recently used: least likely to have timed out
        idle_.pop_back();
      } else if (open_ < options_.size) {
        ++open_;
        may_open = true;
      } else if (waiters_.size() >= options_.max_waiters) {
        throw Unavailable("database busy");
      } else {
        waiter = std::make_shared<Waiter>(ex);
        waiters_.push_back(waiter);
        ++waits_total_;
      }
    }

    if (conn) {
      if (conn->still_alive()) co_return Lease(shared_from_this(), std::move(conn), true);
      conn.reset();     // dead while idle (server restarted, backend terminated): replace it
      may_open = true;  // in the slot it held
    }

    if (waiter) {
      // Removes the waiter however this coroutine ends, returning what it may have been handed.
      std::shared_ptr<Pool> self = shared_from_this();
      SlotGuard leave([self, waiter] { self->abandon(waiter); });
      asio::steady_timer timer(ex, options_.acquire_timeout);
      co_await asio::experimental::make_parallel_group(waiter->wake.async_receive(asio::deferred),
                                                       timer.async_wait(asio::deferred))
          .async_wait(asio::experimental::wait_for_one(), asio::use_awaitable);
      {
        std::lock_guard lock(mutex_);
        if (waiter->conn) {
          conn = std::move(waiter->conn);
        } else if (waiter->may_open) {
          waiter->may_open = false;
          may_open = true;
        }
      }
      if (conn) co_return Lease(shared_from_this(), std::move(conn), false);
      if (!may_open) {
        std::lock_guard lock(mutex_);
        throw Unavailable(closed_ ? "database is closed" : "database busy");
      }
    }

    if (may_open) {
      std::shared_ptr<Pool> self = shared_from_this();
      SlotGuard slot([self] { self->release_slot(); });
      auto fresh = co_await Connection::open(options_.connection);
      slot.dismiss();
      co_return Lease(shared_from_this(), std::move(fresh), false);
    }
  }
}

void Pool::give_back(std::unique_ptr<Connection> conn) {
  conn->release_socket_wait();
  if (!conn->idle()) {
    conn.reset();  // closing it rolls back whatever it was doing
    release_slot();
    return;
  }
  std::shared_ptr<Waiter> woken;
  {
    std::lock_guard lock(mutex_);
    if (closed_) {
      --open_;
    } else if (!waiters_.empty()) {
      woken = std::move(waiters_.front());
      waiters_.pop_front();
      woken->conn = std::move(conn);
    } else {
      idle_.push_back(std::move(conn));
    }
  }
  if (woken) woken->wake.try_send(boost::system::error_code{});
  // A connection not handed on is closed here, outside the lock.
}

void Pool::release_slot() {
  std::shared_ptr<Waiter> woken;
  {
    std::lock_guard lock(mutex_);
    if (!closed_ && !waiters_.empty()) {
      woken = std::move(waiters_.front());
      waiters_.pop_front();
      woken->may_open = true;  // the slot passes to it: open_ stays
    } else {
      --open_;
    }
  }
  if (woken) woken->wake.try_send(boost::system::error_code{});
}

void Pool::abandon(const std::shared_ptr<Waiter>& waiter) {
  std::unique_ptr<Connection> conn;
  bool slot = false;
  {
    std::lock_guard lock(mutex_);
    auto it = std::find(waiters_.begin(), waiters_.end(), waiter);
    if (it != waiters_.end()) waiters_.erase(it);
    conn = std::move(waiter->conn);
    slot = waiter->may_open;
    waiter->may_open = false;
  }
  if (conn) give_back(std::move(conn));
  if (slot) release_slot();
}

void Pool::close() {
  std::vector<std::unique_ptr<Connection>> idle;
  std::deque<std::shared_ptr<Waiter>> waiters;
  {
    std::lock_guard lock(mutex_);
    if (closed_) return;
    closed_ = true;
    idle.swap(idle_);
    waiters.swap(waiters_);
    open_ -= static_cast<unsigned>(idle.size());
  }
  for (auto& w : waiters) w->wake.try_send(boost::system::error_code{});
  // idle connections close here, outside the lock
}

}  // namespace tt::storage::pg
