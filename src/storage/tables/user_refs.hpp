// What services other than the accounts read of the users table (SPEC §1): every user's name by
// id (the dashboard's breakdown), and whether a user's second factor is on (the settings page
// refuses to require it of administrators before the one asking has it). Named statements and row
// mapping; the accounts' own statements are elsewhere.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "storage/database.hpp"

namespace tt::storage::user_refs {

// (id, username) of every user.
asio::awaitable<std::vector<std::pair<std::int64_t, std::string>>> names(Tx& tx);

struct SecondFactor {
  std::optional<std::int64_t> enabled_at;  // microseconds since the epoch; none: off
};
// The user's second factor; none when there is no such user.
asio::awaitable<std::optional<SecondFactor>> second_factor(Tx& tx, std::int64_t user_id);

}  // namespace tt::storage::user_refs
