#include "storage/tables/return_tickets.hpp"

#include "storage/sql_text.hpp"
#include "util/ids.hpp"

namespace tt::storage {

namespace {

constexpr const char* kTicketColumns =
    "SELECT t.id, t.code, t.note, t.status, t.area_id, a.name, u.username, t.created_at, c.username, t.closed_at,"
    " (SELECT COUNT(*) FROM return_ticket_bags rb WHERE rb.ticket_id = t.id)"
    " FROM return_tickets t LEFT JOIN areas a ON a.id = t.area_id LEFT JOIN users u ON u.id = t.created_by"
    " LEFT JOIN users c ON c.id = t.closed_by";

ReturnTicketRow ticket_of(const Row& r) {
  ReturnTicketRow t;
  t.id = r.i64(0);
  t.code = r.text(1);
  t.note = r.text(2);
  t.status = domain::parse_return_status(r.text(3)).value_or(domain::ReturnStatus::open);
  t.area_id = r.opt_i64(4);
  t.area = r.opt_text(5);
  t.created_by = r.opt_text(6);
  t.created_at = r.i64(7);
  t.closed_by = r.opt_text(8);
  t.closed_at = r.opt_i64(9);
  t.bag_count = r.i64(10);
  return t;
}

}  // namespace

namespace return_tickets {

asio::awaitable<std::optional<std::int64_t>> insert(Tx& tx, const std::string& code, const std::string& note,
                                                    std::optional<std::int64_t> area_id,
                                                    std::optional<std::int64_t> user_id, std::int64_t at) {
  auto row = co_await tx.query_one(
      "INSERT INTO return_tickets (uid, code, note, area_id, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)"
      " ON CONFLICT (code) DO NOTHING RETURNING id",
      params(util::uuid_v7(), code, note, area_id, user_id, at));
  if (!row) co_return std::nullopt;
  co_return row->i64(0);
}

asio::awaitable<std::optional<ReturnTicketRow>> find(Tx& tx, const std::string& code) {
  const std::string sql = std::string(kTicketColumns) + " WHERE t.code = $1";
  auto row = co_await tx.query_one(sql, params(code));
  if (!row) co_return std::nullopt;
  co_return ticket_of(*row);
}

asio::awaitable<std::optional<ReturnTicketRow>> lock(Tx& tx, const std::string& code) {
  // Locked on its own: PostgreSQL locks no row on the nullable side of the outer joins of find.
  co_await tx.lock_rows("SELECT id FROM return_tickets WHERE code = $1", params(code));
  co_return co_await find(tx, code);
}

asio::awaitable<std::vector<ReturnTicketRow>> list(Tx& tx, std::optional<std::string> status,
                                                   std::optional<std::int64_t> area_id, std::int64_t limit) {
  std::string sql = std::string(kTicketColumns) + " WHERE 1 = 1";
  Params p;
  if (status) sql += " AND t.status = " + placeholder(p, *status);
  if (area_id) sql += " AND t.area_id = " + placeholder(p, *area_id);
  sql += " ORDER BY t.created_at DESC, t.id DESC LIMIT " + placeholder(p, limit);
  const Rows rows = co_await tx.query(sql, std::move(p));
  std::vector<ReturnTicketRow> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(ticket_of(r));
  co_return out;
}

asio::awaitable<void> close(Tx& tx, std::int64_t ticket_id, domain::ReturnStatus status,
                            std::optional<std::int64_t> user_id, std::int64_t at) {
  const std::string s(domain::to_string(status));
  co_await tx.exec("UPDATE return_tickets SET status = $1, closed_by = $2, closed_at = $3 WHERE id = $4",
                   params(s, user_id, at, ticket_id));
  co_await tx.exec("UPDATE return_ticket_bags SET open_parent_id = NULL WHERE ticket_id = $1", params(ticket_id));
}

}  // namespace return_tickets

namespace return_bags {

asio::awaitable<std::optional<BagForReturn>> bag(Tx& tx, const std::string& code) {
  auto row = co_await tx.query_one(
      "SELECT b.id, b.type, b.area_id,"
      " (SELECT bl.code FROM bill_parents bp JOIN bills bl ON bl.id = bp.bill_id WHERE bp.parent_id = b.id),"
      " (SELECT t.code FROM return_ticket_bags rb JOIN return_tickets t ON t.id = rb.ticket_id"
      "  WHERE rb.open_parent_id = b.id),"
      " (SELECT t.code FROM return_ticket_bags rb JOIN return_tickets t ON t.id = rb.ticket_id"
      "  WHERE rb.parent_id = b.id AND t.status = 'committed' ORDER BY t.closed_at DESC LIMIT 1)"
      " FROM bags b WHERE b.code = $1",
      params(code));
  if (!row) co_return std::nullopt;
  BagForReturn b;
  b.id = row->i64(0);
  b.is_parent = row->text(1) == "parent";
  b.area_id = row->opt_i64(2);
  b.bill = row->opt_text(3);
  b.open_ticket = row->opt_text(4);
  b.returned_on = row->opt_text(5);
  co_return b;
}

asio::awaitable<bool> add(Tx& tx, std::int64_t ticket_id, std::int64_t parent_id, std::optional<std::int64_t> user_id,
                          std::int64_t at) {
  auto row = co_await tx.query_one(
      "INSERT INTO return_ticket_bags (uid, ticket_id, parent_id, open_parent_id, added_by, added_at)"
      " VALUES ($1, $2, $3, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING id",
      params(util::uuid_v7(), ticket_id, parent_id, user_id, at));
  co_return row.has_value();
}

asio::awaitable<bool> remove(Tx& tx, std::int64_t ticket_id, const std::string& parent_code) {
  const std::int64_t n = co_await tx.exec(
      "DELETE FROM return_ticket_bags WHERE ticket_id = $1 AND parent_id = (SELECT id FROM bags WHERE code = $2)",
      params(ticket_id, parent_code));
  co_return n > 0;
}

asio::awaitable<std::vector<ReturnBagRow>> of_ticket(Tx& tx, std::int64_t ticket_id, bool committed) {
  // While open: the bill and children now; once committed: the snapshot.
  const std::string sql = committed
      ? "SELECT rb.parent_id, b.code, b.kind, rb.added_at, u.username, rb.bill_code, 0, rb.weight_kg,"
        " rb.children_json FROM return_ticket_bags rb JOIN bags b ON b.id = rb.parent_id"
        " LEFT JOIN users u ON u.id = rb.added_by WHERE rb.ticket_id = $1 ORDER BY rb.id"
      : "SELECT rb.parent_id, b.code, b.kind, rb.added_at, u.username,"
        " (SELECT bl.code FROM bill_parents bp JOIN bills bl ON bl.id = bp.bill_id WHERE bp.parent_id = b.id),"
        " (SELECT COUNT(*) FROM links l WHERE l.parent_id = b.id), NULL, NULL"
        " FROM return_ticket_bags rb JOIN bags b ON b.id = rb.parent_id"
        " LEFT JOIN users u ON u.id = rb.added_by WHERE rb.ticket_id = $1 ORDER BY rb.id";
  const Rows rows = co_await tx.query(sql, params(ticket_id));
  std::vector<ReturnBagRow> out;
  out.reserve(rows.size());
  for (const auto& r : rows) {
    ReturnBagRow b;
    b.parent_id = r.i64(0);
    b.code = r.text(1);
    b.kind = r.opt_text(2).value_or("");
    b.added_at = r.i64(3);
    b.added_by = r.opt_text(4);
    b.bill = r.opt_text(5);
    b.child_count = r.i64(6);
    b.weight_kg = r.opt_f64(7);
    b.children_json = r.opt_text(8);
    out.push_back(std::move(b));
  }
  co_return out;
}

asio::awaitable<void> record_snapshot(Tx& tx, std::int64_t ticket_id, std::int64_t parent_id, const std::string& bill,
                                      double weight_kg, const std::string& children_json) {
  co_await tx.exec(
      "UPDATE return_ticket_bags SET bill_code = $1, weight_kg = $2, children_json = $3"
      " WHERE ticket_id = $4 AND parent_id = $5",
      params(bill, weight_kg, children_json, ticket_id, parent_id));
}

asio::awaitable<std::vector<std::string>> children_of(Tx& tx, std::int64_t parent_id) {
  const Rows rows = co_await tx.query(
      "SELECT c.code FROM links l JOIN bags c ON c.id = l.child_id WHERE l.parent_id = $1 ORDER BY c.code",
      params(parent_id));
  std::vector<std::string> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(r.text(0));
  co_return out;
}

asio::awaitable<std::vector<ReturnedFromBill>> returned_from_bill(Tx& tx, const std::string& bill_code) {
  const Rows rows = co_await tx.query(
      "SELECT t.code, b.code, rb.children_json, rb.weight_kg, t.closed_at, u.username"
      " FROM return_ticket_bags rb JOIN return_tickets t ON t.id = rb.ticket_id JOIN bags b ON b.id = rb.parent_id"
      " LEFT JOIN users u ON u.id = t.closed_by"
      " WHERE rb.bill_code = $1 AND t.status = 'committed' ORDER BY t.closed_at DESC, rb.id",
      params(bill_code));
  std::vector<ReturnedFromBill> out;
  for (const auto& r : rows) {
    ReturnedFromBill x;
    x.ticket = r.text(0);
    x.parent = r.text(1);
    x.children_json = r.opt_text(2);
    x.weight_kg = r.opt_f64(3).value_or(0);
    x.at = r.opt_i64(4);
    x.by = r.opt_text(5);
    out.push_back(std::move(x));
  }
  co_return out;
}

}  // namespace return_bags

}  // namespace tt::storage
