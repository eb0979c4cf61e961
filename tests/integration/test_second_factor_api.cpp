// Two-factor sign-in over HTTP against the real binary (SPEC §3.9, RFC 6238): enrolment with a QR
// code and recovery codes, the two-step sign-in, a code or recovery code used once, one lockout
// for wrong passwords and wrong codes, the administrators' setting, an administrator's reset, and
// no secret in any later answer or in the log.
#include <doctest/doctest.h>

#include <string>
#include <thread>
#include <vector>

#include "accounts_fixture.hpp"
#include "accounts/totp.hpp"
#include "util/time.hpp"

using namespace tt::test;
using nlohmann::json;

namespace {

const std::string kPw = "depot password 1";

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// The code an authenticator app shows for `secret` at `steps` steps from now.
std::string code_for(const std::string& secret, std::int64_t steps = 0) {
  const auto key = tt::accounts::base32_decode(secret);
  REQUIRE(key);
  const auto step = tt::accounts::totp_step(tt::util::now_us() / 1000000) + steps;
  return tt::accounts::hotp(*key, static_cast<std::uint64_t>(step));
}

struct Enrolled {
  std::string secret;
  std::vector<std::string> recovery_codes;
};

// Turns the second factor on for the signed-in caller, as the account page does. The enrolment
// uses the current step, so a sign-in right after uses the next one (codes are never used twice).
Enrolled enrol(AccountsServer& s, const Caller& who) {
  auto setup = s.call("POST", "/api/v1/auth/second-factor/setup", who);
  REQUIRE(setup.status == 200);
  Enrolled e{setup.json()["secret"].get<std::string>(), {}};
  auto on = s.call("POST", "/api/v1/auth/second-factor/enable", who, {{"code", code_for(e.secret)}});
  REQUIRE_MESSAGE(on.status == 200, on.body);
  const auto answer = on.json();
  for (const auto& c : answer["recovery_codes"]) e.recovery_codes.push_back(c.get<std::string>());
  return e;
}

// Password, then the challenge's answer; the caller holds the session when both were right.
HttpResponse sign_in_with(AccountsServer& s, const std::string& user, const json& proof, Caller* who = nullptr) {
  auto first = s.login(user, kPw);
  REQUIRE(first.status == 200);
  REQUIRE(first.json()["second_factor"] == "totp");
  return s.second_factor(first.json()["challenge"].get<std::string>(), proof, who);
}

}  // namespace

TEST_CASE("second factor: enrolment shows a QR code and the secret once, asks for a code, gives 10 recovery codes") {
  AccountsServer s;
  s.add_area("Lucknow");
  s.add_user("asha", kPw, "biller", "Lucknow");
  Caller asha = s.sign_in("asha", kPw);

  auto state = s.call("GET", "/api/v1/auth/second-factor", asha);
  REQUIRE(state.status == 200);
  CHECK(state.json()["enabled"] == false);
  CHECK(state.json()["required"] == false);

  auto setup = s.call("POST", "/api/v1/auth/second-factor/setup", asha);
  REQUIRE(setup.status == 200);
  CHECK(setup.header("cache-control") == "no-store");
  const auto body = setup.json();
  const std::string secret = body["secret"];
  CHECK(secret.size() == 32);  // 20 bytes in base32
  CHECK(body["otpauth_uri"] == "otpauth://totp/TraceTrack:asha?secret=" + secret +
                                   "&issuer=TraceTrack&algorithm=SHA1&digits=6&period=30");
  CHECK(body["qr"]["size"].get<int>() >= 21);
  CHECK(body["qr"]["path"].get<std::string>().starts_with("M"));

  // A wrong code leaves it off; the code of the secret shown turns it on.
  const std::string wrong = code_for(secret) == "000000" ? "111111" : "000000";
  auto refused = s.call("POST", "/api/v1/auth/second-factor/enable", asha, {{"code", wrong}});
  CHECK(refused.status == 422);
  CHECK(error_code(refused) == "wrong_one_time_code");
  auto on = s.call("POST", "/api/v1/auth/second-factor/enable", asha, {{"code", code_for(secret)}});
  REQUIRE(on.status == 200);
  const auto codes = on.json()["recovery_codes"];
  REQUIRE(codes.size() == 10);
  CHECK(codes[0].get<std::string>().size() == 11);  // xxxxx-xxxxx

  state = s.call("GET", "/api/v1/auth/second-factor", asha);
  CHECK(state.json()["enabled"] == true);
  CHECK(state.json()["recovery_codes_left"] == 10);
  CHECK_FALSE(contains(state.body, secret));
  // A second set-up is refused while one is on: the secret is never shown again.
  auto again = s.call("POST", "/api/v1/auth/second-factor/setup", asha);
  CHECK(again.status == 409);
  CHECK(error_code(again) == "second_factor_enabled");
  auto users = s.call("GET", "/api/v1/users/asha", s.admin);
  CHECK(users.json()["user"]["second_factor"] == true);
  CHECK_FALSE(contains(users.body, secret));
  // Only hashes of the recovery codes are stored.
  CHECK(s.scalar("SELECT count(*) FROM user_recovery_codes WHERE code_hash = $1",
                 tt::storage::params(codes[0].get<std::string>())) == 0);
  CHECK(s.scalar("SELECT count(*) FROM audit_log WHERE action = 'second_factor_enabled'") == 1);
}

