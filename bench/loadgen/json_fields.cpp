#include "json_fields.hpp"

#include <charconv>

namespace tt::bench {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Position just after `"key"` and the colon that follows it, or npos. Skips matches that are
// values rather than keys (not followed by a colon).
std::size_t value_start(std::string_view body, std::string_view key) {
  std::size_t from = 0;
  while (true) {
    auto at = body.find(key, from);
    if (at == std::string_view::npos) return at;
    from = at + key.size();
    if (at == 0 || body[at - 1] != '"' || from >= body.size() || body[from] != '"') continue;
    // An escaped quote before the key means it is inside a string.
    if (at >= 2 && body[at - 2] == '\\') continue;
    std::size_t p = from + 1;
    while (p < body.size() && is_space(body[p])) ++p;
    if (p >= body.size() || body[p] != ':') continue;
    ++p;
    while (p < body.size() && is_space(body[p])) ++p;
    return p;
  }
}

}  // namespace

std::optional<std::string_view> json_string_field(std::string_view body, std::string_view key) {
  auto p = value_start(body, key);
  if (p == std::string_view::npos || p >= body.size() || body[p] != '"') return std::nullopt;
  const std::size_t begin = p + 1;
  for (std::size_t q = begin; q < body.size(); ++q) {
    if (body[q] == '\\') {
      ++q;
      continue;
    }
    if (body[q] == '"') return body.substr(begin, q - begin);
  }
  return std::nullopt;
}

std::optional<std::int64_t> json_int_field(std::string_view body, std::string_view key) {
  auto p = value_start(body, key);
  if (p == std::string_view::npos || p >= body.size()) return std::nullopt;
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(body.data() + p, body.data() + body.size(), v);
  if (ec != std::errc{}) return std::nullopt;
  // 3.5 is not an integer.
  if (end < body.data() + body.size() && (*end == '.' || *end == 'e' || *end == 'E')) return std::nullopt;
  return v;
}

}  // namespace tt::bench
