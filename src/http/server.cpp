#include "http/server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/chunk_encode.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <unordered_set>
#include <vector>

#include "domain/errors.hpp"
#include "http/client_address.hpp"
#include "http/connection.hpp"
#include "http/request_reader.hpp"
#include "util/log.hpp"
#include "util/metrics.hpp"

namespace tt::http {

namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

namespace {

constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);

// After an error answer the connection closes; the client may still be sending its body. Reading
// and discarding it for a moment lets the client read the answer instead of a connection reset.
constexpr auto kLingerTime = std::chrono::seconds(2);
constexpr std::size_t kLingerBytes = 8 << 20;

// The outcome of one handler call, shared between the connection and the handler coroutine so the
// connection can give up waiting (handler timeout) while the handler runs to its end.
struct HandlerCall {
  explicit HandlerCall(asio::any_io_executor ex) : wake(std::move(ex)) {}
  asio::steady_timer wake;
  std::optional<Response> response;
};

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

bool has_header(const Response& res, std::string_view lower_name) {
  return std::any_of(res.headers.begin(), res.headers.end(),
                     [&](const auto& h) { return lower(h.first) == lower_name; });
}

// Status line and headers common to plain and streamed responses.
template <class Body>
void fill_header(bhttp::response<Body>& out, const Response& res, bool keep_alive) {
  out.result(static_cast<unsigned>(res.status));
  out.reason(status_reason(res.status));
  const bool bodyless = res.status == 204 || res.status == 304 || (res.status >= 100 && res.status < 200);
  if (!bodyless && !res.content_type.empty()) out.set(bhttp::field::content_type, res.content_type);
  // Answers of the API carry user data: no cache may keep them unless the handler says otherwise.
  if (!has_header(res, "cache-control")) out.set(bhttp::field::cache_control, "no-store");
  out.set("X-Content-Type-Options", "nosniff");
  for (const auto& [name, value] : res.headers) out.insert(name, value);
  out.keep_alive(keep_alive);
}

}  // namespace

struct Server::Impl : std::enable_shared_from_this<Impl> {
  Impl(asio::io_context& ioc, const Dispatcher& dispatcher, ServerOptions options)
      : ioc(ioc), dispatcher(dispatcher), options(std::move(options)), acceptor_strand(asio::make_strand(ioc)),
        acceptor(acceptor_strand), drained(acceptor_strand) {}

  asio::io_context& ioc;
  const Dispatcher& dispatcher;
  const ServerOptions options;
  // The acceptor and the shutdown live on this strand.
  asio::strand<asio::io_context::executor_type> acceptor_strand;
  tcp::acceptor acceptor;
  std::atomic<bool> stopping{false};
  // What shutdown waits on: it expires when the waiting is over and is cancelled when the last
  // connection of a stopping server ends. Only touched on acceptor_strand.
  asio::steady_timer drained;

  mutable std::mutex mutex;
  std::unordered_set<std::shared_ptr<Connection>> connections;

  // Returns false once the server is stopping: shutdown has already told the connections it knows
  // of to finish, and would not hear of this one.
  bool add(const std::shared_ptr<Connection>& c) {
    std::lock_guard lock(mutex);
    if (stopping) return false;
    connections.insert(c);
    return true;
  }
  void remove(const std::shared_ptr<Connection>& c) {
    bool last = false;
    {
      std::lock_guard lock(mutex);
      connections.erase(c);
      last = stopping && connections.empty();
    }
    // Posted to the strand of the timer; once the set is empty while stopping it stays empty (add
    // refuses), so this wakes shutdown exactly once.
    if (last) asio::post(acceptor_strand, [self = shared_from_this()] { self->drained.cancel(); });
  }
  // Stops taking connections and returns the ones there are, all at once so none is missed.
  std::vector<std::shared_ptr<Connection>> begin_stopping() {
    std::lock_guard lock(mutex);
    stopping = true;
    return {connections.begin(), connections.end()};
  }
  std::vector<std::shared_ptr<Connection>> snapshot() const {
    std::lock_guard lock(mutex);
    return {connections.begin(), connections.end()};
  }
  std::size_t count() const {
    std::lock_guard lock(mutex);
    return connections.size();
  }
};

