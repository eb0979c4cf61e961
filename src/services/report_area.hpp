// The area a report is narrowed to (?area=NAME), shared by the reports (services/scan_report.hpp,
// services/bills_summary.hpp).
#pragma once

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <string>

#include "storage/database.hpp"

namespace tt::services {

struct ReportArea {
  std::int64_t id = 0;
  std::string name;  // as stored
};

// The area of that name, any case; throws domain::Failure not_found naming it when there is none
// (a report of an area that does not exist would look like a quiet day).
boost::asio::awaitable<ReportArea> find_report_area(storage::Tx& tx, std::string name);

}  // namespace tt::services
