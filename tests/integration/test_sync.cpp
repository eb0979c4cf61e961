// Depots push everything to head office, exactly once (SPEC §8 "Up"), tested as users run it:
// head office (the backend under test) and two depots (SQLite, as depots run) as real server
// processes on loopback, each with its own database. Depots scan while head office is down; it
// comes up; the depots' pushers send their outboxes; then both sides' databases are compared row
// by row (uids), never by counting log lines. A depot is killed with SIGKILL and restarted; head
// office is killed inside the transaction of a batch; answers are lost and old batches replayed;
// one site pushes through two head-office instances at once; a child linked into two parents at
// two depots makes one conflict and loses nothing.
#include <doctest/doctest.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "accounts_fixture.hpp"
#include "sync_fixture.hpp"
#include "storage/database.hpp"
#include "storage/job.hpp"
#include "support/pg_admin.hpp"
#include "support/test_db.hpp"
#include "util/ids.hpp"

using namespace tt;
using namespace tt::test;
using nlohmann::json;

namespace {



}  // namespace

TEST_CASE("sync: two depots scan while head office is down; everything arrives once, by uid") {
  HeadOffice hq;
  const auto [a, b] = hq.two_sites();
  hq.stop();

  DepotBox kanpur(hq, a, "Kanpur");
  DepotBox lucknow(hq, b, "Lucknow");
  // Offline work at both depots: parents, children, a bill filled.
  for (int p = 0; p < 3; ++p) {
    const std::string parent = "SB1" + std::to_string(1000 + p);
    REQUIRE(kanpur.scan_parent(parent).status == 201);
    for (int c = 0; c < 5; ++c) {
      REQUIRE(kanpur.scan_child(parent, "K" + std::to_string(p) + "C" + std::to_string(c)).status == 200);
    }
  }
  const auto bill = kanpur.server->call("POST", "/api/v1/bills", kanpur.worker, {{"code", "BILL-K1"}, {"description", "to Agra"}, {"capacity", 5}});
  INFO(bill.body);
  REQUIRE(bill.status == 201);
  REQUIRE(kanpur.server->call("POST", "/api/v1/bills/BILL-K1/parents", kanpur.worker, {{"code", "SB11000"}}).status == 201);
  REQUIRE(kanpur.server->call("POST", "/api/v1/bills/BILL-K1/complete", kanpur.worker, json::object()).status == 200);
  REQUIRE(lucknow.scan_parent("SB22000").status == 201);
  REQUIRE(lucknow.scan_child("SB22000", "L0C0").status == 200);
  // A refusal is a fact too: its scan event travels.
  CHECK(lucknow.scan_child("SB22000", "SB11000").status != 200);
  const json offline = kanpur.status_when("retrying");
  CHECK(offline["state"] == "retrying");
  CHECK(offline["backlog_ops"].get<int>() > 20);
  CHECK(offline["last_error"].is_string());

  hq.start();
  REQUIRE(kanpur.drained());
  REQUIRE(lucknow.drained());
  for (const char* table : {"bags", "links", "bills", "bill_parents", "scan_events"}) {
    check_arrived(kanpur, hq, table, a.id);
    check_arrived(lucknow, hq, table, b.id);
  }
  // Every audit entry the depot wrote after it was connected (all of them: it was connected at
  // its first start) is at head office.
  const auto audit_here = texts(kanpur.server->db.url(), "SELECT uid FROM audit_log");
  const auto audit_there = texts(hq.server->db.url(), "SELECT uid FROM audit_log WHERE site_id IS NOT NULL");
  CHECK(std::includes(audit_there.begin(), audit_there.end(), audit_here.begin(), audit_here.end()));
  // Same figures: each parent's children, the bill's parents and state.
  CHECK(texts(kanpur.server->db.url(), "SELECT p.code || ':' || c.code FROM links l JOIN bags p ON p.id = l.parent_id JOIN bags c ON c.id = l.child_id") ==
        texts(hq.server->db.url(), "SELECT p.code || ':' || c.code FROM links l JOIN bags p ON p.id = l.parent_id JOIN bags c ON c.id = l.child_id WHERE p.code LIKE 'SB1%'"));
  CHECK(hq.server->scalar("SELECT COUNT(*) FROM bills WHERE code = 'BILL-K1' AND status = 'completed'") == 1);
  // Each row in the same dispatch area on both sides.
  for (const char* table : {"bags", "scan_events", "bills"}) {
    INFO("areas of " << table);
    const std::string of = std::string("SELECT t.uid || ':' || COALESCE(a.name, '-') FROM ") + table +
                           " t LEFT JOIN areas a ON a.id = t.area_id";
    CHECK(texts(kanpur.server->db.url(), of) ==
          texts(hq.server->db.url(), of + " JOIN sites s ON s.id = t.site_id WHERE s.uid = '" + a.id + "'"));
  }
  // Each operation once, and the cursor at the last.
  CHECK(hq.server->scalar("SELECT COUNT(*) FROM sync_ops") == hq.server->scalar("SELECT COUNT(DISTINCT site_id || ':' || uid) FROM (SELECT site_id, uid FROM sync_ops) x"));
  auto sites = hq.server->call("GET", "/api/v1/sites", hq.server->admin).json()["sites"];
  for (const auto& s : sites) {
    CHECK(s["cursor"].get<std::int64_t>() > 0);
    CHECK_FALSE(s["last_push_at"].is_null());
  }
  // Nothing was in conflict.
  CHECK(hq.server->call("GET", "/api/v1/sync/conflicts", hq.server->admin).json()["conflicts"].empty());
  // A bag's history at head office names the site of each scan and change; the depot's own has none.
  const auto history_there = hq.server->call("GET", "/api/v1/bags/K0C0", hq.server->admin).json()["history"];
  REQUIRE(history_there.size() >= 2);
  for (const auto& e : history_there) CHECK(e["site"] == "Kanpur depot");
  const auto history_here = kanpur.server->call("GET", "/api/v1/bags/K0C0", kanpur.worker).json()["history"];
  REQUIRE_FALSE(history_here.empty());
  for (const auto& e : history_here) CHECK(e["site"].is_null());
  // A child scan is one outbox row at the depot: its link travels inside its scan event's operation.
  // The row is a reference to the scan event and the link's audit entry, built when pushed: no
  // operation JSON on the scan's path.
  CHECK(kanpur.server->scalar("SELECT COUNT(*) FROM sync_outbox WHERE kind = 'link.add'") == 0);
  CHECK(kanpur.server->scalar("SELECT COUNT(*) FROM sync_outbox o JOIN audit_log l ON l.uid = o.effect_uid"
                              " WHERE o.kind = 'scan' AND l.action = 'link'") == 15);
  CHECK(kanpur.server->scalar("SELECT COUNT(*) FROM sync_outbox WHERE kind = 'scan' AND payload IS NOT NULL") == 0);

  // Killed with SIGKILL while it works and pushes, restarted: nothing lost, nothing twice.
  for (int c = 0; c < 20; ++c) REQUIRE(kanpur.scan_child("SB11001", "KX" + std::to_string(c)).status == 200);
  kanpur.kill_and_restart();
  for (int c = 20; c < 25; ++c) REQUIRE(kanpur.scan_child("SB11002", "KX" + std::to_string(c)).status == 200);
  REQUIRE(kanpur.drained());
  for (const char* table : {"bags", "links", "scan_events"}) check_arrived(kanpur, hq, table, a.id);
  CHECK(hq.server->scalar("SELECT COUNT(*) FROM sync_ops") == hq.server->scalar("SELECT COUNT(DISTINCT site_id || ':' || uid) FROM (SELECT site_id, uid FROM sync_ops) x"));
}

