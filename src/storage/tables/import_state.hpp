// What an import needs to know about the codes its file names (SPEC §3.7): the bags and bills
// that exist, a child's parent, a parent's children count and bill, a bill's place count, read in
// chunks of codes through the unique indexes. On PostgreSQL the rows read stay locked until the
// transaction ends (in id order within a chunk), so scans into those parents and bills wait for
// the import rather than slip between its reading and its writing.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <string>
#include <vector>

#include "domain/import_plan.hpp"
#include "storage/database.hpp"

namespace tt::storage::import_state {

// `bag_codes` and `bill_codes`: normalised and distinct. `lock`: false in a read transaction (a
// check that writes nothing).
asio::awaitable<domain::ImportState> load(Tx& tx, std::vector<std::string> bag_codes,
                                          std::vector<std::string> bill_codes, bool lock);

}  // namespace tt::storage::import_state
