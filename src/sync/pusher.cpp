#include "sync/pusher.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <random>

#include "domain/sync_ops.hpp"
#include "domain/errors.hpp"
#include "services/sync_depot.hpp"
#include "services/sync_feed.hpp"
#include "storage/job.hpp"
#include "sync/http_post.hpp"
#include "util/log.hpp"

namespace tt::sync {

namespace {

namespace asio = boost::asio;
using json = nlohmann::json;

constexpr std::chrono::milliseconds kFirstBackoff{1000};
constexpr std::chrono::milliseconds kLongestBackoff{5 * 60 * 1000};

// Runs a database job from this (non-io) thread and waits for it.
template <class T>
T wait_for(asio::io_context& ioc, asio::awaitable<T> work) {
  return asio::co_spawn(ioc, std::move(work), asio::use_future).get();
}

// The message of an error answer ({error: {code, message}}), or the status.
std::string reason_of(const HttpAnswer& a) {
  try {
    const json j = json::parse(a.body);
    if (j.contains("error") && j["error"].contains("message")) {
      return j["error"]["message"].get<std::string>() + " (HTTP " + std::to_string(a.status) + ")";
    }
  } catch (...) {
  }
  return "head office answered HTTP " + std::to_string(a.status);
}

std::string error_code_of(const HttpAnswer& a) {
  try {
    const json j = json::parse(a.body);
    return j.at("error").at("code").get<std::string>();
  } catch (...) {
    return {};
  }
}

// The request body of a batch: the stored operations, each with its seq.
std::string batch_body(const std::string& site, std::int64_t after, std::int64_t last_seq,
                       const std::vector<storage::OutboxOp>& ops, std::size_t count) {
  std::string body = "{\"site\":\"" + site + "\",\"batch\":\"" + site + ":" + std::to_string(ops.front().seq) + "-" +
                     std::to_string(ops[count - 1].seq) + "\",\"after\":" + std::to_string(after) +
                     ",\"last_seq\":" + std::to_string(last_seq) + ",\"ops\":[";
  for (std::size_t i = 0; i < count; ++i) {
    if (i) body += ',';
    body += "{\"seq\":" + std::to_string(ops[i].seq) + ',';
    if (ops[i].area) {
      // The area's name, looked up when sent: head office files the operation under it.
      body += "\"area\":" + json(*ops[i].area).dump() + ',';
    }
    body.append(ops[i].payload, 1, std::string::npos);  // the stored object without its "{"
  }
  body += "]}";
  return body;
}

}  // namespace

Pusher::Pusher(storage::Database& db, asio::io_context& ioc, PusherOptions options)
    : db_(db), ioc_(ioc), options_(std::move(options)), token_(options_.token), batch_ops_(domain::kSyncBatchOps) {
  while (!options_.upstream.empty() && options_.upstream.back() == '/') options_.upstream.pop_back();
}

Pusher::~Pusher() { stop(); }

void Pusher::start() {
  thread_ = std::thread([this] { run(); });
}

void Pusher::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

PusherView Pusher::view() const {
  std::lock_guard lock(mutex_);
  return view_;
}

void Pusher::retry() {
  std::string token;
  if (options_.read_token) {
    try {
      token = options_.read_token();
    } catch (const std::exception& e) {
      throw std::runtime_error(e.what());
    }
  }
  {
    std::lock_guard lock(mutex_);
    if (!token.empty()) token_ = std::move(token);
    retry_ = true;
    if (view_.state == "blocked" || view_.state == "diverged") {
      view_.state = "retrying";
      view_.reason.reset();
    }
  }
  util::log_info("sync: an administrator asked to try again now");
  cv_.notify_all();
}

std::string Pusher::token() const {
  std::lock_guard lock(mutex_);
  return token_;
}

std::chrono::milliseconds Pusher::backoff() {
  const int shift = std::min(failures_, 20);
  const std::chrono::milliseconds doubled = kFirstBackoff * (1LL << std::max(0, shift - 1));
  const std::chrono::milliseconds wait = std::min(kLongestBackoff, doubled);
  // Full jitter on the upper half: depots that lost the link together do not return together.
  static thread_local std::mt19937_64 random{std::random_device{}()};
  std::uniform_int_distribution<long long> half(wait.count() / 2, wait.count());
  return std::chrono::milliseconds(half(random));
}

void Pusher::fail(const std::string& reason, const std::string& message) {
  ++failures_;
  {
    std::lock_guard lock(mutex_);
    view_.state = "retrying";
    view_.reason.reset();
    ++view_.errors[reason];
  }
  util::log_warn("sync: " + message);
  try {
    wait_for(ioc_, db_.write(storage::job(services::record_push_error, message, std::optional<std::string>())));
  } catch (const std::exception& e) {
    util::log_error(std::string("sync: cannot record the push error: ") + e.what());
  }
}

void Pusher::block(std::string state, std::string message) {
  {
    std::lock_guard lock(mutex_);
    view_.state = state;
    view_.reason = message;
    ++view_.errors[state];
  }
  util::log_error("sync: " + state + ": " + message);
  try {
    wait_for(ioc_, db_.write(storage::job(services::record_push_error, message, std::optional<std::string>(state))));
  } catch (const std::exception& e) {
    util::log_error(std::string("sync: cannot record the push error: ") + e.what());
  }
}

std::optional<std::chrono::milliseconds> Pusher::round() {
  const HttpAnswer state = http_request(options_.upstream + "/api/v1/sync/state", token(), {}, options_.request_timeout);
  if (state.status == 0) {
    fail("network", "head office cannot be reached: " + state.error);
    return backoff();
  }
  if (state.status == 401 || state.status == 403) {
    block("blocked", reason_of(state));
    return std::nullopt;
  }
  if (state.status != 200) {
    fail("http_" + std::to_string(state.status), reason_of(state));
    return state.retry_after ? std::chrono::milliseconds(*state.retry_after * 1000) : backoff();
  }
  std::int64_t applied = 0;
  try {
    applied = json::parse(state.body).at("applied_through").get<std::int64_t>();
  } catch (const std::exception& e) {
    fail("protocol", std::string("head office's state is not what this depot understands: ") + e.what());
    return backoff();
  }

  const bool pulled = pull();
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return std::nullopt;
    }
    auto limit = static_cast<std::int64_t>(batch_ops_);
    services::OutboxBatch next = wait_for(ioc_, db_.read(storage::job(services::next_batch, limit)));
    if (applied > next.last_seq) {
      block("diverged", "head office has applied operation " + std::to_string(applied) + " of this site, but this database wrote only " +
                            std::to_string(next.last_seq) +
                            ": it is older than what head office saw (restored from a backup, or a copy of another depot). " +
                            kDivergedAdvice);
      return std::nullopt;
    }
    const std::int64_t wrote = next.last_seq;
    if (applied != next.depot.acked_seq) {
      // Head office's cursor is the truth: a restored head office holds less, a lost answer more.
      wait_for(ioc_, db_.write(storage::job(services::rewind_push, applied)));
      next = wait_for(ioc_, db_.read(storage::job(services::next_batch, limit)));
    }
    if (applied < wrote && (!next.first_kept || *next.first_kept > applied + 1)) {
      // Head office asks for operations this depot no longer keeps (it was restored from a backup
      // older than sync_retention_days): say so and stop, never send what follows as if they were there.
      const std::int64_t missing_to = next.first_kept ? *next.first_kept - 1 : wrote;
      block("blocked", "head office has applied operations of this site only through " + std::to_string(applied) +
                           "; operations " + std::to_string(applied + 1) + " to " + std::to_string(missing_to) +
                           ", which it needs again, were removed from this depot after sync_retention_days. Restore "
                           "head office from a newer backup, and keep sync_retention_days longer than the age of head "
                           "office's backups.");
      return std::nullopt;
    }
    if (!next.ops.empty() && next.ops.front().seq != applied + 1) {
      // Never send past a hole: head office would apply what follows as if nothing were missing.
      block("blocked", "the next operation head office needs, " + std::to_string(applied + 1) +
                           ", is not in this depot's outbox (the oldest kept is " + std::to_string(next.ops.front().seq) +
                           "). Nothing is sent past it; keep this database and tell support.");
      return std::nullopt;
    }
    if (next.ops.empty()) {
      if (!pulled) {
        std::lock_guard lock(mutex_);
        view_.state = "retrying";
        return backoff();
      }
      if (failures_ > 0 || !next.depot.last_success_at || next.depot.last_error) {
        wait_for(ioc_, db_.write(storage::job(services::record_push_success, applied)));
      }
      prune_now();
      failures_ = 0;
      std::lock_guard lock(mutex_);
      view_.state = "ok";
      view_.reason.reset();
      return std::nullopt;
    }
    std::size_t count = next.ops.size();
    std::string body = batch_body(options_.site_uid, next.depot.acked_seq, next.last_seq, next.ops, count);
    while (body.size() > domain::kSyncBatchBytes && count > 1) {
      count /= 2;
      body = batch_body(options_.site_uid, next.depot.acked_seq, next.last_seq, next.ops, count);
    }
    const HttpAnswer pushed = http_request(options_.upstream + "/api/v1/sync/push", token(), body, options_.request_timeout);
    if (pushed.status == 200) {
      std::int64_t through = applied;
      try {
        through = json::parse(pushed.body).at("applied_through").get<std::int64_t>();
      } catch (const std::exception& e) {
        fail("protocol", std::string("head office's answer to a push is not understood: ") + e.what());
        return backoff();
      }
      wait_for(ioc_, db_.write(storage::job(services::record_push_success, through)));
      applied = through;
      failures_ = 0;
      std::lock_guard lock(mutex_);
      view_.state = "ok";
      view_.reason.reset();
      view_.ops_pushed += count;
      ++view_.batches_pushed;
      continue;
    }
    const std::string code = error_code_of(pushed);
    if (pushed.status == 409 && code == "sync_gap") {
      try {
        applied = json::parse(pushed.body).at("expected_seq").get<std::int64_t>() - 1;
      } catch (...) {
        fail("protocol", "head office refused a batch with a gap but named no sequence");
        return backoff();
      }
      {
        std::lock_guard lock(mutex_);
        ++view_.errors["gap"];
      }
      wait_for(ioc_, db_.write(storage::job(services::rewind_push, applied)));
      continue;
    }
    if (pushed.status == 413 && batch_ops_ > 1) {
      batch_ops_ = std::max<std::size_t>(1, count / 2);
      std::lock_guard lock(mutex_);
      ++view_.errors["too_large"];
      continue;
    }
    if (pushed.status == 401 || pushed.status == 403 || pushed.status == 409 || pushed.status == 413 ||
        pushed.status == 422) {
      block("blocked", reason_of(pushed));
      return std::nullopt;
    }
    if (pushed.status == 0) {
      fail("network", "the push did not get an answer: " + pushed.error);
      return backoff();
    }
    fail("http_" + std::to_string(pushed.status), reason_of(pushed));
    return pushed.retry_after ? std::chrono::milliseconds(*pushed.retry_after * 1000) : backoff();
  }
}