namespace {

using ImplPtr = std::shared_ptr<Server::Impl>;
using ConnPtr = std::shared_ptr<Connection>;

// Writes a streamed body as HTTP chunks; see StreamWriter.
class ChunkWriter final : public StreamWriter {
 public:
  ChunkWriter(const Server::Impl& server, Connection& conn) : server_(server), conn_(conn) {}

  asio::awaitable<bool> write(std::string_view chunk) override {
    if (failed_ || server_.stopping) co_return false;
    if (chunk.empty()) co_return true;  // an empty chunk would end the body
    conn_.stream.expires_after(server_.options.write_timeout);
    auto [ec, n] =
        co_await asio::async_write(conn_.stream, bhttp::make_chunk(asio::buffer(chunk.data(), chunk.size())), nothrow);
    (void)n;
    if (ec) failed_ = true;
    co_return !failed_;
  }

  bool failed() const { return failed_; }

 private:
  const Server::Impl& server_;
  Connection& conn_;
  bool failed_ = false;
};

asio::awaitable<void> call_handler(const Dispatcher& dispatcher, Request req, std::shared_ptr<HandlerCall> call) {
  try {
    call->response = co_await dispatcher.handle(req);
  } catch (const std::exception& e) {
    // Dispatcher maps every failure to a response; this only guards against one failing to be built.
    util::log_error(std::string("request handling failed: ") + e.what());
    call->response = dispatcher.failure(domain::Error::internal, "Something went wrong on the server.");
  }
  call->wake.cancel();
}

// Runs the handler with a time limit. The handler keeps running past the limit (it may hold a
// database transaction that must end normally); its answer is then dropped.
asio::awaitable<Response> handle_with_timeout(const Server::Impl& server, Connection& conn, Request req, bool& timed_out) {
  auto call = std::make_shared<HandlerCall>(conn.stream.get_executor());
  call->wake.expires_after(server.options.handler_timeout);
  asio::co_spawn(conn.stream.get_executor(), call_handler(server.dispatcher, std::move(req), call), asio::detached);
  // The handler may already have finished if it never suspended; the wait is then skipped.
  if (!call->response) co_await call->wake.async_wait(nothrow);
  if (call->response) {
    timed_out = false;
    co_return std::move(*call->response);
  }
  timed_out = true;
  util::log_warn("a request handler ran longer than " + std::to_string(server.options.handler_timeout.count()) +
                 " s; the client was answered 503");
  Response r = server.dispatcher.failure(
      domain::Failure(domain::Error::timeout, "The server took too long to answer; try again.", 1));
  co_return r;
}

asio::awaitable<bool> write_plain(const Server::Impl& server, Connection& conn, Response& res, unsigned version,
                                  bool keep_alive, bool head) {
  bhttp::response<bhttp::string_body> out;
  out.version(version);
  fill_header(out, res, keep_alive);
  const std::size_t length = res.body.size();
  out.body() = std::move(res.body);
  out.prepare_payload();
  if (head) {
    // HEAD announces the length of the body a GET would get, and sends none.
    out.body().clear();
    out.content_length(length);
  }
  conn.stream.expires_after(server.options.write_timeout);
  auto [ec, n] = co_await bhttp::async_write(conn.stream, out, nothrow);
  (void)n;
  co_return !ec;
}

asio::awaitable<bool> write_streamed(const Server::Impl& server, Connection& conn, Response& res, unsigned version,
                                     bool keep_alive) {
  bhttp::response<bhttp::empty_body> out;
  out.version(version);
  fill_header(out, res, keep_alive);
  out.chunked(true);
  bhttp::response_serializer<bhttp::empty_body> serializer(out);
  conn.stream.expires_after(server.options.write_timeout);
  {
    auto [ec, n] = co_await bhttp::async_write_header(conn.stream, serializer, nothrow);
    (void)n;
    if (ec) co_return false;
  }
  ChunkWriter writer(server, conn);
  try {
    co_await res.stream(writer);
  } catch (const std::exception& e) {
    // The status line is gone already: the only honest signal left is a body without its end.
    util::log_error(std::string("streamed response failed: ") + e.what());
    co_return false;
  }
  if (writer.failed()) co_return false;
  conn.stream.expires_after(server.options.write_timeout);
  auto [ec, n] = co_await asio::async_write(conn.stream, bhttp::make_chunk_last(), nothrow);
  (void)n;
  co_return !ec && keep_alive;
}

// Answers a request that could not be read with its refusal, then lingers (kLingerTime) so the
// client reads it before the connection closes.
asio::awaitable<void> reject(const Server::Impl& server, Connection& conn, const domain::Failure& refusal) {
  // The request line is known when the headers were read; otherwise the log shows "-".
  std::string method = "-";
  std::string path = "-";
  if (conn.parser && conn.parser->is_header_done()) {
    method = std::string(conn.parser->get().method_string());
    const std::string_view target = conn.parser->get().target();
    path = std::string(target.substr(0, target.find('?')));
  }
  Response res = server.dispatcher.failure(refusal);
  const int status = res.status;
  if (co_await write_plain(server, conn, res, 11, false, false)) {
    error_code ec;
    conn.stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    conn.stream.expires_after(kLingerTime);
    std::array<char, 16 * 1024> scratch{};
    std::size_t drained = 0;
    while (drained < kLingerBytes) {
      auto [read_ec, n] = co_await conn.stream.async_read_some(asio::buffer(scratch), nothrow);
      if (read_ec) break;
      drained += n;
    }
  }
  if (server.options.access_log) util::access_log(method, path, status, 0);
}

using Message = bhttp::request<bhttp::string_body>;

// What answering a request needs to know of it once the request itself is the handler's.
struct Exchange {
  std::chrono::steady_clock::time_point started;
  std::string method;
  std::string path;  // as received, without the query (which may hold secrets): the access log's
  unsigned version = 11;
  bool head = false;        // HEAD: the headers of the answer only
  bool keep_alive = false;  // the connection may serve another request after this one
};

Exchange exchange_of(const Message& msg) {
  Exchange ex;
  ex.started = std::chrono::steady_clock::now();
  ex.method = std::string(msg.method_string());
  const std::string_view target = msg.target();
  ex.path = std::string(target.substr(0, target.find('?')));
  ex.version = msg.version();
  ex.head = msg.method() == bhttp::verb::head;
  ex.keep_alive = msg.keep_alive();
  return ex;
}

// The client's address: the peer's, or the one X-Forwarded-For names when a trusted proxy sent
// the request (http/client_address.hpp).
std::string client_of(const ServerOptions& o, const Request& req, const std::string& peer) {
  if (o.trusted_proxies.empty()) return peer;
  std::optional<std::string> forwarded;  // several X-Forwarded-For headers form one list
  for (const auto& [name, value] : req.headers) {
    if (name == "x-forwarded-for") forwarded = forwarded ? *forwarded + "," + value : value;
  }
  return client_address(peer, forwarded, o.trusted_proxies);
}

// The request as handlers see it (http/message.hpp), so that they never see Beast: the target
// split into its decoded path and raw query, header names lower-cased, the body moved out of
// `msg`. None when the target is not a path: only origin-form targets (/path?query) are served,
// this server is no proxy.
std::optional<Request> to_request(const ServerOptions& o, Message& msg, const std::string& peer) {
  const std::string_view target = msg.target();
  if (target.empty() || target.front() != '/') return std::nullopt;
  Request req;
  req.method = std::string(msg.method_string());
  req.target = std::string(target);
  const auto q = target.find('?');
  req.query = q == std::string_view::npos ? std::string() : std::string(target.substr(q + 1));
  req.path = percent_decode(target.substr(0, q), false);
  req.headers.reserve(static_cast<std::size_t>(std::distance(msg.begin(), msg.end())));
  for (const auto& field : msg) req.headers.emplace_back(lower(field.name_string()), std::string(field.value()));
  req.body = std::move(msg.body());
  req.remote_addr = client_of(o, req, peer);
  return req;
}

// The answer to a request: the Dispatcher's within the handler time limit, or the refusal of a
// target that is not a path. Clears keep_alive when the connection must close after it.
asio::awaitable<Response> handle(const Server::Impl& server, Connection& conn, Message& msg, bool& keep_alive) {
  std::optional<Request> req = to_request(server.options, msg, conn.remote_addr);
  if (!req) {
    keep_alive = false;
    co_return server.dispatcher.failure(domain::Error::bad_request, "The request target must be a path.");
  }
  bool timed_out = false;
  Response res = co_await handle_with_timeout(server, conn, std::move(*req), timed_out);
  if (timed_out) keep_alive = false;
  co_return res;
}

// Counts an answered request in the metrics (by route pattern) and writes its access-log line.
void record(const Server::Impl& server, const Exchange& ex, std::string_view route, int status) {
  const auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - ex.started).count();
  util::metrics().observe_request(route, ex.method, status, static_cast<double>(micros) / 1e6);
  if (server.options.access_log) util::access_log(ex.method, ex.path, status, micros);
}

