// Bills over HTTP (SPEC §3.4, §4): create, list, detail, edit, fill, remove, complete, reopen,
// delete, with the role of each.
#include <doctest/doctest.h>

#include <string>

#include "depot_fixture.hpp"

using namespace tt::test;

namespace {

json bill(const std::string& code, int capacity) {
  return {{"code", code}, {"description", "Rice"}, {"destination", "Kanpur"}, {"vehicle", "UP32 AB 1"},
          {"capacity", capacity}};
}

void parents(Depot& d, std::initializer_list<const char*> codes) {
  for (const char* c : codes) REQUIRE(d.call("POST", "/api/v1/scans/parent", d.biller, {{"code", c}}).status == 201);
}

}  // namespace

TEST_CASE("POST /bills creates a bill for billers and admins, validating every field") {
  Depot d;
  auto created = d.call("POST", "/api/v1/bills", d.biller, bill("lko-2025-11-25", 10));
  REQUIRE(created.status == 201);
  auto j = created.json();
  CHECK(j["code"] == "LKO-2025-11-25");
  CHECK(j["status"] == "open");
  CHECK(j["capacity"] == 10);
  CHECK(j["parent_count"] == 0);
  CHECK(j["variance_kg"] == 0.0);
  check_error(d.call("POST", "/api/v1/bills", d.biller, bill("LKO-2025-11-25", 10)), 409, "bill_exists");
  check_error(d.call("POST", "/api/v1/bills", d.dispatcher, bill("LKO-2", 10)), 403, "forbidden");
  check_error(d.call("POST", "/api/v1/bills", d.biller, bill("AB", 10)), 422, "invalid_code");
  check_error(d.call("POST", "/api/v1/bills", d.biller, bill(std::string(51, 'B'), 10)), 422, "invalid_code");
  check_error(d.call("POST", "/api/v1/bills", d.biller, bill("LKO-3", 0)), 422, "invalid_capacity");
  check_error(d.call("POST", "/api/v1/bills", d.biller, bill("LKO-3", 101)), 422, "invalid_capacity");
  check_error(d.call("POST", "/api/v1/bills", d.biller, {{"code", "LKO-3"}, {"capacity", 5}}), 400, "invalid_request");
  check_error(d.call("POST", "/api/v1/bills", d.biller, {{"code", "LKO-3"}, {"description", ""}, {"capacity", "5"}}),
              400, "invalid_request");
  check_error(d.call("POST", "/api/v1/bills", d.biller, {{"code", "LKO-3"}, {"description", ""}, {"capacity", 2.5}}),
              400, "invalid_request");
  check_error(d.call("POST", "/api/v1/bills", d.biller,
                     {{"code", "LKO-3"}, {"description", ""}, {"capacity", 5}, {"colour", "red"}}),
              400, "invalid_request");
  check_error(d.call("POST", "/api/v1/bills", d.biller, {{"code", "LKO-3"}, {"description", "a\nb"}, {"capacity", 5}}),
              422, "invalid_field");
  CHECK(d.call("POST", "/api/v1/bills", d.admin, bill("HQ-1", 100)).status == 201);
}

