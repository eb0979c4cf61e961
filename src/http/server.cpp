#include "http/server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/chunk_encode.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
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
#include "util/log.hpp"
#include "util/metrics.hpp"

namespace tt::http {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

namespace {

constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);

// After an error answer the connection closes; the client may still be sending its body. Reading
// and discarding it for a moment lets the client read the answer instead of a connection reset.
constexpr auto kLingerTime = std::chrono::seconds(2);
constexpr std::size_t kLingerBytes = 8 << 20;

// One client connection. Only touched from its strand (the executor of `stream`).
struct Connection {
  explicit Connection(tcp::socket socket) : stream(std::move(socket)) {}

  beast::tcp_stream stream;
  beast::flat_buffer buffer;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser;
  std::string remote_addr;
  // Waiting for a request; at shutdown such a connection closes at once unless part of a request
  // has already arrived.
  bool waiting = false;

  bool has_partial_request() {
    error_code ec;
    return buffer.size() > 0 || (parser && parser->got_some()) || stream.socket().available(ec) > 0;
  }
};

// The outcome of one handler call, shared between the connection and the handler coroutine so the
// connection can give up waiting (handler timeout) while the handler runs to its end.
struct HandlerCall {
  explicit HandlerCall(asio::any_io_executor ex) : wake(std::move(ex)) {}
  asio::steady_timer wake;
  std::optional<Response> response;
};

bool is_http_parse_error(const error_code& ec) {
  return ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category();
}

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
        acceptor(acceptor_strand) {}

  asio::io_context& ioc;
  const Dispatcher& dispatcher;
  const ServerOptions options;
  asio::strand<asio::io_context::executor_type> acceptor_strand;
  tcp::acceptor acceptor;
  std::atomic<bool> stopping{false};

  mutable std::mutex mutex;
  std::unordered_set<std::shared_ptr<Connection>> connections;

