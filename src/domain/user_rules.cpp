#include "domain/user_rules.hpp"

#include <algorithm>

namespace tt::domain {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

bool has_control(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f;
  });
}

// A printable name (area, token): trimmed, 1..max bytes, no control characters.
std::optional<std::string> validate_name(std::string_view s, std::size_t max, std::string_view what) {
  if (s.empty()) return std::string(what) + " must not be empty.";
  if (s.size() > max) return std::string(what) + " must be at most " + std::to_string(max) + " characters long.";
  if (has_control(s)) return std::string(what) + " must not contain control characters.";
  return std::nullopt;
}

}  // namespace

std::string trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return std::string(s);
}

std::string normalise_username(std::string_view s) {
  std::string out = trim(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::optional<std::string> validate_username(std::string_view s) {
  if (s.size() < kUsernameMin || s.size() > kUsernameMax) {
    return "A username must be 3 to 32 characters long.";
  }
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!ok) return "A username may contain only letters, digits, '.', '_' and '-'.";
  }
  return std::nullopt;
}

std::optional<std::string> validate_password(std::string_view p) {
  if (p.size() < kPasswordMin) return "A password must be at least 10 characters long.";
  if (p.size() > kPasswordMax) return "A password must be at most 256 characters long.";
  // A NUL byte would silently end the password inside the C hashing interface.
  if (p.find('\0') != std::string_view::npos) return "A password must not contain NUL characters.";
  return std::nullopt;
}

std::optional<std::string> validate_email(std::string_view e) {
  if (e.empty() || e.size() > kEmailMax) return "An email address must be 1 to 254 characters long.";
  if (has_control(e) || std::any_of(e.begin(), e.end(), is_space)) return "An email address must not contain spaces.";
  auto at = e.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == e.size() || e.find('@', at + 1) != std::string_view::npos) {
    return "An email address must look like name@example.org.";
  }
  return std::nullopt;
}

std::optional<std::string> validate_area_name(std::string_view s) { return validate_name(s, kAreaNameMax, "An area name"); }

std::optional<std::string> validate_token_name(std::string_view s) { return validate_name(s, kTokenNameMax, "A token name"); }

std::optional<std::string> validate_site_name(std::string_view s) { return validate_name(s, kSiteNameMax, "A site name"); }

}  // namespace tt::domain
