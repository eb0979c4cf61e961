#include "support/http_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <functional>
#include <stdexcept>

namespace tt::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

HttpResponse convert(bhttp::response<bhttp::string_body>&& res) {
  HttpResponse out;
  out.status = static_cast<int>(res.result_int());
  for (const auto& field : res) out.headers.emplace_back(lower(field.name_string()), std::string(field.value()));
  out.keep_alive = res.keep_alive();
  out.body = std::move(res.body());
  return out;
}

// Runs the io_context until `done` or the deadline; on the deadline the socket is closed so the
// pending operations finish with an error.
void run_until(asio::io_context& ioc, tcp::socket& socket, const bool& done, std::chrono::steady_clock::duration limit) {
  ioc.restart();
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done && std::chrono::steady_clock::now() < deadline) {
    ioc.run_one_until(deadline);
  }
  if (!done) {
    error_code ec;
    socket.close(ec);
    ioc.restart();
    ioc.run();  // let the aborted operations complete
  }
}

}  // namespace

std::optional<std::string> HttpResponse::header(std::string_view lower_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lower_name) return value;
  }
  return std::nullopt;
}

nlohmann::json HttpResponse::json() const { return nlohmann::json::parse(body); }

struct HttpClient::Impl {
  Impl(std::string host, std::uint16_t port, std::chrono::seconds timeout)
      : host(std::move(host)), port(port), timeout(timeout), socket(ioc) {}

  void connect() {
    error_code ec;
    socket.close(ec);
    socket = tcp::socket(ioc);
    buffer.clear();
    socket.connect(tcp::endpoint(asio::ip::make_address(host), port));
    socket.set_option(tcp::no_delay(true));
    ++connections;
  }

  std::string host;
  std::uint16_t port;
  std::chrono::seconds timeout;
  asio::io_context ioc;
  tcp::socket socket;
  beast::flat_buffer buffer;
  bool server_closed = false;
  int connections = 0;
};

HttpClient::HttpClient(std::string host, std::uint16_t port, std::chrono::seconds timeout)
    : impl_(std::make_unique<Impl>(std::move(host), port, timeout)) {
  impl_->connect();
}

HttpClient::~HttpClient() = default;
HttpClient::HttpClient(HttpClient&&) noexcept = default;
HttpClient& HttpClient::operator=(HttpClient&&) noexcept = default;

int HttpClient::connections_opened() const { return impl_->connections; }

HttpResponse HttpClient::request(std::string_view method, std::string_view target, std::string_view body,
                                 const Headers& headers) {
  Impl& s = *impl_;
  // A kept-alive connection the server closed while it sat idle (its read timeout) fails at once
  // with no byte of an answer: a GET is sent again once on a new connection, as browsers do.
  const bool idempotent = method == "GET" || method == "HEAD";
  for (int attempt = 0;; ++attempt) {
    bool fresh = false;
    if (s.server_closed || !s.socket.is_open()) {
      s.connect();
      s.server_closed = false;
      fresh = true;
    }
    bhttp::request<bhttp::string_body> req;
    req.method_string(method);
    req.target(target);
    req.version(11);
    req.set(bhttp::field::host, s.host + ":" + std::to_string(s.port));
    for (const auto& [name, value] : headers) req.set(name, value);
    req.body() = std::string(body);
    if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") req.prepare_payload();

    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(256 << 20);
    if (method == "HEAD") parser.skip(true);
    error_code result;
    bool done = false;
    bhttp::async_write(s.socket, req, [&](error_code ec, std::size_t) {
      if (ec) {
        result = ec;
        done = true;
        return;
      }
      bhttp::async_read(s.socket, s.buffer, parser, [&](error_code read_ec, std::size_t) {
        result = read_ec;
        done = true;
      });
    });
    run_until(s.ioc, s.socket, done, s.timeout);
    if (!done) throw std::runtime_error("no response to " + std::string(method) + " " + std::string(target) + " in time");
    if (result) {
      s.server_closed = true;
      const bool idle_close = result == bhttp::error::end_of_stream || result == asio::error::connection_reset ||
                              result == asio::error::broken_pipe;
      if (idempotent && !fresh && attempt == 0 && idle_close && !parser.got_some()) continue;
      throw std::runtime_error(std::string(method) + " " + std::string(target) + ": " + result.message());
    }
    HttpResponse out = convert(parser.release());
    if (!out.keep_alive) s.server_closed = true;
    return out;
  }
}

HttpResponse HttpClient::post_json(std::string_view target, const nlohmann::json& body, const Headers& headers) {
  Headers all = headers;
  all.emplace_back("Content-Type", "application/json");
  return request("POST", target, body.dump(), all);
}

struct RawConnection::Impl {
  asio::io_context ioc;
  tcp::socket socket{ioc};
  beast::flat_buffer buffer;
};

RawConnection::RawConnection(std::string host, std::uint16_t port) : impl_(std::make_unique<Impl>()) {
  impl_->socket.connect(tcp::endpoint(asio::ip::make_address(host), port));
  impl_->socket.set_option(tcp::no_delay(true));
}

RawConnection::~RawConnection() = default;

bool RawConnection::send(std::string_view bytes) {
  error_code ec;
  asio::write(impl_->socket, asio::buffer(bytes.data(), bytes.size()), ec);
  return !ec;
}

std::optional<HttpResponse> RawConnection::read_response(std::chrono::seconds timeout) {
  Impl& s = *impl_;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(256 << 20);
  error_code result;
  bool done = false;
  bhttp::async_read(s.socket, s.buffer, parser, [&](error_code ec, std::size_t) {
    result = ec;
    done = true;
  });
  run_until(s.ioc, s.socket, done, timeout);
  if (!done || result) return std::nullopt;
  return convert(parser.release());
}

bool RawConnection::wait_closed(std::chrono::seconds timeout) {
  Impl& s = *impl_;
  std::array<char, 4096> scratch{};
  bool closed = false;
  bool done = false;
  std::function<void(error_code, std::size_t)> on_read;
  on_read = [&](error_code ec, std::size_t) {
    if (ec) {
      closed = ec != asio::error::operation_aborted;
      done = true;
      return;
    }
    s.socket.async_read_some(asio::buffer(scratch), on_read);
  };
  s.socket.async_read_some(asio::buffer(scratch), on_read);
  run_until(s.ioc, s.socket, done, timeout);
  // Closed by the deadline (our side) does not count: only an end of stream or reset from the server.
  return closed;
}

}  // namespace tt::test