// Writes the answer, in chunks when the handler streams it (except to HEAD), then records it.
// Returns whether the connection may serve another request.
asio::awaitable<bool> write_response(const Server::Impl& server, Connection& conn, Response& res,
                                     const Exchange& ex) {
  const int status = res.status;
  bool open = false;
  if (res.stream && !ex.head) {
    open = co_await write_streamed(server, conn, res, ex.version, ex.keep_alive);
  } else {
    open = co_await write_plain(server, conn, res, ex.version, ex.keep_alive, ex.head) && ex.keep_alive;
  }
  record(server, ex, res.route, status);
  co_return open;
}

// Reads, handles and answers one request. Returns whether the connection stays open for another.
asio::awaitable<bool> serve_one(const Server::Impl& server, Connection& conn) {
  const ReadResult read = co_await read_request(server.options, conn);
  if (!read.complete) {
    if (read.refusal) co_await reject(server, conn, *read.refusal);
    co_return false;
  }
  Message msg = conn.parser->release();
  conn.parser.reset();
  Exchange ex = exchange_of(msg);
  Response res = co_await handle(server, conn, msg, ex.keep_alive);
  // A stopping server answers what it has begun, then closes: connections end after this response.
  if (server.stopping) ex.keep_alive = false;
  const bool open = co_await write_response(server, conn, res, ex);
  co_return open && !server.stopping;
}

