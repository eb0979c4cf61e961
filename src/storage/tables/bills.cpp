#include "storage/tables/bills.hpp"

#include "storage/tables/sites.hpp"

#include "storage/sql_text.hpp"
#include "util/ids.hpp"

namespace tt::storage {

namespace {

constexpr std::string_view kBillColumns =
    "SELECT b.id, b.uid, b.code, b.description, b.destination, b.vehicle, b.capacity, b.status, b.area_id, a.name,"
    " u.username, b.created_at, b.updated_at, b.completed_at"
    " FROM bills b LEFT JOIN areas a ON a.id = b.area_id LEFT JOIN users u ON u.id = b.created_by";

constexpr std::string_view kParentForBill =
    "SELECT b.id, b.type, b.area_id, bp.bill_id, bl.code FROM bags b"
    " LEFT JOIN bill_parents bp ON bp.parent_id = b.id"
    " LEFT JOIN bills bl ON bl.id = bp.bill_id WHERE b.code = $1";

BillRow bill_from(const Row& r) {
  BillRow b;
  b.id = r.i64(0);
  b.uid = r.text(1);
  b.code = r.text(2);
  b.description = r.text(3);
  b.destination = r.opt_text(4);
  b.vehicle = r.opt_text(5);
  b.capacity = r.i64(6);
  b.status = domain::parse_bill_status(r.text(7)).value_or(domain::BillStatus::open);
  b.area_id = r.opt_i64(8);
  b.area = r.opt_text(9);
  b.created_by = r.opt_text(10);
  b.created_at = r.i64(11);
  b.updated_at = r.i64(12);
  b.completed_at = r.opt_i64(13);
  return b;
}

}  // namespace

namespace bills {

asio::awaitable<std::optional<BillRow>> find(Tx& tx, const std::string& code) {
  auto row = co_await tx.query_one(std::string(kBillColumns) + " WHERE b.code = $1", params(code));
  if (!row) co_return std::nullopt;
  co_return bill_from(*row);
}

asio::awaitable<std::optional<BillRow>> lock_bill(Tx& tx, const std::string& code) {
  // Locked on its own: PostgreSQL locks no row on the nullable side of the outer joins of find.
  co_await tx.lock_rows("SELECT id FROM bills WHERE code = $1", params(code));
  co_return co_await find(tx, code);
}

asio::awaitable<std::vector<BillRow>> select(Tx& tx, const BillQuery& q) {
  std::string sql(kBillColumns);
  sql += " WHERE 1 = 1";
  Params p;
  if (q.status) sql += " AND b.status = " + storage::placeholder(p, *q.status);
  if (q.code_from) sql += " AND b.code >= " + storage::placeholder(p, *q.code_from);
  if (q.code_below) sql += " AND b.code < " + storage::placeholder(p, *q.code_below);
  if (q.area_id) sql += " AND b.area_id = " + storage::placeholder(p, *q.area_id);
  sql += " ORDER BY b.created_at DESC, b.id DESC LIMIT " + storage::placeholder(p, q.limit);
  sql += " OFFSET " + storage::placeholder(p, q.offset);
  auto rows = co_await tx.query(sql, std::move(p));
  std::vector<BillRow> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(bill_from(r));
  co_return out;
}

asio::awaitable<bool> insert(Tx& tx, const NewBillRow& b) {
  auto row = co_await tx.query_one(
      "INSERT INTO bills (uid, code, description, destination, vehicle, capacity, status, area_id, created_by,"
      " created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, $8, $9, $9)"
      " ON CONFLICT (code) DO NOTHING RETURNING id",
      params(b.uid, b.code, b.description, b.destination, b.vehicle, b.capacity, b.area_id, b.created_by,
             b.at));
  co_return row.has_value();
}

asio::awaitable<void> update_fields(Tx& tx, const BillRow& b) {
  co_await tx.exec(
      "UPDATE bills SET description = $1, destination = $2, vehicle = $3, capacity = $4, updated_at = $5 WHERE id = $6",
      params(b.description, b.destination, b.vehicle, b.capacity, b.updated_at, b.id));
}

asio::awaitable<void> update_status(Tx& tx, const BillRow& b) {
  co_await tx.exec("UPDATE bills SET status = $1, completed_at = $2, updated_at = $3 WHERE id = $4",
                   params(domain::to_string(b.status), b.completed_at, b.updated_at, b.id));
}

asio::awaitable<void> touch(Tx& tx, std::int64_t bill_id, std::int64_t at) {
  co_await tx.exec("UPDATE bills SET updated_at = $1 WHERE id = $2", params(at, bill_id));
}

asio::awaitable<void> remove(Tx& tx, std::int64_t bill_id) {
  co_await tx.exec("DELETE FROM bill_parents WHERE bill_id = $1", params(bill_id));
  co_await tx.exec("DELETE FROM bills WHERE id = $1", params(bill_id));
}

asio::awaitable<std::vector<BillRow>> select_active(Tx& tx, std::int64_t from, std::int64_t until,
                                                    std::optional<std::int64_t> area_id,
                                                    std::optional<std::string> site) {
  std::string sql(kBillColumns);
  sql += " WHERE ((b.created_at >= $1 AND b.created_at < $2) OR (b.completed_at >= $1 AND b.completed_at < $2))";
  Params p = params(from, until);
  if (area_id) sql += " AND b.area_id = " + storage::placeholder(p, *area_id);
  if (site) sql += " AND b.site_id = " + sites::id_by_uid_subquery(p, *site);
  sql += " ORDER BY b.created_at, b.id";
  auto rows = co_await tx.query(sql, std::move(p));
  std::vector<BillRow> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(bill_from(r));
  co_return out;
}

}  // namespace bills

namespace bill_parents {

asio::awaitable<std::int64_t> count(Tx& tx, std::int64_t bill_id) {
  auto row = co_await tx.query_one("SELECT COUNT(*) FROM bill_parents WHERE bill_id = $1", params(bill_id));
  co_return row->i64(0);
}

asio::awaitable<std::vector<BillParentRow>> of_bill(Tx& tx, std::int64_t bill_id) {
  auto rows = co_await tx.query(
      "SELECT p.code, p.kind, bp.added_at, u.username, (SELECT COUNT(*) FROM links l WHERE l.parent_id = p.id)"
      " FROM bill_parents bp JOIN bags p ON p.id = bp.parent_id LEFT JOIN users u ON u.id = bp.added_by"
      " WHERE bp.bill_id = $1 ORDER BY bp.added_at, bp.id",
      params(bill_id));
  std::vector<BillParentRow> out;
  out.reserve(rows.size());
  for (const auto& r : rows) {
    out.push_back(BillParentRow{r.text(0), r.opt_text(1).value_or(""), r.i64(2), r.opt_text(3), r.i64(4)});
  }
  co_return out;
}

asio::awaitable<std::vector<BillParentCount>> counts_of_bills(Tx& tx, const std::vector<std::int64_t>& bill_ids) {
  std::vector<BillParentCount> out;
  if (bill_ids.empty()) co_return out;
  std::string ids;
  Params p;
  for (std::int64_t id : bill_ids) {
    if (!ids.empty()) ids += ", ";
    ids += storage::placeholder(p, id);
  }
  auto rows = co_await tx.query(
      "SELECT bp.bill_id, p.kind, (SELECT COUNT(*) FROM links l WHERE l.parent_id = p.id)"
      " FROM bill_parents bp JOIN bags p ON p.id = bp.parent_id WHERE bp.bill_id IN (" + ids + ")",
      std::move(p));
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(BillParentCount{r.i64(0), r.opt_text(1).value_or(""), r.i64(2)});
  co_return out;
}

asio::awaitable<std::optional<ParentForBill>> find_parent(Tx& tx, const std::string& parent_code) {
  auto row = co_await tx.query_one(kParentForBill, params(parent_code));
  if (!row) co_return std::nullopt;
  co_return ParentForBill{row->i64(0), row->text(1), row->opt_i64(2), row->opt_i64(3), row->opt_text(4)};
}

asio::awaitable<std::optional<BillOfParent>> bill_of(Tx& tx, std::int64_t parent_id) {
  auto row = co_await tx.query_one(
      "SELECT b.id, b.code, b.status FROM bill_parents bp JOIN bills b ON b.id = bp.bill_id WHERE bp.parent_id = $1",
      params(parent_id));
  if (!row) co_return std::nullopt;
  co_return BillOfParent{row->i64(0), row->text(1),
                         domain::parse_bill_status(row->text(2)).value_or(domain::BillStatus::open)};
}

asio::awaitable<void> lock_parents(Tx& tx, std::int64_t bill_id) {
  co_await tx.lock_rows(
      "SELECT id FROM bags WHERE id IN (SELECT parent_id FROM bill_parents WHERE bill_id = $1) ORDER BY id",
      params(bill_id));
}

asio::awaitable<bool> attach_parent(Tx& tx, const std::string& uid, std::int64_t bill_id, std::int64_t parent_id,
                                    std::optional<std::int64_t> user_id, std::int64_t at) {
  auto row = co_await tx.query_one(
      "INSERT INTO bill_parents (uid, bill_id, parent_id, added_by, added_at) VALUES ($1, $2, $3, $4, $5)"
      " ON CONFLICT (parent_id) DO NOTHING RETURNING id",
      params(uid, bill_id, parent_id, user_id, at));
  co_return row.has_value();
}

asio::awaitable<bool> detach_parent(Tx& tx, std::int64_t bill_id, const std::string& parent_code) {
  auto removed = co_await tx.exec(
      "DELETE FROM bill_parents WHERE bill_id = $1 AND parent_id = (SELECT id FROM bags WHERE code = $2)",
      params(bill_id, parent_code));
  co_return removed > 0;
}

asio::awaitable<void> detach_from_any(Tx& tx, std::int64_t parent_id) {
  co_await tx.exec("DELETE FROM bill_parents WHERE parent_id = $1", params(parent_id));
}

}  // namespace bill_parents
}  // namespace tt::storage
