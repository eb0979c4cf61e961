// Reports (SPEC §3.6, §3.7), for billers and admins (SPEC §2), as JSON for the /reports page and
// as CSV for spreadsheets:
//   GET /api/v1/reports/scans      ?date&area        the daily scan report (services/scan_report.hpp)
//   GET /api/v1/reports/scans.csv  ?date&area&raw    one line per hour, user, area, outcome, reason
//   GET /api/v1/reports/bills      ?from&to&area     the bills summary (services/bills_summary.hpp)
//   GET /api/v1/reports/bills.csv  ?from&to&area&raw one line per bill
// Dates are bare dates, whole days in the depot's time zone (SPEC §3.5); `date` and `to` default
// to today there, `from` to 29 days before `to`. A date that is no date, or a timestamp, is 400
// invalid_request; an area that does not exist is 404 not_found. Both files are small enough to
// be built whole (the services' headers say how large they get).
#include <nlohmann/json.hpp>

#include <algorithm>
#include <string>

#include "api/deps.hpp"
#include "api/request_fields.hpp"
#include "api/json_shapes.hpp"
#include "api/routes.hpp"
#include "domain/date_filter.hpp"
#include "domain/errors.hpp"
#include "domain/role.hpp"
#include "services/bills_summary.hpp"
#include "services/scan_report.hpp"
#include "util/time.hpp"

