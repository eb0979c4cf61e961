// The daily scan report (SPEC §3.6, §3.7): one calendar day of the scan log in the depot's time
// zone (SPEC §3.5), counted by outcome, by reason of refusal, by local hour, by user and by area.
//
// Hours run from the day's local midnight: hour i holds the scans at instants [start + i h,
// start + (i+1) h), which is local hour i on an ordinary day whatever the zone's offset (+05:30
// included). A daylight-saving day has 23 or 25 of them; each is labelled with the local
// wall-clock time at its start ("01:00" twice on the day the clocks go back, told apart by its
// UTC offset). Every count comes from the scan_events rows of the day, grouped in SQL by hour,
// user, area, outcome and reason: a few hundred groups for a busy day, read whole.
//
// For billers and admins (the route says so; SPEC §2 "reports"); every area, or the one named.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/date_filter.hpp"
#include "services/caller.hpp"
#include "storage/database.hpp"
#include "util/time_zone.hpp"

namespace tt::services {

namespace asio = boost::asio;

// The outcomes of a scan (scan_events.result), in this order everywhere: created, found, linked,
// already_linked, rejected.
inline constexpr std::array<std::string_view, 5> kScanOutcomes = {"created", "found", "linked", "already_linked",
                                                                 "rejected"};

// Scans by outcome, indexed as kScanOutcomes.
struct OutcomeCounts {
  std::array<std::int64_t, kScanOutcomes.size()> n{};
  std::int64_t total() const noexcept;
  // Adds `count` to the outcome named `outcome` (an unknown name counts in the total only).
  void add(std::string_view outcome, std::int64_t count) noexcept;
  std::int64_t of(std::string_view outcome) const noexcept;

 private:
  std::int64_t other_ = 0;
};

struct ScanReportHour {
  int index = 0;                // 0 at the day's local midnight
  std::int64_t start = 0;       // its first microsecond
  std::string label;            // local wall-clock time at its start, "HH:MM"
  std::int64_t utc_offset = 0;  // seconds east of UTC at its start
  OutcomeCounts counts;
};

struct ScanReportGroup {
  std::string name;  // user name, or area name ("" for scans with no user or no area)
  OutcomeCounts counts;
};

// One (hour, user, area, outcome, reason) with its scans: a line of the CSV file.
struct ScanReportLine {
  int hour = 0;  // index into ScanReport::hours
  std::string user;
  std::string area;
  std::string outcome;
  std::string reason;  // "" unless rejected
  std::int64_t scans = 0;
};

struct ScanReport {
  domain::LocalDay day;
  std::string time_zone;            // IANA name
  std::optional<std::string> area;  // the area's name as stored, when one was asked for
  OutcomeCounts totals;
  std::vector<std::pair<std::string, std::int64_t>> rejected_by_reason;  // most first
  std::vector<ScanReportHour> hours;                                    // every hour of the day, zeros included
  std::vector<ScanReportGroup> per_user;                                // most scans first, then by name
  std::vector<ScanReportGroup> per_area;                                // most scans first, then by name
  std::vector<ScanReportLine> lines;                                    // by hour, user, area, outcome, reason
};

struct ScanReportQuery {
  domain::LocalDay day;
  util::TimeZone zone = util::TimeZone::utc();
  std::optional<std::string> area;  // an area's name, any case
  std::optional<std::string> site;  // the public id of the site the scans came from (SPEC §8)
};

// Throws domain::Failure not_found when the area named does not exist. A dispatcher (whom the route
// does not let in) would get their own area's scans only.
asio::awaitable<ScanReport> scan_report(storage::Tx& tx, Caller caller, ScanReportQuery query);

// The report as CSV (RFC 4180, formulas guarded unless raw): one line per ScanReportLine,
//   date,hour,hour_start,user,area,outcome,reason,scans
// hour is the local label ("01:00"), hour_start its first instant in UTC (which tells apart the
// two 01:00 of the day the clocks go back); user and area are empty for scans without them.
std::string scan_report_csv(const ScanReport& report, bool raw);

// "+05:30", "-04:00", "+00:00" for an offset in seconds.
std::string format_utc_offset(std::int64_t seconds);

}  // namespace tt::services
