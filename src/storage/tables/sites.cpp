#include "storage/tables/sites.hpp"

#include "storage/sql_text.hpp"

#include <algorithm>
#include <map>

namespace tt::storage::sites {

namespace {

constexpr std::string_view kColumns =
    "SELECT s.id, s.uid, s.name, CASE WHEN s.token_hash IS NULL THEN 0 ELSE 1 END, s.token_set_at, u.username, s.created_at,"
    " s.last_push_at, s.acked_seq, s.reported_seq,"
    " (SELECT COUNT(*) FROM sync_conflicts c WHERE c.site_id = s.id AND c.status = 'open')"
    " FROM sites s LEFT JOIN users u ON u.id = s.created_by";

SiteRow site_from(const Row& r) {
  SiteRow s;
  s.id = r.i64(0);
  s.uid = r.text(1);
  s.name = r.text(2);
  s.token_active = r.i64(3) != 0;
  s.token_set_at = r.opt_i64(4);
  s.created_by = r.opt_text(5);
  s.created_at = r.i64(6);
  s.last_push_at = r.opt_i64(7);
  s.acked_seq = r.i64(8);
  s.reported_seq = std::max(r.i64(9), s.acked_seq);
  s.open_conflicts = r.i64(10);
  return s;
}

// The area names of the sites read, in one statement for all of them.
asio::awaitable<void> fill_areas(Tx& tx, std::vector<SiteRow>& found) {
  if (found.empty()) co_return;
  auto rows = co_await tx.query(
      "SELECT sa.site_id, a.name FROM site_areas sa JOIN areas a ON a.id = sa.area_id ORDER BY lower(a.name)");
  std::map<std::int64_t, SiteRow*> by_id;
  for (auto& s : found) by_id.emplace(s.id, &s);
  for (const auto& r : rows) {
    if (auto it = by_id.find(r.i64(0)); it != by_id.end()) it->second->areas.push_back(r.text(1));
  }
}

}  // namespace

std::string id_by_uid_subquery(Params& p, const std::string& uid) {
  return "(SELECT id FROM sites WHERE uid = " + placeholder(p, uid) + ")";
}

asio::awaitable<std::optional<std::int64_t>> insert(Tx& tx, const NewSiteRow& s) {
  auto row = co_await tx.query_one(
      "INSERT INTO sites (uid, name, token_hash, token_set_at, created_by, created_at)"
      " VALUES ($1, $2, $3, $4, $5, $4) ON CONFLICT DO NOTHING RETURNING id",
      params(s.uid, s.name, s.token_hash, s.at, s.created_by));
  if (!row) co_return std::nullopt;
  co_return row->i64(0);
}

asio::awaitable<void> add_area(Tx& tx, std::int64_t site_id, std::int64_t area_id) {
  co_await tx.exec("INSERT INTO site_areas (site_id, area_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                   params(site_id, area_id));
}

asio::awaitable<std::optional<SiteRow>> by_uid(Tx& tx, const std::string& uid) {
  const std::string sql = std::string(kColumns) + " WHERE s.uid = $1";
  auto row = co_await tx.query_one(sql, params(uid));
  if (!row) co_return std::nullopt;
  std::vector<SiteRow> one{site_from(*row)};
  co_await fill_areas(tx, one);
  co_return std::move(one.front());
}

asio::awaitable<std::optional<SiteRow>> by_token_hash(Tx& tx, const std::string& token_hash) {
  const std::string sql = std::string(kColumns) + " WHERE s.token_hash = $1";
  auto row = co_await tx.query_one(sql, params(token_hash));
  if (!row) co_return std::nullopt;
  co_return site_from(*row);
}

asio::awaitable<std::vector<SiteRow>> list(Tx& tx) {
  const std::string sql = std::string(kColumns) + " ORDER BY lower(s.name)";
  auto rows = co_await tx.query(sql);
  std::vector<SiteRow> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(site_from(r));
  co_await fill_areas(tx, out);
  co_return out;
}

asio::awaitable<void> set_token(Tx& tx, std::int64_t id, std::optional<std::string> token_hash, std::int64_t at) {
  co_await tx.exec("UPDATE sites SET token_hash = $2, token_set_at = $3 WHERE id = $1",
                   params(id, std::move(token_hash), at));
}

}  // namespace tt::storage::sites
