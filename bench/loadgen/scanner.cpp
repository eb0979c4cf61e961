#include "scanner.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "schedule.hpp"
#include "workflow.hpp"

namespace tt::bench {

namespace {
constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);

Clock::time_point to_time_point(std::int64_t ns) { return Clock::time_point(std::chrono::nanoseconds(ns)); }

std::int64_t seconds_to_ns(double s) { return static_cast<std::int64_t>(s * 1e9); }
}  // namespace

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count();
}

asio::awaitable<void> run_scanner(RunShared& shared, ThreadContext& thread, std::uint32_t connection) {
  const Options& opt = *shared.options;
  ThreadStats& stats = thread.stats;
  const Credentials& credentials = shared.credentials[connection % shared.credentials.size()];
  HttpClient client(thread.io.get_executor(), shared.endpoint, credentials);

  // Open the connection before the clock starts, then wait for all the others.
  auto err = co_await client.connect(Clock::now() + std::chrono::nanoseconds(seconds_to_ns(opt.timeout_s)));
  if (!err.empty()) {
    ++stats.errors[err];
    shared.connect_failed.fetch_add(1);
  }
  shared.ready.fetch_add(1);
  if (!shared.started.load()) co_await thread.gate.async_wait(nothrow);

  const std::int64_t start = shared.start_ns.load();
  const std::int64_t measure_start = start + seconds_to_ns(opt.warmup_s);
  const std::int64_t measure_end = measure_start + seconds_to_ns(opt.duration_s);
  const bool open_loop = opt.rate > 0;
  // Past this point nothing more is sent and requests in flight time out: the run always ends.
  const std::int64_t hard_stop = measure_end + seconds_to_ns(open_loop ? opt.drain_s : opt.timeout_s);
  const OpenLoopSchedule schedule{start, opt.rate, opt.connections, connection};

  Workflow workflow(opt.mix, *shared.parents, shared.run_id, connection, opt.seed);
  PlannedRequest req;
  asio::steady_timer pause(thread.io);
  std::uint64_t k = 0;

  while (true) {
    std::int64_t intended;
    std::int64_t now = now_ns();
    if (open_loop) {
      intended = schedule.intended_ns(k);
      if (intended >= measure_end) break;
      if (now >= hard_stop) {
        // Still behind when the run must end: what was never sent counts, not silently dropped.
        stats.unsent += schedule.count_before(measure_end) - k;
        break;
      }
      ++k;
      if (now < intended) {
        pause.expires_at(to_time_point(intended));
        co_await pause.async_wait(nothrow);
      }
    } else {
      if (now >= measure_end) break;
      intended = now;
    }

    if (!workflow.next(req)) {
      ++stats.errors["parent codes used up (widen --parent-range)"];
      break;
    }
    const std::int64_t sent = now_ns();
    const std::int64_t own_deadline = sent + seconds_to_ns(opt.timeout_s);
    const auto deadline = std::min(own_deadline, hard_stop);
    const Exchange x = co_await client.exchange(req.post, req.target, req.body, to_time_point(deadline));
    const std::int64_t done = now_ns();
    if (open_loop && x.timed_out && deadline < own_deadline) {
      ++stats.cut;  // cut off by the end of the run, not timed out; what follows counts as unsent
      continue;
    }

    Verdict verdict = workflow.on_answer(req, Answer{x.status, client.response().body()});
    if (x.status == 0) verdict.error = std::string(op_name(req.op)) + " " + x.error;

    if (intended >= measure_start) {
      OpStats& op = stats.ops[static_cast<std::size_t>(req.op)];
      op.latency_ns.record(static_cast<std::uint64_t>(std::max<std::int64_t>(0, done - intended)));
      ++(verdict.expected ? op.expected : op.unexpected);
      stats.last_completion_ns = std::max(stats.last_completion_ns, done);
      if (x.status == 503) {
        // From the actual send: how fast the server refuses, whatever backlog the client had.
        stats.refused_ns.record(static_cast<std::uint64_t>(std::max<std::int64_t>(0, done - sent)));
        if (client.response().count(boost::beast::http::field::retry_after) > 0) ++stats.refused_with_retry_after;
      }
      if (opt.timeline) {
        const auto second = static_cast<std::size_t>((intended - measure_start) / 1'000'000'000);
        if (stats.seconds.size() <= second) stats.seconds.resize(second + 1);
        SecondStats& s = stats.seconds[second];
        const auto latency = static_cast<std::uint64_t>(std::max<std::int64_t>(0, done - intended));
        if (is_scan(req.op)) s.scans.record(latency);
        if (is_read(req.op)) s.reads.record(latency);
        if (!verdict.expected) ++s.errors;
      }
    }
    if (!verdict.expected) ++stats.errors[verdict.error];

    // A server that refuses connections answers at once: do not spin on it in closed loop.
    if (x.status == 0 && !open_loop) {
      pause.expires_after(std::chrono::milliseconds(50));
      co_await pause.async_wait(nothrow);
    }
  }
  stats.reconnects += client.reconnects();
}

}  // namespace tt::bench
