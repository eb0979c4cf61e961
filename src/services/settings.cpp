#include "services/settings.hpp"

#include <cmath>
#include <map>
#include <vector>

#include "domain/errors.hpp"
#include "domain/sync_ops.hpp"
#include "services/audit.hpp"
#include "services/audit_entry.hpp"
#include "domain/auth_settings.hpp"
#include "storage/tables/settings.hpp"
#include "storage/tables/user_refs.hpp"
#include "util/time.hpp"

namespace tt::services {

namespace {

// A number of minutes or hours in (0, max].
std::optional<std::string> positive_number(const std::string& key, const nlohmann::json& v, double max,
                                           const char* unit) {
  if (!v.is_number() || !std::isfinite(v.get<double>()) || v.get<double>() <= 0 || v.get<double>() > max) {
    return key + " must be a number of " + unit + " above 0 and at most " + std::to_string(static_cast<long>(max)) +
           ".";
  }
  return std::nullopt;
}

std::optional<std::string> whole_number(const std::string& key, const nlohmann::json& v, long max) {
  const bool whole = v.is_number_integer() || (v.is_number_float() && std::isfinite(v.get<double>()) &&
                                               std::floor(v.get<double>()) == v.get<double>());
  if (!whole || v.get<double>() < 1 || v.get<double>() > static_cast<double>(max)) {
    return key + " must be a whole number from 1 to " + std::to_string(max) + ".";
  }
  return std::nullopt;
}

std::optional<std::string> yes_or_no(const std::string& key, const nlohmann::json& v) {
  if (!v.is_boolean()) return key + " must be true or false.";
  return std::nullopt;
}

struct KnownSetting {
  const char* key;
  std::optional<std::string> (*validate)(const std::string& key, const nlohmann::json& v);
  nlohmann::json (*fallback)();
  const char* unit;         // of the value, for a person ("minutes", "kg", "" for a list)
  const char* description;  // what it governs, for the settings page
};

// The bounds match what domain/auth_settings.cpp accepts, so a stored value is never ignored
// there after being accepted here.
const std::vector<KnownSetting>& known_settings() {
  static const std::vector<KnownSetting> known{
      {domain::kParentKindsKey, [](const std::string&, const nlohmann::json& v) { return domain::validate_parent_kinds_json(v); },
       [] { return domain::parent_kinds_json(domain::default_parent_kinds()); }, "",
       "The kinds of parent bag: a code prefix followed by a number of digits, and the expected weight of a full bag "
       "of that kind in kg. Any other code is a child bag."},
      {domain::kParentCapacityKey,
       [](const std::string&, const nlohmann::json& v) { return domain::validate_parent_capacity_json(v); },
       [] { return nlohmann::json(domain::kDefaultParentCapacity); }, "child bags",
       "How many child bags a parent bag holds; it is complete when full."},
      {domain::kChildWeightKey, [](const std::string&, const nlohmann::json& v) { return domain::validate_child_weight_json(v); },
       [] { return nlohmann::json(domain::kDefaultChildWeightKg); }, "kg",
       "The weight of one child bag, for the weights of parents and bills."},
      {domain::kTimeZoneKey, [](const std::string&, const nlohmann::json& v) { return domain::validate_time_zone_json(v); },
       [] { return nlohmann::json(domain::kDefaultTimeZone); }, "",
       "The depot's time zone (an IANA name such as Asia/Kolkata): a date in a search, an export or a report "
       "is that whole day there."},
      {domain::kSessionIdleMinutes, [](const std::string& k, const nlohmann::json& v) { return positive_number(k, v, 7 * 24 * 60, "minutes"); },
       [] { return nlohmann::json(30); }, "minutes", "A browser session unused this long ends."},
      {domain::kSessionAbsoluteHours, [](const std::string& k, const nlohmann::json& v) { return positive_number(k, v, 30 * 24, "hours"); },
       [] { return nlohmann::json(12); }, "hours", "A browser session ends this long after signing in, used or not."},
      {domain::kLoginMaxFailuresPerUser, [](const std::string& k, const nlohmann::json& v) { return whole_number(k, v, 1000); },
       [] { return nlohmann::json(5); }, "failed sign-ins", "This many failed sign-ins of one user name within the window lock it."},
      {domain::kLoginMaxFailuresPerAddress, [](const std::string& k, const nlohmann::json& v) { return whole_number(k, v, 100000); },
       [] { return nlohmann::json(20); }, "failed sign-ins",
       "This many failed sign-ins from one client address within the window lock it."},
      {domain::kLoginWindowMinutes, [](const std::string& k, const nlohmann::json& v) { return positive_number(k, v, 24 * 60, "minutes"); },
       [] { return nlohmann::json(15); }, "minutes", "The time within which failed sign-ins are counted."},
      {domain::kLoginLockoutMinutes, [](const std::string& k, const nlohmann::json& v) { return positive_number(k, v, 24 * 60, "minutes"); },
       [] { return nlohmann::json(15); }, "minutes", "How long a lock after too many failed sign-ins lasts."},
      {domain::kSyncRetentionDaysKey,
       [](const std::string& k, const nlohmann::json& v) { return whole_number(k, v, domain::kMaxSyncRetentionDays); },
       [] { return nlohmann::json(domain::kDefaultSyncRetentionDays); }, "days",
       "A depot keeps the operations head office has acknowledged this long, so that a head office restored "
       "from a backup up to this old gets them again (SPEC §8)."},
      {domain::kAdminsNeedSecondFactor, yes_or_no, [] { return nlohmann::json(false); }, "",
       "Administrators must sign in with a one-time code from a phone app as well as their password. An "
       "administrator without one is asked to set it up before anything else."},
  };
  return known;
}

const KnownSetting* find_known(const std::string& key) {
  for (const auto& k : known_settings()) {
    if (key == k.key) return &k;
  }
  return nullptr;
}

// The effective value of a known key: the stored one when it parses and validates, else the default.
nlohmann::json effective(const KnownSetting& k, const storage::StoredSettings& stored) {
  auto it = stored.find(k.key);
  if (it != stored.end()) {
    auto v = nlohmann::json::parse(it->second, nullptr, false);
    if (!v.is_discarded() && !k.validate(k.key, v)) {
      if (std::string_view(k.key) == domain::kParentKindsKey) {
        return domain::parent_kinds_json(domain::parent_kinds_from_json(v));  // normalised (upper case)
      }
      return v;
    }
  }
  return k.fallback();
}

nlohmann::json all_from(const storage::StoredSettings& stored) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& k : known_settings()) out[k.key] = effective(k, stored);
  return out;
}

}  // namespace

