#include "services/stats.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/this_coro.hpp>

#include <algorithm>
#include <unordered_map>

#include "storage/tables/areas.hpp"
#include "storage/tables/user_refs.hpp"
#include "util/log.hpp"
#include "util/time.hpp"

namespace tt::services {

namespace {

constexpr std::int64_t kHourUs = 3600LL * 1000000;

void sort_activity(std::vector<Activity>& v) {
  std::sort(v.begin(), v.end(), [](const Activity& a, const Activity& b) {
    return a.scans != b.scans ? a.scans > b.scans : a.name < b.name;
  });
}

}  // namespace

asio::awaitable<Stats> compute_stats(storage::Tx& tx, StatsScope scope, std::int64_t now) {
  const std::optional<std::int64_t> area = scope.area;
  Stats s;
  s.computed_at = now;
  const storage::DashboardTotals totals = co_await storage::dashboard::totals(tx, area, scope.site);
  static_cast<storage::DashboardTotals&>(s) = totals;

  // One pass over the last two days of the scan log, grouped finely; the rest is summed here. The
  // hours chart covers both days (a dashboard compares today with yesterday); every other figure
  // covers the last 24 hours exactly, told apart by the `recent` column.
  const std::int64_t first_hour = (now / kHourUs - (kChartHours - 1)) * kHourUs;
  const std::int64_t since = now - 24 * kHourUs;
  const std::vector<storage::ScanHourGroup> groups = co_await storage::dashboard::scan_groups(tx, first_hour, since, area, scope.site);
  std::map<std::int64_t, std::string> area_names, user_names;
  auto areas = co_await storage::areas::names(tx);
  for (auto& [id, name] : areas) area_names.emplace(id, std::move(name));
  auto users = co_await storage::user_refs::names(tx);
  for (auto& [id, name] : users) user_names.emplace(id, std::move(name));

  s.scans_per_hour.resize(kChartHours);
  for (int i = 0; i < kChartHours; ++i) s.scans_per_hour[static_cast<std::size_t>(i)].hour_start = first_hour + i * kHourUs;
  std::map<std::string, Activity> by_area, by_user;
  for (const auto& g : groups) {
    const std::int64_t n = g.scans;
    const std::string& result = g.result;
    const std::int64_t linked = result == "linked" ? n : 0;
    const std::int64_t rejected = result == "rejected" ? n : 0;
    const std::int64_t slot = g.hour * kHourUs;
    if (slot >= first_hour) {
      auto& h = s.scans_per_hour[static_cast<std::size_t>((slot - first_hour) / kHourUs)];
      h.scans += n;
      h.linked += linked;
      h.rejected += rejected;
    }
    if (!g.recent) continue;  // older than 24 hours: the chart only
    s.scans_24h += n;
    s.linked_24h += linked;
    s.rejected_24h += rejected;
    auto add = [&](std::map<std::string, Activity>& m, const std::string& name) {
      auto& a = m[name];
      a.name = name;
      a.scans += n;
      a.linked += linked;
      a.rejected += rejected;
    };
    const auto area_id = g.area_id;
    std::string area_name;  // "" for scans with no area
    if (area_id && area_names.count(*area_id)) area_name = area_names[*area_id];
    add(by_area, area_name);
    if (const auto user_id = g.user_id; user_id && user_names.count(*user_id)) add(by_user, user_names[*user_id]);
  }
  for (auto& [name, a] : by_area) s.per_area.push_back(std::move(a));
  for (auto& [name, a] : by_user) s.per_user.push_back(std::move(a));
  sort_activity(s.per_area);
  sort_activity(s.per_user);
  if (s.per_user.size() > kTopUsers) s.per_user.resize(kTopUsers);
  co_return s;
}

StatsCache::StatsCache(std::chrono::milliseconds min_ttl)
    : min_ttl_us_(std::chrono::duration_cast<std::chrono::microseconds>(min_ttl).count()) {}

asio::awaitable<std::shared_ptr<const Stats>> StatsCache::get(storage::Database& db, StatsScope area) {
  std::shared_ptr<const Stats> stale;
  {
    std::lock_guard lock(mutex_);
    Entry& e = entries_[area];
    if (e.value && (util::now_us() < e.fresh_until || e.computing)) co_return e.value;
    e.computing = true;
    stale = e.value;
  }
  if (stale) {
    // The figures are a few seconds old: answer with them at once and refresh them in the
    // background, so no dashboard request waits for the counting (hundreds of milliseconds over
    // millions of bags) except the very first.
    auto ex = co_await asio::this_coro::executor;
    auto refreshing = refresh_in_background(db, area);
    asio::co_spawn(ex, std::move(refreshing), asio::detached);
    co_return stale;
  }
  co_return co_await refresh(db, area);
}

asio::awaitable<void> StatsCache::refresh_in_background(storage::Database& db, StatsScope area) {
  try {
    co_await refresh(db, area);
  } catch (const std::exception& e) {
    util::log_warn(std::string("dashboard figures not refreshed: ") + e.what());
  }
}

asio::awaitable<std::shared_ptr<const Stats>> StatsCache::refresh(storage::Database& db, StatsScope area) {
  const std::int64_t started = util::now_us();
  std::shared_ptr<const Stats> fresh;
  try {
    auto job = storage::job(compute_stats, area, started);
    fresh = std::make_shared<const Stats>(co_await db.read(std::move(job)));
  } catch (...) {
    std::lock_guard lock(mutex_);
    entries_[area].computing = false;
    throw;
  }
  const std::int64_t took = util::now_us() - started;
  std::lock_guard lock(mutex_);
  Entry& e = entries_[area];
  e.value = fresh;
  e.computing = false;
  // Recounting costs `took` of a database connection: at most a tenth of its time goes to it.
  e.fresh_until = util::now_us() + std::max(min_ttl_us_, 10 * took);
  co_return fresh;
}

}  // namespace tt::services
