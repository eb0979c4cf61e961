// Users, areas, sessions, API tokens, logins and lockout over a real database of the backend under
// test (TT_BACKEND): the same services and the same expectations for SQLite and PostgreSQL.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "app/config.hpp"
#include "api/error_status.hpp"
#include "accounts/credential_cache.hpp"
#include "accounts/credentials.hpp"
#include "accounts/db_authenticator.hpp"
#include "accounts/initial_admin.hpp"
#include "accounts/login.hpp"
#include "accounts/password_hasher.hpp"
#include "accounts/second_factor.hpp"
#include "http/message.hpp"
#include "services/areas.hpp"
#include "services/audit.hpp"
#include "accounts/tokens.hpp"
#include "services/users.hpp"
#include "support/storage_helpers.hpp"
#include "support/test_db.hpp"
#include "util/time.hpp"

using namespace tt;
using namespace tt::test;
using namespace std::chrono_literals;

namespace {

constexpr std::int64_t kMinute = 60LL * 1000000;

// Cheap hashing keeps the suite quick; the production cost is a unit test's business.
accounts::PasswordHasher& hasher() {
  static accounts::PasswordHasher h(2, accounts::PasswordHasher::Cost{1, 8u << 20});
  return h;
}

const services::Actor kTester = domain::system_identity("test");

// The caller's own password change as the endpoint makes it: the checks, then the transaction.
asio::awaitable<void> change_password(storage::Database& db, accounts::Principal who, std::string old_password,
                                      std::string new_password, std::string client) {
  const accounts::PasswordChange change = co_await accounts::check_password_change(
      db, hasher(), who, std::move(old_password), std::move(new_password), client);
  services::Actor actor = who;
  actor.client = client;
  auto store = storage::job(accounts::change_own_password, actor, change);
  co_await db.write(std::move(store));
}

// Creates an area (if named) and a user with that password.
void add_user(Database& db, std::string name, std::string role, std::optional<std::string> area,
              std::string password = "correct horse 1") {
  if (area) {
    auto a = *area;
    auto exists = run_sync(db.read(storage::job(services::find_area, a)));
    if (!exists) run_sync(db.write(storage::job(services::create_area, kTester, a)));
  }
  auto hash = hasher().hash_blocking(password);
  services::NewUser u{name, role, area, std::nullopt};
  run_sync(db.write(storage::job(services::create_user, kTester, u, hash)));
}

// The failure a coroutine ends with (its HTTP status and code), or 0 and "" when it succeeds.
template <class T>
std::pair<int, std::string> outcome(asio::awaitable<T> a, std::optional<domain::Failure>* copy = nullptr) {
  try {
    run_sync(std::move(a));
    return {0, ""};
  } catch (const domain::Failure& e) {
    if (copy) *copy = e;
    return {api::http_status(e.code), std::string(domain::to_string(e.code))};
  }
}

accounts::LoginRequest login_as(std::string user, std::string password, std::string addr = "10.0.0.1") {
  return accounts::LoginRequest{std::move(user), std::move(password), std::move(addr), std::nullopt};
}

accounts::Presented cookie_request(const std::string& token) { return accounts::Presented{std::nullopt, token}; }

accounts::Presented bearer_request(const std::string& token) { return accounts::Presented{"Bearer " + token, std::nullopt}; }

asio::awaitable<std::int64_t> scalar(Database& db, std::string sql, storage::Params p = {}) {
  co_return co_await db.read(storage::job(storage::query_int, std::move(sql), std::move(p)));
}

asio::awaitable<void> exec(Database& db, std::string sql, storage::Params p = {}) {
  co_await db.write(storage::job(storage::run_statement, std::move(sql), std::move(p)));
}

}  // namespace

