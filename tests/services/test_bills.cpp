// Bills over the storage interface (SPEC §3.4): creation, filling, figures, life cycle.
#include <doctest/doctest.h>

#include <string>

#include "domain_world.hpp"

using namespace tt;
using namespace tt::test;

namespace {

services::Bill create(World& w, const Caller& c, std::string code, std::int64_t capacity) {
  auto s = w.settings;
  const services::NewBill nb{code, "Rice to Kanpur", std::string("Kanpur depot"), std::string("UP32 AB 1234"), capacity};
  return run_sync(w.db->write(storage::job(services::create_bill, c, nb, s)));
}
services::BillFill add(World& w, const Caller& c, std::string bill, std::string parent) {
  auto s = w.settings;
  return run_sync(
      w.db->write(storage::job(services::add_parent_to_bill, c, bill, parent, s, kNoClientScanId)));
}
services::Bill remove_parent(World& w, const Caller& c, std::string bill, std::string parent) {
  auto s = w.settings;
  return run_sync(
      w.db->write(storage::job(services::remove_parent_from_bill, c, bill, parent, s)));
}
services::Bill complete(World& w, const Caller& c, std::string bill) {
  auto s = w.settings;
  return run_sync(w.db->write(storage::job(services::complete_bill, c, bill, s)));
}
services::Bill reopen(World& w, const Caller& c, std::string bill) {
  auto s = w.settings;
  return run_sync(w.db->write(storage::job(services::reopen_bill, c, bill, s)));
}
services::BillDetail get(World& w, const Caller& c, std::string bill) {
  auto s = w.settings;
  return run_sync(w.db->read(storage::job(services::get_bill, c, bill, s)));
}
services::Bill update(World& w, const Caller& c, std::string bill, services::BillPatch patch) {
  auto s = w.settings;
  return run_sync(w.db->write(storage::job(services::update_bill, c, bill, patch, s)));
}

}  // namespace

TEST_CASE("bill services: a bill is created open, with its code normalised, once") {
  World w;
  auto b = create(w, w.biller, " lko-2025-11-25 ", 10);
  CHECK(b.code == "LKO-2025-11-25");
  CHECK(domain::to_string(b.status) == "open");
  CHECK(b.capacity == 10);
  CHECK(b.area == "Lucknow");
  CHECK(b.destination == "Kanpur depot");
  CHECK(b.figures.parent_count == 0);
  CHECK(w.count("audit_log WHERE action = 'bill_create'") == 1);
  CHECK(error_code([&] { create(w, w.biller, "LKO-2025-11-25", 10); }) == "bill_exists");
  CHECK(error_code([&] { create(w, w.biller, "AB", 10); }) == "invalid_code");
  CHECK(error_code([&] { create(w, w.biller, "ABC", 0); }) == "invalid_capacity");
  CHECK(error_code([&] { create(w, w.biller, "ABC", 101); }) == "invalid_capacity");
  CHECK(create(w, w.biller, "ABC", 100).capacity == 100);
}

TEST_CASE("bill services: figures are derived from the parents' links") {
  World w;
  w.fill(w.biller, "SB15000", 30, "A");
  w.fill(w.biller, "M444-15001", 12, "B");
  REQUIRE_FALSE(w.parent(w.biller, "SB15002").refusal);
  create(w, w.biller, "BILL-FIG", 5);
  for (const char* p : {"SB15000", "m444-15001", "SB15002"}) {
    auto r = add(w, w.biller, "BILL-FIG", p);
    REQUIRE_FALSE(r.refusal);
    CHECK(domain::to_string(r.result) == "added");
  }
  auto d = get(w, w.dispatcher, "bill-fig");
  CHECK(d.bill.figures.parent_count == 3);
  CHECK(d.bill.figures.child_count == 42);
  CHECK(d.bill.figures.actual_weight_kg == 42.0);
  CHECK(d.bill.figures.expected_weight_kg == 75.0);
  CHECK(d.bill.figures.variance_kg == -33.0);
  REQUIRE(d.parents.size() == 3);
  CHECK(d.parents[1].code == "M444-15001");
  CHECK(d.parents[1].child_count == 12);
  CHECK(d.parents[1].expected_weight_kg == 15.0);

  // A child unlinked later changes the figures at once: nothing is counted separately.
  run_sync(w.db->write(storage::job(services::unlink, w.biller, "A-1", w.settings)));
  CHECK(get(w, w.biller, "BILL-FIG").bill.figures.child_count == 41);
}

