// SPEC §3.5 dates: whole days in the depot's time zone, both ends included; a timestamp is an
// instant. Each edge is checked with the first and last microsecond of the day.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <string>

#include "domain/date_filter.hpp"
#include "domain/settings.hpp"
#include "util/time.hpp"
#include "util/time_zone.hpp"

using namespace tt;
using domain::RangeEnd;

namespace {

std::int64_t at(const char* iso) { return *util::parse_iso8601(iso); }

util::TimeZone zone(const char* name) {
  auto z = util::TimeZone::locate(name);
  REQUIRE_MESSAGE(z.has_value(), "the system's tzdata knows ", name);
  return *z;
}

domain::TimeRange day(const char* date, const util::TimeZone& z) {
  return domain::TimeRange{domain::parse_range_bound(date, RangeEnd::from, z),
                           domain::parse_range_bound(date, RangeEnd::to, z)};
}

}  // namespace

TEST_CASE("a bare date is the whole day in UTC by default, both ends included") {
  const auto r = day("2026-11-29", util::TimeZone::utc());
  CHECK(*r.from == at("2026-11-29T00:00:00Z"));
  CHECK(*r.until == at("2026-11-30T00:00:00Z"));
  CHECK(r.contains(at("2026-11-29T00:00:00Z")));
  CHECK(r.contains(at("2026-11-29T23:59:59.999999Z")));
  CHECK_FALSE(r.contains(at("2026-11-28T23:59:59.999999Z")));
  CHECK_FALSE(r.contains(at("2026-11-30T00:00:00Z")));
}

TEST_CASE("a day east of UTC starts the evening before in UTC") {
  const auto r = day("2026-11-29", zone("Asia/Kolkata"));  // +05:30
  CHECK(*r.from == at("2026-11-28T18:30:00Z"));
  CHECK(*r.until == at("2026-11-29T18:30:00Z"));
  CHECK(r.contains(at("2026-11-28T18:30:00Z")));
  CHECK(r.contains(at("2026-11-29T18:29:59.999999Z")));
  CHECK_FALSE(r.contains(at("2026-11-28T18:29:59.999999Z")));
  CHECK_FALSE(r.contains(at("2026-11-29T18:30:00Z")));
}

TEST_CASE("a day west of UTC starts in the morning in UTC") {
  const auto r = day("2026-11-29", zone("America/New_York"));  // -05:00 in November
  CHECK(*r.from == at("2026-11-29T05:00:00Z"));
  CHECK(*r.until == at("2026-11-30T05:00:00Z"));
  CHECK(r.contains(at("2026-11-30T04:59:59.999999Z")));
  CHECK_FALSE(r.contains(at("2026-11-29T04:59:59.999999Z")));
}

TEST_CASE("days with a daylight-saving change last 23 or 25 hours") {
  // New York springs forward at 02:00 on 8 March 2026: EST (-5) until then, EDT (-4) after.
  const auto spring = day("2026-03-08", zone("America/New_York"));
  CHECK(*spring.from == at("2026-03-08T05:00:00Z"));
  CHECK(*spring.until == at("2026-03-09T04:00:00Z"));
  CHECK(*spring.until - *spring.from == 23LL * 3600 * 1000000);
  // Berlin falls back at 03:00 on 25 October 2026: CEST (+2) until then, CET (+1) after.
  const auto autumn = day("2026-10-25", zone("Europe/Berlin"));
  CHECK(*autumn.from == at("2026-10-24T22:00:00Z"));
  CHECK(*autumn.until == at("2026-10-25T23:00:00Z"));
  CHECK(*autumn.until - *autumn.from == 25LL * 3600 * 1000000);
  CHECK(autumn.contains(at("2026-10-25T22:59:59.999999Z")));
}

TEST_CASE("a day whose midnight the clocks skip starts at the change, and the day before ends there") {
  // Chile moves its clocks from 00:00 to 01:00 on Sunday 6 September 2026: midnight never happens.
  const auto z = zone("America/Santiago");
  const auto from = domain::parse_range_bound("2026-09-06", RangeEnd::from, z);
  const auto previous_until = domain::parse_range_bound("2026-09-05", RangeEnd::to, z);
  REQUIRE(from);
  CHECK(*from == at("2026-09-06T04:00:00Z"));
  CHECK(previous_until == from);
}

TEST_CASE("consecutive days meet without a gap or an overlap in any zone") {
  for (const char* name : {"UTC", "Asia/Kolkata", "America/New_York", "Europe/Berlin", "Pacific/Kiritimati",
                           "Pacific/Pago_Pago", "America/Santiago"}) {
    const auto z = zone(name);
    CHECK_MESSAGE(domain::parse_range_bound("2026-03-08", RangeEnd::to, z) ==
                      domain::parse_range_bound("2026-03-09", RangeEnd::from, z),
                  name);
    CHECK_MESSAGE(domain::parse_range_bound("2026-12-31", RangeEnd::to, z) ==
                      domain::parse_range_bound("2027-01-01", RangeEnd::from, z),
                  name);
  }
}