TEST_CASE("accounts: user names are unique whatever their case; roles other than admin need an area") {
  auto db = open_test_database();
  add_user(*db, "Asha", "dispatcher", "Lucknow");
  auto u = run_sync(db->read(storage::job(services::find_user, "ASHA")));
  REQUIRE(u);
  CHECK(u->username == "asha");
  CHECK(u->area == "Lucknow");

  auto hash = hasher().hash_blocking("another pass 1");
  auto create = [&](services::NewUser n) {
    return outcome(db->write(storage::job(services::create_user, kTester, n, hash)));
  };
  CHECK(create({"asha", "biller", "Lucknow", std::nullopt}) == std::pair<int, std::string>{409, "username_taken"});
  CHECK(create({"ravi", "dispatcher", std::nullopt, std::nullopt}) ==
        std::pair<int, std::string>{422, "area_required"});
  CHECK(create({"ravi", "dispatcher", "Kanpur", std::nullopt}) == std::pair<int, std::string>{422, "unknown_area"});
  CHECK(create({"ravi", "boss", "Lucknow", std::nullopt}) == std::pair<int, std::string>{422, "invalid_role"});
  CHECK(create({"r", "biller", "Lucknow", std::nullopt}) == std::pair<int, std::string>{422, "invalid_username"});
  CHECK(create({"ravi", "biller", "lucknow", "not-an-email"}) == std::pair<int, std::string>{422, "invalid_email"});
  CHECK(create({"ravi", "biller", "lucknow", "ravi@depot.example"}).first == 0);  // area name case-insensitive
  CHECK(create({"root2", "admin", std::nullopt, std::nullopt}).first == 0);       // admins need no area
  CHECK(run_sync(count_rows(*db, "users")) == 3);
  // Each creation is in the audit log, without the hash.
  auto entries = run_sync(db->read([](Tx& tx) {
    services::AuditFilter f;
    f.action = "user_create";
    return services::list_audit(tx, f);
  }));
  CHECK(entries.size() == 3);
  for (const auto& e : entries) CHECK(e.after_json->find("argon2") == std::string::npos);
}

TEST_CASE("accounts: area names are unique whatever their case") {
  auto db = open_test_database();
  run_sync(db->write(storage::job(services::create_area, kTester, " Lucknow ")));
  auto again = outcome(db->write(storage::job(services::create_area, kTester, "LUCKNOW")));
  CHECK(again == std::pair<int, std::string>{409, "area_exists"});
  auto empty = outcome(db->write(storage::job(services::create_area, kTester, " ")));
  CHECK(empty == std::pair<int, std::string>{422, "invalid_area_name"});
  auto areas = run_sync(db->read(storage::job(services::list_areas)));
  REQUIRE(areas.size() == 1);
  CHECK(areas[0].name == "Lucknow");
}

TEST_CASE("accounts: the last active admin can be neither demoted nor deactivated") {
  auto db = open_test_database();
  add_user(*db, "root", "admin", std::nullopt);
  auto patch = [&](std::string who, services::UserPatch p) {
    return outcome(db->write(storage::job(services::update_user, kTester, who, p)));
  };
  services::UserPatch demote;
  demote.role = "biller";
  demote.area = std::optional<std::string>("Lucknow");
  run_sync(db->write(storage::job(services::create_area, kTester, "Lucknow")));
  services::UserPatch deactivate;
  deactivate.active = false;
  CHECK(patch("root", demote) == std::pair<int, std::string>{409, "last_admin"});
  CHECK(patch("root", deactivate) == std::pair<int, std::string>{409, "last_admin"});
  CHECK(patch("nobody", deactivate) == std::pair<int, std::string>{404, "user_not_found"});

  add_user(*db, "root2", "admin", std::nullopt);
  CHECK(patch("root", demote).first == 0);
  CHECK(patch("root2", deactivate) == std::pair<int, std::string>{409, "last_admin"});
  services::UserPatch no_area;
  no_area.area = std::optional<std::string>();
  CHECK(patch("root", no_area) == std::pair<int, std::string>{422, "area_required"});
}

