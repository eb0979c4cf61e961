// Times are microseconds since the Unix epoch, UTC, in 64-bit integers everywhere in storage.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tt::util {

std::int64_t now_us() noexcept;
// Moves what now_us() answers by `seconds` (TRACETRACK_CLOCK_OFFSET_SECONDS): a server whose clock
// is wrong, as a depot's may be, for the tests that show no outcome depends on it (SPEC §8: no
// rule compares clocks across sites). Set once at start-up.
void set_clock_offset_seconds(std::int64_t seconds) noexcept;
// 2025-11-25T10:15:30.123456Z
std::string format_iso8601(std::int64_t us);
// Accepts 2025-11-25, 2025-11-25T10:15:30Z, 2025-11-25T10:15:30.5Z and +hh:mm offsets.
std::optional<std::int64_t> parse_iso8601(std::string_view s);

}  // namespace tt::util