TEST_CASE("a timestamp is that instant, included at either end, whatever the depot's zone") {
  const auto z = zone("Asia/Kolkata");
  CHECK(*domain::parse_range_bound("2026-11-29T10:15:00Z", RangeEnd::from, z) == at("2026-11-29T10:15:00Z"));
  CHECK(*domain::parse_range_bound("2026-11-29T10:15:00Z", RangeEnd::to, z) == at("2026-11-29T10:15:00Z") + 1);
  CHECK(*domain::parse_range_bound("2026-11-29T15:45:00.5+05:30", RangeEnd::from, z) ==
        at("2026-11-29T10:15:00.5Z"));
  const domain::TimeRange instant{domain::parse_range_bound("2026-11-29T10:15:00Z", RangeEnd::from, z),
                                  domain::parse_range_bound("2026-11-29T10:15:00Z", RangeEnd::to, z)};
  CHECK(instant.contains(at("2026-11-29T10:15:00Z")));
  CHECK_FALSE(instant.contains(at("2026-11-29T10:15:00.000001Z")));
}

TEST_CASE("malformed dates and times without a zone are refused") {
  const auto z = util::TimeZone::utc();
  for (const char* bad : {"", "yesterday", "29/11/2026", "2026-02-30", "2026-13-01", "2026-11-29T10:15:00",
                          "2026-11-29 ", "2026-11-2"}) {
    CHECK_FALSE_MESSAGE(domain::parse_range_bound(bad, RangeEnd::from, z).has_value(), bad);
  }
  CHECK(domain::range_bound_error("to").find("'to'") != std::string::npos);
}

TEST_CASE("the time_zone setting accepts IANA names only") {
  CHECK_FALSE(domain::validate_time_zone_json("Asia/Kolkata"));
  CHECK_FALSE(domain::validate_time_zone_json("UTC"));
  CHECK(domain::validate_time_zone_json("Mars/Olympus"));
  CHECK(domain::validate_time_zone_json(""));
  CHECK(domain::validate_time_zone_json(5));
  CHECK_FALSE(util::TimeZone::locate("Nowhere").has_value());
  CHECK(domain::settings_from({{domain::kTimeZoneKey, "\"Europe/Berlin\""}}).time_zone == "Europe/Berlin");
  CHECK(domain::settings_from({{domain::kTimeZoneKey, "\"Mars/Olympus\""}}).time_zone == "UTC");
}

TEST_CASE("a report's day: a bare date names the same instants as from=D&to=D, and nothing else names a day") {
  for (const char* name : {"UTC", "Asia/Kolkata", "America/New_York", "Europe/Berlin"}) {
    const auto z = zone(name);
    for (const char* date : {"2026-03-08", "2026-10-25", "2026-11-29"}) {
      const auto d = domain::parse_local_day(date, z);
      REQUIRE(d);
      CHECK(d->date() == date);
      CHECK(d->start == *domain::parse_range_bound(date, RangeEnd::from, z));
      CHECK(d->end == *domain::parse_range_bound(date, RangeEnd::to, z));
      CHECK(domain::local_day(d->number + 1, z).start == d->end);
    }
  }
  for (const char* bad : {"", "2026-11-29T10:15:00Z", "2026-02-30", "29/11/2026", "today"}) {
    CHECK_FALSE_MESSAGE(domain::parse_local_day(bad, util::TimeZone::utc()).has_value(), bad);
  }
}

TEST_CASE("the day holding an instant is the depot's calendar day, at both of its edges") {
  const auto kolkata = zone("Asia/Kolkata");
  CHECK(domain::local_day_at(at("2026-11-28T18:30:00Z"), kolkata).date() == "2026-11-29");
  CHECK(domain::local_day_at(at("2026-11-28T18:29:59.999999Z"), kolkata).date() == "2026-11-28");
  const auto new_york = zone("America/New_York");
  CHECK(domain::local_day_at(at("2026-11-30T04:59:59.999999Z"), new_york).date() == "2026-11-29");
  CHECK(domain::local_day_at(at("2026-11-30T05:00:00Z"), new_york).date() == "2026-11-30");
  CHECK(domain::local_day_at(at("1969-12-31T23:00:00Z"), util::TimeZone::utc()).date() == "1969-12-31");
  // The offset of the zone at an instant, summer and winter.
  CHECK(kolkata.offset_at(at("2026-11-29T00:00:00Z")) == 19800);
  CHECK(new_york.offset_at(at("2026-07-01T00:00:00Z")) == -14400);
  CHECK(new_york.offset_at(at("2026-12-01T00:00:00Z")) == -18000);
  CHECK(util::TimeZone::utc().offset_at(at("2026-12-01T00:00:00Z")) == 0);
}