TEST_CASE("accounts: two admins demoting each other at once leave one admin") {
  auto db = open_test_database();
  add_user(*db, "root1", "admin", std::nullopt);
  add_user(*db, "root2", "admin", std::nullopt);
  auto demote = [&db](std::string who) -> asio::awaitable<void> {
    services::UserPatch p;
    p.active = false;
    auto change = storage::job(services::update_user, kTester, who, p);
    co_await db->write(std::move(change));
  };
  std::vector<asio::awaitable<void>> both;
  both.push_back(demote("root1"));
  both.push_back(demote("root2"));
  auto results = run_sync(run_all(std::move(both)));
  CHECK(((results[0] == nullptr) != (results[1] == nullptr)));
  CHECK(run_sync(scalar(*db, "SELECT count(*) FROM users WHERE role = 'admin' AND active = 1")) == 1);
}

TEST_CASE("logins: a right password opens a session; wrong, unknown and inactive all get the same answer") {
  auto db = open_test_database();
  add_user(*db, "asha", "dispatcher", "Lucknow", "asha's password");
  add_user(*db, "gone", "biller", "Lucknow", "gone's password");
  services::UserPatch off;
  off.active = false;
  run_sync(db->write(storage::job(services::update_user, kTester, "gone", off)));

  auto ok = run_sync(accounts::login(*db, hasher(), login_as("  ASHA ", "asha's password")));
  CHECK(ok.user.username == "asha");
  CHECK(accounts::is_session_token(ok.session_token));
  CHECK(ok.csrf_token.size() == 64);
  CHECK(ok.max_age_seconds == 12 * 3600);
  // Only the hash of the token is stored.
  CHECK(run_sync(scalar(*db, "SELECT count(*) FROM sessions WHERE token_hash = $1",
                        storage::params(accounts::token_hash(ok.session_token)))) == 1);
  CHECK(run_sync(scalar(*db, "SELECT count(*) FROM sessions WHERE token_hash = $1",
                        storage::params(ok.session_token))) == 0);

  std::optional<domain::Failure> wrong, unknown, inactive;
  CHECK(outcome(accounts::login(*db, hasher(), login_as("asha", "not the password")), &wrong).first == 401);
  CHECK(outcome(accounts::login(*db, hasher(), login_as("nobody", "asha's password")), &unknown).first == 401);
  CHECK(outcome(accounts::login(*db, hasher(), login_as("gone", "gone's password")), &inactive).first == 401);
  REQUIRE((wrong && unknown && inactive));
  CHECK(domain::to_string(wrong->code) == "invalid_credentials");
  CHECK(std::string(wrong->what()) == unknown->what());
  CHECK(std::string(wrong->what()) == inactive->what());

  auto audit = run_sync(db->read([](Tx& tx) {
    services::AuditFilter f;
    f.entity = "session";
    return services::list_audit(tx, f);
  }));
  int logins = 0, failed = 0;
  for (const auto& e : audit) {
    if (e.action == "login") ++logins;
    if (e.action == "login_failed") ++failed;
    CHECK(e.after_json->find("asha's password") == std::string::npos);
    CHECK(e.after_json->find("not the password") == std::string::npos);
  }
  CHECK(logins == 1);
  CHECK(failed == 3);
}

TEST_CASE("logins: five failures lock the user name; the lock ends after the lockout period") {
  auto db = open_test_database();
  add_user(*db, "asha", "dispatcher", "Lucknow", "asha's password");
  for (int i = 0; i < 5; ++i) {
    CHECK(outcome(accounts::login(*db, hasher(), login_as("asha", "guess " + std::to_string(i)))).first == 401);
  }
  // Locked: even the right password is refused, with Retry-After in seconds.
  std::optional<domain::Failure> locked;
  CHECK(outcome(accounts::login(*db, hasher(), login_as("asha", "asha's password")), &locked) ==
        std::pair<int, std::string>{429, "too_many_attempts"});
  REQUIRE(locked);
  REQUIRE(locked->retry_after_seconds);  // Retry-After
  auto seconds = *locked->retry_after_seconds;
  CHECK(seconds > 14 * 60);
  CHECK(seconds <= 15 * 60);
  // Refused attempts are not counted, so they do not extend the lock.
  CHECK(run_sync(count_rows(*db, "login_failures")) == 5);

  // Sixteen minutes later (the failures moved back in time), the right password works again.
  run_sync(exec(*db, "UPDATE login_failures SET at = at - $1", storage::params(16 * kMinute)));
  auto ok = run_sync(accounts::login(*db, hasher(), login_as("asha", "asha's password")));
  CHECK(ok.user.username == "asha");
  CHECK(run_sync(count_rows(*db, "login_failures")) == 0);
}