  void add(const std::shared_ptr<Connection>& c) {
    std::lock_guard lock(mutex);
    connections.insert(c);
  }
  void remove(const std::shared_ptr<Connection>& c) {
    std::lock_guard lock(mutex);
    connections.erase(c);
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

// Answers a request that could not be read, then closes the connection.
asio::awaitable<void> reject(const Server::Impl& server, Connection& conn, domain::Error code,
                             std::string message) {
  // The request line is known when the headers were read; otherwise the log shows "-".
  std::string method = "-";
  std::string path = "-";
  if (conn.parser && conn.parser->is_header_done()) {
    method = std::string(conn.parser->get().method_string());
    const std::string_view target = conn.parser->get().target();
    path = std::string(target.substr(0, target.find('?')));
  }
  Response res = server.dispatcher.failure(code, message);
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

// The large-body route of a request, if it is one.
template <class Message>
const ServerOptions::LargeBody* large_body_of(const ServerOptions& o, const Message& m) {
  if (o.large_bodies.empty()) return nullptr;
  const std::string_view target = m.target();
  const std::string_view path = target.substr(0, target.find('?'));
  for (const auto& l : o.large_bodies) {
    if (m.method_string() == l.method && path == l.path) return &l;
  }
  return nullptr;
}

std::size_t largest_body_limit(const ServerOptions& o) {
  std::size_t out = o.max_body_bytes;
  for (const auto& l : o.large_bodies) out = std::max(out, l.max_bytes);
  return out;
}

std::string megabytes(std::size_t bytes) {
  return std::to_string((bytes + (1 << 19)) >> 20) + " MB";
}

// Reads, handles and answers one request. Returns whether the connection stays open for another.
asio::awaitable<bool> serve_one(const Server::Impl& server, Connection& conn) {
  conn.parser.emplace();
  conn.parser->header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(server.options.max_header_bytes,
                                                                              UINT32_MAX)));
  // The largest limit while the header is read: Beast checks a Content-Length against the limit
  // as it reads the header, before the route (and its own limit) is known.
  conn.parser->body_limit(largest_body_limit(server.options));
  // One deadline for the whole request, so a client trickling bytes cannot hold the connection.
  conn.stream.expires_after(server.options.read_timeout);
  conn.waiting = true;
  auto [header_ec, header_n] = co_await bhttp::async_read_header(conn.stream, conn.buffer, *conn.parser, nothrow);
  (void)header_n;
  conn.waiting = false;
  error_code ec = header_ec;
  std::size_t body_limit = server.options.max_body_bytes;
  const ServerOptions::LargeBody* large = nullptr;
  // A Content-Length over the largest limit fails the header read itself (the request line is read
  // by then): the route still says which limit the message names.
  if (!ec || ec == bhttp::error::body_limit) {
    large = large_body_of(server.options, conn.parser->get());
    if (large) body_limit = large->max_bytes;
  }
  if (!ec) {
    const auto declared = conn.parser->content_length();
    if (declared && *declared > body_limit) {
      ec = bhttp::error::body_limit;
    } else {
      conn.parser->body_limit(body_limit);
    }
    if (large) conn.stream.expires_after(std::max(server.options.read_timeout, server.options.upload_timeout));
  }
  // A large body is read only from a client that presents credentials (checked afterwards by the
  // dispatcher as for any request): anyone else could make the server hold megabytes per
  // connection for nothing.
  if (!ec && large && !conn.parser->is_done()) {
    const auto& h = conn.parser->get();
    if (h.find(bhttp::field::authorization) == h.end() && h.find(bhttp::field::cookie) == h.end()) {
      co_await reject(server, conn, domain::Error::unauthenticated, "Sign in to continue.");
      co_return false;
    }
  }
  if (!ec && !conn.parser->is_done()) {
    const auto expect = conn.parser->get()[bhttp::field::expect];
    if (beast::iequals(expect, "100-continue")) {
      bhttp::response<bhttp::empty_body> cont(bhttp::status::continue_, conn.parser->get().version());
      auto [write_ec, n] = co_await bhttp::async_write(conn.stream, cont, nothrow);
      (void)n;
      if (write_ec) co_return false;
    }
    auto [body_ec, body_n] = co_await bhttp::async_read(conn.stream, conn.buffer, *conn.parser, nothrow);
    (void)body_n;
    ec = body_ec;
  }
  if (ec) {
    if (ec == bhttp::error::body_limit) {
      co_await reject(server, conn, domain::Error::payload_too_large,
                      "The request body is larger than the server accepts (" +
                          std::to_string(body_limit) + " bytes, " + megabytes(body_limit) + ").");
    } else if (ec == bhttp::error::header_limit) {
      co_await reject(server, conn, domain::Error::headers_too_large, "The request headers are too large.");
    } else if (is_http_parse_error(ec) && ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message) {
      co_await reject(server, conn, domain::Error::bad_request, "The request is not valid HTTP.");
    }
    // Otherwise the client left, was too slow, or the server is stopping: just close.
    co_return false;
  }

  const auto started = std::chrono::steady_clock::now();
  bhttp::request<bhttp::string_body> msg = conn.parser->release();
  conn.parser.reset();
  const unsigned version = msg.version();
  const bool head = msg.method() == bhttp::verb::head;
  bool keep_alive = msg.keep_alive();

  Request req;
  req.method = std::string(msg.method_string());
  req.target = std::string(msg.target());
  const std::string_view target = req.target;
  const std::string raw_path(target.substr(0, target.find('?')));

  Response res;
  bool timed_out = false;
  if (target.empty() || target.front() != '/') {
    // Only origin-form targets (/path?query): this server is no proxy.
    res = server.dispatcher.failure(domain::Error::bad_request, "The request target must be a path.");
    keep_alive = false;
  } else {
    const auto q = target.find('?');
    req.query = q == std::string_view::npos ? std::string() : std::string(target.substr(q + 1));
    req.path = percent_decode(raw_path, false);
    req.headers.reserve(static_cast<std::size_t>(std::distance(msg.begin(), msg.end())));
    for (const auto& field : msg) req.headers.emplace_back(lower(field.name_string()), std::string(field.value()));
    req.body = std::move(msg.body());
    req.remote_addr = conn.remote_addr;
    if (!server.options.trusted_proxies.empty()) {
      std::optional<std::string> forwarded;  // several X-Forwarded-For headers form one list
      for (const auto& [name, value] : req.headers) {
        if (name == "x-forwarded-for") forwarded = forwarded ? *forwarded + "," + value : value;
      }
      req.remote_addr = client_address(conn.remote_addr, forwarded, server.options.trusted_proxies);
    }
    res = co_await handle_with_timeout(server, conn, std::move(req), timed_out);
  }
  // A stopping server answers what it has begun, then closes: connections end after this response.
  if (timed_out || server.stopping) keep_alive = false;

  const int status = res.status;
  bool open = false;
  if (res.stream && !head) {
    open = co_await write_streamed(server, conn, res, version, keep_alive);
  } else {
    open = co_await write_plain(server, conn, res, version, keep_alive, head) && keep_alive;
  }
  const auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started).count();
  util::metrics().observe_request(res.route, msg.method_string(), status, static_cast<double>(micros) / 1e6);
  if (server.options.access_log) util::access_log(msg.method_string(), raw_path, status, micros);
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
    server->add(conn);
    asio::co_spawn(conn->stream.get_executor(), session(server, conn), asio::detached);
  }
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
  ImplPtr server = impl_;
  server->stopping = true;
  asio::post(server->acceptor_strand, [server] {
    error_code ec;
    server->acceptor.close(ec);
  });
  for (const ConnPtr& conn : server->snapshot()) {
    asio::post(conn->stream.get_executor(), [conn] {
      if (conn->waiting && !conn->has_partial_request()) conn->stream.cancel();
    });
  }

  asio::steady_timer timer(co_await asio::this_coro::executor);
  const auto deadline = std::chrono::steady_clock::now() + grace;
  while (server->count() > 0 && std::chrono::steady_clock::now() < deadline) {
    timer.expires_after(std::chrono::milliseconds(10));
    co_await timer.async_wait(nothrow);
  }
  const bool clean = server->count() == 0;
  if (!clean) {
    util::log_warn(std::to_string(server->count()) + " connection(s) still busy after the shutdown grace period; closing them");
    for (const ConnPtr& conn : server->snapshot()) {
      asio::post(conn->stream.get_executor(), [conn] {
        error_code ec;
        conn->stream.socket().shutdown(tcp::socket::shutdown_both, ec);
        conn->stream.socket().close(ec);
      });
    }
    // Give the closed connections a moment to unwind their coroutines.
    const auto last = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    while (server->count() > 0 && std::chrono::steady_clock::now() < last) {
      timer.expires_after(std::chrono::milliseconds(10));
      co_await timer.async_wait(nothrow);
    }
  }
  co_return clean;
}

std::size_t Server::open_connections() const { return impl_->count(); }

}  // namespace tt::http
