// What a run measured. Each thread fills its own ThreadStats without locks (only its own
// connections touch it); the report merges them once every thread has stopped.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "histogram.hpp"
#include "workflow.hpp"

namespace tt::bench {

struct OpStats {
  Histogram latency_ns;     // every answered or failed request of the measured window
  std::uint64_t expected = 0;    // answers that were the expected outcome
  std::uint64_t unexpected = 0;  // errors: unexpected status or result, no answer

  void merge(const OpStats& o) {
    latency_ns.merge(o.latency_ns);
    expected += o.expected;
    unexpected += o.unexpected;
  }
};

// One second of the measured window (--timeline), by the time each request was meant to leave.
struct SecondStats {
  Histogram scans;  // latency of scans (parents, children, duplicates, rejections)
  Histogram reads;  // latency of bag lookups and dashboard reads
  std::uint64_t errors = 0;

  void merge(const SecondStats& o) {
    scans.merge(o.scans);
    reads.merge(o.reads);
    errors += o.errors;
  }
};

struct ThreadStats {
  std::array<OpStats, kOpCount> ops;
  // Error counts by kind ("scan_child 409 linked_elsewhere", "connect refused", ...), whenever
  // they happened (warm-up included). Touched only on errors.
  std::map<std::string, std::uint64_t> errors;
  // Open loop: requests whose intended time fell inside the window but that were never sent
  // because the connection was still behind when the run had to end.
  std::uint64_t unsent = 0;
  // Open loop: requests sent but still unanswered when the run had to end (--drain), younger than
  // --timeout. Not errors: the run's end cut them off, as it stops sending. A server that does not
  // answer at all shows as timeouts all through the run, not here alone.
  std::uint64_t cut = 0;
  std::uint64_t reconnects = 0;
  std::int64_t last_completion_ns = 0;  // steady clock, for the measured duration
  std::vector<SecondStats> seconds;     // --timeline only
  // 503 answers (the server refusing load it cannot take): how long each took to come back from
  // its actual send (an overloaded server should refuse at once, not after a time-out) and how
  // many said Retry-After.
  Histogram refused_ns;
  std::uint64_t refused_with_retry_after = 0;

  void merge(const ThreadStats& o);
  std::uint64_t error_total() const;
};

}  // namespace tt::bench
