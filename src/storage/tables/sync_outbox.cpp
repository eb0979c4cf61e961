#include "storage/tables/sync_outbox.hpp"

#include <array>
#include <string_view>

namespace tt::storage {

namespace sync_outbox {

namespace {

// The snapshot of first enablement, one INSERT ... SELECT per table, in the order head office
// must apply them (a link needs its bags, a bill's parent its bill). The shapes are those
// services/sync_capture writes for the same kinds; rows are named by code and uid, areas and
// users by name. History (scan and audit rows) only records: the state went first. Rows whose
// change was captured already (the first start's admin, created before synchronisation was
// turned on in the same start) are not written twice.
constexpr std::array<std::string_view, 6> kSnapshot{
    "INSERT INTO sync_outbox (uid, kind, at, payload)"
    " SELECT b.uid, 'bag.create', b.created_at, json_object('uid', b.uid, 'kind', 'bag.create', 'at', b.created_at,"
    " 'user', u.username, 'data', json_object('bag', json_object('uid', b.uid, 'code', b.code, 'type', b.type,"
    " 'kind', b.kind), 'area', a.name))"
    " FROM bags b LEFT JOIN users u ON u.id = b.created_by LEFT JOIN areas a ON a.id = b.area_id"
    " WHERE b.uid NOT IN (SELECT uid FROM sync_outbox) ORDER BY b.type DESC, b.id",
    "INSERT INTO sync_outbox (uid, kind, at, payload)"
    " SELECT l.uid, 'link.add', l.created_at, json_object('uid', l.uid, 'kind', 'link.add', 'at', l.created_at,"
    " 'user', u.username, 'data', json_object('child', c.code, 'parent', p.code))"
    " FROM links l JOIN bags c ON c.id = l.child_id JOIN bags p ON p.id = l.parent_id"
    " LEFT JOIN users u ON u.id = l.created_by WHERE l.uid NOT IN (SELECT uid FROM sync_outbox) ORDER BY l.id",
    "INSERT INTO sync_outbox (uid, kind, at, payload)"
    " SELECT b.uid, 'bill.create', b.created_at, json_object('uid', b.uid, 'kind', 'bill.create', 'at', b.created_at,"
    " 'user', u.username, 'data', json_object('bill', json_object('uid', b.uid, 'code', b.code,"
    " 'description', b.description, 'destination', b.destination, 'vehicle', b.vehicle, 'capacity', b.capacity,"
    " 'status', b.status), 'area', a.name))"
    " FROM bills b LEFT JOIN users u ON u.id = b.created_by LEFT JOIN areas a ON a.id = b.area_id"
    " WHERE b.uid NOT IN (SELECT uid FROM sync_outbox) ORDER BY b.id",
    "INSERT INTO sync_outbox (uid, kind, at, payload)"
    " SELECT bp.uid, 'bill.parent_add', bp.added_at, json_object('uid', bp.uid, 'kind', 'bill.parent_add',"
    " 'at', bp.added_at, 'user', u.username, 'data', json_object('bill', b.code, 'parent', p.code))"
    " FROM bill_parents bp JOIN bills b ON b.id = bp.bill_id JOIN bags p ON p.id = bp.parent_id"
    " LEFT JOIN users u ON u.id = bp.added_by WHERE bp.uid NOT IN (SELECT uid FROM sync_outbox) ORDER BY bp.id",
    "INSERT INTO sync_outbox (uid, kind, at, payload)"
    " SELECT s.uid, 'scan', s.at, json_object('uid', s.uid, 'kind', 'scan', 'at', s.at, 'user', u.username,"
    " 'data', json_object('action', s.action, 'code', s.code, 'parent_code', s.parent_code, 'bill_code', s.bill_code,"
    " 'result', s.result, 'reason', s.reason, 'client', s.client, 'client_scan_id', s.client_scan_id, 'area', a.name))"
    " FROM scan_events s LEFT JOIN users u ON u.id = s.user_id LEFT JOIN areas a ON a.id = s.area_id"
    " WHERE s.uid NOT IN (SELECT uid FROM sync_outbox) ORDER BY s.id",
    "INSERT INTO sync_outbox (uid, kind, at, payload)"
    " SELECT l.uid, 'audit', l.at, json_object('uid', l.uid, 'kind', 'audit', 'at', l.at, 'user', l.username,"
    " 'data', json_object('audit', json_object('action', l.action, 'entity', l.entity, 'key', l.entity_key,"
    " 'before', json(l.before_json), 'after', json(l.after_json), 'client', l.client)))"
    " FROM audit_log l WHERE l.uid NOT IN (SELECT uid FROM sync_outbox) ORDER BY l.id",
};

}  // namespace

asio::awaitable<void> append(Tx& tx, const NewOutboxOp& op) {
  co_await tx.exec_deferred(
      "INSERT INTO sync_outbox (uid, kind, at, payload, area_id, extra, effect_uid) VALUES ($1, $2, $3, $4, $5, $6, $7)",
      params(op.uid, op.kind, op.at, op.payload, op.area_id, op.extra, op.effect_uid));
}

namespace {

// A reference names its scan event by the row's uid, its audit entry by the row's uid or, for a
// scan, by effect_uid: each join one probe of a UNIQUE index.
constexpr std::string_view kAfter =
    "SELECT o.seq, o.uid, o.kind, o.at, o.payload, a.name, o.extra,"
    " s.uid, s.at, su.username, s.client, s.action, s.code, s.parent_code, s.bill_code, s.result, s.reason,"
    " s.client_scan_id,"
    " l.uid, l.at, l.username, l.action, l.entity, l.entity_key, l.before_json, l.after_json, l.client,"
    " o.effect_uid"
    " FROM sync_outbox o LEFT JOIN areas a ON a.id = o.area_id"
    " LEFT JOIN scan_events s ON o.payload IS NULL AND o.kind = 'scan' AND s.uid = o.uid"
    " LEFT JOIN users su ON su.id = s.user_id"
    " LEFT JOIN audit_log l ON o.payload IS NULL"
    " AND l.uid = (CASE WHEN o.kind = 'scan' THEN o.effect_uid ELSE o.uid END)"
    " WHERE o.seq > $1 ORDER BY o.seq LIMIT $2";

ScanEventRow scan_of(const Row& r) {
  ScanEventRow s;
  s.uid = r.text(7);
  s.at = r.i64(8);
  s.client = r.opt_text(10);
  s.action = r.text(11);
  s.code = r.text(12);
  s.parent_code = r.opt_text(13);
  s.bill_code = r.opt_text(14);
  s.result = r.text(15);
  s.reason = r.opt_text(16);
  s.client_scan_id = r.opt_text(17);
  return s;
}

NewAuditRow audit_of(const Row& r) {
  NewAuditRow l;
  l.uid = r.text(18);
  l.at = r.i64(19);
  l.username = r.opt_text(20);
  l.action = r.text(21);
  l.entity = r.text(22);
  l.entity_key = r.opt_text(23);
  l.before_json = r.opt_text(24);
  l.after_json = r.opt_text(25);
  l.client = r.opt_text(26);
  return l;
}

// One row of kAfter, its reference resolved. A plain function: the coroutine rule of
// storage/job.hpp (no conditional expressions of class type inside a coroutine).
OutboxRow outbox_row_of(const Row& r) {
  OutboxRow o;
  o.seq = r.i64(0);
  o.uid = r.text(1);
  o.kind = r.text(2);
  o.at = r.i64(3);
  o.payload = r.opt_text(4);
  o.area = r.opt_text(5);
  o.extra = r.opt_text(6);
  if (o.payload) return o;
  // The history tables refuse DELETE: a reference without its row is a damaged database.
  const bool is_scan = o.kind == "scan";
  if (is_scan && r.is_null(7)) {
    throw DbError("outbox operation " + std::to_string(o.seq) + " names scan event " + o.uid + ", which is not there");
  }
  const std::optional<std::string> audit_uid = is_scan ? r.opt_text(27) : std::optional<std::string>(o.uid);
  if (audit_uid && r.is_null(18)) {
    throw DbError("outbox operation " + std::to_string(o.seq) + " names audit entry " + *audit_uid + ", which is not there");
  }
  if (is_scan) {
    o.scan = scan_of(r);
    o.scan_user = r.opt_text(9);
  }
  if (!r.is_null(18)) o.audit = audit_of(r);
  return o;
}

}  // namespace

asio::awaitable<std::vector<OutboxRow>> after(Tx& tx, std::int64_t after_seq, std::int64_t limit) {
  const Rows rows = co_await tx.query(kAfter, params(after_seq, limit));
  std::vector<OutboxRow> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(outbox_row_of(r));
  co_return out;
}

asio::awaitable<OutboxBacklog> backlog(Tx& tx, std::int64_t acked_seq) {
  auto row = co_await tx.query_one(
      "SELECT (SELECT COUNT(*) FROM sync_outbox WHERE seq > $1),"
      " (SELECT at FROM sync_outbox WHERE seq > $1 ORDER BY seq LIMIT 1),"
      " (SELECT COALESCE(MAX(seq), 0) FROM sync_outbox)",
      params(acked_seq));
  OutboxBacklog out;
  if (row) {
    out.ops = row->i64(0);
    out.oldest_at = row->opt_i64(1);
    out.last_seq = row->i64(2);
  }
  co_return out;
}

asio::awaitable<std::int64_t> last_seq(Tx& tx) {
  auto row = co_await tx.query_one("SELECT COALESCE(MAX(seq), 0) FROM sync_outbox");
  co_return row ? row->i64(0) : 0;
}

asio::awaitable<bool> any_unsent(Tx& tx) {
  auto row = co_await tx.query_one(
      "SELECT 1 FROM sync_outbox WHERE seq > (SELECT acked_seq FROM sync_depot WHERE id = 1) LIMIT 1");
  co_return row.has_value();
}

asio::awaitable<std::int64_t> snapshot(Tx& tx) {
  std::int64_t written = 0;
  for (std::string_view sql : kSnapshot) written += co_await tx.exec(sql);
  co_return written;
}

// Only an unbroken run from the oldest kept: `at` does not rise with seq (the snapshot of first
// enablement writes each row with its own time; a clock put right), and a hole in the middle would
// let a restored head office be sent what follows it as if nothing were missing.
constexpr std::string_view kPrunable =
    " FROM sync_outbox WHERE seq <= $1"
    " AND seq < COALESCE((SELECT MIN(seq) FROM sync_outbox WHERE at >= $2), $1 + 1)";

asio::awaitable<std::int64_t> prune(Tx& tx, std::int64_t acked_seq, std::int64_t before) {
  const std::string count_sql = "SELECT COUNT(*)" + std::string(kPrunable);
  auto row = co_await tx.query_one(count_sql, params(acked_seq, before));
  const std::int64_t count = row ? row->i64(0) : 0;
  const std::string delete_sql = "DELETE" + std::string(kPrunable);
  if (count > 0) co_await tx.exec(delete_sql, params(acked_seq, before));
  co_return count;
}

asio::awaitable<std::optional<std::int64_t>> first_seq(Tx& tx) {
  auto row = co_await tx.query_one("SELECT seq FROM sync_outbox ORDER BY seq LIMIT 1");
  if (!row) co_return std::nullopt;
  co_return row->i64(0);
}

}  // namespace sync_outbox

namespace sync_depot {

asio::awaitable<std::optional<SyncDepotRow>> read(Tx& tx) {
  auto row = co_await tx.query_one(
      "SELECT site_uid, enabled_at, acked_seq, last_success_at, last_error, last_error_at, blocked FROM sync_depot");
  if (!row) co_return std::nullopt;
  SyncDepotRow out;
  out.site_uid = row->text(0);
  out.enabled_at = row->i64(1);
  out.acked_seq = row->i64(2);
  out.last_success_at = row->opt_i64(3);
  out.last_error = row->opt_text(4);
  out.last_error_at = row->opt_i64(5);
  out.blocked = row->opt_text(6);
  co_return out;
}

asio::awaitable<void> enable(Tx& tx, const std::string& site_uid, std::int64_t at) {
  co_await tx.exec("INSERT INTO sync_depot (id, site_uid, enabled_at) VALUES (1, $1, $2)", params(site_uid, at));
}

asio::awaitable<void> record_success(Tx& tx, std::int64_t acked_seq, std::int64_t at) {
  co_await tx.exec(
      "UPDATE sync_depot SET acked_seq = MAX(acked_seq, $1), last_success_at = $2, last_error = NULL,"
      " last_error_at = NULL, blocked = NULL",
      params(acked_seq, at));
}

asio::awaitable<void> record_error(Tx& tx, std::string error, std::optional<std::string> blocked, std::int64_t at) {
  co_await tx.exec("UPDATE sync_depot SET last_error = $1, last_error_at = $2, blocked = $3",
                   params(std::move(error), at, std::move(blocked)));
}

asio::awaitable<void> rewind(Tx& tx, std::int64_t acked_seq) {
  co_await tx.exec("UPDATE sync_depot SET acked_seq = $1", params(acked_seq));
}

}  // namespace sync_depot
}  // namespace tt::storage
