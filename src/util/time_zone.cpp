#include "util/time_zone.hpp"

#include <date/tz.h>

#include <chrono>
#include <exception>

namespace tt::util {

std::optional<TimeZone> TimeZone::locate(std::string_view name) {
  if (name.empty()) return std::nullopt;
  try {
    // locate_zone throws std::runtime_error for an unknown name, and when the database cannot be read.
    return TimeZone(date::locate_zone(name), std::string(name));
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

TimeZone TimeZone::utc() {
  static const std::optional<TimeZone> zone = locate("UTC");
  if (zone) return *zone;
  return TimeZone(nullptr, "UTC");  // no tzdata at all: UTC needs no rules
}

std::int64_t TimeZone::start_of_day(std::int64_t day_number) const {
  using namespace std::chrono;
  const date::local_days local{date::days{day_number}};
  const std::int64_t midnight_utc = duration_cast<microseconds>(local.time_since_epoch()).count();
  if (zone_ == nullptr) return midnight_utc;
  const date::local_info info = zone_->get_info(local);
  switch (info.result) {
    case date::local_info::nonexistent:
      // Midnight falls in the gap: the day begins when the clocks jump.
      return duration_cast<microseconds>(info.second.begin.time_since_epoch()).count();
    case date::local_info::ambiguous:
    case date::local_info::unique:
    default:
      // The first of two midnights, or the only one.
      return midnight_utc - duration_cast<microseconds>(info.first.offset).count();
  }
}

std::int64_t TimeZone::offset_at(std::int64_t instant) const {
  using namespace std::chrono;
  if (zone_ == nullptr) return 0;
  const sys_time<microseconds> at{microseconds{instant}};
  return duration_cast<seconds>(zone_->get_info(floor<seconds>(at)).offset).count();
}

}  // namespace tt::util
