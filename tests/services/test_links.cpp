// Relink, unlink, undo, moving a parent to another area and bag deletion over the storage
// interface (SPEC §3.3, §3.5).
#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

#include "domain_world.hpp"
#include "util/time.hpp"

using namespace tt;
using namespace tt::test;
using domain::ScanResult;

namespace {

services::LinkChange relink(World& w, const Caller& c, std::string child, std::string parent) {
  auto s = w.settings;
  return run_sync(w.db->write(storage::job(services::relink, c, child, parent, s)));
}
services::LinkChange unlink(World& w, const Caller& c, std::string child) {
  auto s = w.settings;
  return run_sync(w.db->write(storage::job(services::unlink, c, child, s)));
}
services::LinkChange undo(World& w, const Caller& c) {
  auto s = w.settings;
  return run_sync(w.db->write(storage::job(services::undo_last_link, c, s)));
}
services::AreaTransfer transfer(World& w, const Caller& c, std::string code, std::string area) {
  return run_sync(w.db->write(storage::job(services::transfer_bag, c, code, area)));
}
services::DeletedBag remove(World& w, const Caller& c, std::string code) {
  return run_sync(w.db->write(storage::job(services::delete_bag, c, code)));
}

}  // namespace

TEST_CASE("link services: relink moves a child to another parent, recorded in the audit log") {
  World w;
  w.fill(w.dispatcher, "SB11111", 2, "A");
  REQUIRE_FALSE(w.parent(w.dispatcher, "SB22222").refusal);
  auto moved = relink(w, w.dispatcher, "a-1", "sb22222");
  CHECK(services::to_string(moved.result) == "relinked");
  CHECK(moved.previous_parent == "SB11111");
  CHECK(moved.parent == "SB22222");
  CHECK(moved.child_count == 1);
  CHECK(w.parent_of("A-1") == "SB22222");
  CHECK(w.links_of("SB11111") == 1);
  CHECK(w.count("audit_log WHERE action = 'relink' AND entity_key = 'A-1'") == 1);

  CHECK(services::to_string(relink(w, w.dispatcher, "A-1", "SB22222").result) == "already_linked");
  CHECK(error_code([&] { relink(w, w.dispatcher, "A-1", "SB99999"); }) == "not_found");
  CHECK(error_code([&] { relink(w, w.dispatcher, "A-1", "A-2"); }) == "not_a_parent");
  CHECK(error_code([&] { relink(w, w.dispatcher, "SB11111", "SB22222"); }) == "not_a_child");
  CHECK(error_code([&] { relink(w, w.dispatcher, "NOPE-1", "SB22222"); }) == "not_found");
  CHECK(error_code([&] { relink(w, w.dispatcher, "A 1", "SB22222"); }) == "invalid_code");
}

TEST_CASE("link services: relink links a free child and respects capacity") {
  World w;
  w.fill(w.dispatcher, "SB11112", 30, "B");
  w.fill(w.dispatcher, "SB11113", 1, "C");
  CHECK(error_code([&] { relink(w, w.dispatcher, "C-1", "SB11112"); }) == "parent_full");
  CHECK(w.parent_of("C-1") == "SB11113");
  unlink(w, w.dispatcher, "C-1");
  auto linked = relink(w, w.dispatcher, "C-1", "SB11113");
  CHECK(services::to_string(linked.result) == "linked");
  CHECK_FALSE(linked.previous_parent);
  CHECK(w.parent_of("C-1") == "SB11113");
}

TEST_CASE("link services: unlink frees a child; a child in no parent cannot be unlinked") {
  World w;
  w.fill(w.dispatcher, "SB11114", 3, "D");
  auto freed = unlink(w, w.dispatcher, "D-2");
  CHECK(services::to_string(freed.result) == "unlinked");
  CHECK(freed.previous_parent == "SB11114");
  CHECK(freed.child_count == 2);
  CHECK(w.parent_of("D-2") == "");
  CHECK(w.count("bags WHERE code = 'D-2'") == 1);  // freed, not deleted
  CHECK(w.count("audit_log WHERE action = 'unlink' AND entity_key = 'D-2'") == 1);
  CHECK(error_code([&] { unlink(w, w.dispatcher, "D-2"); }) == "not_linked");
  CHECK(error_code([&] { unlink(w, w.other_dispatcher, "D-1"); }) == "not_found");  // another area
}

TEST_CASE("link services: links of a parent on a completed bill are locked") {
  World w;
  w.fill(w.biller, "SB11115", 2, "E");
  REQUIRE_FALSE(w.parent(w.biller, "SB11116").refusal);
  w.bill(w.biller, "BILL-LOCK", 2, {"SB11115"}, true);
  CHECK(error_code([&] { unlink(w, w.dispatcher, "E-1"); }) == "bill_completed");
  CHECK(error_code([&] { relink(w, w.dispatcher, "E-1", "SB11116"); }) == "bill_completed");
  CHECK(error_code([&] { remove(w, w.admin, "E-1"); }) == "bill_completed");
  CHECK(error_code([&] { remove(w, w.admin, "SB11115"); }) == "bill_completed");
  CHECK(w.links_of("SB11115") == 2);
}

