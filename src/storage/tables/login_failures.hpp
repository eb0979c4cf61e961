// The login_failures table (SPEC §3.9): one row per sign-in attempt counted towards the lockout,
// keyed by the user name as typed and by client address. Named statements, each written once.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "storage/database.hpp"

namespace tt::storage::login_failures {

// The times of the failures of a user name (or of a client address) since `since`, newest first,
// at most `limit` of them.
asio::awaitable<std::vector<std::int64_t>> of_username(Tx& tx, const std::string& username, std::int64_t since,
                                                       std::int64_t limit);
asio::awaitable<std::vector<std::int64_t>> of_address(Tx& tx, const std::string& client_addr, std::int64_t since,
                                                      std::int64_t limit);
asio::awaitable<void> insert(Tx& tx, const std::string& username, const std::string& client_addr, std::int64_t at);
// The one failure of this attempt.
asio::awaitable<void> remove(Tx& tx, const std::string& username, const std::string& client_addr, std::int64_t at);
// Every failure of the user name.
asio::awaitable<void> forget(Tx& tx, const std::string& username);
// Every failure of the user name, and everyone's failures older than `before`.
asio::awaitable<void> forget_with_older(Tx& tx, const std::string& username, std::int64_t before);

}  // namespace tt::storage::login_failures
