#include "api/flat_json.hpp"

namespace tt::api {

namespace {

bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

void skip_ws(std::string_view s, std::size_t& i) {
  while (i < s.size() && is_ws(s[i])) ++i;
}

// A string without escapes, control characters or bytes outside ASCII.
bool plain_string(std::string_view s, std::size_t& i, std::string_view& out) {
  if (i >= s.size() || s[i] != '"') return false;
  const std::size_t start = ++i;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '"') {
      out = s.substr(start, i - start);
      ++i;
      return true;
    }
    if (c == '\\' || c < 0x20 || c >= 0x80) return false;
    ++i;
  }
  return false;
}

}  // namespace

bool parse_flat_string_object(std::string_view s, FlatField* out, std::size_t max_fields, std::size_t& count) {
  count = 0;
  std::size_t i = 0;
  skip_ws(s, i);
  if (i >= s.size() || s[i] != '{') return false;
  ++i;
  skip_ws(s, i);
  if (i < s.size() && s[i] == '}') {
    ++i;
  } else {
    for (;;) {
      if (count == max_fields) return false;
      FlatField f;
      if (!plain_string(s, i, f.name)) return false;
      skip_ws(s, i);
      if (i >= s.size() || s[i] != ':') return false;
      ++i;
      skip_ws(s, i);
      if (!plain_string(s, i, f.value)) return false;
      // A repeated name keeps its last value, as the full parser does.
      bool replaced = false;
      for (std::size_t k = 0; k < count; ++k) {
        if (out[k].name == f.name) {
          out[k].value = f.value;
          replaced = true;
        }
      }
      if (!replaced) out[count++] = f;
      skip_ws(s, i);
      if (i < s.size() && s[i] == ',') {
        ++i;
        skip_ws(s, i);
        continue;
      }
      if (i < s.size() && s[i] == '}') {
        ++i;
        break;
      }
      return false;
    }
  }
  skip_ws(s, i);
  return i == s.size();
}

}  // namespace tt::api
