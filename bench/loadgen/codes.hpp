// Bag codes for the load: parent codes must follow the parent pattern (SB + 5 digits, M444- + 5
// digits), so there are only 100,000 of each kind; the generator takes them from a numeric range
// given on the command line so that a run does not collide with seeded data or with an earlier run
// on the same database. Child codes are free-form and carry a run id, the connection and a counter,
// so they are unique across connections and runs.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tt::bench {

enum class ParentKinds { sb, m444, both };

struct ParentRange {
  std::uint32_t first = 0;      // inclusive, 0..99999
  std::uint32_t last = 99999;   // inclusive, >= first
  ParentKinds kinds = ParentKinds::both;

  // How many distinct parent codes the range holds (both kinds count twice).
  std::uint64_t size() const noexcept;
};

// "LO-HI" with 0 <= LO <= HI <= 99999 (e.g. "30000-99999"); nullopt when malformed.
std::optional<ParentRange> parse_parent_range(std::string_view text, ParentKinds kinds);
// "sb", "m444" or "both".
std::optional<ParentKinds> parse_parent_kinds(std::string_view text);

// "SB" or "M444-" followed by the number on 5 digits.
std::string parent_code(bool m444, std::uint32_t number);

// The n-th parent code of the range (0-based, n < range.size()): with both kinds, even n are SB and
// odd n are M444- so that both kinds are exercised evenly.
std::string parent_code_at(const ParentRange& range, std::uint64_t n);

// Hands out each parent code of the range once, to any number of threads: one atomic increment
// per parent (every ~31 requests), far from the hot path.
class ParentCodeAllocator {
 public:
  explicit ParentCodeAllocator(ParentRange range) : range_(range) {}
  // nullopt once the range is used up.
  std::optional<std::string> next();
  std::uint64_t handed_out() const noexcept;

 private:
  ParentRange range_;
  std::atomic<std::uint64_t> next_{0};
};

// A run id: upper-case base-36 of the current time in tenths of a second plus two random
// characters, so that two runs started in the same instant still differ.
std::string make_run_id();
// Valid run ids: 1 to 12 characters of [0-9A-Z].
bool valid_run_id(std::string_view id);

// Upper-case base 36, no padding.
std::string base36(std::uint64_t v);

// "C" + run + "-" + connection + "-" + n, all in base 36: unique per (run, connection, n), never
// matching a parent pattern (it starts with C), at most 1 + 12 + 1 + 13 + 1 + 13 = 41 characters.
std::string child_code(std::string_view run_id, std::uint64_t connection, std::uint64_t n);

}  // namespace tt::bench
