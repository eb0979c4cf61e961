// Reading one request off a connection within the server's limits: the size of the header (431)
// and of the body, which depends on the route (413, before the body is sent when Content-Length
// announces too much), the read deadline (longer for large uploads), credentials before a large
// body is accepted, and the interim 100 answer a client may wait for before sending its body.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <optional>

#include "domain/errors.hpp"
#include "http/connection.hpp"
#include "http/server.hpp"

namespace tt::http {

// How reading one request ended.
struct ReadResult {
  bool complete = false;  // a whole request is in conn.parser
  // When not complete: the refusal to answer before closing; none when the client left or was too
  // slow, or the server stopped waiting, and the connection just closes.
  std::optional<domain::Failure> refusal;
};

// Reads the next request into a fresh conn.parser. conn.waiting is set while the header is awaited.
asio::awaitable<ReadResult> read_request(const ServerOptions& options, Connection& conn);

}  // namespace tt::http
