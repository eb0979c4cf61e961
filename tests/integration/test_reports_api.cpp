// GET /api/v1/reports/{scans,bills}[.csv] (SPEC §3.6, §3.7) against the real server: the JSON
// of the /reports page and the CSV files, the depot's days (setting time_zone), the date and
// area checks, and the roles: billers and admins, never dispatchers.
#include <doctest/doctest.h>

#include <string>

#include "depot_fixture.hpp"
#include "support/csv_reader.hpp"
#include "util/time.hpp"

using namespace tt::test;

namespace {

std::string today_utc() { return tt::util::format_iso8601(tt::util::now_us()).substr(0, 10); }

void busy_day(Depot& d) {
  REQUIRE(d.call("POST", "/api/v1/scans/parent", d.dispatcher, {{"code", "SB42000"}}).status == 201);
  for (const char* child : {"REP-1", "REP-2", "REP-1"}) {
    REQUIRE(d.call("POST", "/api/v1/scans/child", d.dispatcher, {{"parent", "SB42000"}, {"code", child}}).status ==
            200);
  }
  REQUIRE(d.call("POST", "/api/v1/scans/child", d.dispatcher, {{"parent", "SB42000"}, {"code", "SB42001"}}).status ==
          422);
  REQUIRE(d.call("POST", "/api/v1/scans/parent", d.other_dispatcher, {{"code", "SB42100"}}).status == 201);
  REQUIRE(d.call("POST", "/api/v1/bills", d.biller, {{"code", "REP-BILL"}, {"description", "=1+2"}, {"capacity", 2}})
              .status == 201);
  REQUIRE(d.call("POST", "/api/v1/bills/REP-BILL/parents", d.biller, {{"code", "SB42000"}}).status == 201);
  REQUIRE(d.call("POST", "/api/v1/bills/REP-BILL/complete", d.biller).status == 200);
}

}  // namespace

TEST_CASE("GET /reports/scans: today's scans by outcome, hour, user and area, as JSON and CSV") {
  Depot d;
  busy_day(d);
  const std::string today = today_utc();
  auto r = d.call("GET", "/api/v1/reports/scans", d.biller);
  REQUIRE(r.status == 200);
  const json j = r.json();
  CHECK(j["date"] == today);
  CHECK(j["time_zone"] == "UTC");
  CHECK(j["area"].is_null());
  CHECK(j["hours"].size() == 24);
  CHECK(j["hours"][0]["label"] == "00:00");
  CHECK(j["hours"][0]["utc_offset"] == "+00:00");
  // Scans: 2 parents created, 2 linked, 1 already linked, 1 refused (a parent code as a child),
  // and the bill fill (linked to the bill, logged as a scan).
  const json& t = j["totals"];
  CHECK(t["created"] == 2);
  CHECK(t["already_linked"] == 1);
  CHECK(t["rejected"] == 1);
  CHECK(j["rejected_by_reason"] == json::array({{{"reason", "not_a_child"}, {"scans", 1}}}));
  std::int64_t by_hour = 0;
  for (const auto& h : j["hours"]) by_hour += h["scans"].get<std::int64_t>();
  CHECK(by_hour == t["scans"].get<std::int64_t>());
  CHECK(j["per_user"][0]["user"] == "dev");
  CHECK(j["per_area"].size() >= 2);

  const auto kanpur = d.call("GET", "/api/v1/reports/scans?date=" + today + "&area=kanpur", d.admin);
  REQUIRE(kanpur.status == 200);
  CHECK(kanpur.json()["area"] == "Kanpur");
  CHECK(kanpur.json()["totals"]["scans"] == 1);
  CHECK(kanpur.json()["totals"]["created"] == 1);

  auto csv = d.call("GET", "/api/v1/reports/scans.csv?date=" + today, d.biller);
  REQUIRE(csv.status == 200);
  CHECK(csv.header("content-type") == "text/csv; charset=utf-8");
  CHECK(csv.header("content-disposition") == "attachment; filename=\"tracetrack-scan-report-" + today + ".csv\"");
  const CsvRows rows = read_csv(csv.body);
  REQUIRE(rows.size() > 1);
  CHECK(rows[0] == std::vector<std::string>{"date", "hour", "hour_start", "user", "area", "outcome", "reason", "scans"});
  std::int64_t by_line = 0;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    CHECK(rows[i][0] == today);
    by_line += std::stoll(rows[i][7]);
  }
  CHECK(by_line == t["scans"].get<std::int64_t>());

  check_error(d.call("GET", "/api/v1/reports/scans?date=yesterday", d.biller), 400, "invalid_request");
  check_error(d.call("GET", "/api/v1/reports/scans?date=2026-11-29T10:00:00Z", d.biller), 400, "invalid_request");
  check_error(d.call("GET", "/api/v1/reports/scans?area=Agra", d.biller), 404, "not_found");
  check_error(d.call("GET", "/api/v1/reports/scans", d.dispatcher), 403, "forbidden");
  check_error(d.call("GET", "/api/v1/reports/scans.csv", d.other_dispatcher), 403, "forbidden");
}

