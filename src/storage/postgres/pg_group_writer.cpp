#include "storage/postgres/pg_group_writer.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <algorithm>
#include <chrono>
#include <functional>

#include "storage/postgres/pg_errors.hpp"
#include "storage/postgres/pg_group_tx.hpp"

namespace tt::storage::pg {

namespace {

// Runs of a job in all before a lock conflict or a lost transaction becomes its error.
constexpr unsigned kAttempts = 4;

bool is_conflict(const std::exception_ptr& e) {
  try {
    std::rethrow_exception(e);
  } catch (const RetryableConflict&) {
    return true;
  } catch (...) {
    return false;
  }
}

// Ends whatever transaction a failed group left open, so the connection can serve the next one;
// when that fails too, the connection is dropped (the server rolls back when it closes).
asio::awaitable<void> roll_back(std::unique_ptr<Connection>& conn) {
  if (!conn) co_return;
  if (conn->in_transaction()) {
    try {
      co_await conn->execute_script("ROLLBACK");
    } catch (const DbError&) {
      // handled below: the connection is not idle
    }
  }
  if (!conn->idle()) conn.reset();
}

}  // namespace

struct GroupWriters::Writer {
  explicit Writer(std::size_t capacity) : queue(capacity) {}
  JobQueue queue;
  std::thread thread;
  std::atomic<std::uint64_t> groups{0}, jobs{0}, commit_us{0}, rerun{0};
};

namespace {

// What becomes of each job of a group: answered, or run again in a later group (counted as an
// attempt when the job itself lost a conflict, not when it only shared a transaction that failed),
// or run again in a transaction of its own.
enum class Fate { done, again, again_innocent, again_alone };

struct GroupRun {
  std::vector<std::exception_ptr> outcome;
  std::vector<Fate> fate;
  bool committed = false;
};

}  // namespace

GroupWriters::GroupWriters(GroupWriterOptions options) : options_(std::move(options)) {
  const unsigned n = std::max(1u, options_.writers);
  for (unsigned i = 0; i < n; ++i) writers_.push_back(std::make_unique<Writer>(options_.queue_capacity));
  for (auto& w : writers_) {
    Writer* writer = w.get();
    w->thread = std::thread([this, writer] { loop(*writer); });
  }
}

GroupWriters::~GroupWriters() { close(); }

void GroupWriters::submit(PendingJob job, std::string_view affinity) {
  Writer* target = nullptr;
  if (!affinity.empty()) {
    target = writers_[std::hash<std::string_view>{}(affinity) % writers_.size()].get();
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

namespace {

bool is_group_aborted(const std::exception_ptr& e) {
  try {
    std::rethrow_exception(e);
  } catch (const GroupAborted&) {
    return true;
  } catch (...) {
    return false;
  }
}

// Runs one group on `conn` (opened first when there is none) and decides each job's fate.
asio::awaitable<void> run_group(std::unique_ptr<Connection>& conn, const ConnectionOptions& connection,
                                std::vector<PendingJob>& batch, GroupRun& run, std::uint64_t& commit_us) {
  const std::size_t n = batch.size();
  run.outcome.assign(n, nullptr);
  run.fate.assign(n, Fate::done);

  if (!conn || !conn->usable()) {
    conn.reset();
    try {
      conn = co_await Connection::open(connection);
    } catch (...) {
      run.outcome.assign(n, std::current_exception());
      co_return;
    }
  }

  GroupTx tx(*conn);
  std::vector<bool> blamed(n, false);
  bool roll_back_group = false;
  std::exception_ptr lost;  // the connection, or the COMMIT itself, failed
  std::size_t ran = 0;
  while (ran < n) {
    const std::size_t i = ran++;
    tx.begin_job(i);
    std::exception_ptr e;
    try {
      co_await batch[i].job()(tx);
    } catch (...) {
      e = std::current_exception();
    }
    const bool touched = tx.touched();
    tx.end_job(e != nullptr);
    if (!e) continue;
    if (!conn->usable()) {
      lost = e;
      break;
    }
    if (is_group_aborted(e)) {  // an earlier job's statement failed in this job's round trip
      roll_back_group = true;
      break;
    }
    run.outcome[i] = e;
    if (touched || tx.aborted()) {  // its work, or the transaction, cannot be undone alone
      blamed[i] = true;
      roll_back_group = true;
      break;
    }
    // Failed before it sent anything: its answer stands and the group goes on.
  }
  if (!roll_back_group && !lost) {
    const auto started = std::chrono::steady_clock::now();
    try {
      co_await tx.commit();
      run.committed = true;
    } catch (const GroupAborted&) {
      roll_back_group = true;
    } catch (...) {
      if (tx.appends_failed() && conn->usable()) {
        roll_back_group = true;
      } else {
        lost = std::current_exception();
      }
    }
    commit_us += static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started).count());
  }
  for (auto& [index, error] : tx.late_failures()) {
    run.outcome[index] = error;
    blamed[index] = true;
  }

  if (run.committed) {
    for (std::size_t i = 0; i < n; ++i) {
      if (run.outcome[i] && is_conflict(run.outcome[i])) run.fate[i] = Fate::again;
    }
    co_return;
  }

  const bool unknown = lost && tx.commit_sent() && !conn->usable();
  co_await roll_back(conn);
  // Rows appended to a log table failed to insert, and whose row it was is unknown: each of the
  // jobs that appended runs again alone, which tells.
  std::vector<std::size_t> appenders;
  if (tx.appends_failed()) appenders = tx.appenders();
  for (std::size_t i = 0; i < n; ++i) {
    if (blamed[i] || (appenders.size() == 1 && appenders.front() == i)) {
      if (!run.outcome[i]) run.outcome[i] = lost;
      run.fate[i] = is_conflict(run.outcome[i]) ? Fate::again : Fate::done;
      continue;
    }
    if (i < ran && run.outcome[i]) continue;  // failed before sending anything: its answer stands
    if (unknown && i < ran) {
      run.outcome[i] = std::make_exception_ptr(
          Unavailable("database connection lost while committing: whether the change was saved is unknown"));
      continue;
    }
    const bool appended = std::find(appenders.begin(), appenders.end(), i) != appenders.end();
    run.outcome[i] = lost;
    // Nothing of the transaction was committed: the job runs again. When the connection or the
    // COMMIT failed it counts as an attempt (the same may happen again); when another job broke
    // the group it does not.
    run.fate[i] = appended ? Fate::again_alone : (lost ? Fate::again : Fate::again_innocent);
  }
}

}  // namespace

void GroupWriters::loop(Writer& w) {
  asio::io_context ctx;  // drives the jobs' coroutines and the connection's socket on this thread
  std::unique_ptr<Connection> conn;
  for (;;) {
    // Everything queued while the previous group was committing goes into the next one.
    std::vector<PendingJob> batch = w.queue.take(options_.max_group);
    if (batch.empty()) return;
    GroupRun run;
    std::uint64_t commit_us = 0;
    std::exception_ptr broken;
    asio::co_spawn(ctx, run_group(conn, options_.connection, batch, run, commit_us),
                   [&broken](std::exception_ptr e) { broken = e; });
    ctx.restart();
    ctx.run();
    if (broken || run.outcome.size() != batch.size()) {
      // The group's own code failed (it should not): the transaction is abandoned with its
      // connection, and every job gets the error.
      conn.reset();
      if (!broken) broken = std::make_exception_ptr(DbError("a write group ended without an outcome"));
      for (auto& job : batch) job.complete(broken);
      continue;
    }

    std::vector<PendingJob> again;
    std::uint64_t answered = 0;
    for (std::size_t i = 0; i < batch.size(); ++i) {
      const Fate fate = run.fate[i];
      if (fate == Fate::again_innocent || fate == Fate::again_alone ||
          (fate == Fate::again && ++batch[i].conflicts < kAttempts)) {
        if (fate == Fate::again_alone) batch[i].alone = true;
        again.push_back(std::move(batch[i]));
        continue;
      }
      std::exception_ptr outcome = run.outcome[i];
      if (fate == Fate::again) {
        std::string why = "database busy";
        try {
          std::rethrow_exception(outcome);
        } catch (const std::exception& e) {
          why += std::string(": ") + e.what();
        } catch (...) {
        }
        outcome = std::make_exception_ptr(Unavailable(why));
      }
      batch[i].complete(outcome);
      ++answered;
    }
    w.jobs.fetch_add(answered, std::memory_order_relaxed);
    w.commit_us.fetch_add(commit_us, std::memory_order_relaxed);
    if (run.committed) w.groups.fetch_add(1, std::memory_order_relaxed);
    if (!again.empty()) {
      w.rerun.fetch_add(again.size(), std::memory_order_relaxed);
      w.queue.push_front(std::move(again));
    }
  }
}

}  // namespace tt::storage::pg