TEST_CASE("logins: twenty failures from one address lock it for every user name") {
  auto db = open_test_database();
  add_user(*db, "asha", "dispatcher", "Lucknow", "asha's password");
  for (int i = 0; i < 20; ++i) {
    CHECK(outcome(accounts::login(*db, hasher(), login_as("user" + std::to_string(i), "guess", "10.9.9.9"))).first == 401);
  }
  CHECK(outcome(accounts::login(*db, hasher(), login_as("asha", "asha's password", "10.9.9.9"))).first == 429);
  // Another address is not affected.
  CHECK(run_sync(accounts::login(*db, hasher(), login_as("asha", "asha's password", "10.0.0.2"))).user.username == "asha");
}

TEST_CASE("logins: lockout settings come from the settings table") {
  auto db = open_test_database();
  add_user(*db, "asha", "dispatcher", "Lucknow", "asha's password");
  run_sync(exec(*db, "INSERT INTO settings (key, value, updated_at) VALUES ('login_max_failures_per_user', '2', 0)"));
  CHECK(outcome(accounts::login(*db, hasher(), login_as("asha", "guess one"))).first == 401);
  CHECK(outcome(accounts::login(*db, hasher(), login_as("asha", "guess two"))).first == 401);
  CHECK(outcome(accounts::login(*db, hasher(), login_as("asha", "asha's password"))).first == 429);
}

TEST_CASE("logins: parallel guesses cannot slip past the limit") {
  auto db = open_test_database();
  add_user(*db, "asha", "dispatcher", "Lucknow", "asha's password");
  std::vector<asio::awaitable<void>> guesses;
  for (int i = 0; i < 16; ++i) {
    guesses.push_back([](Database& d, int n) -> asio::awaitable<void> {
      co_await accounts::login(d, hasher(), login_as("asha", "parallel guess " + std::to_string(n)));
    }(*db, i));
  }
  auto results = run_sync(run_all(std::move(guesses)));
  int checked = 0, refused = 0;
  for (const auto& r : results) {
    REQUIRE(r != nullptr);
    try {
      std::rethrow_exception(r);
    } catch (const domain::Failure& e) {
      if (api::http_status(e.code) == 401) ++checked;
      if (api::http_status(e.code) == 429) ++refused;
    }
  }
  // Exactly five passwords were checked; the other attempts were refused before any hashing.
  CHECK(checked == 5);
  CHECK(refused == 11);
}

