// Times: microseconds since the epoch, ISO 8601 text in UTC.
#include <doctest/doctest.h>

#include "util/time.hpp"

using namespace tt::util;

namespace {
constexpr std::int64_t kSec = 1'000'000;
}

TEST_CASE("formatting") {
  CHECK(format_iso8601(0) == "1970-01-01T00:00:00.000000Z");
  CHECK(format_iso8601(1764065730123456) == "2025-11-25T10:15:30.123456Z");
  CHECK(format_iso8601(951782400LL * kSec) == "2000-02-29T00:00:00.000000Z");  // leap day
  CHECK(format_iso8601(-1) == "1969-12-31T23:59:59.999999Z");
}

TEST_CASE("parsing") {
  CHECK(parse_iso8601("1970-01-01") == 0);
  CHECK(parse_iso8601("2025-11-25") == 1764028800LL * kSec);
  CHECK(parse_iso8601("2025-11-25T10:15:30Z") == 1764065730LL * kSec);
  CHECK(parse_iso8601("2025-11-25T10:15:30.5Z") == 1764065730LL * kSec + 500000);
  CHECK(parse_iso8601("2025-11-25T10:15:30.123456Z") == 1764065730123456);
  CHECK(parse_iso8601("2025-11-25T10:15:30.1234567Z") == 1764065730123456);  // beyond microseconds: cut
  CHECK(parse_iso8601("2025-11-25T15:45:30+05:30") == 1764065730LL * kSec);
  CHECK(parse_iso8601("2025-11-25T05:15:30-05:00") == 1764065730LL * kSec);
  CHECK(parse_iso8601("2000-02-29") == 951782400LL * kSec);
}

TEST_CASE("format and parse are inverse") {
  for (const std::int64_t us : {std::int64_t{0}, std::int64_t{1764065730123456}, std::int64_t{-1},
                                std::int64_t{4102444799999999}}) {
    CAPTURE(us);
    CHECK(parse_iso8601(format_iso8601(us)) == us);
  }
}

TEST_CASE("malformed times are refused") {
  for (const char* bad : {"", "2025", "2025-11", "2025-13-01", "2025-00-10", "2025-02-30", "2023-02-29",
                          "2025-11-25T", "2025-11-25T10:15Z", "2025-11-25T24:00:00Z", "2025-11-25T10:60:00Z",
                          "2025-11-25T10:15:30", "2025-11-25T10:15:30.Z", "2025-11-25T10:15:30+0530",
                          "2025-11-25T10:15:30Zjunk", "25-11-2025", "2025/11/25", " 2025-11-25", "2025-11-25x"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_iso8601(bad).has_value());
  }
}

TEST_CASE("now is after 2025 and moves forward") {
  const auto a = now_us();
  CHECK(a > 1735689600LL * kSec);
  CHECK(now_us() >= a);
}
