#include "storage/tables/dashboard.hpp"

#include "storage/tables/sites.hpp"

namespace tt::storage::dashboard {

namespace {

std::string area_clause(const std::optional<std::int64_t>& area, const char* column, Params& p) {
  if (!area) return "";
  // In place: GCC 12 at -O3 reports a false maybe-uninitialized on a pushed temporary variant.
  p.emplace_back(std::in_place_type<std::int64_t>, *area);
  std::string clause = " AND ";
  clause += column;
  clause += " = $";
  clause += std::to_string(p.size());
  return clause;
}

std::string site_clause(const std::optional<std::string>& site, const char* column, Params& p) {
  if (!site) return "";
  return std::string(" AND ") + column + " = " + sites::id_by_uid_subquery(p, *site);
}

}  // namespace

asio::awaitable<DashboardTotals> totals(Tx& tx, std::optional<std::int64_t> area, std::optional<std::string> site) {
  DashboardTotals t;
  {
    Params p;
    const std::string where = area_clause(area, "area_id", p) + site_clause(site, "site_id", p);
    auto rows = co_await tx.query("SELECT type, COUNT(*) FROM bags WHERE 1 = 1" + where + " GROUP BY type", std::move(p));
    for (const auto& r : rows) (r.text(0) == "parent" ? t.parents : t.children) = r.i64(1);
  }
  {
    Params p;
    const std::string where = area_clause(area, "p.area_id", p) + site_clause(site, "p.site_id", p);
    const bool join = area || site;
    auto row = co_await tx.query_one(
        "SELECT COUNT(*) FROM links l" + std::string(join ? " JOIN bags p ON p.id = l.parent_id" : "") +
            " WHERE 1 = 1" + where,
        std::move(p));
    t.linked_children = row->i64(0);
  }
  {
    Params p;
    const std::string where = area_clause(area, "area_id", p) + site_clause(site, "site_id", p);
    auto rows = co_await tx.query("SELECT status, COUNT(*) FROM bills WHERE 1 = 1" + where + " GROUP BY status",
                                  std::move(p));
    for (const auto& r : rows) (r.text(0) == "open" ? t.bills_open : t.bills_completed) = r.i64(1);
  }
  co_return t;
}

asio::awaitable<std::vector<ScanHourGroup>> scan_groups(Tx& tx, std::int64_t first_hour, std::int64_t since,
                                                        std::optional<std::int64_t> area,
                                                        std::optional<std::string> site) {
  Params p;
  p.push_back(first_hour);
  p.push_back(since);
  const std::string where = area_clause(area, "area_id", p) + site_clause(site, "site_id", p);
  const Rows rows = co_await tx.query(
      "SELECT at / 3600000000, area_id, user_id, result, CASE WHEN at >= $2 THEN 1 ELSE 0 END, COUNT(*)"
      " FROM scan_events WHERE at >= $1 AND action <> 'import'" + where +
          " GROUP BY at / 3600000000, area_id, user_id, result, CASE WHEN at >= $2 THEN 1 ELSE 0 END",
      std::move(p));
  std::vector<ScanHourGroup> out;
  out.reserve(rows.size());
  for (const auto& r : rows) {
    out.push_back(ScanHourGroup{r.i64(0), r.opt_i64(1), r.opt_i64(2), r.text(3), r.i64(4) != 0, r.i64(5)});
  }
  co_return out;
}

}  // namespace tt::storage::dashboard
