#include "services/areas.hpp"

#include "domain/user_rules.hpp"
#include "domain/errors.hpp"
#include "util/ids.hpp"
#include "util/time.hpp"

namespace tt::services {

namespace {
Area area_from(const storage::Row& r) { return Area{r.i64(0), r.text(1), r.text(2), r.i64(3)}; }
}  // namespace

asio::awaitable<std::optional<Area>> find_area(storage::Tx& tx, std::string name) {
  auto row = co_await tx.query_one("SELECT id, uid, name, created_at FROM areas WHERE lower(name) = lower($1)",
                                   storage::params(domain::trim(name)));
  if (!row) co_return std::nullopt;
  co_return area_from(*row);
}

asio::awaitable<Area> require_area(storage::Tx& tx, std::string name) {
  auto found = co_await find_area(tx, name);
  if (!found) throw domain::Failure(domain::Error::unknown_area, "There is no area named '" + domain::trim(name) + "'.");
  co_return std::move(*found);
}

asio::awaitable<std::string> area_name(storage::Tx& tx, std::optional<std::int64_t> id) {
  if (!id) co_return std::string();
  auto row = co_await tx.query_one("SELECT name FROM areas WHERE id = $1", storage::params(*id));
  co_return row ? row->text(0) : std::string();
}

asio::awaitable<std::vector<Area>> list_areas(storage::Tx& tx) {
  auto rows = co_await tx.query("SELECT id, uid, name, created_at FROM areas ORDER BY lower(name)");
  std::vector<Area> out;
  for (const auto& r : rows) out.push_back(area_from(r));
  co_return out;
}

asio::awaitable<Area> create_area(storage::Tx& tx, Actor actor, std::string raw_name) {
  std::string name = domain::trim(raw_name);
  if (auto err = domain::validate_area_name(name)) throw domain::Failure(domain::Error::invalid_area_name, *err);
  // ON CONFLICT rather than catching the unique violation: PostgreSQL would abort the transaction.
  auto row = co_await tx.query_one(
      "INSERT INTO areas (uid, name, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING"
      " RETURNING id, uid, name, created_at",
      storage::params(util::uuid_v7(), name, util::now_us()));
  if (!row) throw domain::Failure(domain::Error::area_exists, "An area named '" + name + "' already exists.");
  Area area = area_from(*row);
  // Built before the co_await (the coroutine rule: storage/job.hpp).
  AuditEntry entry{AuditAction::area_create, "area", area.name, std::nullopt, nlohmann::json{{"name", area.name}}};
  co_await record_audit(tx, std::move(actor), std::move(entry));
  co_return area;
}

}  // namespace tt::services
