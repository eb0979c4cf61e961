// Replayed scans (SPEC §4 client_scan_id): a scanning client that lost the answer to a scan sends
// it again with the same id; the server answers with the first answer and changes and logs nothing.
//
// Used inside the scan's write transaction: claim_client_scan first, then (when it returns nothing)
// the scan itself, then store_client_scan_answer. The claim inserts the (user, id) row, so on
// PostgreSQL a concurrent request with the same id waits at its claim until the first transaction
// ends: committed, it finds the stored answer; rolled back, it claims the id itself. SQLite's
// single writer runs the two one after the other.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "storage/database.hpp"

namespace tt::services {

namespace asio = boost::asio;

// The first answer to a scan: HTTP status and JSON body, as sent.
struct ScanAnswer {
  int status = 200;
  std::string body;
};

// Claims `client_scan_id` (normalised, domain::normalise_client_scan_id) for the user. Returns
// nothing when the id is new (claimed by this transaction), or the answer given to it before.
asio::awaitable<std::optional<ScanAnswer>> claim_client_scan(storage::Tx& tx, std::int64_t user_id,
                                                             std::string client_scan_id);

// Stores the answer to a claimed id, in the same transaction as the scan.
asio::awaitable<void> store_client_scan_answer(storage::Tx& tx, std::int64_t user_id, std::string client_scan_id,
                                               ScanAnswer answer);

// What a replayable scan's transaction returns.
template <class Outcome>
struct ScanCall {
  bool replay = false;   // answered from a stored answer: nothing changed, publish nothing
  Outcome outcome{};     // the scan's outcome (default when replayed)
  ScanAnswer answer;     // what to send
};

// Runs `scan(tx)` (a callable returning awaitable<Outcome>) unless `client_scan_id` was answered
// before, turns its outcome into the answer with `answer(outcome)`, and stores that answer for the
// id. Without an id it only runs the scan. A coroutine function, not a lambda: its arguments live
// in its frame (see storage::params).
template <class Outcome, class Scan, class Answer>
asio::awaitable<ScanCall<Outcome>> run_replayable_scan(storage::Tx& tx, std::int64_t user_id,
                                                       std::optional<std::string> client_scan_id, Scan scan,
                                                       Answer answer) {
  ScanCall<Outcome> call;
  if (client_scan_id) {
    if (auto stored = co_await claim_client_scan(tx, user_id, *client_scan_id)) {
      call.replay = true;
      call.answer = std::move(*stored);
      co_return call;
    }
  }
  call.outcome = co_await scan(tx);
  call.answer = answer(call.outcome);
  if (client_scan_id) co_await store_client_scan_answer(tx, user_id, *client_scan_id, call.answer);
  co_return call;
}

}  // namespace tt::services
