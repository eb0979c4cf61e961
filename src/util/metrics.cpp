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
#include <mutex>
#include <sstream>
#include <type_traits>

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

  template <class Metric>
  pm::Family<Metric>& family(const std::string& name, const std::string& help) {
    if constexpr (std::is_same_v<Metric, pm::Counter>) {
      return pm::BuildCounter().Name(name).Help(help).Register(registry);
    } else if constexpr (std::is_same_v<Metric, pm::Gauge>) {
      return pm::BuildGauge().Name(name).Help(help).Register(registry);
    } else {
      return pm::BuildHistogram().Name(name).Help(help).Register(registry);
    }
  }

  pm::Family<pm::Counter>& requests =
      family<pm::Counter>("tracetrack_http_requests_total",
          "HTTP requests answered, by route pattern, method and status.");
  pm::Family<pm::Histogram>& durations =
      family<pm::Histogram>("tracetrack_http_request_duration_seconds",
          "Time from a request read to its response written, by route pattern and method.");
  pm::Family<pm::Counter>& scans =
      family<pm::Counter>("tracetrack_scans_total",
          "Scans by action and result (accepted, replayed, or the refusal's code).");
  pm::Family<pm::Gauge>& build =
      family<pm::Gauge>("tracetrack_build_info",
          "The server's version and database backend (always 1).");
  pm::Family<pm::Gauge>& pool =
      family<pm::Gauge>("tracetrack_db_pool_connections",
          "PostgreSQL connections of this instance's pool, by state.");
  pm::Family<pm::Gauge>& waiting =
      family<pm::Gauge>("tracetrack_db_pool_waiting",
          "Requests waiting for a PostgreSQL connection now.");
  pm::Family<pm::Counter>& waits =
      family<pm::Counter>("tracetrack_db_pool_waits_total",
          "Requests that had to wait for a PostgreSQL connection.");
  pm::Family<pm::Gauge>& write_queue =
      family<pm::Gauge>("tracetrack_sqlite_write_queue_length",
          "SQLite write transactions waiting for the writer.");
  pm::Family<pm::Gauge>& db_write_queue =
      family<pm::Gauge>("tracetrack_db_write_queue_length",
          "PostgreSQL write transactions waiting for a group writer.");
  pm::Family<pm::Counter>& groups =
      family<pm::Counter>("tracetrack_db_write_groups_total",
          "Transactions committed by the database writer(s), each holding a group of write transactions.");
  pm::Family<pm::Counter>& group_jobs =
      family<pm::Counter>("tracetrack_db_write_jobs_total",
          "Write transactions answered from the writer(s)' groups.");
  pm::Family<pm::Counter>& commit_time =
      family<pm::Counter>("tracetrack_db_commit_seconds_total",
          "Time spent making groups durable (SQLite: fdatasync of the log; PostgreSQL: COMMIT).");
  pm::Family<pm::Counter>& refused =
      family<pm::Counter>("tracetrack_db_write_refused_total",
          "Write transactions refused at once (503) because too many were waiting.");
  pm::Family<pm::Counter>& checkpoints =
      family<pm::Counter>("tracetrack_sqlite_checkpoints_total",
          "Checkpoints of the SQLite write-ahead log into the database file.");
  pm::Family<pm::Counter>& checkpoint_time =
      family<pm::Counter>("tracetrack_sqlite_checkpoint_seconds_total",
          "Time spent checkpointing the SQLite write-ahead log.");
  pm::Family<pm::Counter>& wal_pages =
      family<pm::Counter>("tracetrack_sqlite_wal_pages_total",
          "Pages the SQLite writer's commits appended to the write-ahead log.");
  pm::Family<pm::Gauge>& wal =
      family<pm::Gauge>("tracetrack_sqlite_wal_bytes",
          "Size of the SQLite write-ahead log file in bytes.");
  pm::Family<pm::Gauge>& streams =
      family<pm::Gauge>("tracetrack_event_stream_clients",
          "Open live-event streams (GET /api/v1/events).");
  pm::Family<pm::Gauge>& sync_backlog =
      family<pm::Gauge>("tracetrack_sync_backlog_ops",
          "Operations of this depot that head office has not acknowledged yet.");
  pm::Family<pm::Gauge>& sync_success =
      family<pm::Gauge>("tracetrack_sync_last_success_timestamp_seconds",
          "When head office last acknowledged this depot's operations, in seconds since the Unix epoch.");
  pm::Family<pm::Counter>& sync_errors =
      family<pm::Counter>("tracetrack_sync_errors_total",
          "Failed pushes to head office since start, by reason.");
  pm::Family<pm::Gauge>& sync_conflicts =
      family<pm::Gauge>("tracetrack_sync_conflicts_open",
          "Synchronisation conflicts waiting for a person.");
  pm::Family<pm::Gauge>& sync_lag =
      family<pm::Gauge>("tracetrack_sync_site_lag_ops",
          "Operations a site has written that head office has not applied, as of the site's last push.");
  pm::Family<pm::Gauge>& memory =
      family<pm::Gauge>("process_resident_memory_bytes",
          "Resident memory size in bytes.");
  pm::Family<pm::Gauge>& fds =
      family<pm::Gauge>("process_open_fds",
          "Number of open file descriptors.");
  pm::Family<pm::Gauge>& start_time =
      family<pm::Gauge>("process_start_time_seconds",
          "Start time of the process since the Unix epoch in seconds.");
  double started = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  std::mutex scrape;            // one scrape at a time: the values set below belong to it
  std::uint64_t waits_seen = 0;  // the pool's total at the last scrape

  // A counter that follows a running total kept elsewhere (the database's): it is increased by
  // what the total grew since the last scrape.
  void follow(pm::Family<pm::Counter>& family, double total) {
    auto& c = family.Add({});
    if (total > c.Value()) c.Increment(total - c.Value());
  }
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
  std::lock_guard lock(m.scrape);
  m.build.Add({{"version", TRACETRACK_VERSION}, {"backend", v.backend}}).Set(1);
  if (v.pool_idle) m.pool.Add({{"state", "idle"}}).Set(*v.pool_idle);
  if (v.pool_busy) m.pool.Add({{"state", "busy"}}).Set(*v.pool_busy);
  if (v.pool_waiting) m.waiting.Add({}).Set(*v.pool_waiting);
  if (v.pool_waits_total) {
    // The pool keeps the running total; the counter follows it.
    auto& c = m.waits.Add({});
    if (*v.pool_waits_total > m.waits_seen) c.Increment(static_cast<double>(*v.pool_waits_total - m.waits_seen));
    m.waits_seen = *v.pool_waits_total;
  }
  if (v.write_queue) {
    auto& queue = v.backend == "sqlite" ? m.write_queue : m.db_write_queue;
    queue.Add({}).Set(static_cast<double>(*v.write_queue));
  }
  m.follow(m.groups, static_cast<double>(v.write_groups_total));
  m.follow(m.group_jobs, static_cast<double>(v.write_jobs_total));
  m.follow(m.commit_time, v.commit_seconds_total);
  m.follow(m.refused, static_cast<double>(v.write_refused_total));
  if (v.checkpoints_total) m.follow(m.checkpoints, static_cast<double>(*v.checkpoints_total));
  if (v.checkpoint_seconds_total) m.follow(m.checkpoint_time, *v.checkpoint_seconds_total);
  if (v.wal_pages_total) m.follow(m.wal_pages, static_cast<double>(*v.wal_pages_total));
  if (v.wal_bytes) m.wal.Add({}).Set(static_cast<double>(*v.wal_bytes));
  m.streams.Add({}).Set(static_cast<double>(v.event_stream_clients));
  if (v.sync_backlog_ops) m.sync_backlog.Add({}).Set(static_cast<double>(*v.sync_backlog_ops));
  if (v.sync_last_success_seconds) m.sync_success.Add({}).Set(*v.sync_last_success_seconds);
  for (const auto& [reason, total] : v.sync_errors) {
    auto& c = m.sync_errors.Add({{"reason", reason}});
    if (static_cast<double>(total) > c.Value()) c.Increment(static_cast<double>(total) - c.Value());
  }
  m.sync_conflicts.Add({}).Set(static_cast<double>(v.sync_conflicts_open));
  for (const auto& [site, lag] : v.sync_site_lag) m.sync_lag.Add({{"site", site}}).Set(static_cast<double>(lag));
  m.memory.Add({}).Set(static_cast<double>(resident_bytes()));
  m.fds.Add({}).Set(static_cast<double>(open_fds()));
  m.start_time.Add({}).Set(m.started);
  std::ostringstream out;
  pm::TextSerializer().Serialize(out, m.registry.Collect());
  return out.str();
}

}  // namespace tt::util
