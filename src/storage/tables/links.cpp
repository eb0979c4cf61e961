#include "storage/tables/links.hpp"

#include "util/ids.hpp"

namespace tt::storage::links {

namespace {

constexpr std::string_view kOfChild =
    "SELECT l.id, l.parent_id, p.code, p.area_id FROM links l JOIN bags p ON p.id = l.parent_id WHERE l.child_id = $1";
constexpr std::string_view kChildCount = "SELECT COUNT(*) FROM links WHERE parent_id = $1";
constexpr std::string_view kParentState =
    "SELECT (SELECT COUNT(*) FROM links WHERE parent_id = $1),"
    " (SELECT b.code FROM bill_parents bp JOIN bills b ON b.id = bp.bill_id"
    " WHERE bp.parent_id = $1 AND b.status = 'completed')";
constexpr std::string_view kChildState =
    "SELECT c.id, c.type, l.parent_id, p.code, p.area_id FROM bags c"
    " LEFT JOIN links l ON l.child_id = c.id LEFT JOIN bags p ON p.id = l.parent_id WHERE c.code = $1";
constexpr std::string_view kFindParent = "SELECT id, type, area_id FROM bags WHERE code = $1";
constexpr std::string_view kParentStateByCode =
    "SELECT (SELECT COUNT(*) FROM links WHERE parent_id = p.id),"
    " (SELECT b.code FROM bill_parents bp JOIN bills b ON b.id = bp.bill_id"
    " WHERE bp.parent_id = p.id AND b.status = 'completed') FROM bags p WHERE p.code = $1";
// PostgreSQL: the child bag and its link in one statement. No row when the bag's code was taken
// by another transaction meanwhile (ON CONFLICT DO NOTHING leaves the CTE empty).
constexpr std::string_view kInsertLinkedChild =
    "WITH c AS (INSERT INTO bags (uid, code, type, kind, area_id, created_by, created_at)"
    " VALUES ($1, $2, 'child', NULL, $3, $4, $5) ON CONFLICT (code) DO NOTHING RETURNING id)"
    " INSERT INTO links (uid, parent_id, child_id, created_by, created_at)"
    " SELECT $6, $7, c.id, $4, $5 FROM c RETURNING child_id";
constexpr std::string_view kInsert =
    "INSERT INTO links (uid, parent_id, child_id, created_by, created_at)"
    " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (child_id) DO NOTHING RETURNING id";

// The three reads of child_scan_facts (a plain function: the coroutine rule, storage/job.hpp).
Queries child_scan_queries(const std::string& parent_code, const std::string& child_code) {
  Queries q(3);
  q[0] = Query{kFindParent, params(parent_code), true};
  q[1] = Query{kParentStateByCode, params(parent_code), false};
  q[2] = Query{kChildState, params(child_code), false};
  return q;
}

ChildState child_state_of(const Row& r) {
  return ChildState{r.i64(0), r.text(1), r.opt_i64(2), r.opt_text(3), r.opt_i64(4)};
}

}  // namespace

asio::awaitable<ChildScanFacts> child_scan_facts(Tx& tx, const std::string& parent_code, const std::string& child_code) {
  const std::vector<Rows> rows = co_await tx.query_all(child_scan_queries(parent_code, child_code));
  ChildScanFacts out;
  if (!rows[0].empty()) {
    const Row& p = rows[0].front();
    out.parent = BagRef{p.i64(0), p.text(1), p.opt_i64(2)};
  }
  if (!rows[1].empty()) out.parent_state = ParentState{rows[1].front().i64(0), rows[1].front().opt_text(1)};
  if (!rows[2].empty()) out.child = child_state_of(rows[2].front());
  co_return out;
}

asio::awaitable<std::optional<std::int64_t>> insert_linked_child(Tx& tx, const NewBag& child, std::int64_t parent_id,
                                                                 const std::string& link_uid) {
  if (tx.dialect() == Dialect::postgres) {
    auto row = co_await tx.query_one(kInsertLinkedChild, params(child.uid, child.code, child.area_id,
                                                                child.created_by, child.at, link_uid, parent_id));
    if (!row) co_return std::nullopt;
    co_return row->i64(0);
  }
  // SQLite has no INSERT inside WITH; its statements cost no round trip.
  const std::optional<std::int64_t> child_id = co_await bags::insert(tx, child);
  if (!child_id) co_return std::nullopt;
  const std::optional<std::int64_t> link = co_await insert(tx, link_uid, parent_id, *child_id, child.created_by, child.at);
  if (!link) throw DbError("bag " + child.code + " was created and then found linked");
  co_return child_id;
}

asio::awaitable<std::optional<LinkRef>> of_child(Tx& tx, std::int64_t child_id) {
  auto row = co_await tx.query_one(kOfChild, params(child_id));
  if (!row) co_return std::nullopt;
  co_return LinkRef{row->i64(0), row->i64(1), row->text(2), row->opt_i64(3)};
}

asio::awaitable<std::int64_t> child_count(Tx& tx, std::int64_t parent_id) {
  auto row = co_await tx.query_one(kChildCount, params(parent_id));
  co_return row->i64(0);
}

asio::awaitable<ParentState> parent_state(Tx& tx, std::int64_t parent_id) {
  auto row = co_await tx.query_one(kParentState, params(parent_id));
  co_return ParentState{row->i64(0), row->opt_text(1)};
}

asio::awaitable<std::optional<ChildState>> child_state(Tx& tx, const std::string& child_code) {
  auto row = co_await tx.query_one(kChildState, params(child_code));
  if (!row) co_return std::nullopt;
  co_return child_state_of(*row);
}

asio::awaitable<std::vector<std::string>> child_codes(Tx& tx, std::int64_t parent_id) {
  auto rows = co_await tx.query(
      "SELECT c.code FROM links l JOIN bags c ON c.id = l.child_id WHERE l.parent_id = $1 ORDER BY l.id",
      params(parent_id));
  std::vector<std::string> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(r.text(0));
  co_return out;
}

asio::awaitable<std::optional<MadeLink>> last_made_by(Tx& tx, std::int64_t user_id, std::int64_t since) {
  auto row = co_await tx.query_one(
      "SELECT l.id, l.parent_id, c.code, p.code, p.area_id FROM links l"
      " JOIN bags c ON c.id = l.child_id JOIN bags p ON p.id = l.parent_id"
      " WHERE l.created_by = $1 AND l.created_at >= $2 ORDER BY l.created_at DESC, l.id DESC LIMIT 1",
      params(user_id, since));
  if (!row) co_return std::nullopt;
  co_return MadeLink{row->i64(0), row->i64(1), row->text(2), row->text(3), row->opt_i64(4)};
}

asio::awaitable<std::optional<std::int64_t>> parent_of_link(Tx& tx, std::int64_t link_id) {
  auto row = co_await tx.query_one("SELECT parent_id FROM links WHERE id = $1", params(link_id));
  if (!row) co_return std::nullopt;
  co_return row->i64(0);
}

asio::awaitable<std::optional<std::int64_t>> insert(Tx& tx, const std::string& uid, std::int64_t parent_id,
                                                    std::int64_t child_id, std::optional<std::int64_t> user_id,
                                                    std::int64_t at) {
  auto row = co_await tx.query_one(kInsert, params(uid, parent_id, child_id, user_id, at));
  if (!row) co_return std::nullopt;
  co_return row->i64(0);
}

asio::awaitable<void> move(Tx& tx, std::int64_t link_id, std::int64_t parent_id, std::optional<std::int64_t> user_id,
                           std::int64_t at) {
  co_await tx.exec("UPDATE links SET parent_id = $1, created_by = $2, created_at = $3 WHERE id = $4",
                   params(parent_id, user_id, at, link_id));
}

asio::awaitable<void> remove(Tx& tx, std::int64_t link_id) {
  co_await tx.exec("DELETE FROM links WHERE id = $1", params(link_id));
}

asio::awaitable<std::int64_t> remove_children_of(Tx& tx, std::int64_t parent_id) {
  co_return co_await tx.exec("DELETE FROM links WHERE parent_id = $1", params(parent_id));
}

asio::awaitable<std::int64_t> remove_of_child(Tx& tx, std::int64_t child_id) {
  co_return co_await tx.exec("DELETE FROM links WHERE child_id = $1", params(child_id));
}

}  // namespace tt::storage::links
