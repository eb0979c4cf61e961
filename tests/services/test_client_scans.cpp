// Scans resent with the same client scan id (SPEC §4), on the backend under test: the first answer
// comes back, nothing changes and nothing more is logged, even when 64 copies race.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "domain_world.hpp"
#include "api/replayable_scan.hpp"
#include "services/client_scans.hpp"
#include "support/storage_helpers.hpp"

using namespace tt;
using namespace tt::test;
using domain::ScanResult;

namespace {

constexpr const char* kId = "0192f8a4-6c1e-7b3d-9a5f-2e4c6b8d0a1f";

// An answer that shows what the scan decided and saw, as a route's answer would.
services::ScanAnswer child_answer(const services::ChildScan& s) {
  const int status = s.result == ScanResult::rejected ? 409 : 200;
  return services::ScanAnswer{status, std::string(domain::to_string(s.result)) + " " + std::to_string(s.child_count)};
}

services::ScanAnswer parent_answer(const services::ParentScan& s) {
  return services::ScanAnswer{s.refusal ? status_of(*s.refusal) : (s.created ? 201 : 200), s.created ? "created" : "found"};
}

// The jobs the routes run (api::replayable_job), with the answers above.
auto child_job(Caller c, std::string parent, std::string code, SettingsPtr s, std::optional<std::string> id) {
  return api::replayable_job<services::ChildScan>(services::scan_child, child_answer, std::move(c), std::move(id),
                                                  std::move(parent), std::move(code), std::move(s));
}

auto parent_job(Caller c, std::string code, SettingsPtr s, std::optional<std::string> id) {
  return api::replayable_job<services::ParentScan>(services::scan_parent, parent_answer, std::move(c), std::move(id),
                                                   std::move(code), std::move(s));
}

services::ScanCall<services::ChildScan> child(World& w, const Caller& c, std::string parent, std::string code,
                                              std::optional<std::string> id) {
  return run_sync(w.db->write(child_job(c, std::move(parent), std::move(code), w.settings, std::move(id))));
}

asio::awaitable<void> child_into(Database& db, Caller c, std::string parent, std::string code, SettingsPtr s,
                                 std::string id, services::ScanCall<services::ChildScan>& out) {
  auto job = child_job(std::move(c), std::move(parent), std::move(code), std::move(s), std::move(id));
  out = co_await db.write(std::move(job));
}

}  // namespace

TEST_CASE("client scan ids: a resent child scan gets its first answer and changes and logs nothing") {
  World w;
  REQUIRE_FALSE(w.parent(w.dispatcher, "SB20001").refusal);
  const auto first = child(w, w.dispatcher, "SB20001", "CS-1", kId);
  CHECK_FALSE(first.replay);
  CHECK(first.outcome.result == ScanResult::linked);
  CHECK(first.answer.status == 200);
  CHECK(first.answer.body == "linked 1");
  CHECK(w.count("scan_events WHERE client_scan_id = $1", params(std::string(kId))) == 1);
  const auto audit = w.count("audit_log");

  // The state moves on: the answer to a resend stays the first one.
  REQUIRE(w.child(w.dispatcher, "SB20001", "CS-2").result == ScanResult::linked);
  for (int i = 0; i < 3; ++i) {
    const auto again = child(w, w.dispatcher, "SB20001", "CS-1", kId);
    CHECK(again.replay);
    CHECK(again.answer.status == 200);
    CHECK(again.answer.body == "linked 1");
  }
  CHECK(w.count("scan_events WHERE code = 'CS-1'") == 1);
  CHECK(w.count("audit_log") == audit + 1);  // CS-2's link only
  CHECK(w.links_of("SB20001") == 2);

  // The id is upper- or lower-case alike once normalised by the route; another id is another scan.
  const auto other = child(w, w.dispatcher, "SB20001", "CS-1", "0192f8a4-6c1e-7b3d-9a5f-2e4c6b8d0a20");
  CHECK_FALSE(other.replay);
  CHECK(other.outcome.result == ScanResult::already_linked);
  CHECK(w.count("scan_events WHERE code = 'CS-1'") == 2);
}

TEST_CASE("client scan ids: ids belong to their user, and scans without an id are never replays") {
  World w;
  REQUIRE_FALSE(w.parent(w.dispatcher, "SB20002").refusal);
  CHECK_FALSE(child(w, w.dispatcher, "SB20002", "CS-3", kId).replay);
  const auto biller = child(w, w.biller, "SB20002", "CS-4", kId);
  CHECK_FALSE(biller.replay);
  CHECK(biller.outcome.result == ScanResult::linked);
  for (int i = 0; i < 2; ++i) CHECK_FALSE(child(w, w.dispatcher, "SB20002", "CS-3", std::nullopt).replay);
  CHECK(w.count("scan_events WHERE code = 'CS-3'") == 3);
  CHECK(w.count("client_scans") == 2);
}

TEST_CASE("client scan ids: a refused scan's answer is replayed too, and a parent scan's") {
  World w;
  domain::Settings s;
  s.parent_capacity = 1;
  w.use_settings(s);
  w.fill(w.dispatcher, "SB20003", 1, "F");
  const auto full = child(w, w.dispatcher, "SB20003", "CS-5", kId);
  CHECK(full.answer.status == 409);
  const auto again = child(w, w.dispatcher, "SB20003", "CS-5", kId);
  CHECK(again.replay);
  CHECK(again.answer.status == 409);
  CHECK(again.answer.body == full.answer.body);
  CHECK(w.count("scan_events WHERE code = 'CS-5'") == 1);

  const std::string pid = "0192f8a4-6c1e-7b3d-9a5f-2e4c6b8d0a30";
  const auto created = run_sync(w.db->write(parent_job(w.dispatcher, "SB20004", w.settings, pid)));
  CHECK(created.answer.status == 201);
  const auto resent = run_sync(w.db->write(parent_job(w.dispatcher, "SB20004", w.settings, pid)));
  CHECK(resent.replay);
  CHECK(resent.answer.status == 201);
  CHECK(resent.answer.body == "created");
  CHECK(w.count("scan_events WHERE code = 'SB20004'") == 1);
  CHECK(w.count("audit_log WHERE action = 'bag_create' AND entity_key = 'SB20004'") == 1);
}

TEST_CASE("client scan ids: 64 copies of one scan sent at once record it once") {
  World w;
  REQUIRE_FALSE(w.parent(w.dispatcher, "SB20005").refusal);
  std::vector<services::ScanCall<services::ChildScan>> results(64);
  std::vector<asio::awaitable<void>> sends;
  for (auto& r : results) sends.push_back(child_into(*w.db, w.dispatcher, "SB20005", "CS-6", w.settings, kId, r));
  auto errors = run_sync(run_all(std::move(sends)), std::chrono::seconds(120), 8);
  for (const auto& e : errors) CHECK_MESSAGE(!e, what(e));
  int first = 0;
  for (const auto& r : results) {
    if (!r.replay) ++first;
    CHECK(r.answer.status == 200);
    CHECK(r.answer.body == "linked 1");
  }
  CHECK(first == 1);
  CHECK(w.count("scan_events WHERE code = 'CS-6'") == 1);
  CHECK(w.count("scan_events WHERE client_scan_id = $1", params(std::string(kId))) == 1);
  CHECK(w.links_of("SB20005") == 1);
  CHECK(w.count("audit_log WHERE action = 'link' AND entity_key = 'CS-6'") == 1);
}
