#include "codes.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <random>

namespace tt::bench {

std::uint64_t ParentRange::size() const noexcept {
  const std::uint64_t per_kind = std::uint64_t{last} - first + 1;
  return kinds == ParentKinds::both ? 2 * per_kind : per_kind;
}

namespace {

std::optional<std::uint32_t> parse_number(std::string_view s) {
  if (s.empty() || s.size() > 5) return std::nullopt;
  std::uint32_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

std::optional<ParentRange> parse_parent_range(std::string_view text, ParentKinds kinds) {
  const auto dash = text.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  auto lo = parse_number(text.substr(0, dash));
  auto hi = parse_number(text.substr(dash + 1));
  if (!lo || !hi || *lo > *hi || *hi > 99999) return std::nullopt;
  return ParentRange{*lo, *hi, kinds};
}

std::optional<ParentKinds> parse_parent_kinds(std::string_view text) {
  if (text == "sb") return ParentKinds::sb;
  if (text == "m444") return ParentKinds::m444;
  if (text == "both") return ParentKinds::both;
  return std::nullopt;
}

std::string parent_code(bool m444, std::uint32_t number) {
  std::string out = m444 ? "M444-" : "SB";
  char digits[5];
  for (int i = 4; i >= 0; --i) {
    digits[i] = static_cast<char>('0' + number % 10);
    number /= 10;
  }
  out.append(digits, 5);
  return out;
}

std::string parent_code_at(const ParentRange& range, std::uint64_t n) {
  switch (range.kinds) {
    case ParentKinds::sb: return parent_code(false, static_cast<std::uint32_t>(range.first + n));
    case ParentKinds::m444: return parent_code(true, static_cast<std::uint32_t>(range.first + n));
    case ParentKinds::both: break;
  }
  return parent_code(n % 2 == 1, static_cast<std::uint32_t>(range.first + n / 2));
}

std::optional<std::string> ParentCodeAllocator::next() {
  const auto n = next_.fetch_add(1, std::memory_order_relaxed);
  if (n >= range_.size()) return std::nullopt;
  return parent_code_at(range_, n);
}

std::uint64_t ParentCodeAllocator::handed_out() const noexcept {
  return std::min(next_.load(std::memory_order_relaxed), range_.size());
}

std::string base36(std::uint64_t v) {
  static constexpr char kDigits[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  char buf[16];
  int i = 16;
  do {
    buf[--i] = kDigits[v % 36];
    v /= 36;
  } while (v != 0);
  return std::string(buf + i, buf + 16);
}

std::string make_run_id() {
  using namespace std::chrono;
  const auto tenths = duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count() / 100;
  std::random_device rd;
  const auto salt = std::uniform_int_distribution<std::uint32_t>(0, 36 * 36 - 1)(rd);
  std::string id = base36(static_cast<std::uint64_t>(tenths));
  id += base36(salt / 36);
  id += base36(salt % 36);
  return id;
}

bool valid_run_id(std::string_view id) {
  if (id.empty() || id.size() > 12) return false;
  for (char c : id) {
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'))) return false;
  }
  return true;
}

std::string child_code(std::string_view run_id, std::uint64_t connection, std::uint64_t n) {
  std::string out;
  out.reserve(1 + run_id.size() + 2 + 2 * 13);
  out += 'C';
  out += run_id;
  out += '-';
  out += base36(connection);
  out += '-';
  out += base36(n);
  return out;
}

}  // namespace tt::bench
