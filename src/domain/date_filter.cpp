#include "domain/date_filter.hpp"

#include "util/time.hpp"

namespace tt::domain {

namespace {

constexpr std::int64_t kUsPerDay = 86400LL * 1000000;

bool is_bare_date(std::string_view s) {
  // YYYY-MM-DD and nothing else; util::parse_iso8601 checks the digits and the calendar.
  return s.size() == 10 && s[4] == '-' && s[7] == '-';
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

}  // namespace

std::optional<std::int64_t> parse_range_bound(std::string_view text, RangeEnd end, const util::TimeZone& zone) {
  const auto instant = util::parse_iso8601(text);
  if (!instant) return std::nullopt;
  if (is_bare_date(text)) {
    // parse_iso8601 reads a bare date as its midnight in UTC: that is the day's number.
    const std::int64_t day = floor_div(*instant, kUsPerDay);
    return zone.start_of_day(end == RangeEnd::from ? day : day + 1);
  }
  return end == RangeEnd::from ? *instant : *instant + 1;
}

std::string range_bound_error(std::string_view name) {
  return "The parameter '" + std::string(name) +
         "' must be a date such as 2026-11-29 (the whole day) or a time with its zone such as "
         "2026-11-29T10:15:00Z.";
}

std::string LocalDay::date() const { return util::format_iso8601(number * kUsPerDay).substr(0, 10); }

std::optional<LocalDay> parse_local_day(std::string_view text, const util::TimeZone& zone) {
  if (!is_bare_date(text)) return std::nullopt;
  // As parse_range_bound reads a bare date: its midnight in UTC gives the day's number, and the
  // zone gives the day's instants.
  const auto midnight_utc = util::parse_iso8601(text);
  if (!midnight_utc) return std::nullopt;
  return local_day(floor_div(*midnight_utc, kUsPerDay), zone);
}

LocalDay local_day(std::int64_t number, const util::TimeZone& zone) {
  return LocalDay{number, zone.start_of_day(number), zone.start_of_day(number + 1)};
}

LocalDay local_day_at(std::int64_t instant, const util::TimeZone& zone) {
  const std::int64_t wall_clock = instant + zone.offset_at(instant) * 1000000;
  return local_day(floor_div(wall_clock, kUsPerDay), zone);
}

}  // namespace tt::domain
