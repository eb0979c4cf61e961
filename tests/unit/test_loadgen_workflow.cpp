// The scanner workflow of the load generator, the open-loop schedule and answer parsing, against
// a simulated server that follows the scan rules of the specification.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "../../bench/loadgen/json_fields.hpp"
#include "../../bench/loadgen/schedule.hpp"
#include "../../bench/loadgen/workflow.hpp"

using namespace tt::bench;

namespace {

// Answers like the server: parents hold `capacity` children, a child is in one parent, parent
// codes cannot be children.
struct FakeServer {
  std::uint32_t capacity = 30;
  std::map<std::string, std::set<std::string>> parents;
  std::map<std::string, std::string> parent_of;
  std::string body;

  static bool is_parent_code(const std::string& c) { return c.rfind("SB", 0) == 0 || c.rfind("M444-", 0) == 0; }

  Answer answer(const PlannedRequest& r) {
    int status = 200;
    switch (r.op) {
      case Op::stats: body = R"({"parents":1})"; break;
      case Op::bag_lookup: body = R"({"code":")" + r.code + R"("})"; break;
      case Op::scan_parent: {
        auto& kids = parents[r.code];
        body = R"({"code":")" + r.code + R"(","child_count":)" + std::to_string(kids.size()) +
               R"(,"capacity":)" + std::to_string(capacity) + "}";
        break;
      }
      default: {
        const auto p = std::string(*json_string_field(r.body, "parent"));
        const auto c = std::string(*json_string_field(r.body, "code"));
        auto& kids = parents[p];
        if (is_parent_code(c)) {
          status = 409;
          body = R"({"error":{"code":"not_a_child","message":"x"}})";
        } else if (kids.count(c)) {
          body = R"({"result":"already_linked","child_count":)" + std::to_string(kids.size()) + "}";
        } else if (parent_of.count(c)) {
          status = 409;
          body = R"({"error":{"code":"linked_elsewhere","message":"x"}})";
        } else if (kids.size() >= capacity) {
          status = 409;
          body = R"({"error":{"code":"parent_full","message":"x"}})";
        } else {
          kids.insert(c);
          parent_of[c] = p;
          body = R"({"result":"linked","child_count":)" + std::to_string(kids.size()) + R"(,"capacity":)" +
                 std::to_string(capacity) + "}";
        }
      }
    }
    return Answer{status, body};
  }
};

}  // namespace

TEST_CASE("workflow: parent, thirty children, next parent, with nothing else mixed in") {
  Mix mix;
  mix.duplicate_share = mix.rejection_share = mix.lookup_share = mix.stats_share = 0;
  ParentCodeAllocator parents(ParentRange{10, 19, ParentKinds::sb});
  Workflow wf(mix, parents, "RUN", 3, 1);
  FakeServer server;
  PlannedRequest r;
  std::vector<Op> ops;
  for (int i = 0; i < 62; ++i) {
    REQUIRE(wf.next(r));
    ops.push_back(r.op);
    auto v = wf.on_answer(r, server.answer(r));
    CAPTURE(v.error);
    REQUIRE(v.expected);
  }
  CHECK(ops[0] == Op::scan_parent);
  for (int i = 1; i <= 30; ++i) CHECK(ops[i] == Op::scan_child);
  CHECK(ops[31] == Op::scan_parent);
  CHECK(server.parents["SB00010"].size() == 30);
  CHECK(server.parents["SB00011"].size() == 30);
  CHECK(wf.current_parent() == "SB00011");
  CHECK(r.target == "/api/v1/scans/child");
  CHECK(r.body == R"({"parent":"SB00011","code":"CRUN-3-1N"})");  // child 59 (base 36: 1N) of connection 3
}

TEST_CASE("workflow: the full mix only ever gets the answers it expects from a correct server") {
  Mix mix;
  mix.duplicate_share = 0.2;
  mix.rejection_share = 0.5;
  mix.lookup_share = 0.05;
  mix.stats_share = 0.05;
  ParentCodeAllocator parents(ParentRange{0, 999, ParentKinds::both});
  FakeServer server;
  std::map<Op, int> seen;
  for (std::uint64_t conn = 0; conn < 4; ++conn) {
    Workflow wf(mix, parents, "MIX", conn, 99);
    PlannedRequest r;
    for (int i = 0; i < 3000; ++i) {
      REQUIRE(wf.next(r));
      ++seen[r.op];
      auto v = wf.on_answer(r, server.answer(r));
      CAPTURE(r.body);
      CAPTURE(v.error);
      REQUIRE(v.expected);
      REQUIRE(wf.child_count() <= 30);
    }
  }
  for (Op op : kAllOps) {
    if (op == Op::health) continue;  // only in the --healthz mix
    CAPTURE(op_name(op));
    CHECK(seen[op] > 0);
  }
  for (const auto& [p, kids] : server.parents) CHECK(kids.size() <= 30);
}

