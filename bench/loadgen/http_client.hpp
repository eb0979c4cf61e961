// One keep-alive HTTP/1.1 connection to the server, one request at a time (no pipelining), as a
// scanner's browser would hold it. Reconnects by itself on the next request after a failure or a
// server-side close. The fixed headers (Host, credentials) are set once; each request only
// changes method, target and body, so the hot path allocates little.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <string>
#include <string_view>

namespace tt::bench {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

// How requests prove who sends them: a session (cookie + CSRF token for writes) or an API token.
struct Credentials {
  std::string cookie;         // "tt_session=..." as sent in the Cookie header; empty with a token
  std::string csrf_token;     // X-CSRF-Token on writes
  std::string bearer_token;   // Authorization: Bearer ...
};

struct Exchange {
  int status = 0;           // 0: no answer, see error
  std::string error;        // "connect: Connection refused", "read: timeout", ... when status is 0
  bool timed_out = false;   // the deadline passed before the answer came
};

class HttpClient {
 public:
  HttpClient(asio::any_io_executor ex, tcp::endpoint endpoint, const Credentials& credentials);

  // Opens the connection now (before the measured window); an empty string on success.
  asio::awaitable<std::string> connect(Clock::time_point deadline);

  // Sends one request and reads the whole answer, connecting first when needed. After a failure
  // the connection is closed and the next call reconnects.
  asio::awaitable<Exchange> exchange(bool post, std::string_view target, std::string_view body,
                                     Clock::time_point deadline);

  // The last answer.
  const http::response<http::string_body>& response() const { return res_; }
  std::uint64_t reconnects() const { return reconnects_; }

 private:
  void close();

  beast::tcp_stream stream_;
  tcp::endpoint endpoint_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> req_;
  http::response<http::string_body> res_;
  bool connected_ = false;
  bool ever_connected_ = false;
  std::uint64_t reconnects_ = 0;
};

// The "name=value" part of a Set-Cookie header value.
std::string cookie_pair(std::string_view set_cookie);

}  // namespace tt::bench