TEST_CASE("bill services: filling refuses other bills' parents, full bills, children and unknown bags") {
  World w;
  for (const char* p : {"SB16000", "SB16001", "SB16002"}) REQUIRE_FALSE(w.parent(w.biller, p).refusal);
  w.fill(w.biller, "SB16003", 1, "C");
  create(w, w.biller, "BILL-ONE", 2);
  create(w, w.biller, "BILL-TWO", 2);
  CHECK(domain::to_string(add(w, w.biller, "BILL-ONE", "SB16000").result) == "added");
  auto again = add(w, w.biller, "BILL-ONE", "SB16000");
  CHECK_FALSE(again.refusal);
  CHECK(domain::to_string(again.result) == "already_on_bill");
  auto other = add(w, w.biller, "BILL-TWO", "SB16000");
  REQUIRE(other.refusal);
  CHECK(code_of(*other.refusal) == "on_another_bill");
  CHECK(other.refusal->message == "Parent bag SB16000 is already on bill BILL-ONE.");
  CHECK(domain::to_string(add(w, w.biller, "BILL-ONE", "SB16001").result) == "added");
  auto full = add(w, w.biller, "BILL-ONE", "SB16002");
  REQUIRE(full.refusal);
  CHECK(code_of(*full.refusal) == "bill_full");
  CHECK(code_of(*add(w, w.biller, "BILL-TWO", "C-1").refusal) == "not_a_parent");
  CHECK(code_of(*add(w, w.biller, "BILL-TWO", "SB19999").refusal) == "not_found");
  CHECK(code_of(*add(w, w.biller, "BILL-NONE", "SB16002").refusal) == "not_found");
  CHECK(code_of(*add(w, w.biller, "BILL-TWO", "SB 1").refusal) == "invalid_code");
  // Every attempt is in the scan log.
  CHECK(w.count("scan_events WHERE action = 'bill_add'") == 9);
  CHECK(w.count("scan_events WHERE action = 'bill_add' AND result = 'rejected'") == 6);
  CHECK(w.count("bill_parents") == 2);
}

TEST_CASE("bill services: complete locks the bill; an admin may reopen it") {
  World w;
  REQUIRE_FALSE(w.parent(w.biller, "SB17000").refusal);
  REQUIRE_FALSE(w.parent(w.biller, "SB17001").refusal);
  create(w, w.biller, "BILL-DONE", 3);
  add(w, w.biller, "BILL-DONE", "SB17000");
  auto done = complete(w, w.biller, "BILL-DONE");
  CHECK(domain::to_string(done.status) == "completed");
  CHECK(done.completed_at);
  CHECK(error_code([&] { complete(w, w.biller, "BILL-DONE"); }) == "bill_completed");
  CHECK(code_of(*add(w, w.biller, "BILL-DONE", "SB17001").refusal) == "bill_completed");
  CHECK(domain::to_string(add(w, w.biller, "BILL-DONE", "SB17000").result) == "already_on_bill");
  CHECK(error_code([&] { remove_parent(w, w.biller, "BILL-DONE", "SB17000"); }) == "bill_completed");
  services::BillPatch patch;
  patch.description = "changed";
  CHECK(error_code([&] { update(w, w.biller, "BILL-DONE", patch); }) == "bill_completed");

  auto open = reopen(w, w.admin, "BILL-DONE");
  CHECK(domain::to_string(open.status) == "open");
  CHECK_FALSE(open.completed_at);
  CHECK(error_code([&] { reopen(w, w.admin, "BILL-DONE"); }) == "bill_not_completed");
  auto removed = remove_parent(w, w.biller, "BILL-DONE", "SB17000");
  CHECK(removed.figures.parent_count == 0);
  CHECK(error_code([&] { remove_parent(w, w.biller, "BILL-DONE", "SB17000"); }) == "not_on_bill");
  CHECK(w.count("audit_log WHERE entity = 'bill'") == 5);  // create, add, complete, reopen, remove
}

