// The data-set generator (src/seed) on the backend under test: the rows it writes are the rows
// live scanning would have left, so the services read them and the rules hold on them.
#include <doctest/doctest.h>

#include "domain_world.hpp"
#include "seed/seed_writer.hpp"
#include "services/bags.hpp"
#include "services/scans.hpp"

using namespace tt;
using namespace tt::test;

namespace {

constexpr std::int64_t kEnd = 1800000000000000;

struct Seeded {
  std::unique_ptr<Database> db = open_test_database();
  seed::SeedOptions o;
  seed::SeedAccounts accounts;
  SettingsPtr settings = std::make_shared<const domain::Settings>();

  Seeded() {
    o.parents = 40;
    o.children = 30;
    o.areas = 2;
    o.users_per_area = 2;
    o.bills = 4;
    o.parents_per_bill = 5;
    auto& opts = o;
    accounts = run_sync(db->write(storage::job(seed::write_accounts, opts, "not-a-hash", kEnd - 1)));
    auto& acc = accounts;
    // Two slices, as the command writes them, then the bills.
    run_sync(db->write(storage::job(seed::write_parents, opts, acc, 0, 25, kEnd)));
    run_sync(db->write(storage::job(seed::write_parents, opts, acc, 25, 40, kEnd)));
    run_sync(db->write(storage::job(seed::write_bills, opts, acc, 0, 4, kEnd)));
  }

  std::int64_t count(const std::string& from_where) {
    return run_sync(db->read(storage::job(storage::query_int, "SELECT COUNT(*) FROM " + from_where, storage::Params{})));
  }

  Caller dispatcher(int area) {
    Caller who;
    who.user_id = accounts.dispatchers[static_cast<std::size_t>(area)][0];
    who.username = seed::dispatcher_name(area, 0);
    who.role = domain::Role::dispatcher;
    who.area_id = accounts.areas[static_cast<std::size_t>(area)];
    who.client = "127.0.0.1";
    return who;
  }
};

}  // namespace

TEST_CASE("seed: writes every bag, link, bill, scan event and audit entry of the plan") {
  Seeded s;
  CHECK(s.count("areas") == 2);
  CHECK(s.count("users") == 6);  // two dispatchers and a biller per area
  CHECK(s.count("bags WHERE type = 'parent'") == 40);
  CHECK(s.count("bags WHERE type = 'child'") == 1200);
  CHECK(s.count("links") == 1200);
  CHECK(s.count("bills") == 4);
  CHECK(s.count("bills WHERE status = 'completed'") == 3);  // the oldest 90 %, rounded down
  CHECK(s.count("bill_parents") == 20);
  CHECK(s.count("scan_events WHERE action = 'scan_parent' AND result = 'created'") == 40);
  CHECK(s.count("scan_events WHERE action = 'scan_child' AND result = 'linked'") == 1200);
  CHECK(s.count("scan_events WHERE action = 'bill_add'") == 20);
  CHECK(s.count("audit_log WHERE action = 'link'") == 1200);
  CHECK(s.count("audit_log WHERE action = 'bill_complete'") == 3);
  // Every row that synchronises carries its own global id.
  CHECK(s.count("bags WHERE length(uid) = 36") == 1240);
  CHECK(s.count("links WHERE length(uid) = 36") == 1200);
}

TEST_CASE("seed: the services read seeded bags with children, bill, area and history") {
  Seeded s;
  auto settings = s.settings;
  const Caller d = s.dispatcher(0);
  auto bag = run_sync(s.db->read(storage::job(services::get_bag, d, "SB00000", settings)));
  CHECK(bag.type == "parent");
  CHECK(bag.kind == "SB");
  CHECK(bag.area == "Depot 1");
  CHECK(bag.created_by == "depot1.scanner1");
  CHECK(bag.children.size() == 30);
  REQUIRE(bag.bill);
  CHECK(bag.bill->code == "BILL-000001");
  CHECK(domain::to_string(bag.bill->status) == "completed");
  CHECK_FALSE(bag.history.empty());
  auto child = run_sync(s.db->read(storage::job(services::get_bag, d, "CS0000031", settings)));
  REQUIRE(child.parent);
  CHECK(child.parent->code == "M444-00000");
  // Parents of the other area stay out of this dispatcher's sight.
  const std::string other = seed::parent_code(39);
  CHECK(error_code([&] {
          run_sync(s.db->read(storage::job(services::get_bag, d, other, settings)));
        }) == "not_found");
}

TEST_CASE("seed: the scanning rules hold on seeded data") {
  Seeded s;
  auto settings = s.settings;
  const Caller d = s.dispatcher(0);
  // Area 0 owns parents 0-19 and every one is on a bill; SB00008 (parent 16) is on the open
  // bill BILL-000004 and holds its 30 children: full.
  auto full = run_sync(s.db->write(storage::job(services::scan_child, d, "SB00008", "NEW-CHILD-1", settings, kNoClientScanId)));
  CHECK(full.reason == domain::Rejection::parent_full);
  // A seeded child is already in its parent.
  auto elsewhere = run_sync(s.db->write(storage::job(services::scan_child, d, "SB00008", "CS0000000", settings, kNoClientScanId)));
  CHECK(elsewhere.reason == domain::Rejection::linked_elsewhere);
  // A parent on a completed bill cannot change.
  auto completed = run_sync(s.db->write(storage::job(services::scan_child, d, "SB00000", "NEW-CHILD-2", settings, kNoClientScanId)));
  CHECK(completed.reason == domain::Rejection::bill_completed);
}

TEST_CASE("seed: counting bags tells an empty database from a used one") {
  auto db = open_test_database();
  CHECK(run_sync(db->read(storage::job(seed::count_bags))) == 0);
  Seeded s;
  CHECK(run_sync(s.db->read(storage::job(seed::count_bags))) == 1240);
}
