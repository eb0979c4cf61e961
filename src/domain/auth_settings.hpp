// Administrator settings that govern sessions and failed-login lockout (SPEC §3.9), read from the
// settings table, whose values are JSON numbers; an absent or unusable value means the default.
//
//   key                              default  meaning
//   session_idle_minutes             30       a session unused this long ends
//   session_absolute_hours           12       a session ends this long after login, used or not
//   login_max_failures_per_user      5        failures of one user name within the window ...
//   login_max_failures_per_address   20       ... or from one client address, lock it
//   login_window_minutes             15       the window failures are counted in
//   login_lockout_minutes            15       how long a lock lasts
//   admins_need_second_factor        false    administrators must sign in with a one-time code too
//
// Durations accept fractions (0.05 minutes is 3 seconds), which lets an operator, or a test,
// shorten them drastically. The keys, parsing and defaults alone, no I/O: accounts/auth_settings
// reads them, services/settings validates what an administrator stores.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "domain/lockout.hpp"
#include "domain/role.hpp"

namespace tt::domain {

struct AuthSettings {
  std::int64_t session_idle_us = 30LL * 60 * 1000000;
  std::int64_t session_absolute_us = 12LL * 3600 * 1000000;
  LockoutPolicy user_lockout{5, 15LL * 60 * 1000000, 15LL * 60 * 1000000};
  LockoutPolicy address_lockout{20, 15LL * 60 * 1000000, 15LL * 60 * 1000000};
  bool admins_need_second_factor = false;
};

inline constexpr const char* kSessionIdleMinutes = "session_idle_minutes";
inline constexpr const char* kSessionAbsoluteHours = "session_absolute_hours";
inline constexpr const char* kLoginMaxFailuresPerUser = "login_max_failures_per_user";
inline constexpr const char* kLoginMaxFailuresPerAddress = "login_max_failures_per_address";
inline constexpr const char* kLoginWindowMinutes = "login_window_minutes";
inline constexpr const char* kLoginLockoutMinutes = "login_lockout_minutes";
inline constexpr const char* kAdminsNeedSecondFactor = "admins_need_second_factor";

// A duration setting (JSON number of `unit_us` units) in microseconds; `fallback` when the text is
// not a positive number or exceeds `max_units`.
std::int64_t duration_setting(const std::optional<std::string>& json_text, std::int64_t unit_us,
                              std::int64_t fallback_us, double max_units);
// A count setting (JSON integer); `fallback` when not an integer in [1, max].
int count_setting(const std::optional<std::string>& json_text, int fallback, int max);

// Whether a user of `role` must sign in with a second factor: administrators, while
// admins_need_second_factor is on.
constexpr bool second_factor_required(Role role, bool admins_need_second_factor) noexcept {
  return role == Role::admin && admins_need_second_factor;
}

// A yes/no setting (JSON true or false); `fallback` for anything else.
bool flag_setting(const std::optional<std::string>& json_text, bool fallback);

// Builds the settings from key -> JSON text (absent keys: defaults).
AuthSettings auth_settings_from(const std::map<std::string, std::string>& values);

}  // namespace tt::domain
