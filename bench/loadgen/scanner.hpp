// One scanner: a coroutine that holds a keep-alive connection and runs the Workflow on it, on the
// open-loop schedule or closed loop, recording into its thread's ThreadStats.
#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <vector>

#include "codes.hpp"
#include "http_client.hpp"
#include "options.hpp"
#include "stats.hpp"

namespace tt::bench {

// Shared by all scanners, read-only once the run starts (except the allocator and the counters,
// which are atomic).
struct RunShared {
  const Options* options = nullptr;
  tcp::endpoint endpoint;
  std::vector<Credentials> credentials;  // one per account; connection i uses i % size
  std::string run_id;
  ParentCodeAllocator* parents = nullptr;

  std::atomic<std::uint32_t> ready{0};        // connections that tried their first connect
  std::atomic<std::uint32_t> connect_failed{0};
  std::atomic<bool> started{false};
  std::atomic<std::int64_t> start_ns{0};      // steady clock; valid once started
};

// One per generator thread: its event loop, its statistics and the gate its scanners wait at
// until every connection is open.
struct ThreadContext {
  asio::io_context io{1};
  ThreadStats stats;
  asio::steady_timer gate{io, Clock::time_point::max()};
};

std::int64_t now_ns();

asio::awaitable<void> run_scanner(RunShared& shared, ThreadContext& thread, std::uint32_t connection);

}  // namespace tt::bench
