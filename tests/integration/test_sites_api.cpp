// Sites at head office over HTTP and from the console (SPEC §8): registered by an administrator
// with the areas they write in, the sync token shown once and never again, renewed and revoked; a
// site token is no API token.
#include <doctest/doctest.h>

#include <string>

#include "accounts_fixture.hpp"

using namespace tt::test;
using nlohmann::json;

namespace {
const std::string kPw = "depot password 1";
}  // namespace

TEST_CASE("sites: an administrator registers a depot; its token is shown once, renewed and revoked") {
  AccountsServer s;
  s.add_area("Kanpur");
  s.add_area("Lucknow");
  s.add_user("ravi", kPw, "biller", "Kanpur");
  const Caller ravi = s.sign_in("ravi", kPw);

  CHECK(s.call("POST", "/api/v1/sites", ravi, {{"name", "Kanpur depot"}, {"areas", {"Kanpur"}}}).status == 403);
  CHECK(s.call("GET", "/api/v1/sites", ravi).status == 403);
  CHECK(s.call("POST", "/api/v1/sites", s.admin, {{"name", "Kanpur depot"}, {"areas", "Kanpur"}}).status == 400);
  CHECK(s.call("POST", "/api/v1/sites", s.admin, {{"name", "Agra depot"}, {"areas", {"Agra"}}}).status == 422);
  CHECK(s.call("POST", "/api/v1/sites", s.admin, {{"name", "Agra depot"}, {"areas", json::array()}}).status == 400);

  auto made = s.call("POST", "/api/v1/sites", s.admin, {{"name", "Kanpur depot"}, {"areas", {"kanpur", "Lucknow"}}});
  REQUIRE(made.status == 201);
  CHECK(made.header("cache-control") == std::optional<std::string>("no-store"));
  const std::string token = made.json()["token"].get<std::string>();
  const std::string id = made.json()["site"]["id"].get<std::string>();
  CHECK(token.starts_with("tts_"));
  CHECK(made.json()["site"]["areas"] == json::array({"Kanpur", "Lucknow"}));
  CHECK(made.json()["site"]["token"] == "active");
  CHECK(made.json()["site"]["cursor"] == 0);
  CHECK(made.json()["site"]["last_push_at"].is_null());
  CHECK(s.call("POST", "/api/v1/sites", s.admin, {{"name", "KANPUR DEPOT"}, {"areas", {"Kanpur"}}}).status == 409);

  auto listed = s.call("GET", "/api/v1/sites", s.admin);
  REQUIRE(listed.status == 200);
  REQUIRE(listed.json()["sites"].size() == 1);
  CHECK(listed.json()["sites"][0]["id"] == id);
  CHECK(listed.body.find(token) == std::string::npos);

  // A site token is valid on the synchronisation routes only: it is no API token.
  CHECK(s.call("GET", "/api/v1/auth/me", AccountsServer::bearer(token)).status == 401);
  CHECK(s.call("GET", "/api/v1/sites", AccountsServer::bearer(token)).status == 401);

  auto rotated = s.call("POST", "/api/v1/sites/" + id + "/token", s.admin, json::object());
  REQUIRE(rotated.status == 200);
  const std::string renewed = rotated.json()["token"].get<std::string>();
  CHECK(renewed != token);
  CHECK(rotated.header("cache-control") == std::optional<std::string>("no-store"));
  auto revoked = s.call("DELETE", "/api/v1/sites/" + id + "/token", s.admin);
  REQUIRE(revoked.status == 200);
  CHECK(revoked.json()["site"]["token"] == "revoked");
  CHECK(s.call("DELETE", "/api/v1/sites/nope/token", s.admin).status == 404);

  // Every change is in the audit log, and no token is.
  auto audit = s.call("GET", "/api/v1/audit?entity=site", s.admin);
  REQUIRE(audit.status == 200);
  CHECK(audit.json()["entries"].size() == 3);
  CHECK(audit.body.find(token) == std::string::npos);
  CHECK(audit.body.find(renewed) == std::string::npos);
}