TEST_CASE("filling a bill: added, already on it, on another bill, full, completed, not a parent") {
  Depot d;
  parents(d, {"SB21000", "SB21001", "SB21002"});
  REQUIRE(d.call("POST", "/api/v1/bills", d.biller, bill("BILL-A", 2)).status == 201);
  REQUIRE(d.call("POST", "/api/v1/bills", d.biller, bill("BILL-B", 2)).status == 201);
  auto added = d.call("POST", "/api/v1/bills/bill-a/parents", d.biller, {{"code", "sb21000"}});
  REQUIRE(added.status == 201);
  CHECK(added.json()["result"] == "added");
  CHECK(added.json()["bill"]["parent_count"] == 1);
  CHECK(added.json()["bill"]["expected_weight_kg"] == 30.0);
  auto again = d.call("POST", "/api/v1/bills/BILL-A/parents", d.biller, {{"code", "SB21000"}});
  CHECK(again.status == 200);
  CHECK(again.json()["result"] == "already_on_bill");
  check_error(d.call("POST", "/api/v1/bills/BILL-B/parents", d.biller, {{"code", "SB21000"}}), 409, "on_another_bill");
  REQUIRE(d.call("POST", "/api/v1/bills/BILL-A/parents", d.biller, {{"code", "SB21001"}}).status == 201);
  check_error(d.call("POST", "/api/v1/bills/BILL-A/parents", d.biller, {{"code", "SB21002"}}), 409, "bill_full");
  REQUIRE(d.call("POST", "/api/v1/scans/child", d.biller, {{"parent", "SB21002"}, {"code", "CH-1"}}).status == 200);
  check_error(d.call("POST", "/api/v1/bills/BILL-B/parents", d.biller, {{"code", "CH-1"}}), 422, "not_a_parent");
  check_error(d.call("POST", "/api/v1/bills/BILL-B/parents", d.biller, {{"code", "SB29999"}}), 404, "not_found");
  check_error(d.call("POST", "/api/v1/bills/NO-BILL/parents", d.biller, {{"code", "SB21002"}}), 404, "not_found");
  check_error(d.call("POST", "/api/v1/bills/BILL-B/parents", d.biller, {{"code", 5}}), 400, "invalid_request");
  check_error(d.call("POST", "/api/v1/bills/BILL-B/parents", d.dispatcher, {{"code", "SB21002"}}), 403, "forbidden");

  auto removed = d.call("DELETE", "/api/v1/bills/BILL-A/parents/SB21001", d.biller);
  REQUIRE(removed.status == 200);
  CHECK(removed.json()["parent_count"] == 1);
  check_error(d.call("DELETE", "/api/v1/bills/BILL-A/parents/SB21001", d.biller), 404, "not_on_bill");
  CHECK(d.count("scan_events WHERE action = 'bill_add'") == 8);
}

TEST_CASE("GET /bills and /bills/{code}: figures derived from links; dispatchers see their area") {
  Depot d;
  parents(d, {"SB22000", "M444-22001"});
  for (int i = 1; i <= 5; ++i) {
    REQUIRE(d.call("POST", "/api/v1/scans/child", d.biller, {{"parent", "SB22000"}, {"code", "F-" + std::to_string(i)}})
                .status == 200);
  }
  REQUIRE(d.call("POST", "/api/v1/bills", d.biller, bill("BILL-F", 5)).status == 201);
  REQUIRE(d.call("POST", "/api/v1/bills", d.admin, bill("BILL-HQ", 5)).status == 201);
  for (const char* p : {"SB22000", "M444-22001"}) {
    REQUIRE(d.call("POST", "/api/v1/bills/BILL-F/parents", d.biller, {{"code", p}}).status == 201);
  }
  auto detail = d.call("GET", "/api/v1/bills/BILL-F", d.dispatcher);
  REQUIRE(detail.status == 200);
  auto j = detail.json();
  CHECK(j["parent_count"] == 2);
  CHECK(j["child_count"] == 5);
  CHECK(j["actual_weight_kg"] == 5.0);
  CHECK(j["expected_weight_kg"] == 45.0);
  CHECK(j["variance_kg"] == -40.0);
  REQUIRE(j["parents"].size() == 2);
  CHECK(j["parents"][0]["code"] == "SB22000");
  CHECK(j["parents"][0]["child_count"] == 5);

  auto all = d.call("GET", "/api/v1/bills", d.admin).json();
  CHECK(all["bills"].size() == 2);
  CHECK(d.call("GET", "/api/v1/bills?status=open&q=bill-f", d.admin).json()["bills"].size() == 1);
  CHECK(d.call("GET", "/api/v1/bills", d.dispatcher).json()["bills"].size() == 1);  // Lucknow's
  CHECK(d.call("GET", "/api/v1/bills", d.other_dispatcher).json()["bills"].size() == 0);
  check_error(d.call("GET", "/api/v1/bills/BILL-F", d.other_dispatcher), 404, "not_found");
  check_error(d.call("GET", "/api/v1/bills/NONE-1", d.admin), 404, "not_found");
  check_error(d.call("GET", "/api/v1/bills?status=shipped", d.admin), 400, "invalid_request");
}

