// Settings and dashboard figures over the storage interface (SPEC §3.6, settings of §1).
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "domain_world.hpp"
#include "services/stats.hpp"
#include "util/ids.hpp"
#include "util/time.hpp"

using namespace tt;
using namespace tt::test;

namespace {

nlohmann::json update(World& w, const Caller& c, nlohmann::json changes) {
  return run_sync(w.db->write(storage::job(services::update_settings, c, changes)));
}

}  // namespace

TEST_CASE("settings services: every known key shows its default until changed") {
  World w;
  auto all = run_sync(w.db->read(storage::job(services::read_all_settings)));
  CHECK(all["parent_capacity"] == 30);
  CHECK(all["child_weight_kg"] == 1.0);
  CHECK(all["parent_kinds"].size() == 2);
  CHECK(all["parent_kinds"][0]["prefix"] == "SB");
  CHECK(all["session_idle_minutes"] == 30);
  CHECK(all["login_max_failures_per_user"] == 5);
}

TEST_CASE("settings services: a change is validated, stored, audited and loaded") {
  World w;
  auto all = update(w, w.admin,
                    {{"parent_capacity", 40},
                     {"parent_kinds", nlohmann::json::parse(R"([{"name":"big","prefix":"bg-","digits":4,"weight_kg":50}])")}});
  CHECK(all["parent_capacity"] == 40);
  CHECK(all["parent_kinds"][0]["prefix"] == "BG-");
  CHECK(w.count("audit_log WHERE action = 'setting_change'") == 2);
  auto s = run_sync(w.db->read(storage::job(services::load_bag_settings)));
  CHECK(s.parent_capacity == 40);
  CHECK(domain::match_parent_kind(s.parent_kinds, "BG-1234") != nullptr);
  CHECK(domain::match_parent_kind(s.parent_kinds, "SB12345") == nullptr);

  // All or nothing: one bad value refuses the whole change.
  CHECK(error_code([&] { update(w, w.admin, {{"child_weight_kg", 2}, {"parent_capacity", 0}}); }) == "invalid_setting");
  CHECK(error_code([&] { update(w, w.admin, {{"colour", "red"}}); }) == "invalid_request");
  CHECK(error_code([&] { update(w, w.admin, nlohmann::json::object()); }) == "invalid_request");
  CHECK(error_code([&] { update(w, w.admin, {{"session_idle_minutes", -1}}); }) == "invalid_setting");
  CHECK(error_code([&] { update(w, w.admin, {{"login_max_failures_per_user", 2.5}}); }) == "invalid_setting");
  CHECK(run_sync(w.db->read(storage::job(services::load_bag_settings))).child_weight_kg == 1.0);
}

TEST_CASE("settings services: the cache serves the current settings and reloads when told") {
  World w;
  services::SettingsCache cache(std::chrono::seconds(60));
  auto first = run_sync(cache.get(*w.db));
  CHECK(first->parent_capacity == 30);
  update(w, w.admin, {{"parent_capacity", 12}});
  CHECK(run_sync(cache.get(*w.db))->parent_capacity == 30);  // still fresh
  cache.invalidate();
  CHECK(run_sync(cache.get(*w.db))->parent_capacity == 12);
}

TEST_CASE("stats services: totals, scans of the last day, per hour, per area and per user") {
  World w;
  w.fill(w.dispatcher, "SB21000", 3, "A");
  w.fill(w.other_dispatcher, "SB21001", 2, "B");
  w.child(w.dispatcher, "SB21000", "B-1");  // rejected: linked elsewhere
  auto s = run_sync(w.db->read(storage::job(services::compute_stats, services::StatsScope{}, util::now_us())));
  CHECK(s.parents == 2);
  CHECK(s.children == 5);
  CHECK(s.linked_children == 5);
  CHECK(s.bills_open == 0);
  CHECK(s.scans_24h == 8);  // 2 parent scans, 5 links, 1 refusal
  CHECK(s.linked_24h == 5);
  CHECK(s.rejected_24h == 1);
  REQUIRE(s.scans_per_hour.size() == services::kChartHours);
  CHECK(s.scans_per_hour.back().scans == 8);
  REQUIRE(s.per_area.size() == 2);
  CHECK(s.per_area[0].name == "Lucknow");
  CHECK(s.per_area[0].scans == 5);
  REQUIRE(s.per_user.size() == 2);
  CHECK(s.per_user[0].name == "dev");

  auto kanpur = run_sync(
      w.db->read(storage::job(services::compute_stats, services::StatsScope{w.kanpur, std::nullopt}, util::now_us())));
  CHECK(kanpur.parents == 1);
  CHECK(kanpur.children == 2);
  CHECK(kanpur.scans_24h == 3);
  REQUIRE(kanpur.per_area.size() == 1);
  CHECK(kanpur.per_area[0].name == "Kanpur");
}

namespace {

// Scans of SB21100 made 30, 47 and 49 hours before `now`.
asio::awaitable<void> insert_old_scans(Tx& tx, std::int64_t now) {
  const std::int64_t hour = 3600LL * 1000000;
  for (const std::int64_t age : {30 * hour, 47 * hour, 49 * hour}) {
    co_await tx.exec("INSERT INTO scan_events (uid, at, action, code, result) VALUES ($1, $2, 'scan_parent', 'SB21100', 'found')",
                     params(util::uuid_v7(), now - age));
  }
}

}  // namespace

TEST_CASE("stats services: scans of yesterday are on the hours chart, not in the last 24 hours") {
  World w;
  REQUIRE_FALSE(w.parent(w.dispatcher, "SB21100").refusal);
  const std::int64_t now = util::now_us();
  run_sync(w.db->write(storage::job(insert_old_scans, now)));
  auto s = run_sync(w.db->read(storage::job(services::compute_stats, services::StatsScope{}, now)));
  CHECK(s.scans_24h == 1);  // the parent scan of now
  REQUIRE(s.scans_per_hour.size() == 48);
  std::int64_t charted = 0;
  for (const auto& h : s.scans_per_hour) charted += h.scans;
  CHECK(charted == 3);  // now, 30 and 47 hours ago; not 49
  CHECK(s.scans_per_hour[static_cast<std::size_t>(47 - 30)].scans == 1);
  CHECK(s.scans_per_hour.front().scans == 1);
}

TEST_CASE("stats services: the cache keeps figures for its time to live") {
  World w;
  services::StatsCache cache(std::chrono::seconds(60));
  auto before = run_sync(cache.get(*w.db, services::StatsScope{}));
  CHECK(before->parents == 0);
  REQUIRE_FALSE(w.parent(w.dispatcher, "SB22000").refusal);
  CHECK(run_sync(cache.get(*w.db, services::StatsScope{}))->parents == 0);  // cached
  CHECK(run_sync(cache.get(*w.db, services::StatsScope{w.lucknow, std::nullopt}))->parents == 1);      // another view, computed now
}
