#include "storage/tables/client_scans.hpp"

namespace tt::storage::client_scans {

namespace {

constexpr std::string_view kClaim =
    "INSERT INTO client_scans (user_id, client_scan_id, at) VALUES ($1, $2, $3)"
    " ON CONFLICT (user_id, client_scan_id) DO NOTHING RETURNING at";
constexpr std::string_view kAnswerOf =
    "SELECT status, answer FROM client_scans WHERE user_id = $1 AND client_scan_id = $2";
constexpr std::string_view kStore =
    "UPDATE client_scans SET status = $3, answer = $4 WHERE user_id = $1 AND client_scan_id = $2";

}  // namespace

asio::awaitable<bool> claim(Tx& tx, std::int64_t user_id, const std::string& client_scan_id, std::int64_t at) {
  const std::optional<Row> row = co_await tx.query_one(kClaim, params(user_id, client_scan_id, at));
  co_return row.has_value();
}

asio::awaitable<std::optional<ClientScanAnswer>> answer_of(Tx& tx, std::int64_t user_id,
                                                           const std::string& client_scan_id) {
  const std::optional<Row> row = co_await tx.query_one(kAnswerOf, params(user_id, client_scan_id));
  if (!row) co_return std::nullopt;
  co_return ClientScanAnswer{row->i64(0), row->opt_text(1)};
}

asio::awaitable<void> store_answer(Tx& tx, std::int64_t user_id, std::string client_scan_id, std::int64_t status,
                                   std::string body) {
  co_await tx.exec_deferred(kStore, params(user_id, std::move(client_scan_id), status, std::move(body)));
}

}  // namespace tt::storage::client_scans
