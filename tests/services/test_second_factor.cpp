// The stored side of two-factor sign-in (accounts/second_factor) on the backend under test
// (TT_BACKEND): enrolment, a time step and a recovery code each accepted once (also when two
// requests race), challenges ending after their wrong codes or their time, and removal audited.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "accounts/second_factor.hpp"
#include "accounts/totp.hpp"
#include "domain_world.hpp"

using namespace tt;
using namespace tt::test;

namespace {

std::string failure_code(const std::function<void()>& f) {
  try {
    f();
  } catch (const domain::Failure& e) {
    return std::string(domain::to_string(e.code));
  }
  return "";
}

// Turns the second factor on for `who` with `secret` at `step`, and 10 recovery codes.
std::vector<std::string> enrol(World& w, const Caller& who, const std::string& secret, std::int64_t step) {
  const std::int64_t id = who.user_id;
  run_sync(w.db->write(storage::job(accounts::begin_enrolment, id, secret)));
  auto codes = accounts::new_recovery_codes();
  std::vector<std::string> hashes;
  for (const auto& c : codes) hashes.push_back(*accounts::recovery_code_hash(c));
  run_sync(w.db->write(storage::job(accounts::confirm_enrolment, who, secret, step, hashes)));
  return codes;
}

accounts::SecondFactorState state_of(World& w, const Caller& who) {
  const std::int64_t id = who.user_id;
  return run_sync(w.db->read(storage::job(accounts::read_second_factor, id)));
}

asio::awaitable<void> accept_into(Database& db, std::int64_t user, std::int64_t step, bool& out) {
  auto job = storage::job(accounts::accept_totp_step, user, step);
  out = co_await db.write(std::move(job));
}

asio::awaitable<void> use_into(Database& db, std::int64_t user, std::string hash, bool& out) {
  auto job = storage::job(accounts::use_recovery_code, user, hash, std::int64_t{1});
  out = co_await db.write(std::move(job));
}

}  // namespace

TEST_CASE("second factor store: enrolment turns the pending secret on once, with its recovery codes and an audit entry") {
  World w;
  const std::string secret = accounts::new_totp_secret();
  const std::int64_t id = w.biller.user_id;
  run_sync(w.db->write(storage::job(accounts::begin_enrolment, id, secret)));
  auto pending = state_of(w, w.biller);
  CHECK(pending.pending_secret == secret);
  CHECK_FALSE(pending.secret);

  // Another tab started a new set-up meanwhile: the old secret no longer confirms.
  const std::string other = accounts::new_totp_secret();
  run_sync(w.db->write(storage::job(accounts::begin_enrolment, id, other)));
  const std::vector<std::string> none;
  const std::int64_t step = 100;
  CHECK(failure_code([&] {
          run_sync(w.db->write(storage::job(accounts::confirm_enrolment, w.biller, secret, step, none)));
        }) == "conflict");

  enrol(w, w.biller, other, 100);
  auto on = state_of(w, w.biller);
  CHECK(on.secret == other);
  CHECK_FALSE(on.pending_secret);
  CHECK(on.enabled_at);
  CHECK(on.last_step == 100);
  CHECK(on.recovery_codes_left == 10);
  CHECK(w.count("audit_log WHERE action = 'second_factor_enabled'") == 1);
  CHECK(w.count("audit_log WHERE CAST(after_json AS TEXT) LIKE $1", storage::params("%" + other + "%")) == 0);
  CHECK(failure_code([&] { run_sync(w.db->write(storage::job(accounts::begin_enrolment, id, secret))); }) ==
        "second_factor_enabled");
}

TEST_CASE("second factor store: a time step is accepted once and only after the last, also when two requests race") {
  World w;
  enrol(w, w.biller, accounts::new_totp_secret(), 100);
  const std::int64_t id = w.biller.user_id;
  const std::int64_t s100 = 100, s101 = 101, s99 = 99;
  CHECK_FALSE(run_sync(w.db->write(storage::job(accounts::accept_totp_step, id, s100))));  // the enrolment's
  CHECK_FALSE(run_sync(w.db->write(storage::job(accounts::accept_totp_step, id, s99))));
  CHECK(run_sync(w.db->write(storage::job(accounts::accept_totp_step, id, s101))));
  CHECK_FALSE(run_sync(w.db->write(storage::job(accounts::accept_totp_step, id, s101))));

  for (std::int64_t step = 200; step < 205; ++step) {
    bool a = false, b = false;
    std::vector<asio::awaitable<void>> both;
    both.push_back(accept_into(*w.db, id, step, a));
    both.push_back(accept_into(*w.db, id, step, b));
    auto errors = run_sync(run_all(std::move(both)), std::chrono::seconds(60), 4);
    for (const auto& e : errors) CHECK_MESSAGE(!e, what(e));
    CHECK(a != b);
  }
}