TEST_CASE("sessions: the authenticator resolves the cookie and refuses expired, idle and disabled sessions") {
  auto db = open_test_database();
  add_user(*db, "asha", "dispatcher", "Lucknow", "asha's password");
  accounts::CredentialCache credentials(0ms);
  accounts::DbAuthenticator authn(*db, credentials);
  auto s = run_sync(accounts::login(*db, hasher(), login_as("asha", "asha's password")));

  auto p = run_sync(authn.authenticate(cookie_request(s.session_token)));
  REQUIRE(p);
  CHECK(p->username == "asha");
  CHECK(p->role == domain::Role::dispatcher);
  CHECK(p->area_name == "Lucknow");
  CHECK(p->area_id.has_value());
  CHECK(p->via == accounts::Principal::Via::session_cookie);
  CHECK(p->csrf_token == s.csrf_token);
  CHECK(p->session_id == s.session_id);

  CHECK_FALSE(run_sync(authn.authenticate(cookie_request(accounts::new_session_token()))));
  CHECK_FALSE(run_sync(authn.authenticate(cookie_request("garbage"))));
  CHECK_FALSE(run_sync(authn.authenticate(accounts::Presented{})));

  SUBCASE("absolute expiry") {
    run_sync(exec(*db, "UPDATE sessions SET expires_at = $1", storage::params(util::now_us() - 1)));
    CHECK_FALSE(run_sync(authn.authenticate(cookie_request(s.session_token))));
  }
  SUBCASE("idle expiry, default 30 minutes") {
    run_sync(exec(*db, "UPDATE sessions SET last_seen_at = $1", storage::params(util::now_us() - 29 * kMinute)));
    CHECK(run_sync(authn.authenticate(cookie_request(s.session_token))));
    // That request was activity: it counts from now on.
    CHECK(run_sync(scalar(*db, "SELECT last_seen_at FROM sessions")) > util::now_us() - kMinute);
    run_sync(exec(*db, "UPDATE sessions SET last_seen_at = $1", storage::params(util::now_us() - 31 * kMinute)));
    // A fresh process (no memory of that activity) sees only the stored time.
    accounts::CredentialCache fresh_cache(0ms);
    accounts::DbAuthenticator restarted(*db, fresh_cache);
    CHECK_FALSE(run_sync(restarted.authenticate(cookie_request(s.session_token))));
  }
  SUBCASE("idle limit from the settings") {
    run_sync(exec(*db, "INSERT INTO settings (key, value, updated_at) VALUES ('session_idle_minutes', '5', 0)"));
    run_sync(exec(*db, "UPDATE sessions SET last_seen_at = $1", storage::params(util::now_us() - 6 * kMinute)));
    CHECK_FALSE(run_sync(authn.authenticate(cookie_request(s.session_token))));
  }
  SUBCASE("deactivated user") {
    services::UserPatch off;
    off.active = false;
    add_user(*db, "root", "admin", std::nullopt);
    run_sync(db->write(storage::job(services::update_user, kTester, "asha", off)));
    CHECK_FALSE(run_sync(authn.authenticate(cookie_request(s.session_token))));
    CHECK(run_sync(count_rows(*db, "sessions")) == 0);
  }
}

TEST_CASE("sessions: activity is written at most once a minute, not on every request") {
  auto db = open_test_database();
  add_user(*db, "asha", "dispatcher", "Lucknow", "asha's password");
  accounts::CredentialCache credentials(0ms);
  accounts::DbAuthenticator authn(*db, credentials);
  auto s = run_sync(accounts::login(*db, hasher(), login_as("asha", "asha's password")));
  const auto old = util::now_us() - 5 * kMinute;
  run_sync(exec(*db, "UPDATE sessions SET last_seen_at = $1", storage::params(old)));
  REQUIRE(run_sync(authn.authenticate(cookie_request(s.session_token))));
  const auto first = run_sync(scalar(*db, "SELECT last_seen_at FROM sessions"));
  CHECK(first > old);
  // Put the stored time back a little: a second request within the minute must not write again.
  run_sync(exec(*db, "UPDATE sessions SET last_seen_at = $1", storage::params(first - 1000)));
  for (int i = 0; i < 5; ++i) REQUIRE(run_sync(authn.authenticate(cookie_request(s.session_token))));
  CHECK(run_sync(scalar(*db, "SELECT last_seen_at FROM sessions")) == first - 1000);
}

TEST_CASE("sessions: with the cache on, a logout or revocation in this process takes effect at once") {
  auto db = open_test_database();
  add_user(*db, "root", "admin", std::nullopt, "root password");
  accounts::CredentialCache credentials(2000ms);
  accounts::DbAuthenticator authn(*db, credentials);
  auto s = run_sync(accounts::login(*db, hasher(), login_as("root", "root password")));
  REQUIRE(run_sync(authn.authenticate(cookie_request(s.session_token))));
  // Deleted behind the cache's back (as another instance would): still served from the cache...
  run_sync(exec(*db, "DELETE FROM sessions"));
  CHECK(run_sync(authn.authenticate(cookie_request(s.session_token))));
  // ...until this process learns that credentials changed.
  credentials.invalidate();
  CHECK_FALSE(run_sync(authn.authenticate(cookie_request(s.session_token))));
}

