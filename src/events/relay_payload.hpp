// The text of a live event travelling between app instances (one PostgreSQL NOTIFY payload):
//   <instance id> LF <type> LF <area id, or empty> LF <JSON data>
// The instance id lets an instance skip its own events, which its hub has already delivered.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "events/hub.hpp"

namespace tt::events {

// PostgreSQL refuses payloads of 8000 bytes or more.
inline constexpr std::size_t kMaxRelayPayload = 7999;

struct RelayedEvent {
  std::string instance;
  Event event;
};

// Nothing when the payload would be too long to send.
std::optional<std::string> encode_relay_payload(std::string_view instance, const Event& event);

// Nothing for a payload that is not in this format (written by something else on the channel).
std::optional<RelayedEvent> decode_relay_payload(std::string_view payload);

}  // namespace tt::events
