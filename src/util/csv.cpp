#include "util/csv.hpp"

#include <cmath>
#include <cstdio>

namespace tt::util {

bool looks_like_formula(std::string_view v) noexcept {
  if (v.empty()) return false;
  switch (v.front()) {
    case '=':
    case '+':
    case '-':
    case '@':
    case '\t':
    case '\r': return true;
    default: return false;
  }
}

void CsvLine::separator() {
  if (!first_) out_ += ',';
  first_ = false;
}

CsvLine& CsvLine::text(std::string_view v) {
  separator();
  const bool guard = protect_ && looks_like_formula(v);
  const bool quote = v.find_first_of(",\"\r\n") != std::string_view::npos;
  if (quote) out_ += '"';
  if (guard) out_ += '\'';
  for (char c : v) {
    if (c == '"') out_ += '"';
    out_ += c;
  }
  if (quote) out_ += '"';
  return *this;
}

CsvLine& CsvLine::text(const std::optional<std::string>& v) {
  if (v) return text(std::string_view(*v));
  separator();
  return *this;
}

CsvLine& CsvLine::number(std::int64_t v) {
  separator();
  out_ += std::to_string(v);
  return *this;
}

CsvLine& CsvLine::number(std::optional<std::int64_t> v) {
  if (v) return number(*v);
  separator();
  return *this;
}

CsvLine& CsvLine::number(double v) {
  separator();
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.3f", std::isfinite(v) ? v : 0.0);
  std::string s(buf);
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  if (s == "-0") s = "0";
  out_ += s;
  return *this;
}

void CsvLine::end() { out_ += "\r\n"; }

}  // namespace tt::util