TEST_CASE("tokens: an API token authenticates as its user until revoked") {
  auto db = open_test_database();
  add_user(*db, "root", "admin", std::nullopt);
  add_user(*db, "gate", "dispatcher", "Kanpur");
  accounts::CredentialCache credentials(1000ms);
  accounts::DbAuthenticator authn(*db, credentials);
  const std::string secret = accounts::new_api_token();
  const auto hash = accounts::token_hash(secret);
  auto root_user = run_sync(db->read(storage::job(services::find_user, "root")));
  services::Actor root = domain::system_identity("test");
  root.user_id = root_user->id;
  root.username = "root";
  auto info = run_sync(db->write(storage::job(accounts::create_token, root, "gate scanner", "gate", hash)));
  CHECK(info.username == "gate");
  CHECK(info.created_by == "root");
  CHECK(run_sync(scalar(*db, "SELECT count(*) FROM api_tokens WHERE token_hash = $1", storage::params(secret))) == 0);

  auto p = run_sync(authn.authenticate(bearer_request(secret)));
  REQUIRE(p);
  CHECK(p->username == "gate");
  CHECK(p->via == accounts::Principal::Via::api_token);
  CHECK(p->area_name == "Kanpur");
  CHECK(p->csrf_token.empty());
  CHECK_FALSE(run_sync(authn.authenticate(bearer_request(accounts::new_api_token()))));
  CHECK_FALSE(run_sync(authn.authenticate(bearer_request(secret.substr(3)))));
  // Use is recorded (at most once a minute).
  CHECK(run_sync(scalar(*db, "SELECT count(*) FROM api_tokens WHERE last_used_at IS NOT NULL")) == 1);

  auto revoked = run_sync(db->write(storage::job(accounts::revoke_token, root, info.uid)));
  CHECK(revoked.value.revoked_at.has_value());
  credentials.invalidate();
  CHECK_FALSE(run_sync(authn.authenticate(bearer_request(secret))));
  // Revoking again keeps the first time; an unknown id is 404.
  auto again = run_sync(db->write(storage::job(accounts::revoke_token, root, info.uid)));
  CHECK(again.value.revoked_at == revoked.value.revoked_at);
  CHECK(outcome(db->write(storage::job(accounts::revoke_token, root, "no-such-id"))).first == 404);
  // A token for a deactivated user stops working too.
  const std::string second = accounts::new_api_token();
  const auto second_hash = accounts::token_hash(second);
  run_sync(db->write(storage::job(accounts::create_token, root, "other", "gate", second_hash)));
  CHECK(run_sync(authn.authenticate(bearer_request(second))));
  services::UserPatch off;
  off.active = false;
  run_sync(db->write(storage::job(services::update_user, kTester, "gate", off)));
  credentials.invalidate();
  CHECK_FALSE(run_sync(authn.authenticate(bearer_request(second))));
}

TEST_CASE("passwords: changing one's own password needs the old one and ends the other sessions") {
  auto db = open_test_database();
  add_user(*db, "asha", "dispatcher", "Lucknow", "asha's password");
  accounts::CredentialCache credentials(0ms);
  accounts::DbAuthenticator authn(*db, credentials);
  auto here = run_sync(accounts::login(*db, hasher(), login_as("asha", "asha's password")));
  auto elsewhere = run_sync(accounts::login(*db, hasher(), login_as("asha", "asha's password")));
  auto me = *run_sync(authn.authenticate(cookie_request(here.session_token)));

  CHECK(outcome(change_password(*db, me, "wrong old one", "a new password", "10.0.0.1")) ==
        std::pair<int, std::string>{422, "wrong_password"});
  CHECK(outcome(change_password(*db, me, "asha's password", "short", "10.0.0.1")) ==
        std::pair<int, std::string>{422, "invalid_password"});
  run_sync(change_password(*db, me, "asha's password", "a new password", "10.0.0.1"));

  CHECK(run_sync(authn.authenticate(cookie_request(here.session_token))));
  CHECK_FALSE(run_sync(authn.authenticate(cookie_request(elsewhere.session_token))));
  CHECK(outcome(accounts::login(*db, hasher(), login_as("asha", "asha's password"))).first == 401);
  CHECK(run_sync(accounts::login(*db, hasher(), login_as("asha", "a new password"))).user.username == "asha");
}

