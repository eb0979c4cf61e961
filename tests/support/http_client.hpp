// A small synchronous HTTP/1.1 client over one kept-alive TCP connection, and raw-socket helpers
// for requests a well-behaved client would never send (malformed, oversized, stalled). Every call
// has a deadline, so a server that never answers fails the test instead of hanging the suite.
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tt::test {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpResponse {
  int status = 0;
  Headers headers;  // names lower-cased
  std::string body;
  bool keep_alive = true;  // the server did not announce Connection: close

  std::optional<std::string> header(std::string_view lower_name) const;
  nlohmann::json json() const;  // throws when the body is not JSON
};

class HttpClient {
 public:
  // Connects at once; throws when nothing listens there.
  HttpClient(std::string host, std::uint16_t port, std::chrono::seconds timeout = std::chrono::seconds(30));
  ~HttpClient();
  HttpClient(HttpClient&&) noexcept;
  HttpClient& operator=(HttpClient&&) noexcept;

  // Sends one request on the connection (reconnecting first if the server closed it after the
  // previous response) and reads the response. Throws on a network error or after the timeout.
  HttpResponse request(std::string_view method, std::string_view target, std::string_view body = {},
                       const Headers& headers = {});
  HttpResponse get(std::string_view target, const Headers& headers = {}) { return request("GET", target, {}, headers); }
  HttpResponse post_json(std::string_view target, const nlohmann::json& body, const Headers& headers = {});

  // How many TCP connections this client has opened so far (1 while keep-alive holds).
  int connections_opened() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// One TCP connection driven byte by byte.
class RawConnection {
 public:
  RawConnection(std::string host, std::uint16_t port);
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  // Writes all bytes; false when the server has closed the connection meanwhile.
  bool send(std::string_view bytes);

  // Reads one HTTP response (status, headers and body); nothing when the connection closed (or
  // `timeout` passed) before a whole response arrived.
  std::optional<HttpResponse> read_response(std::chrono::seconds timeout = std::chrono::seconds(30));

  // Waits until the server closes the connection; false when it is still open after `timeout`.
  // Whatever arrives meanwhile is discarded.
  bool wait_closed(std::chrono::seconds timeout);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tt::test
