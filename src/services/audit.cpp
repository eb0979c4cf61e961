#include "services/audit.hpp"

#include "util/ids.hpp"
#include "util/time.hpp"

namespace tt::services {

namespace {

asio::awaitable<void> insert_audit(storage::Tx& tx, storage::Params p) {
  // Deferred: on PostgreSQL it travels with the next statement or the commit.
  co_await tx.exec_deferred(
      "INSERT INTO audit_log (uid, at, user_id, username, action, entity, entity_key, before_json, after_json, client)"
      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
      std::move(p));
}

}  // namespace

asio::awaitable<void> record_audit(storage::Tx& tx, const Actor& actor, const AuditEntry& entry) {
  std::optional<std::string> before, after, client, username;
  if (entry.before) before = entry.before->dump();
  if (entry.after) after = entry.after->dump();
  if (!actor.client.empty()) client = actor.client;
  if (!actor.username.empty()) username = actor.username;
  return insert_audit(tx, storage::params(util::uuid_v7(), util::now_us(), actor.user(), username, entry.action,
                                          entry.entity, entry.entity_key, before, after, client));
}

asio::awaitable<std::vector<AuditRecord>> list_audit(storage::Tx& tx, AuditFilter f) {
  std::string sql =
      "SELECT id, uid, at, username, action, entity, entity_key, before_json, after_json, client"
      " FROM audit_log WHERE 1 = 1";
  storage::Params p;
  auto add = [&](const char* clause, storage::Value v) {
    p.push_back(std::move(v));
    sql += " AND ";
    sql += clause;
    sql += std::to_string(p.size());
  };
  if (f.entity) add("entity = $", *f.entity);
  if (f.entity_key) add("entity_key = $", *f.entity_key);
  if (f.username) add("lower(username) = $", *f.username);
  if (f.action) add("action = $", *f.action);
  if (f.from) add("at >= $", *f.from);
  if (f.to) add("at < $", *f.to);
  p.push_back(f.limit);
  sql += " ORDER BY at DESC, id DESC LIMIT $" + std::to_string(p.size());
  p.push_back(f.offset);
  sql += " OFFSET $" + std::to_string(p.size());
  auto rows = co_await tx.query(sql, std::move(p));
  std::vector<AuditRecord> out;
  out.reserve(rows.size());
  for (const auto& r : rows) {
    out.push_back(AuditRecord{r.i64(0), r.text(1), r.i64(2), r.opt_text(3), r.text(4), r.text(5), r.opt_text(6),
                              r.opt_text(7), r.opt_text(8), r.opt_text(9)});
  }
  co_return out;
}

}  // namespace tt::services
