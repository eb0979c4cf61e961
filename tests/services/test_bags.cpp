// Bag detail, history and search over the storage interface (SPEC §3.5).
#include <doctest/doctest.h>

#include <string>

#include "domain_world.hpp"
#include "util/time.hpp"

using namespace tt;
using namespace tt::test;

namespace {

services::BagDetail get(World& w, const Caller& c, std::string code) {
  auto s = w.settings;
  return run_sync(w.db->read(storage::job(services::get_bag, c, code, s)));
}

services::BagPage search(World& w, const Caller& c, services::BagSearch q) {
  return run_sync(w.db->read(storage::job(services::search_bags, c, q)));
}

std::vector<std::string> codes(const services::BagPage& p) {
  std::vector<std::string> out;
  for (const auto& b : p.bags) out.push_back(b.code);
  return out;
}

}  // namespace

TEST_CASE("bag services: a parent's page shows its children, bill, weight and history") {
  World w;
  w.fill(w.dispatcher, "SB12121", 3, "A");
  w.child(w.dispatcher, "SB12121", "A-1");  // a double scan, in the history too
  auto p = get(w, w.dispatcher, "sb12121");
  CHECK(p.type == "parent");
  CHECK(p.kind == "SB");
  CHECK(p.area == "Lucknow");
  CHECK(p.created_by == "dev");
  REQUIRE(p.children.size() == 3);
  CHECK(p.children[0].code == "A-1");
  CHECK(p.children[0].linked_by == "dev");
  CHECK_FALSE(p.parent);
  CHECK_FALSE(p.bill);
  CHECK(p.weight_kg == 3.0);
  CHECK(p.expected_weight_kg == 30.0);
  // scan_parent + 3 links + 1 double scan, and the bag_create audit entry.
  CHECK(p.history.size() == 6);
  for (std::size_t i = 1; i < p.history.size(); ++i) CHECK(p.history[i - 1].at >= p.history[i].at);
}

TEST_CASE("bag services: a child's page shows its parent, the parent's bill and its history") {
  World w;
  w.fill(w.biller, "SB12122", 1, "B");
  w.bill(w.biller, "BILL-B", 3, {"SB12122"});
  auto c = get(w, w.biller, "B-1");
  CHECK(c.type == "child");
  REQUIRE(c.parent);
  CHECK(c.parent->code == "SB12122");
  REQUIRE(c.bill);
  CHECK(c.bill->code == "BILL-B");
  CHECK(domain::to_string(c.bill->status) == "open");
  CHECK(c.weight_kg == 1.0);
  REQUIRE(c.history.size() == 2);  // the scan and the link audit entry
  bool scan = false, audit = false;
  for (const auto& h : c.history) {
    scan = scan || (h.source == "scan" && h.action == "scan_child" && h.result == "linked");
    audit = audit || (h.source == "audit" && h.action == "link");
  }
  CHECK(scan);
  CHECK(audit);
}

TEST_CASE("bag services: unknown bags, invalid codes and other areas' bags are not found") {
  World w;
  w.fill(w.other_dispatcher, "SB12123", 1, "C");  // Kanpur
  CHECK(error_code([&] { get(w, w.dispatcher, "SB12123"); }) == "not_found");
  CHECK(error_code([&] { get(w, w.dispatcher, "C-1"); }) == "not_found");
  CHECK(error_code([&] { get(w, w.dispatcher, "NOPE"); }) == "not_found");
  CHECK(error_code([&] { get(w, w.dispatcher, std::string(65, 'x')); }) == "invalid_code");
  CHECK(get(w, w.biller, "C-1").code == "C-1");
  CHECK(get(w, w.other_dispatcher, "C-1").code == "C-1");
}

TEST_CASE("bag services: search by exact code and by prefix, ordered by code") {
  World w;
  w.fill(w.dispatcher, "SB13000", 3, "P1");
  w.fill(w.dispatcher, "SB13001", 2, "P2");
  services::BagSearch q;
  q.code = "P1";
  CHECK(codes(search(w, w.dispatcher, q)) == std::vector<std::string>{"P1-1", "P1-2", "P1-3"});
  q.code = "SB1300";
  CHECK(codes(search(w, w.dispatcher, q)) == std::vector<std::string>{"SB13000", "SB13001"});
  q.code = "P1-2";
  q.exact = true;
  auto exact = search(w, w.dispatcher, q);
  REQUIRE(exact.bags.size() == 1);
  CHECK(exact.bags[0].parent == "SB13000");
  CHECK(exact.bags[0].type == "child");
  q.code = "SB13000";
  auto parent = search(w, w.dispatcher, q);
  REQUIRE(parent.bags.size() == 1);
  CHECK(parent.bags[0].child_count == 3);
  q.code = "P1-";
  CHECK(search(w, w.dispatcher, q).bags.empty());  // exact
}

TEST_CASE("bag services: search filters by type, area, bill and date, with pages") {
  World w;
  w.fill(w.dispatcher, "SB14000", 4, "Q");
  w.fill(w.other_dispatcher, "SB14001", 2, "R");
  services::BagSearch q;
  q.type = "parent";
  CHECK(search(w, w.admin, q).bags.size() == 2);
  q.type.reset();
  q.area = "kanpur";
  CHECK(codes(search(w, w.admin, q)).size() == 3);
  // A dispatcher only ever sees their own area, whatever they ask for.
  CHECK(search(w, w.dispatcher, q).bags.empty());
  q.area.reset();
  CHECK(search(w, w.dispatcher, q).bags.size() == 5);

  w.bill(w.biller, "BILL-Q", 3, {"SB14000"});
  services::BagSearch by_bill;
  by_bill.bill = "BILL-Q";
  CHECK(search(w, w.admin, by_bill).bags.size() == 5);  // the parent and its 4 children

  services::BagSearch pages;
  pages.per_page = 3;
  auto first = search(w, w.admin, pages);
  CHECK(first.bags.size() == 3);
  CHECK(first.has_more);
  pages.page = 3;
  auto last = search(w, w.admin, pages);
  CHECK(last.bags.size() == 2);  // 8 bags: 3 + 3 + 2
  CHECK_FALSE(last.has_more);

  services::BagSearch future;
  future.from = util::now_us() + 3600LL * 1000000;
  CHECK(search(w, w.admin, future).bags.empty());
  services::BagSearch past;
  past.to = util::now_us() + 3600LL * 1000000;
  CHECK(search(w, w.admin, past).bags.size() == 8);
}
