#include "storage/postgres/pg_group_run.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <chrono>

#include "storage/postgres/pg_errors.hpp"

namespace tt::storage::pg {

namespace {

bool is_conflict(const std::exception_ptr& e) {
  if (!e) return false;
  try {
    std::rethrow_exception(e);
  } catch (const RetryableConflict&) {
    return true;
  } catch (...) {
    return false;
  }
}

bool is_group_aborted(const std::exception_ptr& e) {
  if (!e) return false;
  try {
    std::rethrow_exception(e);
  } catch (const GroupAborted&) {
    return true;
  } catch (...) {
    return false;
  }
}

// Rounds of letting the running jobs run, in vain, before a job is taken to wait for something
// outside the database (which a job must never do): its group is abandoned.
constexpr unsigned kSettleRounds = 100000;

}  // namespace

GroupRun::GroupRun(Connection& conn, asio::any_io_executor ex, std::vector<PendingJob> batch)
    : conn_(conn), ex_(ex), batch_(std::move(batch)), tx_(conn, std::move(ex)), outcome_(batch_.size()),
      fate_(batch_.size(), Fate::done), blamed_(batch_.size(), false), started_(batch_.size(), false) {}

void GroupRun::start_eligible() {
  // In order: a job waits for every earlier job of its affinity, and a job that is not concurrent
  // runs alone. The first job that cannot start stops the others behind it.
  while (next_ < batch_.size() && !tx_.aborted() && !exclusive_running_) {
    const PendingJob& job = batch_[next_];
    if (!job.concurrent) {
      if (running_ > 0) return;
      exclusive_running_ = true;
    } else {
      const std::string_view affinity = job.affinity;
      if (!affinity.empty() && std::find(running_affinities_.begin(), running_affinities_.end(), affinity) !=
                                   running_affinities_.end()) {
        return;
      }
      running_affinities_.push_back(affinity);
    }
    const std::size_t i = next_++;
    started_[i] = true;
    ++running_;
    asio::co_spawn(ex_, run_job(i), asio::detached);
  }
}

asio::awaitable<void> GroupRun::run_job(std::size_t i) {
  JobTx tx(tx_, i);
  std::exception_ptr e;
  try {
    co_await batch_[i].job()(tx);
  } catch (...) {
    e = std::current_exception();
  }
  on_done(i, e, tx.touched());
}

void GroupRun::on_done(std::size_t i, std::exception_ptr e, bool touched) {
  --running_;
  if (!batch_[i].concurrent) {
    exclusive_running_ = false;
  } else {
    auto it = std::find(running_affinities_.begin(), running_affinities_.end(), std::string_view(batch_[i].affinity));
    if (it != running_affinities_.end()) running_affinities_.erase(it);
  }
  if (e) {
    if (is_group_aborted(e)) return;  // another job broke the transaction: this one runs again
    outcome_[i] = e;
    tx_.forget(i);
    if (!conn_.usable()) {
      if (!lost_) lost_ = e;
      tx_.abandon();
      return;
    }
    if (touched || tx_.aborted()) {
      // Its work, or the transaction, cannot be undone alone.
      blamed_[i] = true;
      tx_.abandon();
      return;
    }
    // Failed before it sent anything: its answer stands and the group goes on.
  }
  start_eligible();
}

asio::awaitable<void> GroupRun::execute() {
  start_eligible();
  for (;;) {
    // Let every runnable job run up to its next round trip (or to its end).
    unsigned rounds = 0;
    while (running_ != tx_.waiting()) {
      if (++rounds > kSettleRounds) {
        if (!lost_) lost_ = std::make_exception_ptr(DbError("a transaction waited for an operation outside the database"));
        tx_.abandon();
        rounds = 0;
      }
      co_await asio::post(ex_, asio::use_awaitable);
    }
    if (running_ == 0) {
      start_eligible();
      if (running_ == 0) break;
      continue;
    }
    try {
      co_await tx_.flush();
    } catch (...) {
      if (!lost_) lost_ = std::current_exception();  // the connection: every waiting job has the error
    }
  }
}

asio::awaitable<void> GroupRun::finish() {
  if (!tx_.aborted() && !lost_) {
    const auto started = std::chrono::steady_clock::now();
    try {
      co_await tx_.commit();
      committed_ = true;
    } catch (...) {
      // Kept either way: when a row written with the COMMIT failed (definite), its error is the
      // answer of the job it is pinned on, there may be no other.
      commit_error_ = std::current_exception();
      const bool definite = conn_.usable() && (tx_.appends_failed() || !tx_.late_failures().empty());
      if (!definite) lost_ = commit_error_;
    }
    commit_us_ = static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started).count());
  }
  decide();
  if (!committed_ && conn_.in_transaction()) {
    // Ends what is left of the transaction so the connection serves the next group; if that
    // fails too, the connection is not idle and the writer drops it.
    try {
      co_await conn_.execute_script("ROLLBACK");
    } catch (const DbError&) {
    }
  }
}

void GroupRun::decide() {
  const std::size_t n = batch_.size();
  for (auto& [index, error] : tx_.late_failures()) {
    outcome_[index] = error;
    blamed_[index] = true;
  }
  if (committed_) {
    for (std::size_t i = 0; i < n; ++i) {
      if (outcome_[i] && is_conflict(outcome_[i])) fate_[i] = Fate::again;
    }
    return;
  }
  // Nothing of the transaction was committed. Why, for the jobs that get no error of their own.
  std::exception_ptr failure = lost_ ? lost_ : commit_error_;
  if (!failure) failure = std::make_exception_ptr(DbError("the group's transaction was not committed"));
  const bool unknown = lost_ && tx_.commit_sent() && !conn_.usable();
  // Rows appended to a log table failed to insert, and whose row it was is unknown: each of the
  // jobs that appended runs again alone, which tells.
  std::vector<std::size_t> appenders;
  if (tx_.appends_failed()) appenders = tx_.appenders();
  for (std::size_t i = 0; i < n; ++i) {
    if (blamed_[i] || (appenders.size() == 1 && appenders.front() == i)) {
      if (!outcome_[i]) outcome_[i] = failure;
      fate_[i] = is_conflict(outcome_[i]) ? Fate::again : Fate::done;
      continue;
    }
    if (started_[i] && outcome_[i] && !is_group_aborted(outcome_[i]) &&
        outcome_[i] != lost_) {
      continue;  // failed before sending anything: its answer stands
    }
    if (unknown && started_[i]) {
      outcome_[i] = std::make_exception_ptr(
          Unavailable("database connection lost while committing: whether the change was saved is unknown"));
      continue;
    }
    const bool appended = std::find(appenders.begin(), appenders.end(), i) != appenders.end();
    outcome_[i] = failure;
    // Runs again: as an attempt when the connection, BEGIN or COMMIT failed (the same may happen
    // again), not when another job broke the group.
    if (appended) {
      fate_[i] = Fate::again_alone;
    } else if (lost_ || tx_.failed_itself()) {
      fate_[i] = Fate::again;
    } else {
      fate_[i] = Fate::again_innocent;
    }
  }
}

}  // namespace tt::storage::pg
