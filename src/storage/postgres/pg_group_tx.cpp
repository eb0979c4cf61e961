#include "storage/postgres/pg_group_tx.hpp"

#include <algorithm>

#include "storage/postgres/pg_tx.hpp"

namespace tt::storage::pg {

namespace {

// One savepoint is open at a time (a job's is released or rolled back before the next one's is
// made), so one name serves every job.
constexpr std::string_view kSavepoint = "SAVEPOINT tt_job";
constexpr std::string_view kRelease = "RELEASE SAVEPOINT tt_job";
constexpr std::string_view kRollbackTo = "ROLLBACK TO SAVEPOINT tt_job";

}  // namespace

void GroupTx::begin_job(std::size_t index) noexcept {
  job_ = index;
  savepoint_queued_ = false;
  savepoint_sent_ = false;
}

void GroupTx::open_savepoint() {
  if (!begun_) {
    queued_.push_back(Queued{"BEGIN", {}, kGroup, Kind::control});
    begun_ = true;
  }
  if (!savepoint_queued_) {
    queued_.push_back(Queued{std::string(kSavepoint), {}, job_, Kind::savepoint});
    savepoint_queued_ = true;
  }
}

void GroupTx::end_job(bool failed) {
  if (failed) {
    // What it queued and never sent is forgotten (its SAVEPOINT among it, if unsent); what it ran
    // is undone.
    std::erase_if(queued_, [this](const Queued& q) { return q.owner == job_; });
    if (savepoint_sent_) {
      queued_.push_back(Queued{std::string(kRollbackTo), {}, kGroup, Kind::control});
      queued_.push_back(Queued{std::string(kRelease), {}, kGroup, Kind::control});
    }
  } else if (savepoint_queued_) {
    queued_.push_back(Queued{std::string(kRelease), {}, job_, Kind::statement});
  }
  job_ = kGroup;
  savepoint_queued_ = false;
  savepoint_sent_ = false;
}

asio::awaitable<std::vector<Result>> GroupTx::send(std::span<const Command> own, std::size_t own_owner) {
  for (;;) {
    std::vector<Command> commands;
    commands.reserve(queued_.size() + own.size());
    for (const Queued& q : queued_) {
      // Control statements are not prepared: they have nothing to plan.
      commands.push_back(Command{q.sql, &q.params, q.kind == Kind::statement});
    }
    commands.insert(commands.end(), own.begin(), own.end());
    // Throws Unavailable when the connection is lost: the group runner decides what that means.
    PipelineOutcome out = co_await conn_.pipeline(commands);
    answered_ = true;

    std::vector<Queued> sent;
    sent.swap(queued_);
    for (std::size_t i = 0; i < sent.size(); ++i) {
      if (sent[i].kind == Kind::savepoint && i < out.failed) savepoint_sent_ = true;
    }
    if (!out.error) {
      out.results.erase(out.results.begin(), out.results.end() - static_cast<std::ptrdiff_t>(own.size()));
      co_return std::move(out.results);
    }

    const std::size_t k = out.failed;
    const bool in_queued = k < sent.size();
    const std::size_t owner = in_queued ? sent[k].owner : own_owner;
    const bool control = in_queued && sent[k].kind != Kind::statement;
    if (control || owner == kGroup) {
      lost_ = true;
      std::rethrow_exception(out.error);
    }
    if (owner == own_owner) std::rethrow_exception(out.error);

    // An earlier job's deferred statement or RELEASE failed: that job failed after returning.
    // Its savepoint is still open (its RELEASE came later and was skipped, as was everything of
    // the current job), so it is undone and the current job's commands are sent again.
    late_failures_.emplace_back(owner, out.error);
    queued_.push_back(Queued{std::string(kRollbackTo), {}, kGroup, Kind::control});
    queued_.push_back(Queued{std::string(kRelease), {}, kGroup, Kind::control});
    for (std::size_t i = k + 1; i < sent.size(); ++i) {
      if (sent[i].owner == own_owner) queued_.push_back(std::move(sent[i]));
    }
  }
}

asio::awaitable<Result> GroupTx::run(std::string_view sql, const Params& params) {
  open_savepoint();
  const Command command{sql, &params, true};
  std::vector<Result> results = co_await send(std::span<const Command>(&command, 1), job_);
  co_return std::move(results.front());
}

asio::awaitable<Rows> GroupTx::query(std::string_view sql, Params params) {
  Result r = co_await run(sql, params);
  co_return std::move(r.rows);
}

asio::awaitable<std::int64_t> GroupTx::exec(std::string_view sql, Params params) {
  Result r = co_await run(sql, params);
  co_return r.affected;
}

asio::awaitable<std::vector<Rows>> GroupTx::query_all(Queries statements) {
  open_savepoint();
  const LockedTexts texts(statements);
  std::vector<Result> results = co_await send(texts.commands(), job_);
  std::vector<Rows> out;
  out.reserve(results.size());
  for (Result& r : results) out.push_back(std::move(r.rows));
  co_return out;
}

asio::awaitable<void> GroupTx::exec_deferred(std::string_view sql, Params params) {
  open_savepoint();
  queued_.push_back(Queued{std::string(sql), std::move(params), job_, Kind::statement});
  co_return;
}

asio::awaitable<void> GroupTx::lock_rows(std::string_view select_sql, Params params) {
  std::string sql(select_sql);
  sql += " FOR UPDATE";
  co_await run(sql, params);
}

asio::awaitable<void> GroupTx::lock_key(std::int64_t key) {
  const Params p = params(key);
  co_await run(kLockKeySql, p);
}

asio::awaitable<void> GroupTx::exec_script(std::string_view sql) {
  // The simple protocol cannot share a round trip: what is queued goes first, the script then
  // runs inside the job's savepoint.
  const Params none;
  co_await run("SELECT 1", none);
  co_await conn_.execute_script(sql);
}

asio::awaitable<void> GroupTx::commit() {
  if (!begun_) co_return;
  const Command command{"COMMIT", nullptr, false};
  commit_sent_ = true;
  // Owned by the group: an error of COMMIT itself is the whole transaction's. An error of a job's
  // queued statement is that job's alone, and send() repeats the COMMIT without it.
  std::vector<Result> ignored = co_await send(std::span<const Command>(&command, 1), kGroup);
  (void)ignored;
}

}  // namespace tt::storage::pg
