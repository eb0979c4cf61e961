// A randomised day of three depots and head office (SPEC §8), bounded in time: random parent and
// child scans (new children, children moved between a depot's parents, and children of a shared
// pool that two depots link into their own parents: conflicts), bills filled and completed, and
// faults made on purpose while it runs: a depot killed with SIGKILL and restarted, answers to
// pushes lost on the way back, head office down for a while. One depot's clock is five hours
// ahead. At the end, with head office up, every depot drains and both sides are compared: each
// depot's scan events, audit entries, bills and bill parents are at head office by uid, as the
// site's, each operation applied once; every child a depot holds is at head office, and outside
// the shared pool in the same parent.
//
// TT_SYNC_RANDOM_SECONDS sets how long the work lasts (default 12: the test command); bench/sync-random
// runs it longer and prints the figures. TT_SYNC_RANDOM_SEED replays a run (its seed is printed).
#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <iterator>
#include <cstdlib>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "accounts_fixture.hpp"
#include "sync_fixture.hpp"

using namespace tt;
using namespace tt::test;
using nlohmann::json;

namespace {

long env_number(const char* name, long fallback) {
  const char* v = std::getenv(name);
  if (!v || !*v) return fallback;
  return std::strtol(v, nullptr, 10);
}

struct Depot {
  std::string name;
  std::string area;
  SyncSite site;
  std::unique_ptr<AnswerDroppingProxy> proxy;
  std::unique_ptr<DepotBox> box;
  std::vector<std::string> parents;
  std::vector<std::string> children;  // its own, not of the shared pool
  std::vector<std::string> bills;
  int next = 0;
};

struct Figures {
  int parent_scans = 0, child_scans = 0, moves = 0, shared = 0, bills = 0, fills = 0, completed = 0;
  int kills = 0, dropped = 0, head_office_down = 0, refused = 0;
};

std::vector<std::string> pairs(const std::string& url, const std::string& where) {
  return texts(url, "SELECT p.code || ':' || c.code FROM links l JOIN bags p ON p.id = l.parent_id"
                    " JOIN bags c ON c.id = l.child_id WHERE " + where);
}

}  // namespace

