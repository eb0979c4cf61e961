// A depot's outbox after head office acknowledged it (SPEC §8 "Restores"), on both backends:
// operations older than sync_retention_days are removed, but only as an unbroken run from the
// oldest kept, so that what stays has no hole a restored head office could be sent past.
#include <doctest/doctest.h>

#include <string>

#include "domain_world.hpp"
#include "services/sync_depot.hpp"
#include "util/time.hpp"

using namespace tt;
using namespace tt::test;

namespace {

void run(World& w, const std::string& sql) {
  run_sync(w.db->write(storage::job(storage::run_statement, sql, storage::Params{})));
}

std::int64_t count(World& w, const std::string& sql) {
  return run_sync(w.db->read(storage::job(storage::query_int, sql, storage::Params{})));
}

}  // namespace

TEST_CASE("sync outbox: acknowledged operations older than sync_retention_days go, from the oldest kept up to the first younger one") {
  World w;
  const std::int64_t day = 86400LL * 1000000LL;
  const std::int64_t now = util::now_us();
  run(w, "INSERT INTO sync_depot (id, site_uid, enabled_at, acked_seq) VALUES (1, 'site', 1, 6)");
  // Seqs 1-7: old, old, young (a snapshot writes each row with its own time), old, old, old, and an
  // old one head office has not acknowledged.
  const std::int64_t ages[] = {40, 40, 1, 40, 40, 40, 40};
  for (int i = 0; i < 7; ++i) {
    run(w, "INSERT INTO sync_outbox (uid, kind, at, payload) VALUES ('op-" + std::to_string(i + 1) + "', 'audit', " +
               std::to_string(now - ages[i] * day) + ", '{}')");
  }
  CHECK(run_sync(w.db->write(storage::job(services::prune_outbox))) == 2);
  CHECK(count(w, "SELECT MIN(seq) FROM sync_outbox") == 3);
  CHECK(count(w, "SELECT COUNT(*) FROM sync_outbox") == 5);

  // Once the young one is old enough (a shorter setting), the rest of the acknowledged run goes;
  // the unacknowledged one stays whatever its age.
  run(w, "INSERT INTO settings (key, value, updated_at) VALUES ('sync_retention_days', '1.0', 1)");
  run(w, "UPDATE sync_outbox SET at = at - " + std::to_string(day) + " WHERE seq = 3");
  CHECK(run_sync(w.db->write(storage::job(services::prune_outbox))) == 4);
  CHECK(count(w, "SELECT MIN(seq) FROM sync_outbox") == 7);
  CHECK(count(w, "SELECT COUNT(*) FROM sync_outbox") == 1);
}
