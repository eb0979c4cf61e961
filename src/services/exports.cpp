#include "services/exports.hpp"

#include <string>

#include "domain/bag_code.hpp"
#include "domain/bill_rules.hpp"
#include "domain/errors.hpp"
#include "domain/import_file.hpp"
#include "services/input_codes.hpp"
#include "storage/tables/export_rows.hpp"

namespace tt::services {

namespace {

// The size at which a piece goes to the sink: it bounds the memory an export holds, with the
// page size (storage/tables/export_rows.hpp), whatever the size of the file.
constexpr std::size_t kPieceBytes = 64 * 1024;

domain::Failure bad_filter(std::string message) {
  return domain::Failure(domain::Error::invalid_request, std::move(message));
}

storage::ExportRowsFilter rows_filter(const Caller& caller, ExportFilter f) {
  storage::ExportRowsFilter out;
  out.range = f.range;
  if (!caller.sees_all_areas()) out.visible_area = caller.area_id.value_or(-1);
  out.area = std::move(f.area);
  out.type = std::move(f.type);
  out.status = std::move(f.status);
  out.bill = std::move(f.bill);
  out.site = std::move(f.site);
  return out;
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
    case ExportKind::scans: return "at,user,action,code,parent,bill,result,reason,area,client,site\r\n";
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
  if (key == "site") {
    if (v.empty()) throw bad_filter("The filter 'site' needs the id of a site.");
    f.site = v;
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
  const bool protect = !filter.raw;
  const storage::ExportRowsFilter rows = rows_filter(caller, std::move(filter));
  std::int64_t after = 0;
  for (;;) {
    const storage::ExportPage page = co_await storage::export_rows::read_page(tx, kind, rows, after);
    for (const auto& r : page.rows) {
      storage::export_rows::write_line(piece, kind, r, protect, settings->child_weight_kg);
      if (piece.size() >= kPieceBytes) {
        const bool taken = co_await sink->put(std::move(piece));
        if (!taken) co_return;
        piece.clear();
      }
    }
    if (page.last) break;
    after = page.last_id;
  }
  if (!piece.empty()) co_await sink->put(std::move(piece));
}

}  // namespace tt::services
