// Scanning services over the storage interface, on the backend under test (SPEC §3.1-§3.3):
// every rule, the scan log and audit entries they write, and the concurrency guarantees.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "domain_world.hpp"

using namespace tt;
using namespace tt::test;
using domain::Rejection;
using domain::ScanResult;

TEST_CASE("scan services: scanning a parent creates it in the caller's area, then finds it") {
  World w;
  auto first = w.parent(w.dispatcher, " sb12345\r\n");
  REQUIRE_FALSE(first.refusal);
  CHECK(first.created);
  CHECK(first.code == "SB12345");
  REQUIRE(first.parent);
  CHECK(first.parent->type == "parent");
  CHECK(first.parent->kind == "SB");
  CHECK(first.parent->area == "Lucknow");
  CHECK(first.parent->children.empty());
  CHECK(first.parent->capacity == 30);
  CHECK(first.parent->expected_weight_kg == 30.0);

  auto again = w.parent(w.biller, "SB12345");
  REQUIRE_FALSE(again.refusal);
  CHECK_FALSE(again.created);

  auto m444 = w.parent(w.dispatcher, "m444-00123");
  REQUIRE(m444.parent);
  CHECK(m444.parent->kind == "M444");
  CHECK(m444.parent->expected_weight_kg == 15.0);

  CHECK(w.count("bags") == 2);
  CHECK(w.count("scan_events WHERE action = 'scan_parent' AND result = 'created'") == 2);
  CHECK(w.count("scan_events WHERE action = 'scan_parent' AND result = 'found'") == 1);
  CHECK(w.count("audit_log WHERE action = 'bag_create'") == 2);
}

TEST_CASE("scan services: a parent scan is refused for child codes, invalid codes and other areas") {
  World w;
  auto child_code = w.parent(w.dispatcher, "CH-0001");
  REQUIRE(child_code.refusal);
  CHECK(status_of(*child_code.refusal) == 422);
  CHECK(code_of(*child_code.refusal) == "not_a_parent");
  CHECK(child_code.refusal->message.find("SB + 5 digits or M444- + 5 digits") != std::string::npos);

  auto invalid = w.parent(w.dispatcher, "SB\xc3\xa9");
  REQUIRE(invalid.refusal);
  CHECK(code_of(*invalid.refusal) == "invalid_code");
  // Recorded anyway, printable.
  CHECK(w.count("scan_events WHERE code = $1 AND reason = 'invalid_code'", params("SB\\xC3\\xA9")) == 1);

  REQUIRE_FALSE(w.parent(w.other_dispatcher, "SB00001").refusal);  // Kanpur
  auto hidden = w.parent(w.dispatcher, "SB00001");                  // Lucknow
  REQUIRE(hidden.refusal);
  CHECK(status_of(*hidden.refusal) == 404);
  CHECK(code_of(*hidden.refusal) == "not_found");
  CHECK(w.count("bags") == 1);
  CHECK(w.count("scan_events WHERE result = 'rejected'") == 3);
}

TEST_CASE("scan services: children go in until the parent holds 30 (29/30/31)") {
  World w;
  w.fill(w.dispatcher, "SB10001", 29, "C");
  CHECK(w.links_of("SB10001") == 29);
  auto thirtieth = w.child(w.dispatcher, "SB10001", "C-30");
  CHECK(thirtieth.result == ScanResult::linked);
  CHECK(thirtieth.child_count == 30);
  CHECK(thirtieth.capacity == 30);
  CHECK(thirtieth.child_created);
  auto full = w.child(w.dispatcher, "SB10001", "C-31");
  CHECK(full.result == ScanResult::rejected);
  CHECK(full.reason == Rejection::parent_full);
  CHECK(full.child_count == 30);
  CHECK(status_of(*full.refusal) == 409);
  CHECK(code_of(*full.refusal) == "parent_full");
  CHECK(full.refusal->message == "Parent bag SB10001 is full: it holds 30 of 30 children.");
  CHECK(w.links_of("SB10001") == 30);
  // The refused child was not created.
  CHECK(w.count("bags WHERE code = 'C-31'") == 0);
  CHECK(w.count("audit_log WHERE action = 'link'") == 30);
  CHECK(w.count("scan_events WHERE action = 'scan_child'") == 31);

  auto detail = w.parent(w.dispatcher, "SB10001");
  REQUIRE(detail.parent);
  CHECK(detail.parent->children.size() == 30);
  CHECK(detail.parent->weight_kg == 30.0);
}

