// One company view at head office (SPEC §8): what two depots pushed, looked at one site at a time
// through the `site` filter of search, the dashboard, the daily scan report and the exports, and
// the sites list with each site's open conflicts for the dashboard's cards. Real processes on
// loopback: head office on the backend under test, two depots on SQLite.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "accounts_fixture.hpp"
#include "sync_fixture.hpp"

using namespace tt;
using namespace tt::test;
using nlohmann::json;

TEST_CASE("sync company view: search, dashboard, report and exports of one site at head office") {
  HeadOffice hq;
  const auto [a, b] = hq.two_sites();
  DepotBox kanpur(hq, a, "Kanpur");
  DepotBox lucknow(hq, b, "Lucknow");
  REQUIRE(kanpur.scan_parent("SB51000").status == 201);
  REQUIRE(kanpur.scan_child("SB51000", "KAN-CHILD-1").status == 200);
  REQUIRE(kanpur.scan_child("SB51000", "SHARED-1").status == 200);
  REQUIRE(kanpur.drained());
  REQUIRE(lucknow.scan_parent("SB61000").status == 201);
  REQUIRE(lucknow.scan_child("SB61000", "LUC-CHILD-1").status == 200);
  REQUIRE(lucknow.scan_child("SB61000", "SHARED-1").status == 200);  // a conflict of Lucknow's
  REQUIRE(lucknow.drained());
  hq.server->add_area("Agra");
  // A bag made at head office itself: no site's.
  hq.server->add_user("agra1", kPw, "dispatcher", "Agra");
  const Caller agra = hq.server->sign_in("agra1", kPw);
  REQUIRE(hq.server->call("POST", "/api/v1/scans/parent", agra, {{"code", "SB71000"}}).status == 201);
  auto& admin = hq.server->admin;

  // Search: each site's bags; all of them without the filter.
  auto codes = [&](const std::string& q) {
    std::vector<std::string> out;
    const json found = hq.server->call("GET", "/api/v1/bags" + q, admin).json();
    for (const auto& bag : found["bags"]) out.push_back(bag["code"]);
    std::sort(out.begin(), out.end());
    return out;
  };
  CHECK(codes("?site=" + a.id) == std::vector<std::string>{"KAN-CHILD-1", "SB51000", "SHARED-1"});
  CHECK(codes("?site=" + b.id) == std::vector<std::string>{"LUC-CHILD-1", "SB61000"});
  CHECK(codes("?site=no-such-site").empty());
  CHECK(codes("").size() == 6);

  // The dashboard: the totals of one site's rows; an unknown site is 404.
  const json kan = hq.server->call("GET", "/api/v1/stats?site=" + a.id, admin).json();
  CHECK(kan["totals"]["parents"] == 1);
  CHECK(kan["totals"]["children"] == 2);
  CHECK(kan["site_name"] == "Kanpur depot");
  CHECK(kan["scans_24h"]["scans"] == 3);
  CHECK(hq.server->call("GET", "/api/v1/stats", admin).json()["totals"]["parents"] == 3);
  CHECK(hq.server->call("GET", "/api/v1/stats?site=no-such-site", admin).status == 404);

  // The daily scan report of one site.
  const json report = hq.server->call("GET", "/api/v1/reports/scans?site=" + b.id, admin).json();
  CHECK(report["totals"]["scans"] == 3);

  // The bills summary of one site: Kanpur's bill only.
  REQUIRE(kanpur.server->call("POST", "/api/v1/bills", kanpur.worker, {{"code", "KAN-BILL-1"}, {"description", "to Delhi"}, {"capacity", 2}})
              .status == 201);
  REQUIRE(kanpur.drained());
  auto bill_codes = [&](const std::string& q) {
    std::vector<std::string> out;
    const json summary = hq.server->call("GET", "/api/v1/reports/bills" + q, admin).json();
    for (const auto& bill : summary["bills"]) out.push_back(bill["code"]);
    return out;
  };
  CHECK(bill_codes("?site=" + a.id) == std::vector<std::string>{"KAN-BILL-1"});
  CHECK(bill_codes("?site=" + b.id).empty());

  // Exports: one site's scans, each line naming its site and its depot user.
  auto scans = hq.server->call("GET", "/api/v1/export/scans.csv?site=" + a.id, admin);
  REQUIRE(scans.status == 200);
  CHECK(scans.body.rfind("at,user,action,code,parent,bill,result,reason,area,client,site\r\n", 0) == 0);
  CHECK(scans.body.find("Lucknow depot") == std::string::npos);
  CHECK(scans.body.find("KAN-CHILD-1") != std::string::npos);
  CHECK(scans.body.find(",worker,") != std::string::npos);
  CHECK(scans.body.find("Kanpur depot\r\n") != std::string::npos);
  auto bags = hq.server->call("GET", "/api/v1/export/bags.csv?site=" + b.id, admin);
  CHECK(bags.body.find("LUC-CHILD-1") != std::string::npos);
  CHECK(bags.body.find("KAN-CHILD-1") == std::string::npos);

  // The sites list carries each site's open conflicts, for the dashboard's cards.
  json sites = hq.server->call("GET", "/api/v1/sites", admin).json()["sites"];
  REQUIRE(sites.size() == 2);
  for (const auto& s : sites) {
    CHECK(s["open_conflicts"] == (s["name"] == "Lucknow depot" ? 1 : 0));
    CHECK(s["lag"] == 0);
  }
}
