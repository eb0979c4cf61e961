// Dashboard figures (SPEC §3.6): totals of bags and bills, scans in the last 24 hours, scans per
// hour, and activity per area and per user, all derived from the tables (never from counters).
//
// Cost and caching: the figures are aggregates over the bags table and the last day of the scan
// log, which at depot scale (millions of rows) take tens to hundreds of milliseconds. StatsCache
// keeps each view (all areas, or one dispatcher's area) in memory for at least one second and at
// least ten times as long as computing it took, so the dashboard never spends more than about a
// tenth of a core however often it is polled. While one request recomputes, concurrent requests
// get the previous figures instead of waiting.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.hpp"
#include "storage/tables/dashboard.hpp"

namespace tt::services {

namespace asio = boost::asio;

struct HourCount {
  std::int64_t hour_start = 0;  // microseconds, a whole UTC hour
  std::int64_t scans = 0;
  std::int64_t linked = 0;
  std::int64_t rejected = 0;
};

struct Activity {
  std::string name;  // area name or user name ("" for scans with no area)
  std::int64_t scans = 0;
  std::int64_t linked = 0;
  std::int64_t rejected = 0;
};

// The totals of bags, links and bills (storage::DashboardTotals), and the scans.
struct Stats : storage::DashboardTotals {
  std::int64_t computed_at = 0;
  std::int64_t scans_24h = 0;
  std::int64_t linked_24h = 0;
  std::int64_t rejected_24h = 0;
  std::vector<HourCount> scans_per_hour;  // the kChartHours hours up to now, oldest first, zeros included
  std::vector<Activity> per_area;         // most scans first
  std::vector<Activity> per_user;         // most scans first, at most 20
};

inline constexpr std::size_t kTopUsers = 20;
inline constexpr int kChartHours = 48;  // today and yesterday, wherever the day starts

// Whose figures: every area, or one (a dispatcher's dashboard); every site's rows, or those that
// came from one site (head office's dashboard filtered by site, SPEC §8 "One company view").
struct StatsScope {
  std::optional<std::int64_t> area;
  std::optional<std::string> site;  // the site's public id
  auto operator<=>(const StatsScope&) const = default;
};

asio::awaitable<Stats> compute_stats(storage::Tx& tx, StatsScope scope, std::int64_t now);

class StatsCache {
 public:
  explicit StatsCache(std::chrono::milliseconds min_ttl = std::chrono::milliseconds(1000));
  // The figures of a scope. Only the first call waits for them; later ones get the last figures
  // at once, refreshed in the background when older than their time to live (at least min_ttl,
  // and ten times what counting took).
  asio::awaitable<std::shared_ptr<const Stats>> get(storage::Database& db, StatsScope scope);

 private:
  asio::awaitable<std::shared_ptr<const Stats>> refresh(storage::Database& db, StatsScope scope);
  asio::awaitable<void> refresh_in_background(storage::Database& db, StatsScope scope);

  struct Entry {
    std::shared_ptr<const Stats> value;
    std::int64_t fresh_until = 0;
    bool computing = false;
  };
  std::int64_t min_ttl_us_;
  std::mutex mutex_;
  std::map<StatsScope, Entry> entries_;
};

}  // namespace tt::services
