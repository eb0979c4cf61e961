// The short-lived credential cache and the last-seen write throttle.
#include <doctest/doctest.h>

#include <chrono>

#include "accounts/credential_cache.hpp"

using namespace tt::accounts;
using namespace std::chrono_literals;

namespace {
constexpr std::int64_t ms = 1000;
constexpr std::int64_t t0 = 1764000000000000;

CachedCredential sample(std::string name) {
  CachedCredential c;
  c.principal.username = std::move(name);
  c.row_id = 7;
  return c;
}
}  // namespace

TEST_CASE("credential cache: an entry is served until its time to live ends") {
  CredentialCache cache(1000ms);
  auto gen = cache.generation();
  cache.put("k", sample("asha"), gen, t0);
  REQUIRE(cache.get("k", t0 + 999 * ms));
  CHECK(cache.get("k", t0 + 999 * ms)->principal.username == "asha");
  CHECK_FALSE(cache.get("k", t0 + 1000 * ms));
  CHECK_FALSE(cache.get("other", t0));
}

TEST_CASE("credential cache: invalidate() drops every entry") {
  CredentialCache cache(2000ms);
  cache.put("k", sample("asha"), cache.generation(), t0);
  REQUIRE(cache.get("k", t0));
  cache.invalidate();
  CHECK_FALSE(cache.get("k", t0));
}

TEST_CASE("credential cache: a lookup that raced with a change is not cached") {
  CredentialCache cache(2000ms);
  auto before_lookup = cache.generation();
  cache.invalidate();  // e.g. a logout committed while the lookup ran
  cache.put("k", sample("asha"), before_lookup, t0);
  CHECK_FALSE(cache.get("k", t0));
}

TEST_CASE("credential cache: a zero time to live disables it") {
  CredentialCache cache(0ms);
  CHECK_FALSE(cache.enabled());
  cache.put("k", sample("asha"), cache.generation(), t0);
  CHECK_FALSE(cache.get("k", t0));
}

TEST_CASE("credential cache: it stays bounded") {
  CredentialCache cache(1000ms, 3);
  auto gen = cache.generation();
  for (int i = 0; i < 10; ++i) cache.put("k" + std::to_string(i), sample("u"), gen, t0);
  int present = 0;
  for (int i = 0; i < 10; ++i) present += cache.get("k" + std::to_string(i), t0).has_value();
  CHECK(present <= 3);
  CHECK(cache.get("k9", t0));
}

TEST_CASE("touch throttle: at most one write per interval per id, however many requests") {
  constexpr std::int64_t minute = 60LL * 1000000;
  TouchThrottle throttle(minute);
  // Stored 2 minutes ago: the first request writes, the concurrent ones do not.
  CHECK(throttle.claim(1, t0 - 2 * minute, t0));
  CHECK_FALSE(throttle.claim(1, t0 - 2 * minute, t0 + 1));
  CHECK_FALSE(throttle.claim(1, t0 - 2 * minute, t0 + minute - 1));
  CHECK(throttle.latest(1, t0 - 2 * minute) == t0);
  // A minute after the claim, the next request writes again.
  CHECK(throttle.claim(1, t0 - 2 * minute, t0 + minute));
  // Another id is independent; a recently stored time needs no write.
  CHECK_FALSE(throttle.claim(2, t0 - 1000, t0));
  CHECK(throttle.latest(2, t0 - 1000) == t0 - 1000);
}