TEST_CASE("sync: a child linked into two parents at two depots makes one conflict, and nothing is lost") {
  HeadOffice hq;
  const auto [a, b] = hq.two_sites();
  DepotBox kanpur(hq, a, "Kanpur");
  DepotBox lucknow(hq, b, "Lucknow");
  REQUIRE(kanpur.scan_parent("SB31000").status == 201);
  REQUIRE(kanpur.scan_child("SB31000", "TRAVELLER").status == 200);
  REQUIRE(kanpur.drained());
  REQUIRE(lucknow.scan_parent("SB41000").status == 201);
  REQUIRE(lucknow.scan_child("SB41000", "TRAVELLER").status == 200);
  const bool drained = lucknow.drained();
  if (!drained) {
    const auto code = hq.server->process->wait_exit(std::chrono::seconds(0));
    MESSAGE("head office exit: " << (code ? std::to_string(*code) : "running") << "; " << hq.server->process->output());
  }
  REQUIRE(drained);

  auto listed = hq.server->call("GET", "/api/v1/sync/conflicts?status=open", hq.server->admin);
  REQUIRE(listed.status == 200);
  const json conflicts = listed.json()["conflicts"];
  REQUIRE(conflicts.size() == 1);
  CHECK(conflicts[0]["kind"] == "child_in_two_parents");
  CHECK(conflicts[0]["key"] == "TRAVELLER");
  CHECK(conflicts[0]["site"] == "Lucknow depot");
  CHECK(conflicts[0]["detail"]["kept"]["parent"] == "SB31000");
  CHECK(conflicts[0]["detail"]["contested"]["parent"] == "SB41000");
  // The placement head office applied first stays; both scans are in the history.
  CHECK(hq.server->scalar("SELECT COUNT(*) FROM links l JOIN bags c ON c.id = l.child_id JOIN bags p ON p.id = l.parent_id"
                          " WHERE c.code = 'TRAVELLER' AND p.code = 'SB31000'") == 1);
  CHECK(hq.server->scalar("SELECT COUNT(*) FROM scan_events WHERE code = 'TRAVELLER' AND result = 'linked'") == 2);
  // Head office's page of the bag: the disputed mark, and each site's scan with its user.
  auto page = hq.server->call("GET", "/api/v1/bags/TRAVELLER", hq.server->admin);
  REQUIRE(page.status == 200);
  const json bag = page.json();
  CHECK(bag["disputes"].size() == 1);
  int by_worker = 0;
  for (const auto& e : bag["history"]) by_worker += e["source"] == "scan" && e["user"] == "worker";
  CHECK(by_worker == 2);
  // Filters.
  CHECK(hq.server->call("GET", "/api/v1/sync/conflicts?site=" + a.id, hq.server->admin).json()["conflicts"].empty());
  CHECK(hq.server->call("GET", "/api/v1/sync/conflicts?site=" + b.id, hq.server->admin).json()["conflicts"].size() == 1);
  CHECK(hq.server->call("GET", "/api/v1/sync/conflicts?status=bad", hq.server->admin).status == 400);
}

