#include "services/areas.hpp"

#include "domain/user_rules.hpp"
#include "domain/errors.hpp"
#include "storage/tables/areas.hpp"
#include "util/time.hpp"

namespace tt::services {

namespace {
Area area_from(storage::AreaRow r) { return Area{r.id, std::move(r.uid), std::move(r.name), r.created_at}; }
}  // namespace

domain::Failure no_area_named(domain::Error code, const std::string& name) {
  return domain::Failure(code, "There is no area named '" + name + "'.");
}

asio::awaitable<std::optional<Area>> find_area(storage::Tx& tx, std::string name) {
  const std::string trimmed = domain::trim(name);
  auto row = co_await storage::areas::find_area_by_name(tx, trimmed);
  if (!row) co_return std::nullopt;
  co_return area_from(std::move(*row));
}

asio::awaitable<Area> require_area(storage::Tx& tx, std::string name) {
  auto found = co_await find_area(tx, name);
  if (!found) throw no_area_named(domain::Error::unknown_area, domain::trim(name));
  co_return std::move(*found);
}

asio::awaitable<std::string> area_name(storage::Tx& tx, std::optional<std::int64_t> id) {
  if (!id) co_return std::string();
  auto name = co_await storage::areas::name_of(tx, *id);
  co_return name.value_or(std::string());
}

asio::awaitable<std::vector<Area>> list_areas(storage::Tx& tx) {
  auto rows = co_await storage::areas::list(tx);
  std::vector<Area> out;
  out.reserve(rows.size());
  for (auto& r : rows) out.push_back(area_from(std::move(r)));
  co_return out;
}

asio::awaitable<Area> create_area(storage::Tx& tx, Actor actor, std::string raw_name) {
  std::string name = domain::trim(raw_name);
  if (auto err = domain::validate_area_name(name)) throw domain::Failure(domain::Error::invalid_area_name, *err);
  auto row = co_await storage::areas::insert(tx, name, util::now_us());
  if (!row) throw domain::Failure(domain::Error::area_exists, "An area named '" + name + "' already exists.");
  Area area = area_from(std::move(*row));
  // Built before the co_await (the coroutine rule: storage/job.hpp).
  AuditEntry entry{AuditAction::area_create, "area", area.name, std::nullopt, nlohmann::json{{"name", area.name}}};
  co_await record_audit(tx, std::move(actor), std::move(entry));
  co_return area;
}

}  // namespace tt::services
