#include "domain/bag_code.hpp"

namespace tt::domain {

namespace {

bool is_ascii_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view trim_ascii(std::string_view s) {
  while (!s.empty() && is_ascii_space(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && is_ascii_space(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

constexpr char kHex[] = "0123456789ABCDEF";

}  // namespace

NormalisedCode normalise_code(std::string_view raw, std::string_view what, std::size_t max_length) {
  NormalisedCode out;
  const std::string_view s = trim_ascii(raw);
  if (s.empty()) {
    out.error = "The ";
    out.error.append(what).append(" is empty: scan or type a code.");
    return out;
  }
  if (s.size() > max_length) {
    out.error = "The ";
    out.error.append(what)
        .append(" is too long: at most ")
        .append(std::to_string(max_length))
        .append(" characters, this one has ")
        .append(std::to_string(s.size()))
        .append(".");
    return out;
  }
  out.code.resize(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      out.error = "The ";
      out.error.append(what).append(" contains a character that is not plain ASCII (a letter with an accent or a "
                                    "symbol from another alphabet); check the scanner's keyboard layout.");
      return out;
    }
    if (is_ascii_space(c)) {
      out.error = "The ";
      out.error.append(what).append(" contains whitespace; a code is a single word.");
      return out;
    }
    if (c < 0x20 || c == 0x7f) {
      out.error = "The ";
      out.error.append(what).append(" contains a control character.");
      return out;
    }
    out.code[i] = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : static_cast<char>(c);
  }
  return out;
}

std::string printable_for_log(std::string_view raw, std::size_t max_chars) {
  std::string out;
  out.reserve(raw.size() < max_chars ? raw.size() : max_chars);
  for (const char ch : raw) {
    if (out.size() >= max_chars) {
      out += "...";
      break;
    }
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0x20 && c < 0x7f && c != '\\') {
      out.push_back(ch);
    } else {
      out += "\\x";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xf]);
    }
  }
  return out;
}

std::string prefix_upper_bound(std::string_view prefix) {
  std::string upper(prefix);
  while (!upper.empty()) {
    auto& last = reinterpret_cast<unsigned char&>(upper.back());
    if (last < 0xff) {
      ++last;
      return upper;
    }
    upper.pop_back();
  }
  return upper;
}

void append_json_string(std::string& out, std::string_view s) {
  out.push_back('"');
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out.push_back(kHex[c >> 4]);
          out.push_back(kHex[c & 0xf]);
        } else {
          out.push_back(ch);
        }
    }
  }
  out.push_back('"');
}

}  // namespace tt::domain
