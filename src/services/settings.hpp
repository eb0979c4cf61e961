// Reading and changing the administrator's settings (GET/PATCH /api/v1/settings), and a
// short-lived cache of the bag settings for the scan path.
//
// Known keys: the bag settings of domain/settings.hpp (parent_kinds, parent_capacity,
// child_weight_kg) and the session and login settings of domain/auth_settings.hpp. Values are
// stored as JSON text; a key never written shows its default.
//
// Cache: scans read the settings from memory, reloaded from the database at most once per second
// (the TTL). A change made through this process invalidates the cache at once; a change made by
// another process sharing a PostgreSQL database is seen within the TTL.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "domain/errors.hpp"
#include "domain/settings.hpp"
#include "services/caller.hpp"
#include "storage/database.hpp"

namespace tt::services {

namespace asio = boost::asio;

using SettingsPtr = std::shared_ptr<const domain::Settings>;

asio::awaitable<domain::Settings> load_bag_settings(storage::Tx& tx);

// Every known key with its current value (the default when never written), as one JSON object.
asio::awaitable<nlohmann::json> read_all_settings(storage::Tx& tx);

// Every known key described for a person: [{key, value, default, unit, description}], in a fixed
// order (bag settings first).
asio::awaitable<nlohmann::json> describe_settings(storage::Tx& tx);

// Validates every key of `changes` (a JSON object of key -> new value) first, then stores them all
// with one audit entry per changed key; returns the settings as read_all_settings does afterwards.
// Throws domain::Failure invalid_request for an unknown key, invalid_setting naming the key
// for an unacceptable value.
asio::awaitable<nlohmann::json> update_settings(storage::Tx& tx, Caller caller, nlohmann::json changes);

// The checks of update_settings alone, storing nothing (a form checking its values as they are
// typed): throws as update_settings does. check_setting_changes needs no database;
// check_setting_changes_for also applies the rules that depend on the caller (requiring a second
// factor of administrators needs one's own first).
void check_setting_changes(const nlohmann::json& changes);
asio::awaitable<void> check_setting_changes_for(storage::Tx& tx, Caller caller, nlohmann::json changes);

// Checks one key and value without the database: a message for a person when unacceptable.
std::optional<std::string> validate_setting(const std::string& key, const nlohmann::json& value);
bool is_known_setting(const std::string& key);

class SettingsCache {
 public:
  explicit SettingsCache(std::chrono::milliseconds ttl = std::chrono::milliseconds(1000));

  // The current settings: from memory while fresh, otherwise reloaded. While one caller reloads,
  // others keep getting the previous value instead of waiting.
  asio::awaitable<SettingsPtr> get(storage::Database& db);
  void invalidate() noexcept;

 private:
  std::int64_t ttl_us_;
  std::mutex mutex_;
  SettingsPtr value_;
  std::int64_t loaded_at_ = 0;
  std::uint64_t generation_ = 0;
  bool loading_ = false;
};

}  // namespace tt::services
