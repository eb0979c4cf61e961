// Global row ids (UUID v7), random tokens, hashes and constant-time comparison.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "util/ids.hpp"
#include "util/time.hpp"

using namespace tt::util;

namespace {

bool is_lower_hex(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace

TEST_CASE("uuid v7: format") {
  const std::string id = uuid_v7();
  REQUIRE(id.size() == 36);
  CHECK(id[8] == '-');
  CHECK(id[13] == '-');
  CHECK(id[18] == '-');
  CHECK(id[23] == '-');
  CHECK(id[14] == '7');  // version
  CHECK(std::string("89ab").find(id[19]) != std::string::npos);  // RFC 9562 variant
  std::string hex = id;
  hex.erase(std::remove(hex.begin(), hex.end(), '-'), hex.end());
  CHECK(hex.size() == 32);
  CHECK(is_lower_hex(hex));
}

TEST_CASE("uuid v7: the first 48 bits are the time in milliseconds") {
  const auto before = now_us() / 1000;
  const std::string id = uuid_v7();
  const auto after = now_us() / 1000;
  const std::string hex = id.substr(0, 8) + id.substr(9, 4);
  const auto ms = static_cast<std::int64_t>(std::stoull(hex, nullptr, 16));
  CHECK(ms >= before);
  // The counter may borrow a following millisecond when many ids are made within one.
  CHECK(ms <= after + 10);
}

TEST_CASE("uuid v7: unique and increasing, also across threads") {
  std::vector<std::string> ids;
  for (int i = 0; i < 20000; ++i) ids.push_back(uuid_v7());
  CHECK(std::is_sorted(ids.begin(), ids.end()));
  CHECK(std::adjacent_find(ids.begin(), ids.end()) == ids.end());

  std::vector<std::vector<std::string>> per_thread(4);
  std::vector<std::thread> threads;
  for (auto& out : per_thread) {
    threads.emplace_back([&out] {
      for (int i = 0; i < 5000; ++i) out.push_back(uuid_v7());
    });
  }
  for (auto& t : threads) t.join();
  std::set<std::string> all;
  for (const auto& out : per_thread) {
    CHECK(std::is_sorted(out.begin(), out.end()));
    all.insert(out.begin(), out.end());
  }
  CHECK(all.size() == 20000);
}

TEST_CASE("random hex") {
  const std::string a = random_hex(32);
  const std::string b = random_hex(32);
  CHECK(a.size() == 64);
  CHECK(is_lower_hex(a));
  CHECK(a != b);
  CHECK(random_hex(0).empty());
  CHECK(random_hex(1).size() == 2);
}

TEST_CASE("sha256 hex") {
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("constant-time equality") {
  CHECK(constant_time_equal("", ""));
  CHECK(constant_time_equal("token", "token"));
  CHECK_FALSE(constant_time_equal("token", "tokex"));
  CHECK_FALSE(constant_time_equal("token", "token2"));
  CHECK_FALSE(constant_time_equal("", "a"));
}
