// Scanning over HTTP (SPEC §3.1-§3.3, §4): POST /scans/parent, /scans/child, /scans/undo, with
// every answer and error code.
#include <doctest/doctest.h>

#include <string>

#include "depot_fixture.hpp"

using namespace tt::test;

namespace {

HttpResponse scan_parent(Depot& d, const Credentials& who, const json& body) {
  return d.call("POST", "/api/v1/scans/parent", who, body);
}
HttpResponse scan_child(Depot& d, const Credentials& who, const std::string& parent, const std::string& code) {
  return d.call("POST", "/api/v1/scans/child", who, {{"parent", parent}, {"code", code}});
}

}  // namespace

TEST_CASE("POST /scans/parent creates a parent (201), then finds it (200), with its detail") {
  Depot d;
  auto created = scan_parent(d, d.dispatcher, {{"code", " sb12345 "}});
  REQUIRE(created.status == 201);
  auto j = created.json();
  CHECK(j["code"] == "SB12345");
  CHECK(j["type"] == "parent");
  CHECK(j["kind"] == "SB");
  CHECK(j["area"] == "Lucknow");
  CHECK(j["status"] == "pending");
  CHECK(j["child_count"] == 0);
  CHECK(j["capacity"] == 30);
  CHECK(j["children"] == json::array());
  CHECK(j["bill"].is_null());
  CHECK(j["weight_kg"] == 0.0);
  CHECK(j["created"] == true);
  auto found = scan_parent(d, d.dispatcher, {{"code", "SB12345"}});
  CHECK(found.status == 200);
  CHECK(found.json()["created"] == false);
}

TEST_CASE("POST /scans/parent refuses invalid input with clear errors") {
  Depot d;
  check_error(scan_parent(d, d.dispatcher, {{"code", "CH-1"}}), 422, "not_a_parent");
  check_error(scan_parent(d, d.dispatcher, {{"code", ""}}), 422, "invalid_code");
  check_error(scan_parent(d, d.dispatcher, {{"code", std::string(65, 'S')}}), 422, "invalid_code");
  check_error(scan_parent(d, d.dispatcher, {{"code", "SB\xc3\xa9" "1234"}}), 422, "invalid_code");
  check_error(scan_parent(d, d.dispatcher, {{"code", 12345}}), 400, "invalid_request");
  check_error(scan_parent(d, d.dispatcher, json::object()), 400, "invalid_request");
  check_error(scan_parent(d, d.dispatcher, {{"code", "SB12345"}, {"extra", "x"}}), 400, "invalid_request");
  check_error(scan_parent(d, d.dispatcher, json::array()), 400, "invalid_json");
  auto c = d.client();
  check_error(c.request("POST", "/api/v1/scans/parent", "", d.dispatcher.headers), 400, "invalid_json");
  check_error(c.request("POST", "/api/v1/scans/parent", "{\"code\":", d.dispatcher.headers), 400, "invalid_json");
  check_error(c.request("POST", "/api/v1/scans/parent", "{\"code\":\"SB12345\"}"), 401, "unauthenticated");
  // The other area's parent is invisible.
  REQUIRE(scan_parent(d, d.other_dispatcher, {{"code", "SB00009"}}).status == 201);
  check_error(scan_parent(d, d.dispatcher, {{"code", "SB00009"}}), 404, "not_found");
}

TEST_CASE("POST /scans/child links, answers already_linked for a double scan, and fills to 30") {
  Depot d;
  REQUIRE(scan_parent(d, d.dispatcher, {{"code", "SB10000"}}).status == 201);
  for (int i = 1; i <= 29; ++i) REQUIRE(scan_child(d, d.dispatcher, "SB10000", "C-" + std::to_string(i)).status == 200);
  auto thirtieth = scan_child(d, d.dispatcher, "sb10000", "c-30");
  REQUIRE(thirtieth.status == 200);
  auto j = thirtieth.json();
  CHECK(j["result"] == "linked");
  CHECK(j["child_count"] == 30);
  CHECK(j["capacity"] == 30);
  CHECK(j["parent"] == "SB10000");
  CHECK(j["code"] == "C-30");
  auto twice = scan_child(d, d.dispatcher, "SB10000", "C-30");
  CHECK(twice.status == 200);
  CHECK(twice.json()["result"] == "already_linked");
  CHECK(twice.json()["child_count"] == 30);
  auto full = scan_child(d, d.dispatcher, "SB10000", "C-31");
  check_error(full, 409, "parent_full");
  CHECK(full.json()["error"]["message"] == "Parent bag SB10000 is full: it holds 30 of 30 children.");
  auto parent = d.call("GET", "/api/v1/bags/SB10000", d.dispatcher);
  CHECK(parent.json()["status"] == "completed");
  CHECK(parent.json()["child_count"] == 30);
  CHECK(d.count("links") == 30);
}