TEST_CASE("scan services: a double scan is already_linked and changes nothing, even when full") {
  World w;
  w.fill(w.dispatcher, "SB10002", 30, "D");
  auto again = w.child(w.dispatcher, "sb10002", "d-30");
  CHECK(again.result == ScanResult::already_linked);
  CHECK(again.child_count == 30);
  CHECK(again.child_code == "D-30");
  CHECK(w.links_of("SB10002") == 30);
  CHECK(w.count("audit_log WHERE action = 'link'") == 30);
  CHECK(w.count("scan_events WHERE result = 'already_linked'") == 1);
}

TEST_CASE("scan services: a child in another parent is refused, naming that parent") {
  World w;
  w.fill(w.dispatcher, "SB20001", 1, "E");
  REQUIRE_FALSE(w.parent(w.dispatcher, "SB20002").refusal);
  auto elsewhere = w.child(w.dispatcher, "SB20002", "E-1");
  CHECK(elsewhere.reason == Rejection::linked_elsewhere);
  CHECK(elsewhere.refusal->message == "Bag E-1 is already in parent bag SB20001; relink it to move it.");
  CHECK(status_of(*elsewhere.refusal) == 409);
  CHECK(w.parent_of("E-1") == "SB20001");
  CHECK(w.count("scan_events WHERE reason = 'linked_elsewhere' AND parent_code = 'SB20002'") == 1);
}

TEST_CASE("scan services: parent codes are not children, child bags are not parents") {
  World w;
  w.fill(w.dispatcher, "SB30001", 1, "F");
  auto parent_as_child = w.child(w.dispatcher, "SB30001", "M444-00001");
  CHECK(parent_as_child.reason == Rejection::not_a_child);
  CHECK(status_of(*parent_as_child.refusal) == 422);
  auto child_as_parent = w.child(w.dispatcher, "F-1", "G-1");
  CHECK(child_as_parent.reason == Rejection::not_a_parent);
  auto missing = w.child(w.dispatcher, "SB39999", "G-1");
  CHECK(missing.reason == Rejection::parent_not_found);
  CHECK(status_of(*missing.refusal) == 404);
  CHECK(code_of(*missing.refusal) == "not_found");
  CHECK(w.count("bags WHERE code = 'G-1'") == 0);
}

TEST_CASE("scan services: invalid codes are refused and still logged") {
  World w;
  REQUIRE_FALSE(w.parent(w.dispatcher, "SB40001").refusal);
  for (const std::string& bad : {std::string(""), std::string("   "), std::string("A B"), std::string(65, 'x'),
                                std::string("CH\xff"), std::string("CH\x01")}) {
    auto r = w.child(w.dispatcher, "SB40001", bad);
    CHECK(r.reason == Rejection::invalid_code);
    CHECK(status_of(*r.refusal) == 422);
    CHECK_FALSE(r.refusal->message.empty());
  }
  CHECK(w.child(w.dispatcher, "SB40001", std::string(64, 'x')).result == ScanResult::linked);
  CHECK(w.child(w.dispatcher, "", "CH-1").reason == Rejection::invalid_code);
  CHECK(w.count("scan_events WHERE action = 'scan_child' AND reason = 'invalid_code'") == 7);
  CHECK(w.links_of("SB40001") == 1);
}

TEST_CASE("scan services: a dispatcher scans only into parents of their own area") {
  World w;
  REQUIRE_FALSE(w.parent(w.other_dispatcher, "SB50001").refusal);  // Kanpur
  auto r = w.child(w.dispatcher, "SB50001", "H-1");
  CHECK(r.reason == Rejection::parent_not_found);
  CHECK(w.child(w.biller, "SB50001", "H-1").result == ScanResult::linked);  // billers work everywhere
  CHECK(w.child(w.admin, "SB50001", "H-2").result == ScanResult::linked);
}