TEST_CASE("sites: a site token opens the synchronisation routes only, and stops at once when renewed") {
  AccountsServer s;
  s.add_area("Kanpur");
  auto made = s.call("POST", "/api/v1/sites", s.admin, {{"name", "Kanpur depot"}, {"areas", {"Kanpur"}}});
  REQUIRE(made.status == 201);
  const std::string id = made.json()["site"]["id"].get<std::string>();
  const Caller depot = AccountsServer::bearer(made.json()["token"].get<std::string>());

  // The handshake: head office says how far it applied this site's operations.
  auto state = s.call("GET", "/api/v1/sync/state", depot);
  REQUIRE(state.status == 200);
  CHECK(state.json()["site"] == id);
  CHECK(state.json()["name"] == "Kanpur depot");
  CHECK(state.json()["applied_through"] == 0);
  CHECK(state.json()["protocol"] == json::array({1, 2}));
  CHECK(state.json()["server_time"].is_string());

  // Nothing else: a site token is no credential elsewhere, and no user may use the sync routes.
  CHECK(s.call("GET", "/api/v1/auth/me", depot).status == 401);
  CHECK(s.call("GET", "/api/v1/bags?q=SB", depot).status == 401);
  CHECK(s.call("GET", "/api/v1/sync/state", s.admin).status == 403);
  const TokenMade api = s.add_token("script", "admin");
  CHECK(s.call("GET", "/api/v1/sync/state", AccountsServer::bearer(api.secret)).status == 403);
  CHECK(s.call("GET", "/api/v1/sync/state", AccountsServer::bearer("tts_" + std::string(64, 'a'))).status == 401);

  // A renewed token replaces the old one at once (the credential cache is emptied), and a revoked
  // site has none.
  auto rotated = s.call("POST", "/api/v1/sites/" + id + "/token", s.admin, json::object());
  REQUIRE(rotated.status == 200);
  const Caller renewed = AccountsServer::bearer(rotated.json()["token"].get<std::string>());
  CHECK(s.call("GET", "/api/v1/sync/state", depot).status == 401);
  CHECK(s.call("GET", "/api/v1/sync/state", renewed).status == 200);
  REQUIRE(s.call("DELETE", "/api/v1/sites/" + id + "/token", s.admin).status == 200);
  CHECK(s.call("GET", "/api/v1/sync/state", renewed).status == 401);
}

TEST_CASE("sites: registered, listed and given a new token from the console") {
  AccountsServer s;
  s.add_area("Kanpur");
  const std::string url = s.db.url();
  auto add = run_tracetrack({"site", "add", "Kanpur depot", "--area", "kanpur", "--db", url});
  REQUIRE_MESSAGE(add.exit_code == 0, add.output);
  CHECK(add.output.find("shown this once") != std::string::npos);
  CHECK(add.output.find("tts_") != std::string::npos);
  CHECK(run_tracetrack({"site", "add", "Agra depot", "--area", "Agra", "--db", url}).exit_code == 1);
  CHECK(run_tracetrack({"site", "add", "Agra depot", "--db", url}).exit_code == 2);  // no --area
  CHECK(run_tracetrack({"site", "frobnicate", "--db", url}).exit_code == 2);

  auto list = run_tracetrack({"site", "list", "--db", url});
  REQUIRE(list.exit_code == 0);
  CHECK(list.output.find("Kanpur depot") != std::string::npos);
  CHECK(list.output.find("active") != std::string::npos);
  CHECK(list.output.find("tts_") == std::string::npos);

  const auto sites = s.call("GET", "/api/v1/sites", s.admin).json()["sites"];
  REQUIRE(sites.size() == 1);
  const std::string id = sites[0]["id"].get<std::string>();
  auto revoke = run_tracetrack({"site", "revoke-token", id, "--db", url});
  REQUIRE_MESSAGE(revoke.exit_code == 0, revoke.output);
  CHECK(s.call("GET", "/api/v1/sites", s.admin).json()["sites"][0]["token"] == "revoked");
  auto rotate = run_tracetrack({"site", "rotate-token", id, "--db", url});
  REQUIRE_MESSAGE(rotate.exit_code == 0, rotate.output);
  CHECK(rotate.output.find("tts_") != std::string::npos);
  CHECK(s.call("GET", "/api/v1/sites", s.admin).json()["sites"][0]["token"] == "active");
}
