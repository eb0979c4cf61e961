// What head office sends depots (SPEC §8 "Down"), on both backends: the feed rows written where a
// change is audited, the whole state a new depot (or one head office no longer knows) receives,
// the rows after a depot's cursor with each entity as it is now, and a depot applying a page
// without capturing anything for head office.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "accounts/credentials.hpp"
#include "domain_world.hpp"
#include "services/sites.hpp"
#include "services/sync_feed.hpp"
#include "services/users.hpp"
#include "storage/tables/sync_feed.hpp"
#include "storage/tables/users.hpp"

using namespace tt;
using namespace tt::test;
using nlohmann::json;

namespace {

std::string lucknow_site(World& w) {
  const std::string name = "Lucknow depot";
  const std::vector<std::string> areas{"Lucknow"};
  const std::string hash = accounts::token_hash(accounts::new_site_token());
  return run_sync(w.db->write(storage::job(services::register_site, w.admin, name, areas, hash))).uid;
}

std::vector<std::string> keys_of(const json& items, const std::string& kind) {
  std::vector<std::string> out;
  for (const auto& it : items) {
    if (it["kind"] == kind && !it["data"].is_null() && !it["data"].value("gone", false)) out.push_back(it["key"]);
  }
  return out;
}

bool holds(const std::vector<std::string>& list, const std::string& v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

}  // namespace

TEST_CASE("sync feed: a new depot gets the whole state; then each change after its row, as it is now") {
  World w;
  const std::string site = lucknow_site(w);

  const json first = run_sync(w.db->read(storage::job(services::feed_for_site, site, std::int64_t{0}, std::optional<std::string>())));
  CHECK(first["reset"] == true);
  CHECK(holds(keys_of(first["items"], "area"), "Kanpur"));  // every area: a user may move there
  const auto users = keys_of(first["items"], "user");
  CHECK(holds(users, "admin"));
  CHECK(holds(users, "bina"));
  CHECK(holds(users, "dev"));
  CHECK_FALSE(holds(users, "kiran"));  // Kanpur's
  for (const auto& it : first["items"]) {
    if (it["kind"] != "user") continue;
    // Another site's users go as gone, without what signing in needs.
    if (it["data"].value("gone", false)) {
      CHECK(it["key"] == "kiran");
      CHECK_FALSE(it["data"].contains("password_hash"));
    } else {
      CHECK(it["data"].contains("password_hash"));
    }
  }

  // An audited change writes a feed row in its own transaction.
  services::NewUser ravi{"Ravi", "dispatcher", std::string("Lucknow"), std::nullopt};
  run_sync(w.db->write(storage::job(services::create_user, services::Actor(w.admin), ravi, std::string("hash-of-ravi"))));
  services::NewUser kavya{"kavya", "dispatcher", std::string("Kanpur"), std::nullopt};
  run_sync(w.db->write(storage::job(services::create_user, services::Actor(w.admin), kavya, std::string("hash-of-kavya"))));

  const std::int64_t through = first["through"].get<std::int64_t>();
  const std::optional<std::string> through_uid = first["through_uid"].is_null()
                                                     ? std::nullopt
                                                     : std::optional<std::string>(first["through_uid"].get<std::string>());
  const json next = run_sync(w.db->read(storage::job(services::feed_for_site, site, through, through_uid)));
  CHECK(next["reset"] == false);
  REQUIRE(next["items"].size() == 2);
  CHECK(next["items"][0]["key"] == "ravi");
  CHECK(next["items"][0]["data"]["password_hash"] == "hash-of-ravi");
  CHECK(next["items"][0]["data"]["area"] == "Lucknow");
  // Another site's user is sent as gone: a depot that had them stops letting them sign in.
  CHECK(next["items"][1]["key"] == "kavya");
  CHECK(next["items"][1]["data"]["gone"] == true);

  // A cursor head office does not hold as named (a restore): the whole state again.
  const std::optional<std::string> stranger = std::string("not-a-row-of-this-feed");
  const json again = run_sync(w.db->read(storage::job(services::feed_for_site, site, next["through"].get<std::int64_t>(), stranger)));
  CHECK(again["reset"] == true);
  CHECK(holds(keys_of(again["items"], "user"), "ravi"));
}

TEST_CASE("sync feed: a depot applies a page with its cursor and captures nothing for head office") {
  World hq;
  const std::string site = lucknow_site(hq);
  services::NewUser ravi{"ravi", "biller", std::string("Lucknow"), std::nullopt};
  run_sync(hq.db->write(storage::job(services::create_user, services::Actor(hq.admin), ravi, std::string("hash-of-ravi"))));
  const json page = run_sync(hq.db->read(storage::job(services::feed_for_site, site, std::int64_t{0}, std::optional<std::string>())));

  auto depot = open_test_database();
  run_sync(depot->write(storage::job(storage::run_statement, std::string("INSERT INTO sync_depot (id, site_uid, enabled_at) VALUES (1, 'x', 1)"),
                                     storage::Params{})));
  const services::FeedApplied applied = run_sync(depot->write(storage::job(services::apply_feed, page.dump())));
  CHECK(applied.reset);
  CHECK(applied.through == page["through"].get<std::int64_t>());
  const auto found = run_sync(depot->read(storage::job(storage::users::find, std::string("ravi"))));
  REQUIRE(found);
  CHECK(found->password_hash == "hash-of-ravi");
  CHECK(found->user.area == std::optional<std::string>("Lucknow"));
  CHECK(found->user.role == domain::Role::biller);
  const storage::FeedCursor cursor = run_sync(depot->read(storage::job(services::read_feed_cursor)));
  CHECK(cursor.seq == applied.through);
  CHECK(run_sync(depot->read(storage::job(storage::query_int, std::string("SELECT COUNT(*) FROM sync_outbox"), storage::Params{}))) == 0);
  CHECK(run_sync(depot->read(storage::job(storage::query_int, std::string("SELECT COUNT(*) FROM audit_log"), storage::Params{}))) == 0);

  // Applying the same page again changes nothing.
  run_sync(depot->write(storage::job(services::apply_feed, page.dump())));
  CHECK(run_sync(depot->read(storage::job(storage::query_int, std::string("SELECT COUNT(*) FROM users WHERE username = 'ravi'"), storage::Params{}))) == 1);

  // An answer of another shape is refused, and nothing of it is applied.
  CHECK_THROWS_AS(run_sync(depot->write(storage::job(services::apply_feed, std::string("{\"items\": 3}")))), domain::Failure);
}
