// Bags over HTTP (SPEC §3.3, §3.5, §4): detail, search, relink, unlink, moving a parent to another
// area, delete.
#include <doctest/doctest.h>

#include <string>

#include "depot_fixture.hpp"
#include "event_stream.hpp"
#include "util/time.hpp"

using namespace tt::test;

namespace {

void parent_with_children(Depot& d, const Credentials& who, const std::string& parent, int n,
                          const std::string& prefix) {
  REQUIRE(d.call("POST", "/api/v1/scans/parent", who, {{"code", parent}}).status == 201);
  for (int i = 1; i <= n; ++i) {
    REQUIRE(d.call("POST", "/api/v1/scans/child", who, {{"parent", parent}, {"code", prefix + std::to_string(i)}})
                .status == 200);
  }
}

}  // namespace

TEST_CASE("GET /bags/{code}: a parent with its children, a child with its parent, and history") {
  Depot d;
  parent_with_children(d, d.dispatcher, "SB11000", 2, "A-");
  auto p = d.call("GET", "/api/v1/bags/sb11000", d.dispatcher);
  REQUIRE(p.status == 200);
  auto j = p.json();
  CHECK(j["code"] == "SB11000");
  CHECK(j["status"] == "in_progress");
  CHECK(j["child_count"] == 2);
  REQUIRE(j["children"].size() == 2);
  CHECK(j["children"][0]["code"] == "A-1");
  CHECK(j["children"][0]["linked_by"] == "dev");
  CHECK(j["weight_kg"] == 2.0);
  CHECK(j["expected_weight_kg"] == 30.0);
  CHECK(j["history"].size() == 4);  // parent scan, two child scans, creation

  auto c = d.call("GET", "/api/v1/bags/A-1", d.dispatcher).json();
  CHECK(c["type"] == "child");
  CHECK(c["parent"]["code"] == "SB11000");
  CHECK(c["weight_kg"] == 1.0);
  REQUIRE(c["history"].size() == 2);
  CHECK(c["history"][0]["at"].is_string());

  check_error(d.call("GET", "/api/v1/bags/NOPE-1", d.dispatcher), 404, "not_found");
  check_error(d.call("GET", "/api/v1/bags/A-1", d.other_dispatcher), 404, "not_found");
  check_error(d.call("GET", "/api/v1/bags/" + std::string(65, 'x'), d.dispatcher), 422, "invalid_code");
  check_error(d.call("GET", "/api/v1/bags/A%201", d.dispatcher), 422, "invalid_code");
  CHECK(d.call("GET", "/api/v1/bags/A-1", d.biller).status == 200);
}

TEST_CASE("GET /bags searches by code prefix or exact code, type, area, bill and dates, with pages") {
  Depot d;
  parent_with_children(d, d.dispatcher, "SB12000", 3, "B-");
  parent_with_children(d, d.other_dispatcher, "SB12001", 2, "K-");
  auto prefix = d.call("GET", "/api/v1/bags?q=b-", d.admin).json();
  REQUIRE(prefix["bags"].size() == 3);
  CHECK(prefix["bags"][0]["code"] == "B-1");
  CHECK(prefix["bags"][0]["parent"] == "SB12000");
  CHECK(prefix["has_more"] == false);
  CHECK(d.call("GET", "/api/v1/bags?q=B-1&exact=1", d.admin).json()["bags"].size() == 1);
  CHECK(d.call("GET", "/api/v1/bags?type=parent", d.admin).json()["bags"].size() == 2);
  CHECK(d.call("GET", "/api/v1/bags?area=Kanpur", d.admin).json()["bags"].size() == 3);
  CHECK(d.call("GET", "/api/v1/bags", d.dispatcher).json()["bags"].size() == 4);  // Lucknow only
  CHECK(d.call("GET", "/api/v1/bags?area=Kanpur", d.dispatcher).json()["bags"].size() == 0);
  auto page = d.call("GET", "/api/v1/bags?per_page=2&page=2", d.admin).json();
  CHECK(page["bags"].size() == 2);
  CHECK(page["page"] == 2);
  CHECK(page["has_more"] == true);
  CHECK(d.call("GET", "/api/v1/bags?from=2000-01-01&to=2000-01-02", d.admin).json()["bags"].size() == 0);
  CHECK(d.call("GET", "/api/v1/bags?from=2000-01-01", d.admin).json()["bags"].size() == 7);

  REQUIRE(d.call("POST", "/api/v1/bills", d.biller, {{"code", "BILL-S"}, {"description", ""}, {"capacity", 1}}).status ==
          201);
  REQUIRE(d.call("POST", "/api/v1/bills/BILL-S/parents", d.biller, {{"code", "SB12000"}}).status == 201);
  CHECK(d.call("GET", "/api/v1/bags?bill=bill-s", d.admin).json()["bags"].size() == 4);

  check_error(d.call("GET", "/api/v1/bags?type=box", d.admin), 400, "invalid_request");
  check_error(d.call("GET", "/api/v1/bags?page=0", d.admin), 400, "invalid_request");
  check_error(d.call("GET", "/api/v1/bags?per_page=1000", d.admin), 400, "invalid_request");
  check_error(d.call("GET", "/api/v1/bags?from=yesterday", d.admin), 400, "invalid_request");
  check_error(d.call("GET", "/api/v1/bags?q=a%20b", d.admin), 422, "invalid_code");
}

