#include "storage/tables/bag_search.hpp"

#include "domain/bag_code.hpp"
#include "storage/sql_text.hpp"
#include "storage/tables/areas.hpp"
#include "storage/tables/sites.hpp"

namespace tt::storage::bag_search {

asio::awaitable<std::vector<BagSearchRow>> find(Tx& tx, const BagSearchFilter& s) {
  std::string sql =
      "SELECT b.code, b.type, b.kind, a.name, b.created_at,"
      " (SELECT p.code FROM links l JOIN bags p ON p.id = l.parent_id WHERE l.child_id = b.id),"
      " CASE WHEN b.type = 'parent' THEN (SELECT COUNT(*) FROM links l2 WHERE l2.parent_id = b.id) END"
      " FROM bags b LEFT JOIN areas a ON a.id = b.area_id WHERE 1 = 1";
  Params p;
  if (s.code) {
    if (s.exact) {
      sql += " AND b.code = " + placeholder(p, *s.code);
    } else {
      // A range rather than LIKE: both backends answer it from the unique index on code.
      sql += " AND b.code >= " + placeholder(p, *s.code);
      sql += " AND b.code < " + placeholder(p, domain::prefix_upper_bound(*s.code));
    }
  }
  if (s.type) sql += " AND b.type = " + placeholder(p, *s.type);
  if (s.area) sql += " AND b.area_id = " + areas::id_by_name_subquery(p, *s.area);
  if (s.visible_area) sql += " AND b.area_id = " + placeholder(p, *s.visible_area);
  if (s.site) sql += " AND b.site_id = " + sites::id_by_uid_subquery(p, *s.site);
  if (s.bill) {
    const std::string bill = placeholder(p, *s.bill);
    sql += " AND (b.id IN (SELECT bp.parent_id FROM bill_parents bp JOIN bills bl ON bl.id = bp.bill_id WHERE bl.code = " +
           bill +
           ") OR b.id IN (SELECT l3.child_id FROM links l3 JOIN bill_parents bp3 ON bp3.parent_id = l3.parent_id"
           " JOIN bills bl3 ON bl3.id = bp3.bill_id WHERE bl3.code = " +
           bill + "))";
  }
  if (s.from) sql += " AND b.created_at >= " + placeholder(p, *s.from);
  if (s.to) sql += " AND b.created_at < " + placeholder(p, *s.to);
  sql += s.code ? " ORDER BY b.code" : " ORDER BY b.created_at DESC, b.id DESC";
  sql += " LIMIT " + placeholder(p, s.limit);
  sql += " OFFSET " + placeholder(p, s.offset);
  const Rows rows = co_await tx.query(sql, std::move(p));
  std::vector<BagSearchRow> out;
  out.reserve(rows.size());
  for (const auto& r : rows) {
    out.push_back(BagSearchRow{r.text(0), r.text(1), r.opt_text(2), r.opt_text(3), r.i64(4), r.opt_text(5), r.opt_i64(6)});
  }
  co_return out;
}

}  // namespace tt::storage::bag_search
