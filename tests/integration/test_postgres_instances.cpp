// PostgreSQL at head office: several server processes share one database, and the server rides
// out a restart of PostgreSQL itself. Runs only under TT_BACKEND=postgres.
#include <doctest/doctest.h>

#include <signal.h>
#include <stdlib.h>

#include <atomic>
#include <cstdio>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "depot_fixture.hpp"
#include "event_stream.hpp"
#include "support/own_cluster.hpp"
#include "support/test_db.hpp"

using namespace tt::test;

namespace {

std::string env_value(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

bool postgres_selected() {
  if (env_value("TT_BACKEND") == "postgres") return true;
  MESSAGE("PostgreSQL multi-instance tests skipped: they run with TT_BACKEND=postgres");
  return false;
}

// Makes the fixtures create their databases on another server for as long as it lives.
class TestServerOverride {
 public:
  explicit TestServerOverride(const std::string& url) : saved_(env_value("TRACETRACK_TEST_PG_URL")) {
    ::setenv("TRACETRACK_TEST_PG_URL", url.c_str(), 1);
  }
  ~TestServerOverride() { ::setenv("TRACETRACK_TEST_PG_URL", saved_.c_str(), 1); }

 private:
  std::string saved_;
};

json child_scan(const std::string& parent, const std::string& code) { return {{"parent", parent}, {"code", code}}; }

}  // namespace

TEST_CASE("postgres: two server processes on one database keep the 30-child limit under concurrent scans") {
  if (!postgres_selected()) return;
  Depot d;
  ServerProcess second(d.db.url());
  REQUIRE(d.call("POST", "/api/v1/scans/parent", d.dispatcher, {{"code", "SB45000"}}).status == 201);

  // 64 connections, half to each process, each scanning a distinct child into the same parent,
  // all released together.
  constexpr int kClients = 64;
  std::vector<HttpClient> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.push_back(i % 2 == 0 ? d.client() : second.client());
    REQUIRE(d.call(clients.back(), "GET", "/api/v1/auth/me", d.dispatcher).status == 200);
  }
  std::vector<HttpResponse> answers(kClients);
  std::atomic<int> ready{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int i = 0; i < kClients; ++i) {
    threads.emplace_back([&, i] {
      ready.fetch_add(1);
      while (!go.load()) std::this_thread::yield();
      answers[i] = d.call(clients[i], "POST", "/api/v1/scans/child", d.dispatcher,
                          child_scan("SB45000", "TWO-" + std::to_string(i)));
    });
  }
  while (ready.load() < kClients) std::this_thread::yield();
  go.store(true);
  for (auto& t : threads) t.join();

  int linked = 0, full = 0;
  for (const auto& r : answers) {
    if (r.status == 200 && r.json()["result"] == "linked") ++linked;
    if (r.status == 409 && r.json()["error"]["code"] == "parent_full") ++full;
  }
  CHECK(linked == 30);
  CHECK(full == kClients - 30);
  CHECK(d.count("links l JOIN bags p ON p.id = l.parent_id WHERE p.code = 'SB45000'") == 30);
  // Each process sees the other's work.
  HttpClient to_first = d.client(), to_second = second.client();
  CHECK(d.call(to_first, "GET", "/api/v1/bags/SB45000", d.dispatcher).json()["child_count"] == 30);
  CHECK(d.call(to_second, "GET", "/api/v1/bags/SB45000", d.dispatcher).json()["child_count"] == 30);
  CHECK(second.stop() == 0);
}

TEST_CASE("postgres: live events of one server process reach the event streams of another") {
  if (!postgres_selected()) return;
  Depot d;
  ServerProcess second(d.db.url());
  EventStream admin_on_second(second.port(), d.admin);
  EventStream lucknow_on_second(second.port(), d.dispatcher);
  REQUIRE(admin_on_second.wait_for(": connected"));
  REQUIRE(lucknow_on_second.wait_for(": connected"));

  // Scans made through the first process...
  REQUIRE(d.call("POST", "/api/v1/scans/parent", d.other_dispatcher, {{"code", "SB46001"}}).status == 201);
  REQUIRE(d.call("POST", "/api/v1/scans/parent", d.dispatcher, {{"code", "SB46000"}}).status == 201);
  REQUIRE(d.call("POST", "/api/v1/scans/child", d.dispatcher, child_scan("SB46000", "RELAY-1")).status == 200);

  // ...reach the clients of the second, with the same area rules as local events.
  CHECK(admin_on_second.wait_for("\"code\":\"SB46001\""));
  CHECK(admin_on_second.wait_for("\"action\":\"scan_child\""));
  CHECK(lucknow_on_second.wait_for("\"code\":\"RELAY-1\""));
  CHECK(lucknow_on_second.received().find("SB46001") == std::string::npos);  // Kanpur's

  // And each event arrives once: the first process does not get its own events back twice.
  EventStream admin_on_first(d.process->port(), d.admin);
  REQUIRE(admin_on_first.wait_for(": connected"));
  REQUIRE(d.call("POST", "/api/v1/scans/parent", d.dispatcher, {{"code", "SB46002"}}).status == 201);
  CHECK(admin_on_second.wait_for("\"code\":\"SB46002\""));
  CHECK(admin_on_first.wait_for("\"code\":\"SB46002\""));
  // PostgreSQL delivers notifications in commit order: once the second process's next event has
  // come through, an echo of SB46002 would have come before it.
  HttpClient to_second = second.client();
  REQUIRE(d.call(to_second, "POST", "/api/v1/scans/parent", d.dispatcher, {{"code", "SB46003"}}).status == 201);
  CHECK(admin_on_first.wait_for("\"code\":\"SB46003\""));
  const std::string& seen = admin_on_first.received();
  const auto first = seen.find("\"code\":\"SB46002\"");
  CHECK(seen.find("\"code\":\"SB46002\"", first + 1) == std::string::npos);
  CHECK(second.stop() == 0);
}