TEST_CASE("workflow: the --healthz mix sends GET /healthz alone and takes nothing else for an answer") {
  Mix mix;
  mix.healthz_only = true;
  ParentCodeAllocator parents(ParentRange{0, 9, ParentKinds::both});
  Workflow wf(mix, parents, "HZ", 0, 1);
  PlannedRequest r;
  for (int i = 0; i < 100; ++i) {
    REQUIRE(wf.next(r));
    CHECK(r.op == Op::health);
    CHECK_FALSE(r.post);
    CHECK(r.target == "/healthz");
    CHECK(wf.on_answer(r, Answer{200, R"({"status":"ok"})"}).expected);
  }
  CHECK_FALSE(wf.on_answer(r, Answer{503, R"({"status":"unavailable"})"}).expected);
  CHECK(parents.handed_out() == 0);
}

TEST_CASE("workflow: the capacity the server reports wins over the configured one") {
  Mix mix;
  mix.duplicate_share = mix.rejection_share = mix.lookup_share = mix.stats_share = 0;
  ParentCodeAllocator parents(ParentRange{0, 9, ParentKinds::m444});
  Workflow wf(mix, parents, "CAP", 0, 1);
  FakeServer server;
  server.capacity = 5;
  PlannedRequest r;
  for (int i = 0; i < 12; ++i) {
    REQUIRE(wf.next(r));
    REQUIRE(wf.on_answer(r, server.answer(r)).expected);
  }
  CHECK(server.parents["M444-00000"].size() == 5);
  CHECK(server.parents["M444-00001"].size() == 5);
}

TEST_CASE("workflow: unexpected answers are errors named by operation, status and code") {
  Mix mix;
  mix.duplicate_share = mix.rejection_share = mix.lookup_share = mix.stats_share = 0;
  ParentCodeAllocator parents(ParentRange{0, 9, ParentKinds::sb});
  Workflow wf(mix, parents, "ERR", 0, 1);
  PlannedRequest r;

  REQUIRE(wf.next(r));
  REQUIRE(r.op == Op::scan_parent);
  auto v = wf.on_answer(r, Answer{500, R"({"error":{"code":"internal","message":"x"}})"});
  CHECK_FALSE(v.expected);
  CHECK(v.error == "scan_parent 500 internal");
  CHECK(wf.current_parent().empty());

  REQUIRE(wf.next(r));
  REQUIRE(r.code == "SB00001");  // a failed parent is not retried: its code may be half-used
  REQUIRE(wf.on_answer(r, Answer{200, R"({"code":"SB00001","child_count":0})"}).expected);

  REQUIRE(wf.next(r));
  REQUIRE(r.op == Op::scan_child);
  v = wf.on_answer(r, Answer{409, R"({"error":{"code":"linked_elsewhere","message":"x"}})"});
  CHECK(v.error == "scan_child 409 linked_elsewhere");

  REQUIRE(wf.next(r));
  v = wf.on_answer(r, Answer{200, R"({"result":"already_linked","child_count":1})"});
  CHECK(v.error == "scan_child 200 already_linked");

  REQUIRE(wf.next(r));
  v = wf.on_answer(r, Answer{0, ""});
  CHECK(v.error == "scan_child 0 no answer");
  CHECK(wf.current_parent() == "SB00001");

  // A parent that already has children (seed data in the range) is counted and skipped.
  Workflow wf2(mix, parents, "ERR", 1, 1);
  REQUIRE(wf2.next(r));
  v = wf2.on_answer(r, Answer{200, R"({"code":"SB00002","child_count":30})"});
  CHECK(v.error == "scan_parent 200 parent_in_use");
  CHECK(wf2.current_parent().empty());
}

TEST_CASE("workflow: expected rejections and duplicates") {
  Mix mix;
  ParentCodeAllocator parents(ParentRange{0, 9, ParentKinds::sb});
  Workflow wf(mix, parents, "R", 0, 1);
  PlannedRequest r;
  r.op = Op::rejection;
  r.expect = Expect::parent_full;
  CHECK(wf.on_answer(r, Answer{409, R"({"error":{"code":"parent_full","message":"full"}})"}).expected);
  CHECK(wf.on_answer(r, Answer{422, R"({"error":{"code":"parent_full","message":"full"}})"}).expected);
  CHECK(wf.on_answer(r, Answer{409, R"({"error":{"code":"not_a_child","message":"x"}})"}).error ==
        "rejection 409 not_a_child");
  CHECK(wf.on_answer(r, Answer{200, R"({"result":"linked"})"}).error == "rejection 200 linked");
  r.expect = Expect::not_a_child;
  CHECK(wf.on_answer(r, Answer{409, R"({"error":{"code":"not_a_child","message":"x"}})"}).expected);
  r.op = Op::duplicate;
  r.expect = Expect::already_linked;
  CHECK(wf.on_answer(r, Answer{200, R"({"result":"already_linked","child_count":3})"}).expected);
  CHECK_FALSE(wf.on_answer(r, Answer{200, R"({"result":"linked","child_count":3})"}).expected);
}