TEST_CASE("PATCH /bills/{code}, complete, reopen and delete, with their roles") {
  Depot d;
  parents(d, {"SB23000", "SB23001"});
  REQUIRE(d.call("POST", "/api/v1/bills", d.biller, bill("BILL-L", 5)).status == 201);
  REQUIRE(d.call("POST", "/api/v1/bills/BILL-L/parents", d.biller, {{"code", "SB23000"}}).status == 201);
  REQUIRE(d.call("POST", "/api/v1/bills/BILL-L/parents", d.biller, {{"code", "SB23001"}}).status == 201);

  auto edited = d.call("PATCH", "/api/v1/bills/BILL-L", d.biller, {{"vehicle", nullptr}, {"capacity", 2}});
  REQUIRE(edited.status == 200);
  CHECK(edited.json()["vehicle"].is_null());
  CHECK(edited.json()["capacity"] == 2);
  check_error(d.call("PATCH", "/api/v1/bills/BILL-L", d.biller, {{"capacity", 1}}), 409, "capacity_too_small");
  check_error(d.call("PATCH", "/api/v1/bills/BILL-L", d.biller, json::object()), 400, "invalid_request");
  check_error(d.call("PATCH", "/api/v1/bills/BILL-L", d.biller, {{"capacity", "2"}}), 400, "invalid_request");
  check_error(d.call("PATCH", "/api/v1/bills/BILL-L", d.dispatcher, {{"capacity", 3}}), 403, "forbidden");

  check_error(d.call("POST", "/api/v1/bills/BILL-L/complete", d.dispatcher), 403, "forbidden");
  auto done = d.call("POST", "/api/v1/bills/BILL-L/complete", d.biller);
  REQUIRE(done.status == 200);
  CHECK(done.json()["status"] == "completed");
  CHECK(done.json()["completed_at"].is_string());
  check_error(d.call("POST", "/api/v1/bills/BILL-L/complete", d.biller), 409, "bill_completed");
  check_error(d.call("PATCH", "/api/v1/bills/BILL-L", d.biller, {{"description", "x"}}), 409, "bill_completed");
  check_error(d.call("DELETE", "/api/v1/bills/BILL-L/parents/SB23000", d.biller), 409, "bill_completed");
  check_error(d.call("POST", "/api/v1/scans/child", d.biller, {{"parent", "SB23000"}, {"code", "G-1"}}), 409,
              "bill_completed");

  check_error(d.call("POST", "/api/v1/bills/BILL-L/reopen", d.biller), 403, "forbidden");
  auto reopened = d.call("POST", "/api/v1/bills/BILL-L/reopen", d.admin);
  REQUIRE(reopened.status == 200);
  CHECK(reopened.json()["status"] == "open");
  check_error(d.call("POST", "/api/v1/bills/BILL-L/reopen", d.admin), 409, "bill_not_completed");

  check_error(d.call("DELETE", "/api/v1/bills/BILL-L", d.biller), 403, "forbidden");
  auto deleted = d.call("DELETE", "/api/v1/bills/BILL-L", d.admin);
  REQUIRE(deleted.status == 200);
  CHECK(deleted.json()["deleted"]["code"] == "BILL-L");
  check_error(d.call("GET", "/api/v1/bills/BILL-L", d.admin), 404, "not_found");
  CHECK(d.count("bags WHERE type = 'parent'") == 2);
  CHECK(d.count("audit_log WHERE entity = 'bill'") == 7);  // create, 2 adds, update, complete, reopen, delete
}

TEST_CASE("a parent scanned onto a bill and resent with its client_scan_id is added once") {
  Depot d;
  parents(d, {"SB21100", "SB21101"});
  REQUIRE(d.call("POST", "/api/v1/bills", d.biller, bill("BILL-R", 2)).status == 201);
  const json body{{"code", "SB21100"}, {"client_scan_id", "0192f8a4-6c1e-7b3d-9a5f-2e4c6b8d0b1f"}};
  auto first = d.call("POST", "/api/v1/bills/BILL-R/parents", d.biller, body);
  REQUIRE(first.status == 201);
  REQUIRE(d.call("POST", "/api/v1/bills/BILL-R/parents", d.biller, {{"code", "SB21101"}}).status == 201);
  auto again = d.call("POST", "/api/v1/bills/BILL-R/parents", d.biller, body);
  CHECK(again.status == 201);
  CHECK(again.body == first.body);  // parent_count 1, as answered the first time
  auto detail = d.call("GET", "/api/v1/bills/BILL-R", d.biller).json();
  CHECK(detail["parent_count"] == 2);
  auto bag = d.call("GET", "/api/v1/bags/SB21100", d.biller).json();
  int bill_scans = 0;
  for (const auto& h : bag["history"]) bill_scans += h["source"] == "scan" && h["action"] == "bill_add";
  CHECK(bill_scans == 1);
}