TEST_CASE("second factor store: a recovery code is used once, also when two requests race") {
  World w;
  auto codes = enrol(w, w.biller, accounts::new_totp_secret(), 1);
  const std::int64_t id = w.biller.user_id;
  const std::int64_t now = 5;
  const std::string first = *accounts::recovery_code_hash(codes[0]);
  CHECK(run_sync(w.db->write(storage::job(accounts::use_recovery_code, id, first, now))));
  CHECK_FALSE(run_sync(w.db->write(storage::job(accounts::use_recovery_code, id, first, now))));
  // Another user's code is not this user's.
  const std::int64_t other = w.admin.user_id;
  const std::string second = *accounts::recovery_code_hash(codes[1]);
  CHECK_FALSE(run_sync(w.db->write(storage::job(accounts::use_recovery_code, other, second, now))));
  CHECK(state_of(w, w.biller).recovery_codes_left == 9);

  for (int i = 1; i < 6; ++i) {
    bool a = false, b = false;
    const std::string h = *accounts::recovery_code_hash(codes[static_cast<std::size_t>(i)]);
    std::vector<asio::awaitable<void>> both;
    both.push_back(use_into(*w.db, id, h, a));
    both.push_back(use_into(*w.db, id, h, b));
    auto errors = run_sync(run_all(std::move(both)), std::chrono::seconds(60), 4);
    for (const auto& e : errors) CHECK_MESSAGE(!e, what(e));
    CHECK(a != b);
  }
  CHECK(state_of(w, w.biller).recovery_codes_left == 4);
}

TEST_CASE("second factor store: a challenge lasts five minutes and five wrong codes") {
  World w;
  const std::int64_t id = w.biller.user_id;
  const std::int64_t t0 = 1'000'000'000'000;
  const std::string hash = std::string(64, 'c');
  const std::optional<std::string> ua = "test agent";
  run_sync(w.db->write(storage::job(accounts::open_login_challenge, hash, id, std::string("127.0.0.1"), ua, t0)));
  auto found = run_sync(w.db->read(storage::job(accounts::find_login_challenge, hash, t0 + 1)));
  REQUIRE(found);
  CHECK(found->user_id == id);
  CHECK(found->username == "bina");
  const std::int64_t late = t0 + accounts::kLoginChallengeUs;
  CHECK_FALSE(run_sync(w.db->read(storage::job(accounts::find_login_challenge, hash, late))));
  const std::int64_t challenge = found->id;
  for (int i = 0; i < accounts::kLoginChallengeMaxFailures; ++i) {
    run_sync(w.db->write(storage::job(accounts::count_challenge_failure, challenge)));
  }
  CHECK_FALSE(run_sync(w.db->read(storage::job(accounts::find_login_challenge, hash, t0 + 1))));
  // Opening another purges the expired ones.
  const std::string hash2 = std::string(64, 'd');
  run_sync(w.db->write(storage::job(accounts::open_login_challenge, hash2, id, std::string("127.0.0.1"), ua, late)));
  CHECK(w.count("login_challenges") == 1);
}

TEST_CASE("second factor store: removal clears the secret, the codes and the challenges, audited by its kind") {
  World w;
  enrol(w, w.dispatcher, accounts::new_totp_secret(), 1);
  const std::string name = "DEV";  // user names ignore case
  const domain::AuditAction action = domain::AuditAction::second_factor_reset;
  auto removed = run_sync(w.db->write(storage::job(accounts::remove_second_factor, w.admin, name, action)));
  const services::User& user = removed.value;
  CHECK(user.username == "dev");
  CHECK_FALSE(user.second_factor_since);
  auto off = state_of(w, w.dispatcher);
  CHECK_FALSE(off.secret);
  CHECK(off.recovery_codes_left == 0);
  CHECK(w.count("audit_log WHERE action = 'second_factor_reset' AND entity_key = 'dev'") == 1);
  CHECK(failure_code([&] {
          run_sync(w.db->write(storage::job(accounts::remove_second_factor, w.admin, name, action)));
        }) == "second_factor_not_enabled");
  const std::string nobody = "nobody";
  CHECK(failure_code([&] {
          run_sync(w.db->write(storage::job(accounts::remove_second_factor, w.admin, nobody, action)));
        }) == "user_not_found");
}
