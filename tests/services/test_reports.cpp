// The reports (SPEC §3.6, §3.7) on both backends: the daily scan report counts the scan log by
// outcome, reason, local hour, user and area, in the depot's days (SPEC §3.5: a +05:30 zone, 23-
// and 25-hour days); the bills summary counts bills created and completed per day and gives each
// bill the figures of its page.
#include <doctest/doctest.h>

#include <string>

#include "domain/date_filter.hpp"
#include "domain_world.hpp"
#include "services/areas.hpp"
#include "services/bills_summary.hpp"
#include "services/report_area.hpp"
#include "services/scan_report.hpp"
#include "support/csv_reader.hpp"
#include "util/time.hpp"

using namespace tt;
using namespace tt::test;

namespace {

std::int64_t at(const char* iso) { return *util::parse_iso8601(iso); }

util::TimeZone zone(const char* name) {
  auto z = util::TimeZone::locate(name);
  REQUIRE_MESSAGE(z.has_value(), "the system's tzdata knows ", name);
  return *z;
}

// One row of the scan log, as the scan services write it, at a chosen instant.
asio::awaitable<void> add_scan(Tx& tx, std::int64_t when, std::optional<std::int64_t> user,
                               std::optional<std::int64_t> area, std::string result, std::optional<std::string> reason) {
  co_await tx.exec(
      "INSERT INTO scan_events (uid, at, user_id, area_id, action, code, result, reason)"
      " VALUES ($1, $2, $3, $4, 'scan_child', 'REPORT-1', $5, $6)",
      params(util::uuid_v7(), when, user, area, result, reason));
}

void scan_at(World& w, const char* iso, const Caller& who, std::string result,
             std::optional<std::string> reason = std::nullopt) {
  run_sync(w.db->write(storage::job(add_scan, at(iso), std::optional<std::int64_t>(who.user_id), who.area_id,
                                    std::move(result), std::move(reason))));
}

services::ScanReport report(World& w, const Caller& c, const char* date, const util::TimeZone& z,
                            std::optional<std::string> area = std::nullopt) {
  services::ScanReportQuery q;
  q.day = *domain::parse_local_day(date, z);
  q.zone = z;
  q.area = std::move(area);
  return run_sync(w.db->read(storage::job(services::scan_report, c, q)));
}

services::ScanReport today(World& w, const Caller& c, std::optional<std::string> area = std::nullopt) {
  const auto utc = util::TimeZone::utc();
  return report(w, c, domain::local_day_at(util::now_us(), utc).date().c_str(), utc, std::move(area));
}

const services::ScanReportGroup* group(const std::vector<services::ScanReportGroup>& groups, const std::string& name) {
  for (const auto& g : groups) {
    if (g.name == name) return &g;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("scan report: today's scans by outcome, reason, hour, user and area") {
  World w;
  w.fill(w.dispatcher, "SB60000", 2, "RPT");                                               // created, 2 linked
  REQUIRE(w.child(w.dispatcher, "SB60000", "RPT-1").result == domain::ScanResult::already_linked);
  REQUIRE(w.child(w.dispatcher, "SB60000", "SB60001").result == domain::ScanResult::rejected);  // not a child
  REQUIRE_FALSE(w.parent(w.dispatcher, "SB60000").refusal);                                 // found
  w.fill(w.other_dispatcher, "SB60100", 1, "KRPT");                                         // created, linked

  const auto r = today(w, w.biller);
  CHECK(r.time_zone == "UTC");
  CHECK(r.hours.size() == 24);
  CHECK(r.totals.total() == 8);
  CHECK(r.totals.of("created") == 2);
  CHECK(r.totals.of("found") == 1);
  CHECK(r.totals.of("linked") == 3);
  CHECK(r.totals.of("already_linked") == 1);
  CHECK(r.totals.of("rejected") == 1);
  REQUIRE(r.rejected_by_reason.size() == 1);
  CHECK(r.rejected_by_reason[0].first == "not_a_child");
  CHECK(r.rejected_by_reason[0].second == 1);

  // Every view adds up to the same totals.
  std::int64_t by_hour = 0, by_line = 0;
  for (const auto& h : r.hours) by_hour += h.counts.total();
  for (const auto& l : r.lines) by_line += l.scans;
  CHECK(by_hour == 8);
  CHECK(by_line == 8);
  REQUIRE(r.per_user.size() == 2);
  CHECK(r.per_user[0].name == "dev");  // most scans first
  CHECK(r.per_user[0].counts.total() == 6);
  CHECK(r.per_user[1].name == "kiran");
  REQUIRE(r.per_area.size() == 2);
  CHECK(r.per_area[0].name == "Lucknow");
  CHECK(r.per_area[1].counts.of("linked") == 1);

  // One area, named in any case; an area that does not exist is no quiet day.
  const auto kanpur = today(w, w.admin, std::string("kanpur"));
  CHECK(kanpur.area == "Kanpur");
  CHECK(kanpur.totals.total() == 2);
  REQUIRE(kanpur.per_user.size() == 1);
  CHECK(kanpur.per_user[0].name == "kiran");
  CHECK(error_code([&] { today(w, w.admin, std::string("Agra")); }) == "not_found");
  // A dispatcher, whom the route does not let in, would see their own area only.
  CHECK(today(w, w.other_dispatcher).totals.total() == 2);
}

// The message of the domain::Failure an operation throws ("" when it succeeds).
std::string failure_message(const std::function<void()>& op) {
  try {
    op();
  } catch (const domain::Failure& e) {
    return e.what();
  }
  return "";
}

TEST_CASE("areas: one lookup by name in any case, and one message when there is none") {
  World w;
  const auto report_area = [&](std::string name) {
    return run_sync(w.db->read(storage::job(services::find_report_area, std::move(name))));
  };
  const auto require_area = [&](std::string name) {
    return run_sync(w.db->read(storage::job(services::require_area, std::move(name))));
  };
  CHECK(report_area("KANPUR").id == w.kanpur);
  CHECK(report_area("KANPUR").name == "Kanpur");
  CHECK(require_area("  lucknow ").id == w.lucknow);
  // A report names the area as asked; a name to act on is trimmed first.
  CHECK(error_code([&] { report_area("Agra"); }) == "not_found");
  CHECK(failure_message([&] { report_area("Agra"); }) == "There is no area named 'Agra'.");
  CHECK(error_code([&] { require_area(" Agra "); }) == "unknown_area");
  CHECK(failure_message([&] { require_area(" Agra "); }) == "There is no area named 'Agra'.");
}

TEST_CASE("scan report: a +05:30 day runs from its local midnight, hour by local hour, edges included") {
  World w;
  const auto kolkata = zone("Asia/Kolkata");
  scan_at(w, "2026-11-28T18:29:59.999999Z", w.dispatcher, "linked");  // 23:59 on the 28th: not this day
  scan_at(w, "2026-11-28T18:30:00Z", w.dispatcher, "linked");         // 00:00 on the 29th: hour 0
  scan_at(w, "2026-11-29T04:29:59.999999Z", w.dispatcher, "created");  // 09:59: hour 9
  scan_at(w, "2026-11-29T04:30:00Z", w.biller, "rejected", std::string("parent_full"));  // 10:00: hour 10
  scan_at(w, "2026-11-29T04:45:00Z", w.biller, "rejected", std::string("parent_full"));  // 10:15: hour 10
  scan_at(w, "2026-11-29T18:29:59.999999Z", w.other_dispatcher, "found");                 // 23:59: hour 23
  scan_at(w, "2026-11-29T18:30:00Z", w.dispatcher, "linked");                             // the 30th

  const auto r = report(w, w.admin, "2026-11-29", kolkata);
  CHECK(r.day.start == at("2026-11-28T18:30:00Z"));
  CHECK(r.time_zone == "Asia/Kolkata");
  REQUIRE(r.hours.size() == 24);
  CHECK(r.hours[0].label == "00:00");
  CHECK(r.hours[0].start == at("2026-11-28T18:30:00Z"));
  CHECK(r.hours[0].utc_offset == 19800);
  CHECK(services::format_utc_offset(r.hours[0].utc_offset) == "+05:30");
  CHECK(r.hours[10].label == "10:00");
  CHECK(r.hours[23].label == "23:00");
  CHECK(r.totals.total() == 5);
  CHECK(r.hours[0].counts.of("linked") == 1);
  CHECK(r.hours[9].counts.of("created") == 1);
  CHECK(r.hours[10].counts.of("rejected") == 2);
  CHECK(r.hours[23].counts.of("found") == 1);
  for (int i : {1, 2, 8, 11, 22}) CHECK(r.hours[static_cast<std::size_t>(i)].counts.total() == 0);
  CHECK(r.rejected_by_reason == std::vector<std::pair<std::string, std::int64_t>>{{"parent_full", 2}});
  REQUIRE(group(r.per_area, "Kanpur"));
  CHECK(group(r.per_area, "Kanpur")->counts.of("found") == 1);
  CHECK(group(r.per_user, "bina")->counts.of("rejected") == 2);

  // The same instants in UTC days: the 29th holds all but the two of the 28th.
  CHECK(report(w, w.admin, "2026-11-29", util::TimeZone::utc()).totals.total() == 5);
}

TEST_CASE("scan report: a 23-hour and a 25-hour day, each hour labelled with its wall-clock time") {
  World w;
  const auto new_york = zone("America/New_York");
  // 8 March 2026: 02:00 EST becomes 03:00 EDT.
  scan_at(w, "2026-03-08T06:59:00Z", w.dispatcher, "linked");  // 01:59 EST: hour 1
  scan_at(w, "2026-03-08T07:30:00Z", w.dispatcher, "linked");  // 03:30 EDT: hour 2
  const auto spring = report(w, w.biller, "2026-03-08", new_york);
  REQUIRE(spring.hours.size() == 23);
  CHECK(spring.hours[1].label == "01:00");
  CHECK(spring.hours[2].label == "03:00");
  CHECK(spring.hours[22].label == "23:00");
  CHECK(spring.hours[1].counts.total() == 1);
  CHECK(spring.hours[2].counts.total() == 1);

  // 1 November 2026: 02:00 EDT becomes 01:00 EST; 01:00 happens twice.
  scan_at(w, "2026-11-01T05:30:00Z", w.dispatcher, "linked");  // 01:30 EDT: hour 1
  scan_at(w, "2026-11-01T06:30:00Z", w.dispatcher, "found");   // 01:30 EST: hour 2
  scan_at(w, "2026-11-02T04:59:59Z", w.dispatcher, "created");  // 23:59 EST: hour 24
  const auto autumn = report(w, w.biller, "2026-11-01", new_york);
  REQUIRE(autumn.hours.size() == 25);
  CHECK(autumn.hours[1].label == "01:00");
  CHECK(autumn.hours[1].utc_offset == -4 * 3600);
  CHECK(autumn.hours[2].label == "01:00");
  CHECK(autumn.hours[2].utc_offset == -5 * 3600);
  CHECK(autumn.hours[24].label == "23:00");
  CHECK(autumn.hours[1].counts.of("linked") == 1);
  CHECK(autumn.hours[2].counts.of("found") == 1);
  CHECK(autumn.hours[24].counts.of("created") == 1);

  // The CSV tells the two 01:00 apart by their first instant in UTC.
  const CsvRows csv = read_csv(services::scan_report_csv(autumn, false));
  REQUIRE(csv.size() == 4);
  CHECK(csv[0] == std::vector<std::string>{"date", "hour", "hour_start", "user", "area", "outcome", "reason", "scans"});
  CHECK(csv[1] == std::vector<std::string>{"2026-11-01", "01:00", "2026-11-01T05:00:00.000000Z", "dev", "Lucknow",
                                           "linked", "", "1"});
  CHECK(csv[2][1] == "01:00");
  CHECK(csv[2][2] == "2026-11-01T06:00:00.000000Z");
  CHECK(csv[3][1] == "23:00");
}

TEST_CASE("scan report CSV: names that a spreadsheet would run are guarded unless raw") {
  World w;
  Caller odd = w.make("=cmd", domain::Role::admin, std::nullopt);  // an admin has no area
  scan_at(w, "2026-05-05T10:00:00Z", odd, "rejected", std::string("invalid_code"));
  const auto r = report(w, w.admin, "2026-05-05", util::TimeZone::utc());
  const CsvRows guarded = read_csv(services::scan_report_csv(r, false));
  REQUIRE(guarded.size() == 2);
  CHECK(guarded[1] == std::vector<std::string>{"2026-05-05", "10:00", "2026-05-05T10:00:00.000000Z", "'=cmd", "",
                                               "rejected", "invalid_code", "1"});
  CHECK(read_csv(services::scan_report_csv(r, true))[1][3] == "=cmd");
  REQUIRE(group(r.per_area, ""));  // scans with no area are counted under no name
}

namespace {

asio::awaitable<void> set_bill_times(Tx& tx, std::string code, std::int64_t created,
                                     std::optional<std::int64_t> completed, std::optional<std::int64_t> area) {
  co_await tx.exec("UPDATE bills SET created_at = $1, completed_at = $2, area_id = COALESCE($3, area_id) WHERE code = $4",
                   params(created, completed, area, code));
}

void bill_times(World& w, const char* code, const char* created, const char* completed = nullptr,
                std::optional<std::int64_t> area = std::nullopt) {
  std::optional<std::int64_t> done;
  if (completed) done = at(completed);
  run_sync(w.db->write(storage::job(set_bill_times, std::string(code), at(created), done, area)));
}

services::BillsSummary summary(World& w, const Caller& c, const char* from, const char* to, const util::TimeZone& z,
                               std::optional<std::string> area = std::nullopt) {
  services::BillsSummaryQuery q;
  q.from = *domain::parse_local_day(from, z);
  q.to = *domain::parse_local_day(to, z);
  q.zone = z;
  q.area = std::move(area);
  auto s = w.settings;
  return run_sync(w.db->read(storage::job(services::bills_summary, c, q, s)));
}

}  // namespace

TEST_CASE("bills summary: bills created and completed per depot day, each with its page's figures") {
  World w;
  const auto kolkata = zone("Asia/Kolkata");
  w.fill(w.biller, "SB61001", 3, "SUMA");
  w.fill(w.biller, "SB61002", 2, "SUMB");
  REQUIRE_FALSE(w.parent(w.biller, "M444-61003").refusal);
  w.bill(w.biller, "SUM-1", 5, {"SB61001", "M444-61003"}, true);
  w.bill(w.biller, "SUM-2", 5, {"SB61002"});
  w.bill(w.biller, "SUM-3", 5, {}, true);
  w.bill(w.biller, "SUM-4", 5, {});
  w.bill(w.biller, "SUM-K", 5, {});
  bill_times(w, "SUM-1", "2026-11-28T18:30:00Z", "2026-11-30T18:29:59Z");  // 29th 00:00, completed 30th 23:59
  bill_times(w, "SUM-2", "2026-11-28T18:29:59Z");                          // 28th 23:59, open
  bill_times(w, "SUM-3", "2026-11-27T10:00:00Z", "2026-11-29T05:00:00Z");  // before the range, completed the 29th
  bill_times(w, "SUM-4", "2026-11-30T18:30:00Z");                          // 1 December: after the range
  bill_times(w, "SUM-K", "2026-11-29T06:00:00Z", nullptr, w.kanpur);      // the 29th, in Kanpur

  const auto s = summary(w, w.biller, "2026-11-28", "2026-11-30", kolkata);
  REQUIRE(s.days.size() == 3);
  CHECK(s.days[0].day.date() == "2026-11-28");
  CHECK(s.days[0].created == 1);
  CHECK(s.days[0].completed == 0);
  CHECK(s.days[1].created == 2);
  CHECK(s.days[1].completed == 1);
  CHECK(s.days[2].created == 0);
  CHECK(s.days[2].completed == 1);
  CHECK(s.totals.created == 3);
  CHECK(s.totals.completed == 2);
  CHECK(s.totals.bills == 4);
  REQUIRE(s.bills.size() == 4);
  CHECK(s.bills[0].code == "SUM-3");  // oldest first
  CHECK(s.bills[1].code == "SUM-2");
  CHECK(s.bills[2].code == "SUM-1");
  CHECK(s.bills[3].code == "SUM-K");

  // The figures are the bill page's: 2 parents (30 + 15 kg expected), 3 children of 1 kg.
  const auto page = run_sync(w.db->read(storage::job(services::get_bill, w.biller, std::string("SUM-1"), w.settings)));
  const auto& f = s.bills[2].figures;
  CHECK(f.parent_count == page.bill.figures.parent_count);
  CHECK(f.child_count == page.bill.figures.child_count);
  CHECK(f.actual_weight_kg == page.bill.figures.actual_weight_kg);
  CHECK(f.expected_weight_kg == page.bill.figures.expected_weight_kg);
  CHECK(f.variance_kg == page.bill.figures.variance_kg);
  CHECK(f.parent_count == 2);
  CHECK(f.child_count == 3);
  CHECK(f.expected_weight_kg == 45);
  CHECK(f.variance_kg == -42);
  CHECK(s.totals.parents == 3);
  CHECK(s.totals.children == 5);
  CHECK(s.totals.actual_weight_kg == 5);
  CHECK(s.totals.expected_weight_kg == 75);
  CHECK(s.totals.variance_kg == -70);

  // One area; a dispatcher (not let in by the route) would get their own area's bills only.
  const auto kanpur = summary(w, w.admin, "2026-11-28", "2026-11-30", kolkata, std::string("KANPUR"));
  CHECK(kanpur.area == "Kanpur");
  REQUIRE(kanpur.bills.size() == 1);
  CHECK(kanpur.bills[0].code == "SUM-K");
  CHECK(summary(w, w.other_dispatcher, "2026-11-28", "2026-11-30", kolkata).bills.size() == 1);
  CHECK(summary(w, w.other_dispatcher, "2026-11-28", "2026-11-30", kolkata, std::string("Lucknow")).bills.empty());

  // In UTC days SUM-2 (18:29:59 UTC on the 28th) is still the 28th, SUM-1 moves to the 28th too.
  const auto utc = summary(w, w.biller, "2026-11-28", "2026-11-28", util::TimeZone::utc());
  CHECK(utc.days[0].created == 2);

  // The CSV: one line per bill with its figures.
  const CsvRows csv = read_csv(services::bills_summary_csv(s, false));
  REQUIRE(csv.size() == 5);
  CHECK(csv[0][0] == "code");
  CHECK(csv[0][11] == "variance_kg");
  CHECK(csv[3][0] == "SUM-1");
  CHECK(csv[3][4] == "completed");
  CHECK(csv[3][5] == "Lucknow");
  CHECK(csv[3][7] == "2");
  CHECK(csv[3][8] == "3");
  CHECK(csv[3][9] == "3");
  CHECK(csv[3][10] == "45");
  CHECK(csv[3][11] == "-42");
  CHECK(csv[3][14] == "2026-11-30T18:29:59.000000Z");
  CHECK(csv[2][14] == "");  // SUM-2 is open
}

TEST_CASE("bills summary: a range is whole days, forwards, at most a year and a day") {
  World w;
  const auto utc = util::TimeZone::utc();
  CHECK(error_code([&] { summary(w, w.admin, "2026-11-30", "2026-11-29", utc); }) == "invalid_request");
  CHECK(error_code([&] { summary(w, w.admin, "2026-01-01", "2027-01-02", utc); }) == "invalid_request");
  CHECK(summary(w, w.admin, "2026-01-01", "2027-01-01", utc).days.size() == 366);
  CHECK(error_code([&] { summary(w, w.admin, "2026-01-01", "2026-01-02", utc, std::string("Agra")); }) ==
        "not_found");
  // 23- and 25-hour days are one day each.
  const auto s = summary(w, w.admin, "2026-03-07", "2026-03-09", zone("America/New_York"));
  REQUIRE(s.days.size() == 3);
  CHECK(s.days[1].day.end - s.days[1].day.start == 23LL * 3600 * 1000000);
}
