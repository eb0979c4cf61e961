// The open-loop schedule: R requests per second over N connections, spread evenly. Connection i
// sends its k-th request at start + (i + k·N) / R, whether or not earlier answers have come back,
// and its latency is counted from that intended time: a stalled server then shows up as latency
// instead of silently lowering the offered load (coordinated omission).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace tt::bench {

struct OpenLoopSchedule {
  std::int64_t start_ns = 0;
  double rate = 1;  // requests/s over all connections, > 0
  std::uint32_t connections = 1;
  std::uint32_t connection = 0;  // 0 .. connections-1

  std::int64_t intended_ns(std::uint64_t k) const {
    const double slot = static_cast<double>(connection) + static_cast<double>(k) * connections;
    return start_ns + static_cast<std::int64_t>(std::llround(slot * 1e9 / rate));
  }

  // How many requests of this connection are intended strictly before end_ns.
  std::uint64_t count_before(std::int64_t end_ns) const {
    if (end_ns <= start_ns) return 0;
    std::uint64_t k = static_cast<std::uint64_t>(
        std::max(0.0, std::floor(((static_cast<double>(end_ns - start_ns) * rate / 1e9) - connection) / connections)));
    // Correct the floating-point estimate against the exact rounding of intended_ns.
    while (k > 0 && intended_ns(k - 1) >= end_ns) --k;
    while (intended_ns(k) < end_ns) ++k;
    return k;
  }
};

}  // namespace tt::bench
