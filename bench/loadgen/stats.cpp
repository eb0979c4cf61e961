#include "stats.hpp"

#include <algorithm>

namespace tt::bench {

void ThreadStats::merge(const ThreadStats& o) {
  for (std::size_t i = 0; i < kOpCount; ++i) ops[i].merge(o.ops[i]);
  for (const auto& [k, n] : o.errors) errors[k] += n;
  unsent += o.unsent;
  cut += o.cut;
  reconnects += o.reconnects;
  last_completion_ns = std::max(last_completion_ns, o.last_completion_ns);
  refused_ns.merge(o.refused_ns);
  refused_with_retry_after += o.refused_with_retry_after;
  if (seconds.size() < o.seconds.size()) seconds.resize(o.seconds.size());
  for (std::size_t i = 0; i < o.seconds.size(); ++i) seconds[i].merge(o.seconds[i]);
}

std::uint64_t ThreadStats::error_total() const {
  std::uint64_t n = 0;
  for (const auto& [k, c] : errors) n += c;
  return n;
}

}  // namespace tt::bench
