// The transaction a PostgreSQL group writer shares among the write jobs of one group (see
// pg_group_writer.hpp), and the Tx each job of it sees.
//
// Many jobs in one round trip: the jobs of a group run as coroutines side by side, and what they
// send is not sent at once but collected; once every running job is waiting for an answer, the
// group writer sends all of it in one round trip (libpq pipeline mode) and hands each job its
// results. Twenty scans then cost about as many round trips as one: each scan's reads in the
// first, their inserts in the second. Which jobs may run side by side is the group writer's
// business (jobs that touch the same rows never do); statements of one job always run in the order
// it sent them, and after everything the jobs before it in the group sent.
//
// No savepoints: a savepoint per job costs two statements, a subtransaction id for every job that
// writes (and PostgreSQL's snapshots overflow past 64 of them), and a new row lock each time a
// job's foreign keys lock a row the group already holds. Instead a job that fails after it has
// sent anything takes the whole group's transaction down with it: the writer rolls back, answers
// that job with its error and runs the others again. A job that fails before sending anything
// costs nothing. Scans fail that way only on a broken database, never for a refused scan, which is
// an answer like any other.
//
// BEGIN travels with the first round trip; deferred statements with the next; the rows appended
// to log tables (append_row) are inserted one statement per table for the whole group, in the
// round trip of the COMMIT.
#pragma once

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>

#include <cstddef>
#include <exception>
#include <map>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "storage/database.hpp"
#include "storage/postgres/pg_connection.hpp"

namespace tt::storage::pg {

// What a job waiting for a round trip gets when the group's transaction failed because of
// another job: it is not to blame, and runs again.
struct GroupAborted : DbError {
  using DbError::DbError;
};

class GroupTx {
 public:
  static constexpr std::size_t kGroup = SIZE_MAX;  // owner of BEGIN and COMMIT

  // `ex`: where the group's jobs run (the writer's io_context), and where they are resumed.
  GroupTx(Connection& conn, asio::any_io_executor ex) noexcept : conn_(conn), ex_(std::move(ex)) {}
  GroupTx(const GroupTx&) = delete;
  GroupTx& operator=(const GroupTx&) = delete;

  Connection& connection() const noexcept { return conn_; }

  // Statements of job `owner` for the next round trip; completes, after flush(), with their
  // results, or with their error (an earlier command's failure: GroupAborted). `commands` must stay
  // valid until then (they live in the awaiting coroutine's frame).
  asio::awaitable<std::vector<Result>> submit(std::size_t owner, std::span<const Command> commands);
  // Sent ahead of the next round trip's other commands, result unused.
  void defer(std::size_t owner, std::string sql, Params params);
  // A row for a log table, inserted at commit (Tx::append_row).
  void append(std::size_t owner, std::string_view insert_columns, Params values);
  // A failed job's statements not sent yet are forgotten.
  void forget(std::size_t owner);

  // Jobs waiting for a round trip.
  std::size_t waiting() const noexcept { return waiting_.size(); }
  // Sends what is queued and what the waiting jobs submitted, in one round trip, and completes the
  // waiting jobs. Throws only Unavailable (the connection is lost; the waiting jobs get it too).
  asio::awaitable<void> flush();
  // The transaction will not commit (a job failed after sending): every waiting job and every
  // later submit gets GroupAborted.
  void abandon();

  // Sends what is queued, the appended rows and COMMIT. Throws when the transaction did not
  // commit; nothing happens when no job sent anything.
  asio::awaitable<void> commit();

  // A job's deferred statement failed after the job had returned, with the error.
  std::vector<std::pair<std::size_t, std::exception_ptr>>& late_failures() noexcept { return late_failures_; }
  // An insert of appended rows failed at commit: whose row it was is unknown, only that it was
  // one of appenders()'.
  bool appends_failed() const noexcept { return appends_failed_; }
  const std::vector<std::size_t>& appenders() const noexcept { return appenders_; }
  // COMMIT was sent: when the connection is lost now, whether the group committed is unknown.
  bool commit_sent() const noexcept { return commit_sent_; }
  // A statement failed, or the group was abandoned: the transaction cannot commit.
  bool aborted() const noexcept { return aborted_; }
  // The failed statement was the group's own (BEGIN): nobody in particular is to blame.
  bool failed_itself() const noexcept { return failed_itself_; }

 private:
  struct Queued {
    std::string sql;
    Params params;
    std::size_t owner;
  };
  struct Appended {
    std::vector<Params> rows;
    std::vector<std::size_t> owners;
  };
  using Completion = asio::any_completion_handler<void(std::exception_ptr, std::vector<Result>)>;
  struct Waiting {
    std::size_t owner;
    std::span<const Command> commands;
    Completion done;
  };

  struct Enqueue;
  void begin();
  void complete(Waiting& w, std::exception_ptr error, std::vector<Result> results);

  Connection& conn_;
  asio::any_io_executor ex_;
  std::vector<Queued> queued_;
  std::vector<Waiting> waiting_;
  std::map<std::string, Appended, std::less<>> appended_;  // by "INSERT INTO t (columns)"
  bool begun_ = false;
  bool aborted_ = false;
  bool failed_itself_ = false;
  bool appends_failed_ = false;
  bool commit_sent_ = false;
  std::vector<std::pair<std::size_t, std::exception_ptr>> late_failures_;
  std::vector<std::size_t> appenders_;
};

// The Tx of one job of a group.
class JobTx final : public Tx {
 public:
  JobTx(GroupTx& group, std::size_t index) noexcept : group_(group), index_(index) {}

  Dialect dialect() const noexcept override { return Dialect::postgres; }
  asio::awaitable<Rows> query(std::string_view sql, Params params = {}) override;
  asio::awaitable<std::int64_t> exec(std::string_view sql, Params params = {}) override;
  asio::awaitable<std::vector<Rows>> query_all(Queries statements) override;
  // Only in a job that runs alone in its group (the simple protocol cannot share a round trip).
  asio::awaitable<void> exec_script(std::string_view sql) override;
  asio::awaitable<void> exec_deferred(std::string_view sql, Params params) override;
  asio::awaitable<void> append_row(std::string_view insert_columns, Params values) override;
  asio::awaitable<void> lock_rows(std::string_view select_sql, Params params) override;
  asio::awaitable<void> lock_key(std::int64_t key) override;

  // The job sent or queued something: if it fails, the group's transaction holds its work.
  bool touched() const noexcept { return touched_; }

 private:
  asio::awaitable<Result> run(std::string_view sql, const Params& params);

  GroupTx& group_;
  std::size_t index_;
  bool touched_ = false;
};

}  // namespace tt::storage::pg
