#include "services/stats.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/this_coro.hpp>

#include <algorithm>
#include <unordered_map>

#include "util/log.hpp"
#include "util/time.hpp"

namespace tt::services {

namespace {

constexpr std::int64_t kHourUs = 3600LL * 1000000;

std::string area_clause(const std::optional<std::int64_t>& area, const char* column, storage::Params& p) {
  if (!area) return "";
  // In place: GCC 12 at -O3 reports a false maybe-uninitialized on a pushed temporary variant.
  p.emplace_back(std::in_place_type<std::int64_t>, *area);
  std::string clause = " AND ";
  clause += column;
  clause += " = $";
  clause += std::to_string(p.size());
  return clause;
}

void sort_activity(std::vector<Activity>& v) {
  std::sort(v.begin(), v.end(), [](const Activity& a, const Activity& b) {
    return a.scans != b.scans ? a.scans > b.scans : a.name < b.name;
  });
}

}  // namespace

asio::awaitable<Stats> compute_stats(storage::Tx& tx, std::optional<std::int64_t> area, std::int64_t now) {
  Stats s;
  s.computed_at = now;
  {
    storage::Params p;
    const std::string where = area_clause(area, "area_id", p);
    auto rows = co_await tx.query("SELECT type, COUNT(*) FROM bags WHERE 1 = 1" + where + " GROUP BY type", std::move(p));
    for (const auto& r : rows) (r.text(0) == "parent" ? s.parents : s.children) = r.i64(1);
  }
  {
    storage::Params p;
    const std::string where = area_clause(area, "p.area_id", p);
    auto row = co_await tx.query_one(
        "SELECT COUNT(*) FROM links l" + std::string(area ? " JOIN bags p ON p.id = l.parent_id" : "") +
            " WHERE 1 = 1" + where,
        std::move(p));
    s.linked_children = row->i64(0);
  }
  {
    storage::Params p;
    const std::string where = area_clause(area, "area_id", p);
    auto rows = co_await tx.query("SELECT status, COUNT(*) FROM bills WHERE 1 = 1" + where + " GROUP BY status",
                                  std::move(p));
    for (const auto& r : rows) (r.text(0) == "open" ? s.bills_open : s.bills_completed) = r.i64(1);
  }

  // One pass over the last two days of the scan log, grouped finely; the rest is summed here. The
  // hours chart covers both days (a dashboard compares today with yesterday); every other figure
  // covers the last 24 hours exactly, told apart by the `recent` column.
  const std::int64_t first_hour = (now / kHourUs - (kChartHours - 1)) * kHourUs;
  const std::int64_t since = now - 24 * kHourUs;
  storage::Params p;
  p.push_back(first_hour);
  p.push_back(since);
  const std::string where = area_clause(area, "area_id", p);
  auto rows = co_await tx.query(
      "SELECT at / 3600000000, area_id, user_id, result, CASE WHEN at >= $2 THEN 1 ELSE 0 END, COUNT(*)"
      " FROM scan_events WHERE at >= $1 AND action <> 'import'" + where +
          " GROUP BY at / 3600000000, area_id, user_id, result, CASE WHEN at >= $2 THEN 1 ELSE 0 END",
      std::move(p));
  std::map<std::int64_t, std::string> area_names, user_names;
  const auto areas = co_await tx.query("SELECT id, name FROM areas");
  for (const auto& r : areas) area_names.emplace(r.i64(0), r.text(1));
  const auto users = co_await tx.query("SELECT id, username FROM users");
  for (const auto& r : users) user_names.emplace(r.i64(0), r.text(1));

  s.scans_per_hour.resize(kChartHours);
  for (int i = 0; i < kChartHours; ++i) s.scans_per_hour[static_cast<std::size_t>(i)].hour_start = first_hour + i * kHourUs;
  std::map<std::string, Activity> by_area, by_user;
  for (const auto& r : rows) {
    const std::int64_t n = r.i64(5);
    const std::string& result = r.text(3);
    const std::int64_t linked = result == "linked" ? n : 0;
    const std::int64_t rejected = result == "rejected" ? n : 0;
    const std::int64_t slot = r.i64(0) * kHourUs;
    if (slot >= first_hour) {
      auto& h = s.scans_per_hour[static_cast<std::size_t>((slot - first_hour) / kHourUs)];
      h.scans += n;
      h.linked += linked;
      h.rejected += rejected;
    }
    if (r.i64(4) == 0) continue;  // older than 24 hours: the chart only
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
    const auto area_id = r.opt_i64(1);
    std::string area_name;  // "" for scans with no area
    if (area_id && area_names.count(*area_id)) area_name = area_names[*area_id];
    add(by_area, area_name);
    if (const auto user_id = r.opt_i64(2); user_id && user_names.count(*user_id)) add(by_user, user_names[*user_id]);
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

asio::awaitable<std::shared_ptr<const Stats>> StatsCache::get(storage::Database& db, std::optional<std::int64_t> area) {
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

asio::awaitable<void> StatsCache::refresh_in_background(storage::Database& db, std::optional<std::int64_t> area) {
  try {
    co_await refresh(db, area);
  } catch (const std::exception& e) {
    util::log_warn(std::string("dashboard figures not refreshed: ") + e.what());
  }
}

asio::awaitable<std::shared_ptr<const Stats>> StatsCache::refresh(storage::Database& db,
                                                                  std::optional<std::int64_t> area) {
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