TEST_CASE("bill services: edit fields and capacity, never below the parents on it") {
  World w;
  for (const char* p : {"SB18000", "SB18001"}) REQUIRE_FALSE(w.parent(w.biller, p).refusal);
  create(w, w.biller, "BILL-EDIT", 5);
  add(w, w.biller, "BILL-EDIT", "SB18000");
  add(w, w.biller, "BILL-EDIT", "SB18001");
  services::BillPatch patch;
  patch.capacity = 1;
  CHECK(error_code([&] { update(w, w.biller, "BILL-EDIT", patch); }) == "capacity_too_small");
  patch.capacity = 2;
  patch.vehicle = std::optional<std::string>();  // cleared
  patch.description = "  Wheat  ";
  auto b = update(w, w.biller, "BILL-EDIT", patch);
  CHECK(b.capacity == 2);
  CHECK_FALSE(b.vehicle);
  CHECK(b.description == "Wheat");
  CHECK(b.destination == "Kanpur depot");
  patch = {};
  patch.capacity = 0;
  CHECK(error_code([&] { update(w, w.biller, "BILL-EDIT", patch); }) == "invalid_capacity");
  CHECK(error_code([&] { update(w, w.biller, "BILL-NONE", services::BillPatch{}); }) == "not_found");
}

TEST_CASE("bill services: list, newest first, by status and code prefix; dispatchers see their area") {
  World w;
  create(w, w.biller, "LKO-1", 5);
  create(w, w.biller, "LKO-2", 5);
  auto admin_bill = create(w, w.admin, "HQ-1", 5);
  CHECK_FALSE(admin_bill.area);
  complete(w, w.biller, "LKO-1");
  auto list = [&](const Caller& c, services::BillFilter f) {
    auto s = w.settings;
    return run_sync(w.db->read(storage::job(services::list_bills, c, f, s)));
  };
  auto all = list(w.admin, {});
  REQUIRE(all.bills.size() == 3);
  CHECK(all.bills[0].code == "HQ-1");
  services::BillFilter open;
  open.status = "open";
  CHECK(list(w.admin, open).bills.size() == 2);
  services::BillFilter prefix;
  prefix.code = "LKO";
  CHECK(list(w.admin, prefix).bills.size() == 2);
  CHECK(list(w.dispatcher, {}).bills.size() == 2);        // Lucknow's
  CHECK(list(w.other_dispatcher, {}).bills.empty());      // Kanpur has none
  CHECK(error_code([&] { get(w, w.other_dispatcher, "LKO-2"); }) == "not_found");
}

TEST_CASE("bill services: deleting a bill leaves its parents, on no bill") {
  World w;
  REQUIRE_FALSE(w.parent(w.biller, "SB19000").refusal);
  create(w, w.biller, "BILL-GONE", 5);
  add(w, w.biller, "BILL-GONE", "SB19000");
  auto s = w.settings;
  auto gone = run_sync(w.db->write(storage::job(services::delete_bill, w.admin, "BILL-GONE", s)));
  CHECK(gone.figures.parent_count == 1);
  CHECK(w.count("bills") == 0);
  CHECK(w.count("bill_parents") == 0);
  CHECK(w.count("bags WHERE code = 'SB19000'") == 1);
  CHECK(w.count("audit_log WHERE action = 'bill_delete'") == 1);
  // The parent can go on another bill now.
  create(w, w.biller, "BILL-NEXT", 5);
  CHECK(domain::to_string(add(w, w.biller, "BILL-NEXT", "SB19000").result) == "added");
}
