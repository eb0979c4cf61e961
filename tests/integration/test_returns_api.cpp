// Return tickets over HTTP (SPEC §3.8): open, scan bags with the scan answers' shape and replay,
// commit, and what the bill, the bag's history and the ticket show afterwards.
#include <doctest/doctest.h>

#include <string>

#include "depot_fixture.hpp"

using namespace tt::test;

TEST_CASE("returns over HTTP: open, scan, commit; the bill's figures drop and its page lists the return") {
  Depot d;
  REQUIRE(d.call("POST", "/api/v1/scans/parent", d.biller, {{"code", "SB62001"}}).status == 201);
  for (const char* child : {"RT-1", "RT-2"}) {
    REQUIRE(d.call("POST", "/api/v1/scans/child", d.biller, {{"parent", "SB62001"}, {"code", child}}).status == 200);
  }
  REQUIRE(d.call("POST", "/api/v1/bills", d.biller, {{"code", "BILL-62"}, {"description", "x"}, {"capacity", 3}}).status == 201);
  REQUIRE(d.call("POST", "/api/v1/bills/BILL-62/parents", d.biller, {{"code", "SB62001"}}).status == 201);

  auto opened = d.call("POST", "/api/v1/returns", d.biller, {{"code", "ret-62"}, {"note", "dealer 7"}});
  REQUIRE(opened.status == 201);
  CHECK(opened.json()["code"] == "RET-62");
  CHECK(opened.json()["area"] == "Lucknow");
  check_error(d.call("POST", "/api/v1/returns", d.biller, {{"code", "RET-62"}}), 409, "return_exists");

  const std::string id = "0192f3a4-0000-7000-8000-000000000062";
  auto added = d.call("POST", "/api/v1/returns/RET-62/bags", d.biller, {{"code", "sb62001"}, {"client_scan_id", id}});
  REQUIRE(added.status == 201);
  CHECK(added.json()["result"] == "added");
  // The same physical scan again: the first answer, nothing logged twice.
  auto replay = d.call("POST", "/api/v1/returns/RET-62/bags", d.biller, {{"code", "sb62001"}, {"client_scan_id", id}});
  CHECK(replay.status == 201);
  CHECK(replay.body == added.body);
  CHECK(d.count("scan_events WHERE action = 'return'") == 1);
  auto again = d.call("POST", "/api/v1/returns/RET-62/bags", d.biller, {{"code", "SB62001"}});
  CHECK(again.status == 200);
  CHECK(again.json()["result"] == "already_on_ticket");
  check_error(d.call("POST", "/api/v1/returns/RET-62/bags", d.biller, {{"code", "RT-1"}}), 422, "not_a_parent");
  check_error(d.call("GET", "/api/v1/returns/RET-62", d.dispatcher), 403, "forbidden");

  auto ticket = d.call("GET", "/api/v1/returns/RET-62", d.biller).json();
  REQUIRE(ticket["bags"].size() == 1);
  CHECK(ticket["bags"][0]["bill"] == "BILL-62");
  CHECK(ticket["bags"][0]["child_count"] == 2);

  auto committed = d.call("POST", "/api/v1/returns/RET-62/commit", d.biller);
  REQUIRE(committed.status == 200);
  CHECK(committed.json()["status"] == "committed");
  CHECK(committed.json()["bags"][0]["children"] == nlohmann::json::array({"RT-1", "RT-2"}));
  auto bill = d.call("GET", "/api/v1/bills/BILL-62", d.biller).json();
  CHECK(bill["parent_count"] == 0);
  REQUIRE(bill["returns"].size() == 1);
  CHECK(bill["returns"][0]["ticket"] == "RET-62");
  CHECK(bill["returns"][0]["child_count"] == 2);
  auto bag = d.call("GET", "/api/v1/bags/SB62001", d.biller).json();
  bool returned = false;
  for (const auto& h : bag["history"]) returned = returned || h["action"] == "bill_return";
  CHECK(returned);
  check_error(d.call("POST", "/api/v1/returns/RET-62/cancel", d.biller), 409, "ticket_closed");
  auto list = d.call("GET", "/api/v1/returns?status=committed", d.admin).json();
  REQUIRE(list["returns"].size() == 1);
  CHECK(list["returns"][0]["bag_count"] == 1);
  check_error(d.call("GET", "/api/v1/returns?status=lost", d.admin), 400, "invalid_request");
}
