#include "storage/tables/areas.hpp"

#include "storage/sql_text.hpp"
#include "util/ids.hpp"

namespace tt::storage::areas {

namespace {

constexpr std::string_view kByName = "SELECT id, uid, name, created_at FROM areas WHERE lower(name) = lower($1)";
constexpr std::string_view kNameOf = "SELECT name FROM areas WHERE id = $1";
constexpr std::string_view kList = "SELECT id, uid, name, created_at FROM areas ORDER BY lower(name)";
constexpr std::string_view kNames = "SELECT id, name FROM areas";
constexpr std::string_view kInsert =
    "INSERT INTO areas (uid, name, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING"
    " RETURNING id, uid, name, created_at";

AreaRow area_from(const Row& r) { return AreaRow{r.i64(0), r.text(1), r.text(2), r.i64(3)}; }

}  // namespace

asio::awaitable<std::optional<AreaRow>> find_area_by_name(Tx& tx, const std::string& name) {
  auto row = co_await tx.query_one(kByName, params(name));
  if (!row) co_return std::nullopt;
  co_return area_from(*row);
}

std::string id_by_name_subquery(Params& p, const std::string& name) {
  return "(SELECT id FROM areas WHERE lower(name) = lower(" + placeholder(p, name) + "))";
}

asio::awaitable<std::optional<std::string>> name_of(Tx& tx, std::int64_t id) {
  auto row = co_await tx.query_one(kNameOf, params(id));
  if (!row) co_return std::nullopt;
  co_return row->text(0);
}

asio::awaitable<std::vector<AreaRow>> list(Tx& tx) {
  const Rows rows = co_await tx.query(kList);
  std::vector<AreaRow> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(area_from(r));
  co_return out;
}

asio::awaitable<std::vector<std::pair<std::int64_t, std::string>>> names(Tx& tx) {
  const Rows rows = co_await tx.query(kNames);
  std::vector<std::pair<std::int64_t, std::string>> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.emplace_back(r.i64(0), r.text(1));
  co_return out;
}

asio::awaitable<std::optional<AreaRow>> insert(Tx& tx, const std::string& name, std::int64_t at) {
  auto row = co_await tx.query_one(kInsert, params(util::uuid_v7(), name, at));
  if (!row) co_return std::nullopt;
  co_return area_from(*row);
}

}  // namespace tt::storage::areas
