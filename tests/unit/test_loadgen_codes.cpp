// Bag codes of the load generator: parent codes from a range, unique child codes.
#include <doctest/doctest.h>

#include <set>
#include <string>
#include <thread>
#include <vector>

#include "../../bench/loadgen/codes.hpp"

using namespace tt::bench;

namespace {
bool valid_bag_code(const std::string& c) {
  if (c.empty() || c.size() > 64) return false;
  for (unsigned char ch : c) {
    if (ch <= 0x20 || ch >= 0x7f) return false;
    if (ch >= 'a' && ch <= 'z') return false;  // already upper-case, as the server stores them
  }
  return true;
}
bool looks_like_parent(const std::string& c) {
  auto digits = [](std::string_view s) {
    return s.size() == 5 && s.find_first_not_of("0123456789") == std::string_view::npos;
  };
  return (c.rfind("SB", 0) == 0 && digits(std::string_view(c).substr(2))) ||
         (c.rfind("M444-", 0) == 0 && digits(std::string_view(c).substr(5)));
}
}  // namespace

TEST_CASE("parent codes follow the two parent patterns with exactly five digits") {
  CHECK(parent_code(false, 0) == "SB00000");
  CHECK(parent_code(false, 12345) == "SB12345");
  CHECK(parent_code(true, 123) == "M444-00123");
  CHECK(parent_code(true, 99999) == "M444-99999");
}

TEST_CASE("parent range parsing") {
  auto r = parse_parent_range("30000-99999", ParentKinds::both);
  REQUIRE(r);
  CHECK(r->first == 30000);
  CHECK(r->last == 99999);
  CHECK(r->size() == 2 * 70000);
  CHECK(parse_parent_range("5-5", ParentKinds::sb)->size() == 1);
  CHECK_FALSE(parse_parent_range("", ParentKinds::both));
  CHECK_FALSE(parse_parent_range("10", ParentKinds::both));
  CHECK_FALSE(parse_parent_range("20-10", ParentKinds::both));
  CHECK_FALSE(parse_parent_range("0-100000", ParentKinds::both));
  CHECK_FALSE(parse_parent_range("a-10", ParentKinds::both));
  CHECK_FALSE(parse_parent_range("1-2-3", ParentKinds::both));
  CHECK_FALSE(parse_parent_range("-1-10", ParentKinds::both));
  CHECK(parse_parent_kinds("sb") == ParentKinds::sb);
  CHECK(parse_parent_kinds("m444") == ParentKinds::m444);
  CHECK(parse_parent_kinds("both") == ParentKinds::both);
  CHECK_FALSE(parse_parent_kinds("SB"));
}

TEST_CASE("parent_code_at alternates kinds and stays inside the range") {
  const ParentRange both{100, 102, ParentKinds::both};
  std::vector<std::string> got;
  for (std::uint64_t n = 0; n < both.size(); ++n) got.push_back(parent_code_at(both, n));
  CHECK(got == std::vector<std::string>{"SB00100", "M444-00100", "SB00101", "M444-00101", "SB00102", "M444-00102"});
  const ParentRange m{7, 8, ParentKinds::m444};
  CHECK(parent_code_at(m, 0) == "M444-00007");
  CHECK(parent_code_at(m, 1) == "M444-00008");
  const ParentRange sb{99999, 99999, ParentKinds::sb};
  CHECK(parent_code_at(sb, 0) == "SB99999");
}

TEST_CASE("the allocator hands out every code of the range exactly once across threads, then stops") {
  ParentCodeAllocator alloc(ParentRange{0, 4999, ParentKinds::both});
  std::vector<std::vector<std::string>> per_thread(4);
  std::vector<std::thread> threads;
  for (auto& out : per_thread) {
    threads.emplace_back([&alloc, &out] {
      while (auto c = alloc.next()) out.push_back(*c);
    });
  }
  for (auto& t : threads) t.join();
  std::set<std::string> all;
  std::size_t total = 0;
  for (auto& v : per_thread) {
    total += v.size();
    all.insert(v.begin(), v.end());
  }
  CHECK(total == 10000);
  CHECK(all.size() == 10000);
  CHECK(*all.begin() == "M444-00000");
  CHECK(*all.rbegin() == "SB04999");
  for (const auto& c : all) REQUIRE(looks_like_parent(c));
  CHECK_FALSE(alloc.next());
  CHECK(alloc.handed_out() == 10000);
}

TEST_CASE("child codes are valid bag codes, unique per run, connection and counter, never parents") {
  std::set<std::string> seen;
  for (std::string run : {std::string("A1"), std::string("A2"), make_run_id()}) {
    for (std::uint64_t conn : {0, 1, 35, 36, 999}) {
      for (std::uint64_t n : {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{29}, std::uint64_t{30}, std::uint64_t{1295}, std::uint64_t{1296}, UINT64_MAX}) {
        const auto c = child_code(run, conn, n);
        CAPTURE(c);
        CHECK(valid_bag_code(c));
        CHECK_FALSE(looks_like_parent(c));
        CHECK(seen.insert(c).second);
      }
    }
  }
  // The longest possible code still fits in 64 characters.
  CHECK(child_code("ZZZZZZZZZZZZ", UINT64_MAX, UINT64_MAX).size() <= 64);
  CHECK(child_code("R", 1, 10) == "CR-1-A");
}

TEST_CASE("base 36 and run ids") {
  CHECK(base36(0) == "0");
  CHECK(base36(35) == "Z");
  CHECK(base36(36) == "10");
  CHECK(base36(UINT64_MAX) == "3W5E11264SGSF");
  const auto id = make_run_id();
  CHECK(valid_run_id(id));
  CHECK(valid_run_id("ABC123"));
  CHECK_FALSE(valid_run_id(""));
  CHECK_FALSE(valid_run_id("abc"));
  CHECK_FALSE(valid_run_id("A-B"));
  CHECK_FALSE(valid_run_id("ABCDEFGHIJKLM"));
}
