// Date filters (SPEC §3.5). Every `from` and `to` of search, the audit log, exports, reports and
// the dashboard is read here, so a day means the same thing everywhere:
//   - a bare date (2026-11-29) is that whole calendar day in the depot's time zone (setting
//     time_zone): `from` starts at its first microsecond, `to` ends after its last, so
//     from=D&to=D is the day D, both ends included;
//   - a timestamp with a zone (2026-11-29T10:15:00Z, 2026-11-29T15:45:00.5+05:30) is that instant,
//     included at either end;
//   - a time without a zone is refused: nobody could know which instant was meant.
// Instants are microseconds since the Unix epoch, UTC, as stored.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/time_zone.hpp"

namespace tt::domain {

// at >= from (when set) and at < until (when set).
struct TimeRange {
  std::optional<std::int64_t> from;   // first instant included
  std::optional<std::int64_t> until;  // first instant after the range (exclusive)
  bool contains(std::int64_t at) const noexcept {
    return (!from || at >= *from) && (!until || at < *until);
  }
};

enum class RangeEnd { from, to };

// The bound a text gives at that end of a range: for `from` the first instant included, for `to`
// the first instant after the range. None when the text is no date or timestamp.
std::optional<std::int64_t> parse_range_bound(std::string_view text, RangeEnd end, const util::TimeZone& zone);

// The message for a person when parse_range_bound refuses the value of parameter `name`.
std::string range_bound_error(std::string_view name);

// One calendar day of the depot's zone, for reports that go day by day (SPEC §3.6, §3.7): its
// number (days since 1970-01-01) and its instants [start, end), exactly the range that
// from=D&to=D selects. A day is 24 hours long except on a daylight-saving change (23 or 25).
struct LocalDay {
  std::int64_t number = 0;
  std::int64_t start = 0;  // first microsecond of the day
  std::int64_t end = 0;    // first microsecond of the next day
  std::string date() const;  // YYYY-MM-DD
};

// The day a bare date (2026-11-29) names, read by parse_range_bound; none for anything else,
// timestamps included.
std::optional<LocalDay> parse_local_day(std::string_view text, const util::TimeZone& zone);
// The day of that number.
LocalDay local_day(std::int64_t number, const util::TimeZone& zone);
// The day that holds an instant (today, for `now`).
LocalDay local_day_at(std::int64_t instant, const util::TimeZone& zone);

}  // namespace tt::domain
