#include "domain/parent_kinds.hpp"

#include <cmath>

namespace tt::domain {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool all_digits(std::string_view s) {
  for (const char c : s) {
    if (!is_digit(c)) return false;
  }
  return true;
}

// Two kinds can match one code when the codes they accept have the same length and one prefix
// extends the other by digits only (prefix "SB" + 5 digits and "SB1" + 4 digits both accept SB12345).
bool overlap(const ParentKind& a, const ParentKind& b) {
  if (a.prefix.size() + static_cast<std::size_t>(a.digits) != b.prefix.size() + static_cast<std::size_t>(b.digits)) {
    return false;
  }
  const ParentKind& shorter = a.prefix.size() <= b.prefix.size() ? a : b;
  const ParentKind& longer = a.prefix.size() <= b.prefix.size() ? b : a;
  if (std::string_view(longer.prefix).substr(0, shorter.prefix.size()) != shorter.prefix) return false;
  return all_digits(std::string_view(longer.prefix).substr(shorter.prefix.size()));
}

}  // namespace

bool ParentKind::matches(std::string_view code) const noexcept {
  if (code.size() != prefix.size() + static_cast<std::size_t>(digits)) return false;
  if (code.substr(0, prefix.size()) != prefix) return false;
  return all_digits(code.substr(prefix.size()));
}

std::string ParentKind::describe() const { return prefix + " + " + std::to_string(digits) + " digits"; }

std::string ParentKind::pattern() const {
  std::string out = "^";
  for (const char c : prefix) {
    if (std::string_view("\\^$.|?*+()[]{}/").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out + "[0-9]{" + std::to_string(digits) + "}$";
}

std::vector<ParentKind> default_parent_kinds() {
  return {ParentKind{"SB", "SB", 5, 30.0}, ParentKind{"M444", "M444-", 5, 15.0}};
}

const ParentKind* match_parent_kind(const std::vector<ParentKind>& kinds, std::string_view code) noexcept {
  for (const auto& k : kinds) {
    if (k.matches(code)) return &k;
  }
  return nullptr;
}

const ParentKind* find_parent_kind(const std::vector<ParentKind>& kinds, std::string_view name) noexcept {
  for (const auto& k : kinds) {
    if (k.name == name) return &k;
  }
  return nullptr;
}

std::string describe_parent_kinds(const std::vector<ParentKind>& kinds) {
  std::string out;
  for (std::size_t i = 0; i < kinds.size(); ++i) {
    if (i > 0) out += i + 1 == kinds.size() ? " or " : ", ";
    out += kinds[i].describe();
  }
  return out;
}

std::optional<std::string> validate_parent_kinds(const std::vector<ParentKind>& kinds) {
  if (kinds.empty()) return std::string("At least one parent kind is needed.");
  if (kinds.size() > kMaxParentKinds) {
    return "At most " + std::to_string(kMaxParentKinds) + " parent kinds are allowed.";
  }
  for (std::size_t i = 0; i < kinds.size(); ++i) {
    const auto& k = kinds[i];
    if (k.name.empty() || k.name.size() > kKindNameMax) {
      return "A parent kind's name must have 1 to " + std::to_string(kKindNameMax) + " characters.";
    }
    for (const char c : k.name) {
      if (!((c >= 'A' && c <= 'Z') || is_digit(c) || c == '_' || c == '-')) {
        return "The parent kind name '" + k.name + "' may only hold A-Z, 0-9, '_' and '-'.";
      }
    }
    if (k.prefix.empty() || k.prefix.size() > kKindPrefixMax) {
      return "The prefix of parent kind '" + k.name + "' must have 1 to " + std::to_string(kKindPrefixMax) +
             " characters.";
    }
    for (const char c : k.prefix) {
      const auto u = static_cast<unsigned char>(c);
      if (u <= 0x20 || u >= 0x7f || (c >= 'a' && c <= 'z')) {
        return "The prefix of parent kind '" + k.name +
               "' may only hold printable ASCII characters without spaces, in upper case.";
      }
    }
    if (k.digits < 1 || k.digits > kKindDigitsMax) {
      return "Parent kind '" + k.name + "' must take 1 to " + std::to_string(kKindDigitsMax) + " digits.";
    }
    if (k.prefix.size() + static_cast<std::size_t>(k.digits) > 64) {
      return "Codes of parent kind '" + k.name + "' would be longer than 64 characters.";
    }
    if (!std::isfinite(k.weight_kg) || k.weight_kg < 0 || k.weight_kg > kWeightMaxKg) {
      return "The weight of parent kind '" + k.name + "' must be between 0 and " +
             std::to_string(static_cast<int>(kWeightMaxKg)) + " kg.";
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (kinds[j].name == k.name) return "Two parent kinds are named '" + k.name + "'.";
      if (overlap(kinds[j], k)) {
        return "Parent kinds '" + kinds[j].name + "' and '" + k.name + "' could both match the same code.";
      }
    }
  }
  return std::nullopt;
}

}  // namespace tt::domain