bool is_known_setting(const std::string& key) { return find_known(key) != nullptr; }

asio::awaitable<nlohmann::json> describe_settings(storage::Tx& tx) {
  const auto stored = co_await storage::settings::read_all(tx);
  nlohmann::json out = nlohmann::json::array();
  for (const auto& k : known_settings()) {
    out.push_back({{"key", k.key},
                   {"value", effective(k, stored)},
                   {"default", k.fallback()},
                   {"unit", k.unit},
                   {"description", k.description}});
  }
  co_return out;
}

std::optional<std::string> validate_setting(const std::string& key, const nlohmann::json& value) {
  const KnownSetting* k = find_known(key);
  if (!k) return "There is no setting named '" + key + "'.";
  return k->validate(key, value);
}

asio::awaitable<domain::Settings> load_bag_settings(storage::Tx& tx) {
  std::vector<std::string> keys{domain::kParentKindsKey, domain::kParentCapacityKey, domain::kChildWeightKey,
                                domain::kTimeZoneKey};
  const storage::StoredSettings stored = co_await storage::settings::read_keys(tx, std::move(keys));
  co_return domain::settings_from(stored);
}

asio::awaitable<nlohmann::json> read_all_settings(storage::Tx& tx) { co_return all_from(co_await storage::settings::read_all(tx)); }

void check_setting_changes(const nlohmann::json& changes) {
  if (!changes.is_object() || changes.empty()) {
    throw domain::Failure(domain::Error::invalid_request, "Send a JSON object of the settings to change, e.g. {\"parent_capacity\": 30}.");
  }
  for (const auto& item : changes.items()) {
    const KnownSetting* k = find_known(item.key());
    if (!k) throw domain::Failure(domain::Error::invalid_request, "There is no setting named '" + item.key() + "'.");
    if (auto err = k->validate(item.key(), item.value())) throw domain::Failure(domain::Error::invalid_setting, *err);
  }
}

asio::awaitable<void> check_setting_changes_for(storage::Tx& tx, Caller caller, nlohmann::json changes) {
  check_setting_changes(changes);
  if (changes.contains(domain::kAdminsNeedSecondFactor) && changes[domain::kAdminsNeedSecondFactor] == true && caller.user_id != 0) {
    // Whoever requires it shows it works for them first, and cannot shut themselves out.
    const std::int64_t me = caller.user_id;
    const auto factor = co_await storage::user_refs::second_factor(tx, me);
    if (factor && !factor->enabled_at) {
      throw domain::Failure(domain::Error::second_factor_not_enabled,
                            "Turn on two-factor sign-in for your own account first (on your account page), then "
                            "require it for administrators.");
    }
  }
}

asio::awaitable<nlohmann::json> update_settings(storage::Tx& tx, Caller caller, nlohmann::json changes) {
  co_await check_setting_changes_for(tx, caller, changes);
  auto stored = co_await storage::settings::read_all(tx);
  const std::int64_t now = util::now_us();
  for (const auto& item : changes.items()) {
    const KnownSetting& k = *find_known(item.key());
    nlohmann::json value = item.value();
    if (item.key() == domain::kParentKindsKey) value = domain::parent_kinds_json(domain::parent_kinds_from_json(value));
    const nlohmann::json before = effective(k, stored);
    const std::string text = value.dump();
    co_await storage::settings::store(tx, item.key(), text, now, caller.user_id);
    co_await record_audit(tx, caller,
                          make_audit_entry(AuditAction::setting_change, "setting", item.key(), before, value));
    stored[item.key()] = text;
  }
  co_return all_from(stored);
}

SettingsCache::SettingsCache(std::chrono::milliseconds ttl)
    : ttl_us_(std::chrono::duration_cast<std::chrono::microseconds>(ttl).count()) {}

void SettingsCache::invalidate() noexcept {
  std::lock_guard lock(mutex_);
  loaded_at_ = 0;
  ++generation_;
}

asio::awaitable<SettingsPtr> SettingsCache::get(storage::Database& db) {
  std::uint64_t generation = 0;
  {
    std::lock_guard lock(mutex_);
    const std::int64_t now = util::now_us();
    if (value_ && (now - loaded_at_ < ttl_us_ || loading_)) co_return value_;
    loading_ = true;
    generation = generation_;
  }
  const std::int64_t started = util::now_us();
  SettingsPtr fresh;
  try {
    auto job = storage::job(load_bag_settings);
    fresh = std::make_shared<const domain::Settings>(
        co_await db.read(std::move(job)));
  } catch (...) {
    std::lock_guard lock(mutex_);
    loading_ = false;
    throw;
  }
  std::lock_guard lock(mutex_);
  loading_ = false;
  value_ = fresh;
  // A change committed while this load ran may be missing from it: keep it, but as stale.
  loaded_at_ = generation == generation_ ? started : 0;
  co_return fresh;
}

}  // namespace tt::services
