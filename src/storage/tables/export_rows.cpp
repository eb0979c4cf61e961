#include "storage/tables/export_rows.hpp"

#include "storage/sql_text.hpp"
#include "storage/tables/areas.hpp"
#include "storage/tables/sites.hpp"
#include "util/csv.hpp"
#include "util/time.hpp"

namespace tt::storage::export_rows {

namespace {

// Rows read per statement: it bounds the memory an export holds, whatever the size of the file.
constexpr std::int64_t kPageRows = 1000;
// The links export reads a page of parents with all their children (up to capacity lines each).
constexpr std::int64_t kLinkPageBags = 100;

std::int64_t page_ids(ExportKind kind) { return kind == ExportKind::links ? kLinkPageBags : kPageRows; }

// The statement of one page: the columns of `kind` after the row id `after`, in id order.
struct Page {
  std::string sql;
  Params params;
};

// "AND <column> = the caller's area" for a dispatcher, "AND <column> = the named area" for a filter.
void area_clauses(Page& q, const ExportRowsFilter& f, std::string_view column) {
  if (f.visible_area) q.sql += " AND " + std::string(column) + " = " + placeholder(q.params, *f.visible_area);
  if (f.area) q.sql += " AND " + std::string(column) + " = " + areas::id_by_name_subquery(q.params, *f.area);
}

// "AND <column> = the site named" (SPEC §8 "One company view": the site a row came from).
void site_clause(Page& q, const ExportRowsFilter& f, std::string_view column) {
  if (f.site) q.sql += " AND " + std::string(column) + " = " + sites::id_by_uid_subquery(q.params, *f.site);
}

void range_clauses(Page& q, const ExportRowsFilter& f, std::string_view column) {
  if (f.range.from) q.sql += " AND " + std::string(column) + " >= " + placeholder(q.params, *f.range.from);
  if (f.range.until) q.sql += " AND " + std::string(column) + " < " + placeholder(q.params, *f.range.until);
}

Page page_of(ExportKind kind, const ExportRowsFilter& f, std::int64_t after) {
  Page q;
  switch (kind) {
    case ExportKind::bags:
      // Each related row is looked up per bag through its index (a child's link, its bill, a
      // parent's children): a join would let PostgreSQL hash whole tables for every page.
      // A child's bill is its parent's.
      q.sql =
          "SELECT b.id, b.code, b.type, b.kind, a.name,"
          " (SELECT p.code FROM links l JOIN bags p ON p.id = l.parent_id WHERE l.child_id = b.id),"
          " (SELECT bl.code FROM bill_parents bp JOIN bills bl ON bl.id = bp.bill_id"
          "  WHERE bp.parent_id = COALESCE((SELECT l.parent_id FROM links l WHERE l.child_id = b.id), b.id)),"
          " CASE WHEN b.type = 'parent' THEN (SELECT COUNT(*) FROM links c WHERE c.parent_id = b.id) END,"
          " b.created_at, u.username"
          " FROM bags b LEFT JOIN areas a ON a.id = b.area_id LEFT JOIN users u ON u.id = b.created_by"
          " WHERE b.id > ";
      q.sql += placeholder(q.params, after);
      area_clauses(q, f, "b.area_id");
      site_clause(q, f, "b.site_id");
      if (f.type) q.sql += " AND b.type = " + placeholder(q.params, *f.type);
      if (f.bill) {
        // The parents on the bill and their children, as search finds them.
        const std::string bill = placeholder(q.params, *f.bill);
        q.sql += " AND (b.id IN (SELECT bp.parent_id FROM bill_parents bp JOIN bills bl ON bl.id = bp.bill_id"
                 " WHERE bl.code = " + bill + ") OR b.id IN (SELECT l.child_id FROM links l"
                 " JOIN bill_parents bp ON bp.parent_id = l.parent_id JOIN bills bl ON bl.id = bp.bill_id"
                 " WHERE bl.code = " + bill + "))";
      }
      range_clauses(q, f, "b.created_at");
      q.sql += " ORDER BY b.id";
      break;
    case ExportKind::bills:
      q.sql =
          "SELECT b.id, b.code, b.description, b.destination, b.vehicle, b.capacity, b.status, a.name,"
          " (SELECT COUNT(*) FROM bill_parents bp WHERE bp.bill_id = b.id),"
          " (SELECT COUNT(*) FROM bill_parents bp JOIN links l ON l.parent_id = bp.parent_id WHERE bp.bill_id = b.id),"
          " b.created_at, u.username, b.completed_at"
          " FROM bills b LEFT JOIN areas a ON a.id = b.area_id LEFT JOIN users u ON u.id = b.created_by"
          " WHERE b.id > ";
      q.sql += placeholder(q.params, after);
      area_clauses(q, f, "b.area_id");
      site_clause(q, f, "b.site_id");
      if (f.status) q.sql += " AND b.status = " + placeholder(q.params, *f.status);
      range_clauses(q, f, "b.created_at");
      q.sql += " ORDER BY b.id";
      break;
    case ExportKind::scans:
      q.sql =
          // A scan a site sent names its user by name (scan_events.username), and its site.
          "SELECT s.id, s.at, COALESCE(u.username, s.username), s.action, s.code, s.parent_code, s.bill_code, s.result,"
          " s.reason, a.name, s.client, st.name FROM scan_events s LEFT JOIN users u ON u.id = s.user_id"
          " LEFT JOIN areas a ON a.id = s.area_id LEFT JOIN sites st ON st.id = s.site_id"
          " WHERE s.id > ";
      q.sql += placeholder(q.params, after);
      area_clauses(q, f, "s.area_id");
      site_clause(q, f, "s.site_id");
      range_clauses(q, f, "s.at");
      q.sql += " ORDER BY s.id";
      break;
    case ExportKind::links:
      // A page of the bags that start lines (parents, and children in no parent), in id order,
      // then each parent's children (through the links index) and its bill.
      q.sql =
          "SELECT e.id, e.code, e.type, c.code, bl.code, bl.capacity, bl.description, bl.destination, bl.vehicle FROM"
          " (SELECT b.id, b.code, b.type FROM bags b WHERE b.id > ";
      q.sql += placeholder(q.params, after);
      q.sql += " AND (b.type = 'parent' OR NOT EXISTS (SELECT 1 FROM links x WHERE x.child_id = b.id))";
      area_clauses(q, f, "b.area_id");
      site_clause(q, f, "b.site_id");
      q.sql += " ORDER BY b.id LIMIT " + placeholder(q.params, kLinkPageBags);
      q.sql +=
          ") e LEFT JOIN links l ON l.parent_id = e.id LEFT JOIN bags c ON c.id = l.child_id"
          " LEFT JOIN bill_parents bp ON bp.parent_id = e.id LEFT JOIN bills bl ON bl.id = bp.bill_id"
          " ORDER BY e.id, c.id";
      return q;
    case ExportKind::audit:
      q.sql =
          "SELECT id, at, username, action, entity, entity_key, before_json, after_json, client FROM audit_log"
          " WHERE id > ";
      q.sql += placeholder(q.params, after);
      site_clause(q, f, "site_id");
      range_clauses(q, f, "at");
      q.sql += " ORDER BY id";
      break;
  }
  q.sql += " LIMIT " + placeholder(q.params, kPageRows);
  return q;
}

std::string iso_or_empty(std::optional<std::int64_t> us) { return us ? util::format_iso8601(*us) : std::string(); }

}  // namespace

asio::awaitable<ExportPage> read_page(Tx& tx, ExportKind kind, const ExportRowsFilter& filter, std::int64_t after) {
  Page q = page_of(kind, filter, after);
  ExportPage page;
  page.rows = co_await tx.query(q.sql, std::move(q.params));
  // Pages hold page_ids ids (the links export has several lines for one id).
  for (std::size_t i = 0; i < page.rows.size(); ++i) {
    if (i == 0 || page.rows[i].i64(0) != page.rows[i - 1].i64(0)) ++page.ids;
  }
  page.last = page.ids < page_ids(kind);
  if (!page.rows.empty()) page.last_id = page.rows.back().i64(0);
  co_return page;
}

void write_line(std::string& out, ExportKind kind, const Row& r, bool protect, double child_weight_kg) {
  util::CsvLine line(out, protect);
  switch (kind) {
    case ExportKind::bags:
      line.text(r.text(1)).text(r.text(2)).text(r.opt_text(3)).text(r.opt_text(4)).text(r.opt_text(5));
      line.text(r.opt_text(6)).number(r.opt_i64(7)).text(util::format_iso8601(r.i64(8))).text(r.opt_text(9));
      break;
    case ExportKind::bills: {
      const std::int64_t children = r.i64(9);
      line.text(r.text(1)).text(r.text(2)).text(r.opt_text(3)).text(r.opt_text(4)).number(r.i64(5));
      line.text(r.text(6)).text(r.opt_text(7)).number(r.i64(8)).number(children);
      line.number(static_cast<double>(children) * child_weight_kg);
      line.text(util::format_iso8601(r.i64(10))).text(r.opt_text(11)).text(iso_or_empty(r.opt_i64(12)));
      break;
    }
    case ExportKind::scans:
      line.text(util::format_iso8601(r.i64(1))).text(r.opt_text(2)).text(r.text(3)).text(r.opt_text(4));
      line.text(r.opt_text(5)).text(r.opt_text(6)).text(r.opt_text(7)).text(r.opt_text(8)).text(r.opt_text(9));
      line.text(r.opt_text(10)).text(r.opt_text(11));
      break;
    case ExportKind::links:
      // A parent's line: its code, a child (or none) and its bill; a child in no parent: its code alone.
      if (r.text(2) == "parent") {
        line.text(r.text(1)).text(r.opt_text(3)).text(r.opt_text(4)).number(r.opt_i64(5)).text(r.opt_text(6));
        line.text(r.opt_text(7)).text(r.opt_text(8));
      } else {
        line.text("").text(r.text(1)).text("").text("").text("").text("").text("");
      }
      break;
    case ExportKind::audit:
      line.text(util::format_iso8601(r.i64(1))).text(r.opt_text(2)).text(r.text(3)).text(r.text(4));
      line.text(r.opt_text(5)).text(r.opt_text(6)).text(r.opt_text(7)).text(r.opt_text(8));
      break;
  }
  line.end();
}

}  // namespace tt::storage::export_rows
