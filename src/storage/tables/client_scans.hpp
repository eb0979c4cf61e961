// The client_scans table (SPEC §4 client_scan_id): one row per (user, client scan id) a scanning
// client sent, with the first answer given to it. Named statements and row mapping; the rule of a
// replayed scan is the service's (services/client_scans.hpp).
#pragma once

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>

#include "storage/database.hpp"

namespace tt::storage {

// A stored answer: HTTP status (0: claimed, no answer stored yet) and JSON body.
struct ClientScanAnswer {
  std::int64_t status = 0;
  std::optional<std::string> body;
};

namespace client_scans {

// Inserts the (user, id) row, `at` in microseconds since the epoch; true when this transaction
// inserted it, false when it exists (on PostgreSQL, after waiting for the transaction that
// inserted it to end).
asio::awaitable<bool> claim(Tx& tx, std::int64_t user_id, const std::string& client_scan_id, std::int64_t at);
// The answer stored for the id, read in a statement of its own: on PostgreSQL it sees the row the
// claim waited for, committed. None when there is no row.
asio::awaitable<std::optional<ClientScanAnswer>> answer_of(Tx& tx, std::int64_t user_id,
                                                           const std::string& client_scan_id);
// Stores the answer to a claimed id (deferred to the transaction's commit: Tx::exec_deferred).
asio::awaitable<void> store_answer(Tx& tx, std::int64_t user_id, std::string client_scan_id, std::int64_t status,
                                   std::string body);

}  // namespace client_scans
}  // namespace tt::storage
