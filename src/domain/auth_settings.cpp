#include "domain/auth_settings.hpp"

#include <nlohmann/json.hpp>

#include <cmath>

namespace tt::domain {

namespace {

constexpr std::int64_t kMinute = 60LL * 1000000;
constexpr std::int64_t kHour = 60 * kMinute;

std::optional<double> number_of(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  auto j = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (j.is_number()) return j.get<double>();
  // Tolerate a number written as a JSON string ("30").
  if (j.is_string()) {
    auto inner = nlohmann::json::parse(j.get<std::string>(), nullptr, false);
    if (inner.is_number()) return inner.get<double>();
  }
  return std::nullopt;
}

std::optional<std::string> lookup(const std::map<std::string, std::string>& m, const char* key) {
  auto it = m.find(key);
  if (it == m.end()) return std::nullopt;
  return it->second;
}

}  // namespace

std::int64_t duration_setting(const std::optional<std::string>& text, std::int64_t unit_us, std::int64_t fallback_us,
                              double max_units) {
  auto n = number_of(text);
  if (!n || !std::isfinite(*n) || *n <= 0 || *n > max_units) return fallback_us;
  auto us = static_cast<std::int64_t>(std::llround(*n * static_cast<double>(unit_us)));
  return us > 0 ? us : fallback_us;
}

int count_setting(const std::optional<std::string>& text, int fallback, int max) {
  auto n = number_of(text);
  if (!n || !std::isfinite(*n) || *n < 1 || *n > max || std::floor(*n) != *n) return fallback;
  return static_cast<int>(*n);
}

bool flag_setting(const std::optional<std::string>& text, bool fallback) {
  if (!text) return fallback;
  auto j = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  return j.is_boolean() ? j.get<bool>() : fallback;
}

AuthSettings auth_settings_from(const std::map<std::string, std::string>& v) {
  AuthSettings s;
  // Upper bounds keep a typo from making sessions or locks practically eternal.
  s.session_idle_us = duration_setting(lookup(v, kSessionIdleMinutes), kMinute, s.session_idle_us, 7 * 24 * 60);
  s.session_absolute_us = duration_setting(lookup(v, kSessionAbsoluteHours), kHour, s.session_absolute_us, 30 * 24);
  s.user_lockout.max_failures = count_setting(lookup(v, kLoginMaxFailuresPerUser), s.user_lockout.max_failures, 1000);
  s.address_lockout.max_failures =
      count_setting(lookup(v, kLoginMaxFailuresPerAddress), s.address_lockout.max_failures, 100000);
  auto window = duration_setting(lookup(v, kLoginWindowMinutes), kMinute, s.user_lockout.window_us, 24 * 60);
  auto lockout = duration_setting(lookup(v, kLoginLockoutMinutes), kMinute, s.user_lockout.lockout_us, 24 * 60);
  s.user_lockout.window_us = s.address_lockout.window_us = window;
  s.user_lockout.lockout_us = s.address_lockout.lockout_us = lockout;
  s.admins_need_second_factor = flag_setting(lookup(v, kAdminsNeedSecondFactor), false);
  return s;
}

}  // namespace tt::domain