asio::awaitable<void> session(ImplPtr server, ConnPtr conn) {
  try {
    while (!server->stopping) {
      if (!co_await serve_one(*server, *conn)) break;
    }
  } catch (const std::exception& e) {
    util::log_error(std::string("connection failed: ") + e.what());
  }
  error_code ec;
  conn->stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  conn->stream.socket().close(ec);
  server->remove(conn);
}

asio::awaitable<void> accept_loop(ImplPtr server) {
  for (;;) {
    auto [ec, socket] = co_await server->acceptor.async_accept(asio::make_strand(server->ioc), nothrow);
    if (server->stopping || ec == asio::error::operation_aborted) co_return;
    if (ec) {
      // Out of file descriptors or a similar passing condition: wait instead of spinning.
      util::log_warn("accept failed: " + ec.message());
      asio::steady_timer pause(server->acceptor_strand, std::chrono::milliseconds(100));
      co_await pause.async_wait(nothrow);
      continue;
    }
    error_code opt_ec;
    socket.set_option(tcp::no_delay(true), opt_ec);
    auto conn = std::make_shared<Connection>(std::move(socket));
    {
      error_code ep_ec;
      const auto peer = conn->stream.socket().remote_endpoint(ep_ec);
      if (!ep_ec) conn->remote_addr = peer.address().to_string();
    }
    // Refused once the server is stopping; the socket then closes with `conn`.
    if (!server->add(conn)) co_return;
    asio::co_spawn(conn->stream.get_executor(), session(server, conn), asio::detached);
  }
}

