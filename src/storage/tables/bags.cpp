#include "storage/tables/bags.hpp"

#include <algorithm>

#include "util/ids.hpp"

namespace tt::storage::bags {

namespace {

// Constant texts: each backend prepares a statement once per connection.
constexpr std::string_view kFind = "SELECT id, type, area_id FROM bags WHERE code = $1";
constexpr std::string_view kLockPair = "SELECT id FROM bags WHERE id IN ($1, $2) ORDER BY id";
constexpr std::string_view kInsertChild =
    "INSERT INTO bags (uid, code, type, kind, area_id, created_by, created_at)"
    " VALUES ($1, $2, 'child', NULL, $3, $4, $5) ON CONFLICT (code) DO NOTHING RETURNING id";
constexpr std::string_view kInsertParent =
    "INSERT INTO bags (uid, code, type, kind, area_id, created_by, created_at)"
    " VALUES ($1, $2, 'parent', $3, $4, $5, $6) ON CONFLICT (code) DO NOTHING RETURNING id";

std::optional<BagRef> ref_of(const std::optional<Row>& row) {
  if (!row) return std::nullopt;
  return BagRef{row->i64(0), row->text(1), row->opt_i64(2)};
}

}  // namespace

asio::awaitable<std::optional<BagRef>> find(Tx& tx, const std::string& code) {
  auto row = co_await tx.query_one(kFind, params(code));
  co_return ref_of(row);
}

asio::awaitable<std::optional<BagIdentity>> identity(Tx& tx, const std::string& code) {
  auto row = co_await tx.query_one(
      "SELECT b.uid, b.type, b.kind, a.name FROM bags b LEFT JOIN areas a ON a.id = b.area_id WHERE b.code = $1",
      params(code));
  if (!row) co_return std::nullopt;
  co_return BagIdentity{row->text(0), row->text(1), row->opt_text(2), row->opt_text(3)};
}

asio::awaitable<std::optional<BagRef>> find_locked(Tx& tx, const std::string& code) {
  auto row = co_await tx.query_one_locked(kFind, params(code));
  co_return ref_of(row);
}

asio::awaitable<void> lock(Tx& tx, std::int64_t a, std::int64_t b) {
  co_await tx.lock_rows(kLockPair, params(std::min(a, b), std::max(a, b)));
}

Query insert_query(const NewBag& bag) {
  if (bag.kind) {
    return Query{kInsertParent, params(bag.uid, bag.code, *bag.kind, bag.area_id, bag.created_by, bag.at)};
  }
  return Query{kInsertChild, params(bag.uid, bag.code, bag.area_id, bag.created_by, bag.at)};
}

asio::awaitable<std::optional<std::int64_t>> insert(Tx& tx, const NewBag& bag) {
  Query q = insert_query(bag);
  std::optional<Row> row = co_await tx.query_one(q.sql, std::move(q.params));
  if (!row) co_return std::nullopt;
  co_return row->i64(0);
}

asio::awaitable<void> remove(Tx& tx, std::int64_t id) {
  co_await tx.exec("DELETE FROM bags WHERE id = $1", params(id));
}

asio::awaitable<std::int64_t> move_to_area(Tx& tx, std::int64_t parent_id, std::int64_t area_id) {
  co_return co_await tx.exec(
      "UPDATE bags SET area_id = $1 WHERE id = $2 OR id IN (SELECT child_id FROM links WHERE parent_id = $2)",
      params(area_id, parent_id));
}

}  // namespace tt::storage::bags