TEST_CASE("POST /scans/child refusals: linked_elsewhere, not_a_child, invalid_code, not_found, bill_completed") {
  Depot d;
  for (const char* p : {"SB20000", "SB20001"}) REQUIRE(scan_parent(d, d.biller, {{"code", p}}).status == 201);
  REQUIRE(scan_child(d, d.biller, "SB20000", "E-1").status == 200);
  auto elsewhere = scan_child(d, d.biller, "SB20001", "E-1");
  check_error(elsewhere, 409, "linked_elsewhere");
  CHECK(elsewhere.json()["error"]["message"].get<std::string>().find("SB20000") != std::string::npos);
  check_error(scan_child(d, d.biller, "SB20000", "M444-00001"), 422, "not_a_child");
  check_error(scan_child(d, d.biller, "E-1", "E-2"), 422, "not_a_parent");
  check_error(scan_child(d, d.biller, "SB29999", "E-2"), 404, "not_found");
  check_error(scan_child(d, d.biller, "SB20000", "E 2"), 422, "invalid_code");
  check_error(scan_child(d, d.biller, "SB20000", std::string(65, 'e')), 422, "invalid_code");
  check_error(scan_child(d, d.biller, "SB20000", "\xe2\x82\xac"), 422, "invalid_code");
  CHECK(scan_child(d, d.biller, "SB20000", std::string(64, 'e')).status == 200);
  check_error(d.call("POST", "/api/v1/scans/child", d.biller, {{"parent", "SB20000"}, {"code", 7}}), 400,
              "invalid_request");
  check_error(d.call("POST", "/api/v1/scans/child", d.biller, {{"parent", "SB20000"}}), 400, "invalid_request");
  check_error(d.call("POST", "/api/v1/scans/child", d.biller, {{"parent", nullptr}, {"code", "E-3"}}), 400,
              "invalid_request");
  // Every attempt is in the scan log, refused or not.
  CHECK(d.count("scan_events WHERE action = 'scan_child'") == 9);

  REQUIRE(d.call("POST", "/api/v1/bills", d.biller, {{"code", "BILL-X"}, {"description", ""}, {"capacity", 2}}).status ==
          201);
  REQUIRE(d.call("POST", "/api/v1/bills/BILL-X/parents", d.biller, {{"code", "SB20000"}}).status == 201);
  REQUIRE(d.call("POST", "/api/v1/bills/BILL-X/complete", d.biller).status == 200);
  check_error(scan_child(d, d.biller, "SB20000", "E-9"), 409, "bill_completed");
}

TEST_CASE("POST /scans/child: a dispatcher works only in their own area") {
  Depot d;
  REQUIRE(scan_parent(d, d.other_dispatcher, {{"code", "SB30000"}}).status == 201);
  check_error(scan_child(d, d.dispatcher, "SB30000", "F-1"), 404, "not_found");
  CHECK(scan_child(d, d.other_dispatcher, "SB30000", "F-1").status == 200);
  CHECK(scan_child(d, d.admin, "SB30000", "F-2").status == 200);
}

