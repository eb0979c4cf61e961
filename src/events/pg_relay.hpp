// Live events between app instances that share a PostgreSQL database (head office): every event
// published on this instance's hub is also sent with NOTIFY on one channel, and notifications
// from the other instances are delivered to this hub's subscribers. A client of any instance
// therefore sees every change, wherever it was made.
//
// Events are sent after the change has committed, in batches (one statement for every event
// queued meanwhile), from one coroutine. They are live notifications, not a log: if PostgreSQL is
// unreachable the batch is dropped and counted, as an SSE client that reconnects reloads anyway.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>

#include <atomic>
#include <deque>
#include <memory>
#include <mutex>
#include <string>

#include "events/hub.hpp"
#include "storage/postgres/pg_database.hpp"

namespace tt::events {

inline constexpr const char* kRelayChannel = "tracetrack_events";

class PgRelay {
 public:
  PgRelay(storage::pg::PgDatabase& db, Hub& hub);
  PgRelay(const PgRelay&) = delete;
  PgRelay& operator=(const PgRelay&) = delete;

  // Starts listening and sending on ioc, and makes the hub forward its events here. Returns once
  // the LISTEN is in place (or after a few seconds without it), so that no event is missed
  // after the server announces itself.
  void start(boost::asio::io_context& ioc);

  // Events sent and dropped so far (tests and logs).
  std::uint64_t sent() const noexcept { return sent_.load(); }
  std::uint64_t dropped() const noexcept { return dropped_.load(); }

 private:
  void enqueue(const Event& event);
  void receive(const storage::pg::Notification& n);
  boost::asio::awaitable<void> send_loop();

  storage::pg::PgDatabase& db_;
  Hub& hub_;
  const std::string instance_;
  std::mutex mutex_;
  std::deque<std::string> queue_;  // encoded payloads
  std::atomic<std::uint64_t> sent_{0}, dropped_{0};
};

}  // namespace tt::events