TEST_CASE("postgres: the server rides out a PostgreSQL restart during a stream of scans and loses no acknowledged scan") {
  if (!postgres_selected()) return;
  const std::string script = env_value("TT_PG_THROWAWAY");
  if (script.empty()) {
    MESSAGE("restart test skipped: TT_PG_THROWAWAY is not set (scripts/pg-throwaway start prints it)");
    return;
  }
  OwnCluster cluster(script);
  std::unique_ptr<Depot> depot;
  {
    TestServerOverride on_own_cluster(cluster.url());
    depot = std::make_unique<Depot>();
  }
  Depot& d = *depot;

  // Forty parents of 30: room for 1200 children, more than the stream below needs.
  constexpr int kParents = 40;
  for (int p = 0; p < kParents; ++p) {
    REQUIRE(d.call("POST", "/api/v1/scans/parent", d.dispatcher, {{"code", "SB46" + std::to_string(100 + p)}}).status == 201);
  }

  std::mutex mutex;
  std::vector<std::string> acknowledged;
  std::vector<std::string> unexpected;
  std::atomic<int> unavailable{0}, without_retry_after{0}, after_restart{0};
  std::atomic<bool> restarted{false}, stop{false};
  std::atomic<int> next{0};
  std::vector<std::thread> scanners;
  for (int s = 0; s < 4; ++s) {
    scanners.emplace_back([&] {
      HttpClient client = d.client();
      while (!stop.load()) {
        const int n = next.fetch_add(1);
        if (n >= kParents * 30) break;
        const std::string code = "RST-" + std::to_string(n);
        const auto r = d.call(client, "POST", "/api/v1/scans/child", d.dispatcher,
                              child_scan("SB46" + std::to_string(100 + n % kParents), code));
        std::lock_guard lock(mutex);
        if (r.status == 200 && r.json()["result"] == "linked") {
          acknowledged.push_back(code);
          if (restarted.load()) ++after_restart;
        } else if (r.status == 503) {
          ++unavailable;
          if (!r.header("retry-after")) ++without_retry_after;
          std::this_thread::sleep_for(std::chrono::milliseconds(50));  // as a scanner would, briefly
        } else {
          unexpected.push_back(std::to_string(r.status) + " " + r.body);
        }
      }
    });
  }
  auto acknowledged_count = [&] {
    std::lock_guard lock(mutex);
    return acknowledged.size();
  };
  while (acknowledged_count() < 40) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  CHECK(cluster.restart());
  restarted.store(true);
  // The same server process, never restarted, links again.
  while (after_restart.load() < 40 && next.load() < kParents * 30) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  stop.store(true);
  for (auto& t : scanners) t.join();

  CHECK(after_restart.load() >= 40);
  CHECK(unexpected.empty());
  for (const auto& u : unexpected) MESSAGE("unexpected answer: " << u);
  CHECK(without_retry_after.load() == 0);
  CHECK_FALSE(d.process->wait_exit(std::chrono::seconds(0)).has_value());
  MESSAGE(acknowledged.size() << " scans acknowledged, " << unavailable.load() << " answered 503 during the restart");

  auto db = d.open_db();
  const auto rows = run_sync(db->read([](tt::storage::Tx& tx) -> boost::asio::awaitable<tt::storage::Rows> {
    co_return co_await tx.query("SELECT c.code FROM links l JOIN bags c ON c.id = l.child_id");
  }));
  db->close();
  std::set<std::string> linked;
  for (const auto& row : rows) linked.insert(row.text(0));
  std::size_t missing = 0;
  for (const auto& code : acknowledged) missing += linked.count(code) == 0;
  CHECK(missing == 0);
  CHECK(d.call("GET", "/readyz", d.dispatcher).status == 200);
  CHECK(d.process->stop() == 0);
}
