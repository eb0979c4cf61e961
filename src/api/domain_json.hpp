// JSON shapes of bags, bills, link changes and dashboard figures (SPEC §4). Times are ISO 8601
// UTC; weights are kilograms.
#pragma once

#include <nlohmann/json.hpp>

#include "services/bags.hpp"
#include "services/bills.hpp"
#include "services/links.hpp"
#include "services/stats.hpp"

namespace tt::api {

// {code, type, kind, area, status, child_count, capacity, parent, children, bill, weight_kg, ...,
//  history (when the detail has it)}
nlohmann::json bag_json(const services::BagDetail& bag, bool with_history);
nlohmann::json bag_summary_json(const services::BagSummary& bag);
nlohmann::json bill_json(const services::Bill& bill);
nlohmann::json bill_detail_json(const services::BillDetail& detail);
nlohmann::json link_change_json(const services::LinkChange& change);
nlohmann::json stats_json(const services::Stats& stats);

}  // namespace tt::api
