#include "services/client_scans.hpp"

#include "storage/tables/client_scans.hpp"
#include "util/time.hpp"

namespace tt::services {

asio::awaitable<std::optional<ScanAnswer>> claim_client_scan(storage::Tx& tx, std::int64_t user_id,
                                                             std::string client_scan_id) {
  if (co_await storage::client_scans::claim(tx, user_id, client_scan_id, util::now_us())) co_return std::nullopt;
  auto stored = co_await storage::client_scans::answer_of(tx, user_id, client_scan_id);
  if (!stored || stored->status == 0) {
    // Claimed by a transaction that committed without an answer: never written so.
    throw storage::DbError("client scan " + client_scan_id + " has no stored answer");
  }
  co_return ScanAnswer{static_cast<int>(stored->status), stored->body.value_or("")};
}

asio::awaitable<void> store_client_scan_answer(storage::Tx& tx, std::int64_t user_id, std::string client_scan_id,
                                               ScanAnswer answer) {
  co_await storage::client_scans::store_answer(tx, user_id, std::move(client_scan_id),
                                               static_cast<std::int64_t>(answer.status), std::move(answer.body));
}

}  // namespace tt::services
