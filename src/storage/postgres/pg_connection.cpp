#include "storage/postgres/pg_connection.hpp"

#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <poll.h>

#include <cstdint>
#include <deque>

#include "storage/postgres/pg_codec.hpp"
#include "storage/postgres/pg_errors.hpp"
#include "storage/postgres/pg_socket.hpp"

namespace tt::storage::pg {

namespace {

// Beyond this many distinct statements a connection sends the rest unnamed: SQL built from
// optional filters could otherwise grow the cache (and the server's memory) without bound.
constexpr std::size_t kMaxPreparedStatements = 512;

struct ConnCloser {
  void operator()(PGconn* c) const noexcept { PQfinish(c); }
};
using ConnPtr = std::unique_ptr<PGconn, ConnCloser>;

struct ResultClear {
  void operator()(PGresult* r) const noexcept { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultClear>;


}  // namespace

asio::awaitable<std::unique_ptr<Connection>> Connection::open(ConnectionOptions options) {
  auto ex = co_await asio::this_coro::executor;
  const auto deadline = asio::steady_timer::clock_type::now() + options.connect_timeout;

  // Later entries override what the URL says: our strings are UTF-8 whatever the server default.
  const char* keys[] = {"application_name", "dbname", "client_encoding", nullptr};
  const char* values[] = {options.application_name.c_str(), options.conninfo.c_str(), "UTF8", nullptr};
  ConnPtr conn(PQconnectStartParams(keys, values, /*expand_dbname=*/1));
  if (!conn) throw Unavailable("cannot connect to the database: out of memory");

  PostgresPollingStatusType status =
      PQstatus(conn.get()) == CONNECTION_BAD ? PGRES_POLLING_FAILED : PGRES_POLLING_WRITING;
  while (status != PGRES_POLLING_OK) {
    if (status == PGRES_POLLING_FAILED) {
      throw Unavailable("cannot connect to the database: " + trimmed_message(PQerrorMessage(conn.get())));
    }
    // libpq may close and reopen its socket between steps (other hosts, SSL fallback).
    const int fd = PQsocket(conn.get());
    if (fd < 0) throw Unavailable("cannot connect to the database: no socket");
    bool ready;
    {
      SocketWait wait(ex, fd);
      ready = status == PGRES_POLLING_READING ? co_await wait.readable_until(deadline)
                                              : co_await wait.writable_until(deadline);
    }
    if (!ready) throw Unavailable("cannot connect to the database: timed out");
    status = PQconnectPoll(conn.get());
  }

  if (PQsetnonblocking(conn.get(), 1) != 0) {
    throw Unavailable("cannot connect to the database: " + trimmed_message(PQerrorMessage(conn.get())));
  }
  co_return std::unique_ptr<Connection>(new Connection(conn.release(), options.prepared_statements));
}

Connection::Connection(PGconn* conn, bool prepared_statements)
    : conn_(conn), prepared_statements_(prepared_statements) {
  PQsetNoticeReceiver(conn_, &Connection::on_notice, this);
}

void Connection::on_notice(void* self, const PGresult* notice) {
  // Ordinary notices ("relation already exists, skipping") are not errors and are in the
  // server's own log; printing them on stderr would only interleave with the access log. A FATAL
  // message outside any query (administrator shutdown, terminated backend) announces that the
  // server is closing this session: the connection must not be handed out again.
  const char* severity = PQresultErrorField(notice, PG_DIAG_SEVERITY_NONLOCALIZED);
  if (severity && (std::string_view(severity) == "FATAL" || std::string_view(severity) == "PANIC")) {
    static_cast<Connection*>(self)->broken_ = true;
  }
}

Connection::~Connection() {
  wait_.reset();  // releases the descriptor from the reactor before libpq closes it
  PQfinish(conn_);
}

void Connection::release_socket_wait() noexcept {
  wait_.reset();
  wait_context_ = nullptr;
}

SocketWait& Connection::socket_wait(const asio::any_io_executor& ex) {
  // Registered once per lease (the pool releases it when the connection comes back, since the
  // next lease may run on another event loop): registering and releasing the socket around
  // every round trip cost four system calls a statement.
  const void* context = &asio::query(ex, asio::execution::context);
  if (!wait_ || wait_context_ != context) {
    wait_.reset();
    wait_.emplace(ex, socket());
    wait_context_ = context;
  }
  return *wait_;
}

bool Connection::usable() const noexcept { return !broken_ && PQstatus(conn_) == CONNECTION_OK; }

bool Connection::idle() const noexcept {
  return usable() && !in_flight_ && PQtransactionStatus(conn_) == PQTRANS_IDLE;
}

bool Connection::in_transaction() const noexcept {
  if (!usable() || in_flight_) return false;
  const auto status = PQtransactionStatus(conn_);
  return status == PQTRANS_INTRANS || status == PQTRANS_INERROR;
}

bool Connection::still_alive() noexcept {
  if (!usable()) return false;
  pollfd p{};
  p.fd = socket();
  p.events = POLLIN;
  // The server may have sent a farewell message and then closed the socket: read until nothing is
  // left, so that the end of stream is seen too.
  for (int reads = 0; reads < 16 && usable() && ::poll(&p, 1, 0) > 0; ++reads) {
    if (!PQconsumeInput(conn_)) broken_ = true;
  }
  return usable();
}

void Connection::fail(const PGresult* result) {
  // A cached statement the server no longer accepts: a migration changed a table under a running
  // instance (0A000 "cached plan must not change result type") or a proxy dropped it (26000).
  // Nothing of the transaction survives, so the job is run again, on a fresh connection with an
  // empty cache; this one is closed.
  const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  const std::string message = trimmed_message(result ? PQresultErrorMessage(result) : nullptr);
  if (state && ((std::string_view(state) == "0A000" &&
                 message.find("cached plan must not change result type") != std::string::npos) ||
                std::string_view(state) == "26000")) {
    broken_ = true;
    throw RetryableConflict("prepared statement out of date: " + message);
  }
  try {
    throw_result_error(conn_, result);
  } catch (const Unavailable&) {
    broken_ = true;
    throw;
  }
}

void Connection::fail_io() {
  // The protocol state is unknown after a failed send or receive: never reuse the connection.
  broken_ = true;
  std::string message = trimmed_message(PQerrorMessage(conn_));
  throw Unavailable("database connection lost" + (message.empty() ? "" : ": " + message));
}

asio::awaitable<void> Connection::flush() {
  auto ex = co_await asio::this_coro::executor;
  for (;;) {
    const int r = PQflush(conn_);
    if (r == 0) co_return;
    if (r < 0) fail_io();
    // The kernel's send buffer is full. The server may be blocked sending to us meanwhile, so
    // read whatever arrives as well.
    if (co_await socket_wait(ex).readable_or_writable() && !PQconsumeInput(conn_)) fail_io();
  }
}

asio::awaitable<Result> Connection::collect(bool want_rows) {
  auto ex = co_await asio::this_coro::executor;
  Result out;
  ResultPtr error;
  for (;;) {
    while (PQisBusy(conn_)) {
      co_await socket_wait(ex).readable();
      if (!PQconsumeInput(conn_)) fail_io();
    }
    ResultPtr r(PQgetResult(conn_));
    if (!r) break;
    switch (PQresultStatus(r.get())) {
      case PGRES_TUPLES_OK:
        if (want_rows) out.rows = decode_rows(r.get());
        out.affected = affected_rows(r.get());
        break;
      case PGRES_COMMAND_OK:
        out.affected = affected_rows(r.get());
        break;
      case PGRES_EMPTY_QUERY:
        break;
      case PGRES_COPY_IN:
      case PGRES_COPY_OUT:
      case PGRES_COPY_BOTH:
        // COPY is not part of the storage interface; the protocol state cannot be recovered.
        broken_ = true;
        throw DbError("COPY is not supported through the storage interface");
      default:
        if (!error) error = std::move(r);
        break;
    }
  }
  in_flight_ = false;
  if (error) fail(error.get());
  co_return out;
}

Connection::Prepared Connection::statement_for(const std::string& text, const EncodedParams& encoded, bool cache) {
  Prepared out;
  if (!prepared_statements_ || !cache) return out;
  std::string k = encoded.signature();
  k += '\n';
  k += text;
  if (auto it = statements_.find(k); it != statements_.end()) {
    out.name = it->second;
  } else if (statements_.size() < kMaxPreparedStatements) {
    out.name = "tt_" + std::to_string(++statement_counter_);
    out.key = std::move(k);
  }
  return out;
}

asio::awaitable<Result> Connection::execute(std::string_view sql, const Params& params, std::string_view prelude,
                                            std::span<const Statement> before, bool cache) {
  std::vector<Command> commands;
  commands.reserve(before.size() + 2);
  if (!prelude.empty()) commands.push_back(Command{prelude, nullptr, false});
  for (const Statement& st : before) commands.push_back(Command{st.sql, &st.params, st.cache});
  commands.push_back(Command{sql, &params, cache});
  PipelineOutcome out = co_await pipeline(commands);
  if (out.error) std::rethrow_exception(out.error);
  co_return std::move(out.results.back());
}

asio::awaitable<PipelineOutcome> Connection::pipeline(std::span<const Command> commands) {
  if (!usable()) throw Unavailable("database connection lost");

  // Every command of the round trip: its text, encoded parameters and prepared name.
  struct Encoded {
    std::string text;
    const EncodedParams* params;
    Prepared prepared;
  };
  static const Params kNoParams;
  std::deque<EncodedParams> encoded;  // a deque: libpq's pointers into each stay valid
  std::vector<Encoded> sends;
  sends.reserve(commands.size());
  for (const Command& c : commands) {
    std::string text(c.sql);
    const EncodedParams& e = encoded.emplace_back(c.params ? *c.params : kNoParams);
    Prepared prepared = statement_for(text, e, c.cache);
    sends.push_back(Encoded{std::move(text), &e, std::move(prepared)});
  }
  first_command_answered_ = false;
  in_flight_ = true;

  const auto send = [this](const Encoded& c) {
    const EncodedParams& e = *c.params;
    return c.prepared.name.empty()
               ? PQsendQueryParams(conn_, c.text.c_str(), e.count(), e.types(), e.values(), nullptr, nullptr, 0)
               : PQsendQueryPrepared(conn_, c.prepared.name.c_str(), e.count(), e.values(), nullptr, nullptr, 0);
  };

  PipelineOutcome out;
  if (sends.size() == 1 && sends.front().prepared.key.empty()) {
    // One command already prepared (or unnamed): the plain protocol, no pipeline to set up.
    if (!send(sends.front())) fail_io();
    co_await flush();
    try {
      out.results.push_back(co_await collect(true));
      first_command_answered_ = true;
    } catch (const Unavailable&) {
      throw;
    } catch (...) {
      out.results.emplace_back();
      out.failed = 0;
      out.error = std::current_exception();
    }
    co_return out;
  }

  // Several commands in one round trip (pipeline mode), with the PREPAREs of statements not yet
  // prepared just before their first use.
  if (!PQenterPipelineMode(conn_)) fail_io();
  std::vector<bool> succeeded;
  std::vector<std::size_t> slot(sends.size());                 // where each command's outcome lands
  std::vector<std::size_t> prepare_slot(sends.size(), SIZE_MAX);  // and each PREPARE's
  for (std::size_t i = 0; i < sends.size(); ++i) {
    const Encoded& c = sends[i];
    if (!c.prepared.key.empty()) {
      if (!PQsendPrepare(conn_, c.prepared.name.c_str(), c.text.c_str(), c.params->count(), c.params->types())) {
        fail_io();
      }
      prepare_slot[i] = succeeded.size();
      succeeded.push_back(false);
    }
    if (!send(c)) fail_io();
    slot[i] = succeeded.size();
    succeeded.push_back(false);
  }
  if (!PQpipelineSync(conn_)) fail_io();
  co_await flush();
  std::size_t failed_slot = SIZE_MAX;
  std::vector<Result> results = co_await collect_pipeline(succeeded, failed_slot, out.error);
  // Prepared on the server even when the statement itself then failed: remember it, or the next
  // PREPARE of that name would fail.
  for (std::size_t i = 0; i < sends.size(); ++i) {
    if (prepare_slot[i] != SIZE_MAX && succeeded[prepare_slot[i]]) {
      statements_.emplace(std::move(sends[i].prepared.key), sends[i].prepared.name);
    }
  }
  out.results.resize(sends.size());
  for (std::size_t i = 0; i < sends.size(); ++i) {
    out.results[i] = std::move(results[slot[i]]);
    // A failed PREPARE counts as a failure of its command.
    if (out.failed == SIZE_MAX && failed_slot != SIZE_MAX && failed_slot <= slot[i]) out.failed = i;
  }
  co_return out;
}

asio::awaitable<std::vector<Result>> Connection::collect_pipeline(std::vector<bool>& succeeded, std::size_t& failed,
                                                                  std::exception_ptr& error) {
  auto ex = co_await asio::this_coro::executor;
  auto next_result = [&]() -> asio::awaitable<ResultPtr> {
    while (PQisBusy(conn_)) {
      co_await socket_wait(ex).readable();
      if (!PQconsumeInput(conn_)) fail_io();
    }
    co_return ResultPtr(PQgetResult(conn_));
  };

  std::vector<Result> out(succeeded.size());
  ResultPtr first_error;
  for (std::size_t c = 0; c < succeeded.size(); ++c) {
    // Each command's results end with a null result.
    while (ResultPtr r = co_await next_result()) {
      switch (PQresultStatus(r.get())) {
        case PGRES_TUPLES_OK:
          out[c].rows = decode_rows(r.get());
          [[fallthrough]];
        case PGRES_COMMAND_OK:
          out[c].affected = affected_rows(r.get());
          succeeded[c] = true;
          if (c == 0) first_command_answered_ = true;
          break;
        case PGRES_PIPELINE_ABORTED:  // skipped because an earlier command failed
          break;
        default:
          if (PQstatus(conn_) != CONNECTION_OK) fail(r.get());  // nothing more will come
          if (!first_error) {
            first_error = std::move(r);
            failed = c;
          }
          break;
      }
    }
  }
  for (;;) {
    ResultPtr r = co_await next_result();
    if (!r) fail_io();  // the synchronisation point never came: the protocol state is unknown
    if (PQresultStatus(r.get()) == PGRES_PIPELINE_SYNC) break;
  }
  if (!PQexitPipelineMode(conn_)) broken_ = true;
  in_flight_ = false;
  if (first_error) {
    try {
      fail(first_error.get());
    } catch (const Unavailable&) {
      throw;
    } catch (...) {
      error = std::current_exception();
    }
  }
  co_return out;
}

asio::awaitable<void> Connection::execute_script(std::string_view sql) {
  if (!usable()) throw Unavailable("database connection lost");
  const std::string text(sql);
  in_flight_ = true;
  if (!PQsendQuery(conn_, text.c_str())) fail_io();
  co_await flush();
  co_await collect(false);
}

asio::awaitable<void> Connection::wait_for_input() {
  if (!usable()) throw Unavailable("database connection lost");
  auto ex = co_await asio::this_coro::executor;
  co_await socket_wait(ex).readable();
  if (!PQconsumeInput(conn_)) fail_io();
}

std::optional<Notification> Connection::next_notification() {
  PGnotify* n = PQnotifies(conn_);
  if (!n) return std::nullopt;
  Notification out{n->relname ? n->relname : "", n->extra ? n->extra : ""};
  PQfreemem(n);
  return out;
}

}  // namespace tt::storage::pg
