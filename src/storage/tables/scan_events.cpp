#include "storage/tables/scan_events.hpp"

#include "storage/tables/sites.hpp"

#include "storage/sql_text.hpp"
#include "util/ids.hpp"

namespace tt::storage::scan_events {

asio::awaitable<void> append(Tx& tx, ScanEventRow r) {
  co_await tx.append_row(
      "INSERT INTO scan_events (uid, at, user_id, area_id, client, action, code, parent_code, bill_code, result, reason,"
      " client_scan_id)",
      params(std::move(r.uid), r.at, r.user_id, r.area_id, std::move(r.client), std::move(r.action), std::move(r.code),
             std::move(r.parent_code), std::move(r.bill_code), std::move(r.result), std::move(r.reason),
             std::move(r.client_scan_id)));
}

asio::awaitable<std::vector<ScanDayGroup>> day_groups(Tx& tx, const ScanDayFilter& f) {
  // The hour index is counted from the day's first instant, so it is the local hour on any offset.
  Params p;
  const std::string start = placeholder(p, f.start);
  const std::string end = placeholder(p, f.end);
  std::string sql = "SELECT (s.at - " + start + ") / 3600000000, u.username, a.name, s.result, s.reason, COUNT(*)"
                    " FROM scan_events s LEFT JOIN users u ON u.id = s.user_id LEFT JOIN areas a ON a.id = s.area_id"
                    " WHERE s.at >= " + start + " AND s.at < " + end;
  sql += " AND s.action <> 'import'";
  if (f.visible_area) sql += " AND s.area_id = " + placeholder(p, *f.visible_area);
  if (f.area) sql += " AND s.area_id = " + placeholder(p, *f.area);
  if (f.site) sql += " AND s.site_id = " + sites::id_by_uid_subquery(p, *f.site);
  sql += " GROUP BY 1, 2, 3, 4, 5";
  const Rows rows = co_await tx.query(sql, std::move(p));
  std::vector<ScanDayGroup> out;
  out.reserve(rows.size());
  for (const auto& r : rows) {
    out.push_back(ScanDayGroup{r.i64(0), r.opt_text(1), r.opt_text(2), r.text(3), r.opt_text(4), r.i64(5)});
  }
  co_return out;
}

}  // namespace tt::storage::scan_events
