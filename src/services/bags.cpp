#include "services/bags.hpp"

#include <algorithm>

#include "domain/bag_code.hpp"
#include "domain/bill_rules.hpp"
#include "domain/errors.hpp"
#include "services/audit.hpp"
#include "services/areas.hpp"
#include "services/audit_entry.hpp"
#include "services/input_codes.hpp"
#include "storage/sql_text.hpp"
#include "storage/tables/bags.hpp"
#include "storage/tables/bills.hpp"
#include "storage/tables/links.hpp"

namespace tt::services {

namespace {

domain::Failure no_such_bag(const std::string& code) {
  return domain::Failure(domain::Error::not_found, "There is no bag " + code + ".");
}

// The reads of a bag's page, all by code so that they travel in one round trip (Tx::query_all):
// the bag, a parent's children, a child's parent, the bill of the parent (a child's parent's),
// and, when asked, the scans of the code and of children into it, and its audit entries.
constexpr std::string_view kBagByCode =
    "SELECT b.id, b.uid, b.code, b.type, b.kind, b.area_id, a.name, b.created_at, u.username"
    " FROM bags b LEFT JOIN areas a ON a.id = b.area_id LEFT JOIN users u ON u.id = b.created_by"
    " WHERE b.code = $1";
constexpr std::string_view kChildrenByCode =
    "SELECT c.code, l.created_at, u.username FROM bags p JOIN links l ON l.parent_id = p.id"
    " JOIN bags c ON c.id = l.child_id LEFT JOIN users u ON u.id = l.created_by"
    " WHERE p.code = $1 ORDER BY l.created_at, l.id";
constexpr std::string_view kParentByCode =
    "SELECT p.code, l.created_at, u.username FROM bags c JOIN links l ON l.child_id = c.id"
    " JOIN bags p ON p.id = l.parent_id LEFT JOIN users u ON u.id = l.created_by WHERE c.code = $1";
// The bill of the bag itself (a parent) or of the parent it is in (a child).
constexpr std::string_view kBillByCode =
    "SELECT bl.code, bl.status FROM bags b LEFT JOIN links l ON l.child_id = b.id"
    " JOIN bill_parents bp ON bp.parent_id = COALESCE(l.parent_id, b.id) JOIN bills bl ON bl.id = bp.bill_id"
    " WHERE b.code = $1";
// Scans of this code, and scans of children into it (a parent's history): each half in its own
// index (code, at) and (parent_code, at), newest first, so neither reads more than the limit.
// Written as one OR, the planner walked the whole time index backwards for a bag with old scans.
constexpr std::string_view kHistoryScans =
    "SELECT s.at, u.username, s.action, s.code, s.parent_code, s.bill_code, s.result, s.reason, s.client FROM ("
    "SELECT * FROM (SELECT * FROM scan_events WHERE code = $1 ORDER BY at DESC LIMIT $2) AS own"
    " UNION ALL SELECT * FROM (SELECT * FROM scan_events WHERE parent_code = $1 AND code <> $1"
    " ORDER BY at DESC LIMIT $2) AS into_it"
    ") s LEFT JOIN users u ON u.id = s.user_id ORDER BY s.at DESC, s.id DESC LIMIT $2";
constexpr std::string_view kHistoryAudits =
    "SELECT at, username, action, before_json, after_json, client FROM audit_log"
    " WHERE entity = 'bag' AND entity_key = $1 ORDER BY at DESC, id DESC LIMIT $2";

enum BagRead : std::size_t { kBag, kChildren, kParent, kBill, kScans, kAudits };

storage::Queries bag_queries(const std::string& code, bool with_history) {
  storage::Queries q;
  q.reserve(6);
  q.push_back(storage::Query{kBagByCode, storage::params(code)});
  q.push_back(storage::Query{kChildrenByCode, storage::params(code)});
  q.push_back(storage::Query{kParentByCode, storage::params(code)});
  q.push_back(storage::Query{kBillByCode, storage::params(code)});
  if (with_history) {
    q.push_back(storage::Query{kHistoryScans, storage::params(code, kHistoryLimit)});
    q.push_back(storage::Query{kHistoryAudits, storage::params(code, kHistoryLimit)});
  }
  return q;
}

std::vector<HistoryEntry> history_from(const storage::Rows& scans, const storage::Rows& audits) {
  std::vector<HistoryEntry> out;
  out.reserve(scans.size() + audits.size());
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
  return out;
}

// The page of a bag from the rows of bag_queries, whoever may see it; none when there is no such bag.
std::optional<BagDetail> detail_from(const std::vector<storage::Rows>& rows, const domain::Settings& settings) {
  if (rows[kBag].empty()) return std::nullopt;
  const storage::Row& row = rows[kBag].front();
  BagDetail d;
  d.id = row.i64(0);
  d.uid = row.text(1);
  d.code = row.text(2);
  d.type = row.text(3);
  d.kind = row.opt_text(4);
  d.area_id = row.opt_i64(5);
  d.area = row.opt_text(6);
  d.created_at = row.i64(7);
  d.created_by = row.opt_text(8);
  if (!rows[kBill].empty()) {
    const storage::Row& bill = rows[kBill].front();
    d.bill = BillRef{bill.text(0), domain::parse_bill_status(bill.text(1)).value_or(domain::BillStatus::open)};
  }
  if (d.type == "parent") {
    d.children.reserve(rows[kChildren].size());
    for (const auto& c : rows[kChildren]) d.children.push_back(LinkedBag{c.text(0), c.i64(1), c.opt_text(2)});
    d.capacity = settings.parent_capacity;
    d.weight_kg = static_cast<double>(d.children.size()) * settings.child_weight_kg;
    d.expected_weight_kg = settings.kind_weight(d.kind.value_or(""));
  } else {
    if (!rows[kParent].empty()) {
      const storage::Row& p = rows[kParent].front();
      d.parent = LinkedBag{p.text(0), p.i64(1), p.opt_text(2)};
    }
    d.weight_kg = settings.child_weight_kg;
  }
  if (rows.size() > kAudits) d.history = history_from(rows[kScans], rows[kAudits]);
  return d;
}

// Audit values of a child freed because its parent was deleted (built outside co_await: storage/job.hpp
// rejects initializer lists inside a co_await expression).
nlohmann::json freed_before(const std::string& parent) { return nlohmann::json{{"parent", parent}}; }
nlohmann::json freed_after() { return nlohmann::json{{"parent", nullptr}, {"because", "parent deleted"}}; }


}  // namespace

asio::awaitable<std::optional<BagDetail>> find_bag(storage::Tx& tx, Caller caller, std::string code,
                                                   SettingsPtr settings, bool with_history) {
  const std::vector<storage::Rows> rows = co_await tx.query_all(bag_queries(code, with_history));
  std::optional<BagDetail> d = detail_from(rows, *settings);
  if (d && !caller.may_see(d->area_id)) d.reset();
  co_return d;
}

asio::awaitable<std::optional<BagDetail>> read_bag(storage::Tx& tx, std::string code, SettingsPtr settings) {
  const std::vector<storage::Rows> rows = co_await tx.query_all(bag_queries(code, false));
  co_return detail_from(rows, *settings);
}

asio::awaitable<std::optional<BagDetail>> create_and_read_bag(storage::Tx& tx, storage::NewBag bag,
                                                              SettingsPtr settings, bool& created) {
  storage::Queries q = bag_queries(bag.code, false);
  q.insert(q.begin(), storage::bags::insert_query(bag));
  std::vector<storage::Rows> rows = co_await tx.query_all(std::move(q));
  created = !rows.front().empty();
  rows.erase(rows.begin());
  co_return detail_from(rows, *settings);
}

asio::awaitable<BagDetail> get_bag(storage::Tx& tx, Caller caller, std::string raw_code, SettingsPtr settings) {
  const std::string code = bag_code_or_throw(raw_code);
  auto bag = co_await find_bag(tx, std::move(caller), code, std::move(settings), true);
  if (!bag) throw no_such_bag(code);
  co_return std::move(*bag);
}

asio::awaitable<BagPage> search_bags(storage::Tx& tx, Caller caller, BagSearch s) {
  if (s.code) s.code = bag_code_or_throw(*s.code, "search code");
  if (s.bill) s.bill = bill_code_or_throw(*s.bill);
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
  const std::string code = bag_code_or_throw(raw_code);
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
      co_await record_audit(tx, caller,
                            make_audit_entry(AuditAction::unlink, "bag", child, freed_before(code), freed_after()));
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
  co_await record_audit(tx, caller, make_audit_entry(AuditAction::bag_delete, "bag", code, before, std::nullopt));
  co_return out;
}

asio::awaitable<AreaTransfer> transfer_bag(storage::Tx& tx, Caller caller, std::string raw_code, std::string area_name) {
  const std::string code = bag_code_or_throw(raw_code);
  // The parent's lock keeps its children where they are until the move commits (a scan into it
  // takes the same lock).
  auto bag = co_await storage::bags::find_locked(tx, code);
  if (!bag || !caller.may_see(bag->area_id)) throw no_such_bag(code);
  const Area to = co_await require_area(tx, area_name);
  AreaTransfer out;
  out.code = code;
  out.from_id = bag->area_id;
  out.from = co_await services::area_name(tx, bag->area_id);
  out.to_id = to.id;
  out.to = to.name;
  std::optional<std::string> bill;
  if (bag->is_parent()) {
    if (bag->area_id == to.id) co_return out;  // a repeated request changes nothing
    if (auto on = co_await storage::bill_parents::bill_of(tx, bag->id)) bill = on->code;
  }
  if (auto refusal = domain::check_area_transfer(code, bag->is_parent(), bill)) throw *refusal;
  const std::vector<std::string> children = co_await storage::links::child_codes(tx, bag->id);
  out.children = co_await storage::bags::move_to_area(tx, bag->id, to.id) - 1;
  out.moved = true;
  const nlohmann::json before{{"area", out.from.empty() ? nlohmann::json(nullptr) : nlohmann::json(out.from)}};
  // Each child's own history says it moved, and with which parent.
  for (const auto& child : children) {
    const nlohmann::json after{{"area", out.to}, {"parent", code}};
    co_await record_audit(tx, caller, make_audit_entry(AuditAction::area_transfer, "bag", child, before, after));
  }
  const nlohmann::json after{{"area", out.to}, {"children", out.children}};
  co_await record_audit(tx, caller, make_audit_entry(AuditAction::area_transfer, "bag", code, before, after));
  co_return out;
}

}  // namespace tt::services