TEST_CASE("sync: answers lost on the way back: the depot sends again, head office applies each operation once") {
  HeadOffice hq;
  const auto [a, b] = hq.two_sites();
  (void)b;
  AnswerDroppingProxy proxy(hq.port, 2);
  DepotBox kanpur(hq, a, "Kanpur", proxy.url());
  REQUIRE(kanpur.scan_parent("SB61000").status == 201);
  for (int c = 0; c < 10; ++c) REQUIRE(kanpur.scan_child("SB61000", "LOST" + std::to_string(c)).status == 200);
  REQUIRE(kanpur.drained());
  CHECK(proxy.dropped() == 2);
  for (const char* table : {"bags", "links", "scan_events"}) check_arrived(kanpur, hq, table, a.id);
  // Each operation once, whatever was sent twice.
  CHECK(hq.server->scalar("SELECT COUNT(*) FROM sync_ops") ==
        hq.server->scalar("SELECT COUNT(DISTINCT uid) FROM sync_ops"));
  CHECK(hq.server->scalar("SELECT COUNT(*) FROM scan_events WHERE code LIKE 'LOST%'") == 10);
  CHECK(kanpur.status()["last_error"].is_null());
}

TEST_CASE("sync: head office killed inside a batch's transaction: nothing of it stays, the depot sends it again") {
  HeadOffice hq;
  const auto [a, b] = hq.two_sites();
  (void)b;
  DepotBox kanpur(hq, a, "Kanpur");
  REQUIRE(kanpur.scan_parent("SB71000").status == 201);
  REQUIRE(kanpur.drained());
  std::unique_ptr<PgSession> holder;
  if (const char* backend = std::getenv("TT_BACKEND"); backend && std::string(backend) == "postgres") {
    // The parent locked from outside: head office applies the next batch up to the parent (its
    // new children inserted) and waits there, inside its transaction.
    holder = std::make_unique<PgSession>(hq.server->db.url());
    holder->exec("BEGIN");
    holder->exec("SELECT id FROM bags WHERE code = 'SB71000' FOR UPDATE");
  }
  for (int c = 0; c < 30; ++c) REQUIRE(kanpur.scan_child("SB71000", "CUT" + std::to_string(c)).status == 200);
  if (holder) {
    // Watched from a session of its own: a transaction sees one snapshot of pg_stat_activity.
    PgSession watcher(hq.server->db.url());
    bool waiting = false;
    for (int i = 0; i < 150 && !waiting; ++i) {
      waiting = watcher.scalar("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database()"
                               " AND wait_event_type = 'Lock'") > 0;
      if (!waiting) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    REQUIRE(waiting);
  } else {
    // SQLite at head office applies a batch in milliseconds: killed after the pusher's next look
    // at the outbox, while its pushes flow or just after.
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  }
  hq.kill();
  if (holder) {
    holder->exec("ROLLBACK");
    holder.reset();
    // The transaction died with the process: not a row of the batch, the cursor where it was.
    CHECK(hq.server->scalar("SELECT COUNT(*) FROM bags WHERE code LIKE 'CUT%'") == 0);
    // The depot never had an answer: the batch still waits there.
    CHECK(kanpur.status()["backlog_ops"].get<std::int64_t>() >= 30);
  }
  hq.start();
  REQUIRE(kanpur.drained());
  for (const char* table : {"bags", "links", "scan_events"}) check_arrived(kanpur, hq, table, a.id);
  CHECK(hq.server->scalar("SELECT COUNT(*) FROM sync_ops") == hq.server->scalar("SELECT COUNT(DISTINCT uid) FROM sync_ops"));
  CHECK(hq.server->scalar("SELECT COUNT(*) FROM links l JOIN bags p ON p.id = l.parent_id WHERE p.code = 'SB71000'") == 30);
  CHECK(hq.server->call("GET", "/api/v1/sync/conflicts", hq.server->admin).json()["conflicts"].empty());
}

TEST_CASE("sync: an old batch replayed after newer ones gets its first answer and changes nothing") {
  HeadOffice hq;
  const auto [a, b] = hq.two_sites();
  (void)b;
  AnswerDroppingProxy proxy(hq.port, 0);
  DepotBox kanpur(hq, a, "Kanpur", proxy.url());
  REQUIRE(kanpur.scan_parent("SB72000").status == 201);
  for (int c = 0; c < 5; ++c) REQUIRE(kanpur.scan_child("SB72000", "OLD" + std::to_string(c)).status == 200);
  REQUIRE(kanpur.drained());
  for (int c = 5; c < 10; ++c) REQUIRE(kanpur.scan_child("SB72000", "OLD" + std::to_string(c)).status == 200);
  REQUIRE(kanpur.drained());
  const auto pushes = proxy.pushes();
  REQUIRE(pushes.size() >= 2);

  auto figures = [&] {
    std::vector<std::int64_t> out;
    for (const char* q : {"SELECT COUNT(*) FROM bags", "SELECT COUNT(*) FROM links", "SELECT COUNT(*) FROM scan_events",
                          "SELECT COUNT(*) FROM audit_log", "SELECT COUNT(*) FROM sync_ops",
                          "SELECT MAX(acked_seq) FROM sites"}) {
      out.push_back(hq.server->scalar(q));
    }
    return out;
  };
  const auto before = figures();
  const Headers site_a{{"Authorization", "Bearer " + a.token}, {"Content-Type", "application/json"}};
  // The first batch again, byte for byte, after newer ones (a retry that arrives late): its first
  // answer.
  const auto& [first_request, first_answer] = pushes.front();
  auto replayed = hq.server->http.request("POST", "/api/v1/sync/push", first_request, site_a);
  CHECK(replayed.status == 200);
  CHECK(json::parse(replayed.body) == json::parse(first_answer));
  // Its operations in a batch of another name: every one a duplicate, none applied.
  json renamed = json::parse(first_request);
  renamed["batch"] = "replayed-" + util::uuid_v7();
  auto again = hq.server->http.request("POST", "/api/v1/sync/push", renamed.dump(), site_a);
  CHECK(again.status == 200);
  CHECK(again.json()["applied"] == 0);
  CHECK(again.json()["duplicates"] == renamed["ops"].size());
  CHECK(figures() == before);
  for (const char* table : {"bags", "links", "scan_events"}) check_arrived(kanpur, hq, table, a.id);
}

TEST_CASE("sync: one site pushing through two head-office instances at once: each operation applies once") {
  HeadOffice hq;
  const auto [a, b] = hq.two_sites();
  // A second instance on the same database, as head office runs behind a load balancer.
  ServerProcess second(hq.server->db.url());
  // 1,000 operations per site: a parent bag and its scan event, 500 times, in batches of 50.
  auto outbox = [](const std::string& prefix, const std::string& area) {
    json ops = json::array();
    for (int i = 0; i < 500; ++i) {
      const std::string code = prefix + std::to_string(10000 + i);
      ops.push_back({{"seq", 2 * i + 1}, {"uid", util::uuid_v7()}, {"kind", "bag.create"}, {"at", 1700000000000000LL + i},
                     {"user", "ravi"},
                     {"data", {{"bag", {{"uid", util::uuid_v7()}, {"code", code}, {"type", "parent"}, {"kind", "SB"}}},
                               {"area", area}}}});
      ops.push_back({{"seq", 2 * i + 2}, {"uid", util::uuid_v7()}, {"kind", "scan"}, {"at", 1700000000000000LL + i},
                     {"user", "ravi"},
                     {"data", {{"action", "scan_parent"}, {"code", code}, {"result", "created"}, {"area", area}}}});
    }
    return ops;
  };
  const json kanpur_ops = outbox("SB8", "Kanpur");
  const json lucknow_ops = outbox("SB9", "Lucknow");
  // A pusher sends the outbox in order, each batch under its own name: two of them for one site
  // (one per instance: a retry that went to the other instance while the first still applied).
  struct Pushed {
    std::int64_t applied = 0, duplicates = 0;
    std::vector<int> refused;
  };
  auto push_all = [](HttpClient client, const SyncSite& site, const json& ops, const std::string& name, Pushed& out) {
    const Headers h{{"Authorization", "Bearer " + site.token}, {"Content-Type", "application/json"}};
    for (std::size_t from = 0; from < ops.size(); from += 50) {
      json batch = json::array();
      for (std::size_t i = from; i < from + 50; ++i) batch.push_back(ops[i]);
      const json body{{"site", site.id}, {"batch", name + "-" + std::to_string(from)}, {"after", from}, {"ops", batch}};
      const HttpResponse r = client.request("POST", "/api/v1/sync/push", body.dump(), h);
      if (r.status != 200) {
        out.refused.push_back(r.status);
        continue;
      }
      out.applied += r.json()["applied"].get<std::int64_t>();
      out.duplicates += r.json()["duplicates"].get<std::int64_t>();
    }
  };
  Pushed one, two, other_site;
  {
    std::thread t1(push_all, hq.server->process->client(), a, std::cref(kanpur_ops), "first", std::ref(one));
    std::thread t2(push_all, second.client(), a, std::cref(kanpur_ops), "second", std::ref(two));
    std::thread t3(push_all, second.client(), b, std::cref(lucknow_ops), "lucknow", std::ref(other_site));
    t1.join();
    t2.join();
    t3.join();
  }
  CHECK(one.refused.empty());
  CHECK(two.refused.empty());
  CHECK(other_site.refused.empty());
  // Every operation applied by exactly one of the two pushers, the other saw it as a duplicate.
  CHECK(one.applied + two.applied == 1000);
  CHECK(one.duplicates + two.duplicates == 1000);
  CHECK(other_site.applied == 1000);
  for (const auto& [site, prefix] : {std::pair{a.id, std::string("SB8%")}, std::pair{b.id, std::string("SB9%")}}) {
    INFO("site " << site);
    CHECK(hq.server->scalar("SELECT COUNT(*) FROM bags WHERE code LIKE '" + prefix + "'") == 500);
    CHECK(hq.server->scalar("SELECT COUNT(*) FROM scan_events WHERE code LIKE '" + prefix + "'") == 500);
    CHECK(hq.server->scalar("SELECT COUNT(*) FROM sync_ops o JOIN sites s ON s.id = o.site_id WHERE s.uid = '" + site + "'") == 1000);
    CHECK(hq.server->scalar("SELECT acked_seq FROM sites WHERE uid = '" + site + "'") == 1000);
  }
}

TEST_CASE("sync: a depot blocked by a wrong token pushes once its token file is replaced and an administrator tries again") {
  HeadOffice hq;
  const auto [a, b] = hq.two_sites();
  (void)b;
  SyncSite wrong = a;
  wrong.token = "tts_" + std::string(64, '1');
  DepotBox kanpur(hq, wrong, "Kanpur");
  REQUIRE(kanpur.scan_parent("SB73000").status == 201);
  const json s = kanpur.status_when("blocked");
  REQUIRE(s["state"] == "blocked");
  CHECK(s["reason"].is_string());
  // The operator's command says so from the database, with what to do, and exits 3.
  const auto blocked = run_tracetrack({"sync", "status", "--db", kanpur.server->db.url()});
  INFO(blocked.output);
  CHECK(blocked.exit_code == 3);
  CHECK(blocked.output.find("pushes to head office as site " + a.id) != std::string::npos);
  CHECK(blocked.output.find("State: blocked") != std::string::npos);
  CHECK(blocked.output.find("Try again now") != std::string::npos);
  CHECK(blocked.output.find("Last error: ") != std::string::npos);
  // A token file that cannot be read: refused, and the depot stays blocked.
  std::filesystem::remove(kanpur.token_file);
  auto unreadable = kanpur.server->call("POST", "/api/v1/sync/retry", kanpur.server->admin, json::object());
  CHECK(unreadable.status == 409);
  CHECK(unreadable.json()["error"]["message"].get<std::string>().find("cannot read the sync token") != std::string::npos);
  CHECK(kanpur.status()["state"] == "blocked");
  // The renewed token in the file, then "try again now": no restart.
  std::ofstream(kanpur.token_file) << a.token << "\n";
  auto retried = kanpur.server->call("POST", "/api/v1/sync/retry", kanpur.server->admin, json::object());
  CHECK(retried.status == 202);
  CHECK(retried.json()["state"] != "blocked");
  REQUIRE(kanpur.drained());
  for (const char* table : {"bags", "scan_events"}) check_arrived(kanpur, hq, table, a.id);

  const auto ok = run_tracetrack({"sync", "status", "--db", kanpur.server->db.url()});
  INFO(ok.output);
  CHECK(ok.exit_code == 0);
  CHECK(ok.output.find("State: ok.") != std::string::npos);
  CHECK(ok.output.find("Waiting: 0 operations.") != std::string::npos);
  // Head office lists its sites: the one that pushed has no lag, the other never pushed.
  const auto office = run_tracetrack({"sync", "status", "--db", hq.server->db.url()});
  INFO(office.output);
  CHECK(office.exit_code == 0);
  CHECK(office.output.find("This database is head office: 2 sites registered, 0 open conflicts.") != std::string::npos);
  CHECK(office.output.find("Kanpur depot") != std::string::npos);
  CHECK(office.output.find("never") != std::string::npos);
  // Neither: said in words.
  const std::string plain = "sqlite:" + (kanpur.dir / "plain.db").string();
  REQUIRE(run_tracetrack({"migrate", "--db", plain}).exit_code == 0);
  const auto off = run_tracetrack({"sync", "status", "--db", plain});
  CHECK(off.exit_code == 0);
  CHECK(off.output.find("Synchronisation is off on this database") != std::string::npos);
}

TEST_CASE("sync: a depot restored from a backup older than what head office saw stops as diverged and says what to do") {
  HeadOffice hq;
  const auto [a, b] = hq.two_sites();
  (void)b;
  DepotBox kanpur(hq, a, "Kanpur");
  REQUIRE(kanpur.scan_parent("SB74000").status == 201);
  REQUIRE(kanpur.drained());
  // Last night's backup; then a morning of scans that head office receives.
  const fs::path backup = kanpur.dir / "last-night.db";
  const auto saved = run_tracetrack({"backup", backup.string(), "--db", kanpur.server->db.url()});
  INFO(saved.output);
  REQUIRE(saved.exit_code == 0);
  for (int c = 0; c < 5; ++c) REQUIRE(kanpur.scan_child("SB74000", "MORNING" + std::to_string(c)).status == 200);
  REQUIRE(kanpur.drained());
  const std::int64_t ops_there = hq.server->scalar("SELECT COUNT(*) FROM sync_ops");

  // The disk is replaced and the depot comes back on last night's backup.
  kanpur.server->process->signal(SIGTERM);
  kanpur.server->process->wait_exit(std::chrono::seconds(15));
  const std::string db_file = kanpur.server->db.url().substr(std::string("sqlite:").size());
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db_file + suffix);
  fs::copy_file(backup, db_file);
  kanpur.server->process = std::make_unique<ServerProcess>(kanpur.server->db.url(), kanpur.options);
  kanpur.server->http = kanpur.server->process->client();

  const json s = kanpur.status_when("diverged");
  INFO(s.dump());
  REQUIRE(s["state"] == "diverged");
  CHECK(s["reason"].get<std::string>().find("older than what head office saw") != std::string::npos);
  const auto told = run_tracetrack({"sync", "status", "--db", kanpur.server->db.url()});
  INFO(told.output);
  CHECK(told.exit_code == 3);
  CHECK(told.output.find("State: diverged") != std::string::npos);
  CHECK(told.output.find("registered at head office as a new site") != std::string::npos);
  // Head office lost nothing and was sent nothing of the older database.
  CHECK(hq.server->scalar("SELECT COUNT(*) FROM sync_ops") == ops_there);
  CHECK(hq.server->scalar("SELECT COUNT(*) FROM scan_events WHERE code LIKE 'MORNING%'") == 5);
  // Scanning goes on at the depot meanwhile: nothing refused on the floor.
  CHECK(kanpur.scan_child("SB74000", "AFTER-RESTORE").status == 200);
}