// SPEC §3.5: a date is the whole day in the depot's time zone, both ends included. The day is taken
// from the bag's own created_at, so the test holds at any hour, even across midnight.
TEST_CASE("GET /bags?from=D&to=D finds a bag created on day D, in the depot's time zone") {
  Depot d;
  REQUIRE(d.call("POST", "/api/v1/scans/parent", d.dispatcher, {{"code", "SB14100"}}).status == 201);
  const std::string created = d.call("GET", "/api/v1/bags/SB14100", d.admin).json()["created_at"];
  const std::string today = created.substr(0, 10);  // UTC, the default time zone
  const std::int64_t at = *tt::util::parse_iso8601(created);
  const std::string yesterday = tt::util::format_iso8601(at - 86400LL * 1000000).substr(0, 10);
  const std::string tomorrow = tt::util::format_iso8601(at + 86400LL * 1000000).substr(0, 10);
  auto found = [&](const std::string& query) {
    return d.call("GET", "/api/v1/bags?q=SB14100&" + query, d.admin).json()["bags"].size();
  };
  CHECK(found("from=" + today + "&to=" + today) == 1);
  CHECK(found("from=" + yesterday + "&to=" + today) == 1);
  CHECK(found("to=" + today) == 1);
  CHECK(found("from=" + today) == 1);
  CHECK(found("from=" + tomorrow) == 0);
  CHECK(found("to=" + yesterday) == 0);
  // A timestamp is that instant, included at either end.
  CHECK(found("from=" + created + "&to=" + created) == 1);
  CHECK(found("from=" + tt::util::format_iso8601(at + 1)) == 0);
  check_error(d.call("GET", "/api/v1/bags?to=" + today + "T10:00:00", d.admin), 400, "invalid_request");

  // Fourteen hours east of UTC the bag's day is the UTC date of created_at + 14 h.
  REQUIRE(d.call("PATCH", "/api/v1/settings", d.admin, {{"time_zone", "Pacific/Kiritimati"}}).status == 200);
  const std::string local_day = tt::util::format_iso8601(at + 14LL * 3600 * 1000000).substr(0, 10);
  CHECK(found("from=" + local_day + "&to=" + local_day) == 1);
  if (local_day != today) CHECK(found("from=" + today + "&to=" + today) == 0);
  check_error(d.call("PATCH", "/api/v1/settings", d.admin, {{"time_zone", "Mars/Olympus"}}), 422, "invalid_setting");
}

TEST_CASE("POST /bags/{code}/relink moves a child; DELETE /bags/{code}/link frees it") {
  Depot d;
  parent_with_children(d, d.dispatcher, "SB13000", 2, "C-");
  parent_with_children(d, d.dispatcher, "SB13001", 30, "D-");
  REQUIRE(d.call("POST", "/api/v1/scans/parent", d.dispatcher, {{"code", "SB13002"}}).status == 201);
  auto moved = d.call("POST", "/api/v1/bags/C-1/relink", d.dispatcher, {{"parent", "SB13002"}});
  REQUIRE(moved.status == 200);
  CHECK(moved.json()["result"] == "relinked");
  CHECK(moved.json()["previous_parent"] == "SB13000");
  CHECK(moved.json()["parent"] == "SB13002");
  CHECK(d.call("POST", "/api/v1/bags/C-1/relink", d.dispatcher, {{"parent", "SB13002"}}).json()["result"] ==
        "already_linked");
  check_error(d.call("POST", "/api/v1/bags/C-2/relink", d.dispatcher, {{"parent", "SB13001"}}), 409, "parent_full");
  check_error(d.call("POST", "/api/v1/bags/C-2/relink", d.dispatcher, {{"parent", "SB19999"}}), 404, "not_found");
  check_error(d.call("POST", "/api/v1/bags/SB13000/relink", d.dispatcher, {{"parent", "SB13002"}}), 422,
              "not_a_child");
  check_error(d.call("POST", "/api/v1/bags/C-2/relink", d.dispatcher, {{"parent", 1}}), 400, "invalid_request");
  check_error(d.call("POST", "/api/v1/bags/C-2/relink", d.dispatcher, json::object()), 400, "invalid_request");
  check_error(d.call("POST", "/api/v1/bags/C-2/relink", d.other_dispatcher, {{"parent", "SB13002"}}), 404,
              "not_found");

  auto freed = d.call("DELETE", "/api/v1/bags/C-2/link", d.dispatcher);
  REQUIRE(freed.status == 200);
  CHECK(freed.json()["result"] == "unlinked");
  CHECK(freed.json()["previous_parent"] == "SB13000");
  check_error(d.call("DELETE", "/api/v1/bags/C-2/link", d.dispatcher), 409, "not_linked");
  check_error(d.call("DELETE", "/api/v1/bags/ZZ-1/link", d.dispatcher), 404, "not_found");
  CHECK(d.count("audit_log WHERE action IN ('relink', 'unlink')") == 2);
}

