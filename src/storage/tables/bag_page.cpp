#include "storage/tables/bag_page.hpp"

#include <algorithm>

namespace tt::storage::bag_page {

namespace {

// All by code, so that they travel in one round trip.
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
// A scan a site sent head office names its user by name (scan_events.username, SPEC §8), and
// the site it came from (site_id; none for what was done here).
constexpr std::string_view kHistoryScans =
    "SELECT s.at, COALESCE(u.username, s.username), s.action, s.code, s.parent_code, s.bill_code, s.result, s.reason,"
    " s.client, st.name FROM ("
    "SELECT * FROM (SELECT * FROM scan_events WHERE code = $1 ORDER BY at DESC LIMIT $2) AS own"
    " UNION ALL SELECT * FROM (SELECT * FROM scan_events WHERE parent_code = $1 AND code <> $1"
    " ORDER BY at DESC LIMIT $2) AS into_it"
    ") s LEFT JOIN users u ON u.id = s.user_id LEFT JOIN sites st ON st.id = s.site_id"
    " ORDER BY s.at DESC, s.id DESC LIMIT $2";
constexpr std::string_view kHistoryAudits =
    "SELECT l.at, l.username, l.action, l.before_json, l.after_json, l.client, st.name FROM audit_log l"
    " LEFT JOIN sites st ON st.id = l.site_id"
    " WHERE l.entity = 'bag' AND l.entity_key = $1 ORDER BY l.at DESC, l.id DESC LIMIT $2";

enum BagRead : std::size_t { kBag, kChildren, kParent, kBill, kScans, kAudits };

Queries page_queries(const std::string& code, std::int64_t history_limit) {
  Queries q;
  q.reserve(6);
  q.push_back(Query{kBagByCode, params(code)});
  q.push_back(Query{kChildrenByCode, params(code)});
  q.push_back(Query{kParentByCode, params(code)});
  q.push_back(Query{kBillByCode, params(code)});
  if (history_limit > 0) {
    q.push_back(Query{kHistoryScans, params(code, history_limit)});
    q.push_back(Query{kHistoryAudits, params(code, history_limit)});
  }
  return q;
}

std::vector<HistoryEntry> history_from(const Rows& scans, const Rows& audits, std::int64_t limit) {
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
    e.site = r.opt_text(9);
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
    e.site = r.opt_text(6);
    out.push_back(std::move(e));
  }
  std::stable_sort(out.begin(), out.end(), [](const HistoryEntry& a, const HistoryEntry& b) { return a.at > b.at; });
  if (out.size() > static_cast<std::size_t>(limit)) out.resize(static_cast<std::size_t>(limit));
  return out;
}

// The page from the rows of page_queries; none when there is no such bag.
std::optional<BagPageRow> page_from(const std::vector<Rows>& rows, std::int64_t history_limit) {
  if (rows[kBag].empty()) return std::nullopt;
  const Row& row = rows[kBag].front();
  BagPageRow d;
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
    const Row& bill = rows[kBill].front();
    d.bill = BillRef{bill.text(0), domain::parse_bill_status(bill.text(1)).value_or(domain::BillStatus::open)};
  }
  if (d.type == "parent") {
    d.children.reserve(rows[kChildren].size());
    for (const auto& c : rows[kChildren]) d.children.push_back(LinkedBag{c.text(0), c.i64(1), c.opt_text(2)});
  } else if (!rows[kParent].empty()) {
    const Row& p = rows[kParent].front();
    d.parent = LinkedBag{p.text(0), p.i64(1), p.opt_text(2)};
  }
  if (rows.size() > kAudits) d.history = history_from(rows[kScans], rows[kAudits], history_limit);
  return d;
}

}  // namespace

asio::awaitable<std::optional<BagPageRow>> read(Tx& tx, const std::string& code, std::int64_t history_limit) {
  const std::vector<Rows> rows = co_await tx.query_all(page_queries(code, history_limit));
  co_return page_from(rows, history_limit);
}

asio::awaitable<std::optional<BagPageRow>> insert_and_read(Tx& tx, const NewBag& bag, bool& created) {
  Queries q = page_queries(bag.code, 0);
  q.insert(q.begin(), bags::insert_query(bag));
  std::vector<Rows> rows = co_await tx.query_all(std::move(q));
  created = !rows.front().empty();
  rows.erase(rows.begin());
  co_return page_from(rows, 0);
}

}  // namespace tt::storage::bag_page