TEST_CASE("POST /scans/undo removes the caller's most recent link") {
  Depot d;
  REQUIRE(scan_parent(d, d.dispatcher, {{"code", "SB40000"}}).status == 201);
  REQUIRE(scan_child(d, d.dispatcher, "SB40000", "G-1").status == 200);
  REQUIRE(scan_child(d, d.dispatcher, "SB40000", "G-2").status == 200);
  auto undone = d.call("POST", "/api/v1/scans/undo", d.dispatcher);
  REQUIRE(undone.status == 200);
  CHECK(undone.json()["result"] == "undone");
  CHECK(undone.json()["code"] == "G-2");
  CHECK(undone.json()["previous_parent"] == "SB40000");
  CHECK(undone.json()["child_count"] == 1);
  check_error(d.call("POST", "/api/v1/scans/undo", d.other_dispatcher), 404, "nothing_to_undo");
  CHECK(d.count("audit_log WHERE action = 'undo'") == 1);
}

TEST_CASE("scans work with a browser session too, which needs its CSRF token") {
  Depot d;
  auto c = d.client();
  const auto session = sign_in(c, "dev", "depot-user-password");
  CHECK(d.call(c, "POST", "/api/v1/scans/parent", session, {{"code", "SB50000"}}).status == 201);
  Credentials no_csrf{{session.headers[0]}};
  check_error(d.call(c, "POST", "/api/v1/scans/child", no_csrf, {{"parent", "SB50000"}, {"code", "H-1"}}), 403,
              "csrf_failed");
  CHECK(d.call(c, "POST", "/api/v1/scans/child", session, {{"parent", "SB50000"}, {"code", "H-1"}}).status == 200);
}

TEST_CASE("a scan resent with its client_scan_id gets the first answer, byte for byte, and is logged once") {
  Depot d;
  const std::string id = "0192F8A4-6C1E-7B3D-9A5F-2E4C6B8D0A1F";  // any case: one id
  const std::string lower = "0192f8a4-6c1e-7b3d-9a5f-2e4c6b8d0a1f";
  auto parent = scan_parent(d, d.dispatcher, {{"code", "SB30001"}, {"client_scan_id", id}});
  REQUIRE(parent.status == 201);
  auto parent_again = scan_parent(d, d.dispatcher, {{"code", "SB30001"}, {"client_scan_id", lower}});
  CHECK(parent_again.status == 201);
  CHECK(parent_again.body == parent.body);

  const std::string child_id = "0192f8a4-6c1e-7b3d-9a5f-2e4c6b8d0a2f";
  const json body{{"parent", "SB30001"}, {"code", "CS30001"}, {"client_scan_id", child_id}};
  auto first = d.call("POST", "/api/v1/scans/child", d.dispatcher, body);
  REQUIRE(first.status == 200);
  CHECK(first.json()["result"] == "linked");
  REQUIRE(scan_child(d, d.dispatcher, "SB30001", "CS30002").status == 200);
  auto again = d.call("POST", "/api/v1/scans/child", d.dispatcher, body);
  CHECK(again.status == 200);
  CHECK(again.body == first.body);  // child_count 1, as answered the first time
  CHECK(again.json()["child_count"] == 1);
  auto bag = d.call("GET", "/api/v1/bags/CS30001", d.dispatcher);
  REQUIRE(bag.status == 200);
  const json detail = bag.json();
  int scans = 0;
  for (const auto& h : detail["history"]) scans += h["source"] == "scan" ? 1 : 0;
  CHECK(scans == 1);

  // A refusal is replayed as it was, even once the cause is gone.
  const json refused{{"parent", "SB30009"}, {"code", "CS30003"}, {"client_scan_id", "0192f8a4-6c1e-7b3d-9a5f-2e4c6b8d0a3f"}};
  check_error(d.call("POST", "/api/v1/scans/child", d.dispatcher, refused), 404, "not_found");
  REQUIRE(scan_parent(d, d.dispatcher, {{"code", "SB30009"}}).status == 201);
  check_error(d.call("POST", "/api/v1/scans/child", d.dispatcher, refused), 404, "not_found");

  check_error(d.call("POST", "/api/v1/scans/child", d.dispatcher,
                     {{"parent", "SB30001"}, {"code", "CS30004"}, {"client_scan_id", "scan-1"}}),
              400, "invalid_request");
  check_error(d.call("POST", "/api/v1/scans/child", d.dispatcher,
                     {{"parent", "SB30001"}, {"code", "CS30004"}, {"client_scan_id", 7}}),
              400, "invalid_request");
}
