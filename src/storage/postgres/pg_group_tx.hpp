// The transaction a PostgreSQL group writer shares among the write jobs of one group (see
// pg_group_writer.hpp): one BEGIN ... COMMIT around many jobs, each inside its own savepoint so
// that a job that fails is undone alone.
//
// No control statement costs a round trip of its own. BEGIN and each job's SAVEPOINT travel with
// the job's first statement; a job's deferred statements (log and audit rows) and its RELEASE
// travel with the next job's first statement, or with the COMMIT. So the pipeline of one round
// trip may end one job and start the next, and an error in it belongs to the job whose command
// failed: when that is a job that has already returned, it is recorded as that job's failure
// (late_failures), its savepoint is rolled back, and the current job's commands are sent again.
#pragma once

#include <cstddef>
#include <exception>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "storage/database.hpp"
#include "storage/postgres/pg_connection.hpp"

namespace tt::storage::pg {

class GroupTx final : public Tx {
 public:
  explicit GroupTx(Connection& conn) noexcept : conn_(conn) {}

  Dialect dialect() const noexcept override { return Dialect::postgres; }
  asio::awaitable<Rows> query(std::string_view sql, Params params = {}) override;
  asio::awaitable<std::int64_t> exec(std::string_view sql, Params params = {}) override;
  asio::awaitable<std::vector<Rows>> query_all(Queries statements) override;
  asio::awaitable<void> exec_script(std::string_view sql) override;
  asio::awaitable<void> exec_deferred(std::string_view sql, Params params) override;
  asio::awaitable<void> lock_rows(std::string_view select_sql, Params params) override;
  asio::awaitable<void> lock_key(std::int64_t key) override;

  // The statements from now on belong to job `index` of the group.
  void begin_job(std::size_t index) noexcept;
  // The current job returned (failed = false) or threw (failed = true): queues its RELEASE, or
  // forgets its unsent statements and queues the rollback of its savepoint. No round trip.
  void end_job(bool failed);
  // Sends what is queued and COMMIT. Throws when the transaction could not commit (then no job of
  // the group is durable); nothing happens when no job sent a statement.
  asio::awaitable<void> commit();

  // Jobs that returned and then failed when their queued statements were sent, with the error.
  std::vector<std::pair<std::size_t, std::exception_ptr>>& late_failures() noexcept { return late_failures_; }
  // COMMIT was sent: when the connection is lost now, whether the group committed is unknown.
  bool commit_sent() const noexcept { return commit_sent_; }
  // A command of the group itself failed: the transaction cannot go on and will not commit.
  bool lost() const noexcept { return lost_; }
  // Some command of this group got an answer: the connection was alive when the group began.
  bool answered() const noexcept { return answered_; }

 private:
  // The group itself owns BEGIN, COMMIT and the rollback of a failed job's savepoint: when one of
  // those fails the transaction as a whole is lost.
  static constexpr std::size_t kGroup = SIZE_MAX;

  // What a queued command is: a job's own statement (deferred, or its RELEASE), the job's
  // SAVEPOINT, or a command of the group (BEGIN, the rollback of a failed job's savepoint).
  enum class Kind { statement, savepoint, control };
  struct Queued {
    std::string sql;
    Params params;
    std::size_t owner;  // the job, or kGroup
    Kind kind;
  };

  // Queues BEGIN and the current job's SAVEPOINT if they have not been queued yet.
  void open_savepoint();
  // Sends everything queued followed by `own` (the current job's statements) in one round trip and
  // returns the results of `own`. Errors of earlier jobs' queued statements are recorded and the
  // round trip repeated; an error of the current job's or of the group's commands is thrown.
  asio::awaitable<std::vector<Result>> send(std::span<const Command> own, std::size_t own_owner);
  asio::awaitable<Result> run(std::string_view sql, const Params& params);

  Connection& conn_;
  std::vector<Queued> queued_;
  std::size_t job_ = kGroup;
  bool begun_ = false;           // BEGIN queued or sent
  bool savepoint_queued_ = false;  // the current job's SAVEPOINT is queued or sent
  bool savepoint_sent_ = false;    // ... and was executed
  bool commit_sent_ = false;
  bool lost_ = false;
  bool answered_ = false;
  std::vector<std::pair<std::size_t, std::exception_ptr>> late_failures_;
};

}  // namespace tt::storage::pg
