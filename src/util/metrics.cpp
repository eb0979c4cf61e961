#include "util/metrics.hpp"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "util/version.hpp"

namespace tt::util {

namespace pm = prometheus;

namespace {

// From a millisecond to ten seconds: scans answer in a few milliseconds, exports and imports take
// seconds (their requests are long by nature, which the route label shows).
const pm::Histogram::BucketBoundaries kLatencyBuckets{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                      0.1,   0.25,   0.5,   1,    2.5,   5, 10};

std::uint64_t resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  std::uint64_t size = 0, resident = 0;
  statm >> size >> resident;
  return resident * static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE));
}

std::size_t open_fds() {
  std::error_code ec;
  std::size_t n = 0;
  for (std::filesystem::directory_iterator it("/proc/self/fd", ec), end; !ec && it != end; it.increment(ec)) ++n;
  return n > 0 ? n - 1 : 0;  // the directory iterator's own descriptor
}

}  // namespace

struct Metrics::Impl {
  pm::Registry registry;
  pm::Family<pm::Counter>& requests = pm::BuildCounter()
                                          .Name("tracetrack_http_requests_total")
                                          .Help("HTTP requests answered, by route pattern, method and status.")
                                          .Register(registry);
  pm::Family<pm::Histogram>& durations =
      pm::BuildHistogram()
          .Name("tracetrack_http_request_duration_seconds")
          .Help("Time from a request read to its response written, by route pattern and method.")
          .Register(registry);
  pm::Family<pm::Counter>& scans = pm::BuildCounter()
                                       .Name("tracetrack_scans_total")
                                       .Help("Scans by action and result (accepted, replayed, or the refusal's code).")
                                       .Register(registry);
  pm::Family<pm::Gauge>& build = pm::BuildGauge()
                                     .Name("tracetrack_build_info")
                                     .Help("The server's version and database backend (always 1).")
                                     .Register(registry);
  pm::Family<pm::Gauge>& pool = pm::BuildGauge()
                                    .Name("tracetrack_db_pool_connections")
                                    .Help("PostgreSQL connections of this instance's pool, by state.")
                                    .Register(registry);
  pm::Family<pm::Gauge>& waiting = pm::BuildGauge()
                                       .Name("tracetrack_db_pool_waiting")
                                       .Help("Requests waiting for a PostgreSQL connection now.")
                                       .Register(registry);
  pm::Family<pm::Counter>& waits = pm::BuildCounter()
                                       .Name("tracetrack_db_pool_waits_total")
                                       .Help("Requests that had to wait for a PostgreSQL connection.")
                                       .Register(registry);
  pm::Family<pm::Gauge>& write_queue = pm::BuildGauge()
                                           .Name("tracetrack_sqlite_write_queue_length")
                                           .Help("SQLite write transactions waiting for the writer.")
                                           .Register(registry);
  pm::Family<pm::Gauge>& wal = pm::BuildGauge()
                                   .Name("tracetrack_sqlite_wal_bytes")
                                   .Help("Size of the SQLite write-ahead log file in bytes.")
                                   .Register(registry);
  pm::Family<pm::Gauge>& streams = pm::BuildGauge()
                                       .Name("tracetrack_event_stream_clients")
                                       .Help("Open live-event streams (GET /api/v1/events).")
                                       .Register(registry);
  pm::Family<pm::Gauge>& memory = pm::BuildGauge()
                                      .Name("process_resident_memory_bytes")
                                      .Help("Resident memory size in bytes.")
                                      .Register(registry);
  pm::Family<pm::Gauge>& fds =
      pm::BuildGauge().Name("process_open_fds").Help("Number of open file descriptors.").Register(registry);
  pm::Family<pm::Gauge>& start_time = pm::BuildGauge()
                                          .Name("process_start_time_seconds")
                                          .Help("Start time of the process since the Unix epoch in seconds.")
                                          .Register(registry);
  double started = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  std::uint64_t waits_seen = 0;
};

Metrics& Metrics::instance() {
  static Metrics m;
  return m;
}

Metrics::Metrics() : impl_(std::make_unique<Impl>()) {}

void Metrics::observe_request(std::string_view route, std::string_view method, int status, double seconds) {
  // A client may send any method name: only the standard ones become label values.
  static constexpr std::string_view kMethods[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
  const bool known = std::find(std::begin(kMethods), std::end(kMethods), method) != std::end(kMethods);
  const std::string r(route), m(known ? method : "other");
  impl_->requests.Add({{"route", r}, {"method", m}, {"status", std::to_string(status)}}).Increment();
  impl_->durations.Add({{"route", r}, {"method", m}}, kLatencyBuckets).Observe(seconds);
}

void Metrics::count_scan(std::string_view action, std::string_view result) {
  impl_->scans.Add({{"action", std::string(action)}, {"result", std::string(result)}}).Increment();
}

std::string Metrics::render(const ScrapeValues& v) {
  Impl& m = *impl_;
  m.build.Add({{"version", TRACETRACK_VERSION}, {"backend", v.backend}}).Set(1);
  if (v.pool_idle) m.pool.Add({{"state", "idle"}}).Set(*v.pool_idle);
  if (v.pool_busy) m.pool.Add({{"state", "busy"}}).Set(*v.pool_busy);
  if (v.pool_waiting) m.waiting.Add({}).Set(*v.pool_waiting);
  if (v.pool_waits_total) {
    // The pool keeps the running total; the counter follows it (scrapes are serialised below).
    auto& c = m.waits.Add({});
    if (*v.pool_waits_total > m.waits_seen) c.Increment(static_cast<double>(*v.pool_waits_total - m.waits_seen));
    m.waits_seen = *v.pool_waits_total;
  }
  if (v.write_queue) m.write_queue.Add({}).Set(static_cast<double>(*v.write_queue));
  if (v.wal_bytes) m.wal.Add({}).Set(static_cast<double>(*v.wal_bytes));
  m.streams.Add({}).Set(static_cast<double>(v.event_stream_clients));
  m.memory.Add({}).Set(static_cast<double>(resident_bytes()));
  m.fds.Add({}).Set(static_cast<double>(open_fds()));
  m.start_time.Add({}).Set(m.started);
  std::ostringstream out;
  pm::TextSerializer().Serialize(out, m.registry.Collect());
  return out.str();
}

}  // namespace tt::util