TEST_CASE("second factor: the password alone gives a challenge, the code the session; a code works once") {
  AccountsServer s;
  s.add_area("Lucknow");
  s.add_user("asha", kPw, "biller", "Lucknow");
  const auto enrolled = enrol(s, s.sign_in("asha", kPw));

  auto first = s.login("asha", kPw);
  REQUIRE(first.status == 200);
  CHECK_FALSE(first.header("set-cookie"));
  CHECK(first.json()["expires_in"] == 300);
  const std::string challenge = first.json()["challenge"];
  Caller challenge_as_cookie;
  challenge_as_cookie.headers = {{"Cookie", "tt_session=" + challenge}};
  CHECK(s.call("GET", "/api/v1/auth/me", challenge_as_cookie).status == 401);

  // The enrolment used the current step: the next step's code (accepted for drift) signs in.
  const std::string code = code_for(enrolled.secret, 1);
  Caller asha;
  auto second = s.second_factor(challenge, {{"code", code}}, &asha);
  REQUIRE_MESSAGE(second.status == 200, second.body);
  CHECK(s.call("GET", "/api/v1/auth/me", asha).json()["user"]["username"] == "asha");
  // The challenge is spent, and the same code on a new challenge is refused.
  CHECK(error_code(s.second_factor(challenge, {{"code", code}})) == "challenge_expired");
  auto replay = sign_in_with(s, "asha", {{"code", code}});
  CHECK(replay.status == 401);
  CHECK(error_code(replay) == "invalid_credentials");
  CHECK_FALSE(replay.header("set-cookie"));
  // An older code (the enrolment's) is refused too: only later steps are accepted.
  CHECK(sign_in_with(s, "asha", {{"code", code_for(enrolled.secret)}}).status == 401);
  CHECK(s.scalar("SELECT count(*) FROM audit_log WHERE action = 'login_failed' AND CAST(after_json AS TEXT) LIKE '%wrong_code%'") >= 2);
}

