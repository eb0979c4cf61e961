// Sites at head office (SPEC §8): registration with areas, the token kept only as a hash, rotation
// and revocation, every change audited; the refusals in words.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "accounts/credentials.hpp"
#include "domain_world.hpp"
#include "services/sites.hpp"

using namespace tt;
using namespace tt::test;

namespace {

services::Site add(World& w, std::string name, std::vector<std::string> areas, std::string hash) {
  return run_sync(w.db->write(storage::job(services::register_site, w.admin, name, areas, hash)));
}

template <class F>
std::string refusal(F&& f) {
  try {
    f();
  } catch (const domain::Failure& e) {
    return std::string(domain::to_string(e.code)) + ": " + e.what();
  }
  return "none";
}

}  // namespace

TEST_CASE("sites: registered with its areas, its token stored only as a hash, audited") {
  World w;
  const std::string token = accounts::new_site_token();
  CHECK(accounts::is_site_token(token));
  CHECK_FALSE(accounts::is_api_token(token));
  const services::Site site = add(w, "  Kanpur depot ", {"kanpur", "LUCKNOW"}, accounts::token_hash(token));
  CHECK(site.name == "Kanpur depot");
  CHECK(site.areas == std::vector<std::string>{"Kanpur", "Lucknow"});
  CHECK(site.token_active);
  CHECK(site.acked_seq == 0);
  CHECK_FALSE(site.last_push_at);
  CHECK(site.uid.size() == 36);
  // Only the hash is stored; the token itself is nowhere in the database.
  CHECK(w.count("sites WHERE token_hash = $1", storage::params(accounts::token_hash(token))) == 1);
  CHECK(w.count("sites WHERE token_hash = $1", storage::params(token)) == 0);
  CHECK(w.count("audit_log WHERE action = 'site_create' AND entity = 'site' AND entity_key = 'Kanpur depot'") == 1);
  CHECK(w.count("audit_log WHERE after_json LIKE $1", storage::params("%" + token + "%")) == 0);

  const auto all = run_sync(w.db->read(storage::job(services::list_sites)));
  REQUIRE(all.size() == 1);
  CHECK(all[0].uid == site.uid);
  CHECK(all[0].areas.size() == 2);
}

TEST_CASE("sites: refused in words, and nothing is written") {
  World w;
  add(w, "Kanpur depot", {"Kanpur"}, accounts::token_hash(accounts::new_site_token()));
  CHECK(refusal([&] { add(w, "KANPUR DEPOT", {"Kanpur"}, "h1"); }) ==
        "conflict: A site named 'KANPUR DEPOT' already exists.");
  CHECK(refusal([&] { add(w, "Agra depot", {"Agra"}, "h2"); }) == "unknown_area: There is no area named 'Agra'.");
  CHECK(refusal([&] { add(w, "Agra depot", {}, "h3"); }).starts_with("invalid_request: A site needs at least one"));
  CHECK(refusal([&] { add(w, "   ", {"Kanpur"}, "h4"); }).starts_with("invalid_request: A site name"));
  CHECK(w.count("sites") == 1);
  CHECK(w.count("site_areas") == 1);
  CHECK(refusal([&] { run_sync(w.db->read(storage::job(services::get_site, std::string("nope")))); }) ==
        "not_found: There is no site with id 'nope'.");
}

TEST_CASE("sites: a rotated token replaces the old one at once; a revoked site has none") {
  World w;
  const std::string first = accounts::new_site_token();
  const services::Site site = add(w, "Kanpur depot", {"Kanpur"}, accounts::token_hash(first));
  const std::string second = accounts::new_site_token();
  const auto rotated = run_sync(
      w.db->write(storage::job(services::rotate_site_token, w.admin, site.uid, accounts::token_hash(second))));
  CHECK(rotated.value.token_active);
  CHECK(w.count("sites WHERE token_hash = $1", storage::params(accounts::token_hash(first))) == 0);
  CHECK(w.count("sites WHERE token_hash = $1", storage::params(accounts::token_hash(second))) == 1);

  const auto revoked = run_sync(w.db->write(storage::job(services::revoke_site_token, w.admin, site.uid)));
  CHECK_FALSE(revoked.value.token_active);
  CHECK(w.count("sites WHERE token_hash IS NULL") == 1);
  // Revoking again changes nothing and logs nothing more.
  run_sync(w.db->write(storage::job(services::revoke_site_token, w.admin, site.uid)));
  CHECK(w.count("audit_log WHERE action = 'site_token_rotate'") == 1);
  CHECK(w.count("audit_log WHERE action = 'site_token_revoke'") == 1);
}