void Pusher::prune_now() {
  const auto now = std::chrono::steady_clock::now();
  if (last_prune_ && now - *last_prune_ < kPruneEvery) return;
  last_prune_ = now;
  try {
    const std::int64_t removed = wait_for(ioc_, db_.write(storage::job(services::prune_outbox)));
    if (removed > 0) util::log_info("sync: removed " + std::to_string(removed) + " acknowledged operations older than sync_retention_days");
  } catch (const std::exception& e) {
    util::log_warn(std::string("sync: acknowledged operations not removed: ") + e.what());
  }
}

bool Pusher::pull() {
  // A page holds at most domain::kFeedPage rows; the bound only keeps a confused head office
  // from holding the round forever.
  for (int page = 0; page < 10000; ++page) {
    const storage::FeedCursor cursor = wait_for(ioc_, db_.read(storage::job(services::read_feed_cursor)));
    std::string url = options_.upstream + "/api/v1/sync/feed?after=" + std::to_string(cursor.seq);
    if (cursor.uid) url += "&uid=" + *cursor.uid;  // a uuid: nothing to escape
    const HttpAnswer got = http_request(url, token(), {}, options_.request_timeout);
    if (got.status == 0) {
      fail("network", "head office cannot be reached: " + got.error);
      return false;
    }
    if (got.status != 200) {
      fail("pull_http_" + std::to_string(got.status), "what head office manages cannot be fetched: " + reason_of(got));
      return false;
    }
    services::FeedApplied applied;
    try {
      applied = wait_for(ioc_, db_.write(storage::job(services::apply_feed, got.body)));
    } catch (const domain::Failure& e) {
      fail("protocol", std::string("what head office sent cannot be applied: ") + e.what());
      return false;
    } catch (const std::exception& e) {
      // The push goes on whatever the pull met: the round reports this and still sends the outbox.
      fail("pull", std::string("what head office sent was not stored: ") + e.what());
      return false;
    }
    if (applied.reset) util::log_info("sync: received head office's whole state (" + std::to_string(applied.items) + " items)");
    {
      std::lock_guard lock(mutex_);
      view_.items_received += static_cast<std::uint64_t>(applied.items);
    }
    if (!applied.more) return true;
  }
  return true;
}

