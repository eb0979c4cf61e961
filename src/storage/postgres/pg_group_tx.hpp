// The transaction a PostgreSQL group writer shares among the write jobs of one group (see
// pg_group_writer.hpp): one BEGIN ... COMMIT around many jobs, run one after the other.
//
// No savepoints: a savepoint per job costs two statements, a subtransaction id for every job
// that writes (and PostgreSQL's snapshots overflow past 64 of them), and a new row lock each time
// a job's foreign keys lock a row the group already holds. Instead a job that fails after it has
// sent anything takes the whole group's transaction down with it (the runner rolls back, answers
// that job with its error and runs the others again in the next group); a job that fails before
// sending anything costs nothing. Scans fail that way only on a broken database, never for a
// refused scan, which is an answer like any other.
//
// No control statement costs a round trip of its own: BEGIN travels with the first statement;
// a job's deferred statements travel with the next statement (possibly the next job's first),
// and the rows appended to log tables (append_row) are inserted, one statement per table for the
// whole group, in the round trip of the COMMIT.
#pragma once

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

// Thrown to the running job when a statement of an earlier job of its group failed in the round
// trip it sent: the transaction is gone, the job is not to blame and runs again.
struct GroupAborted : DbError {
  using DbError::DbError;
};

class GroupTx final : public Tx {
 public:
  explicit GroupTx(Connection& conn) noexcept : conn_(conn) {}

  Dialect dialect() const noexcept override { return Dialect::postgres; }
  asio::awaitable<Rows> query(std::string_view sql, Params params = {}) override;
  asio::awaitable<std::int64_t> exec(std::string_view sql, Params params = {}) override;
  asio::awaitable<std::vector<Rows>> query_all(Queries statements) override;
  asio::awaitable<void> exec_script(std::string_view sql) override;
  asio::awaitable<void> exec_deferred(std::string_view sql, Params params) override;
  asio::awaitable<void> append_row(std::string_view insert_columns, Params values) override;
  asio::awaitable<void> lock_rows(std::string_view select_sql, Params params) override;
  asio::awaitable<void> lock_key(std::int64_t key) override;

  // The statements from now on belong to job `index` of the group.
  void begin_job(std::size_t index) noexcept;
  // The current job returned or threw. A job that threw forgets what it queued; whether the group
  // must roll back is then touched().
  void end_job(bool failed);
  // The current job sent or queued something: if it fails, the transaction holds its work.
  bool touched() const noexcept { return touched_; }

  // Sends what is queued, the appended rows and COMMIT. Throws when the transaction did not commit;
  // nothing happens when no job sent a statement.
  asio::awaitable<void> commit();

  // Jobs whose statements failed after they had returned (a deferred statement sent with a later
  // job's), with the error: the transaction is aborted.
  std::vector<std::pair<std::size_t, std::exception_ptr>>& late_failures() noexcept { return late_failures_; }
  // An insert of appended rows failed at commit: whose row it was is unknown, only that it was one
  // of appenders()'.
  bool appends_failed() const noexcept { return appends_failed_; }
  const std::vector<std::size_t>& appenders() const noexcept { return appenders_; }
  // COMMIT was sent: when the connection is lost now, whether the group committed is unknown.
  bool commit_sent() const noexcept { return commit_sent_; }
  // A statement failed: the transaction cannot commit any more.
  bool aborted() const noexcept { return aborted_; }

 private:
  static constexpr std::size_t kGroup = SIZE_MAX;  // owner of BEGIN and COMMIT

  struct Queued {
    std::string sql;
    Params params;
    std::size_t owner;  // the job, or kGroup
  };
  struct Appended {
    std::vector<Params> rows;
    std::vector<std::size_t> owners;
  };

  // Sends everything queued followed by `own` (statements of the current job, or COMMIT) in one
  // round trip and returns the results of `own`. An error of the current job's commands is thrown
  // as it is; one of an earlier job's queued statement is recorded as that job's and GroupAborted
  // is thrown; one of the group's is thrown as it is.
  asio::awaitable<std::vector<Result>> send(std::span<const Command> own, std::size_t own_owner);
  asio::awaitable<Result> run(std::string_view sql, const Params& params);
  void begin();

  Connection& conn_;
  std::vector<Queued> queued_;
  std::map<std::string, Appended, std::less<>> appended_;  // by "INSERT INTO t (columns)"
  std::size_t job_ = kGroup;
  bool begun_ = false;  // BEGIN queued or sent
  bool touched_ = false;
  bool aborted_ = false;
  bool appends_failed_ = false;
  bool commit_sent_ = false;
  std::vector<std::pair<std::size_t, std::exception_ptr>> late_failures_;
  std::vector<std::size_t> appenders_;  // jobs whose appended rows the COMMIT's round trip inserts
};

}  // namespace tt::storage::pg
