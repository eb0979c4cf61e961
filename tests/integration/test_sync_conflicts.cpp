// People resolve conflicts at head office, and depots apply what they decide (SPEC §8 "Conflicts
// are facts"), tested as users run it: head office (the backend under test) and two depots
// (SQLite) as real processes on loopback. A child linked into two parents at two depots makes a
// conflict; the depot whose link lost sees it on its own conflicts page; an administrator at head
// office keeps the site's placement; the child moves at head office and at both depots, and the
// conflict stays resolved when every push of that depot is sent again.
#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "accounts_fixture.hpp"
#include "sync_fixture.hpp"

using namespace tt;
using namespace tt::test;
using nlohmann::json;

namespace {

// The parent the child is in, in a database; "(none)" when it is in none.
std::string parent_of(const std::string& url, const std::string& child) {
  const auto found = texts(url, "SELECT p.code FROM links l JOIN bags c ON c.id = l.child_id JOIN bags p ON p.id = l.parent_id"
                                " WHERE c.code = '" + child + "'");
  if (found.empty()) return "(none)";
  return found.front();
}

// Waits until the child is in `parent` in the depot's database (true), or 30 s.
bool placed(DepotBox& depot, const std::string& child, const std::string& parent) {
  for (int i = 0; i < 300; ++i) {
    if (parent_of(depot.server->db.url(), child) == parent) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

json depot_conflicts(DepotBox& depot) {
  return depot.server->call("GET", "/api/v1/sync/conflicts", depot.server->admin).json()["conflicts"];
}

}  // namespace

TEST_CASE("sync conflicts: kept as the site placed it, the child moves at head office and both depots, and stays resolved") {
  HeadOffice hq;
  const auto [a, b] = hq.two_sites();
  DepotBox kanpur(hq, a, "Kanpur");
  AnswerDroppingProxy recorder(hq.port, 0);  // drops nothing: keeps Lucknow's pushes to send again
  DepotBox lucknow(hq, b, "Lucknow", recorder.url());
  REQUIRE(kanpur.scan_parent("SB31000").status == 201);
  REQUIRE(kanpur.scan_child("SB31000", "TRAVELLER").status == 200);
  REQUIRE(kanpur.drained());
  REQUIRE(lucknow.scan_parent("SB41000").status == 201);
  REQUIRE(lucknow.scan_child("SB41000", "TRAVELLER").status == 200);
  REQUIRE(lucknow.drained());

  const json open = hq.server->call("GET", "/api/v1/sync/conflicts?status=open", hq.server->admin).json()["conflicts"];
  REQUIRE(open.size() == 1);
  const std::string uid = open[0]["uid"];
  CHECK(open[0]["resolutions"] == json::array({"keep_head_office", "keep_site"}));

  // The depot whose link lost sees the conflict on its own page; the other depot has none.
  json own;
  for (int i = 0; i < 300 && own.empty(); ++i) {
    own = depot_conflicts(lucknow);
    if (own.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  REQUIRE(own.size() == 1);
  CHECK(own[0]["uid"] == uid);
  CHECK(own[0]["status"] == "open");
  CHECK(own[0]["site"] == "Lucknow depot");
  CHECK(own[0]["resolutions"].empty());  // head office decides
  CHECK(depot_conflicts(kanpur).empty());

  // Refusals: at a depot, a resolution the kind does not allow, an unknown conflict.
  const std::string path = "/api/v1/sync/conflicts/" + uid + "/resolve";
  CHECK(lucknow.server->call("POST", path, lucknow.server->admin, {{"resolution", "keep_site"}}).status == 409);
  auto wrong = hq.server->call("POST", path, hq.server->admin, {{"resolution", "accept"}});
  CHECK(wrong.status == 400);
  CHECK(wrong.body.find("keep_head_office, keep_site") != std::string::npos);
  CHECK(hq.server->call("POST", "/api/v1/sync/conflicts/no-such/resolve", hq.server->admin, {{"resolution", "accept"}}).status ==
        404);

  // Keep the site's placement: the child moves into SB41000 at head office, audited.
  auto resolved = hq.server->call("POST", path, hq.server->admin, {{"resolution", "keep_site"}});
  REQUIRE(resolved.status == 200);
  CHECK(resolved.json()["conflict"]["status"] == "resolved");
  CHECK(resolved.json()["conflict"]["resolved_by"] == "admin");
  CHECK(parent_of(hq.server->db.url(), "TRAVELLER") == "SB41000");
  CHECK(hq.server->scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'conflict_resolve' AND entity_key = '" + uid + "'") == 1);
  CHECK(hq.server->scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'relink' AND entity_key = 'TRAVELLER'") == 1);

  // Both depots place it there: Kanpur makes the parent it did not hold, with head office's uid.
  REQUIRE(placed(kanpur, "TRAVELLER", "SB41000"));
  CHECK(placed(lucknow, "TRAVELLER", "SB41000"));
  CHECK(texts(kanpur.server->db.url(), "SELECT uid FROM bags WHERE code = 'SB41000'") ==
        texts(hq.server->db.url(), "SELECT uid FROM bags WHERE code = 'SB41000'"));
  CHECK(kanpur.server->scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'relink' AND username = 'head office'") == 1);
  json seen;
  for (int i = 0; i < 300; ++i) {
    seen = depot_conflicts(lucknow);
    if (!seen.empty() && seen[0]["status"] == "resolved") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  REQUIRE(seen.size() == 1);
  CHECK(seen[0]["status"] == "resolved");
  CHECK(seen[0]["resolution"] == "keep_site");

  // What a depot applied from head office is not pushed back: Kanpur has nothing waiting, and head
  // office still holds one link of the child.
  REQUIRE(kanpur.drained());
  CHECK(kanpur.status()["backlog_ops"] == 0);
  CHECK(hq.server->scalar("SELECT COUNT(*) FROM links l JOIN bags c ON c.id = l.child_id WHERE c.code = 'TRAVELLER'") == 1);

  // Stays resolved: a second resolution is refused, and every push of Lucknow sent again changes nothing.
  CHECK(hq.server->call("POST", path, hq.server->admin, {{"resolution", "keep_head_office"}}).status == 409);
  CHECK(hq.server->call("POST", path, hq.server->admin, {{"resolution", "keep_site"}}).status == 200);  // a retried request
  const auto pushes = recorder.pushes();
  REQUIRE_FALSE(pushes.empty());
  Headers site_b{{"Authorization", "Bearer " + b.token}, {"Content-Type", "application/json"}, {"TraceTrack-Sync", "2"}};
  for (const auto& [body, answer] : pushes) {
    CHECK(hq.server->http.request("POST", "/api/v1/sync/push", body, site_b).status == 200);
  }
  const json after = hq.server->call("GET", "/api/v1/sync/conflicts", hq.server->admin).json()["conflicts"];
  REQUIRE(after.size() == 1);
  CHECK(after[0]["status"] == "resolved");
  CHECK(parent_of(hq.server->db.url(), "TRAVELLER") == "SB41000");
}

TEST_CASE("sync conflicts: kept as head office placed it, the depot whose link lost moves the child back") {
  HeadOffice hq;
  const auto [a, b] = hq.two_sites();
  DepotBox kanpur(hq, a, "Kanpur");
  DepotBox lucknow(hq, b, "Lucknow");
  REQUIRE(kanpur.scan_parent("SB31000").status == 201);
  REQUIRE(kanpur.scan_child("SB31000", "WANDERER").status == 200);
  REQUIRE(kanpur.drained());
  REQUIRE(lucknow.scan_parent("SB41000").status == 201);
  REQUIRE(lucknow.scan_child("SB41000", "WANDERER").status == 200);
  REQUIRE(lucknow.drained());
  const json open = hq.server->call("GET", "/api/v1/sync/conflicts?status=open&kind=child_in_two_parents", hq.server->admin)
                        .json()["conflicts"];
  REQUIRE(open.size() == 1);
  const std::string path = "/api/v1/sync/conflicts/" + open[0]["uid"].get<std::string>() + "/resolve";
  REQUIRE(hq.server->call("POST", path, hq.server->admin, {{"resolution", "keep_head_office"}}).status == 200);
  CHECK(parent_of(hq.server->db.url(), "WANDERER") == "SB31000");
  CHECK(placed(lucknow, "WANDERER", "SB31000"));
  CHECK(parent_of(kanpur.server->db.url(), "WANDERER") == "SB31000");
  CHECK(hq.server->call("GET", "/api/v1/sync/conflicts?status=open", hq.server->admin).json()["conflicts"].empty());
  CHECK(hq.server->call("GET", "/api/v1/sync/conflicts?older_than_days=1", hq.server->admin)
            .json()["conflicts"].empty());
}
