#include "storage/postgres/pg_socket.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <sys/socket.h>

#include "storage/value.hpp"

namespace tt::storage::pg {

namespace {

asio::generic::stream_protocol protocol_of(int fd) {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    throw Unavailable("database connection lost: socket is gone");
  }
  // TCP for network addresses, 0 (the default) for Unix-domain sockets.
  int proto = addr.ss_family == AF_UNIX ? 0 : IPPROTO_TCP;
  return asio::generic::stream_protocol(addr.ss_family, proto);
}

void throw_if_cancelled(const boost::system::error_code& ec) {
  // Any other error (end of stream, reset) is for libpq to read and report.
  if (ec == asio::error::operation_aborted) throw boost::system::system_error(ec);
}

}  // namespace

// The socket and the timers of one connection's waits share a strand: a parallel_group whose two
// operations completed at once on two threads could lose its cancellation state (a small leak that
// LeakSanitizer reported now and then; Asio issue 1630). On a strand their handlers never overlap.
SocketWait::SocketWait(asio::any_io_executor ex, int fd)
    : ex_(asio::make_strand(std::move(ex))), fd_(fd), protocol_(protocol_of(fd)) {
  attach();
}

SocketWait::~SocketWait() { detach(); }

void SocketWait::attach() {
  socket_.emplace(ex_);
  socket_->assign(protocol_, fd_);
}

void SocketWait::detach() noexcept {
  if (socket_ && socket_->is_open()) {
    boost::system::error_code ec;
    socket_->release(ec);  // libpq keeps the descriptor; Asio must not close it
  }
  socket_.reset();
}

asio::awaitable<void> SocketWait::readable() {
  char byte;
  auto [ec, n] = co_await socket_->async_receive(asio::buffer(&byte, 1), asio::socket_base::message_peek,
                                                 asio::as_tuple(asio::use_awaitable));
  (void)n;
  throw_if_cancelled(ec);
}

asio::awaitable<void> SocketWait::writable() {
  // A fresh registration: see the header for why.
  detach();
  attach();
  auto [ec] = co_await socket_->async_wait(asio::socket_base::wait_write, asio::as_tuple(asio::use_awaitable));
  throw_if_cancelled(ec);
}

asio::awaitable<bool> SocketWait::readable_or_writable() {
  detach();
  attach();
  char byte;
  auto [order, ec_read, n, ec_write] =
      co_await asio::experimental::make_parallel_group(
          socket_->async_receive(asio::buffer(&byte, 1), asio::socket_base::message_peek, asio::deferred),
          socket_->async_wait(asio::socket_base::wait_write, asio::deferred))
          .async_wait(asio::experimental::wait_for_one(), asio::use_awaitable);
  (void)n;
  throw_if_cancelled(order[0] == 0 ? ec_read : ec_write);
  co_return order[0] == 0;
}

asio::awaitable<bool> SocketWait::readable_until(asio::steady_timer::time_point deadline) {
  asio::steady_timer timer(ex_, deadline);
  char byte;
  auto [order, ec_io, n, ec_timer] =
      co_await asio::experimental::make_parallel_group(
          socket_->async_receive(asio::buffer(&byte, 1), asio::socket_base::message_peek, asio::deferred),
          timer.async_wait(asio::deferred))
          .async_wait(asio::experimental::wait_for_one(), asio::use_awaitable);
  (void)n;
  if (order[0] == 0) {
    throw_if_cancelled(ec_io);
    co_return true;
  }
  throw_if_cancelled(ec_timer);  // the coroutine was cancelled, not timed out
  co_return false;
}

asio::awaitable<bool> SocketWait::writable_until(asio::steady_timer::time_point deadline) {
  detach();
  attach();
  asio::steady_timer timer(ex_, deadline);
  auto [order, ec_io, ec_timer] =
      co_await asio::experimental::make_parallel_group(
          socket_->async_wait(asio::socket_base::wait_write, asio::deferred), timer.async_wait(asio::deferred))
          .async_wait(asio::experimental::wait_for_one(), asio::use_awaitable);
  if (order[0] == 0) {
    throw_if_cancelled(ec_io);
    co_return true;
  }
  throw_if_cancelled(ec_timer);
  co_return false;
}

}  // namespace tt::storage::pg
