#include "domain/client_scan_id.hpp"

namespace tt::domain {

std::optional<std::string> normalise_client_scan_id(std::string_view raw) {
  constexpr std::size_t kLength = 36;
  if (raw.size() != kLength) return std::nullopt;
  std::string out(raw);
  for (std::size_t i = 0; i < kLength; ++i) {
    char& c = out[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return std::nullopt;
      continue;
    }
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return std::nullopt;
  }
  return out;
}

}  // namespace tt::domain
