// Restores (SPEC §8 "Restores"), tested as operators make them: head office (the backend under
// test) stopped and its database put back as it was earlier (a copy of the SQLite file, or a
// PostgreSQL database made from a template), then started again, with a depot (SQLite) that kept
// working meanwhile. Head office asks for what it lost and the depot sends it again: nothing lost,
// nothing doubled, the depot's users from head office still arrive. A depot that no longer keeps
// what head office asks for (older than sync_retention_days) stops, saying so.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>

#include "accounts_fixture.hpp"
#include "support/pg_admin.hpp"
#include "sync_fixture.hpp"

using namespace tt;
using namespace tt::test;
using nlohmann::json;

namespace {

// The database of a stopped server as it is now, to be put back later.
class DatabaseCopy {
 public:
  explicit DatabaseCopy(std::string url) : url_(std::move(url)) {
    if (url_.starts_with("sqlite:")) {
      file_ = url_.substr(7);
      fs::copy_file(file_, file_ + ".copy", fs::copy_options::overwrite_existing);
    } else {
      admin_ = std::getenv("TRACETRACK_TEST_PG_URL");
      name_ = url_.substr(url_.rfind('/') + 1);
      pg_admin_exec(admin_, "CREATE DATABASE \"" + name_ + "_copy\" TEMPLATE \"" + name_ + "\"");
    }
  }
  ~DatabaseCopy() {
    try {
      if (!file_.empty()) fs::remove(file_ + ".copy");
      else pg_admin_exec(admin_, "DROP DATABASE IF EXISTS \"" + name_ + "_copy\"");
    } catch (...) {
    }
  }
  // Puts the copy back in place of the database (its server stopped).
  void restore() {
    if (!file_.empty()) {
      fs::remove(file_ + "-wal");
      fs::remove(file_ + "-shm");
      fs::copy_file(file_ + ".copy", file_, fs::copy_options::overwrite_existing);
    } else {
      pg_admin_exec(admin_, "DROP DATABASE \"" + name_ + "\"");
      pg_admin_exec(admin_, "CREATE DATABASE \"" + name_ + "\" TEMPLATE \"" + name_ + "_copy\"");
    }
  }

 private:
  std::string url_, file_, admin_, name_;
};


bool arrives(DepotBox& depot, const std::string& username) {
  for (int i = 0; i < 300; ++i) {
    const auto users = texts(depot.server->db.url(), "SELECT username FROM users");
    if (std::find(users.begin(), users.end(), username) != users.end()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

}  // namespace

TEST_CASE("sync restores: head office restored from an older copy gets again what it lost, once") {
  HeadOffice hq;
  const auto [a, b] = hq.two_sites();
  DepotBox depot(hq, a, "Kanpur");
  REQUIRE(depot.scan_parent("SB81000").status == 201);
  for (int i = 0; i < 5; ++i) REQUIRE(depot.scan_child("SB81000", "EARLY-" + std::to_string(i)).status == 200);
  REQUIRE(depot.drained());

  hq.stop();
  DatabaseCopy older(hq.server->db.url());
  hq.start();
  // After the copy: more scans at the depot, and a user made at head office.
  REQUIRE(depot.scan_parent("SB81001").status == 201);
  for (int i = 0; i < 5; ++i) REQUIRE(depot.scan_child("SB81001", "LATE-" + std::to_string(i)).status == 200);
  hq.server->add_user("before-restore", kPw, "dispatcher", "Kanpur");
  REQUIRE(depot.drained());
  REQUIRE(arrives(depot, "before-restore"));
  const std::int64_t acked = depot.status()["acked_seq"];

  // The restore: head office is as it was before the later scans.
  hq.stop();
  older.restore();
  hq.start();
  CHECK(hq.server->scalar("SELECT COUNT(*) FROM bags WHERE code LIKE 'LATE-%'") == 0);
  CHECK(hq.server->scalar("SELECT acked_seq FROM sites WHERE uid = '" + a.id + "'") < acked);

  // The depot sends again what head office lost (at its next round: until then its own status
  // still says everything was acknowledged), and nothing twice.
  const std::string cursor = "SELECT acked_seq FROM sites WHERE uid = '" + a.id + "'";
  for (int i = 0; i < 300 && hq.server->scalar(cursor) < acked; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  REQUIRE(hq.server->scalar(cursor) == acked);
  REQUIRE(depot.drained());
  CHECK(depot.status()["acked_seq"] == acked);
  for (const char* table : {"bags", "links", "scan_events"}) check_arrived(depot, hq, table, a.id);
  CHECK(hq.server->scalar("SELECT COUNT(*) FROM bags WHERE code LIKE 'LATE-%'") == 5);
  CHECK(hq.server->scalar("SELECT COUNT(*) FROM sync_ops s JOIN sites t ON t.id = s.site_id WHERE t.uid = '" + a.id +
                          "'") == acked);
  // Head office's feed starts again where the copy left it: the depot is sent the whole state,
  // and what head office makes now arrives.
  hq.server->add_user("after-restore", kPw, "dispatcher", "Kanpur");
  CHECK(arrives(depot, "after-restore"));
}

TEST_CASE("sync restores: a depot that no longer keeps what a restored head office asks for stops and says why") {
  HeadOffice hq;
  const auto [a, b] = hq.two_sites();
  DepotBox depot(hq, a, "Kanpur");
  REQUIRE(depot.drained());
  hq.stop();
  DatabaseCopy older(hq.server->db.url());
  hq.start();
  REQUIRE(depot.scan_parent("SB82000").status == 201);
  for (int i = 0; i < 3; ++i) REQUIRE(depot.scan_child("SB82000", "AGED-" + std::to_string(i)).status == 200);
  REQUIRE(depot.drained());
  // Everything acknowledged is two days old, and the depot keeps one day: a restart prunes it.
  REQUIRE(depot.server->call("PATCH", "/api/v1/settings", depot.server->admin, {{"sync_retention_days", 1}}).status == 200);
  REQUIRE(depot.drained());
  depot.server->process->stop();
  depot.server->sql("UPDATE sync_outbox SET at = at - 172800000000");
  depot.server->process = std::make_unique<ServerProcess>(depot.server->db.url(), depot.options);
  depot.server->http = depot.server->process->client();
  for (int i = 0; i < 100 && depot.server->scalar("SELECT COUNT(*) FROM sync_outbox") > 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  REQUIRE(depot.server->scalar("SELECT COUNT(*) FROM sync_outbox") == 0);

  hq.stop();
  older.restore();
  hq.start();
  const json s = depot.status_when("blocked");
  CHECK(s["state"] == "blocked");
  CHECK(s["reason"].get<std::string>().find("sync_retention_days") != std::string::npos);
  CHECK(s["reason"].get<std::string>().find("Restore head office from a newer backup") != std::string::npos);
}
