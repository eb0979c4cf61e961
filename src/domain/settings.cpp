#include "domain/settings.hpp"

#include "util/time_zone.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <stdexcept>

namespace tt::domain {

namespace {

std::optional<nlohmann::json> parse(const std::map<std::string, std::string, std::less<>>& stored, std::string_view key) {
  auto it = stored.find(key);
  if (it == stored.end()) return std::nullopt;
  auto j = nlohmann::json::parse(it->second, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return std::nullopt;
  return j;
}

bool is_whole_number(const nlohmann::json& v) {
  if (v.is_number_integer()) return true;
  if (!v.is_number_float()) return false;
  const double d = v.get<double>();
  return std::isfinite(d) && std::floor(d) == d;
}

std::string upper(std::string s) {
  for (char& c : s) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return s;
}

}  // namespace

double Settings::kind_weight(std::string_view kind) const noexcept {
  const ParentKind* k = find_parent_kind(parent_kinds, kind);
  return k ? k->weight_kg : 0.0;
}

nlohmann::json parent_kinds_json(const std::vector<ParentKind>& kinds) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& k : kinds) {
    out.push_back({{"name", k.name}, {"prefix", k.prefix}, {"digits", k.digits}, {"weight_kg", k.weight_kg}});
  }
  return out;
}

std::vector<ParentKind> parent_kinds_from_json(const nlohmann::json& value) {
  if (!value.is_array()) {
    throw std::invalid_argument("parent_kinds must be a list of {name, prefix, digits, weight_kg} objects.");
  }
  std::vector<ParentKind> kinds;
  for (const auto& item : value) {
    if (!item.is_object()) {
      throw std::invalid_argument("Each parent kind must be an object {name, prefix, digits, weight_kg}.");
    }
    for (const auto& field : item.items()) {
      const auto& key = field.key();
      if (key != "name" && key != "prefix" && key != "digits" && key != "weight_kg") {
        throw std::invalid_argument("A parent kind has no field '" + key + "'.");
      }
    }
    ParentKind k;
    auto name = item.find("name");
    if (name == item.end() || !name->is_string()) throw std::invalid_argument("A parent kind needs a 'name' string.");
    auto prefix = item.find("prefix");
    if (prefix == item.end() || !prefix->is_string()) {
      throw std::invalid_argument("A parent kind needs a 'prefix' string.");
    }
    auto digits = item.find("digits");
    if (digits == item.end() || !is_whole_number(*digits)) {
      throw std::invalid_argument("A parent kind needs 'digits', a whole number.");
    }
    auto weight = item.find("weight_kg");
    if (weight == item.end() || !weight->is_number()) {
      throw std::invalid_argument("A parent kind needs 'weight_kg', a number.");
    }
    k.name = upper(name->get<std::string>());
    k.prefix = upper(prefix->get<std::string>());
    const double d = digits->get<double>();
    k.digits = (d < 0 || d > 1000) ? -1 : static_cast<int>(d);
    k.weight_kg = weight->get<double>();
    kinds.push_back(std::move(k));
  }
  return kinds;
}

std::optional<std::string> validate_parent_kinds_json(const nlohmann::json& value) {
  try {
    return validate_parent_kinds(parent_kinds_from_json(value));
  } catch (const std::invalid_argument& e) {
    return std::string(e.what());
  }
}

std::optional<std::string> validate_parent_capacity_json(const nlohmann::json& value) {
  if (!is_whole_number(value) || value.get<double>() < 1 || value.get<double>() > kMaxParentCapacity) {
    return "parent_capacity must be a whole number from 1 to " + std::to_string(kMaxParentCapacity) + ".";
  }
  return std::nullopt;
}

std::optional<std::string> validate_child_weight_json(const nlohmann::json& value) {
  if (!value.is_number() || !std::isfinite(value.get<double>()) || value.get<double>() <= 0 ||
      value.get<double>() > kWeightMaxKg) {
    return "child_weight_kg must be a number of kilograms above 0 and at most " +
           std::to_string(static_cast<int>(kWeightMaxKg)) + ".";
  }
  return std::nullopt;
}

std::optional<std::string> validate_time_zone_json(const nlohmann::json& value) {
  if (!value.is_string() || !util::TimeZone::locate(value.get<std::string>())) {
    return "time_zone must be the name of a time zone such as UTC, Asia/Kolkata or Europe/Berlin.";
  }
  return std::nullopt;
}

util::TimeZone time_zone_of(const Settings& s) {
  std::optional<util::TimeZone> zone = util::TimeZone::locate(s.time_zone);
  if (zone) return *zone;
  return util::TimeZone::utc();
}

nlohmann::json parent_capacity_json(const Settings& s) { return s.parent_capacity; }
nlohmann::json child_weight_json(const Settings& s) { return s.child_weight_kg; }

Settings settings_from(const std::map<std::string, std::string, std::less<>>& stored) {
  Settings s;
  if (auto v = parse(stored, kParentKindsKey); v && !validate_parent_kinds_json(*v)) {
    s.parent_kinds = parent_kinds_from_json(*v);
  }
  if (auto v = parse(stored, kParentCapacityKey); v && !validate_parent_capacity_json(*v)) {
    s.parent_capacity = static_cast<int>(v->get<double>());
  }
  if (auto v = parse(stored, kChildWeightKey); v && !validate_child_weight_json(*v)) {
    s.child_weight_kg = v->get<double>();
  }
  if (auto v = parse(stored, kTimeZoneKey); v && !validate_time_zone_json(*v)) {
    s.time_zone = v->get<std::string>();
  }
  return s;
}

}  // namespace tt::domain
