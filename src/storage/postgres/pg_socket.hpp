// Waits for libpq's socket to become readable or writable inside the calling coroutine.
//
// libpq owns the socket and does all reading and writing; Asio only tells us when to call libpq
// again. Asio's epoll reactor is edge-triggered, and a plain async_wait started after the edge
// already happened would wait forever (another io_context thread may have consumed the event
// while no wait was queued). Both waits are therefore built to check readiness under the reactor's
// lock when they start:
//   * readable: a one-byte MSG_PEEK receive, which Asio first attempts speculatively and only then
//     queues;
//   * writable: a wait on a fresh registration of the socket, whose first write wait makes Asio
//     add EPOLLOUT with epoll_ctl, which reports a socket that is already writable.
// The socket is registered with the caller's executor only for the lifetime of this object and
// released (never closed) afterwards, so connections are not tied to any one io_context.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/generic/stream_protocol.hpp>
#include <boost/asio/steady_timer.hpp>

#include <optional>

namespace tt::storage::pg {

namespace asio = boost::asio;

class SocketWait {
 public:
  // Does not take ownership of fd.
  SocketWait(asio::any_io_executor ex, int fd);
  ~SocketWait();
  SocketWait(const SocketWait&) = delete;
  SocketWait& operator=(const SocketWait&) = delete;

  // Complete when the socket has data, an end of stream or an error for libpq to look at. Throw
  // boost::system::system_error (operation_aborted) when the awaiting coroutine is cancelled.
  asio::awaitable<void> readable();
  asio::awaitable<void> writable();
  // Either; returns true when the socket became readable (libpq must read before writing more).
  asio::awaitable<bool> readable_or_writable();

  // The same, but give up at `deadline`: return false then (connection set-up uses these).
  asio::awaitable<bool> readable_until(asio::steady_timer::time_point deadline);
  asio::awaitable<bool> writable_until(asio::steady_timer::time_point deadline);

 private:
  void attach();
  void detach() noexcept;

  asio::any_io_executor ex_;
  int fd_;
  asio::generic::stream_protocol protocol_;
  std::optional<asio::generic::stream_protocol::socket> socket_;
};

}  // namespace tt::storage::pg
