// The settings table (SPEC §3.8): one row per changed setting, its value as JSON text. Named
// statements for reading some or all of them and for storing one; what a value means, its bounds
// and its default are the services' (services/settings.hpp, services/auth_settings.hpp).
#pragma once

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "storage/database.hpp"

namespace tt::storage {

// Stored values (JSON text) by key; a key never changed has no row.
using StoredSettings = std::map<std::string, std::string, std::less<>>;

namespace settings {

asio::awaitable<StoredSettings> read_all(Tx& tx);
// The stored values of those keys only.
asio::awaitable<StoredSettings> read_keys(Tx& tx, std::vector<std::string> keys);
// Inserts or replaces the value of `key`; `at` in microseconds since the epoch, `by` the user id.
asio::awaitable<void> store(Tx& tx, const std::string& key, const std::string& json_text, std::int64_t at,
                            std::optional<std::int64_t> by);

}  // namespace settings
}  // namespace tt::storage
