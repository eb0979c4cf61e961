// Each subscriber has its own queue and a timer that lives on a strand of its own: next() waits
// on that timer, and publish() (from any thread) cancels it through the strand to wake the
// waiter. A subscriber whose queue reaches kMaxQueued events has stopped reading (a stalled
// client): its queue is replaced by one "dropped" event and it is closed, so publishing never
// blocks and memory stays bounded.
#include "events/hub.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <atomic>
#include <deque>
#include <functional>
#include <mutex>
#include <vector>

namespace tt::events {

namespace asio = boost::asio;

namespace {

constexpr std::size_t kMaxQueued = 1000;

class SubscriberImpl;

struct Shared {
  std::mutex mutex;
  std::vector<std::weak_ptr<SubscriberImpl>> subscribers;
  bool closed = false;
  // Subscribers still open: publish() returns at once when there are none.
  std::atomic<std::size_t> active{0};
};

class SubscriberImpl final : public Subscription, public std::enable_shared_from_this<SubscriberImpl> {
 public:
  SubscriberImpl(asio::any_io_executor ex, std::shared_ptr<Shared> hub)
      : strand_(asio::make_strand(ex)), timer_(strand_), hub_(std::move(hub)) {}

  ~SubscriberImpl() override { leave(); }

  // From any thread, with the hub's mutex held.
  void push(const Event& event) {
    bool wake = false;
    {
      std::lock_guard lock(mutex_);
      if (closed_) return;
      if (queue_.size() >= kMaxQueued) {
        queue_.clear();
        queue_.push_back(Event{"dropped", R"({"reason":"the client fell too far behind; reconnect to resume"})", {}});
        closed_ = true;
      } else {
        queue_.push_back(event);
      }
      wake = waiting_;
      waiting_ = false;
    }
    if (closed_for_pushes()) leave();
    if (wake) this->wake();
  }

  void close() {
    bool wake = false;
    {
      std::lock_guard lock(mutex_);
      closed_ = true;
      wake = waiting_;
      waiting_ = false;
    }
    leave();
    if (wake) this->wake();
  }

  asio::awaitable<std::optional<Event>> next(std::chrono::milliseconds timeout) override {
    // The wait runs on this subscriber's strand, where the timer is only ever touched.
    co_return co_await asio::co_spawn(strand_, wait(shared_from_this(), timeout), asio::use_awaitable);
  }

  bool closed() const override {
    std::lock_guard lock(mutex_);
    return closed_ && queue_.empty();
  }

  // Takes no more events (it may still hold some for its reader).
  bool closed_for_pushes() const {
    std::lock_guard lock(mutex_);
    return closed_;
  }

 private:
  static asio::awaitable<std::optional<Event>> wait(std::shared_ptr<SubscriberImpl> self,
                                                    std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      {
        std::lock_guard lock(self->mutex_);
        if (!self->queue_.empty()) {
          std::optional<Event> ev(std::move(self->queue_.front()));
          self->queue_.pop_front();
          co_return ev;
        }
        if (self->closed_ || std::chrono::steady_clock::now() >= deadline) co_return std::nullopt;
        self->waiting_ = true;
      }
      // A push from here on posts a cancel to this strand, which runs only once this wait has
      // started: no wake-up is lost.
      self->timer_.expires_at(deadline);
      boost::system::error_code ec;
      co_await self->timer_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      std::lock_guard lock(self->mutex_);
      self->waiting_ = false;
    }
  }

  void wake() {
    asio::post(strand_, [self = shared_from_this()] { self->timer_.cancel(); });
  }

  // Counts this subscriber out of the hub's active count, once.
  void leave() {
    if (!left_.exchange(true)) hub_->active.fetch_sub(1, std::memory_order_relaxed);
  }

  asio::strand<asio::any_io_executor> strand_;
  asio::steady_timer timer_;
  std::shared_ptr<Shared> hub_;
  mutable std::mutex mutex_;
  std::deque<Event> queue_;
  bool closed_ = false;
  bool waiting_ = false;
  std::atomic<bool> left_{false};
};

}  // namespace

struct Hub::State : Shared {
  // Set once at start-up, before the first publish (see set_forwarder).
  std::function<void(const Event&)> forwarder;
};

Hub::Hub() : state_(std::make_shared<State>()) {}

Hub::~Hub() { close(); }

void Hub::set_forwarder(std::function<void(const Event&)> forward) { state_->forwarder = std::move(forward); }

bool Hub::forwarding() const noexcept { return static_cast<bool>(state_->forwarder); }

void Hub::publish(Event event) {
  if (state_->forwarder) state_->forwarder(event);
  publish_local(std::move(event));
}

void Hub::publish_local(Event event) {
  // Cheap when nobody listens: the scan path publishes after every scan.
  if (state_->active.load(std::memory_order_relaxed) == 0) return;
  std::lock_guard lock(state_->mutex);
  auto& subs = state_->subscribers;
  for (auto it = subs.begin(); it != subs.end();) {
    if (auto s = it->lock()) {
      s->push(event);
      if (s->closed_for_pushes()) {
        it = subs.erase(it);
        continue;
      }
      ++it;
    } else {
      it = subs.erase(it);
    }
  }
}

std::shared_ptr<Subscription> Hub::subscribe(asio::any_io_executor ex) {
  auto s = std::make_shared<SubscriberImpl>(std::move(ex), state_);
  std::lock_guard lock(state_->mutex);
  state_->active.fetch_add(1, std::memory_order_relaxed);
  if (state_->closed) {
    s->close();
  } else {
    // Forget subscribers that went away, so the list does not grow while nothing is published.
    std::erase_if(state_->subscribers, [](const std::weak_ptr<SubscriberImpl>& w) { return w.expired(); });
    state_->subscribers.push_back(s);
  }
  return s;
}

void Hub::close() {
  std::vector<std::shared_ptr<SubscriberImpl>> to_close;
  {
    std::lock_guard lock(state_->mutex);
    state_->closed = true;
    for (auto& w : state_->subscribers) {
      if (auto s = w.lock()) to_close.push_back(std::move(s));
    }
    state_->subscribers.clear();
  }
  for (auto& s : to_close) s->close();
}

std::size_t Hub::subscriber_count() const { return state_->active.load(std::memory_order_relaxed); }

}  // namespace tt::events
