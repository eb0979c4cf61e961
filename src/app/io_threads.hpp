// The thread pool that runs an io_context, and a way for the main thread to wait on a coroutine
// (start-up work such as migrations) while those threads serve it.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <thread>
#include <vector>

namespace tt::app {

namespace asio = boost::asio;

class IoThreads {
 public:
  // Starts `count` threads running ioc; they keep running until stop(), even with no work queued.
  IoThreads(asio::io_context& ioc, unsigned count);
  ~IoThreads();  // stop()
  IoThreads(const IoThreads&) = delete;
  IoThreads& operator=(const IoThreads&) = delete;

  // Stops the io_context and joins the threads. Idempotent.
  void stop();

 private:
  asio::io_context& ioc_;
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  std::vector<std::thread> threads_;
};

// Runs the coroutine on ioc (served by IoThreads) and blocks the calling thread, which must not be
// one of ioc's, until it finishes; returns its result or rethrows its exception.
template <class T>
T run_blocking(asio::io_context& ioc, asio::awaitable<T> coroutine) {
  return asio::co_spawn(ioc, std::move(coroutine), asio::use_future).get();
}

}  // namespace tt::app
