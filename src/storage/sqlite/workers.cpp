#include "storage/sqlite/workers.hpp"

#include <boost/asio/co_spawn.hpp>

#include <iterator>

#include "storage/sqlite/sqlite_tx.hpp"

namespace tt::storage::sqlite {

namespace {

// Runs a job's coroutine to completion on this thread and returns how it ended.
std::exception_ptr run_job(asio::io_context& ctx, const Database::Job& job, Tx& tx) {
  std::exception_ptr outcome;
  bool finished = false;
  try {
    asio::co_spawn(ctx, job(tx), [&](std::exception_ptr e) {
      outcome = e;
      finished = true;
    });
  } catch (...) {
    return std::current_exception();
  }
  ctx.restart();
  ctx.run();
  if (!finished) {
    // The coroutine waited for something that holds no work on this thread's context: it can
    // never resume here, and the transaction cannot stay open for it.
    return std::make_exception_ptr(DbError("a transaction waited for an operation outside the database"));
  }
  return outcome;
}

void exec(Connection& conn, std::string_view sql) { conn.exec(sql, {}); }

void rollback_if_open(Connection& conn) noexcept {
  if (!conn.in_transaction()) return;
  try {
    exec(conn, "ROLLBACK");
  } catch (...) {
    // The connection is unusable; the next BEGIN reports the failure to its jobs.
  }
}

}  // namespace

void run_write_batch(Connection& conn, asio::io_context& ctx, std::vector<PendingJob>& batch, JobQueue& queue,
                     WriteCounters& counters, WalSyncer* syncer) {
  try {
    exec(conn, "BEGIN IMMEDIATE");
  } catch (...) {
    const std::exception_ptr error = std::current_exception();
    for (auto& job : batch) job.complete(error);
    return;
  }

  std::vector<std::exception_ptr> outcomes(batch.size());
  std::exception_ptr lost;  // set when the batch's transaction as a whole cannot commit
  std::size_t ran = 0;      // jobs that have run (their savepoint opened)
  SqliteTx tx(conn);
  while (ran < batch.size() && !lost) {
    try {
      exec(conn, "SAVEPOINT job");
    } catch (...) {
      lost = std::current_exception();
      break;
    }
    const std::size_t i = ran++;
    outcomes[i] = run_job(ctx, batch[i].job(), tx);
    if (outcomes[i] && !conn.in_transaction()) {
      // Some errors (disk full, I/O) make SQLite roll back the whole transaction by itself: the
      // earlier jobs' work is gone with it.
      lost = outcomes[i];
      break;
    }
    try {
      if (outcomes[i]) exec(conn, "ROLLBACK TO job");
      exec(conn, "RELEASE job");
    } catch (...) {
      lost = std::current_exception();
    }
  }
  if (!lost) {
    try {
      exec(conn, "COMMIT");
    } catch (...) {
      // A deferred constraint, or the disk: nothing of this batch is durable.
      lost = std::current_exception();
    }
  }

  if (lost) {
    rollback_if_open(conn);
    if (ran > 0 && ran < batch.size()) {
      // Jobs that never ran may succeed in the next transaction. Requeued only after progress,
      // so a failure that repeats cannot loop forever.
      std::vector<PendingJob> unrun(std::make_move_iterator(batch.begin() + static_cast<std::ptrdiff_t>(ran)),
                                    std::make_move_iterator(batch.end()));
      batch.erase(batch.begin() + static_cast<std::ptrdiff_t>(ran), batch.end());
      queue.push_front(std::move(unrun));
    }
    for (std::size_t i = 0; i < batch.size(); ++i) batch[i].complete(outcomes[i] ? outcomes[i] : lost);
    return;
  }

  counters.batches.fetch_add(1, std::memory_order_relaxed);
  counters.jobs.fetch_add(batch.size(), std::memory_order_relaxed);
  if (syncer) {
    syncer->submit(std::move(batch), std::move(outcomes));
    batch.clear();
    return;
  }
  for (std::size_t i = 0; i < batch.size(); ++i) batch[i].complete(outcomes[i]);
}

void run_read_job(Connection& conn, asio::io_context& ctx, PendingJob& job) {
  SqliteTx tx(conn);
  if (job.scope() == PendingJob::Scope::none) {
    job.complete(run_job(ctx, job.job(), tx));
    return;
  }
  try {
    exec(conn, "BEGIN");
  } catch (...) {
    job.complete(std::current_exception());
    return;
  }
  std::exception_ptr outcome = run_job(ctx, job.job(), tx);
  if (!outcome) {
    try {
      exec(conn, "COMMIT");
    } catch (...) {
      outcome = std::current_exception();
    }
  }
  rollback_if_open(conn);
  job.complete(outcome);
}

}  // namespace tt::storage::sqlite
