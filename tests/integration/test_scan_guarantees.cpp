// The guarantees of SPEC §3.2 over HTTP with many connections at once, checked in the database
// afterwards, and the durability of acknowledged scans across a kill -9.
#include <doctest/doctest.h>

#include <signal.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "depot_fixture.hpp"

using namespace tt::test;

namespace {

// Runs one request per client on its own thread, all released at the same moment.
std::vector<HttpResponse> all_at_once(Depot& d, std::vector<HttpClient>& clients, const Credentials& who,
                                      const std::vector<json>& bodies) {
  std::vector<HttpResponse> out(bodies.size());
  std::atomic<int> ready{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < bodies.size(); ++i) {
    threads.emplace_back([&, i] {
      ready.fetch_add(1);
      while (!go.load()) std::this_thread::yield();
      out[i] = d.call(clients[i], "POST", "/api/v1/scans/child", who, bodies[i]);
    });
  }
  while (ready.load() < static_cast<int>(bodies.size())) std::this_thread::yield();
  go.store(true);
  for (auto& t : threads) t.join();
  return out;
}

std::vector<HttpClient> connections(Depot& d, std::size_t n, const Credentials& who) {
  std::vector<HttpClient> clients;
  for (std::size_t i = 0; i < n; ++i) {
    clients.push_back(d.client());
    // Connected and authenticated before the burst, so the burst is the scans alone.
    REQUIRE(d.call(clients.back(), "GET", "/api/v1/auth/me", who).status == 200);
  }
  return clients;
}

}  // namespace

TEST_CASE("64 connections scanning distinct children into one parent at once: exactly 30 go in") {
  Depot d;
  REQUIRE(d.call("POST", "/api/v1/scans/parent", d.dispatcher, {{"code", "SB40000"}}).status == 201);
  auto clients = connections(d, 64, d.dispatcher);
  std::vector<json> bodies;
  for (int i = 0; i < 64; ++i) bodies.push_back({{"parent", "SB40000"}, {"code", "RACE-" + std::to_string(i)}});
  auto answers = all_at_once(d, clients, d.dispatcher, bodies);
  int linked = 0, full = 0;
  for (const auto& r : answers) {
    if (r.status == 200 && r.json()["result"] == "linked") ++linked;
    if (r.status == 409 && r.json()["error"]["code"] == "parent_full") ++full;
  }
  CHECK(linked == 30);
  CHECK(full == 34);
  CHECK(d.count("links l JOIN bags p ON p.id = l.parent_id WHERE p.code = 'SB40000'") == 30);
  CHECK(d.count("scan_events WHERE parent_code = 'SB40000'") == 64);
  CHECK(d.count("bags WHERE type = 'child'") == 30);  // refused children were not created
}

TEST_CASE("one child scanned into two parents at once ends linked to exactly one") {
  Depot d;
  REQUIRE(d.call("POST", "/api/v1/scans/parent", d.dispatcher, {{"code", "SB41000"}}).status == 201);
  REQUIRE(d.call("POST", "/api/v1/scans/parent", d.dispatcher, {{"code", "SB41001"}}).status == 201);
  auto clients = connections(d, 2, d.dispatcher);
  for (int round = 0; round < 20; ++round) {
    const std::string code = "TWIN-" + std::to_string(round);
    auto answers = all_at_once(d, clients, d.dispatcher,
                               {{{"parent", "SB41000"}, {"code", code}}, {{"parent", "SB41001"}, {"code", code}}});
    int linked = 0, elsewhere = 0;
    for (const auto& r : answers) {
      if (r.status == 200 && r.json()["result"] == "linked") ++linked;
      if (r.status == 409 && r.json()["error"]["code"] == "linked_elsewhere") ++elsewhere;
    }
    CHECK(linked == 1);
    CHECK(elsewhere == 1);
    CHECK(d.count("links l JOIN bags c ON c.id = l.child_id WHERE c.code = $1", tt::storage::params(code)) == 1);
  }
  CHECK(d.count("links") == 20);
}

TEST_CASE("every acknowledged scan survives kill -9 of the server") {
  Depot d;
  REQUIRE(d.call("POST", "/api/v1/scans/parent", d.dispatcher, {{"code", "SB42000"}}).status == 201);
  REQUIRE(d.call("POST", "/api/v1/scans/parent", d.dispatcher, {{"code", "SB42001"}}).status == 201);
  constexpr int kScans = 50;
  int acknowledged = 0;
  for (int i = 0; i < kScans; ++i) {
    const std::string parent = i < 30 ? "SB42000" : "SB42001";
    auto r = d.call("POST", "/api/v1/scans/child", d.dispatcher, {{"parent", parent}, {"code", "DUR-" + std::to_string(i)}});
    if (r.status == 200) ++acknowledged;
  }
  REQUIRE(acknowledged == kScans);
  d.process->signal(SIGKILL);
  REQUIRE(d.process->wait_exit(std::chrono::seconds(30)) == 128 + SIGKILL);

  d.restart();
  CHECK(d.count("links") == kScans);
  CHECK(d.count("scan_events WHERE action = 'scan_child' AND result = 'linked'") == kScans);
  auto first = d.call("GET", "/api/v1/bags/SB42000", d.dispatcher).json();
  CHECK(first["child_count"] == 30);
  auto second = d.call("GET", "/api/v1/bags/SB42001", d.dispatcher).json();
  CHECK(second["child_count"] == kScans - 30);
  // And the server carries on where it stopped.
  check_error(d.call("POST", "/api/v1/scans/child", d.dispatcher, {{"parent", "SB42000"}, {"code", "DUR-X"}}), 409,
              "parent_full");
}
