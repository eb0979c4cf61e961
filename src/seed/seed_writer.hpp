// Writes a generated data set (seed_plan.hpp) through the storage interface, so the same code
// fills SQLite and PostgreSQL: accounts first, then parents in slices (each slice one transaction
// with its children, links, scan log and audit entries, as live scanning would have left them),
// then bills over the parents.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "seed/seed_plan.hpp"
#include "storage/database.hpp"

namespace tt::seed {

namespace asio = boost::asio;

// Row ids of the accounts, indexed by 0-based area.
struct SeedAccounts {
  std::vector<std::int64_t> areas;
  std::vector<std::vector<std::int64_t>> dispatchers;
  std::vector<std::int64_t> billers;
};

// Bags already in the database; seeding refuses to mix with real data.
asio::awaitable<std::int64_t> count_bags(storage::Tx& tx);

// Creates the areas and users (all with the given password hash) and returns their ids.
asio::awaitable<SeedAccounts> write_accounts(storage::Tx& tx, SeedOptions o, std::string password_hash,
                                             std::int64_t at);

// Parents [first, end) with their children, links, scan events and audit entries.
asio::awaitable<void> write_parents(storage::Tx& tx, SeedOptions o, const SeedAccounts& accounts, int first,
                                    int end, std::int64_t end_us);

// Bills [first, end) with their parents (which must exist), scan events and audit entries.
asio::awaitable<void> write_bills(storage::Tx& tx, SeedOptions o, const SeedAccounts& accounts, int first, int end,
                                  std::int64_t end_us);

}  // namespace tt::seed
