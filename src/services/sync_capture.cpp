#include "services/sync_capture.hpp"

#include <stdexcept>

#include "domain/bag_code.hpp"
#include "domain/sync_ops.hpp"
#include "storage/tables/sync_outbox.hpp"

namespace tt::services {

namespace {

nlohmann::json opt_text(const std::optional<std::string>& s) { return s ? nlohmann::json(*s) : nlohmann::json(nullptr); }

// A JSON object written as text: an audit entry's stored before and after go in as they are, not
// parsed into a tree and dumped again (a batch of 500 operations is built per push).
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

// The operation as sent: {uid, kind, at, user, data}.
std::string op_text(const std::string& uid, std::string_view kind, std::int64_t at,
                    const std::optional<std::string>& user, const std::string& data) {
  return ObjectText().text("uid", uid).text("kind", kind).number("at", at).text_or_null("user", user).json("data", data).done();
}

std::optional<std::string> user_or_none(const std::string& username) {
  if (username.empty()) return std::nullopt;
  return username;
}

// The members an operation's data gains, as JSON object text (none for an empty object).
std::optional<std::string> extra_text(const nlohmann::json& extra) {
  if (!extra.is_object() || extra.empty()) return std::nullopt;
  return extra.dump();
}

// An audited change's operation: {data: {...extra, audit: {action, entity, key, before, after, client}}}.
std::string audit_op_text(std::string_view kind, const storage::NewAuditRow& row, const std::optional<std::string>& extra) {
  ObjectText audit;
  audit.text("action", row.action)
      .text("entity", row.entity)
      .text_or_null("key", row.entity_key)
      .json("before", row.before_json)
      .json("after", row.after_json)
      .text_or_null("client", row.client);
  ObjectText data;
  if (extra) data.members(*extra);
  data.json("audit", audit.done());
  return op_text(row.uid, kind, row.at, row.username, data.done());
}

// A scan event's operation; `effect`, the operation of the change it made.
std::string scan_op_text(const storage::ScanEventRow& row, const std::optional<std::string>& user,
                         const std::optional<std::string>& effect) {
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
  return op_text(row.uid, domain::to_string(domain::SyncOpKind::scan), row.at, user, data.done());
}

// The kind of the operation an audit entry's action makes (the entry as read back).
std::string_view kind_of_action(const std::string& action) {
  const std::optional<domain::AuditAction> a = domain::audit_action_named(action);
  if (!a) throw std::logic_error("the outbox names an audit entry of action '" + action + "', which this tracetrack does not know");
  return domain::to_string(domain::sync_op_of(*a));
}

}  // namespace

nlohmann::json created_bag_json(const storage::NewBag& bag) {
  return nlohmann::json{{"uid", bag.uid},
                        {"code", bag.code},
                        {"type", bag.kind ? "parent" : "child"},
                        {"kind", opt_text(bag.kind)}};
}

ScanEffect scan_effect(const storage::NewAuditRow& row, const nlohmann::json& extra) {
  return ScanEffect{row.uid, extra_text(extra)};
}

asio::awaitable<void> capture_audit(storage::Tx& tx, domain::AuditAction action, const storage::NewAuditRow& row,
                                    const nlohmann::json& extra, std::optional<std::int64_t> area_id) {
  if (!tx.captures_changes()) co_return;
  const storage::NewOutboxOp op{row.uid, std::string(domain::to_string(domain::sync_op_of(action))), row.at,
                                std::nullopt, area_id, extra_text(extra), std::nullopt};
  co_await storage::sync_outbox::append(tx, op);
}

asio::awaitable<void> capture_change(storage::Tx& tx, domain::SyncOpKind kind, const std::string& uid, std::int64_t at,
                                     const std::string& username, const nlohmann::json& data,
                                     std::optional<std::int64_t> area_id) {
  if (!tx.captures_changes()) co_return;
  const std::string_view kind_name = domain::to_string(kind);
  const storage::NewOutboxOp op{uid, std::string(kind_name), at, op_text(uid, kind_name, at, user_or_none(username), data.dump()),
                                area_id, std::nullopt, std::nullopt};
  co_await storage::sync_outbox::append(tx, op);
}

asio::awaitable<void> capture_scan(storage::Tx& tx, const storage::ScanEventRow& row, std::optional<ScanEffect> effect) {
  if (!tx.captures_changes()) co_return;
  storage::NewOutboxOp op{row.uid, std::string(domain::to_string(domain::SyncOpKind::scan)), row.at, std::nullopt,
                          row.area_id, std::nullopt, std::nullopt};
  if (effect) {
    op.extra = std::move(effect->extra);
    op.effect_uid = std::move(effect->audit_uid);
  }
  co_await storage::sync_outbox::append(tx, op);
}

std::string operation_text(const storage::OutboxRow& row) {
  if (row.payload) return *row.payload;
  if (row.scan) {
    std::optional<std::string> effect;
    if (row.audit) effect = audit_op_text(kind_of_action(row.audit->action), *row.audit, row.extra);
    return scan_op_text(*row.scan, row.scan_user, effect);
  }
  if (!row.audit) throw std::logic_error("outbox operation " + std::to_string(row.seq) + " has neither a payload nor its row");
  return audit_op_text(row.kind, *row.audit, row.extra);
}

}  // namespace tt::services
