#include "app/io_threads.hpp"

#include <exception>
#include <string>

#include "util/log.hpp"

namespace tt::app {

IoThreads::IoThreads(asio::io_context& ioc, unsigned count) : ioc_(ioc), work_(asio::make_work_guard(ioc)) {
  threads_.reserve(count);
  for (unsigned i = 0; i < count; ++i) {
    threads_.emplace_back([this] {
      // A handler that throws must not take the whole server down: log it and keep serving.
      for (;;) {
        try {
          ioc_.run();
          return;
        } catch (const std::exception& e) {
          util::log_error(std::string("uncaught exception in an io thread: ") + e.what());
        }
      }
    });
  }
}

IoThreads::~IoThreads() { stop(); }

void IoThreads::stop() {
  work_.reset();
  ioc_.stop();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

}  // namespace tt::app