TEST_CASE("sync random: three depots, random work and faults, and both sides equal at the end") {
  const long seconds = env_number("TT_SYNC_RANDOM_SECONDS", 12);
  const auto seed = static_cast<std::uint64_t>(env_number("TT_SYNC_RANDOM_SEED", std::random_device{}()));
  std::mt19937_64 random(seed);
  INFO("seed " << seed);
  auto chance = [&](int percent) { return std::uniform_int_distribution<int>(0, 99)(random) < percent; };
  auto pick = [&](const auto& list) { return list[std::uniform_int_distribution<std::size_t>(0, list.size() - 1)(random)]; };

  HeadOffice hq;
  std::vector<Depot> depots(3);
  const char* names[] = {"Kanpur", "Lucknow", "Agra"};
  for (std::size_t i = 0; i < depots.size(); ++i) {
    Depot& d = depots[i];
    d.area = names[i];
    d.name = d.area + " depot";
    hq.server->add_area(d.area);
    d.site = hq.add_site(d.name, {d.area});
    d.proxy = std::make_unique<AnswerDroppingProxy>(hq.port, 0);
    std::vector<std::pair<std::string, std::string>> env;
    if (i == 2) env.emplace_back("TRACETRACK_CLOCK_OFFSET_SECONDS", "18000");  // five hours ahead
    d.box = std::make_unique<DepotBox>(hq, d.site, d.area, d.proxy->url(), env);
  }

  Figures f;
  int parent_number = 10000;
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < until) {
    Depot& d = depots[std::uniform_int_distribution<std::size_t>(0, depots.size() - 1)(random)];
    const int roll = std::uniform_int_distribution<int>(0, 99)(random);
    if (roll < 12 || d.parents.empty()) {
      const std::string code = "SB" + std::to_string(++parent_number);
      if (d.box->scan_parent(code).status == 201) {
        d.parents.push_back(code);
        ++f.parent_scans;
      }
    } else if (roll < 72) {
      const std::string parent = pick(d.parents);
      std::string child;
      if (chance(8)) {
        child = "SHARED-" + std::to_string(std::uniform_int_distribution<int>(1, 8)(random));
        ++f.shared;
      } else if (chance(15) && !d.children.empty()) {
        child = pick(d.children);
        ++f.moves;
      } else {
        child = d.area.substr(0, 3) + "-" + std::to_string(++d.next);
        d.children.push_back(child);
      }
      const auto r = d.box->scan_child(parent, child);
      if (r.status == 200) ++f.child_scans;
      else ++f.refused;  // a full parent, a child in a parent on a completed bill: the rules
    } else if (roll < 82) {
      if (d.bills.empty() || chance(30)) {
        const std::string code = "BL-" + d.area.substr(0, 3) + "-" + std::to_string(++d.next);
        auto r = d.box->server->call("POST", "/api/v1/bills", d.box->worker,
                                     {{"code", code}, {"description", "random run"}, {"capacity", 5}});
        if (r.status == 201) {
          d.bills.push_back(code);
          ++f.bills;
        }
      } else {
        const std::string bill = pick(d.bills);
        if (chance(15)) {
          if (d.box->server->call("POST", "/api/v1/bills/" + bill + "/complete", d.box->worker).status == 200) ++f.completed;
        } else {
          auto r = d.box->server->call("POST", "/api/v1/bills/" + bill + "/parents", d.box->worker, {{"code", pick(d.parents)}});
          if (r.status == 200 || r.status == 201) ++f.fills;
          else ++f.refused;
        }
      }
    } else if (roll < 88) {
      d.proxy->drop_next(1);
      ++f.dropped;
    } else if (roll < 93) {
      d.box->kill_and_restart();
      ++f.kills;
    } else if (roll < 95) {
      hq.kill();
      std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(200, 1500)(random)));
      hq.start();
      ++f.head_office_down;
    }
  }

  // Head office is up: every depot sends the rest.
  const auto drain_started = std::chrono::steady_clock::now();
  for (auto& d : depots) {
    bool drained = false;
    try {
      drained = d.box->drained(std::chrono::seconds(180));
    } catch (const std::exception& e) {
      const auto code = d.box->server->process->wait_exit(std::chrono::seconds(0));
      MESSAGE(d.name << ": " << e.what() << "; its server " << (code ? "exited with " + std::to_string(*code) : "runs")
                     << "; it said: " << d.box->server->process->output());
    }
    REQUIRE(drained);
  }
  const auto drain_s = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - drain_started).count() / 1000.0;

  const std::string hq_url = hq.server->db.url();
  int equal_tables = 0;
  for (auto& d : depots) {
    const std::string url = d.box->server->db.url();
    const std::string of_site = " t JOIN sites s ON s.id = t.site_id WHERE s.uid = '" + d.site.id + "'";
    INFO("depot " << d.name);
    // Append-only rows and bills: the same uids on both sides, once.
    for (const char* table : {"scan_events", "bills", "bill_parents"}) {
      INFO("table " << table);
      const auto here = texts(url, std::string("SELECT uid FROM ") + table);
      const auto there = texts(hq_url, std::string("SELECT t.uid FROM ") + table + of_site);
      CHECK(here == there);
      equal_tables += here == there;
    }
    const auto audit_here = texts(url, "SELECT uid FROM audit_log");
    const auto audit_there = texts(hq_url, "SELECT t.uid FROM audit_log" + of_site);
    CHECK(std::includes(audit_there.begin(), audit_there.end(), audit_here.begin(), audit_here.end()));
    // Each operation applied once.
    const std::int64_t acked = d.box->status()["acked_seq"];
    CHECK(hq.server->scalar("SELECT COUNT(*) FROM sync_ops t JOIN sites s ON s.id = t.site_id WHERE s.uid = '" +
                            d.site.id + "'") == acked);
    // Every bag is at head office; the depot's own children are where it put them.
    const auto codes_here = texts(url, "SELECT code FROM bags");
    const auto codes_there = texts(hq_url, "SELECT code FROM bags");
    CHECK(std::includes(codes_there.begin(), codes_there.end(), codes_here.begin(), codes_here.end()));
    // The codes as stored: upper case (PostgreSQL's LIKE tells case apart, SQLite's does not).
    std::string prefix = d.area.substr(0, 3);
    for (auto& ch : prefix) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    const std::string own = "c.code LIKE '" + prefix + "-%'";
    const auto pairs_here = pairs(url, own);
    const auto pairs_there = pairs(hq_url, own);
    std::vector<std::string> only_here, only_there;
    std::set_difference(pairs_here.begin(), pairs_here.end(), pairs_there.begin(), pairs_there.end(), std::back_inserter(only_here));
    std::set_difference(pairs_there.begin(), pairs_there.end(), pairs_here.begin(), pairs_here.end(), std::back_inserter(only_there));
    INFO("only at the depot: " << json(only_here).dump() << "; only at head office: " << json(only_there).dump());
    CHECK(pairs_here == pairs_there);
  }
  const std::int64_t conflicts = hq.server->scalar("SELECT COUNT(*) FROM sync_conflicts");
  std::cout << "sync-random: seed " << seed << ", " << seconds << " s of work: " << f.parent_scans << " parent scans, "
            << f.child_scans << " child scans (" << f.moves << " moves, " << f.shared << " of the shared pool), "
            << f.bills << " bills, " << f.fills << " bill fills, " << f.completed << " completed, " << f.refused
            << " refused by the rules; faults: " << f.kills << " depot kills, " << f.dropped << " answers lost, "
            << f.head_office_down << " times head office down; drained in " << drain_s << " s; " << conflicts
            << " conflicts recorded; " << equal_tables << " of " << depots.size() * 3 << " tables equal by uid\n";
}
