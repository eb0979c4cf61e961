// The server's Prometheus metrics (GET /metrics, text exposition format 0.0.4), kept by
// prometheus-cpp's registry. Every layer records into the one process-wide instance; values that
// are cheaper to read than to keep up to date (database pool, queue, WAL size, memory, open files)
// are given at scrape time.
//
//   tracetrack_build_info{version,backend}                 1
//   tracetrack_http_requests_total{route,method,status}   counter; route is the pattern
//                                                          (/api/v1/bags/{code}), "static" for the web
//                                                          interface, "unmatched" for anything else
//   tracetrack_http_request_duration_seconds{route,method} histogram, request read to response written
//   tracetrack_scans_total{action,result}                  counter; action parent|child|bill_parent|
//                                                          return, result accepted|replayed|<error code>
//   tracetrack_db_pool_connections{state}                  gauge, PostgreSQL: idle|busy
//   tracetrack_db_pool_waiting                             gauge, requests queued for a connection now
//   tracetrack_db_pool_waits_total                         counter, requests that had to queue
//   tracetrack_sqlite_write_queue_length                   gauge, write transactions waiting
//   tracetrack_db_write_queue_length                       gauge, PostgreSQL: write transactions
//                                                          waiting for a group writer
//   tracetrack_db_write_groups_total                       counter, transactions committed by the
//                                                          writer(s) (group commit)
//   tracetrack_db_write_jobs_total                         counter, write transactions answered
//                                                          from them (jobs / groups = group size)
//   tracetrack_db_commit_seconds_total                     counter, time making groups durable
//                                                          (SQLite: fdatasync; PostgreSQL: COMMIT)
//   tracetrack_db_write_refused_total                      counter, writes refused at once (503)
//                                                          because the queue was full
//   tracetrack_sqlite_checkpoints_total                    counter, WAL checkpoints
//   tracetrack_sqlite_checkpoint_seconds_total             counter, time spent in them
//   tracetrack_sqlite_wal_pages_total                      counter, pages the writer's commits
//                                                          appended to the log
//   tracetrack_sqlite_wal_bytes                            gauge, size of the -wal file
//   tracetrack_event_stream_clients                        gauge, open live-event streams
//   process_resident_memory_bytes, process_open_fds, process_start_time_seconds
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <utility>
#include <vector>
#include <map>
#include <string>
#include <string_view>

namespace tt::util {

// What the scrape reads from the parts that own it.
struct ScrapeValues {
  std::string backend;  // sqlite | postgresql
  std::optional<unsigned> pool_idle, pool_busy, pool_waiting;
  std::optional<std::uint64_t> pool_waits_total;
  std::optional<std::size_t> write_queue;
  std::uint64_t write_groups_total = 0, write_jobs_total = 0, write_refused_total = 0;
  double commit_seconds_total = 0;
  std::optional<std::uint64_t> checkpoints_total;
  std::optional<double> checkpoint_seconds_total;
  std::optional<std::uint64_t> wal_pages_total;
  std::optional<std::uint64_t> wal_bytes;
  std::size_t event_stream_clients = 0;
  // Synchronisation (SPEC §8). A depot: what waits, the last success (seconds since the epoch),
  // its pusher's errors by reason. Head office: each site's lag (operations it wrote that head
  // office has not applied). Both: the open conflicts.
  std::optional<std::int64_t> sync_backlog_ops;
  std::optional<double> sync_last_success_seconds;
  std::map<std::string, std::uint64_t> sync_errors;
  std::int64_t sync_conflicts_open = 0;
  std::vector<std::pair<std::string, std::int64_t>> sync_site_lag;
};

class Metrics {
 public:
  static Metrics& instance();

  // One answered request; `route` must outlive the process (a route pattern or a literal).
  void observe_request(std::string_view route, std::string_view method, int status, double seconds);
  void count_scan(std::string_view action, std::string_view result);

  // The whole exposition, with the scrape-time values set first.
  std::string render(const ScrapeValues& values);

  struct Impl;

 private:
  Metrics();
  std::unique_ptr<Impl> impl_;
};

inline Metrics& metrics() { return Metrics::instance(); }

}  // namespace tt::util
