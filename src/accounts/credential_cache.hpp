// A short-lived in-memory cache of resolved credentials, so that the bench's tens of thousands of
// authenticated requests per second do not each cost a database read.
//
// One cache per server, owned by its dependencies (api/deps.hpp) and shared with the
// authenticator (accounts/db_authenticator.hpp); no global.
//
// Revocation delay: an entry is trusted for at most `ttl` (1 s by default, never more than 2 s).
// Any change made through this process (logout, password change, user deactivated or changed,
// token revoked, second factor, session settings) is reported by its service as a
// services::CredentialChange; the api call helper (api/deps.hpp) then calls invalidate() after the
// commit, which invalidates every entry at once, so within one process a revoked credential stops
// working immediately. A change made by ANOTHER process sharing the database (a second app
// instance on PostgreSQL, or `tracetrack user passwd`) takes effect within `ttl`. Expiry (idle and
// absolute) is always checked against the clock, cached or not.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "accounts/principal.hpp"

namespace tt::accounts {

struct CachedCredential {
  Principal principal;
  std::int64_t row_id = 0;              // sessions.id or api_tokens.id
  std::int64_t expires_at = INT64_MAX;  // absolute end of a session
  std::int64_t idle_limit_us = 0;       // 0: no idle limit (API tokens)
  std::int64_t last_seen_at = 0;        // as stored: sessions.last_seen_at / api_tokens.last_used_at
};

class CredentialCache {
 public:
  // ttl <= 0 disables the cache (every request reads the database); more than 2 s counts as 2 s.
  explicit CredentialCache(std::chrono::milliseconds ttl, std::size_t max_entries = 10000);

  bool enabled() const noexcept { return ttl_us_ > 0; }
  // The cache forgets what it holds. Called after the change has committed.
  void invalidate() noexcept;
  // Changes with every invalidate(); read it BEFORE the database lookup whose result is cached
  // (and give it to put), so a change that commits during the lookup still invalidates the result.
  std::uint64_t generation() const noexcept;
  std::optional<CachedCredential> get(const std::string& key, std::int64_t now_us);
  void put(const std::string& key, CachedCredential value, std::uint64_t generation, std::int64_t now_us);

 private:
  struct Entry {
    CachedCredential value;
    std::uint64_t generation;
    std::int64_t stored_at;
  };
  std::int64_t ttl_us_;
  std::size_t max_entries_;
  std::atomic<std::uint64_t> generation_{1};
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
};

// Decides when a "last seen" time is written back: at most once per `interval` per session or
// token, however many requests arrive, instead of one write per request.
class TouchThrottle {
 public:
  explicit TouchThrottle(std::int64_t interval_us = 60LL * 1000000, std::size_t max_entries = 100000);

  // True when the caller should now write `now` as the last-seen time of `id`, whose stored value
  // is `stored`; the claim is recorded so concurrent requests of the same id get false.
  bool claim(std::int64_t id, std::int64_t stored, std::int64_t now);
  // The most recent last-seen time known for `id`: the stored one or a newer claimed write.
  std::int64_t latest(std::int64_t id, std::int64_t stored);

 private:
  std::int64_t interval_us_;
  std::size_t max_entries_;
  std::mutex mutex_;
  std::unordered_map<std::int64_t, std::int64_t> claimed_;
};

}  // namespace tt::accounts
