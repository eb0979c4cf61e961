// Dashboard, settings and live events over HTTP (SPEC §3.6, §4): GET /stats, GET/PATCH /settings,
// GET /events (server-sent events).
#include <doctest/doctest.h>


#include <chrono>
#include <stdexcept>
#include <set>
#include <string>

#include "depot_fixture.hpp"
#include "event_stream.hpp"

using namespace tt::test;


TEST_CASE("GET /stats: totals, the last day's scans, per area and per user") {
  Depot d;
  REQUIRE(d.call("POST", "/api/v1/scans/parent", d.dispatcher, {{"code", "SB31000"}}).status == 201);
  REQUIRE(d.call("POST", "/api/v1/scans/child", d.dispatcher, {{"parent", "SB31000"}, {"code", "A-1"}}).status == 200);
  REQUIRE(d.call("POST", "/api/v1/scans/parent", d.other_dispatcher, {{"code", "SB31001"}}).status == 201);
  REQUIRE(d.call("POST", "/api/v1/bills", d.biller, {{"code", "BILL-S"}, {"description", ""}, {"capacity", 1}})
              .status == 201);
  auto r = d.call("GET", "/api/v1/stats", d.admin);
  REQUIRE(r.status == 200);
  auto j = r.json();
  CHECK(j["scope"] == "all");
  CHECK(j["totals"]["parents"] == 2);
  CHECK(j["totals"]["children"] == 1);
  CHECK(j["totals"]["linked_children"] == 1);
  CHECK(j["totals"]["bills_open"] == 1);
  CHECK(j["totals"]["bills_completed"] == 0);
  CHECK(j["scans_24h"]["scans"] == 3);
  CHECK(j["scans_24h"]["linked"] == 1);
  CHECK(j["scans_per_hour"].size() == 24);
  REQUIRE(j["scans_per_hour_48h"].size() == 48);
  CHECK(j["scans_per_hour_48h"][47] == j["scans_per_hour"][23]);
  CHECK(j["scans_per_hour_48h"][24] == j["scans_per_hour"][0]);
  CHECK(j["per_area"].size() == 2);
  CHECK(j["per_user"][0]["user"] == "dev");

  auto mine = d.call("GET", "/api/v1/stats", d.other_dispatcher).json();
  CHECK(mine["scope"] == "Kanpur");
  CHECK(mine["totals"]["parents"] == 1);
  CHECK(mine["scans_24h"]["scans"] == 1);
  check_error(d.client().get("/api/v1/stats"), 401, "unauthenticated");
}

