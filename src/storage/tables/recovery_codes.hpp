// The user_recovery_codes table (SPEC §3.9): a user's single-use codes for a lost phone, one row
// per code, stored as SHA-256 hashes. Named statements, each written once.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "storage/database.hpp"

namespace tt::storage::recovery_codes {

// Replaces the user's codes by `hashes`.
asio::awaitable<void> replace(Tx& tx, std::int64_t user_id, const std::vector<std::string>& hashes,
                              std::int64_t now);
// Marks the code with this hash used: false when it is not one of the user's unused codes.
asio::awaitable<bool> use(Tx& tx, std::int64_t user_id, const std::string& code_hash, std::int64_t now);
asio::awaitable<void> remove_of_user(Tx& tx, std::int64_t user_id);

}  // namespace tt::storage::recovery_codes
