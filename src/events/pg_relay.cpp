#include "events/pg_relay.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <chrono>
#include <future>
#include <vector>

#include "events/relay_payload.hpp"
#include "util/ids.hpp"
#include "util/log.hpp"

namespace tt::events {

namespace asio = boost::asio;

namespace {

// Notifications per statement, and the bound of the queue while PostgreSQL is slow or away.
constexpr std::size_t kBatch = 100;
constexpr std::size_t kMaxQueued = 10000;
// How long the sender sleeps when there is nothing to send: the longest an event waits.
constexpr std::chrono::milliseconds kIdlePause{5};
constexpr std::chrono::seconds kListenWait{5};

}  // namespace

PgRelay::PgRelay(storage::pg::PgDatabase& db, Hub& hub) : db_(db), hub_(hub), instance_(util::random_hex(8)) {}

void PgRelay::start(asio::io_context& ioc) {
  auto listening = std::make_shared<std::promise<void>>();
  auto announced = std::make_shared<std::atomic<bool>>(false);
  auto on_connected = [listening, announced] {
    if (!announced->exchange(true)) listening->set_value();
  };
  auto handler = [this](const storage::pg::Notification& n) { receive(n); };
  asio::co_spawn(ioc, db_.listen({kRelayChannel}, handler, on_connected), asio::detached);
  if (listening->get_future().wait_for(kListenWait) != std::future_status::ready) {
    util::log_warn("live events: not yet listening for other instances' events; retrying in the background");
  }
  hub_.set_forwarder([this](const Event& e) { enqueue(e); });
  asio::co_spawn(ioc, send_loop(), asio::detached);
}

void PgRelay::enqueue(const Event& event) {
  auto payload = encode_relay_payload(instance_, event);
  if (!payload) {
    ++dropped_;  // too long for NOTIFY: only this instance's clients see it
    return;
  }
  std::lock_guard lock(mutex_);
  if (queue_.size() >= kMaxQueued) {
    ++dropped_;
    return;
  }
  queue_.push_back(std::move(*payload));
}

void PgRelay::receive(const storage::pg::Notification& n) {
  auto relayed = decode_relay_payload(n.payload);
  if (!relayed || relayed->instance == instance_) return;  // own events were delivered already
  hub_.publish_local(std::move(relayed->event));
}

asio::awaitable<void> PgRelay::send_loop() {
  asio::steady_timer pause(co_await asio::this_coro::executor);
  bool warned = false;
  for (;;) {
    std::vector<std::string> batch;
    {
      std::lock_guard lock(mutex_);
      while (!queue_.empty() && batch.size() < kBatch) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    if (batch.empty()) {
      pause.expires_after(kIdlePause);
      auto [ec] = co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
      if (ec) co_return;  // the io_context is stopping
      continue;
    }
    // One statement for the whole batch: pg_notify over a list of payloads.
    std::string sql = "SELECT pg_notify($1, t.v) FROM (VALUES ";
    storage::Params params;
    params.reserve(batch.size() + 1);
    params.emplace_back(std::in_place_type<std::string>, kRelayChannel);
    for (auto& p : batch) {
      params.emplace_back(std::in_place_type<std::string>, std::move(p));
      if (params.size() > 2) sql += ", ";
      sql += "($";
      sql += std::to_string(params.size());
      sql += ')';
    }
    sql += ") AS t(v)";
    const std::size_t n = batch.size();
    try {
      co_await db_.write(storage::job(storage::run_statement, sql, std::move(params)));
      sent_ += n;
      warned = false;
    } catch (const std::exception& e) {
      dropped_ += n;
      if (!warned) util::log_warn(std::string("live events: could not reach the other instances: ") + e.what());
      warned = true;
    }
  }
}

}  // namespace tt::events