TEST_CASE("scan services: a parent on a completed bill takes no more children") {
  World w;
  w.fill(w.biller, "SB60001", 2, "I");
  w.bill(w.biller, "BILL-1", 5, {"SB60001"}, true);
  auto locked = w.child(w.dispatcher, "SB60001", "I-3");
  CHECK(locked.reason == Rejection::bill_completed);
  CHECK(locked.refusal->message.find("BILL-1") != std::string::npos);
  // A double scan of a child already there is still fine.
  CHECK(w.child(w.dispatcher, "SB60001", "I-1").result == ScanResult::already_linked);
  run_sync(w.db->write(storage::job(services::reopen_bill, w.admin, "BILL-1", w.settings)));
  CHECK(w.child(w.dispatcher, "SB60001", "I-3").result == ScanResult::linked);
}

TEST_CASE("scan services: the capacity is a setting") {
  World w;
  domain::Settings s;
  s.parent_capacity = 3;
  w.use_settings(s);
  w.fill(w.dispatcher, "SB70001", 3, "J");
  auto r = w.child(w.dispatcher, "SB70001", "J-4");
  CHECK(r.reason == Rejection::parent_full);
  CHECK(r.capacity == 3);
}

namespace {

asio::awaitable<void> scan_into(Database& db, Caller c, std::string parent, std::string code, SettingsPtr s,
                                services::ChildScan& out) {
  auto job = storage::job(services::scan_child, c, parent, code, s, kNoClientScanId);
  out = co_await db.write(std::move(job));
}

}  // namespace

TEST_CASE("scan services: 64 simultaneous scans into one parent link exactly 30") {
  World w;
  REQUIRE_FALSE(w.parent(w.dispatcher, "SB80001").refusal);
  std::vector<services::ChildScan> results(64);
  std::vector<asio::awaitable<void>> scans;
  for (int i = 0; i < 64; ++i) {
    scans.push_back(scan_into(*w.db, w.dispatcher, "SB80001", "K-" + std::to_string(i), w.settings,
                              results[static_cast<std::size_t>(i)]));
  }
  auto errors = run_sync(run_all(std::move(scans)), std::chrono::seconds(120), 8);
  for (const auto& e : errors) CHECK_MESSAGE(!e, what(e));
  int linked = 0, full = 0;
  for (const auto& r : results) {
    if (r.result == ScanResult::linked) ++linked;
    if (r.reason == Rejection::parent_full) ++full;
  }
  CHECK(linked == 30);
  CHECK(full == 34);
  CHECK(w.links_of("SB80001") == 30);
  CHECK(w.count("scan_events WHERE parent_code = 'SB80001'") == 64);
}

TEST_CASE("scan services: one child scanned into two parents at once ends in exactly one") {
  World w;
  REQUIRE_FALSE(w.parent(w.dispatcher, "SB90001").refusal);
  REQUIRE_FALSE(w.parent(w.dispatcher, "SB90002").refusal);
  for (int round = 0; round < 10; ++round) {
    const std::string code = "L-" + std::to_string(round);
    std::vector<services::ChildScan> results(2);
    std::vector<asio::awaitable<void>> scans;
    scans.push_back(scan_into(*w.db, w.dispatcher, "SB90001", code, w.settings, results[0]));
    scans.push_back(scan_into(*w.db, w.biller, "SB90002", code, w.settings, results[1]));
    auto errors = run_sync(run_all(std::move(scans)), std::chrono::seconds(60), 4);
    for (const auto& e : errors) CHECK_MESSAGE(!e, what(e));
    const int linked = (results[0].result == ScanResult::linked) + (results[1].result == ScanResult::linked);
    CHECK(linked == 1);
    const int elsewhere =
        (results[0].reason == Rejection::linked_elsewhere) + (results[1].reason == Rejection::linked_elsewhere);
    CHECK(elsewhere == 1);
    CHECK(w.count("links l JOIN bags c ON c.id = l.child_id WHERE c.code = $1", params(code)) == 1);
    CHECK(w.count("bags WHERE code = $1", params(code)) == 1);
  }
}
