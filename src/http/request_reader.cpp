#include "http/request_reader.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

namespace tt::http {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using error_code = boost::system::error_code;

namespace {

constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);

using Message = bhttp::request<bhttp::string_body>;

// What the header says of the body to come.
struct BodyPlan {
  std::size_t limit = 0;                            // the limit of the request's route
  const ServerOptions::LargeBody* large = nullptr;  // the large-body route it is, if any
};

bool is_http_parse_error(const error_code& ec) {
  return ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category();
}

// The large-body route of a request, if it is one.
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

// Reads the header into a fresh parser. The body limit is the largest of any route for now: Beast
// checks a Content-Length against it as it reads the header, before the route (and its own limit)
// is known.
asio::awaitable<error_code> read_header(const ServerOptions& o, Connection& conn) {
  conn.parser.emplace();
  conn.parser->header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(o.max_header_bytes, UINT32_MAX)));
  conn.parser->body_limit(largest_body_limit(o));
  // One deadline for the whole request, so a client trickling bytes cannot hold the connection.
  conn.stream.expires_after(o.read_timeout);
  conn.waiting = true;
  auto [ec, n] = co_await bhttp::async_read_header(conn.stream, conn.buffer, *conn.parser, nothrow);
  (void)n;
  conn.waiting = false;
  co_return ec;
}

// The route's limit for the body. A Content-Length over the largest limit fails the header read
// itself (the request line is read by then): the route still says which limit the refusal names.
BodyPlan plan_body(const ServerOptions& o, const Connection& conn, const error_code& header_ec) {
  BodyPlan plan{o.max_body_bytes, nullptr};
  if (!header_ec || header_ec == bhttp::error::body_limit) {
    plan.large = large_body_of(o, conn.parser->get());
    if (plan.large) plan.limit = plan.large->max_bytes;
  }
  return plan;
}

// Holds the body to the route's limit, refusing a declared Content-Length over it before the body
// is sent; a large upload gets its own, longer deadline.
error_code apply_plan(const ServerOptions& o, Connection& conn, const BodyPlan& plan) {
  if (plan.large) conn.stream.expires_after(std::max(o.read_timeout, o.upload_timeout));
  const auto declared = conn.parser->content_length();
  if (declared && *declared > plan.limit) return bhttp::error::body_limit;
  conn.parser->body_limit(plan.limit);
  return {};
}

// A large body is read only from a client that presents credentials (checked afterwards by the
// dispatcher as for any request): anyone else could make the server hold megabytes per
// connection for nothing.
bool may_send_body(const BodyPlan& plan, const Message& header) {
  return !plan.large || header.find(bhttp::field::authorization) != header.end() ||
         header.find(bhttp::field::cookie) != header.end();
}

// Sends the interim 100 answer to a client that waits for it before sending its body
// (Expect: 100-continue). Returns false when it could not be sent.
asio::awaitable<bool> continue_if_expected(Connection& conn) {
  const Message& header = conn.parser->get();
  if (!beast::iequals(header[bhttp::field::expect], "100-continue")) co_return true;
  bhttp::response<bhttp::empty_body> cont(bhttp::status::continue_, header.version());
  auto [ec, n] = co_await bhttp::async_write(conn.stream, cont, nothrow);
  (void)n;
  co_return !ec;
}

asio::awaitable<error_code> read_body(Connection& conn) {
  auto [ec, n] = co_await bhttp::async_read(conn.stream, conn.buffer, *conn.parser, nothrow);
  (void)n;
  co_return ec;
}

// The refusal of a request that could not be read, for the client to read before the connection
// closes; none when the client left or was too slow, or the server stopped waiting.
std::optional<domain::Failure> refusal_of(const error_code& ec, std::size_t body_limit) {
  if (ec == bhttp::error::body_limit) {
    return domain::Failure(domain::Error::payload_too_large,
                           "The request body is larger than the server accepts (" + std::to_string(body_limit) +
                               " bytes, " + megabytes(body_limit) + ").");
  }
  if (ec == bhttp::error::header_limit) {
    return domain::Failure(domain::Error::headers_too_large, "The request headers are too large.");
  }
  if (is_http_parse_error(ec) && ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message) {
    return domain::Failure(domain::Error::bad_request, "The request is not valid HTTP.");
  }
  return std::nullopt;
}

ReadResult refused(std::optional<domain::Failure> refusal) {
  ReadResult out;
  out.refusal = std::move(refusal);
  return out;
}

}  // namespace

asio::awaitable<ReadResult> read_request(const ServerOptions& o, Connection& conn) {
  error_code ec = co_await read_header(o, conn);
  const BodyPlan plan = plan_body(o, conn, ec);
  if (!ec) ec = apply_plan(o, conn, plan);
  if (!ec && !conn.parser->is_done()) {
    if (!may_send_body(plan, conn.parser->get())) {
      co_return refused(domain::Failure(domain::Error::unauthenticated, "Sign in to continue."));
    }
    if (!co_await continue_if_expected(conn)) co_return ReadResult();
    ec = co_await read_body(conn);
  }
  if (ec) co_return refused(refusal_of(ec, plan.limit));
  ReadResult done;
  done.complete = true;
  co_return done;
}

}  // namespace tt::http