TEST_CASE("GET /reports/scans: the day is the depot's (setting time_zone), +05:30 included") {
  Depot d;
  REQUIRE(d.call("PATCH", "/api/v1/settings", d.admin, {{"time_zone", "Asia/Kolkata"}}).status == 200);
  auto r = d.call("GET", "/api/v1/reports/scans?date=2026-11-29", d.admin);
  REQUIRE(r.status == 200);
  const json j = r.json();
  CHECK(j["time_zone"] == "Asia/Kolkata");
  CHECK(j["start"] == "2026-11-28T18:30:00.000000Z");
  CHECK(j["end"] == "2026-11-29T18:30:00.000000Z");
  CHECK(j["hours"].size() == 24);
  CHECK(j["hours"][1]["start"] == "2026-11-28T19:30:00.000000Z");
  CHECK(j["hours"][1]["label"] == "01:00");
  CHECK(j["hours"][1]["utc_offset"] == "+05:30");
  REQUIRE(d.call("PATCH", "/api/v1/settings", d.admin, {{"time_zone", "America/New_York"}}).status == 200);
  CHECK(d.call("GET", "/api/v1/reports/scans?date=2026-03-08", d.admin).json()["hours"].size() == 23);
  CHECK(d.call("GET", "/api/v1/reports/scans?date=2026-11-01", d.admin).json()["hours"].size() == 25);
}

TEST_CASE("GET /reports/bills: bills per day and per bill with their figures, as JSON and CSV") {
  Depot d;
  busy_day(d);
  const std::string today = today_utc();
  auto r = d.call("GET", "/api/v1/reports/bills", d.biller);
  REQUIRE(r.status == 200);
  const json j = r.json();
  CHECK(j["to"] == today);
  CHECK(j["days"].size() == 30);  // the last 30 days by default
  CHECK(j["days"].back()["date"] == today);
  CHECK(j["days"].back()["created"] == 1);
  CHECK(j["days"].back()["completed"] == 1);
  CHECK(j["totals"]["bills"] == 1);
  CHECK(j["totals"]["created"] == 1);
  CHECK(j["totals"]["completed"] == 1);
  REQUIRE(j["bills"].size() == 1);
  const json& b = j["bills"][0];
  const json page = d.call("GET", "/api/v1/bills/REP-BILL", d.biller).json();
  for (const char* figure : {"parent_count", "child_count", "actual_weight_kg", "expected_weight_kg", "variance_kg"}) {
    CHECK_MESSAGE(b[figure] == page[figure], figure);
  }
  CHECK(b["child_count"] == 2);
  CHECK(b["variance_kg"] == -28);
  CHECK(j["totals"]["variance_kg"] == -28);

  auto csv = d.call("GET", "/api/v1/reports/bills.csv?from=" + today + "&to=" + today, d.admin);
  REQUIRE(csv.status == 200);
  CHECK(csv.header("content-disposition") ==
        "attachment; filename=\"tracetrack-bills-summary-" + today + "-to-" + today + ".csv\"");
  const CsvRows rows = read_csv(csv.body);
  REQUIRE(rows.size() == 2);
  CHECK(rows[1][0] == "REP-BILL");
  CHECK(rows[1][1] == "'=1+2");  // guarded unless raw
  CHECK(rows[1][4] == "completed");
  CHECK(rows[1][11] == "-28");
  CHECK(read_csv(d.call("GET", "/api/v1/reports/bills.csv?raw=1&from=" + today, d.admin).body)[1][1] == "=1+2");
  CHECK(read_csv(d.call("GET", "/api/v1/reports/bills.csv?area=Kanpur", d.admin).body).size() == 1);

  check_error(d.call("GET", "/api/v1/reports/bills?from=2026-02-01&to=2026-01-01", d.biller), 400, "invalid_request");
  check_error(d.call("GET", "/api/v1/reports/bills?from=2024-01-01&to=2026-01-01", d.biller), 400, "invalid_request");
  check_error(d.call("GET", "/api/v1/reports/bills?to=soon", d.biller), 400, "invalid_request");
  check_error(d.call("GET", "/api/v1/reports/bills", d.dispatcher), 403, "forbidden");
  check_error(d.call("GET", "/api/v1/reports/bills.csv", d.dispatcher), 403, "forbidden");
}
