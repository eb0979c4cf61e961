#include "services/sync_capture.hpp"

#include "domain/bag_code.hpp"
#include "domain/sync_ops.hpp"
#include "storage/tables/sync_outbox.hpp"

namespace tt::services {

namespace {

nlohmann::json opt_text(const std::optional<std::string>& s) { return s ? nlohmann::json(*s) : nlohmann::json(nullptr); }

// A JSON object written as text: an audit entry's stored before and after go in as they are, not
// parsed into a tree and dumped again. (bench/outbox-cost measured no difference from the trees it
// replaced: what the outbox costs a depot is the bytes it writes.)
class ObjectText {
 public:
  ObjectText& text(std::string_view key, std::string_view value) {
    name(key);
    domain::append_json_string(s_, value);
    return *this;
  }
  ObjectText& text_or_null(std::string_view key, const std::optional<std::string>& value) {
    name(key);
    if (value) domain::append_json_string(s_, *value);
    else s_ += "null";
    return *this;
  }
  ObjectText& number(std::string_view key, std::int64_t value) {
    name(key);
    s_ += std::to_string(value);
    return *this;
  }
  // A value that is JSON text already (an audit entry's stored before and after); null if none.
  ObjectText& json(std::string_view key, const std::optional<std::string>& text) {
    name(key);
    s_ += text ? *text : "null";
    return *this;
  }
  // The members of a JSON object's text ("{...}"), spliced into this one.
  ObjectText& members(std::string_view object) {
    if (object.size() <= 2) return *this;
    if (!first_) s_ += ',';
    first_ = false;
    s_.append(object.substr(1, object.size() - 2));
    return *this;
  }
  std::string done() {
    s_ += '}';
    return std::move(s_);
  }

 private:
  void name(std::string_view key) {
    if (!first_) s_ += ',';
    first_ = false;
    domain::append_json_string(s_, key);
    s_ += ':';
  }
  std::string s_ = "{";
  bool first_ = true;
};

// The operation as stored: {uid, kind, at, user, data}; its area goes beside it, as a number.
storage::NewOutboxOp op_of(const std::string& uid, domain::SyncOpKind kind, std::int64_t at,
                           const std::optional<std::string>& user, std::string data,
                           std::optional<std::int64_t> area_id) {
  const std::string_view kind_name = domain::to_string(kind);
  std::string payload =
      ObjectText().text("uid", uid).text("kind", kind_name).number("at", at).text_or_null("user", user).json("data", data).done();
  return storage::NewOutboxOp{uid, std::string(kind_name), at, std::move(payload), area_id};
}

std::optional<std::string> user_or_none(const std::string& username) {
  if (username.empty()) return std::nullopt;
  return username;
}

}  // namespace

nlohmann::json created_bag_json(const storage::NewBag& bag) {
  return nlohmann::json{{"uid", bag.uid},
                        {"code", bag.code},
                        {"type", bag.kind ? "parent" : "child"},
                        {"kind", opt_text(bag.kind)}};
}

namespace {

storage::NewOutboxOp audit_op(domain::AuditAction action, const storage::NewAuditRow& row, const nlohmann::json& extra,
                              std::optional<std::int64_t> area_id) {
  ObjectText audit;
  audit.text("action", row.action)
      .text("entity", row.entity)
      .text_or_null("key", row.entity_key)
      .json("before", row.before_json)
      .json("after", row.after_json)
      .text_or_null("client", row.client);
  ObjectText data;
  if (extra.is_object()) data.members(extra.dump());
  data.json("audit", audit.done());
  return op_of(row.uid, domain::sync_op_of(action), row.at, row.username, data.done(), area_id);
}

}  // namespace

std::string audit_operation(domain::AuditAction action, const storage::NewAuditRow& row, const nlohmann::json& extra) {
  return audit_op(action, row, extra, std::nullopt).payload;
}

asio::awaitable<void> capture_audit(storage::Tx& tx, domain::AuditAction action, const storage::NewAuditRow& row,
                                    const nlohmann::json& extra, std::optional<std::int64_t> area_id) {
  if (!tx.captures_changes()) co_return;
  const storage::NewOutboxOp op = audit_op(action, row, extra, area_id);
  co_await storage::sync_outbox::append(tx, op);
}

asio::awaitable<void> capture_change(storage::Tx& tx, domain::SyncOpKind kind, const std::string& uid, std::int64_t at,
                                     const std::string& username, const nlohmann::json& data,
                                     std::optional<std::int64_t> area_id) {
  if (!tx.captures_changes()) co_return;
  const storage::NewOutboxOp op = op_of(uid, kind, at, user_or_none(username), data.dump(), area_id);
  co_await storage::sync_outbox::append(tx, op);
}

asio::awaitable<void> capture_scan(storage::Tx& tx, const storage::ScanEventRow& row, const std::string& username,
                                   std::optional<std::string> effect) {
  if (!tx.captures_changes()) co_return;
  ObjectText data;
  data.text("action", row.action)
      .text("code", row.code)
      .text_or_null("parent_code", row.parent_code)
      .text_or_null("bill_code", row.bill_code)
      .text("result", row.result)
      .text_or_null("reason", row.reason)
      .text_or_null("client", row.client)
      .text_or_null("client_scan_id", row.client_scan_id);
  if (effect) data.json("effects", "[" + *effect + "]");
  const storage::NewOutboxOp op = op_of(row.uid, domain::SyncOpKind::scan, row.at, user_or_none(username), data.done(), row.area_id);
  co_await storage::sync_outbox::append(tx, op);
}

}  // namespace tt::services
