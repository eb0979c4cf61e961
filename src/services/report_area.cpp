#include "services/report_area.hpp"

#include "domain/errors.hpp"

namespace tt::services {

boost::asio::awaitable<ReportArea> find_report_area(storage::Tx& tx, std::string name) {
  const auto row = co_await tx.query_one("SELECT id, name FROM areas WHERE lower(name) = lower($1)",
                                         storage::params(name));
  if (!row) throw domain::Failure(domain::Error::not_found, "There is no area " + name + ".");
  co_return ReportArea{row->i64(0), row->text(1)};
}

}  // namespace tt::services
