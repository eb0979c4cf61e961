#include "storage/tables/audit_log.hpp"

#include "storage/sql_text.hpp"
#include "util/ids.hpp"

namespace tt::storage::audit_log {

asio::awaitable<void> insert(Tx& tx, const NewAuditRow& r) {
  return tx.append_row(
      "INSERT INTO audit_log (uid, at, user_id, username, action, entity, entity_key, before_json, after_json, client)",
      params(r.uid, r.at, r.user_id, r.username, r.action, r.entity, r.entity_key, r.before_json,
             r.after_json, r.client));
}

asio::awaitable<std::vector<AuditRecord>> select(Tx& tx, const AuditFilter& f) {
  std::string sql =
      "SELECT id, uid, at, username, action, entity, entity_key, before_json, after_json, client"
      " FROM audit_log WHERE 1 = 1";
  Params p;
  if (f.entity) sql += " AND entity = " + placeholder(p, *f.entity);
  if (f.entity_key) sql += " AND entity_key = " + placeholder(p, *f.entity_key);
  if (f.username) sql += " AND lower(username) = " + placeholder(p, *f.username);
  if (f.action) sql += " AND action = " + placeholder(p, *f.action);
  if (f.from) sql += " AND at >= " + placeholder(p, *f.from);
  if (f.to) sql += " AND at < " + placeholder(p, *f.to);
  sql += " ORDER BY at DESC, id DESC LIMIT " + placeholder(p, f.limit);
  sql += " OFFSET " + placeholder(p, f.offset);
  auto rows = co_await tx.query(sql, std::move(p));
  std::vector<AuditRecord> out;
  out.reserve(rows.size());
  for (const auto& r : rows) {
    out.push_back(AuditRecord{r.i64(0), r.text(1), r.i64(2), r.opt_text(3), r.text(4), r.text(5), r.opt_text(6),
                              r.opt_text(7), r.opt_text(8), r.opt_text(9)});
  }
  co_return out;
}

}  // namespace tt::storage::audit_log