TEST_CASE("second factor: a recovery code signs in once, whatever its case and dashes") {
  AccountsServer s;
  s.add_area("Lucknow");
  s.add_user("asha", kPw, "dispatcher", "Lucknow");
  const auto enrolled = enrol(s, s.sign_in("asha", kPw));
  std::string typed = enrolled.recovery_codes[3];
  typed.erase(typed.find('-'), 1);
  for (auto& c : typed) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));

  Caller asha;
  auto used = sign_in_with(s, "asha", {{"recovery_code", typed}}, &asha);
  REQUIRE_MESSAGE(used.status == 200, used.body);
  CHECK(s.call("GET", "/api/v1/auth/second-factor", asha).json()["recovery_codes_left"] == 9);
  auto twice = sign_in_with(s, "asha", {{"recovery_code", enrolled.recovery_codes[3]}});
  CHECK(twice.status == 401);
  CHECK(sign_in_with(s, "asha", {{"recovery_code", "not a code"}}).status == 401);
  CHECK(s.scalar("SELECT count(*) FROM audit_log WHERE action = 'login' AND CAST(after_json AS TEXT) LIKE '%recovery_code%'") == 1);

  // New codes (the password is asked) replace the old ones.
  auto wrong_pw = s.call("POST", "/api/v1/auth/second-factor/recovery-codes", asha, {{"password", "not it at all"}});
  CHECK(error_code(wrong_pw) == "wrong_password");
  auto renewed = s.call("POST", "/api/v1/auth/second-factor/recovery-codes", asha, {{"password", kPw}});
  REQUIRE(renewed.status == 200);
  CHECK(renewed.json()["recovery_codes"].size() == 10);
  CHECK(sign_in_with(s, "asha", {{"recovery_code", enrolled.recovery_codes[0]}}).status == 401);
  CHECK(sign_in_with(s, "asha", {{"recovery_code", renewed.json()["recovery_codes"][0]}}).status == 200);
}

TEST_CASE("second factor: wrong passwords and wrong codes count towards one lockout") {
  AccountsServer s;
  s.add_area("Lucknow");
  s.add_user("asha", kPw, "biller", "Lucknow");
  const auto enrolled = enrol(s, s.sign_in("asha", kPw));
  s.sql("INSERT INTO settings (key, value, updated_at) VALUES ('login_max_failures_per_user', '3', 0)");

  CHECK(s.login("asha", "a wrong password").status == 401);  // 1
  auto first = s.login("asha", kPw);                           // right: not counted, nor forgotten
  REQUIRE(first.json().contains("challenge"));
  const std::string challenge = first.json()["challenge"];
  const std::string wrong = code_for(enrolled.secret, 1) == "123456" ? "654321" : "123456";
  CHECK(s.second_factor(challenge, {{"code", wrong}}).status == 401);  // 2
  // A right password again does not wipe the wrong code: guessing codes stays bounded.
  const std::string challenge2 = s.login("asha", kPw).json()["challenge"];
  CHECK(s.second_factor(challenge2, {{"code", wrong}}).status == 401);  // 3: locked
  auto locked = s.second_factor(challenge, {{"code", code_for(enrolled.secret, 1)}});
  CHECK(locked.status == 429);
  CHECK(error_code(locked) == "too_many_attempts");
  CHECK(locked.header("retry-after"));
  CHECK(s.login("asha", kPw).status == 429);
}

TEST_CASE("second factor: a challenge ends after five wrong codes, or when unknown") {
  AccountsServer s;
  s.add_area("Lucknow");
  s.add_user("asha", kPw, "biller", "Lucknow");
  const auto enrolled = enrol(s, s.sign_in("asha", kPw));
  s.sql("INSERT INTO settings (key, value, updated_at) VALUES ('login_max_failures_per_user', '50', 0)");
  auto first = s.login("asha", kPw);
  const std::string challenge = first.json()["challenge"];
  const std::string wrong = code_for(enrolled.secret, 1) == "123456" ? "654321" : "123456";
  for (int i = 0; i < 5; ++i) CHECK(s.second_factor(challenge, {{"code", wrong}}).status == 401);
  auto over = s.second_factor(challenge, {{"code", code_for(enrolled.secret, 1)}});
  CHECK(over.status == 401);
  CHECK(error_code(over) == "challenge_expired");
  CHECK(error_code(s.second_factor(std::string(64, 'a'), {{"code", "123456"}})) == "challenge_expired");
  auto both = s.call("POST", "/api/v1/auth/login/second-factor", Caller{},
                     {{"challenge", challenge}, {"code", "123456"}, {"recovery_code", "abcde-fghjk"}});
  CHECK(both.status == 400);
}

