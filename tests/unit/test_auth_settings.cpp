// Session and lockout settings read from the settings table's JSON values.
#include <doctest/doctest.h>

#include <map>
#include <string>

#include "domain/auth_settings.hpp"

using namespace tt::domain;

namespace {
constexpr std::int64_t minute = 60LL * 1000000;
}

TEST_CASE("auth settings: defaults are 30 min idle, 12 h absolute, 5 per user and 20 per address in 15 min") {
  AuthSettings s = auth_settings_from({});
  CHECK(s.session_idle_us == 30 * minute);
  CHECK(s.session_absolute_us == 12 * 60 * minute);
  CHECK(s.user_lockout.max_failures == 5);
  CHECK(s.address_lockout.max_failures == 20);
  CHECK(s.user_lockout.window_us == 15 * minute);
  CHECK(s.user_lockout.lockout_us == 15 * minute);
}

TEST_CASE("auth settings: values override the defaults, fractions of a minute allowed") {
  std::map<std::string, std::string> v{{"session_idle_minutes", "10"},
                                       {"session_absolute_hours", "1.5"},
                                       {"login_max_failures_per_user", "3"},
                                       {"login_max_failures_per_address", "\"50\""},
                                       {"login_window_minutes", "0.5"},
                                       {"login_lockout_minutes", "0.05"}};
  AuthSettings s = auth_settings_from(v);
  CHECK(s.session_idle_us == 10 * minute);
  CHECK(s.session_absolute_us == 90 * minute);
  CHECK(s.user_lockout.max_failures == 3);
  CHECK(s.address_lockout.max_failures == 50);
  CHECK(s.user_lockout.window_us == 30 * 1000000);
  CHECK(s.address_lockout.lockout_us == 3 * 1000000);
}

TEST_CASE("auth settings: unusable values fall back to the defaults") {
  std::map<std::string, std::string> v{{"session_idle_minutes", "-5"},
                                       {"session_absolute_hours", "not json"},
                                       {"login_max_failures_per_user", "2.5"},
                                       {"login_max_failures_per_address", "0"},
                                       {"login_window_minutes", "1e12"},
                                       {"login_lockout_minutes", "null"}};
  AuthSettings s = auth_settings_from(v);
  AuthSettings d;
  CHECK(s.session_idle_us == d.session_idle_us);
  CHECK(s.session_absolute_us == d.session_absolute_us);
  CHECK(s.user_lockout.max_failures == 5);
  CHECK(s.address_lockout.max_failures == 20);
  CHECK(s.user_lockout.window_us == d.user_lockout.window_us);
  CHECK(s.user_lockout.lockout_us == d.user_lockout.lockout_us);
}
