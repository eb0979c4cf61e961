// What head office manages reaches the depots (SPEC §8 "Down"), tested as users run it: head office
// (the backend under test) and a depot (SQLite) as real server processes on loopback. Areas,
// users of the site's areas and settings made at head office arrive at the depot; a user signs in
// there while head office is down; what the depot received is never pushed back; a user
// deactivated at head office cannot sign in at the depot after the next pull; two head-office
// instances writing users at once never make the depot miss one; a head office restored from an
// older dump sends its whole state again.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "accounts_fixture.hpp"
#include "support/server_process.hpp"
#include "sync_fixture.hpp"

using namespace tt;
using namespace tt::test;
using nlohmann::json;

namespace {

const std::string kRaviPw = "ravi password 1";

bool holds(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

// Waits until the depot's database answers `sql` with a list holding `value` (true), or 30 s.
bool arrives(DepotBox& depot, const std::string& sql, const std::string& value) {
  for (int i = 0; i < 300; ++i) {
    if (holds(texts(depot.server->db.url(), sql), value)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

// Waits until the depot has applied head office's feed through its newest row.
bool caught_up(DepotBox& depot, HeadOffice& hq) {
  const std::int64_t newest = hq.server->scalar("SELECT COALESCE(MAX(seq), 0) FROM sync_feed");
  for (int i = 0; i < 300; ++i) {
    if (depot.status()["feed_seq"].get<std::int64_t>() >= newest) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  MESSAGE("depot status: " << depot.status().dump() << ", head office's newest feed row " << newest);
  return false;
}

}  // namespace

TEST_CASE("sync down: head office's areas, users and settings reach the depot, which signs them in while head office is down") {
  HeadOffice hq;
  auto [kanpur, lucknow] = hq.two_sites();
  DepotBox depot(hq, kanpur, "Kanpur");
  REQUIRE(depot.drained());
  const std::int64_t outbox_before = depot.server->scalar("SELECT COUNT(*) FROM sync_outbox");

  // Head office: an area, a dispatcher of the depot's area, one of another site's, an
  // administrator, and a setting.
  hq.server->add_area("Agra");
  hq.server->add_user("ravi", kRaviPw, "dispatcher", "Kanpur");
  hq.server->add_user("lucknow1", kRaviPw, "dispatcher", "Lucknow");
  hq.server->add_user("asha", "asha password 1", "admin", "");
  REQUIRE(hq.server->call("PATCH", "/api/v1/settings", hq.server->admin, {{"parent_capacity", 40}}).status == 200);

  REQUIRE(arrives(depot, "SELECT username FROM users", "ravi"));
  REQUIRE(caught_up(depot, hq));
  const auto users = texts(depot.server->db.url(), "SELECT username FROM users");
  CHECK(holds(users, "asha"));
  CHECK_FALSE(holds(users, "lucknow1"));  // another site's area
  CHECK(holds(texts(depot.server->db.url(), "SELECT name FROM areas"), "Agra"));
  CHECK(depot.server->call("GET", "/api/v1/settings", depot.server->admin).json()["settings"]["parent_capacity"] == 40);
  // The user keeps head office's uid, and the depot's own admin keeps its account.
  CHECK(texts(depot.server->db.url(), "SELECT uid FROM users WHERE username = 'ravi'") ==
        texts(hq.server->db.url(), "SELECT uid FROM users WHERE username = 'ravi'"));
  CHECK(depot.server->call("GET", "/api/v1/sync/status", depot.server->admin).status == 200);
  // Nothing received is captured for head office: the outbox did not grow.
  CHECK(depot.server->scalar("SELECT COUNT(*) FROM sync_outbox") == outbox_before);

  // Head office down: ravi signs in at the depot and scans.
  hq.stop();
  Caller ravi = depot.server->sign_in("ravi", kRaviPw);
  CHECK(depot.server->call("POST", "/api/v1/scans/parent", ravi, {{"code", "SB90001"}}).status == 201);
  CHECK(depot.status_when("retrying")["state"] == "retrying");

  // Head office up: the scan reaches it under ravi's name.
  hq.start();
  REQUIRE(depot.drained());
  CHECK(texts(hq.server->db.url(), "SELECT username FROM scan_events WHERE code = 'SB90001'") == std::vector<std::string>{"ravi"});

  // A new password at head office works at the depot after the next pull, and the old one no longer.
  REQUIRE(hq.server->call("PATCH", "/api/v1/users/ravi", hq.server->admin, {{"password", "ravi password 2"}}).status == 200);
  REQUIRE(caught_up(depot, hq));
  CHECK(depot.server->login("ravi", kRaviPw).status == 401);
  CHECK(depot.server->login("ravi", "ravi password 2").status == 200);

  // Deactivated at head office: ravi cannot sign in at the depot after the next pull.
  REQUIRE(hq.server->call("DELETE", "/api/v1/users/ravi", hq.server->admin).status == 200);
  REQUIRE(caught_up(depot, hq));
  CHECK(depot.server->login("ravi", "ravi password 2").status != 200);

  // Moved to another site's area: the depot stops letting them sign in too.
  hq.server->add_user("mohan", "mohan password 1", "dispatcher", "Kanpur");
  REQUIRE(caught_up(depot, hq));
  CHECK(depot.server->login("mohan", "mohan password 1").status == 200);
  REQUIRE(hq.server->call("PATCH", "/api/v1/users/mohan", hq.server->admin, {{"area", "Lucknow"}}).status == 200);
  REQUIRE(caught_up(depot, hq));
  CHECK(depot.server->login("mohan", "mohan password 1").status != 200);

  // Still nothing echoed: of the depot's operations, only its own sign-ins and scans came after.
  CHECK(depot.server->scalar("SELECT COUNT(*) FROM sync_outbox o JOIN audit_log a ON a.uid = o.uid WHERE o.seq > " +
                             std::to_string(outbox_before) +
                             " AND a.action IN ('user_create', 'user_update', 'user_deactivate', 'password_reset',"
                             " 'area_create', 'setting_change')") == 0);
}

TEST_CASE("sync down: two head-office instances adding users at once never make the depot miss one") {
  HeadOffice hq;
  auto [kanpur, lucknow] = hq.two_sites();
  ServeOptions second_options;
  second_options.args = {"--listen", "127.0.0.1:0"};
  ServerProcess second(hq.server->db.url(), second_options);
  HttpClient second_http = second.client();
  DepotBox depot(hq, kanpur, "Kanpur");
  REQUIRE(depot.drained());

  // Each instance adds 25 users of the depot's area while the depot pulls every second.
  const auto add = [&](HttpClient& http, const std::string& prefix, std::atomic<int>& made) {
    for (int i = 0; i < 25; ++i) {
      const json body = {{"username", prefix + std::to_string(i)}, {"password", kRaviPw}, {"role", "dispatcher"},
                         {"area", "Kanpur"}};
      Headers headers = hq.server->admin.headers;
      headers.emplace_back("Content-Type", "application/json");
      auto r = http.request("POST", "/api/v1/users", body.dump(), headers);
      if (r.status == 201) ++made;
    }
  };
  std::atomic<int> made{0};
  HttpClient first_http = hq.server->process->client();
  std::thread a([&] { add(first_http, "alpha", made); });
  std::thread b([&] { add(second_http, "beta", made); });
  a.join();
  b.join();
  REQUIRE(made == 50);
  REQUIRE(caught_up(depot, hq));
  const auto here = texts(depot.server->db.url(),
                          "SELECT username FROM users WHERE username LIKE 'alpha%' OR username LIKE 'beta%'");
  const auto there = texts(hq.server->db.url(),
                           "SELECT username FROM users WHERE username LIKE 'alpha%' OR username LIKE 'beta%'");
  CHECK(here.size() == 50);
  CHECK(here == there);
  // The feed's rows are numbered without a hole: each writer waited for the one before to commit.
  CHECK(hq.server->scalar("SELECT COUNT(*) FROM sync_feed") == hq.server->scalar("SELECT MAX(seq) FROM sync_feed"));
  second.stop();
}

TEST_CASE("sync down: a head office restored from an older dump sends its whole state again") {
  HeadOffice hq;
  auto [kanpur, lucknow] = hq.two_sites();
  DepotBox depot(hq, kanpur, "Kanpur");
  hq.server->add_user("early", kRaviPw, "dispatcher", "Kanpur");
  REQUIRE(caught_up(depot, hq));
  // The restore: head office forgets its newest feed rows, then writes others under the same
  // numbers. A depot that trusted the numbers would never see "later".
  hq.stop();
  const std::int64_t newest = hq.server->scalar("SELECT MAX(seq) FROM sync_feed");
  hq.server->sql("DELETE FROM sync_feed WHERE seq > $1", storage::params(newest - 2));
  hq.server->sql("UPDATE sync_feed_counter SET seq = $1", storage::params(newest - 2));
  hq.start();
  hq.server->add_user("later", kRaviPw, "dispatcher", "Kanpur");
  hq.server->add_user("later2", kRaviPw, "dispatcher", "Kanpur");
  CHECK(hq.server->scalar("SELECT MAX(seq) FROM sync_feed") == newest);
  REQUIRE(arrives(depot, "SELECT username FROM users", "later"));
  CHECK(arrives(depot, "SELECT username FROM users", "later2"));
}