TEST_CASE("second factor: the same code sent twice at the same moment signs in once") {
  AccountsServer s;
  s.add_area("Lucknow");
  s.add_user("asha", kPw, "biller", "Lucknow");
  const auto enrolled = enrol(s, s.sign_in("asha", kPw));
  for (int round = 0; round < 3; ++round) {
    const std::string a = s.login("asha", kPw).json()["challenge"];
    const std::string b = s.login("asha", kPw).json()["challenge"];
    // The code of the next step (the window accepts it); each round waits for a later step.
    const std::string code = code_for(enrolled.secret, 1);
    int status_a = 0, status_b = 0;
    std::thread ta([&] {
      status_a = s.process->client().post_json("/api/v1/auth/login/second-factor", {{"challenge", a}, {"code", code}}).status;
    });
    std::thread tb([&] {
      status_b = s.process->client().post_json("/api/v1/auth/login/second-factor", {{"challenge", b}, {"code", code}}).status;
    });
    ta.join();
    tb.join();
    CHECK(((status_a == 200 && status_b == 401) || (status_a == 401 && status_b == 200)));
    if (round < 2) {
      // The next round needs a step later than the one just used.
      const auto used = tt::accounts::totp_step(tt::util::now_us() / 1000000) + 1;
      while (tt::accounts::totp_step(tt::util::now_us() / 1000000) < used) std::this_thread::sleep_for(std::chrono::milliseconds(200));
      s.http = s.process->client();  // the server closed the idle keep-alive connection meanwhile
    }
  }
}

TEST_CASE("second factor: required for administrators, set up before anything else; tokens unaffected") {
  AccountsServer s;
  s.add_user("ravi", kPw, "admin");
  auto token = s.add_token("ravi's script", "ravi");
  Caller ravi = s.sign_in("ravi", kPw);

  // Whoever requires it has it first.
  auto early = s.call("PATCH", "/api/v1/settings", s.admin, {{"admins_need_second_factor", true}});
  CHECK(early.status == 409);
  CHECK(error_code(early) == "second_factor_not_enabled");
  // The settings page checks as one types: the same answer before saving.
  auto dry = s.call("PATCH", "/api/v1/settings?dry_run=1", s.admin, {{"admins_need_second_factor", true}});
  CHECK(error_code(dry) == "second_factor_not_enabled");
  const auto mine = enrol(s, s.admin);
  auto set = s.call("PATCH", "/api/v1/settings", s.admin, {{"admins_need_second_factor", true}});
  REQUIRE_MESSAGE(set.status == 200, set.body);

  // Ravi's session may only read who he is, set up the second factor and sign out.
  auto me = s.call("GET", "/api/v1/auth/me", ravi);
  REQUIRE(me.status == 200);
  CHECK(me.json()["second_factor_setup_required"] == true);
  auto blocked = s.call("GET", "/api/v1/users", ravi);
  CHECK(blocked.status == 403);
  CHECK(error_code(blocked) == "second_factor_required");
  CHECK(s.call("GET", "/api/v1/auth/second-factor", ravi).json()["required"] == true);
  // His API token is not a sign-in: it keeps working.
  CHECK(s.call("GET", "/api/v1/users", AccountsServer::bearer(token.secret)).status == 200);

  enrol(s, ravi);
  CHECK(s.call("GET", "/api/v1/users", ravi).status == 200);
  CHECK(s.call("GET", "/api/v1/auth/me", ravi).json()["second_factor_setup_required"] == false);
  // And it cannot be turned off while required.
  auto off = s.call("POST", "/api/v1/auth/second-factor/disable", ravi, {{"password", kPw}});
  CHECK(off.status == 403);
  CHECK(error_code(off) == "second_factor_required");
  (void)mine;
}