TEST_CASE("sync: what the command line changes at a depot reaches head office too") {
  HeadOffice hq;
  const auto [a, b] = hq.two_sites();
  (void)b;
  DepotBox kanpur(hq, a, "Kanpur");
  REQUIRE(kanpur.scan_parent("SB75000").status == 201);
  REQUIRE(kanpur.drained());
  // An import of parent,child pairs and a new user, by the command line beside the running server.
  const fs::path file = kanpur.dir / "pairs.csv";
  std::ofstream(file) << "parent,child\r\nSB75000,CLI-1\r\nSB75001,CLI-2\r\nSB75001,CLI-3\r\n";
  const auto imported = run_tracetrack({"import", file.string(), "--area", "Kanpur", "--db", kanpur.server->db.url()});
  INFO(imported.output);
  REQUIRE(imported.exit_code == 0);
  const auto added = run_tracetrack({"user", "add", "ravi", "--role", "dispatcher", "--area", "Kanpur", "--db",
                                     kanpur.server->db.url()});
  INFO(added.output);
  CHECK(added.exit_code == 0);
  REQUIRE(kanpur.drained());
  for (const char* table : {"bags", "links", "scan_events"}) check_arrived(kanpur, hq, table, a.id);
  CHECK(hq.server->scalar("SELECT COUNT(*) FROM links l JOIN bags c ON c.id = l.child_id WHERE c.code LIKE 'CLI-%'") == 3);
  const auto audit_here = texts(kanpur.server->db.url(), "SELECT uid FROM audit_log");
  const auto audit_there = texts(hq.server->db.url(), "SELECT uid FROM audit_log WHERE site_id IS NOT NULL");
  CHECK(std::includes(audit_there.begin(), audit_there.end(), audit_here.begin(), audit_here.end()));
}

