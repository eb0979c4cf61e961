#include "services/report_area.hpp"

#include "services/areas.hpp"
#include "storage/tables/areas.hpp"

namespace tt::services {

boost::asio::awaitable<ReportArea> find_report_area(storage::Tx& tx, std::string name) {
  auto row = co_await storage::areas::find_area_by_name(tx, name);
  if (!row) throw no_area_named(domain::Error::not_found, name);
  co_return ReportArea{row->id, std::move(row->name)};
}

}  // namespace tt::services