TEST_CASE("link services: undo removes the caller's most recent link of the last hour") {
  World w;
  w.fill(w.dispatcher, "SB11117", 3, "F");
  REQUIRE(w.child(w.biller, "SB11117", "G-1").result == ScanResult::linked);
  auto undone = undo(w, w.dispatcher);
  CHECK(services::to_string(undone.result) == "undone");
  CHECK(undone.child == "F-3");
  CHECK(undone.previous_parent == "SB11117");
  CHECK(undone.child_count == 3);  // F-1, F-2 and the biller's G-1
  CHECK(w.parent_of("F-3") == "");
  CHECK(w.parent_of("G-1") == "SB11117");
  CHECK(undo(w, w.dispatcher).child == "F-2");
  CHECK(w.count("audit_log WHERE action = 'undo'") == 2);
  CHECK(error_code([&] { undo(w, w.other_dispatcher); }) == "nothing_to_undo");

  // A link older than an hour is out of reach.
  const std::int64_t old = util::now_us() - services::kUndoWindowUs - 1000000;
  run_sync(w.db->write(storage::job(storage::run_statement, std::string("UPDATE links SET created_at = $1"), params(old))));
  CHECK(error_code([&] { undo(w, w.dispatcher); }) == "nothing_to_undo");
}

TEST_CASE("link services: deleting a parent frees its children and takes it off its bill") {
  World w;
  w.fill(w.biller, "SB11118", 3, "H");
  w.bill(w.biller, "BILL-DEL", 2, {"SB11118"});
  auto deleted = remove(w, w.admin, "sb11118");
  CHECK(deleted.type == "parent");
  CHECK(deleted.children_freed == 3);
  CHECK(deleted.bill == "BILL-DEL");
  CHECK(w.count("bags WHERE type = 'child'") == 3);
  CHECK(w.count("links") == 0);
  CHECK(w.count("bill_parents") == 0);
  CHECK(w.count("bills") == 1);
  CHECK(w.count("audit_log WHERE action = 'bag_delete'") == 1);
  CHECK(w.count("audit_log WHERE action = 'unlink'") == 3);
  // History survives the bag.
  CHECK(w.count("scan_events WHERE parent_code = 'SB11118'") == 3);

  auto child = remove(w, w.admin, "H-1");
  CHECK(child.type == "child");
  CHECK(w.count("bags") == 2);
  CHECK(error_code([&] { remove(w, w.admin, "H-1"); }) == "not_found");
}

TEST_CASE("link services: deleting a child takes it out of its parent") {
  World w;
  w.fill(w.dispatcher, "SB11119", 2, "I");
  auto deleted = remove(w, w.admin, "I-2");
  CHECK(deleted.parent == "SB11119");
  CHECK(w.links_of("SB11119") == 1);
  CHECK(w.count("bags WHERE code = 'SB11119'") == 1);
}

TEST_CASE("bag services: a parent moves to another area with its children, audited before and after") {
  World w;
  w.fill(w.dispatcher, "SB11120", 3, "J");
  w.fill(w.dispatcher, "SB11121", 1, "K");
  auto moved = transfer(w, w.biller, "sb11120", " kanpur ");
  CHECK(moved.moved);
  CHECK(moved.code == "SB11120");
  CHECK(moved.from == "Lucknow");
  CHECK(moved.to == "Kanpur");
  CHECK(moved.from_id == w.lucknow);
  CHECK(moved.to_id == w.kanpur);
  CHECK(moved.children == 3);
  CHECK(w.count("bags WHERE area_id = $1", params(w.kanpur)) == 4);
  // Another parent and its child stay where they were.
  CHECK(w.count("bags WHERE area_id = $1", params(w.lucknow)) == 2);
  CHECK(w.count("audit_log WHERE action = 'area_transfer' AND entity_key = 'SB11120'"
                " AND before_json LIKE '%Lucknow%' AND after_json LIKE '%Kanpur%'") == 1);
  CHECK(w.count("audit_log WHERE action = 'area_transfer' AND entity_key LIKE 'J-%'") == 3);

  // The dispatcher of the area it left no longer finds it; the one of its new area does.
  CHECK(error_code([&] { transfer(w, w.dispatcher, "SB11120", "Lucknow"); }) == "not_found");
  CHECK(w.child(w.other_dispatcher, "SB11120", "J-4").result == ScanResult::linked);

  // Asked again, nothing changes and nothing more is logged.
  auto again = transfer(w, w.admin, "SB11120", "Kanpur");
  CHECK_FALSE(again.moved);
  CHECK(again.children == 0);
  CHECK(w.count("audit_log WHERE action = 'area_transfer'") == 4);
}

TEST_CASE("bag services: moving to another area is refused for a child, an unknown area and a parent on a bill") {
  World w;
  w.fill(w.dispatcher, "SB11122", 2, "L");
  w.bill(w.biller, "BILL-AREA", 2, {"SB11122"});
  CHECK(error_code([&] { transfer(w, w.biller, "L-1", "Kanpur"); }) == "not_a_parent");
  CHECK(error_code([&] { transfer(w, w.biller, "SB11122", "Nowhere"); }) == "unknown_area");
  CHECK(error_code([&] { transfer(w, w.biller, "SB11122", "Kanpur"); }) == "conflict");
  CHECK(error_code([&] { transfer(w, w.biller, "SB99999", "Kanpur"); }) == "not_found");
  CHECK(error_code([&] { transfer(w, w.biller, "bad code", "Kanpur"); }) == "invalid_code");
  CHECK(w.count("bags WHERE area_id = $1", params(w.kanpur)) == 0);
  CHECK(w.count("audit_log WHERE action = 'area_transfer'") == 0);
}
