// In-process publish/subscribe of live events (scans, links, bill changes) for server-sent events.
// Services publish after their transaction has committed; each GET /api/v1/events stream holds one
// Subscription. With PostgreSQL, events also travel between app instances (LISTEN/NOTIFY), so a
// client of any instance sees every change.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace tt::events {

struct Event {
  std::string type;       // scan | link | unlink | bill | bag_delete ...
  std::string json_data;  // one JSON object, no newlines
  std::optional<std::int64_t> area_id;  // dispatchers only receive events of their own area
  // The other area of an event that concerns two (a bag moved from one area to another): its
  // dispatchers hear it too, and everyone else hears it once.
  std::optional<std::int64_t> other_area_id = std::nullopt;
};

class Subscription;

class Hub {
 public:
  Hub();
  ~Hub();
  Hub(const Hub&) = delete;
  Hub& operator=(const Hub&) = delete;

  // Thread-safe; never blocks on slow subscribers (a subscriber that falls too far behind is
  // told so and dropped). Also hands the event to the forwarder, if there is one.
  void publish(Event event);

  // Delivers to this hub's subscribers only: events that arrived from another instance.
  void publish_local(Event event);

  // Events published here also go to `forward` (events::PgRelay: other instances). Set once, at
  // start-up, before anything is published; not thread-safe against publish().
  void set_forwarder(std::function<void(const Event&)> forward);
  // True when a forwarder is set: an event may have listeners elsewhere even with no local one.
  bool forwarding() const noexcept;

  // A new subscription whose waits complete on `ex`.
  std::shared_ptr<Subscription> subscribe(boost::asio::any_io_executor ex);

  // Ends every subscription (server shutdown).
  void close();

  std::size_t subscriber_count() const;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

class Subscription {
 public:
  virtual ~Subscription() = default;
  // The next event, or nothing after `timeout` (so the stream can send a keep-alive comment), or
  // nothing with closed() true once the hub is closed or this subscriber was dropped.
  virtual boost::asio::awaitable<std::optional<Event>> next(std::chrono::milliseconds timeout) = 0;
  virtual bool closed() const = 0;
};

}  // namespace tt::events
