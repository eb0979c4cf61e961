// The text of a live event passed between instances over PostgreSQL NOTIFY.
#include <doctest/doctest.h>

#include <cstdint>
#include <optional>
#include <string>

#include "events/relay_payload.hpp"

using namespace tt::events;

TEST_CASE("relay payload: an event with an area survives the trip, JSON newlines and all") {
  Event e{"link", R"({"parent":"SB00001","child":"C-1","note":"a\nb"})", 42};
  auto text = encode_relay_payload("a1b2c3", e);
  REQUIRE(text);
  auto back = decode_relay_payload(*text);
  REQUIRE(back);
  CHECK(back->instance == "a1b2c3");
  CHECK(back->event.type == "link");
  CHECK(back->event.json_data == e.json_data);
  REQUIRE(back->event.area_id);
  CHECK(*back->event.area_id == 42);
}

TEST_CASE("relay payload: an event without an area stays without one") {
  auto back = decode_relay_payload(*encode_relay_payload("ff", Event{"bill", "{}", std::nullopt}));
  REQUIRE(back);
  CHECK_FALSE(back->event.area_id);
  CHECK(back->event.json_data == "{}");
}

TEST_CASE("relay payload: an event about two areas keeps both") {
  Event e{"area_transfer", "{}", 7, 9};
  auto back = decode_relay_payload(*encode_relay_payload("ff", e));
  REQUIRE(back);
  CHECK(back->event.area_id == std::optional<std::int64_t>(7));
  CHECK(back->event.other_area_id == std::optional<std::int64_t>(9));
  CHECK_FALSE(decode_relay_payload("id\nx\n7,\n{}"));
  CHECK_FALSE(decode_relay_payload("id\nx\n7,8,9\n{}"));
  CHECK_FALSE(decode_relay_payload("id\nx\n,8\n{}"));
}

TEST_CASE("relay payload: too long for NOTIFY is not sent") {
  Event big{"scan", "{\"x\":\"" + std::string(8000, 'a') + "\"}", 1};
  CHECK_FALSE(encode_relay_payload("ff", big));
  Event fits{"scan", "{\"x\":\"" + std::string(7900, 'a') + "\"}", 1};
  CHECK(encode_relay_payload("ff", fits));
}

TEST_CASE("relay payload: foreign or damaged notifications are ignored") {
  CHECK_FALSE(decode_relay_payload(""));
  CHECK_FALSE(decode_relay_payload("hello"));
  CHECK_FALSE(decode_relay_payload("id\nlink\n12"));          // no data
  CHECK_FALSE(decode_relay_payload("id\nlink\n1x\n{}"));      // area not a number
  CHECK_FALSE(decode_relay_payload("\nlink\n1\n{}"));         // no instance
  CHECK(decode_relay_payload("id\nlink\n-\n{}") == std::nullopt);
  CHECK(decode_relay_payload("id\nlink\n7\n{}"));
}
