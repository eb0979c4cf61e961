#include "storage/postgres/pg_group_tx.hpp"

#include <algorithm>

#include "storage/postgres/pg_tx.hpp"

namespace tt::storage::pg {

namespace {

// Owner of the multi-row inserts of appended rows: when one fails, whose row broke it is unknown.
constexpr std::size_t kAppends = SIZE_MAX - 1;

// "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4)" for `rows` rows of `columns` values.
std::string multi_row_insert(const std::string& insert_columns, std::size_t rows, std::size_t columns) {
  std::string sql = insert_columns;
  sql.reserve(sql.size() + 8 + rows * columns * 6);
  sql += " VALUES ";
  std::size_t n = 0;
  for (std::size_t r = 0; r < rows; ++r) {
    sql += r == 0 ? "(" : ", (";
    for (std::size_t c = 0; c < columns; ++c) {
      if (c > 0) sql += ", ";
      sql += '$';
      sql += std::to_string(++n);
    }
    sql += ')';
  }
  return sql;
}

}  // namespace

void GroupTx::begin_job(std::size_t index) noexcept {
  job_ = index;
  touched_ = false;
}

void GroupTx::end_job(bool failed) {
  if (failed) {
    // What it queued and never sent is forgotten. What it ran stays until the group rolls back.
    std::erase_if(queued_, [this](const Queued& q) { return q.owner == job_; });
    for (auto& [table, appended] : appended_) {
      for (std::size_t i = appended.owners.size(); i-- > 0;) {
        if (appended.owners[i] != job_) continue;
        appended.owners.erase(appended.owners.begin() + static_cast<std::ptrdiff_t>(i));
        appended.rows.erase(appended.rows.begin() + static_cast<std::ptrdiff_t>(i));
      }
    }
  }
  job_ = kGroup;
}

void GroupTx::begin() {
  touched_ = true;
  if (begun_) return;
  queued_.push_back(Queued{"BEGIN", {}, kGroup});
  begun_ = true;
}

asio::awaitable<std::vector<Result>> GroupTx::send(std::span<const Command> own, std::size_t own_owner) {
  std::vector<Command> commands;
  commands.reserve(queued_.size() + own.size());
  for (const Queued& q : queued_) {
    // BEGIN is not prepared: it has nothing to plan.
    commands.push_back(Command{q.sql, &q.params, q.owner != kGroup});
  }
  commands.insert(commands.end(), own.begin(), own.end());
  std::vector<Queued> sent;
  sent.swap(queued_);
  // Throws Unavailable when the connection is lost: the group runner decides what that means.
  PipelineOutcome out = co_await conn_.pipeline(commands);
  if (!out.error) {
    out.results.erase(out.results.begin(), out.results.end() - static_cast<std::ptrdiff_t>(own.size()));
    co_return std::move(out.results);
  }
  aborted_ = true;
  const std::size_t k = out.failed;
  const std::size_t owner = k < sent.size() ? sent[k].owner : own_owner;
  if (owner == kAppends) appends_failed_ = true;
  if (owner == own_owner || owner == kGroup || owner == kAppends) std::rethrow_exception(out.error);
  // A deferred statement of an earlier job failed: that job failed after returning.
  late_failures_.emplace_back(owner, out.error);
  throw GroupAborted("an earlier write of the same group failed; this one runs again");
}

asio::awaitable<Result> GroupTx::run(std::string_view sql, const Params& params) {
  begin();
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
  begin();
  const LockedTexts texts(statements);
  std::vector<Result> results = co_await send(texts.commands(), job_);
  std::vector<Rows> out;
  out.reserve(results.size());
  for (Result& r : results) out.push_back(std::move(r.rows));
  co_return out;
}

asio::awaitable<void> GroupTx::exec_deferred(std::string_view sql, Params params) {
  begin();
  queued_.push_back(Queued{std::string(sql), std::move(params), job_});
  co_return;
}

asio::awaitable<void> GroupTx::append_row(std::string_view insert_columns, Params values) {
  begin();
  auto it = appended_.find(insert_columns);
  if (it == appended_.end()) it = appended_.emplace(std::string(insert_columns), Appended{}).first;
  it->second.rows.push_back(std::move(values));
  it->second.owners.push_back(job_);
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
  // The simple protocol cannot share a round trip: what is queued goes first.
  const Params none;
  co_await run("SELECT 1", none);
  std::exception_ptr error;
  try {
    co_await conn_.execute_script(sql);
  } catch (...) {
    error = std::current_exception();
  }
  if (error) {
    aborted_ = true;
    std::rethrow_exception(error);
  }
}

asio::awaitable<void> GroupTx::commit() {
  if (!begun_) co_return;
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
  const Command command{"COMMIT", nullptr, false};
  commit_sent_ = true;
  std::vector<Result> ignored = co_await send(std::span<const Command>(&command, 1), kGroup);
  (void)ignored;
}

}  // namespace tt::storage::pg