// Closes a connection that waits for a request of which nothing has arrived yet; any other
// finishes its request, and closes after the answer because the server is stopping.
void close_if_idle(Connection& conn) {
  if (conn.waiting && !conn.has_partial_request()) conn.stream.cancel();
}

void close_now(Connection& conn) {
  error_code ec;
  conn.stream.socket().shutdown(tcp::socket::shutdown_both, ec);
  conn.stream.socket().close(ec);
}

// Runs `action` on every connection, each on its own strand.
void for_each_connection(const std::vector<ConnPtr>& connections, void (*action)(Connection&)) {
  for (const ConnPtr& conn : connections) {
    asio::post(conn->stream.get_executor(), [conn, action] { action(*conn); });
  }
}

// Waits until no connection is left or `deadline` has passed; true when none is left. The last
// connection to end cancels the timer (Impl::remove), which wakes this at once. Runs on
// acceptor_strand, where the timer and its cancellation are serialised: the count is checked and
// the wait begun in one step of the strand, so the cancellation cannot slip in between.
asio::awaitable<bool> wait_for_connections(const ImplPtr& server, std::chrono::steady_clock::time_point deadline) {
  while (server->count() > 0 && std::chrono::steady_clock::now() < deadline) {
    server->drained.expires_at(deadline);
    co_await server->drained.async_wait(nothrow);
  }
  co_return server->count() == 0;
}

// The stop of Server::shutdown, on acceptor_strand: no new connections, idle ones closed at once,
// the others awaited until `grace` is over and then closed.
asio::awaitable<bool> stop_serving(ImplPtr server, std::chrono::milliseconds grace) {
  const std::vector<ConnPtr> open = server->begin_stopping();
  error_code ec;
  server->acceptor.close(ec);
  for_each_connection(open, close_if_idle);
  const auto deadline = std::chrono::steady_clock::now() + grace;
  const bool clean = co_await wait_for_connections(server, deadline);
  if (!clean) {
    util::log_warn(std::to_string(server->count()) +
                   " connection(s) still busy after the shutdown grace period; closing them");
    for_each_connection(server->snapshot(), close_now);
    // Give the closed connections a moment to unwind their coroutines.
    const auto last = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    co_await wait_for_connections(server, last);
  }
  co_return clean;
}

}  // namespace

Server::Server(asio::io_context& ioc, const Dispatcher& dispatcher, ServerOptions options)
    : impl_(std::make_shared<Impl>(ioc, dispatcher, std::move(options))) {}

Server::~Server() {
  error_code ec;
  impl_->acceptor.close(ec);
}

std::uint16_t Server::listen() {
  const auto& o = impl_->options;
  const std::string where = o.host + ":" + std::to_string(o.port);
  try {
    error_code ec;
    tcp::endpoint endpoint;
    const auto address = asio::ip::make_address(o.host, ec);
    if (!ec) {
      endpoint = tcp::endpoint(address, o.port);
    } else {
      // A host name such as "localhost": resolved once, at start-up, before any request runs.
      tcp::resolver resolver(impl_->ioc);
      endpoint = *resolver.resolve(o.host, std::to_string(o.port)).begin();
    }
    auto& acceptor = impl_->acceptor;
    acceptor.open(endpoint.protocol());
    acceptor.set_option(tcp::acceptor::reuse_address(true));
    acceptor.bind(endpoint);
    acceptor.listen(asio::socket_base::max_listen_connections);
    return acceptor.local_endpoint().port();
  } catch (const boost::system::system_error& e) {
    throw std::runtime_error("cannot listen on " + where + ": " + e.code().message());
  }
}

void Server::start() { asio::co_spawn(impl_->acceptor_strand, accept_loop(impl_), asio::detached); }

asio::awaitable<bool> Server::shutdown(std::chrono::milliseconds grace) {
  // The acceptor and the timer shutdown waits on belong to acceptor_strand: the stop runs there.
  auto stop = asio::co_spawn(impl_->acceptor_strand, stop_serving(impl_, grace), asio::use_awaitable);
  co_return co_await std::move(stop);
}

std::size_t Server::open_connections() const { return impl_->count(); }

}  // namespace tt::http