namespace tt::api {

namespace {

using http::Access;
using http::RequestContext;
using http::Response;
using nlohmann::json;

constexpr std::int64_t kDefaultSummaryDays = 30;

// The day a date parameter names, or `otherwise` when it is absent or empty.
domain::LocalDay day_param(const http::Request& req, const char* name, const util::TimeZone& zone,
                           const domain::LocalDay& otherwise) {
  const auto text = query_text(req, name);
  if (!text) return otherwise;
  auto day = domain::parse_local_day(*text, zone);
  if (!day) {
    throw domain::Failure(domain::Error::invalid_request,
                          "The parameter '" + std::string(name) + "' must be a date such as 2026-11-29.");
  }
  return *day;
}

services::ScanReportQuery scan_query(const http::Request& req, const util::TimeZone& zone) {
  services::ScanReportQuery q;
  q.zone = zone;
  q.day = day_param(req, "date", zone, domain::local_day_at(util::now_us(), zone));
  q.area = query_text(req, "area");
  q.site = query_text(req, "site");
  return q;
}

services::BillsSummaryQuery summary_query(const http::Request& req, const util::TimeZone& zone) {
  services::BillsSummaryQuery q;
  q.zone = zone;
  q.to = day_param(req, "to", zone, domain::local_day_at(util::now_us(), zone));
  q.from = day_param(req, "from", zone, domain::local_day(q.to.number - (kDefaultSummaryDays - 1), zone));
  q.area = query_text(req, "area");
  q.site = query_text(req, "site");
  return q;
}

json counts_json(const services::OutcomeCounts& c) {
  json j = {{"scans", c.total()}};
  for (std::string_view outcome : services::kScanOutcomes) j[std::string(outcome)] = c.of(outcome);
  return j;
}

json groups_json(const std::vector<services::ScanReportGroup>& groups, const char* key) {
  json out = json::array();
  for (const auto& g : groups) {
    json j = counts_json(g.counts);
    j[key] = g.name;
    out.push_back(std::move(j));
  }
  return out;
}

json area_json_or_null(const std::optional<std::string>& area) { return area ? json(*area) : json(nullptr); }

json scan_report_json(const services::ScanReport& r) {
  json hours = json::array();
  for (const auto& h : r.hours) {
    json j = counts_json(h.counts);
    j["hour"] = h.index;
    j["label"] = h.label;
    j["start"] = util::format_iso8601(h.start);
    j["utc_offset"] = services::format_utc_offset(h.utc_offset);
    hours.push_back(std::move(j));
  }
  json reasons = json::array();
  for (const auto& [reason, n] : r.rejected_by_reason) reasons.push_back({{"reason", reason}, {"scans", n}});
  json outcomes = json::array();
  for (std::string_view outcome : services::kScanOutcomes) outcomes.push_back(std::string(outcome));
  return json{{"date", r.day.date()},
              {"time_zone", r.time_zone},
              {"start", util::format_iso8601(r.day.start)},
              {"end", util::format_iso8601(r.day.end)},
              {"area", area_json_or_null(r.area)},
              {"outcomes", std::move(outcomes)},
              {"totals", counts_json(r.totals)},
              {"rejected_by_reason", std::move(reasons)},
              {"hours", std::move(hours)},
              {"per_user", groups_json(r.per_user, "user")},
              {"per_area", groups_json(r.per_area, "area")}};
}

json bills_summary_json(const services::BillsSummary& s) {
  json days = json::array();
  for (const auto& d : s.days) days.push_back({{"date", d.day.date()}, {"created", d.created}, {"completed", d.completed}});
  json bills = json::array();
  for (std::size_t i = 0; i < s.bills.size() && i < services::kMaxSummaryBillsShown; ++i) bills.push_back(bill_json(s.bills[i]));
  const auto& t = s.totals;
  return json{{"from", s.from.date()},
              {"to", s.to.date()},
              {"time_zone", s.time_zone},
              {"start", util::format_iso8601(s.from.start)},
              {"end", util::format_iso8601(s.to.end)},
              {"area", area_json_or_null(s.area)},
              {"days", std::move(days)},
              {"totals",
               {{"created", t.created},
                {"completed", t.completed},
                {"bills", t.bills},
                {"parent_count", t.parents},
                {"child_count", t.children},
                {"actual_weight_kg", t.actual_weight_kg},
                {"expected_weight_kg", t.expected_weight_kg},
                {"variance_kg", t.variance_kg}}},
              {"bills", std::move(bills)},
              {"bills_shown", std::min(s.bills.size(), services::kMaxSummaryBillsShown)}};
}

Response csv_file(std::string body, const std::string& name) {
  Response r = http::csv_attachment(name + ".csv");
  r.body = std::move(body);
  return r;
}

bool raw_of(const http::Request& req) { return truthy(query_text(req, "raw").value_or("")); }

asio::awaitable<Response> scans(RequestContext& ctx, Deps& d) {
  const util::TimeZone zone = co_await depot_time_zone(d);
  const services::ScanReportQuery q = scan_query(ctx.req, zone);
  const services::ScanReport report = co_await call_read(ctx, d, services::scan_report, q);
  co_return http::json_response(200, scan_report_json(report));
}

asio::awaitable<Response> scans_csv(RequestContext& ctx, Deps& d) {
  const util::TimeZone zone = co_await depot_time_zone(d);
  const services::ScanReportQuery q = scan_query(ctx.req, zone);
  const services::ScanReport report = co_await call_read(ctx, d, services::scan_report, q);
  co_return csv_file(services::scan_report_csv(report, raw_of(ctx.req)), "tracetrack-scan-report-" + report.day.date());
}

asio::awaitable<Response> bills(RequestContext& ctx, Deps& d) {
  const util::TimeZone zone = co_await depot_time_zone(d);
  const services::BillsSummaryQuery q = summary_query(ctx.req, zone);
  const services::BillsSummary summary = co_await call_read(ctx, d, services::bills_summary, q);
  co_return http::json_response(200, bills_summary_json(summary));
}

asio::awaitable<Response> bills_csv(RequestContext& ctx, Deps& d) {
  const util::TimeZone zone = co_await depot_time_zone(d);
  const services::BillsSummaryQuery q = summary_query(ctx.req, zone);
  const services::BillsSummary summary = co_await call_read(ctx, d, services::bills_summary, q);
  co_return csv_file(services::bills_summary_csv(summary, raw_of(ctx.req)),
                     "tracetrack-bills-summary-" + summary.from.date() + "-to-" + summary.to.date());
}

}  // namespace

std::span<const RouteRow> reports_routes() {
  static const RouteRow rows[] = {
      {"GET", "/api/v1/reports/scans", Access::to(domain::Permission::read_reports), scans},
      {"GET", "/api/v1/reports/scans.csv", Access::to(domain::Permission::read_reports), scans_csv},
      {"GET", "/api/v1/reports/bills", Access::to(domain::Permission::read_reports), bills},
      {"GET", "/api/v1/reports/bills.csv", Access::to(domain::Permission::read_reports), bills_csv},
  };
  return rows;
}

}  // namespace tt::api
