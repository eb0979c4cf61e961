#include "storage/tables/sync_rows.hpp"

#include "storage/bulk_insert.hpp"
#include "storage/sql_text.hpp"

namespace tt::storage {

namespace sync_cursor {

asio::awaitable<std::int64_t> lock(Tx& tx, std::int64_t site_id) {
  auto row = co_await tx.query_one_locked("SELECT acked_seq FROM sites WHERE id = $1", params(site_id));
  if (!row) throw DbError("site " + std::to_string(site_id) + " vanished during a push");
  co_return row->i64(0);
}

asio::awaitable<void> advance(Tx& tx, std::int64_t site_id, std::int64_t acked_seq, std::int64_t reported_seq,
                              std::int64_t at) {
  co_await tx.exec("UPDATE sites SET acked_seq = $1, reported_seq = $2, last_push_at = $3 WHERE id = $4",
                   params(acked_seq, reported_seq, at, site_id));
}

}  // namespace sync_cursor

namespace sync_batches {

asio::awaitable<std::optional<std::string>> answer(Tx& tx, std::int64_t site_id, const std::string& batch_uid) {
  auto row = co_await tx.query_one("SELECT answer FROM sync_batches WHERE site_id = $1 AND batch_uid = $2",
                                   params(site_id, batch_uid));
  if (!row) co_return std::nullopt;
  co_return row->text(0);
}

asio::awaitable<void> store(Tx& tx, std::int64_t site_id, const std::string& batch_uid, const std::string& answer,
                            std::int64_t at) {
  co_await tx.exec_deferred(
      "INSERT INTO sync_batches (site_id, batch_uid, answer, received_at) VALUES ($1, $2, $3, $4)",
      params(site_id, batch_uid, answer, at));
}

}  // namespace sync_batches

namespace sync_ops {

asio::awaitable<std::map<std::int64_t, std::string>> uids(Tx& tx, std::int64_t site_id, std::int64_t from,
                                                          std::int64_t to) {
  const Rows rows = co_await tx.query("SELECT seq, uid FROM sync_ops WHERE site_id = $1 AND seq BETWEEN $2 AND $3",
                                      params(site_id, from, to));
  std::map<std::int64_t, std::string> out;
  for (const auto& r : rows) out.emplace(r.i64(0), r.text(1));
  co_return out;
}

asio::awaitable<void> insert(Tx& tx, std::int64_t site_id, std::int64_t seq, const std::string& uid) {
  co_await tx.append_row("INSERT INTO sync_ops (site_id, seq, uid)", params(site_id, seq, uid));
}

}  // namespace sync_ops

namespace sync_conflicts {

namespace {

constexpr std::string_view kConflictColumns =
    "SELECT c.uid, c.kind, c.entity, c.entity_key, s.name, c.op_uid, c.detail, c.status, c.created_at, c.resolution,"
    " c.resolved_at, c.resolved_by, c.site_id FROM sync_conflicts c LEFT JOIN sites s ON s.id = c.site_id";

ConflictRow conflict_from(const Row& r) {
  ConflictRow c;
  c.uid = r.text(0);
  c.kind = r.text(1);
  c.entity = r.text(2);
  c.entity_key = r.text(3);
  c.site = r.opt_text(4);
  c.op_uid = r.text(5);
  c.detail = r.text(6);
  c.status = r.text(7);
  c.created_at = r.i64(8);
  c.resolution = r.opt_text(9);
  c.resolved_at = r.opt_i64(10);
  c.resolved_by = r.opt_text(11);
  c.site_id = r.opt_i64(12);
  return c;
}

}  // namespace

asio::awaitable<bool> open_exists(Tx& tx, const std::string& kind, const std::string& entity, const std::string& key) {
  auto row = co_await tx.query_one(
      "SELECT 1 FROM sync_conflicts WHERE entity = $1 AND entity_key = $2 AND status = 'open' AND kind = $3",
      params(entity, key, kind));
  co_return row.has_value();
}

asio::awaitable<void> insert(Tx& tx, const NewConflict& c) {
  co_await tx.exec(
      "INSERT INTO sync_conflicts (uid, kind, entity, entity_key, site_id, op_uid, detail, created_at)"
      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
      params(c.uid, c.kind, c.entity, c.entity_key, c.site_id, c.op_uid, c.detail, c.at));
}

asio::awaitable<std::vector<ConflictRow>> list(Tx& tx, const ConflictFilter& f) {
  Params p;
  std::string sql = std::string(kConflictColumns) + " WHERE 1 = 1";
  if (f.status) sql += " AND c.status = " + placeholder(p, *f.status);
  if (f.site_id) sql += " AND c.site_id = " + placeholder(p, *f.site_id);
  if (f.kind) sql += " AND c.kind = " + placeholder(p, *f.kind);
  if (f.entity) sql += " AND c.entity = " + placeholder(p, *f.entity);
  if (f.entity_key) sql += " AND c.entity_key = " + placeholder(p, *f.entity_key);
  if (f.created_before) sql += " AND c.created_at < " + placeholder(p, *f.created_before);
  sql += " ORDER BY c.created_at DESC, c.id DESC LIMIT " + placeholder(p, f.limit);
  const Rows rows = co_await tx.query(sql, std::move(p));
  std::vector<ConflictRow> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(conflict_from(r));
  co_return out;
}

asio::awaitable<std::optional<ConflictRow>> by_uid(Tx& tx, const std::string& uid) {
  const std::string sql = std::string(kConflictColumns) + " WHERE c.uid = $1";
  auto row = co_await tx.query_one(sql, params(uid));
  if (!row) co_return std::nullopt;
  co_return conflict_from(*row);
}

asio::awaitable<std::optional<ConflictRow>> lock(Tx& tx, const std::string& uid) {
  // The conflict's row alone: PostgreSQL locks no row of an outer join's nullable side.
  co_await tx.lock_rows("SELECT id FROM sync_conflicts WHERE uid = $1", params(uid));
  co_return co_await by_uid(tx, uid);
}

asio::awaitable<void> resolve(Tx& tx, const std::string& uid, const std::string& resolution, const std::string& by,
                              std::int64_t at) {
  co_await tx.exec(
      "UPDATE sync_conflicts SET status = 'resolved', resolution = $2, resolved_by = $3, resolved_at = $4 WHERE uid = $1",
      params(uid, resolution, by, at));
}

asio::awaitable<void> put_received(Tx& tx, const ReceivedConflict& c) {
  co_await tx.exec(
      "INSERT INTO sync_conflicts (uid, kind, entity, entity_key, site_id, op_uid, detail, status, created_at, resolution,"
      " resolved_at, resolved_by) VALUES ($1, $2, $3, $4, NULL, $5, $6, $7, $8, $9, $10, $11)"
      " ON CONFLICT (uid) DO UPDATE SET status = excluded.status, resolution = excluded.resolution,"
      " resolved_at = excluded.resolved_at, resolved_by = excluded.resolved_by",
      params(c.uid, c.kind, c.entity, c.entity_key, c.op_uid, c.detail, c.status, c.created_at, c.resolution,
             c.resolved_at, c.resolved_by));
}

asio::awaitable<std::int64_t> count_open(Tx& tx) {
  auto row = co_await tx.query_one("SELECT COUNT(*) FROM sync_conflicts WHERE status = 'open'");
  co_return row ? row->i64(0) : 0;
}

}  // namespace sync_conflicts

namespace site_rows {

asio::awaitable<std::optional<std::int64_t>> insert_bag(Tx& tx, const SiteBag& b) {
  auto row = co_await tx.query_one(
      "INSERT INTO bags (uid, code, type, kind, area_id, created_at, site_id) VALUES ($1, $2, $3, $4, $5, $6, $7)"
      " ON CONFLICT DO NOTHING RETURNING id",
      params(b.uid, b.code, b.type, b.kind, b.area_id, b.at, b.site_id));
  if (!row) co_return std::nullopt;
  co_return row->i64(0);
}

asio::awaitable<std::map<std::string, std::int64_t>> insert_bags(Tx& tx, const std::vector<SiteBag>& bags) {
  std::map<std::string, std::int64_t> out;
  BulkInsert insert("INSERT INTO bags (uid, code, type, kind, area_id, created_at, site_id)", 7,
                    " ON CONFLICT DO NOTHING RETURNING code, id");
  for (std::size_t i = 0; i < bags.size(); ++i) {
    const SiteBag& b = bags[i];
    insert.add(b.uid, b.code, b.type, b.kind, b.area_id, b.at, b.site_id);
    if (insert.full() || i + 1 == bags.size()) {
      const Rows rows = co_await insert.flush(tx);
      for (const auto& r : rows) out.emplace(r.text(0), r.i64(1));
    }
  }
  co_return out;
}

asio::awaitable<void> insert_new_link(Tx& tx, const std::string& uid, std::int64_t parent_id, std::int64_t child_id,
                                      std::int64_t site_id, std::int64_t at) {
  co_await tx.exec_deferred(
      "INSERT INTO links (uid, parent_id, child_id, created_at, site_id) VALUES ($1, $2, $3, $4, $5)",
      params(uid, parent_id, child_id, at, site_id));
}

asio::awaitable<bool> insert_link(Tx& tx, const std::string& uid, std::int64_t parent_id, std::int64_t child_id,
                                  std::int64_t site_id, std::int64_t at) {
  auto row = co_await tx.query_one(
      "INSERT INTO links (uid, parent_id, child_id, created_at, site_id) VALUES ($1, $2, $3, $4, $5)"
      " ON CONFLICT DO NOTHING RETURNING id",
      params(uid, parent_id, child_id, at, site_id));
  co_return row.has_value();
}

asio::awaitable<bool> insert_bill(Tx& tx, const SiteBill& b) {
  auto row = co_await tx.query_one(
      "INSERT INTO bills (uid, code, description, destination, vehicle, capacity, status, area_id, created_at,"
      " updated_at, completed_at, site_id)"
      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, CASE WHEN $7 = 'completed' THEN $9 END, $10)"
      " ON CONFLICT DO NOTHING RETURNING id",
      params(b.uid, b.code, b.description, b.destination, b.vehicle, b.capacity, b.status, b.area_id, b.at,
             b.site_id));
  co_return row.has_value();
}

asio::awaitable<bool> attach_parent(Tx& tx, const std::string& uid, std::int64_t bill_id, std::int64_t parent_id,
                                    std::int64_t site_id, std::int64_t at) {
  auto row = co_await tx.query_one(
      "INSERT INTO bill_parents (uid, bill_id, parent_id, added_at, site_id) VALUES ($1, $2, $3, $4, $5)"
      " ON CONFLICT DO NOTHING RETURNING id",
      params(uid, bill_id, parent_id, at, site_id));
  co_return row.has_value();
}

asio::awaitable<std::optional<std::string>> bill_code_for_site(Tx& tx, const std::string& code,
                                                               const std::string& renamed, std::int64_t site_id) {
  auto row = co_await tx.query_one(
      "SELECT code FROM bills WHERE code = $1 OR (code = $2 AND site_id = $3)"
      " ORDER BY CASE WHEN code = $2 THEN 0 ELSE 1 END LIMIT 1",
      params(code, renamed, site_id));
  if (!row) co_return std::nullopt;
  co_return row->text(0);
}

asio::awaitable<std::optional<std::int64_t>> bill_site(Tx& tx, std::int64_t bill_id) {
  auto row = co_await tx.query_one("SELECT site_id FROM bills WHERE id = $1", params(bill_id));
  if (!row) co_return std::nullopt;
  co_return row->opt_i64(0);
}

asio::awaitable<std::int64_t> others_use(Tx& tx, std::int64_t bag_id, std::int64_t site_id) {
  auto row = co_await tx.query_one(
      "SELECT (SELECT COUNT(*) FROM links WHERE parent_id = $1 AND (site_id IS NULL OR site_id <> $2))"
      " + (SELECT COUNT(*) FROM bill_parents WHERE parent_id = $1 AND (site_id IS NULL OR site_id <> $2))",
      params(bag_id, site_id));
  co_return row ? row->i64(0) : 0;
}

asio::awaitable<void> append_scan(Tx& tx, ScanEventRow s, std::optional<std::string> username, std::int64_t site_id) {
  co_await tx.append_row(
      "INSERT INTO scan_events (uid, at, username, area_id, client, action, code, parent_code, bill_code, result,"
      " reason, client_scan_id, site_id)",
      params(std::move(s.uid), s.at, std::move(username), s.area_id, std::move(s.client), std::move(s.action),
             std::move(s.code), std::move(s.parent_code), std::move(s.bill_code), std::move(s.result),
             std::move(s.reason), std::move(s.client_scan_id), site_id));
}

asio::awaitable<void> append_audit(Tx& tx, NewAuditRow a, std::int64_t site_id) {
  co_await tx.append_row(
      "INSERT INTO audit_log (uid, at, username, action, entity, entity_key, before_json, after_json, client, site_id)",
      params(std::move(a.uid), a.at, std::move(a.username), std::move(a.action), std::move(a.entity),
             std::move(a.entity_key), std::move(a.before_json), std::move(a.after_json), std::move(a.client),
             site_id));
}

}  // namespace site_rows
}  // namespace tt::storage