TEST_CASE("sync: pushes that do not follow, or that a site may not make, change nothing") {
  HeadOffice hq;
  const auto [a, b] = hq.two_sites();
  const Caller site_a = AccountsServer::bearer(a.token);
  auto op = [](std::int64_t seq, const std::string& code, const std::string& area) {
    return json{{"seq", seq}, {"uid", util::uuid_v7()}, {"kind", "bag.create"}, {"at", 1700000000000000LL}, {"user", "ravi"},
                {"data", {{"bag", {{"uid", util::uuid_v7()}, {"code", code}, {"type", "parent"}, {"kind", "SB"}}}, {"area", area}}}};
  };
  auto push = [&](const Caller& who, json ops, const std::string& batch, std::int64_t after = 0) {
    return hq.server->call("POST", "/api/v1/sync/push", who,
                           {{"site", a.id}, {"batch", batch}, {"after", after}, {"ops", std::move(ops)}});
  };
  const json first = json::array({op(1, "SB50001", "Kanpur"), op(2, "SB50002", "Kanpur")});
  auto applied = push(site_a, first, "b1");
  REQUIRE(applied.status == 200);
  CHECK(applied.json()["applied_through"] == 2);
  CHECK(applied.json()["applied"] == 2);
  // The same batch again (its answer was lost): the first answer, nothing twice.
  auto again = push(site_a, first, "b1");
  CHECK(again.status == 200);
  CHECK(again.json()["applied"] == 2);
  // The same operations in another batch: duplicates.
  auto resent = push(site_a, first, "b1-resent");
  CHECK(resent.json()["duplicates"] == 2);
  CHECK(resent.json()["applied"] == 0);
  CHECK(hq.server->scalar("SELECT COUNT(*) FROM bags WHERE code LIKE 'SB5000%'") == 2);
  // A batch that follows more than head office applied: 409 with the sequence it expects.
  auto gap = push(site_a, json::array({op(5, "SB50005", "Kanpur")}), "b2", 4);
  CHECK(gap.status == 409);
  CHECK(error_code(gap) == "sync_gap");
  CHECK(gap.json()["expected_seq"] == 3);
  // An operation already applied, with another uid: not the database head office heard from.
  auto divergent = push(site_a, json::array({op(2, "SB50002", "Kanpur")}), "b3");
  CHECK(divergent.status == 409);
  CHECK(error_code(divergent) == "sync_divergent_op");
  // Outside the site's areas: 403, and nothing of the batch is stored.
  auto outside = push(site_a, json::array({op(3, "SB50003", "Kanpur"), op(4, "SB50004", "Lucknow")}), "b4");
  CHECK(outside.status == 403);
  CHECK(hq.server->scalar("SELECT COUNT(*) FROM bags WHERE code IN ('SB50003', 'SB50004')") == 0);
  // An operation kind this head office does not know: 422 sync_unsupported, nothing stored.
  json unknown = op(3, "SB50003", "Kanpur");
  unknown["kind"] = "bag.teleport";
  auto unsupported = push(site_a, json::array({unknown}), "b5");
  CHECK(unsupported.status == 422);
  CHECK(error_code(unsupported) == "sync_unsupported");
  // A protocol this head office does not speak (a depot newer than head office): 422, nothing
  // stored; the versions it speaks go through.
  for (const auto& [version, status] : {std::pair{"3", 422}, std::pair{"1", 200}, std::pair{"2", 200}}) {
    Caller versioned = site_a;
    versioned.headers.emplace_back("TraceTrack-Sync", version);
    auto r = hq.server->call("POST", "/api/v1/sync/push", versioned,
                             {{"site", a.id}, {"batch", std::string("v") + version}, {"after", 2}, {"ops", json::array()}});
    INFO("protocol " << version << ": " << r.body);
    CHECK(r.status == status);
    if (status == 422) CHECK(error_code(r) == "sync_unsupported");
  }
  // Writing as another site: 403. A wrong token: 401. A user's credentials on the route: 403.
  auto as_b = hq.server->call("POST", "/api/v1/sync/push", AccountsServer::bearer(b.token),
                              {{"site", a.id}, {"batch", "b6"}, {"ops", json::array({op(1, "SB50009", "Lucknow")})}});
  CHECK(as_b.status == 403);
  CHECK(push(AccountsServer::bearer("tts_" + std::string(64, '0')), first, "b7").status == 401);
  CHECK(push(hq.server->admin, first, "b8").status == 403);
  // More operations than a batch may hold: 413.
  json many = json::array();
  for (int i = 0; i < 501; ++i) many.push_back(op(3 + i, "SB6" + std::to_string(1000 + i), "Kanpur"));
  CHECK(push(site_a, many, "b9").status == 413);
  CHECK(hq.server->scalar("SELECT acked_seq FROM sites WHERE uid = '" + a.id + "'") == 2);
}

