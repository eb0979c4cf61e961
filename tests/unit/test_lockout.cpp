// Failed-login lockout arithmetic (SPEC §3.9): N failures within the window lock the key for the
// lockout period, counted from the failure that reached the limit.
#include <doctest/doctest.h>

#include <vector>

#include "domain/lockout.hpp"

using namespace tt::domain;

namespace {
constexpr std::int64_t s = 1000000;  // one second in microseconds
constexpr std::int64_t m = 60 * s;
constexpr std::int64_t t0 = 1764000000LL * s;
const LockoutPolicy policy{5, 15 * m, 15 * m};
}  // namespace

TEST_CASE("lockout: fewer failures than the limit never lock") {
  CHECK_FALSE(locked_until(policy, {}, t0));
  CHECK_FALSE(locked_until(policy, {t0, t0 + s, t0 + 2 * s, t0 + 3 * s}, t0 + 4 * s));
}

TEST_CASE("lockout: the fifth failure within the window locks for the lockout period from that failure") {
  std::vector<std::int64_t> f{t0, t0 + 1 * m, t0 + 2 * m, t0 + 3 * m, t0 + 4 * m};
  auto until = locked_until(policy, f, t0 + 4 * m + s);
  REQUIRE(until);
  CHECK(*until == t0 + 4 * m + 15 * m);
  // Still locked one microsecond before the end, free at the end.
  CHECK(locked_until(policy, f, t0 + 19 * m - 1));
  CHECK_FALSE(locked_until(policy, f, t0 + 19 * m));
}

TEST_CASE("lockout: failures spread wider than the window do not lock") {
  // Five failures, but never five within 15 minutes of each other.
  std::vector<std::int64_t> f{t0, t0 + 4 * m, t0 + 8 * m, t0 + 12 * m, t0 + 16 * m};
  CHECK_FALSE(locked_until(policy, f, t0 + 16 * m + s));
  // The boundary: the fifth exactly one window after the first does not count the first.
  std::vector<std::int64_t> g{t0, t0 + 1 * m, t0 + 2 * m, t0 + 3 * m, t0 + 15 * m};
  CHECK_FALSE(locked_until(policy, g, t0 + 15 * m + s));
  std::vector<std::int64_t> h{t0, t0 + 1 * m, t0 + 2 * m, t0 + 3 * m, t0 + 15 * m - 1};
  CHECK(locked_until(policy, h, t0 + 15 * m));
}

TEST_CASE("lockout: order of the input does not matter") {
  std::vector<std::int64_t> f{t0 + 4 * m, t0, t0 + 2 * m, t0 + 3 * m, t0 + 1 * m};
  auto until = locked_until(policy, f, t0 + 5 * m);
  REQUIRE(until);
  CHECK(*until == t0 + 19 * m);
}

TEST_CASE("lockout: failures spent by a finished lock do not count again") {
  std::vector<std::int64_t> f{t0, t0 + s, t0 + 2 * s, t0 + 3 * s, t0 + 4 * s};
  // After the lock (which ended at t0 + 4 s + 15 min), one more failure does not lock again.
  f.push_back(t0 + 4 * s + 15 * m + s);
  CHECK_FALSE(locked_until(policy, f, t0 + 4 * s + 15 * m + 2 * s));
  // Five fresh failures after the lock do.
  for (int i = 2; i <= 5; ++i) f.push_back(t0 + 4 * s + 15 * m + i * s);
  auto until = locked_until(policy, f, t0 + 4 * s + 15 * m + 6 * s);
  REQUIRE(until);
  CHECK(*until == t0 + 4 * s + 15 * m + 5 * s + 15 * m);
}

TEST_CASE("lockout: failures recorded while locked belong to that lock") {
  std::vector<std::int64_t> f{t0, t0 + s, t0 + 2 * s, t0 + 3 * s, t0 + 4 * s};
  // Another instance raced and recorded more during the lock: the lock does not grow.
  for (int i = 1; i <= 6; ++i) f.push_back(t0 + 4 * s + i * m);
  auto until = locked_until(policy, f, t0 + 10 * m);
  REQUIRE(until);
  CHECK(*until == t0 + 4 * s + 15 * m);
}

TEST_CASE("lockout: a limit of zero disables locking") {
  LockoutPolicy off{0, 15 * m, 15 * m};
  CHECK_FALSE(locked_until(off, {t0, t0, t0, t0, t0, t0}, t0));
}

TEST_CASE("lockout: Retry-After is whole seconds, rounded up, at least 1") {
  CHECK(retry_after_seconds(t0 + 15 * m, t0) == 900);
  CHECK(retry_after_seconds(t0 + 1, t0) == 1);
  CHECK(retry_after_seconds(t0 + s + 1, t0) == 2);
  CHECK(retry_after_seconds(t0, t0) == 1);
  CHECK(retry_after_seconds(t0 - s, t0) == 1);
}
