// The live event hub: delivery to every subscriber, waiting with a timeout, slow subscribers
// dropped with notice, and shutdown.
#include <doctest/doctest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <chrono>
#include <thread>
#include <vector>

#include "events/hub.hpp"

using namespace std::chrono_literals;
using tt::events::Event;
using tt::events::Hub;
using tt::events::Subscription;
namespace asio = boost::asio;

namespace {

// Runs `fn(sub)` as a coroutine on its own io_context thread and returns its result.
template <class T>
T on_io(std::shared_ptr<Subscription> sub, asio::io_context& io, asio::awaitable<T> (*fn)(std::shared_ptr<Subscription>)) {
  auto fut = asio::co_spawn(io, fn(std::move(sub)), asio::use_future);
  std::thread t([&io] { io.run(); });
  auto out = fut.get();
  t.join();
  io.restart();
  return out;
}

asio::awaitable<std::optional<Event>> next_quick(std::shared_ptr<Subscription> s) { co_return co_await s->next(2000ms); }
asio::awaitable<std::optional<Event>> next_short(std::shared_ptr<Subscription> s) { co_return co_await s->next(20ms); }

asio::awaitable<std::vector<std::string>> drain(std::shared_ptr<Subscription> s) {
  std::vector<std::string> types;
  while (auto e = co_await s->next(50ms)) types.push_back(e->type);
  co_return types;
}

}  // namespace

TEST_CASE("event hub: every subscriber receives what is published, in order") {
  Hub hub;
  asio::io_context io;
  auto a = hub.subscribe(io.get_executor());
  auto b = hub.subscribe(io.get_executor());
  CHECK(hub.subscriber_count() == 2);
  hub.publish(Event{"scan", "{\"n\":1}", 1});
  hub.publish(Event{"link", "{\"n\":2}", std::nullopt});
  CHECK(on_io(a, io, drain) == std::vector<std::string>{"scan", "link"});
  auto first = on_io(b, io, next_quick);
  REQUIRE(first);
  CHECK(first->json_data == "{\"n\":1}");
  CHECK(first->area_id == 1);
}

TEST_CASE("event hub: a wait ends with the next event or after its timeout") {
  Hub hub;
  asio::io_context io;
  auto sub = hub.subscribe(io.get_executor());
  CHECK_FALSE(on_io(sub, io, next_short));
  CHECK_FALSE(sub->closed());
  // Published from another thread while the subscriber waits.
  std::thread publisher([&hub] {
    std::this_thread::sleep_for(50ms);
    hub.publish(Event{"bill", "{}", std::nullopt});
  });
  auto got = on_io(sub, io, next_quick);
  publisher.join();
  REQUIRE(got);
  CHECK(got->type == "bill");
}

TEST_CASE("event hub: a subscriber that stops reading is told so and dropped") {
  Hub hub;
  asio::io_context io;
  auto slow = hub.subscribe(io.get_executor());
  for (int i = 0; i < 5000; ++i) hub.publish(Event{"scan", "{}", std::nullopt});
  CHECK(hub.subscriber_count() == 0);
  CHECK(on_io(slow, io, drain) == std::vector<std::string>{"dropped"});
  CHECK(slow->closed());
}

TEST_CASE("event hub: closing ends every subscription; publishing without subscribers costs nothing") {
  Hub hub;
  hub.publish(Event{"scan", "{}", std::nullopt});  // nobody listens
  asio::io_context io;
  auto sub = hub.subscribe(io.get_executor());
  hub.close();
  CHECK_FALSE(on_io(sub, io, next_quick));
  CHECK(sub->closed());
  auto late = hub.subscribe(io.get_executor());
  CHECK(late->closed());
}
