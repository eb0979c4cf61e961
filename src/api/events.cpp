// GET /api/v1/events: server-sent events (text/event-stream) of scans, links and bill changes as
// they commit, for live dashboards. Each event is "event: <type>\ndata: <json>\n\n"; a comment
// line keeps the connection alive every 15 seconds without events. Dispatchers receive only the
// events of their own area. A client that stops reading is sent "event: dropped" and disconnected
// by the hub; browsers' EventSource reconnects by itself (after the advertised retry delay).
#include <boost/asio/this_coro.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "api/deps.hpp"
#include "api/routes.hpp"
#include "domain/identity.hpp"
#include "events/hub.hpp"

namespace tt::api {

namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

constexpr auto kKeepAlive = 15s;

// Who reads the stream: the area rule of domain::Identity decides which events they get.
asio::awaitable<void> stream_events(http::StreamWriter& out, std::shared_ptr<events::Subscription> sub,
                                    domain::Identity audience) {
  const bool connected = co_await out.write("retry: 3000\n: connected\n\n");
  if (!connected) co_return;  // not in the if's condition (the coroutine rule: storage/job.hpp)
  auto last_write = std::chrono::steady_clock::now();
  std::string chunk;
  for (;;) {
    const auto since = std::chrono::steady_clock::now() - last_write;
    const auto wait = since >= kKeepAlive ? 0ms : std::chrono::duration_cast<std::chrono::milliseconds>(kKeepAlive - since);
    std::optional<events::Event> ev = co_await sub->next(wait);
    chunk.clear();
    if (ev) {
      const bool seen = audience.may_see(ev->area_id) || (ev->other_area_id && audience.may_see(ev->other_area_id));
      if (!seen && ev->type != "dropped") {
        if (std::chrono::steady_clock::now() - last_write < kKeepAlive) continue;
        chunk = ": keep-alive\n\n";
      } else {
        chunk.append("event: ").append(ev->type).append("\ndata: ").append(ev->json_data).append("\n\n");
      }
    } else if (sub->closed()) {
      co_return;
    } else {
      chunk = ": keep-alive\n\n";
    }
    const bool written = co_await out.write(chunk);
    if (!written) co_return;
    last_write = std::chrono::steady_clock::now();
  }
}

asio::awaitable<http::Response> events(http::RequestContext& ctx, Deps& d) {
  const accounts::Principal& p = ctx.principal();
  const domain::Identity audience = p;
  auto sub = d.hub.subscribe(co_await asio::this_coro::executor);
  http::Response r;
  r.content_type = "text/event-stream";
  r.header("Cache-Control", "no-cache");
  r.header("X-Accel-Buffering", "no");  // proxies must not hold events back
  // The lambda only hands its captures to the coroutine, which keeps its own copies.
  r.stream = [sub, audience](http::StreamWriter& out) { return stream_events(out, sub, audience); };
  co_return r;
}

}  // namespace

std::span<const RouteRow> events_routes() {
  static const RouteRow rows[] = {
      {"GET", "/api/v1/events", http::Access::any_user(), events},
  };
  return rows;
}

}  // namespace tt::api