TEST_CASE("workflow: stops when the parent range is used up") {
  Mix mix;
  mix.duplicate_share = mix.rejection_share = mix.lookup_share = mix.stats_share = 0;
  ParentCodeAllocator parents(ParentRange{5, 5, ParentKinds::sb});
  Workflow wf(mix, parents, "END", 0, 1);
  FakeServer server;
  PlannedRequest r;
  int sent = 0;
  while (wf.next(r)) {
    REQUIRE(wf.on_answer(r, server.answer(r)).expected);
    ++sent;
  }
  CHECK(sent == 31);
}

TEST_CASE("workflow: lookups read the given range when there is one") {
  Mix mix;
  mix.duplicate_share = mix.rejection_share = mix.stats_share = 0;
  mix.lookup_share = 1;
  mix.lookup_range = ParentRange{0, 99, ParentKinds::both};
  ParentCodeAllocator parents(ParentRange{500, 599, ParentKinds::sb});
  Workflow wf(mix, parents, "L", 0, 1);
  PlannedRequest r;
  for (int i = 0; i < 100; ++i) {
    REQUIRE(wf.next(r));
    REQUIRE(r.op == Op::bag_lookup);
    CHECK_FALSE(r.post);
    CHECK(r.target == "/api/v1/bags/" + r.code);
    const auto n = std::stoi(r.code.substr(r.code[0] == 'S' ? 2 : 5));
    CHECK(n < 100);
  }
}

TEST_CASE("open-loop schedule: connections interleave evenly at the total rate") {
  const std::int64_t start = 1'000'000'000;
  // 1000 req/s over 4 connections: one request every 1 ms overall, every 4 ms per connection.
  std::vector<std::int64_t> all;
  for (std::uint32_t c = 0; c < 4; ++c) {
    OpenLoopSchedule s{start, 1000, 4, c};
    for (std::uint64_t k = 0; k < 5; ++k) all.push_back(s.intended_ns(k));
    CHECK(s.intended_ns(1) - s.intended_ns(0) == 4'000'000);
  }
  std::sort(all.begin(), all.end());
  for (std::size_t i = 0; i < all.size(); ++i) CHECK(all[i] == start + static_cast<std::int64_t>(i) * 1'000'000);
}

TEST_CASE("open-loop schedule: count_before matches intended times exactly") {
  for (double rate : {1.0, 3.0, 999.0, 20000.0, 123456.7}) {
    for (std::uint32_t n : {1u, 7u, 1000u}) {
      for (std::uint32_t c : {0u, n / 2, n - 1}) {
        OpenLoopSchedule s{5'000, rate, n, c};
        for (std::int64_t end : {std::int64_t{0}, std::int64_t{5'000}, std::int64_t{5'001}, std::int64_t{1'000'000'000},
                                 std::int64_t{3'333'333'333}}) {
          const auto k = s.count_before(end);
          CAPTURE(rate);
          CAPTURE(n);
          CAPTURE(c);
          CAPTURE(end);
          if (k > 0) CHECK(s.intended_ns(k - 1) < end);
          CHECK(s.intended_ns(k) >= end);
        }
      }
    }
  }
}

TEST_CASE("json fields: reading answers without a parser") {
  const std::string_view ok = R"({"result":"linked","child_count":12,"capacity":30})";
  CHECK(json_string_field(ok, "result") == std::string_view("linked"));
  CHECK(json_int_field(ok, "child_count") == 12);
  CHECK(json_int_field(ok, "capacity") == 30);
  CHECK_FALSE(json_int_field(ok, "missing"));
  CHECK_FALSE(json_string_field(ok, "child_count"));
  CHECK_FALSE(json_int_field(ok, "result"));

  const std::string_view err = R"({ "error" : { "code" : "parent_full", "message": "SB00001 is full" } })";
  CHECK(json_string_field(err, "code") == std::string_view("parent_full"));
  // A value equal to a key name is not taken for the key.
  CHECK(json_string_field(R"({"a":"code","code":"x"})", "code") == std::string_view("x"));
  CHECK(json_string_field(R"({"a":"\"code\": 1","code":"y"})", "code") == std::string_view("y"));
  CHECK(json_string_field(R"({"m":"say \"hi\"","k":"v"})", "m") == std::string_view(R"(say \"hi\")"));
  CHECK_FALSE(json_int_field(R"({"n":3.5})", "n"));
  CHECK(json_int_field(R"({"n":-4})", "n") == -4);
  CHECK_FALSE(json_string_field("", "code"));
  CHECK_FALSE(json_string_field(R"({"code":"unterminated)", "code"));
}
