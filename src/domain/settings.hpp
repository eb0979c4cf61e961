// The administrator's settings that govern bags (SPEC "(setting)" values): parent kinds, the
// capacity of a parent, a child's weight, and the depot's time zone (what a day is, SPEC §3.5). Stored in the settings table as JSON text per key;
// an absent key, or a stored value that no longer validates, means the built-in default, so a bad
// row can never stop scanning.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/parent_kinds.hpp"
#include "util/time_zone.hpp"

namespace tt::domain {

inline constexpr const char* kParentKindsKey = "parent_kinds";        // [{name, prefix, digits, weight_kg}]
inline constexpr const char* kParentCapacityKey = "parent_capacity";  // integer 1-1000, default 30
inline constexpr const char* kChildWeightKey = "child_weight_kg";     // number > 0, default 1
inline constexpr const char* kTimeZoneKey = "time_zone";              // IANA name, default "UTC"
inline constexpr const char* kDefaultTimeZone = "UTC";

inline constexpr int kDefaultParentCapacity = 30;
inline constexpr int kMaxParentCapacity = 1000;
inline constexpr double kDefaultChildWeightKg = 1.0;

struct Settings {
  std::vector<ParentKind> parent_kinds = default_parent_kinds();
  int parent_capacity = kDefaultParentCapacity;
  double child_weight_kg = kDefaultChildWeightKg;
  std::string time_zone = kDefaultTimeZone;  // a name util::TimeZone::locate knows

  // Expected weight of a parent of that kind; 0 for a kind no longer in the settings.
  double kind_weight(std::string_view kind) const noexcept;
};

// Builds the settings from key -> stored JSON text (other keys are ignored).
Settings settings_from(const std::map<std::string, std::string, std::less<>>& stored);

// Each checks a value given for its key: a message for a person when unacceptable.
std::optional<std::string> validate_parent_kinds_json(const nlohmann::json& value);
std::optional<std::string> validate_parent_capacity_json(const nlohmann::json& value);
std::optional<std::string> validate_child_weight_json(const nlohmann::json& value);
std::optional<std::string> validate_time_zone_json(const nlohmann::json& value);

// The zone of s.time_zone; UTC when the system no longer knows that name (tzdata removed), since
// the name was checked when it was stored.
util::TimeZone time_zone_of(const Settings& s);

// The parent kinds as JSON and back. parent_kinds_from_json throws std::invalid_argument with a
// message for a person on a malformed value; prefixes are upper-cased.
nlohmann::json parent_kinds_json(const std::vector<ParentKind>& kinds);
std::vector<ParentKind> parent_kinds_from_json(const nlohmann::json& value);

// The value of each key of Settings as JSON (for GET /settings).
nlohmann::json parent_capacity_json(const Settings& s);
nlohmann::json child_weight_json(const Settings& s);

}  // namespace tt::domain
