// Runs a coroutine that needs no other thread (a handler over in-memory objects) to completion on
// a private io_context, for tests of pure request handling.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

namespace tt::test {

template <class T>
T run_here(boost::asio::awaitable<T> coroutine) {
  boost::asio::io_context ioc;
  auto result = boost::asio::co_spawn(ioc, std::move(coroutine), boost::asio::use_future);
  ioc.run();
  return result.get();
}

}  // namespace tt::test
