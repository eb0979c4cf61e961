#include "storage/postgres/pg_tx.hpp"

namespace tt::storage::pg {

asio::awaitable<std::vector<Result>> PgTx::send(std::span<const Command> own) {
  // BEGIN (with the first statement) and the deferred statements travel in this round trip too,
  // whatever happens to it: on an error the transaction is over anyway.
  std::vector<Statement> before;
  before.swap(deferred_);
  std::vector<Command> commands;
  commands.reserve(before.size() + own.size() + 1);
  const bool first = !begun_;
  if (first) commands.push_back(Command{begin_, nullptr, false});
  for (const Statement& st : before) commands.push_back(Command{st.sql, &st.params, st.cache});
  commands.insert(commands.end(), own.begin(), own.end());
  begun_ = true;
  bool stale = false;
  try {
    PipelineOutcome out = co_await conn_.pipeline(commands);
    if (out.error) std::rethrow_exception(out.error);
    out.results.erase(out.results.begin(), out.results.end() - static_cast<std::ptrdiff_t>(own.size()));
    co_return std::move(out.results);
  } catch (const Unavailable&) {
    // Stale only if the connection was dead before the request: BEGIN never got an answer. A
    // request the server was already running (and then lost) is in flight: its caller gets 503.
    if (!first || !reused_ || conn_.first_command_answered()) throw;
    stale = true;
  }
  if (stale) throw StaleConnection("database connection lost while idle");
  co_return std::vector<Result>{};
}

asio::awaitable<Result> PgTx::run(std::string_view sql, const Params& params, bool cache) {
  const Command command{sql, &params, cache};
  std::vector<Result> results = co_await send(std::span<const Command>(&command, 1));
  co_return std::move(results.front());
}

asio::awaitable<Rows> PgTx::query(std::string_view sql, Params params) {
  Result r = co_await run(sql, params);
  co_return std::move(r.rows);
}

asio::awaitable<std::vector<Rows>> PgTx::query_all(Queries statements) {
  const LockedTexts texts(statements);
  std::vector<Result> results = co_await send(texts.commands());
  std::vector<Rows> out;
  out.reserve(results.size());
  for (Result& r : results) out.push_back(std::move(r.rows));
  co_return out;
}

asio::awaitable<std::int64_t> PgTx::exec(std::string_view sql, Params params) {
  Result r = co_await run(sql, params);
  co_return r.affected;
}

asio::awaitable<void> PgTx::exec_deferred(std::string_view sql, Params params) {
  deferred_.push_back(Statement{std::string(sql), std::move(params)});
  co_return;
}

asio::awaitable<void> PgTx::append_row(std::string_view insert_columns, Params values) {
  appended_.add(insert_columns, std::move(values));
  co_return;
}

asio::awaitable<void> PgTx::lock_rows(std::string_view select_sql, Params params) {
  std::string sql(select_sql);
  sql += " FOR UPDATE";
  co_await run(sql, params);
}

asio::awaitable<void> PgTx::lock_key(std::int64_t key) {
  const Params p = params(key);
  co_await run(kLockKeySql, p);
}

asio::awaitable<void> PgTx::commit() {
  if (!begun_ && deferred_.empty() && appended_.empty()) co_return;
  for (Statement& st : appended_.take()) deferred_.push_back(std::move(st));
  // Not prepared: COMMIT has nothing to plan.
  co_await run("COMMIT", {}, false);
}

asio::awaitable<void> PgTx::exec_script(std::string_view sql) {
  if (!deferred_.empty()) {
    // The simple protocol cannot share a round trip: send what waits first.
    co_await run("SELECT 1", {}, true);
  }
  if (begun_) {
    co_await conn_.execute_script(sql);
    co_return;
  }
  // The simple query protocol takes several statements in one message: BEGIN goes first.
  begun_ = true;
  co_await conn_.execute_script(begin_ + ";\n" + std::string(sql));
}

LockedTexts::LockedTexts(const Queries& statements) {
  texts_.reserve(statements.size());
  commands_.reserve(statements.size());
  for (const Query& q : statements) {
    std::string text(q.sql);
    if (q.locked) text += " FOR UPDATE";
    texts_.push_back(std::move(text));
  }
  for (std::size_t i = 0; i < statements.size(); ++i) {
    commands_.push_back(Command{texts_[i], &statements[i].params, true});
  }
}

}  // namespace tt::storage::pg
