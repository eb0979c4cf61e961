// The JSON shapes of the API's answers (SPEC §4): bags, bills, link changes, dashboard figures,
// users, areas, API tokens and audit entries. Times are ISO 8601 UTC; weights are kilograms; ids
// are the rows' public uids, never internal row numbers.
#pragma once

#include <nlohmann/json.hpp>

#include "services/audit.hpp"
#include "services/areas.hpp"
#include "services/bags.hpp"
#include "services/bills.hpp"
#include "services/imports.hpp"
#include "services/returns.hpp"
#include "services/links.hpp"
#include "services/stats.hpp"
#include "accounts/tokens.hpp"
#include "services/sites.hpp"
#include "services/users.hpp"

namespace tt::api {

// Text or null; an instant (microseconds since the epoch) as ISO 8601 UTC, or null.
nlohmann::json opt_json(const std::optional<std::string>& v);
nlohmann::json opt_time(const std::optional<std::int64_t>& us);

nlohmann::json bag_json(const services::BagDetail& bag, bool with_history);
nlohmann::json bag_summary_json(const services::BagSummary& bag);
nlohmann::json bill_json(const services::Bill& bill);
nlohmann::json bill_detail_json(const services::BillDetail& detail);
nlohmann::json link_change_json(const services::LinkChange& change);
nlohmann::json stats_json(const services::Stats& stats);
nlohmann::json user_json(const services::User& u);
nlohmann::json area_json(const services::Area& a);
nlohmann::json token_json(const accounts::TokenInfo& t);  // never contains the secret
nlohmann::json site_json(const services::Site& s);        // never contains the token
nlohmann::json audit_json(const services::AuditRecord& r);
// {mode, applied, rows, changed, unchanged, rejected, rejections: [{line, parent, child, bill, code,
// message}], created: {parents, children, bills}, links, bill_adds, import?}
nlohmann::json import_report_json(const services::ImportReport& r);
// {code, note, status, area, created_by, created_at, closed_by, closed_at, bag_count}
nlohmann::json return_ticket_json(const services::ReturnTicket& t);
// The ticket with bags: [{code, kind, bill, child_count, weight_kg, children, added_at, added_by}]
nlohmann::json return_json(const services::ReturnDetail& r);

}  // namespace tt::api
