#include "events/relay_payload.hpp"

#include <charconv>

namespace tt::events {

std::optional<std::string> encode_relay_payload(std::string_view instance, const Event& event) {
  std::string out;
  out.reserve(instance.size() + event.type.size() + event.json_data.size() + 24);
  out.append(instance).append(1, '\n').append(event.type).append(1, '\n');
  if (event.area_id) out += std::to_string(*event.area_id);
  if (event.other_area_id) out.append(1, ',').append(std::to_string(*event.other_area_id));
  out.append(1, '\n').append(event.json_data);
  if (out.size() > kMaxRelayPayload) return std::nullopt;
  return out;
}

std::optional<RelayedEvent> decode_relay_payload(std::string_view payload) {
  std::string_view parts[3];
  for (auto& part : parts) {
    const auto nl = payload.find('\n');
    if (nl == std::string_view::npos) return std::nullopt;
    part = payload.substr(0, nl);
    payload.remove_prefix(nl + 1);
  }
  if (parts[0].empty() || parts[1].empty() || payload.empty()) return std::nullopt;
  RelayedEvent out;
  out.instance = std::string(parts[0]);
  out.event.type = std::string(parts[1]);
  out.event.json_data = std::string(payload);
  // The areas: "", "12", or "12,34" (an event about two areas).
  std::string_view areas = parts[2];
  std::optional<std::int64_t>* slots[] = {&out.event.area_id, &out.event.other_area_id};
  for (auto* slot : slots) {
    if (areas.empty()) break;
    const std::size_t comma = areas.find(',');
    const std::string_view one = areas.substr(0, comma);
    std::int64_t area = 0;
    const auto* end = one.data() + one.size();
    const auto [ptr, ec] = std::from_chars(one.data(), end, area);
    if (one.empty() || ec != std::errc() || ptr != end) return std::nullopt;
    *slot = area;
    areas = comma == std::string_view::npos ? std::string_view() : areas.substr(comma + 1);
    if (comma != std::string_view::npos && areas.empty()) return std::nullopt;
  }
  if (!areas.empty()) return std::nullopt;
  return out;
}

}  // namespace tt::events