TEST_CASE("GET/PATCH /settings: admins read and change settings, validated; scans follow at once") {
  Depot d;
  auto all = d.call("GET", "/api/v1/settings", d.admin);
  REQUIRE(all.status == 200);
  CHECK(all.json()["settings"]["parent_capacity"] == 30);
  CHECK(all.json()["settings"]["parent_kinds"][1]["prefix"] == "M444-");
  check_error(d.call("GET", "/api/v1/settings", d.biller), 403, "forbidden");
  check_error(d.call("PATCH", "/api/v1/settings", d.dispatcher, {{"parent_capacity", 2}}), 403, "forbidden");

  auto changed = d.call("PATCH", "/api/v1/settings", d.admin, {{"parent_capacity", 2}, {"child_weight_kg", 0.5}});
  REQUIRE(changed.status == 200);
  CHECK(changed.json()["settings"]["parent_capacity"] == 2);
  check_error(d.call("PATCH", "/api/v1/settings", d.admin, {{"parent_capacity", 0}}), 422, "invalid_setting");
  check_error(d.call("PATCH", "/api/v1/settings", d.admin, {{"parent_capacity", "2"}}), 422, "invalid_setting");
  check_error(d.call("PATCH", "/api/v1/settings", d.admin, {{"no_such_thing", 1}}), 400, "invalid_request");
  check_error(d.call("PATCH", "/api/v1/settings", d.admin, json::object()), 400, "invalid_request");
  check_error(d.call("PATCH", "/api/v1/settings", d.admin,
                     {{"parent_kinds", json::parse(R"([{"name":"A","prefix":"SB","digits":5,"weight_kg":1},
                                                          {"name":"B","prefix":"SB1","digits":4,"weight_kg":1}])")}}),
              422, "invalid_setting");

  REQUIRE(d.call("POST", "/api/v1/scans/parent", d.dispatcher, {{"code", "SB32000"}}).status == 201);
  for (const char* c : {"B-1", "B-2"}) {
    auto r = d.call("POST", "/api/v1/scans/child", d.dispatcher, {{"parent", "SB32000"}, {"code", c}});
    REQUIRE(r.status == 200);
    CHECK(r.json()["capacity"] == 2);
  }
  check_error(d.call("POST", "/api/v1/scans/child", d.dispatcher, {{"parent", "SB32000"}, {"code", "B-3"}}), 409,
              "parent_full");
  CHECK(d.call("GET", "/api/v1/bags/SB32000", d.dispatcher).json()["weight_kg"] == 1.0);
  CHECK(d.count("audit_log WHERE action = 'setting_change'") == 2);
}

TEST_CASE("settings: the catalog describes each setting; a dry run checks values and stores nothing") {
  Depot d;
  auto catalog = d.call("GET", "/api/v1/settings/catalog", d.admin);
  REQUIRE(catalog.status == 200);
  const json described = catalog.json()["settings"];
  REQUIRE(described.size() == 12);
  std::set<std::string> keys;
  for (const auto& s : described) {
    keys.insert(s["key"].get<std::string>());
    CHECK(s.contains("value"));
    CHECK(s.contains("default"));
    CHECK(s["unit"].is_string());
    CHECK_FALSE(s["description"].get<std::string>().empty());
    CHECK(s["value"] == s["default"]);  // nothing changed yet
  }
  CHECK(keys.count("parent_capacity") == 1);
  CHECK(keys.count("session_idle_minutes") == 1);
  CHECK(keys.count("time_zone") == 1);
  CHECK(keys.count("admins_need_second_factor") == 1);
  CHECK(keys.count("sync_retention_days") == 1);
  CHECK(described[1]["key"] == "parent_capacity");
  CHECK(described[1]["unit"] == "child bags");
  check_error(d.call("GET", "/api/v1/settings/catalog", d.biller), 403, "forbidden");

  auto ok = d.call("PATCH", "/api/v1/settings?dry_run=1", d.admin, {{"parent_capacity", 12}});
  CHECK(ok.status == 200);
  CHECK(ok.json()["valid"] == true);
  check_error(d.call("PATCH", "/api/v1/settings?dry_run=1", d.admin, {{"parent_capacity", 0}}), 422, "invalid_setting");
  check_error(d.call("PATCH", "/api/v1/settings?dry_run=1", d.admin, {{"nothing", 0}}), 400, "invalid_request");
  check_error(d.call("PATCH", "/api/v1/settings?dry_run=1", d.admin, {{"admins_need_second_factor", "yes"}}), 422,
              "invalid_setting");
  CHECK(d.call("GET", "/api/v1/settings", d.admin).json()["settings"]["parent_capacity"] == 30);
  CHECK(d.count("audit_log WHERE action = 'setting_change'") == 0);
  REQUIRE(d.call("PATCH", "/api/v1/settings", d.admin, {{"session_idle_minutes", 45}}).status == 200);
  const json after = d.call("GET", "/api/v1/settings/catalog", d.admin).json()["settings"];
  for (const auto& s : after) {
    if (s["key"] == "session_idle_minutes") {
      CHECK(s["value"] == 45);
      CHECK(s["default"] == 30);
    }
  }
}

TEST_CASE("GET /events streams scans, links and bill changes; dispatchers get only their area's") {
  Depot d;
  EventStream admin(d.process->port(), d.admin);
  EventStream lucknow(d.process->port(), d.dispatcher);
  REQUIRE(admin.wait_for(": connected"));
  REQUIRE(lucknow.wait_for(": connected"));
  CHECK(admin.received().find("text/event-stream") != std::string::npos);

  REQUIRE(d.call("POST", "/api/v1/scans/parent", d.other_dispatcher, {{"code", "SB33001"}}).status == 201);
  REQUIRE(d.call("POST", "/api/v1/scans/parent", d.dispatcher, {{"code", "SB33000"}}).status == 201);
  REQUIRE(d.call("POST", "/api/v1/scans/child", d.dispatcher, {{"parent", "SB33000"}, {"code", "C-1"}}).status == 200);
  REQUIRE(d.call("DELETE", "/api/v1/bags/C-1/link", d.dispatcher).status == 200);
  REQUIRE(d.call("POST", "/api/v1/bills", d.biller, {{"code", "BILL-E"}, {"description", ""}, {"capacity", 1}})
              .status == 201);

  CHECK(admin.wait_for("\"code\":\"SB33001\""));
  CHECK(admin.wait_for("event: scan\ndata: {\"action\":\"scan_child\""));
  CHECK(admin.wait_for("event: link\n"));
  CHECK(admin.wait_for("event: bill\n"));
  CHECK(lucknow.wait_for("\"code\":\"C-1\""));
  CHECK(lucknow.wait_for("event: bill\n"));  // the biller is in Lucknow
  CHECK(lucknow.received().find("SB33001") == std::string::npos);  // Kanpur's
  check_error(d.client().get("/api/v1/events"), 401, "unauthenticated");
}
