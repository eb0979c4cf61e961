// One libpq connection driven asynchronously: every wait is on the connection's socket inside the
// calling coroutine (see pg_socket.hpp), so the caller resumes on its own executor.
//
// Not thread-safe: one coroutine at a time (the pool hands each connection to one lease).
#pragma once

#include <libpq-fe.h>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstddef>
#include <exception>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "storage/postgres/pg_notification.hpp"
#include "storage/postgres/pg_socket.hpp"
#include "storage/value.hpp"

namespace tt::storage::pg {

namespace asio = boost::asio;

class EncodedParams;  // pg_codec.hpp

struct ConnectionOptions {
  std::string conninfo;  // as accepted by libpq (URI or key=value)
  bool prepared_statements = true;
  std::chrono::milliseconds connect_timeout{5000};
  // What pg_stat_activity shows of the connection: "tracetrack" for the pool, "tracetrack writer"
  // for a group writer's.
  std::string application_name = "tracetrack";
};

struct Result {
  Rows rows;
  std::int64_t affected = 0;
};

// A statement sent ahead of another in the same round trip (results not returned).
struct Statement {
  std::string sql;
  Params params;
  bool cache = true;  // prepared once per connection (see Command)
};

// One command of a round trip (Connection::pipeline). `params` may be null (no parameters).
// `cache`: prepared once per connection and reused, when the connection prepares statements.
struct Command {
  std::string_view sql;
  const Params* params = nullptr;
  bool cache = true;
};

// What a round trip of several commands brought back. Commands run in order; the first one that
// fails ends the round trip and the rest are skipped (PostgreSQL's pipeline semantics).
struct PipelineOutcome {
  std::vector<Result> results;  // one per command; those at and after `failed` are empty
  std::size_t failed = SIZE_MAX;  // index of the command that failed, SIZE_MAX when none did
  std::exception_ptr error;       // its error, as execute() would throw it
};

class Connection {
 public:
  // Opens a connection. Throws Unavailable when the server cannot be reached in time or refuses.
  static asio::awaitable<std::unique_ptr<Connection>> open(ConnectionOptions options);

  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one statement with $1..$N parameters. With prepared statements on (and `cache`), the
  // statement is prepared once per connection (per SQL text and parameter types) and reused; the
  // PREPARE travels in the same round trip. A non-empty `prelude` (a parameterless statement such
  // as BEGIN) and the statements of `before` (whose results are not returned) are sent in that
  // round trip too, just before, in that order. The first error of any of them is thrown.
  // Throws Unavailable (connection now broken), ConstraintViolation, RetryableConflict or DbError.
  asio::awaitable<Result> execute(std::string_view sql, const Params& params = {}, std::string_view prelude = {},
                                  std::span<const Statement> before = {}, bool cache = true);

  // Sends every command in one round trip (libpq pipeline mode) and reports each one's result.
  // A statement's error is reported in the outcome, not thrown; a lost connection is thrown
  // (Unavailable), since nothing about the commands is known then.
  asio::awaitable<PipelineOutcome> pipeline(std::span<const Command> commands);

  // Runs several statements without parameters (simple query protocol).
  asio::awaitable<void> execute_script(std::string_view sql);

  // Waits until the server sends something (listening connections) and reads it; notifications
  // are then available from next_notification(). Throws Unavailable when the connection drops.
  asio::awaitable<void> wait_for_input();
  std::optional<Notification> next_notification();

  // False once the connection is known to be lost or was abandoned mid-statement.
  bool usable() const noexcept;
  // No statement in flight and no transaction open: safe to hand to another request.
  bool idle() const noexcept;
  // Usable, nothing in flight, and a transaction block open (possibly failed): ROLLBACK applies.
  bool in_transaction() const noexcept;
  // Cheap check without a round trip for a connection that sat in the pool: reads whatever the
  // server sent meanwhile (a shutdown notice, end of stream) and reports whether it is still usable.
  bool still_alive() noexcept;

  // The first command of the last pipelined execute() succeeded: the server was there and
  // answering when the request arrived (whatever happened to it later).
  bool first_command_answered() const noexcept { return first_command_answered_; }

  // Releases the socket from the event loop it was last waited on (a lease ends: the next one
  // may belong to another io_context).
  void release_socket_wait() noexcept;

  int backend_pid() const noexcept { return PQbackendPID(conn_); }
  int socket() const noexcept { return PQsocket(conn_); }
  std::size_t prepared_statement_count() const noexcept { return statements_.size(); }

 private:
  Connection(PGconn* conn, bool prepared_statements);

  asio::awaitable<void> flush();
  // The prepared name of a statement (empty: send it unnamed) and, when this call must PREPARE
  // it first, the cache key to remember it under.
  struct Prepared {
    std::string name;
    std::string key;
  };
  Prepared statement_for(const std::string& text, const EncodedParams& encoded, bool cache);
  // The socket's registration with the event loop of `ex`, made on first use.
  SocketWait& socket_wait(const asio::any_io_executor& ex);
  // Reads results until libpq reports the end of the command; returns the last one, throws the
  // first error.
  asio::awaitable<Result> collect(bool want_rows);
  // The same for a pipeline of succeeded.size() commands and its synchronisation point: marks
  // which commands succeeded, returns each one's result and stores the first error (thrown as
  // collect would) with the index of its command.
  asio::awaitable<std::vector<Result>> collect_pipeline(std::vector<bool>& succeeded, std::size_t& failed,
                                                        std::exception_ptr& error);
  [[noreturn]] void fail(const PGresult* result);
  [[noreturn]] void fail_io();
  static void on_notice(void* self, const PGresult* notice);

  PGconn* conn_;
  std::optional<SocketWait> wait_;
  const void* wait_context_ = nullptr;  // the execution context wait_ is registered with
  bool prepared_statements_;
  bool broken_ = false;
  bool in_flight_ = false;
  std::uint64_t statement_counter_ = 0;
  bool first_command_answered_ = false;
  // SQL text + parameter signature -> statement name.
  std::unordered_map<std::string, std::string> statements_;
};

}  // namespace tt::storage::pg