TEST_CASE("second factor: the user turns it off with the password; an administrator resets it (audited)") {
  AccountsServer s;
  s.add_area("Lucknow");
  s.add_user("asha", kPw, "dispatcher", "Lucknow");
  s.add_user("amit", kPw, "dispatcher", "Lucknow");
  Caller asha = s.sign_in("asha", kPw);
  enrol(s, asha);
  auto wrong = s.call("POST", "/api/v1/auth/second-factor/disable", asha, {{"password", "not my password"}});
  CHECK(error_code(wrong) == "wrong_password");
  auto off = s.call("POST", "/api/v1/auth/second-factor/disable", asha, {{"password", kPw}});
  REQUIRE(off.status == 200);
  CHECK(s.login("asha", kPw).header("set-cookie"));  // the password alone again
  CHECK(error_code(s.call("POST", "/api/v1/auth/second-factor/disable", asha, {{"password", kPw}})) ==
        "second_factor_not_enabled");

  enrol(s, s.sign_in("amit", kPw));
  CHECK(s.call("DELETE", "/api/v1/users/amit/second-factor", asha).status == 403);
  auto reset = s.call("DELETE", "/api/v1/users/Amit/second-factor", s.admin);
  REQUIRE(reset.status == 200);
  CHECK(reset.json()["user"]["second_factor"] == false);
  CHECK(s.login("amit", kPw).header("set-cookie"));
  CHECK(s.scalar("SELECT count(*) FROM audit_log WHERE action = 'second_factor_reset' AND entity_key = 'amit'") == 1);
  CHECK(s.scalar("SELECT count(*) FROM user_recovery_codes u JOIN users x ON x.id = u.user_id"
                 " WHERE x.username = 'amit'") == 0);
  CHECK(s.call("DELETE", "/api/v1/users/nobody/second-factor", s.admin).status == 404);
}

TEST_CASE("second factor: no later answer and no log line carries the secret, a code or a recovery code") {
  AccountsServer s;
  s.add_area("Lucknow");
  s.add_user("asha", kPw, "biller", "Lucknow");
  Caller asha = s.sign_in("asha", kPw);
  const auto enrolled = enrol(s, asha);
  const auto answers_before = s.bodies().size();
  Caller again;
  const std::string code = code_for(enrolled.secret, 1);
  REQUIRE(sign_in_with(s, "asha", {{"code", code}}, &again).status == 200);
  sign_in_with(s, "asha", {{"recovery_code", enrolled.recovery_codes[0]}});
  s.call("GET", "/api/v1/auth/second-factor", again);
  s.call("GET", "/api/v1/users", s.admin);
  s.call("GET", "/api/v1/audit?per_page=500", s.admin);
  for (std::size_t i = answers_before; i < s.bodies().size(); ++i) {
    CHECK_MESSAGE(!contains(s.bodies()[i], enrolled.secret), "an answer contains the secret");
    CHECK_MESSAGE(!contains(s.bodies()[i], enrolled.recovery_codes[0]), "an answer contains a recovery code");
  }
  s.process->stop();  // the access log is written out at the latest when the server stops
  const std::string log = s.process->output();
  CHECK(contains(log, "/api/v1/auth/login/second-factor"));
  CHECK_FALSE(contains(log, enrolled.secret));
  CHECK_FALSE(contains(log, enrolled.recovery_codes[0]));
  CHECK_FALSE(contains(log, "\"" + code + "\""));
}

TEST_CASE("second factor: the only administrator's lost phone is reset at the console, and set up again first") {
  AccountsServer s;
  enrol(s, s.admin);
  REQUIRE(s.call("PATCH", "/api/v1/settings", s.admin, {{"admins_need_second_factor", true}}).status == 200);
  CHECK(s.login("admin", kTestAdminPassword).json().contains("challenge"));

  auto reset = run_tracetrack({"user", "reset-second-factor", "admin", "--db", s.db.url()});
  REQUIRE_MESSAGE(reset.exit_code == 0, reset.output);
  CHECK(contains(reset.output, "Two-factor sign-in of \"admin\" is off"));
  auto list = run_tracetrack({"user", "list", "--db", s.db.url()});
  CHECK(contains(list.output, "TWO-FACTOR"));
  CHECK(s.scalar("SELECT count(*) FROM audit_log WHERE action = 'second_factor_reset' AND client = 'console'") == 1);

  Caller admin;
  REQUIRE(s.login("admin", kTestAdminPassword, &admin).status == 200);
  CHECK(s.call("GET", "/api/v1/auth/me", admin).json()["second_factor_setup_required"] == true);
  CHECK(error_code(s.call("GET", "/api/v1/users", admin)) == "second_factor_required");
  auto again = run_tracetrack({"user", "reset-second-factor", "admin", "--db", s.db.url()});
  CHECK(again.exit_code == 1);
  CHECK(contains(again.output, "not on"));
}
