#include "storage/postgres/pg_group_writer.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <algorithm>
#include <functional>

#include "storage/postgres/pg_group_run.hpp"

namespace tt::storage::pg {

namespace {

// Runs of a job in all before a lock conflict or a lost transaction becomes its error.
constexpr unsigned kAttempts = 4;

asio::awaitable<void> open_into(std::unique_ptr<Connection>& conn, ConnectionOptions options) {
  conn = co_await Connection::open(std::move(options));
}

asio::awaitable<void> run_and_finish(GroupRun& group) {
  co_await group.execute();
  co_await group.finish();
}

// Drives ctx until `done` is set by a completion handler running on it.
void run_until(asio::io_context& ctx, const bool& done) {
  while (!done) {
    ctx.restart();
    ctx.run_one();
  }
}

}  // namespace

struct GroupWriters::Writer {
  explicit Writer(std::size_t capacity) : queue(capacity) {}
  JobQueue queue;
  std::thread thread;
  std::atomic<std::uint64_t> groups{0}, jobs{0}, commit_us{0}, rerun{0};
};

GroupWriters::GroupWriters(GroupWriterOptions options) : options_(std::move(options)) {
  const unsigned n = std::max(1u, options_.writers);
  for (unsigned i = 0; i < n; ++i) writers_.push_back(std::make_unique<Writer>(options_.queue_capacity));
  for (auto& w : writers_) {
    Writer* writer = w.get();
    w->thread = std::thread([this, writer] { loop(*writer); });
  }
}

GroupWriters::~GroupWriters() { close(); }

void GroupWriters::submit(PendingJob job) {
  Writer* target = nullptr;
  if (!job.affinity.empty()) {
    target = writers_[std::hash<std::string_view>{}(job.affinity) % writers_.size()].get();
  } else {
    for (auto& w : writers_) {
      if (!target || w->queue.size() < target->queue.size()) target = w.get();
    }
  }
  target->queue.push(std::move(job));
}

void GroupWriters::close() {
  if (closed_.exchange(true)) return;
  for (auto& w : writers_) w->queue.close();
  for (auto& w : writers_) {
    if (w->thread.joinable()) w->thread.join();
  }
}

GroupWriterStats GroupWriters::stats() const {
  GroupWriterStats s;
  for (const auto& w : writers_) {
    s.groups += w->groups.load(std::memory_order_relaxed);
    s.jobs += w->jobs.load(std::memory_order_relaxed);
    s.commit_us += w->commit_us.load(std::memory_order_relaxed);
    s.rerun += w->rerun.load(std::memory_order_relaxed);
    s.refused += w->queue.refused();
    s.waiting += w->queue.size();
  }
  return s;
}

void GroupWriters::settle(Writer& w, GroupRun& group) {
  std::vector<PendingJob>& batch = group.jobs();
  std::vector<PendingJob> again;
  std::uint64_t answered = 0;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const Fate fate = group.fates()[i];
    if (fate == Fate::again_innocent || fate == Fate::again_alone ||
        (fate == Fate::again && ++batch[i].conflicts < kAttempts)) {
      if (fate == Fate::again_alone) batch[i].alone = true;
      again.push_back(std::move(batch[i]));
      continue;
    }
    std::exception_ptr outcome = group.outcomes()[i];
    if (fate == Fate::again) {
      std::string why = "database busy";
      if (outcome) {
        try {
          std::rethrow_exception(outcome);
        } catch (const std::exception& e) {
          why += std::string(": ") + e.what();
        } catch (...) {
        }
      }
      outcome = std::make_exception_ptr(Unavailable(why));
    }
    batch[i].complete(outcome);
    ++answered;
  }
  w.jobs.fetch_add(answered, std::memory_order_relaxed);
  w.commit_us.fetch_add(group.commit_us(), std::memory_order_relaxed);
  if (group.committed()) w.groups.fetch_add(1, std::memory_order_relaxed);
  if (!again.empty()) {
    w.rerun.fetch_add(again.size(), std::memory_order_relaxed);
    w.queue.push_front(std::move(again));
  }
}

void GroupWriters::loop(Writer& w) {
  // Drives the jobs' coroutines and the connection's socket on this thread.
  asio::io_context ctx;
  std::unique_ptr<Connection> conn;
  for (;;) {
    // Everything queued while the previous group was committing goes into the next one.
    std::vector<PendingJob> batch = w.queue.take(options_.max_group);
    if (batch.empty()) return;  // closed
    if (conn && !conn->idle()) conn.reset();  // broken, or left mid-transaction
    if (!conn) {
      bool opened = false;
      std::exception_ptr failure;
      asio::co_spawn(ctx, open_into(conn, options_.connection), [&](std::exception_ptr e) {
        failure = e;
        opened = true;
      });
      run_until(ctx, opened);
      if (failure) {
        conn.reset();
        for (auto& job : batch) job.complete(failure);
        continue;
      }
    }
    // A second connection committing one group while the next runs was tried: the two server
    // processes then competed for the same pages and both cores, and each scan cost half as much
    // again (bench/PROFILE.md). One connection, one group after the other.
    GroupRun group(*conn, ctx.get_executor(), std::move(batch));
    bool ended = false;
    std::exception_ptr failure;
    asio::co_spawn(ctx, run_and_finish(group), [&](std::exception_ptr e) {
      failure = e;
      ended = true;
    });
    run_until(ctx, ended);
    if (failure) {
      // The group's own code failed (it should not): every job gets the error, and the connection
      // is dropped with whatever transaction it holds.
      for (auto& job : group.jobs()) job.complete(failure);
      conn.reset();
      continue;
    }
    settle(w, group);
  }
}

}  // namespace tt::storage::pg
