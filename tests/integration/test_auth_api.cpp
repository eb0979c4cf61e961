// Sign-in, sessions, CSRF, lockout, passwords, users, areas, API tokens and the audit log over HTTP
// against the real binary (SPEC §3.9, §4), and that no answer or log line ever carries a password
// or a token it should not.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "accounts_fixture.hpp"
#include "domain/audit_actions.hpp"
#include "util/ids.hpp"
#include "util/time.hpp"

using namespace tt::test;
using nlohmann::json;

namespace {

constexpr std::int64_t kMinute = 60LL * 1000000;
const std::string kPw = "depot password 1";

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("auth: login sets an HttpOnly, SameSite=Strict cookie; me and logout use it") {
  AccountsServer s;
  s.add_area("Lucknow");
  s.add_user("asha", kPw, "dispatcher", "Lucknow");

  Caller asha;
  auto r = s.login("Asha", kPw, &asha);  // user names ignore case
  REQUIRE(r.status == 200);
  const auto cookie = *r.header("set-cookie");
  CHECK(cookie.starts_with("tt_session="));
  CHECK(contains(cookie, "; HttpOnly"));
  CHECK(contains(cookie, "; SameSite=Strict"));
  CHECK(contains(cookie, "; Path=/"));
  CHECK(contains(cookie, "; Max-Age=43200"));
  CHECK_FALSE(contains(cookie, "Secure"));
  CHECK(r.header("cache-control") == "no-store");
  const auto body = r.json();
  CHECK(body["user"]["username"] == "asha");
  CHECK(body["user"]["role"] == "dispatcher");
  CHECK(body["user"]["area"] == "Lucknow");
  CHECK_FALSE(body["user"].contains("password_hash"));
  CHECK(body["csrf_token"].get<std::string>().size() == 64);
  // The session token travels only in the cookie.
  CHECK_FALSE(contains(r.body, asha.session_token));

  auto me = s.call("GET", "/api/v1/auth/me", asha);
  REQUIRE(me.status == 200);
  CHECK(me.json()["user"]["username"] == "asha");
  CHECK(me.json()["via"] == "session");
  CHECK(me.json()["csrf_token"] == asha.csrf_token);

  auto out = s.call("POST", "/api/v1/auth/logout", asha);
  CHECK(out.status == 200);
  CHECK(contains(*out.header("set-cookie"), "Max-Age=0"));
  CHECK(s.call("GET", "/api/v1/auth/me", asha).status == 401);
  CHECK(s.scalar("SELECT count(*) FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.username = 'asha'") == 0);
}

TEST_CASE("auth: behind TLS the cookie is also Secure") {
  AccountsServer s(ServeOptions{{"--cookie-secure"}, {}, std::chrono::seconds(60)});
  auto r = s.login("admin", kTestAdminPassword);
  REQUIRE(r.status == 200);
  CHECK(contains(*r.header("set-cookie"), "; Secure"));
}

TEST_CASE("auth: a wrong password and an unknown user get the same 401, and no cookie") {
  AccountsServer s;
  auto wrong = s.login("admin", "not the admin password");
  auto unknown = s.login("nobody", "not the admin password");
  CHECK(wrong.status == 401);
  CHECK(unknown.status == 401);
  CHECK(error_code(wrong) == "invalid_credentials");
  CHECK(wrong.body == unknown.body);
  CHECK_FALSE(wrong.header("set-cookie"));
  CHECK(s.login("admin", "").status == 401);
  CHECK(s.call("POST", "/api/v1/auth/login", Caller{}, {{"username", "admin"}}).status == 400);
  CHECK(s.call("POST", "/api/v1/auth/login", Caller{}, {{"username", 5}, {"password", "x"}}).status == 400);
}

TEST_CASE("auth: cookie-authenticated writes need the CSRF token of the session") {
  AccountsServer s;
  Caller no_header{{{"Cookie", "tt_session=" + s.admin.session_token}}, s.admin.session_token, ""};
  Caller wrong_header{{{"Cookie", "tt_session=" + s.admin.session_token}, {"X-CSRF-Token", tt::util::random_hex(32)}},
                      s.admin.session_token, ""};
  auto a = s.call("POST", "/api/v1/areas", no_header, {{"name", "Agra"}});
  CHECK(a.status == 403);
  CHECK(error_code(a) == "csrf_failed");
  CHECK(s.call("POST", "/api/v1/areas", wrong_header, {{"name", "Agra"}}).status == 403);
  CHECK(s.call("GET", "/api/v1/areas", no_header).status == 200);  // reads need no token
  CHECK(s.call("POST", "/api/v1/areas", s.admin, {{"name", "Agra"}}).status == 201);
  CHECK(s.scalar("SELECT count(*) FROM areas") == 1);
}

TEST_CASE("auth: five failures lock the user name with 429 and Retry-After; the lock ends") {
  AccountsServer s;
  s.add_area("Lucknow");
  s.add_user("asha", kPw, "dispatcher", "Lucknow");
  for (int i = 0; i < 5; ++i) CHECK(s.login("asha", "guess number " + std::to_string(i)).status == 401);
  auto locked = s.login("asha", kPw);
  CHECK(locked.status == 429);
  CHECK(error_code(locked) == "too_many_attempts");
  REQUIRE(locked.header("retry-after"));
  const auto wait = std::stoll(*locked.header("retry-after"));
  CHECK(wait > 0);
  CHECK(wait <= 15 * 60);
  // Another user is not locked.
  CHECK(s.login("admin", kTestAdminPassword).status == 200);

  // The lock's time passes (the failures are moved back sixteen minutes): the password works.
  s.sql("UPDATE login_failures SET at = at - $1", tt::storage::params(16 * kMinute));
  CHECK(s.login("asha", kPw).status == 200);

  // Every attempt is in the audit log, without the passwords.
  auto audit = s.call("GET", "/api/v1/audit?entity=session&per_page=100", s.admin);
  REQUIRE(audit.status == 200);
  int logins = 0, failures = 0;
  const json entries = audit.json()["entries"];  // a copy: the parsed answer is a temporary
  for (const auto& e : entries) {
    if (e["action"] == "login") ++logins;
    if (e["action"] == "login_failed") ++failures;
  }
  CHECK(logins == 3);    // the fixture's admin, admin again, asha
  CHECK(failures == 6);  // five wrong passwords, one refused while locked
  CHECK_FALSE(contains(audit.body, "guess number"));
  CHECK_FALSE(contains(audit.body, kPw));
}

TEST_CASE("auth: lockout limits and durations are settings") {
  AccountsServer s;
  s.sql("INSERT INTO settings (key, value, updated_at) VALUES ('login_max_failures_per_user', '2', 0)");
  CHECK(s.login("admin", "wrong one").status == 401);
  CHECK(s.login("admin", "wrong two").status == 401);
  CHECK(s.login("admin", kTestAdminPassword).status == 429);
}

TEST_CASE("auth: sessions end after the idle limit and the absolute limit") {
  AccountsServer s;
  Caller idle = s.sign_in("admin", kTestAdminPassword);
  Caller old = s.sign_in("admin", kTestAdminPassword);
  s.sql("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2",
        tt::storage::params(tt::util::now_us() - 31 * kMinute, tt::util::sha256_hex(idle.session_token)));
  s.sql("UPDATE sessions SET expires_at = $1 WHERE token_hash = $2",
        tt::storage::params(tt::util::now_us() - 1, tt::util::sha256_hex(old.session_token)));
  CHECK(s.call("GET", "/api/v1/auth/me", idle).status == 401);
  CHECK(s.call("GET", "/api/v1/auth/me", old).status == 401);
  CHECK(s.call("GET", "/api/v1/auth/me", s.admin).status == 200);
}

TEST_CASE("auth: changing one's own password needs the old one and ends the other sessions") {
  AccountsServer s;
  s.add_area("Lucknow");
  s.add_user("asha", kPw, "biller", "Lucknow");
  Caller here = s.sign_in("asha", kPw);
  Caller there = s.sign_in("asha", kPw);

  auto wrong = s.call("POST", "/api/v1/auth/password", here, {{"old_password", "wrong"}, {"new_password", "new pass 12"}});
  CHECK(wrong.status == 422);
  CHECK(error_code(wrong) == "wrong_password");
  auto weak = s.call("POST", "/api/v1/auth/password", here, {{"old_password", kPw}, {"new_password", "short"}});
  CHECK(weak.status == 422);
  CHECK(error_code(weak) == "invalid_password");
  auto ok = s.call("POST", "/api/v1/auth/password", here, {{"old_password", kPw}, {"new_password", "new pass 12"}});
  CHECK(ok.status == 200);

  CHECK(s.call("GET", "/api/v1/auth/me", here).status == 200);
  CHECK(s.call("GET", "/api/v1/auth/me", there).status == 401);
  CHECK(s.login("asha", kPw).status == 401);
  CHECK(s.login("asha", "new pass 12").status == 200);
}

TEST_CASE("auth: a user lists their own sessions and signs out every other device") {
  AccountsServer s;
  s.add_area("Lucknow");
  s.add_user("asha", kPw, "biller", "Lucknow");
  s.add_user("ravi", kPw, "biller", "Lucknow");
  Caller here = s.sign_in("asha", kPw);
  Caller phone = s.sign_in("asha", kPw);
  Caller tablet = s.sign_in("asha", kPw);
  Caller ravi = s.sign_in("ravi", kPw);

  auto list = s.call("GET", "/api/v1/auth/sessions", here);
  REQUIRE(list.status == 200);
  auto sessions = list.json()["sessions"];
  CHECK(sessions.size() == 3);  // asha's own only
  int current = 0;
  for (const auto& one : sessions) {
    current += one["current"] == true ? 1 : 0;
    CHECK(one["client"] == "127.0.0.1");
    CHECK(one["created_at"].is_string());
    CHECK(one["expires_at"].is_string());
    CHECK_FALSE(one.contains("token_hash"));
  }
  CHECK(current == 1);

  auto ended = s.call("DELETE", "/api/v1/auth/sessions", here);
  REQUIRE(ended.status == 200);
  CHECK(ended.json()["ended"] == 2);
  CHECK(s.call("GET", "/api/v1/auth/me", here).status == 200);
  CHECK(s.call("GET", "/api/v1/auth/me", phone).status == 401);
  CHECK(s.call("GET", "/api/v1/auth/me", tablet).status == 401);
  CHECK(s.call("GET", "/api/v1/auth/me", ravi).status == 200);
  CHECK(s.call("GET", "/api/v1/auth/sessions", here).json()["sessions"].size() == 1);
  auto audit = s.call("GET", "/api/v1/audit?action=sessions_end", s.admin).json();
  REQUIRE(audit["entries"].size() == 1);
  CHECK(audit["entries"][0]["user"] == "asha");
  CHECK(audit["entries"][0]["after"]["ended"] == 2);
  // With an API token there is no device to keep.
  CHECK(s.call("DELETE", "/api/v1/auth/sessions", AccountsServer::bearer(s.add_token("asha-script", "asha").secret))
            .status == 400);
}

TEST_CASE("auth: users are created, changed and deactivated by an admin") {
  AccountsServer s;
  s.add_area("Lucknow");
  s.add_area("Kanpur");
  auto made = s.call("POST", "/api/v1/users", s.admin,
                     {{"username", "Ravi.K"}, {"password", kPw}, {"role", "dispatcher"}, {"area", "lucknow"},
                      {"email", "ravi@depot.example"}});
  REQUIRE(made.status == 201);
  CHECK(made.json()["user"]["username"] == "ravi.k");
  CHECK(made.json()["user"]["area"] == "Lucknow");
  CHECK_FALSE(contains(made.body, kPw));

  auto dup = s.call("POST", "/api/v1/users", s.admin,
                    {{"username", "RAVI.k"}, {"password", kPw}, {"role", "biller"}, {"area", "Lucknow"}});
  CHECK(dup.status == 409);
  CHECK(error_code(dup) == "username_taken");
  auto expect_422 = [&](json body, const char* code) {
    auto r = s.call("POST", "/api/v1/users", s.admin, body);
    CHECK_MESSAGE(r.status == 422, r.body);
    CHECK_MESSAGE(error_code(r) == code, r.body);
  };
  expect_422({{"username", "ab"}, {"password", kPw}, {"role", "biller"}, {"area", "Lucknow"}}, "invalid_username");
  expect_422({{"username", "sita"}, {"password", "short"}, {"role", "biller"}, {"area", "Lucknow"}}, "invalid_password");
  expect_422({{"username", "sita"}, {"password", kPw}, {"role", "chief"}, {"area", "Lucknow"}}, "invalid_role");
  expect_422({{"username", "sita"}, {"password", kPw}, {"role", "biller"}}, "area_required");
  expect_422({{"username", "sita"}, {"password", kPw}, {"role", "biller"}, {"area", "Agra"}}, "unknown_area");
  CHECK(s.call("POST", "/api/v1/users", s.admin, {{"username", "sita"}, {"pasword", kPw}}).status == 400);

  auto list = s.call("GET", "/api/v1/users", s.admin);
  REQUIRE(list.status == 200);
  CHECK(list.json()["users"].size() == 2);
  CHECK(s.call("GET", "/api/v1/users/RAVI.K", s.admin).json()["user"]["email"] == "ravi@depot.example");
  CHECK(s.call("GET", "/api/v1/users/nobody", s.admin).status == 404);

  Caller ravi = s.sign_in("ravi.k", kPw);
  auto moved = s.call("PATCH", "/api/v1/users/ravi.k", s.admin, {{"role", "biller"}, {"area", "Kanpur"}, {"email", nullptr}});
  REQUIRE(moved.status == 200);
  CHECK(moved.json()["user"]["role"] == "biller");
  CHECK(moved.json()["user"]["area"] == "Kanpur");
  CHECK(moved.json()["user"]["email"].is_null());
  // The session sees the new role at once.
  CHECK(s.call("GET", "/api/v1/auth/me", ravi).json()["user"]["role"] == "biller");

  // An admin's password reset ends the user's sessions; the new password works.
  CHECK(s.call("PATCH", "/api/v1/users/ravi.k", s.admin, {{"password", "reset by admin 1"}}).status == 200);
  CHECK(s.call("GET", "/api/v1/auth/me", ravi).status == 401);
  ravi = s.sign_in("ravi.k", "reset by admin 1");

  // Deactivation: sessions end, sign-in refused with the usual answer, the row stays.
  auto gone = s.call("DELETE", "/api/v1/users/ravi.k", s.admin);
  REQUIRE(gone.status == 200);
  CHECK(gone.json()["user"]["active"] == false);
  CHECK(s.call("GET", "/api/v1/auth/me", ravi).status == 401);
  auto refused = s.login("ravi.k", "reset by admin 1");
  CHECK(refused.status == 401);
  CHECK(error_code(refused) == "invalid_credentials");
  CHECK(s.scalar("SELECT count(*) FROM users WHERE username = 'ravi.k'") == 1);

  // The last active admin can be neither demoted nor deactivated.
  auto demote = s.call("PATCH", "/api/v1/users/admin", s.admin, {{"role", "biller"}, {"area", "Lucknow"}});
  CHECK(demote.status == 409);
  CHECK(error_code(demote) == "last_admin");
  CHECK(s.call("DELETE", "/api/v1/users/admin", s.admin).status == 409);
}

TEST_CASE("auth: areas are unique whatever their case and visible to every user") {
  AccountsServer s;
  CHECK(s.call("POST", "/api/v1/areas", s.admin, {{"name", "Lucknow"}}).status == 201);
  auto dup = s.call("POST", "/api/v1/areas", s.admin, {{"name", "LUCKNOW "}});
  CHECK(dup.status == 409);
  CHECK(error_code(dup) == "area_exists");
  s.add_user("asha", kPw, "dispatcher", "Lucknow");
  Caller asha = s.sign_in("asha", kPw);
  auto list = s.call("GET", "/api/v1/areas", asha);
  REQUIRE(list.status == 200);
  REQUIRE(list.json()["areas"].size() == 1);
  CHECK(list.json()["areas"][0]["name"] == "Lucknow");
}

TEST_CASE("auth: an API token is shown once, acts as its user, and stops working when revoked") {
  AccountsServer s;
  s.add_area("Kanpur");
  s.add_user("gate", kPw, "dispatcher", "Kanpur");
  auto made = s.call("POST", "/api/v1/tokens", s.admin, {{"name", "gate scanner"}, {"username", "gate"}});
  REQUIRE(made.status == 201);
  const auto secret = made.json()["token"]["token"].get<std::string>();
  const auto id = made.json()["token"]["id"].get<std::string>();
  CHECK(secret.starts_with("tt_"));
  CHECK(made.json()["token"]["user"] == "gate");

  auto listed = s.call("GET", "/api/v1/tokens", s.admin);
  REQUIRE(listed.status == 200);
  CHECK(listed.json()["tokens"].size() == 1);
  CHECK_FALSE(contains(listed.body, secret));

  Caller gate = AccountsServer::bearer(secret);
  auto me = s.call("GET", "/api/v1/auth/me", gate);
  REQUIRE(me.status == 200);
  CHECK(me.json()["user"]["username"] == "gate");
  CHECK(me.json()["via"] == "api_token");
  CHECK_FALSE(me.json().contains("csrf_token"));
  // Bearer requests need no CSRF token; a dispatcher still may not do admin work.
  CHECK(s.call("POST", "/api/v1/areas", gate, {{"name", "Agra"}}).status == 403);

  auto revoked = s.call("DELETE", "/api/v1/tokens/" + id, s.admin);
  REQUIRE(revoked.status == 200);
  CHECK(revoked.json()["token"]["active"] == false);
  CHECK(s.call("GET", "/api/v1/auth/me", gate).status == 401);
  CHECK(s.call("DELETE", "/api/v1/tokens/not-a-token", s.admin).status == 404);
  CHECK(s.call("GET", "/api/v1/auth/me", AccountsServer::bearer("tt_" + tt::util::random_hex(32))).status == 401);
  CHECK(s.call("GET", "/api/v1/auth/me", AccountsServer::bearer("garbage")).status == 401);
}

TEST_CASE("auth: the audit log lists changes with filters and pages") {
  AccountsServer s;
  s.add_area("Lucknow");
  s.add_user("asha", kPw, "dispatcher", "Lucknow");
  s.add_user("ravi", kPw, "dispatcher", "Lucknow");
  auto by_key = s.call("GET", "/api/v1/audit?entity=user&key=asha", s.admin);
  REQUIRE(by_key.status == 200);
  REQUIRE(by_key.json()["entries"].size() == 1);
  const auto e = by_key.json()["entries"][0];
  CHECK(e["action"] == "user_create");
  CHECK(e["user"] == "admin");
  CHECK(e["after"]["role"] == "dispatcher");
  CHECK(e["client"] == "127.0.0.1");

  auto page1 = s.call("GET", "/api/v1/audit?entity=user&per_page=1&page=1", s.admin).json()["entries"];
  auto page2 = s.call("GET", "/api/v1/audit?entity=user&per_page=1&page=2", s.admin).json()["entries"];
  REQUIRE(page1.size() == 1);
  REQUIRE(page2.size() == 1);
  CHECK(page1[0]["key"] == "ravi");  // newest first
  CHECK(page2[0]["key"] == "asha");
  CHECK(s.call("GET", "/api/v1/audit?user=nobody", s.admin).json()["entries"].empty());
  CHECK(s.call("GET", "/api/v1/audit?from=2999-01-01", s.admin).json()["entries"].empty());
  CHECK(s.call("GET", "/api/v1/audit?from=yesterday", s.admin).status == 400);
  CHECK(s.call("GET", "/api/v1/audit?per_page=0", s.admin).status == 400);

  // Beside the entries, every action the log may hold (the web page's action filter), in the
  // server's order, whether or not any entry matches.
  const auto none = s.call("GET", "/api/v1/audit?user=nobody", s.admin).json();
  const auto all = tt::domain::all_audit_actions();
  REQUIRE(none["actions"].is_array());
  REQUIRE(none["actions"].size() == all.size());
  for (std::size_t i = 0; i < all.size(); ++i) {
    CHECK(none["actions"][i] == std::string(tt::domain::to_string(all[i])));
  }
  CHECK(by_key.json()["actions"] == none["actions"]);
  // And every entity an entry can be about (the page's "Of" filter), the return tickets and
  // imports included.
  const nlohmann::json entities =
      nlohmann::json::array({"area", "bag", "bill", "conflict", "import", "return", "session", "setting", "site", "token", "user"});
  CHECK(none["entities"] == entities);
}

TEST_CASE("auth: no answer and no log line carries a password or a token") {
  AccountsServer s;
  s.add_area("Lucknow");
  const std::string user_pw = "asha secret pass";
  const std::string reset_pw = "reset secret pass";
  s.add_user("asha", user_pw, "dispatcher", "Lucknow");
  Caller asha = s.sign_in("asha", user_pw);
  s.login("asha", "mistyped secret pass");
  s.login("asha secret pass", "password typed as user name");  // people do this
  s.call("POST", "/api/v1/auth/password", asha, {{"old_password", user_pw}, {"new_password", "asha newer pass"}});
  s.call("PATCH", "/api/v1/users/asha", s.admin, {{"password", reset_pw}});
  auto token = s.add_token("script", "asha");
  s.call("GET", "/api/v1/auth/me", AccountsServer::bearer(token.secret));
  s.call("GET", "/api/v1/audit?per_page=500", s.admin);
  s.call("GET", "/api/v1/users", s.admin);
  s.call("GET", "/api/v1/tokens", s.admin);

  const std::vector<std::string> secrets{kTestAdminPassword, user_pw, "mistyped secret pass", "asha newer pass",
                                         reset_pw, asha.session_token, s.admin.session_token, token.secret};
  // The one answer that shows a secret is the token's creation, by design.
  int answers_with_token = 0;
  for (const auto& body : s.bodies()) {
    for (const auto& secret : secrets) {
      if (secret == token.secret && contains(body, secret)) {
        ++answers_with_token;
        continue;
      }
      CHECK_MESSAGE(!contains(body, secret), "an answer contains a secret: " << body);
    }
  }
  CHECK(answers_with_token == 1);
  const std::string log = s.process->output();
  CHECK(contains(log, "/api/v1/auth/login"));  // the access log is there, and it is clean:
  for (const auto& secret : secrets) CHECK_MESSAGE(!contains(log, secret), "the log contains a secret");
  CHECK_FALSE(contains(log, "password typed as user name"));
}

TEST_CASE("auth: on an empty database without a preset password, the admin's password is printed once") {
  ScratchDatabase db;
  std::string password;
  {
    ServerProcess first(db.url(), ServeOptions{{}, {{"TRACETRACK_ADMIN_PASSWORD", ""}}, std::chrono::seconds(60)});
    const auto out = first.output();
    const std::string marker = "one-time password: ";
    auto at = out.find(marker);
    REQUIRE(at != std::string::npos);
    password = out.substr(at + marker.size(), out.find('\n', at) - at - marker.size());
    CHECK(password.size() >= 20);
    auto client = first.client();
    CHECK(client.post_json("/api/v1/auth/login", {{"username", "admin"}, {"password", password}}).status == 200);
    first.stop();
  }
  ServerProcess second(db.url(), ServeOptions{{}, {{"TRACETRACK_ADMIN_PASSWORD", ""}}, std::chrono::seconds(60)});
  CHECK_FALSE(contains(second.output(), "one-time password"));
  CHECK_FALSE(contains(second.output(), password));
}

TEST_CASE("auth: operators add users, reset passwords and list users from the command line") {
  AccountsServer s;
  s.add_area("Lucknow");
  const std::string url = s.db.url();
  auto add = run_tracetrack({"user", "add", "Meera", "--role", "biller", "--area", "Lucknow", "--db", url});
  REQUIRE_MESSAGE(add.exit_code == 0, add.output);
  const std::string marker = "Password (shown once): ";
  auto at = add.output.find(marker);
  REQUIRE(at != std::string::npos);
  const auto generated = add.output.substr(at + marker.size(), add.output.find('\n', at) - at - marker.size());
  CHECK(s.login("meera", generated).status == 200);

  auto dup = run_tracetrack({"user", "add", "meera", "--role=admin", "--db", url});
  CHECK(dup.exit_code == 1);
  CHECK(contains(dup.output, "already taken"));
  CHECK(run_tracetrack({"user", "add", "x1", "--db", url}).exit_code == 2);               // no --role
  CHECK(run_tracetrack({"user", "add", "dev", "--role", "dispatcher", "--db", url}).exit_code == 1);  // no area

  auto passwd = run_tracetrack({"user", "passwd", "MEERA", "--db", url});
  REQUIRE_MESSAGE(passwd.exit_code == 0, passwd.output);
  at = passwd.output.find(marker);
  REQUIRE(at != std::string::npos);
  const auto second = passwd.output.substr(at + marker.size(), passwd.output.find('\n', at) - at - marker.size());
  CHECK(second != generated);
  CHECK(s.login("meera", generated).status == 401);
  CHECK(s.login("meera", second).status == 200);

  auto list = run_tracetrack({"user", "list", "--db", url});
  CHECK(list.exit_code == 0);
  CHECK(contains(list.output, "meera"));
  CHECK(contains(list.output, "admin"));
  CHECK_FALSE(contains(list.output, "argon2"));
}

TEST_CASE("auth: behind a trusted proxy the client is the one X-Forwarded-For names, for the log and the lockout") {
  AccountsServer s(ServeOptions{{"--trusted-proxy", "127.0.0.1"}, {}, std::chrono::seconds(60)});
  s.sql("INSERT INTO settings (key, value, updated_at) VALUES ('login_max_failures_per_address', '2', 0)");
  Caller tablet;
  tablet.headers = {{"X-Forwarded-For", "192.168.7.7"}};
  Caller other_tablet;
  other_tablet.headers = {{"X-Forwarded-For", "6.6.6.6, 192.168.7.8"}};  // the left part is anyone's
  const json wrong{{"username", "nobody"}, {"password", "wrong password 1"}};
  CHECK(s.call("POST", "/api/v1/auth/login", tablet, wrong).status == 401);
  CHECK(s.call("POST", "/api/v1/auth/login", tablet, wrong).status == 401);
  CHECK(s.call("POST", "/api/v1/auth/login", tablet, wrong).status == 429);  // this tablet is locked ...
  // ... not the depot's other devices, which reach the server through the same proxy.
  CHECK(s.call("POST", "/api/v1/auth/login", other_tablet, wrong).status == 401);
  CHECK(s.scalar("SELECT count(*) FROM audit_log WHERE action = 'login_failed' AND client = '192.168.7.7'") == 3);
  CHECK(s.scalar("SELECT count(*) FROM audit_log WHERE action = 'login_failed' AND client = '192.168.7.8'") == 1);
}

TEST_CASE("auth: without --trusted-proxy, X-Forwarded-For is ignored") {
  AccountsServer s;
  Caller forger;
  forger.headers = {{"X-Forwarded-For", "10.1.2.3"}};
  CHECK(s.call("POST", "/api/v1/auth/login", forger, {{"username", "nobody"}, {"password", "wrong password 1"}})
            .status == 401);
  CHECK(s.scalar("SELECT count(*) FROM audit_log WHERE client = '10.1.2.3'") == 0);
  CHECK(s.scalar("SELECT count(*) FROM audit_log WHERE action = 'login_failed' AND client = '127.0.0.1'") == 1);
}
