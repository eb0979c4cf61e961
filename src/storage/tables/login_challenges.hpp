// The login_challenges table (SPEC §3.9): the step between a right password and the one-time code
// of a user with a second factor, keyed by the SHA-256 of the challenge token. Named statements and
// row mapping, each written once.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>

#include "storage/database.hpp"

namespace tt::storage {

struct NewChallengeRow {
  std::string token_hash;
  std::int64_t user_id = 0;
  std::string client_addr;
  std::optional<std::string> user_agent;
  std::int64_t created_at = 0;
  std::int64_t expires_at = 0;
};

struct LoginChallenge {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string username;
  int failures = 0;
};

namespace login_challenges {

// Removes the challenges over at `now`.
asio::awaitable<void> purge(Tx& tx, std::int64_t now);
asio::awaitable<void> insert(Tx& tx, const NewChallengeRow& challenge);
// The challenge with this token hash, while it lasts (at `now`) and has fewer than `max_failures`.
asio::awaitable<std::optional<LoginChallenge>> find(Tx& tx, const std::string& token_hash, std::int64_t now,
                                                    int max_failures);
asio::awaitable<void> count_failure(Tx& tx, std::int64_t id);
asio::awaitable<void> remove(Tx& tx, std::int64_t id);
asio::awaitable<void> remove_of_user(Tx& tx, std::int64_t user_id);

}  // namespace login_challenges
}  // namespace tt::storage
