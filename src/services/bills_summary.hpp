// The bills summary (SPEC §3.4, §3.7): the bills of a range of calendar days in the depot's time
// zone (SPEC §3.5), day by day and bill by bill.
//   - per day: bills created that day, and bills completed that day (by completed_at: a bill
//     reopened since has no completion and counts nowhere until completed again);
//   - per bill, for every bill created or completed in the range, oldest first: its row and its
//     figures (parents, children, actual and expected weight, variance), derived from its
//     parents' links now by domain::bill_figures exactly as the bill page shows them;
//   - totals of both.
// Parents added per day is not given: a parent taken off a bill leaves no row to count.
//
// Size: the range is at most kMaxSummaryDays days, and the bills of the range are read whole,
// their figures a chunk of bills at a time. A depot makes tens of bills a day, so a year is a few
// thousand bills (about a kilobyte each in memory with their figures): the JSON answer and the CSV
// file are built in memory. The JSON lists at most kMaxSummaryBillsShown bills (the page's table);
// the counts, the totals and the CSV cover them all.
//
// For billers and admins (the route says so; SPEC §2 "reports"); every area, or the one named.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/date_filter.hpp"
#include "services/bills.hpp"
#include "services/caller.hpp"
#include "services/settings.hpp"
#include "storage/database.hpp"
#include "util/time_zone.hpp"

namespace tt::services {

namespace asio = boost::asio;

inline constexpr std::int64_t kMaxSummaryDays = 366;
inline constexpr std::size_t kMaxSummaryBillsShown = 1000;

struct BillsSummaryDay {
  domain::LocalDay day;
  std::int64_t created = 0;
  std::int64_t completed = 0;
};

struct BillsSummaryTotals {
  std::int64_t created = 0;    // bills created in the range
  std::int64_t completed = 0;  // bills completed in the range
  std::int64_t bills = 0;      // bills created or completed in the range (the per-bill lines)
  std::int64_t parents = 0;    // the figures of those bills, summed
  std::int64_t children = 0;
  double actual_weight_kg = 0;
  double expected_weight_kg = 0;
  double variance_kg = 0;
};

struct BillsSummary {
  domain::LocalDay from;  // first day
  domain::LocalDay to;    // last day, included
  std::string time_zone;
  std::optional<std::string> area;  // the area's name as stored, when one was asked for
  std::vector<BillsSummaryDay> days;  // every day of the range, zeros included
  BillsSummaryTotals totals;
  std::vector<Bill> bills;  // created or completed in the range, oldest first, with figures
};

struct BillsSummaryQuery {
  domain::LocalDay from;
  domain::LocalDay to;
  util::TimeZone zone = util::TimeZone::utc();
  std::optional<std::string> area;  // an area's name, any case
  std::optional<std::string> site;  // the public id of the site the bills came from (SPEC §8)
};

// Throws domain::Failure invalid_request when `to` is before `from` or the range is longer than
// kMaxSummaryDays, not_found when the area named does not exist. A dispatcher (whom the route does
// not let in) would get their own area's bills only.
asio::awaitable<BillsSummary> bills_summary(storage::Tx& tx, Caller caller, BillsSummaryQuery query,
                                            SettingsPtr settings);

// The per-bill lines as CSV (RFC 4180, formulas guarded unless raw):
//   code,description,destination,vehicle,status,area,capacity,parents,children,actual_weight_kg,
//   expected_weight_kg,variance_kg,created_at,created_by,completed_at
std::string bills_summary_csv(const BillsSummary& summary, bool raw);

}  // namespace tt::services
