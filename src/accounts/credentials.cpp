#include "accounts/credentials.hpp"

#include <sodium.h>

#include <algorithm>
#include <stdexcept>

#include "util/ids.hpp"

namespace tt::accounts {

namespace {

constexpr std::size_t kTokenBytes = 32;
constexpr std::size_t kTokenHexChars = kTokenBytes * 2;

bool is_lower_hex(std::string_view s) noexcept {
  return std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::string cookie_attributes(bool secure) {
  std::string out = "; Path=/; HttpOnly; SameSite=Strict";
  if (secure) out += "; Secure";
  return out;
}

}  // namespace

std::string new_session_token() { return util::random_hex(kTokenBytes); }
std::string new_csrf_token() { return util::random_hex(kTokenBytes); }
std::string new_api_token() { return std::string(kApiTokenPrefix) + util::random_hex(kTokenBytes); }
std::string new_site_token() { return std::string(kSiteTokenPrefix) + util::random_hex(kTokenBytes); }

std::string generate_password() {
  static constexpr std::string_view alphabet = "23456789abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not initialise");
  std::string out;
  for (int group = 0; group < 4; ++group) {
    if (group) out += '-';
    for (int i = 0; i < 5; ++i) {
      out += alphabet[randombytes_uniform(static_cast<std::uint32_t>(alphabet.size()))];
    }
  }
  return out;
}

bool is_session_token(std::string_view s) noexcept { return s.size() == kTokenHexChars && is_lower_hex(s); }

namespace {
bool is_token(std::string_view s, std::string_view prefix) noexcept {
  if (s.size() != prefix.size() + kTokenHexChars || !s.starts_with(prefix)) return false;
  return is_lower_hex(s.substr(prefix.size()));
}
}  // namespace

bool is_api_token(std::string_view s) noexcept { return is_token(s, kApiTokenPrefix); }
bool is_site_token(std::string_view s) noexcept { return is_token(s, kSiteTokenPrefix); }

std::optional<std::string_view> bearer_token(std::string_view v) noexcept {
  constexpr std::string_view scheme = "bearer";
  if (v.size() <= scheme.size() || !iequals(v.substr(0, scheme.size()), scheme) || v[scheme.size()] != ' ') {
    return std::nullopt;
  }
  v.remove_prefix(scheme.size());
  while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
  while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
  if (v.empty() || v.find(' ') != std::string_view::npos) return std::nullopt;
  return v;
}

std::string token_hash(std::string_view token) { return util::sha256_hex(token); }

std::string session_cookie(std::string_view token, long long max_age_seconds, bool secure) {
  return std::string(kSessionCookie) + "=" + std::string(token) + cookie_attributes(secure) +
         "; Max-Age=" + std::to_string(max_age_seconds);
}

std::string expired_session_cookie(bool secure) {
  return std::string(kSessionCookie) + "=" + cookie_attributes(secure) + "; Max-Age=0";
}

}  // namespace tt::accounts
