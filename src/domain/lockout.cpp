#include "domain/lockout.hpp"

#include <algorithm>
#include <cstddef>

namespace tt::domain {

std::optional<std::int64_t> locked_until(const LockoutPolicy& policy, std::vector<std::int64_t> times,
                                         std::int64_t now) {
  if (policy.max_failures <= 0) return std::nullopt;
  std::sort(times.begin(), times.end());
  const auto n = static_cast<std::size_t>(policy.max_failures);
  std::optional<std::int64_t> lock_end;
  std::size_t first = 0;  // oldest failure not yet spent by a lock
  for (std::size_t i = 0; i < times.size(); ++i) {
    // Failures recorded while a lock ran (another app instance may have raced) belong to that lock.
    if (lock_end && times[i] < *lock_end) {
      first = i + 1;
      continue;
    }
    while (first < i && times[i] - times[first] >= policy.window_us) ++first;
    if (i + 1 - first >= n) {
      lock_end = times[i] + policy.lockout_us;
      first = i + 1;
    }
  }
  if (lock_end && *lock_end > now) return lock_end;
  return std::nullopt;
}

std::int64_t retry_after_seconds(std::int64_t until_us, std::int64_t now_us) {
  std::int64_t left = until_us - now_us;
  if (left <= 0) return 1;
  return std::max<std::int64_t>(1, (left + 999999) / 1000000);
}

}  // namespace tt::domain
