// Failed-login lockout (SPEC §3.9): the arithmetic alone, no I/O, so it is tested directly and both
// storage backends apply it identically.
//
// Rule: when `max_failures` failures of one key (a user name, or a client address) fall within
// `window`, the key is locked for `lockout` from the failure that reached the limit. Attempts made
// while locked are refused without checking the password and are not counted, so a lock cannot be
// extended indefinitely by an attacker, and failures that caused a lock are spent by it: after the
// lock ends the key starts again from zero.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace tt::domain {

struct LockoutPolicy {
  int max_failures = 5;
  std::int64_t window_us = 15LL * 60 * 1000000;
  std::int64_t lockout_us = 15LL * 60 * 1000000;

  // How far back failures can matter: a failure older than window + lockout can neither start a
  // lock nor be part of one that is still running.
  std::int64_t horizon_us() const noexcept { return window_us + lockout_us; }
};

// The end of the lock in force at `now`, given the times (microseconds, any order) of the key's
// failures since now - policy.horizon_us(); nothing when the key is not locked.
// A policy with max_failures <= 0 never locks.
std::optional<std::int64_t> locked_until(const LockoutPolicy& policy, std::vector<std::int64_t> failure_times,
                                         std::int64_t now);

// Whole seconds to wait, rounded up and at least 1: the value of a Retry-After header.
std::int64_t retry_after_seconds(std::int64_t until_us, std::int64_t now_us);

}  // namespace tt::domain