TEST_CASE("sync: a depot refuses to start with a bad upstream, and a database pushes as one site only") {
  ScratchDatabase db("sqlite");
  const fs::path dir = fs::temp_directory_path() / ("tt-depot-" + util::uuid_v7());
  fs::create_directories(dir);
  const std::string token_file = (dir / "token").string();
  std::ofstream(token_file) << "tts_" << std::string(64, 'a') << "\n";
  const std::string site = util::uuid_v7();
  auto refused = run_tracetrack({"serve", "--db", db.url(), "--listen", "127.0.0.1:0", "--upstream",
                                 "http://head-office.example:8080", "--site-id", site, "--sync-token-file", token_file});
  CHECK(refused.exit_code != 0);
  CHECK(refused.output.find("https://") != std::string::npos);
  auto partial = run_tracetrack({"serve", "--db", db.url(), "--listen", "127.0.0.1:0", "--upstream", "https://hq.example"});
  CHECK(partial.exit_code != 0);
  CHECK(partial.output.find("--site-id") != std::string::npos);
  auto no_token = run_tracetrack({"serve", "--db", db.url(), "--listen", "127.0.0.1:0", "--upstream", "https://hq.example",
                                  "--site-id", site, "--sync-token-file", (dir / "missing").string()});
  CHECK(no_token.exit_code != 0);
  CHECK(no_token.output.find("cannot read the sync token") != std::string::npos);
  {
    ServeOptions o;
    o.args = {"--upstream", "https://hq.example", "--site-id", site, "--sync-token-file", token_file};
    ServerProcess first(db.url(), o);
    first.stop();
  }
  auto other = run_tracetrack({"serve", "--db", db.url(), "--listen", "127.0.0.1:0", "--upstream", "https://hq.example",
                               "--site-id", util::uuid_v7(), "--sync-token-file", token_file});
  INFO("tracetrack serve with another --site-id said (exit " << other.exit_code << "): " << other.output);
  CHECK(other.exit_code != 0);
  CHECK(other.output.find("one database is one site") != std::string::npos);
  fs::remove_all(dir);
}
