#include "services/client_scans.hpp"

#include "util/time.hpp"

namespace tt::services {

namespace {

constexpr std::string_view kClaim =
    "INSERT INTO client_scans (user_id, client_scan_id, at) VALUES ($1, $2, $3)"
    " ON CONFLICT (user_id, client_scan_id) DO NOTHING RETURNING at";
// A new statement: on PostgreSQL it sees the row the claim waited for, committed.
constexpr std::string_view kAnswerOf =
    "SELECT status, answer FROM client_scans WHERE user_id = $1 AND client_scan_id = $2";
constexpr std::string_view kStore =
    "UPDATE client_scans SET status = $3, answer = $4 WHERE user_id = $1 AND client_scan_id = $2";

}  // namespace

asio::awaitable<std::optional<ScanAnswer>> claim_client_scan(storage::Tx& tx, std::int64_t user_id,
                                                             std::string client_scan_id) {
  if (co_await tx.query_one(kClaim, storage::params(user_id, client_scan_id, util::now_us()))) {
    co_return std::nullopt;
  }
  auto row = co_await tx.query_one(kAnswerOf, storage::params(user_id, client_scan_id));
  if (!row || row->i64(0) == 0) {
    // Claimed by a transaction that committed without an answer: never written so.
    throw storage::DbError("client scan " + client_scan_id + " has no stored answer");
  }
  co_return ScanAnswer{static_cast<int>(row->i64(0)), row->opt_text(1).value_or("")};
}

asio::awaitable<void> store_client_scan_answer(storage::Tx& tx, std::int64_t user_id, std::string client_scan_id,
                                               ScanAnswer answer) {
  co_await tx.exec_deferred(kStore, storage::params(user_id, std::move(client_scan_id),
                                                    static_cast<std::int64_t>(answer.status), std::move(answer.body)));
}

}  // namespace tt::services
