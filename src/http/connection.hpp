// One client connection of the server, as the server (server.cpp) and the request reader
// (request_reader.cpp) share it. Beast types: only those two files include this header.
#pragma once

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <optional>
#include <string>

#include "http/message.hpp"

namespace tt::http {

// Only touched from its strand (the executor of `stream`).
struct Connection {
  explicit Connection(asio::ip::tcp::socket socket) : stream(std::move(socket)) {}

  boost::beast::tcp_stream stream;
  boost::beast::flat_buffer buffer;
  // The request being read; kept after a failed read so the refusal can name its request line.
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser;
  std::string remote_addr;
  // Waiting for a request; at shutdown such a connection closes at once unless part of a request
  // has already arrived.
  bool waiting = false;

  bool has_partial_request() {
    boost::system::error_code ec;
    return buffer.size() > 0 || (parser && parser->got_some()) || stream.socket().available(ec) > 0;
  }
};

}  // namespace tt::http
