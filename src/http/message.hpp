// Request and response as handlers see them: plain values, no Beast types, so that handler files
// stay light to compile and easy to test without a socket.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <nlohmann/json_fwd.hpp>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tt::http {

namespace asio = boost::asio;

struct Request {
  std::string method;       // upper case: GET, POST, ...
  std::string target;       // as received: /api/v1/bags?q=SB1
  std::string path;         // percent-decoded path without the query
  std::string query;        // raw query string without '?'
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;
  std::string remote_addr;  // peer IP address
  std::map<std::string, std::string, std::less<>> params;   // {name} segments of the matched route

  std::optional<std::string_view> header(std::string_view lower_name) const;
  // Percent-decoded value of a query parameter ('+' is a space).
  std::optional<std::string> query_param(std::string_view name) const;
  std::optional<std::string> cookie(std::string_view name) const;
  // The path parameter; throws if the route has none of that name (a programming error).
  const std::string& param(std::string_view name) const;
  // Parses the body as a JSON object; throws domain::Failure invalid_json otherwise.
  nlohmann::json json_body() const;
};

// Streams a response body in chunks (server-sent events, CSV exports). write() returns false once
// the client has gone or the server is shutting down: the producer should stop then.
class StreamWriter {
 public:
  virtual ~StreamWriter() = default;
  virtual asio::awaitable<bool> write(std::string_view chunk) = 0;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // When set, the body is produced by this coroutine with chunked transfer encoding.
  std::function<asio::awaitable<void>(StreamWriter&)> stream;
  // The route pattern that answered (/api/v1/bags/{code}), for the metrics: set by the Dispatcher;
  // it points into the router, which outlives every response.
  std::string_view route = "unmatched";

  Response& header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
};

Response json_response(int status, const nlohmann::json& body);
// A 200 CSV download (text/csv, UTF-8) saved as `file_name` (plain characters only: the caller
// makes it), never cached; the caller sets the body or the stream.
Response csv_attachment(const std::string& file_name);
// {"error": {"code", "message"}} (SPEC §4). Which status a code gets is the Dispatcher's to say.
Response error_response(int status, std::string_view code, std::string_view message);

std::string percent_decode(std::string_view s, bool plus_is_space);
std::string_view status_reason(int status);

}  // namespace tt::http
