// The HTTP/1.1 server: accepts connections on one io_context run by several threads, serves each
// connection in its own coroutine on its own strand (keep-alive), and hands every request to the
// Dispatcher. Beast stays inside server.cpp and request_reader.cpp (and http/connection.hpp, which
// only they include): nothing here pulls it in.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "http/dispatcher.hpp"

namespace tt::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;  // 0: a free port chosen by the system
  std::size_t max_header_bytes = 16 << 10;  // larger request headers get 431
  std::size_t max_body_bytes = 1 << 20;     // larger request bodies get 413
  // Time a client has to send a whole request (and, when idle, the next one on a kept-alive
  // connection); a slow or silent client is disconnected.
  std::chrono::seconds read_timeout{30};
  // Time a client has to take each response (or chunk of a streamed one).
  std::chrono::seconds write_timeout{30};
  // Longest a handler may run before the client gets 503; the handler itself runs to its end.
  std::chrono::seconds handler_timeout{60};
  bool access_log = true;
  // Reverse proxies (their addresses as the TCP peer shows them) whose X-Forwarded-For names the
  // client (http/client_address.hpp); empty: the header is ignored.
  std::vector<std::string> trusted_proxies;
  // Routes that take larger bodies than max_body_bytes (the importer's CSV file), matched on the
  // method and the exact path; their clients get `upload_timeout` to send the body.
  struct LargeBody {
    std::string method;
    std::string path;
    std::size_t max_bytes = 0;
  };
  std::vector<LargeBody> large_bodies;
  std::chrono::seconds upload_timeout{600};
};

class Server {
 public:
  Server(asio::io_context& ioc, const Dispatcher& dispatcher, ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens. Returns the port actually bound (the chosen one when options.port is 0).
  // Throws std::runtime_error naming the address when it cannot be used.
  std::uint16_t listen();

  // Starts accepting connections on the io_context.
  void start();

  // Graceful stop: no new connections; idle connections close; a request being received or handled
  // completes and its connection closes after the response; streamed responses are told to stop.
  // Waits until every connection is gone or `grace` has passed, then closes what remains. Returns
  // true when every connection finished within the grace period.
  asio::awaitable<bool> shutdown(std::chrono::milliseconds grace);

  std::size_t open_connections() const;

  struct Impl;  // defined in server.cpp, with everything Beast

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace tt::http
