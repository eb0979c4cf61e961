// A time zone of the IANA database, read from the system's tzdata (Debian package tzdata), for
// the calendar days of SPEC §3.5: "2026-11-29" in a filter is that whole day in the depot's zone.
// The zone rules (offsets, daylight-saving changes) come from the library, never from our code.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace date {
class time_zone;
}

namespace tt::util {

class TimeZone {
 public:
  // The zone of an IANA name ("UTC", "Asia/Kolkata", "America/New_York"); none when the name is
  // unknown or the system has no time zone database.
  static std::optional<TimeZone> locate(std::string_view name);
  static TimeZone utc();

  const std::string& name() const noexcept { return name_; }

  // The first microsecond (since the Unix epoch, UTC) of a local calendar day, given as its number
  // of days since 1970-01-01. On a day whose midnight the clocks skip (a daylight-saving change
  // at 00:00), the day starts at the change; on a day whose midnight happens twice, at the first.
  std::int64_t start_of_day(std::int64_t day_number) const;

  // The zone's offset from UTC at an instant (microseconds since the Unix epoch), in seconds east
  // of UTC: local wall-clock time = instant + offset. 19800 for Asia/Kolkata; -14400 or -18000 for
  // America/New_York, summer or winter.
  std::int64_t offset_at(std::int64_t instant) const;

 private:
  TimeZone(const date::time_zone* zone, std::string name) : zone_(zone), name_(std::move(name)) {}
  const date::time_zone* zone_;  // owned by the library's database, which lives as long as the process
  std::string name_;
};

}  // namespace tt::util
