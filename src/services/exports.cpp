#include "services/exports.hpp"

#include <string>

#include "domain/bag_code.hpp"
#include "domain/bill_rules.hpp"
#include "domain/errors.hpp"
#include "domain/import_file.hpp"
#include "services/input_codes.hpp"
#include "storage/sql_text.hpp"
#include "util/csv.hpp"
#include "util/time.hpp"

namespace tt::services {

namespace {

// Rows read per statement, and the size at which a piece goes to the sink: both bound the memory
// an export holds, whatever the size of the file.
constexpr std::int64_t kPageRows = 1000;
// The links export reads a page of parents with all their children (up to capacity lines each).
constexpr std::int64_t kLinkPageBags = 100;

std::int64_t page_ids(ExportKind kind) { return kind == ExportKind::links ? kLinkPageBags : kPageRows; }
constexpr std::size_t kPieceBytes = 64 * 1024;

domain::Failure bad_filter(std::string message) {
  return domain::Failure(domain::Error::invalid_request, std::move(message));
}

// The statement of one page: the columns of `kind` after the row id `after`, in id order.
struct Page {
  std::string sql;
  storage::Params params;
};

// "AND <column> = the caller's area" for a dispatcher, "AND <column> = the named area" for a filter.
void area_clauses(Page& q, const Caller& caller, const ExportFilter& f, std::string_view column) {
  if (!caller.sees_all_areas()) {
    q.sql += " AND " + std::string(column) + " = " + storage::placeholder(q.params, caller.area_id.value_or(-1));
  }
  if (f.area) {
    q.sql += " AND " + std::string(column) + " = (SELECT id FROM areas WHERE lower(name) = lower(" +
             storage::placeholder(q.params, *f.area) + "))";
  }
}

void range_clauses(Page& q, const ExportFilter& f, std::string_view column) {
  if (f.range.from) q.sql += " AND " + std::string(column) + " >= " + storage::placeholder(q.params, *f.range.from);
  if (f.range.until) q.sql += " AND " + std::string(column) + " < " + storage::placeholder(q.params, *f.range.until);
}

Page page_of(ExportKind kind, const Caller& caller, const ExportFilter& f, std::int64_t after) {
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
      q.sql += storage::placeholder(q.params, after);
      area_clauses(q, caller, f, "b.area_id");
      if (f.type) q.sql += " AND b.type = " + storage::placeholder(q.params, *f.type);
      if (f.bill) {
        // The parents on the bill and their children, as search finds them.
        const std::string bill = storage::placeholder(q.params, *f.bill);
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
      q.sql += storage::placeholder(q.params, after);
      area_clauses(q, caller, f, "b.area_id");
      if (f.status) q.sql += " AND b.status = " + storage::placeholder(q.params, *f.status);
      range_clauses(q, f, "b.created_at");
      q.sql += " ORDER BY b.id";
      break;
    case ExportKind::scans:
      q.sql =
          "SELECT s.id, s.at, u.username, s.action, s.code, s.parent_code, s.bill_code, s.result, s.reason, a.name,"
          " s.client FROM scan_events s LEFT JOIN users u ON u.id = s.user_id LEFT JOIN areas a ON a.id = s.area_id"
          " WHERE s.id > ";
      q.sql += storage::placeholder(q.params, after);
      area_clauses(q, caller, f, "s.area_id");
      range_clauses(q, f, "s.at");
      q.sql += " ORDER BY s.id";
      break;
    case ExportKind::links:
      // A page of the bags that start lines (parents, and children in no parent), in id order,
      // then each parent's children (through the links index) and its bill.
      q.sql =
          "SELECT e.id, e.code, e.type, c.code, bl.code, bl.capacity, bl.description, bl.destination, bl.vehicle FROM"
          " (SELECT b.id, b.code, b.type FROM bags b WHERE b.id > ";
      q.sql += storage::placeholder(q.params, after);
      q.sql += " AND (b.type = 'parent' OR NOT EXISTS (SELECT 1 FROM links x WHERE x.child_id = b.id))";
      area_clauses(q, caller, f, "b.area_id");
      q.sql += " ORDER BY b.id LIMIT " + storage::placeholder(q.params, kLinkPageBags);
      q.sql +=
          ") e LEFT JOIN links l ON l.parent_id = e.id LEFT JOIN bags c ON c.id = l.child_id"
          " LEFT JOIN bill_parents bp ON bp.parent_id = e.id LEFT JOIN bills bl ON bl.id = bp.bill_id"
          " ORDER BY e.id, c.id";
      return q;
    case ExportKind::audit:
      q.sql =
          "SELECT id, at, username, action, entity, entity_key, before_json, after_json, client FROM audit_log"
          " WHERE id > ";
      q.sql += storage::placeholder(q.params, after);
      range_clauses(q, f, "at");
      q.sql += " ORDER BY id";
      break;
  }
  q.sql += " LIMIT " + storage::placeholder(q.params, kPageRows);
  return q;
}

std::string iso_or_empty(std::optional<std::int64_t> us) { return us ? util::format_iso8601(*us) : std::string(); }

// One row as a CSV line, in the columns of export_header.
void write_row(std::string& out, ExportKind kind, const storage::Row& r, bool raw, const domain::Settings& settings) {
  util::CsvLine line(out, !raw);
  switch (kind) {
    case ExportKind::bags:
      line.text(r.text(1)).text(r.text(2)).text(r.opt_text(3)).text(r.opt_text(4)).text(r.opt_text(5));
      line.text(r.opt_text(6)).number(r.opt_i64(7)).text(util::format_iso8601(r.i64(8))).text(r.opt_text(9));
      break;
    case ExportKind::bills: {
      const std::int64_t children = r.i64(9);
      line.text(r.text(1)).text(r.text(2)).text(r.opt_text(3)).text(r.opt_text(4)).number(r.i64(5));
      line.text(r.text(6)).text(r.opt_text(7)).number(r.i64(8)).number(children);
      line.number(static_cast<double>(children) * settings.child_weight_kg);
      line.text(util::format_iso8601(r.i64(10))).text(r.opt_text(11)).text(iso_or_empty(r.opt_i64(12)));
      break;
    }
    case ExportKind::scans:
      line.text(util::format_iso8601(r.i64(1))).text(r.opt_text(2)).text(r.text(3)).text(r.opt_text(4));
      line.text(r.opt_text(5)).text(r.opt_text(6)).text(r.opt_text(7)).text(r.opt_text(8)).text(r.opt_text(9));
      line.text(r.opt_text(10));
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

}  // namespace

std::string_view to_string(ExportKind k) noexcept {
  switch (k) {
    case ExportKind::bags: return "bags";
    case ExportKind::bills: return "bills";
    case ExportKind::scans: return "scans";
    case ExportKind::audit: return "audit";
    case ExportKind::links: return "links";
  }
  return "bags";
}

std::optional<ExportKind> parse_export_kind(std::string_view s) noexcept {
  for (ExportKind k : {ExportKind::bags, ExportKind::bills, ExportKind::scans, ExportKind::audit, ExportKind::links}) {
    if (s == to_string(k)) return k;
  }
  return std::nullopt;
}

std::string_view export_header(ExportKind kind) {
  switch (kind) {
    case ExportKind::bags: return "code,type,kind,area,parent,bill,children,created_at,created_by\r\n";
    case ExportKind::bills:
      return "code,description,destination,vehicle,capacity,status,area,parents,children,weight_kg,created_at,"
             "created_by,completed_at\r\n";
    case ExportKind::scans: return "at,user,action,code,parent,bill,result,reason,area,client\r\n";
    case ExportKind::audit: return "at,user,action,entity,key,before,after,client\r\n";
    case ExportKind::links: return domain::import_header();
  }
  return "";
}

bool read_export_filter(ExportFilter& f, ExportKind kind, std::string_view key, std::string_view value,
                        const util::TimeZone& zone) {
  const std::string v(value);
  if (key == "raw") {
    f.raw = v.empty() || v == "1" || v == "true" || v == "yes";
    return true;
  }
  if (key == "from" || key == "to") {
    const bool from = key == "from";
    auto bound = domain::parse_range_bound(v, from ? domain::RangeEnd::from : domain::RangeEnd::to, zone);
    if (!bound) throw bad_filter(domain::range_bound_error(key));
    (from ? f.range.from : f.range.until) = bound;
    return true;
  }
  if (key == "area" && kind != ExportKind::audit) {
    if (v.empty()) throw bad_filter("The filter 'area' needs the name of an area.");
    f.area = v;
    return true;
  }
  if (key == "type" && kind == ExportKind::bags) {
    if (v != "parent" && v != "child") throw bad_filter("The filter 'type' must be parent or child.");
    f.type = v;
    return true;
  }
  if (key == "status" && kind == ExportKind::bills) {
    if (!domain::parse_bill_status(v)) throw bad_filter("The filter 'status' must be open or completed.");
    f.status = v;
    return true;
  }
  if (key == "bill" && kind == ExportKind::bags) {
    f.bill = bill_code_or_throw(v);
    return true;
  }
  return false;
}

asio::awaitable<bool> ExportSink::put(std::string chunk) {
  started_ = true;
  co_return co_await deliver(std::move(chunk));
}

asio::awaitable<void> export_csv(storage::Tx& tx, Caller caller, ExportKind kind, ExportFilter filter,
                                 std::shared_ptr<ExportSink> sink, SettingsPtr settings) {
  if (sink->started()) {
    throw storage::DbError("the database connection was lost during an export; start the export again");
  }
  std::string piece(export_header(kind));
  // The header goes at once: the reader sees the file begin before the first page is read.
  const bool first = co_await sink->put(std::move(piece));
  if (!first) co_return;
  piece.clear();
  std::int64_t after = 0;
  for (;;) {
    Page q = page_of(kind, caller, filter, after);
    const storage::Rows rows = co_await tx.query(q.sql, std::move(q.params));
    for (const auto& r : rows) {
      write_row(piece, kind, r, filter.raw, *settings);
      if (piece.size() >= kPieceBytes) {
        const bool taken = co_await sink->put(std::move(piece));
        if (!taken) co_return;
        piece.clear();
      }
    }
    // Pages hold page_ids ids (the links export has several lines for one id).
    std::int64_t ids = 0;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (i == 0 || rows[i].i64(0) != rows[i - 1].i64(0)) ++ids;
    }
    if (ids < page_ids(kind)) break;
    after = rows.back().i64(0);
  }
  if (!piece.empty()) co_await sink->put(std::move(piece));
}

}  // namespace tt::services