void Pusher::run() {
  using clock = std::chrono::steady_clock;
  clock::time_point next_round = clock::now();  // a round at once on start
  bool blocked = false;
  for (bool first = true;; first = false) {
    if (!first) {
      std::unique_lock lock(mutex_);
      if (cv_.wait_for(lock, options_.poll, [this] { return stopping_ || retry_; }) && stopping_) return;
      if (retry_) {
        // An administrator's "try again now": whatever stopped or delayed the pusher, a round now.
        retry_ = false;
        blocked = false;
        failures_ = 0;
        batch_ops_ = domain::kSyncBatchOps;
        next_round = clock::now();
      }
    }
    if (blocked) continue;
    try {
      const bool due = clock::now() >= next_round;
      if (!due && !wait_for(ioc_, db_.read(storage::job(services::outbox_waiting)))) continue;
      if (!due && failures_ > 0) continue;  // backing off: the backoff's end is next_round
      const std::optional<std::chrono::milliseconds> wait = round();
      next_round = clock::now() + (wait ? *wait : std::chrono::milliseconds(options_.interval));
    } catch (const std::exception& e) {
      fail("internal", std::string("a push round failed: ") + e.what());
      next_round = clock::now() + backoff();
    }
    std::lock_guard lock(mutex_);
    blocked = view_.state == "blocked" || view_.state == "diverged";
  }
}

}  // namespace tt::sync