TEST_CASE("passwords: an administrator's reset ends every session of the user") {
  auto db = open_test_database();
  add_user(*db, "asha", "dispatcher", "Lucknow", "asha's password");
  run_sync(accounts::login(*db, hasher(), login_as("asha", "asha's password")));
  services::UserPatch reset;
  reset.password_hash = hasher().hash_blocking("reset by admin");
  run_sync(db->write(storage::job(services::update_user, kTester, "asha", reset)));
  CHECK(run_sync(count_rows(*db, "sessions")) == 0);
  CHECK(run_sync(accounts::login(*db, hasher(), login_as("asha", "reset by admin"))).user.username == "asha");
}

TEST_CASE("first start: one admin with the supplied password, never a second") {
  auto db = open_test_database();
  CHECK_THROWS_AS(run_sync(accounts::ensure_initial_admin(*db, hasher(), std::string("short"))), domain::Failure);
  CHECK(run_sync(count_rows(*db, "users")) == 0);

  std::vector<asio::awaitable<void>> starts;
  for (int i = 0; i < 3; ++i) {
    starts.push_back([](Database& d) -> asio::awaitable<void> {
      co_await accounts::ensure_initial_admin(d, hasher(), std::string("first admin password"));
    }(*db));
  }
  for (const auto& r : run_sync(run_all(std::move(starts)))) CHECK(r == nullptr);
  CHECK(run_sync(count_rows(*db, "users")) == 1);
  auto admin = run_sync(accounts::login(*db, hasher(), login_as("admin", "first admin password")));
  CHECK(admin.user.role == domain::Role::admin);
  CHECK_FALSE(admin.user.area.has_value());
  auto later = run_sync(accounts::ensure_initial_admin(*db, hasher(), std::nullopt));
  CHECK_FALSE(later.created);
}

TEST_CASE("first start: without a supplied password one is generated and returned once") {
  auto db = open_test_database();
  auto made = run_sync(accounts::ensure_initial_admin(*db, hasher(), std::nullopt));
  CHECK(made.created);
  REQUIRE(made.generated_password);
  CHECK(run_sync(accounts::login(*db, hasher(), login_as("admin", *made.generated_password))).user.username == "admin");
}

TEST_CASE("logins: a hash of outdated parameters is replaced by a right password, with or without a second factor") {
  auto db = open_test_database();
  add_user(*db, "asha", "dispatcher", "Lucknow", "asha's password");
  add_user(*db, "tara", "dispatcher", "Lucknow", "tara's password");
  // Tara has a second factor: her password opens a challenge, not a session.
  const std::int64_t tara = run_sync(scalar(*db, "SELECT id FROM users WHERE username = 'tara'"));
  const std::string secret = "JBSWY3DPEHPK3PXP";
  run_sync(db->write(storage::job(accounts::begin_enrolment, tara, secret)));
  services::Actor who = kTester;
  who.user_id = tara;
  who.username = "tara";
  const std::vector<std::string> no_codes;
  const std::int64_t step = 1;
  run_sync(db->write(storage::job(accounts::confirm_enrolment, who, secret, step, no_codes)));

  auto hash_of = [&](const char* name) {
    return run_sync(db->read(storage::job(services::find_credentials, std::string(name))))->password_hash;
  };
  const std::string asha_before = hash_of("asha"), tara_before = hash_of("tara");
  // The server's current parameters differ from those the hashes were made with.
  accounts::PasswordHasher current(1, accounts::PasswordHasher::Cost{2, 8u << 20});
  REQUIRE(current.needs_rehash(asha_before));
  run_sync(accounts::login(*db, current, login_as("asha", "asha's password")));
  auto challenge = run_sync(accounts::login(*db, current, login_as("tara", "tara's password")));
  CHECK(challenge.challenge_token);
  CHECK(hash_of("asha") != asha_before);
  CHECK(hash_of("tara") != tara_before);
  CHECK_FALSE(current.needs_rehash(hash_of("asha")));
  CHECK_FALSE(current.needs_rehash(hash_of("tara")));
  // The new hashes verify the same passwords.
  CHECK(run_sync(accounts::login(*db, current, login_as("asha", "asha's password"))).session_token.size() == 64);
}
