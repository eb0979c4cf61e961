#include "storage/postgres/pg_group_tx.hpp"

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>

#include "storage/postgres/pg_tx.hpp"

namespace tt::storage::pg {

namespace {

// Owner of the multi-row inserts of appended rows: when one fails, whose row broke it is unknown.
constexpr std::size_t kAppends = SIZE_MAX - 1;


std::exception_ptr aborted_error() {
  return std::make_exception_ptr(GroupAborted("another write of the same group failed; this one runs again"));
}

}  // namespace

void GroupTx::begin() {
  if (begun_) return;
  queued_.push_back(Queued{"BEGIN", {}, kGroup});
  begun_ = true;
}

// Queues the awaiting job's submission; a plain callable (the coroutine rule: storage/job.hpp).
struct GroupTx::Enqueue {
  GroupTx* group;
  std::size_t owner;
  std::span<const Command> commands;
  template <class Handler>
  void operator()(Handler&& handler) const {
    group->waiting_.push_back(Waiting{owner, commands, Completion(std::forward<Handler>(handler))});
  }
};

asio::awaitable<std::vector<Result>> GroupTx::submit(std::size_t owner, std::span<const Command> commands) {
  if (aborted_) std::rethrow_exception(aborted_error());
  begin();
  const Enqueue enqueue{this, owner, commands};
  co_return co_await asio::async_initiate<const asio::use_awaitable_t<>&,
                                          void(std::exception_ptr, std::vector<Result>)>(enqueue, asio::use_awaitable);
}

void GroupTx::defer(std::size_t owner, std::string sql, Params params) {
  begin();
  queued_.push_back(Queued{std::move(sql), std::move(params), owner});
}

void GroupTx::append(std::size_t owner, std::string_view insert_columns, Params values) {
  begin();
  auto it = appended_.find(insert_columns);
  if (it == appended_.end()) it = appended_.emplace(std::string(insert_columns), Appended{}).first;
  it->second.rows.push_back(std::move(values));
  it->second.owners.push_back(owner);
}

void GroupTx::forget(std::size_t owner) {
  std::erase_if(queued_, [owner](const Queued& q) { return q.owner == owner; });
  for (auto& [table, appended] : appended_) {
    for (std::size_t i = appended.owners.size(); i-- > 0;) {
      if (appended.owners[i] != owner) continue;
      appended.owners.erase(appended.owners.begin() + static_cast<std::ptrdiff_t>(i));
      appended.rows.erase(appended.rows.begin() + static_cast<std::ptrdiff_t>(i));
    }
  }
}

void GroupTx::complete(Waiting& w, std::exception_ptr error, std::vector<Result> results) {
  // Posted, not called: the job resumes after this round trip has been dealt with entirely.
  asio::post(ex_, [done = std::move(w.done), error, results = std::move(results)]() mutable {
    std::move(done)(error, std::move(results));
  });
}

void GroupTx::abandon() {
  aborted_ = true;
  std::vector<Waiting> waiting;
  waiting.swap(waiting_);
  for (Waiting& w : waiting) complete(w, aborted_error(), {});
}

asio::awaitable<void> GroupTx::flush() {
  std::vector<Waiting> waiting;
  waiting.swap(waiting_);
  std::vector<Queued> queued;
  queued.swap(queued_);
  if (aborted_) {
    for (Waiting& w : waiting) complete(w, aborted_error(), {});
    co_return;
  }

  std::vector<Command> commands;
  std::vector<std::size_t> owners;
  std::vector<std::size_t> first(waiting.size());  // where each waiting job's commands begin
  for (const Queued& q : queued) {
    // BEGIN is not prepared: it has nothing to plan.
    commands.push_back(Command{q.sql, &q.params, q.owner != kGroup});
    owners.push_back(q.owner);
  }
  for (std::size_t i = 0; i < waiting.size(); ++i) {
    first[i] = commands.size();
    for (const Command& c : waiting[i].commands) {
      commands.push_back(c);
      owners.push_back(waiting[i].owner);
    }
  }

  PipelineOutcome out;
  std::exception_ptr lost;
  try {
    out = co_await conn_.pipeline(commands);
  } catch (...) {
    lost = std::current_exception();
  }
  if (lost) {
    aborted_ = true;
    for (Waiting& w : waiting) complete(w, lost, {});
    std::rethrow_exception(lost);
  }

  if (!out.error) {
    for (std::size_t i = 0; i < waiting.size(); ++i) {
      const auto begin = out.results.begin() + static_cast<std::ptrdiff_t>(first[i]);
      std::vector<Result> mine(std::make_move_iterator(begin),
                               std::make_move_iterator(begin + static_cast<std::ptrdiff_t>(waiting[i].commands.size())));
      complete(waiting[i], nullptr, std::move(mine));
    }
    co_return;
  }

  // The command that failed belongs to a job (its own statement, or one it deferred) or to the
  // group (BEGIN). Its job gets the error; everybody else's transaction is gone with it.
  aborted_ = true;
  const std::size_t owner = owners[out.failed];
  failed_itself_ = owner == kGroup;
  bool delivered = false;
  for (Waiting& w : waiting) {
    if (!delivered && w.owner == owner) {
      complete(w, out.error, {});
      delivered = true;
    } else {
      complete(w, aborted_error(), {});
    }
  }
  // A deferred statement of a job that has returned since.
  if (!delivered && owner != kGroup) late_failures_.emplace_back(owner, out.error);
}

asio::awaitable<void> GroupTx::commit() {
  if (!begun_) co_return;
  if (aborted_) std::rethrow_exception(aborted_error());
  // The rows appended to each log table, in one statement per table, before COMMIT.
  for (auto& [insert_columns, appended] : appended_) {
    if (appended.rows.empty()) continue;
    for (std::size_t owner : appended.owners) {
      if (std::find(appenders_.begin(), appenders_.end(), owner) == appenders_.end()) appenders_.push_back(owner);
    }
    const std::size_t columns = appended.rows.front().size();
    Params all;
    all.reserve(columns * appended.rows.size());
    for (Params& row : appended.rows) {
      if (row.size() != columns) throw DbError("rows appended to one table with different numbers of values");
      for (Value& v : row) all.push_back(std::move(v));
    }
    queued_.push_back(Queued{multi_row_insert(insert_columns, appended.rows.size(), columns), std::move(all), kAppends});
  }
  appended_.clear();

  std::vector<Queued> queued;
  queued.swap(queued_);
  std::vector<Command> commands;
  for (const Queued& q : queued) commands.push_back(Command{q.sql, &q.params, q.owner != kGroup});
  commands.push_back(Command{"COMMIT", nullptr, false});
  commit_sent_ = true;
  // Throws Unavailable when the connection is lost (the outcome of COMMIT is then unknown).
  PipelineOutcome out = co_await conn_.pipeline(commands);
  if (!out.error) co_return;
  aborted_ = true;
  if (out.failed < queued.size()) {
    const std::size_t owner = queued[out.failed].owner;
    if (owner == kAppends) {
      appends_failed_ = true;
    } else if (owner != kGroup) {
      late_failures_.emplace_back(owner, out.error);
    }
  }
  std::rethrow_exception(out.error);
}

asio::awaitable<Result> JobTx::run(std::string_view sql, const Params& params) {
  touched_ = true;
  const Command command{sql, &params, true};
  std::vector<Result> results = co_await group_.submit(index_, std::span<const Command>(&command, 1));
  co_return std::move(results.front());
}

asio::awaitable<Rows> JobTx::query(std::string_view sql, Params params) {
  Result r = co_await run(sql, params);
  co_return std::move(r.rows);
}

asio::awaitable<std::int64_t> JobTx::exec(std::string_view sql, Params params) {
  Result r = co_await run(sql, params);
  co_return r.affected;
}

asio::awaitable<std::vector<Rows>> JobTx::query_all(Queries statements) {
  touched_ = true;
  const LockedTexts texts(statements);
  std::vector<Result> results = co_await group_.submit(index_, texts.commands());
  std::vector<Rows> out;
  out.reserve(results.size());
  for (Result& r : results) out.push_back(std::move(r.rows));
  co_return out;
}

asio::awaitable<void> JobTx::exec_deferred(std::string_view sql, Params params) {
  touched_ = true;
  group_.defer(index_, std::string(sql), std::move(params));
  co_return;
}

asio::awaitable<void> JobTx::append_row(std::string_view insert_columns, Params values) {
  touched_ = true;
  group_.append(index_, insert_columns, std::move(values));
  co_return;
}

asio::awaitable<void> JobTx::lock_rows(std::string_view select_sql, Params params) {
  std::string sql(select_sql);
  sql += " FOR UPDATE";
  co_await run(sql, params);
}

asio::awaitable<void> JobTx::lock_key(std::int64_t key) {
  const Params p = params(key);
  co_await run(kLockKeySql, p);
}

asio::awaitable<void> JobTx::exec_script(std::string_view sql) {
  // What is queued goes first, in a round trip of its own; the script then has the connection to
  // itself, since a job that runs a script runs alone in its group.
  const Params none;
  co_await run("SELECT 1", none);
  co_await group_.connection().execute_script(sql);
}

}  // namespace tt::storage::pg
