// `tracetrack backup` of a live SQLite database (SPEC §6, the nightly timer of packaging/): a copy
// taken while scans are being written holds every scan acknowledged before it began and passes
// SQLite's integrity check; --into names copies by time, never leaves a partial one, and keeps N.
#include <doctest/doctest.h>

#include <atomic>
#include <filesystem>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>

#include "depot_fixture.hpp"
#include "support/server_process.hpp"

using namespace tt::test;

namespace {

bool on_sqlite(const ScratchDatabase& db) { return db.url().starts_with("sqlite:"); }

std::string sqlite_file(const ScratchDatabase& db) { return db.url().substr(std::string("sqlite:").size()); }

std::vector<std::filesystem::path> copies_in(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> out;
  for (const auto& e : std::filesystem::directory_iterator(dir)) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("backup: a copy taken while scans are written is whole and holds every acknowledged scan") {
  Depot d;
  if (!on_sqlite(d.db)) return;  // PostgreSQL is backed up with pg_dump
  REQUIRE(d.call("POST", "/api/v1/scans/parent", d.dispatcher, {{"code", "SB20001"}}).status == 201);

  // A writer scans children as fast as the server acknowledges them, until told to stop.
  std::atomic<bool> stop{false};
  std::vector<std::string> acknowledged;  // in order; read only after join
  std::thread writer([&] {
    auto c = d.client();
    std::string parent = "SB20001";
    for (int i = 0; !stop && i < 5000; ++i) {
      const std::string code = "BK" + std::to_string(100000 + i);
      auto r = d.call(c, "POST", "/api/v1/scans/child", d.dispatcher, {{"parent", parent}, {"code", code}});
      if (r.status == 200 || r.status == 201) acknowledged.push_back(code);
      if (r.status == 409) {  // the parent is full: the next one
        parent = "SB2" + std::to_string(5000 + i);
        d.call(c, "POST", "/api/v1/scans/parent", d.dispatcher, {{"code", parent}});
      }
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  // Scans acknowledged before the backup starts must all be in it.
  const auto dir = std::filesystem::path(sqlite_file(d.db)).parent_path() / "backups";
  // The writer's list is not shared while it runs: count what the database holds instead. Scans
  // are sent one after another, so the committed ones are the first of the acknowledged ones.
  const auto before_backup = static_cast<std::size_t>(d.count("bags WHERE code LIKE 'BK%'"));
  auto result = run_tracetrack({"backup", "--into", dir.string(), "--db", d.db.url()});
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  stop = true;
  writer.join();
  REQUIRE_MESSAGE(result.exit_code == 0, result.output);
  CHECK(before_backup > 0);

  auto copies = copies_in(dir);
  REQUIRE(copies.size() == 1);
  const std::string name = copies[0].filename().string();
  CHECK(name.starts_with("tracetrack-"));
  CHECK(name.ends_with("Z.db"));

  // Restore, as the README says: the copy is the database file of a new server.
  SQLite::Database copy(copies[0].string(), SQLite::OPEN_READONLY);
  CHECK(copy.execAndGet("PRAGMA integrity_check").getString() == "ok");
  std::set<std::string> in_copy;
  SQLite::Statement q(copy, "SELECT code FROM bags WHERE code LIKE 'BK%'");
  while (q.executeStep()) in_copy.insert(q.getColumn(0).getString());
  CHECK(in_copy.size() >= before_backup);
  // Every scan acknowledged before the backup began is in it (acknowledged in order, so the first
  // `before_backup` ones are exactly those the database held then).
  REQUIRE(acknowledged.size() >= before_backup);
  for (std::size_t i = 0; i < before_backup; ++i) CHECK_MESSAGE(in_copy.count(acknowledged[i]), acknowledged[i]);
  const auto links = copy.execAndGet("SELECT count(*) FROM links").getInt64();
  CHECK(links == static_cast<std::int64_t>(in_copy.size()));

  const std::string restored = (dir / "restored.db").string();
  std::filesystem::copy_file(copies[0], restored);
  ServerProcess server("sqlite:" + restored);
  auto c = server.client();
  CHECK(c.get("/readyz").status == 200);
}

TEST_CASE("backup --into keeps the newest N copies and refuses bad options") {
  ScratchDatabase db;
  if (!on_sqlite(db)) return;
  REQUIRE(run_tracetrack({"migrate", "--db", db.url()}).exit_code == 0);
  const auto dir = std::filesystem::path(sqlite_file(db)).parent_path() / "nightly";
  for (int i = 0; i < 3; ++i) {
    if (i) std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // names have whole seconds
    auto r = run_tracetrack({"backup", "--into", dir.string(), "--keep", "2", "--db", db.url()});
    REQUIRE_MESSAGE(r.exit_code == 0, r.output);
    if (i == 2) CHECK(r.output.find("removed the older copy") != std::string::npos);
  }
  auto copies = copies_in(dir);
  CHECK(copies.size() == 2);
  for (const auto& c : copies) CHECK(c.filename().string().find("partial") == std::string::npos);
  CHECK(run_tracetrack({"backup", "--keep", "2", "--db", db.url()}).exit_code == 2);
  CHECK(run_tracetrack({"backup", "--into", dir.string(), "--keep", "0", "--db", db.url()}).exit_code == 2);
  CHECK(run_tracetrack({"backup", "a.db", "--into", dir.string(), "--db", db.url()}).exit_code == 2);
}
