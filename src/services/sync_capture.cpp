#include "services/sync_capture.hpp"

#include "domain/sync_ops.hpp"
#include "storage/tables/sync_outbox.hpp"

namespace tt::services {

namespace {

nlohmann::json opt_text(const std::optional<std::string>& s) { return s ? nlohmann::json(*s) : nlohmann::json(nullptr); }

// A stored JSON text as a value (null when absent).
nlohmann::json opt_json(const std::optional<std::string>& s) {
  if (!s) return nullptr;
  return nlohmann::json::parse(*s);
}

storage::NewOutboxOp op_of(const std::string& uid, domain::SyncOpKind kind, std::int64_t at,
                           const std::optional<std::string>& user, nlohmann::json data,
                           std::optional<std::int64_t> area_id) {
  nlohmann::json op{{"uid", uid}, {"kind", domain::to_string(kind)}, {"at", at}, {"user", opt_text(user)},
                    {"data", std::move(data)}};
  return storage::NewOutboxOp{uid, std::string(domain::to_string(kind)), at, op.dump(), area_id};
}

}  // namespace

nlohmann::json created_bag_json(const storage::NewBag& bag) {
  return nlohmann::json{{"uid", bag.uid},
                        {"code", bag.code},
                        {"type", bag.kind ? "parent" : "child"},
                        {"kind", opt_text(bag.kind)}};
}

asio::awaitable<void> capture_audit(storage::Tx& tx, domain::AuditAction action, const storage::NewAuditRow& row,
                                    const nlohmann::json& extra, std::optional<std::int64_t> area_id) {
  if (!tx.captures_changes()) co_return;
  nlohmann::json data = extra.is_object() ? extra : nlohmann::json::object();
  data["audit"] = nlohmann::json{{"action", row.action},
                                 {"entity", row.entity},
                                 {"key", opt_text(row.entity_key)},
                                 {"before", opt_json(row.before_json)},
                                 {"after", opt_json(row.after_json)},
                                 {"client", opt_text(row.client)}};
  const storage::NewOutboxOp op = op_of(row.uid, domain::sync_op_of(action), row.at, row.username, std::move(data), area_id);
  co_await storage::sync_outbox::append(tx, op);
}

asio::awaitable<void> capture_change(storage::Tx& tx, domain::SyncOpKind kind, const std::string& uid, std::int64_t at,
                                     const std::string& username, const nlohmann::json& data,
                                     std::optional<std::int64_t> area_id) {
  if (!tx.captures_changes()) co_return;
  std::optional<std::string> user;
  if (!username.empty()) user = username;
  const storage::NewOutboxOp op = op_of(uid, kind, at, user, data, area_id);
  co_await storage::sync_outbox::append(tx, op);
}

asio::awaitable<void> capture_scan(storage::Tx& tx, const storage::ScanEventRow& row, const std::string& username) {
  if (!tx.captures_changes()) co_return;
  nlohmann::json data{{"action", row.action},
                      {"code", row.code},
                      {"parent_code", opt_text(row.parent_code)},
                      {"bill_code", opt_text(row.bill_code)},
                      {"result", row.result},
                      {"reason", opt_text(row.reason)},
                      {"client", opt_text(row.client)},
                      {"client_scan_id", opt_text(row.client_scan_id)}};
  std::optional<std::string> user;
  if (!username.empty()) user = username;
  const storage::NewOutboxOp op = op_of(row.uid, domain::SyncOpKind::scan, row.at, user, std::move(data), row.area_id);
  co_await storage::sync_outbox::append(tx, op);
}

}  // namespace tt::services
