// Conflicts as people read them (SPEC §8 "Conflicts"): one sentence per conflict, and the open
// conflicts of a bag or a bill for the "disputed" mark of its page.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <string>
#include <vector>

#include "storage/database.hpp"
#include "storage/tables/sync_rows.hpp"

namespace tt::services {

namespace asio = boost::asio;

// What the conflict says happened, in words: "TRAVELLER was linked into SB41000 at Lucknow depot
// by ravi on 2026-12-07 09:12 UTC; head office keeps it in SB31000."
std::string describe_conflict(const storage::ConflictRow& c);

struct Dispute {
  std::string uid;
  std::string kind;
  std::string summary;  // describe_conflict
};

// The open conflicts naming this bag or bill (`entity` bag | bill, `key` its code), newest first.
asio::awaitable<std::vector<Dispute>> open_disputes(storage::Tx& tx, std::string entity, std::string key);

}  // namespace tt::services
