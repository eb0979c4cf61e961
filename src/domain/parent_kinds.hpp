// Parent kinds (SPEC §1): a parent bag's code is a fixed prefix followed by an exact number of
// digits. The kinds are a setting; the defaults are the two kinds depots use. Matching is a plain
// prefix comparison and a digit count (no regular expressions on the scan hot path).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tt::domain {

struct ParentKind {
  std::string name;     // stored in bags.kind: "SB", "M444"
  std::string prefix;   // upper case: "SB", "M444-"
  int digits = 5;       // exactly this many ASCII digits follow the prefix
  double weight_kg = 0; // expected weight of a full parent of this kind

  bool matches(std::string_view normalised_code) const noexcept;
  // "SB + 5 digits" for messages.
  std::string describe() const;
  // The same rule as a regular expression over a normalised code, "^SB[0-9]{5}$", for clients that
  // must tell a parent code from a child code before asking the server (the scan screen).
  std::string pattern() const;
};

inline constexpr std::size_t kMaxParentKinds = 16;
inline constexpr std::size_t kKindNameMax = 16;
inline constexpr std::size_t kKindPrefixMax = 32;
inline constexpr int kKindDigitsMax = 20;
inline constexpr double kWeightMaxKg = 10000;

// SB + 5 digits (30 kg) and M444- + 5 digits (15 kg).
std::vector<ParentKind> default_parent_kinds();

// The kind a normalised code matches, or null for a child code.
const ParentKind* match_parent_kind(const std::vector<ParentKind>& kinds, std::string_view normalised_code) noexcept;

// The kind of that name, or null (a kind removed from the settings after bags of it were made).
const ParentKind* find_parent_kind(const std::vector<ParentKind>& kinds, std::string_view name) noexcept;

// "SB + 5 digits or M444- + 5 digits" for messages.
std::string describe_parent_kinds(const std::vector<ParentKind>& kinds);

// Checks a list of kinds for use: 1-16 kinds, names of [A-Z0-9_-] (1-16 characters) and unique,
// prefixes that are valid code characters (1-32, upper case), digits 1-20, weights 0-10000 kg,
// and no two kinds that could match the same code. A message for a person when unacceptable.
std::optional<std::string> validate_parent_kinds(const std::vector<ParentKind>& kinds);

}  // namespace tt::domain