TEST_CASE("DELETE /bags/{code}: admins only; children are freed, never deleted") {
  Depot d;
  parent_with_children(d, d.dispatcher, "SB14000", 3, "E-");
  check_error(d.call("DELETE", "/api/v1/bags/SB14000", d.dispatcher), 403, "forbidden");
  check_error(d.call("DELETE", "/api/v1/bags/SB14000", d.biller), 403, "forbidden");
  auto deleted = d.call("DELETE", "/api/v1/bags/SB14000", d.admin);
  REQUIRE(deleted.status == 200);
  CHECK(deleted.json()["deleted"]["children_freed"] == 3);
  check_error(d.call("GET", "/api/v1/bags/SB14000", d.admin), 404, "not_found");
  auto child = d.call("GET", "/api/v1/bags/E-1", d.admin).json();
  CHECK(child["parent"].is_null());
  CHECK(d.count("bags") == 3);
  check_error(d.call("DELETE", "/api/v1/bags/SB14000", d.admin), 404, "not_found");
}

TEST_CASE("POST /bags/{code}/area: billers and admins move a parent and its children; both areas hear of it") {
  Depot d;
  parent_with_children(d, d.dispatcher, "SB15000", 2, "F-");
  parent_with_children(d, d.dispatcher, "SB15001", 1, "G-");
  REQUIRE(d.call("POST", "/api/v1/bills", d.biller, {{"code", "BILL-AREA"}, {"description", ""}, {"capacity", 1}})
              .status == 201);
  REQUIRE(d.call("POST", "/api/v1/bills/BILL-AREA/parents", d.biller, {{"code", "SB15001"}}).status == 201);
  EventStream lucknow(d.process->port(), d.dispatcher);
  EventStream kanpur(d.process->port(), d.other_dispatcher);
  EventStream everyone(d.process->port(), d.admin);
  REQUIRE(lucknow.wait_for(": connected"));
  REQUIRE(kanpur.wait_for(": connected"));
  REQUIRE(everyone.wait_for(": connected"));

  check_error(d.call("POST", "/api/v1/bags/SB15000/area", d.dispatcher, {{"area", "Kanpur"}}), 403, "forbidden");
  check_error(d.call("POST", "/api/v1/bags/SB15000/area", d.biller, json::object()), 400, "invalid_request");
  check_error(d.call("POST", "/api/v1/bags/F-1/area", d.biller, {{"area", "Kanpur"}}), 422, "not_a_parent");
  check_error(d.call("POST", "/api/v1/bags/SB15000/area", d.biller, {{"area", "Atlantis"}}), 422, "unknown_area");
  check_error(d.call("POST", "/api/v1/bags/SB15001/area", d.biller, {{"area", "Kanpur"}}), 409, "conflict");
  check_error(d.call("POST", "/api/v1/bags/NOPE-9/area", d.admin, {{"area", "Kanpur"}}), 404, "not_found");

  auto moved = d.call("POST", "/api/v1/bags/sb15000/area", d.biller, {{"area", "kanpur"}});
  REQUIRE(moved.status == 200);
  auto j = moved.json();
  CHECK(j["code"] == "SB15000");
  CHECK(j["from"] == "Lucknow");
  CHECK(j["to"] == "Kanpur");
  CHECK(j["children"] == 2);
  CHECK(j["moved"] == true);
  CHECK(lucknow.wait_for("event: area_transfer\n"));
  CHECK(kanpur.wait_for("event: area_transfer\n"));
  CHECK(kanpur.received().find("\"to\":\"Kanpur\"") != std::string::npos);
  // One event about two areas: who sees every area hears it once. (The scan after it is a marker:
  // the stream is in order, so once it arrives any second copy would have too.)
  REQUIRE(d.call("POST", "/api/v1/scans/parent", d.dispatcher, {{"code", "SB15009"}}).status == 201);
  REQUIRE(everyone.wait_for("event: scan\n"));
  const std::string& all = everyone.received();
  const auto first = all.find("event: area_transfer\n");
  REQUIRE(first != std::string::npos);
  CHECK(all.find("event: area_transfer\n", first + 1) == std::string::npos);

  // The bag and its children are Kanpur's now: its dispatcher sees them, Lucknow's no longer.
  CHECK(d.call("GET", "/api/v1/bags/F-2", d.other_dispatcher).status == 200);
  check_error(d.call("GET", "/api/v1/bags/SB15000", d.dispatcher), 404, "not_found");
  auto history = d.call("GET", "/api/v1/bags/SB15000", d.admin).json()["history"];
  REQUIRE(history.size() >= 1);
  CHECK(history[0]["action"] == "area_transfer");
  CHECK(history[0]["before"]["area"] == "Lucknow");
  CHECK(history[0]["after"]["area"] == "Kanpur");
  CHECK(history[0]["after"]["children"] == 2);

  // Asked again: nothing changes.
  auto again = d.call("POST", "/api/v1/bags/SB15000/area", d.admin, {{"area", "Kanpur"}});
  REQUIRE(again.status == 200);
  CHECK(again.json()["moved"] == false);
}
