#include "services/bags.hpp"

#include <algorithm>

#include "domain/bag_code.hpp"
#include "domain/bill_rules.hpp"
#include "domain/errors.hpp"
#include "services/audit.hpp"
#include "services/audit_entry.hpp"
#include "storage/sql_text.hpp"
#include "storage/tables/bags.hpp"
#include "storage/tables/bills.hpp"
#include "storage/tables/links.hpp"

namespace tt::services {

namespace {

std::string normalised_or_throw(const std::string& raw) {
  auto n = domain::normalise_code(raw);
  if (!n.ok()) throw domain::Failure(domain::Error::invalid_code, n.error);
  return std::move(n.code);
}

domain::Failure no_such_bag(const std::string& code) {
  return domain::Failure(domain::Error::not_found, "There is no bag " + code + ".");
}

asio::awaitable<std::vector<HistoryEntry>> history_of(storage::Tx& tx, std::string code) {
  std::vector<HistoryEntry> out;
  // Scans of this code, and scans of children into it (a parent's history).
  auto scans = co_await tx.query(
      "SELECT s.at, u.username, s.action, s.code, s.parent_code, s.bill_code, s.result, s.reason, s.client"
      " FROM scan_events s LEFT JOIN users u ON u.id = s.user_id"
      " WHERE s.code = $1 OR s.parent_code = $1 ORDER BY s.at DESC, s.id DESC LIMIT $2",
      storage::params(code, kHistoryLimit));
  for (const auto& r : scans) {
    HistoryEntry e;
    e.source = "scan";
    e.at = r.i64(0);
    e.user = r.opt_text(1);
    e.action = r.text(2);
    e.code = r.opt_text(3);
    e.parent_code = r.opt_text(4);
    e.bill_code = r.opt_text(5);
    e.result = r.opt_text(6);
    e.reason = r.opt_text(7);
    e.client = r.opt_text(8);
    out.push_back(std::move(e));
  }
  auto audits = co_await tx.query(
      "SELECT at, username, action, before_json, after_json, client FROM audit_log"
      " WHERE entity = 'bag' AND entity_key = $1 ORDER BY at DESC, id DESC LIMIT $2",
      storage::params(code, kHistoryLimit));
  for (const auto& r : audits) {
    HistoryEntry e;
    e.source = "audit";
    e.at = r.i64(0);
    e.user = r.opt_text(1);
    e.action = r.text(2);
    e.before_json = r.opt_text(3);
    e.after_json = r.opt_text(4);
    e.client = r.opt_text(5);
    out.push_back(std::move(e));
  }
  std::stable_sort(out.begin(), out.end(), [](const HistoryEntry& a, const HistoryEntry& b) { return a.at > b.at; });
  if (out.size() > static_cast<std::size_t>(kHistoryLimit)) out.resize(static_cast<std::size_t>(kHistoryLimit));
  co_return out;
}

// Audit values of a child freed because its parent was deleted (built outside co_await: storage/job.hpp
// rejects initializer lists inside a co_await expression).
nlohmann::json freed_before(const std::string& parent) { return nlohmann::json{{"parent", parent}}; }
nlohmann::json freed_after() { return nlohmann::json{{"parent", nullptr}, {"because", "parent deleted"}}; }

asio::awaitable<std::optional<BillRef>> bill_of_parent(storage::Tx& tx, std::int64_t parent_id) {
  auto bill = co_await storage::bill_parents::bill_of(tx, parent_id);
  if (!bill) co_return std::nullopt;
  co_return BillRef{std::move(bill->code), bill->status};
}

}  // namespace

asio::awaitable<std::optional<BagDetail>> find_bag(storage::Tx& tx, Caller caller, std::string code,
                                                   SettingsPtr settings, bool with_history) {
  auto row = co_await tx.query_one(
      "SELECT b.id, b.uid, b.code, b.type, b.kind, b.area_id, a.name, b.created_at, u.username"
      " FROM bags b LEFT JOIN areas a ON a.id = b.area_id LEFT JOIN users u ON u.id = b.created_by"
      " WHERE b.code = $1",
      storage::params(code));
  if (!row || !caller.may_see(row->opt_i64(5))) co_return std::nullopt;
  BagDetail d;
  d.id = row->i64(0);
  d.uid = row->text(1);
  d.code = row->text(2);
  d.type = row->text(3);
  d.kind = row->opt_text(4);
  d.area_id = row->opt_i64(5);
  d.area = row->opt_text(6);
  d.created_at = row->i64(7);
  d.created_by = row->opt_text(8);
  if (d.type == "parent") {
    auto children = co_await tx.query(
        "SELECT c.code, l.created_at, u.username FROM links l JOIN bags c ON c.id = l.child_id"
        " LEFT JOIN users u ON u.id = l.created_by WHERE l.parent_id = $1 ORDER BY l.created_at, l.id",
        storage::params(d.id));
    d.children.reserve(children.size());
    for (const auto& c : children) d.children.push_back(LinkedBag{c.text(0), c.i64(1), c.opt_text(2)});
    d.bill = co_await bill_of_parent(tx, d.id);
    d.capacity = settings->parent_capacity;
    d.weight_kg = static_cast<double>(d.children.size()) * settings->child_weight_kg;
    d.expected_weight_kg = settings->kind_weight(d.kind.value_or(""));
  } else {
    auto parent = co_await tx.query_one(
        "SELECT p.code, l.created_at, u.username, p.id FROM links l JOIN bags p ON p.id = l.parent_id"
        " LEFT JOIN users u ON u.id = l.created_by WHERE l.child_id = $1",
        storage::params(d.id));
    if (parent) {
      d.parent = LinkedBag{parent->text(0), parent->i64(1), parent->opt_text(2)};
      d.bill = co_await bill_of_parent(tx, parent->i64(3));
    }
    d.weight_kg = settings->child_weight_kg;
  }
  if (with_history) d.history = co_await history_of(tx, d.code);
  co_return d;
}

asio::awaitable<BagDetail> get_bag(storage::Tx& tx, Caller caller, std::string raw_code, SettingsPtr settings) {
  const std::string code = normalised_or_throw(raw_code);
  auto bag = co_await find_bag(tx, std::move(caller), code, std::move(settings), true);
  if (!bag) throw no_such_bag(code);
  co_return std::move(*bag);
}

asio::awaitable<BagPage> search_bags(storage::Tx& tx, Caller caller, BagSearch s) {
  std::string sql =
      "SELECT b.code, b.type, b.kind, a.name, b.created_at,"
      " (SELECT p.code FROM links l JOIN bags p ON p.id = l.parent_id WHERE l.child_id = b.id),"
      " CASE WHEN b.type = 'parent' THEN (SELECT COUNT(*) FROM links l2 WHERE l2.parent_id = b.id) END"
      " FROM bags b LEFT JOIN areas a ON a.id = b.area_id WHERE 1 = 1";
  storage::Params p;
  auto placeholder = [&p](storage::Value v) { return storage::placeholder(p, std::move(v)); };
  if (s.code) {
    if (s.exact) {
      sql += " AND b.code = " + placeholder(*s.code);
    } else {
      // A range rather than LIKE: both backends answer it from the unique index on code.
      sql += " AND b.code >= " + placeholder(*s.code);
      sql += " AND b.code < " + placeholder(domain::prefix_upper_bound(*s.code));
    }
  }
  if (s.type) sql += " AND b.type = " + placeholder(*s.type);
  if (s.area) sql += " AND b.area_id = (SELECT id FROM areas WHERE lower(name) = lower(" + placeholder(*s.area) + "))";
  if (!caller.sees_all_areas()) {
    if (!caller.area_id) co_return BagPage{};
    sql += " AND b.area_id = " + placeholder(*caller.area_id);
  }
  if (s.bill) {
    const std::string bill = placeholder(*s.bill);
    sql += " AND (b.id IN (SELECT bp.parent_id FROM bill_parents bp JOIN bills bl ON bl.id = bp.bill_id WHERE bl.code = " +
           bill +
           ") OR b.id IN (SELECT l3.child_id FROM links l3 JOIN bill_parents bp3 ON bp3.parent_id = l3.parent_id"
           " JOIN bills bl3 ON bl3.id = bp3.bill_id WHERE bl3.code = " +
           bill + "))";
  }
  if (s.from) sql += " AND b.created_at >= " + placeholder(*s.from);
  if (s.to) sql += " AND b.created_at < " + placeholder(*s.to);
  sql += s.code ? " ORDER BY b.code" : " ORDER BY b.created_at DESC, b.id DESC";
  const std::int64_t per_page = std::clamp<std::int64_t>(s.per_page, 1, kMaxPerPage);
  const std::int64_t page = std::max<std::int64_t>(s.page, 1);
  sql += " LIMIT " + placeholder(per_page + 1);
  sql += " OFFSET " + placeholder((page - 1) * per_page);
  auto rows = co_await tx.query(sql, std::move(p));
  BagPage out;
  out.has_more = static_cast<std::int64_t>(rows.size()) > per_page;
  if (out.has_more) rows.pop_back();
  out.bags.reserve(rows.size());
  for (const auto& r : rows) {
    out.bags.push_back(
        BagSummary{r.text(0), r.text(1), r.opt_text(2), r.opt_text(3), r.i64(4), r.opt_text(5), r.opt_i64(6)});
  }
  co_return out;
}

asio::awaitable<DeletedBag> delete_bag(storage::Tx& tx, Caller caller, std::string raw_code) {
  const std::string code = normalised_or_throw(raw_code);
  auto bag = co_await storage::bags::find_locked(tx, code);
  if (!bag || !caller.may_see(bag->area_id)) throw no_such_bag(code);
  DeletedBag out;
  out.code = code;
  out.type = bag->type;
  out.area_id = bag->area_id;
  // The bill whose links would change: the parent's own, or the child's parent's.
  std::optional<std::int64_t> parent_id;
  if (bag->is_parent()) {
    parent_id = bag->id;
  } else if (auto link = co_await storage::links::of_child(tx, bag->id)) {
    parent_id = link->parent_id;
    out.parent = link->parent_code;
    // Lock the parent like every other change of its links does.
    co_await storage::bags::lock(tx, *parent_id, *parent_id);
  }
  if (parent_id) {
    if (auto bill = co_await storage::bill_parents::bill_of(tx, *parent_id)) {
      if (bag->is_parent()) out.bill = bill->code;
      if (bill->status == domain::BillStatus::completed) {
        throw domain::Failure(domain::Error::bill_completed,
                              "Bill " + bill->code + " is completed: its bags cannot change. Reopen it first.");
      }
    }
  }
  if (bag->is_parent()) {
    // Each freed child's own history says where it was.
    const std::vector<std::string> children = co_await storage::links::child_codes(tx, bag->id);
    for (const auto& child : children) {
      co_await record_audit(tx, caller, make_audit_entry("unlink", "bag", child, freed_before(code), freed_after()));
    }
    out.children_freed = co_await storage::links::remove_children_of(tx, bag->id);
    co_await storage::bill_parents::detach_from_any(tx, bag->id);
  } else {
    co_await storage::links::remove_of_child(tx, bag->id);
  }
  co_await storage::bags::remove(tx, bag->id);
  nlohmann::json before{{"type", out.type}};
  if (out.parent) before["parent"] = *out.parent;
  if (out.bill) before["bill"] = *out.bill;
  if (out.type == "parent") before["children"] = out.children_freed;
  co_await record_audit(tx, caller, make_audit_entry("bag_delete", "bag", code, before, std::nullopt));
  co_return out;
}

}  // namespace tt::services
